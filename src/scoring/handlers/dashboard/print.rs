//! The printed summary (Bảng tổng hợp kết quả chấm điểm), as a print view and as .docx.
use axum::response::{Html, Response};

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::scoring::model::{self, SheetStatus};
use crate::scoring::results::UnitResult;
use crate::web::document::{self, Block, Cell, Document, Signature};
use crate::web::docx;
use crate::web::ids::Ids;
use crate::web::print::{DocHeader, caps};
use crate::web::vn;

use super::*;

/// The summary's column heads and their widths in percent: the section columns share about a
/// quarter, the unit's name the rest.
fn summary_columns(sections: &[String]) -> (Vec<u16>, Vec<String>) {
    let mut head = vec!["STT".to_string(), "Đơn vị".into(), "Tự chấm".into()];
    head.extend(sections.iter().cloned());
    head.extend(["Tổng thẩm định", "Tỷ lệ (%)", "Xếp hạng", "Xếp loại"].map(String::from));
    let n = sections.len() as u16;
    let each = 24u16.checked_div(n).map_or(0, |e| e.clamp(3, 7));
    let mut widths = vec![4, 55u16.saturating_sub(each * n).max(15), 7];
    widths.extend(sections.iter().map(|_| each));
    widths.extend([9, 8, 8, 9]);
    (widths, head)
}

/// One unit's line: the claim once submitted, the verified figures once final.
fn summary_row(number: usize, r: &UnitResult, sections: usize) -> Vec<Cell> {
    let fmt = model::fmt;
    let mut cells = vec![
        Cell::center(number.to_string()),
        Cell::left(&r.name),
        Cell::right(if r.status.is_draft() {
            String::new()
        } else {
            fmt(r.claimed.total)
        }),
    ];
    match (&r.verified, r.status) {
        (Some(v), SheetStatus::Finalised) => {
            cells.extend(v.by_section.iter().map(|x| Cell::right(fmt(*x))));
            cells.push(Cell::right(fmt(v.total)).bold());
            cells.push(Cell::right(fmt(v.percent)));
        }
        _ => {
            cells.extend((0..sections).map(|_| Cell::left("")));
            cells.push(Cell::center(r.status.label()));
            cells.push(Cell::left(""));
        }
    }
    cells.push(Cell::center(
        r.rank
            .as_ref()
            .map(|k| format!("{}{}", k.rank, if k.tied { " (đồng hạng)" } else { "" }))
            .unwrap_or_default(),
    ));
    cells.push(Cell::left(r.rating.clone().unwrap_or_default()));
    cells
}

/// The printed summary (Bảng tổng hợp kết quả chấm điểm): the print view and the .docx both
/// render it.
async fn summary_document(u: &CurrentUser, year: i64) -> AppResult<Document> {
    let mut tx = u.read().await?;
    let c = compute_in(&mut tx, u, year, false).await?;
    let mut rows: Vec<&UnitResult> = c.results.iter().collect();
    rows.sort_by_key(|r| {
        (
            r.rank.as_ref().map(|k| k.rank).unwrap_or(usize::MAX),
            r.name.clone(),
        )
    });
    let leader = match c.ctx.y.leader_unit_id {
        Some(id) => crate::org::store::unit(&mut tx, id).await?,
        None => None,
    };
    tx.commit().await?;
    let (place, head_title, head_name) = leader
        .map(|l| (l.f.place_name, l.f.head_title, l.f.head_name))
        .unwrap_or_default();
    let h = DocHeader {
        superior: document::superior_line(&c.ctx.y.cluster_superior),
        issuer: caps(&c.ctx.y.cluster_name),
        number: String::new(),
        place_date: DocHeader::place_date(&place, vn::today()),
        doc_type: "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM".into(),
        subject: format!("thi đua năm {}", c.ctx.y.year),
        title: format!(
            "Bảng tổng hợp kết quả chấm điểm năm {} — {}",
            c.ctx.y.year, c.ctx.y.cluster_name
        ),
        back: format!("/years/{}/scoring", c.ctx.y.id),
        orientation: "landscape",
    };
    // A percentage over 100 comes from bonus points; the note says so.
    let over = rows.iter().any(|r| {
        let v = r
            .verified
            .as_ref()
            .filter(|_| r.status == SheetStatus::Finalised);
        v.is_some_and(|v| v.percent > 100.into())
    });
    let bonus = if over {
        format!(" {}", document::BONUS_NOTE)
    } else {
        String::new()
    };
    let sections = c.section_labels();
    let (widths, head) = summary_columns(&sections);
    let table_rows = rows
        .iter()
        .enumerate()
        .map(|(i, r)| summary_row(i + 1, r, sections.len()))
        .collect();
    let table_name = c
        .ctx
        .table
        .as_ref()
        .map(|t| t.table.name.clone())
        .unwrap_or_default();
    Ok(Document {
        h,
        blocks: vec![
            Block::Table {
                widths,
                head,
                rows: table_rows,
            },
            Block::Note(format!(
                "Bảng tiêu chí: {table_name}. Điểm thẩm định do đơn vị cụm trưởng (với bảng điểm \
                 của đơn vị cụm trưởng: đơn vị cụm phó) thẩm định; xếp hạng theo tỷ lệ điểm trên \
                 tổng điểm tối đa áp dụng với đơn vị.{bonus}"
            )),
        ],
        recipients: [
            "- Các đơn vị trong cụm;",
            "- Hội đồng Thi đua - Khen thưởng;",
            "- Lưu: VT.",
        ]
        .map(String::from)
        .to_vec(),
        // The leader unit's head signs for the cluster: their own title and name, not the
        // unit's name.
        signatures: vec![Signature::for_body(
            &c.ctx.y.cluster_name,
            &head_title,
            "(Ký, ghi rõ họ tên, đóng dấu)",
            &head_name,
        )],
    })
}

pub async fn print(u: CurrentUser, Ids(year): Ids<i64>) -> AppResult<Html<String>> {
    let d = summary_document(&u, year).await?;
    Ok(Html(document::render_html(&d)?))
}

/// The same summary as a Word file.
pub async fn print_docx(u: CurrentUser, Ids(year): Ids<i64>) -> AppResult<Response> {
    let d = summary_document(&u, year).await?;
    let bytes = docx::render(&d).map_err(AppError::Internal)?;
    Ok(docx::response(&format!("{}.docx", d.h.title), bytes))
}
