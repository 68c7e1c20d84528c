//! The dashboard as an .xlsx workbook.
use axum::response::Response;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::scoring::model::SheetStatus;
use crate::scoring::results::UnitResult;
use crate::web::ids::Ids;

use super::*;

pub async fn export_xlsx(u: CurrentUser, Ids(year): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.read().await?;
    let c = compute_in(&mut tx, &u, year, false).await?;
    tx.commit().await?;
    let bytes = xlsx(&c).map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    let name = format!(
        "Bảng tổng hợp điểm - {} - {}.xlsx",
        c.ctx.y.cluster_name, c.ctx.y.year
    );
    Ok(crate::web::download::attachment(
        &name,
        crate::web::download::XLSX,
        bytes,
    ))
}

fn xlsx(c: &Computed) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Tổng hợp")?;
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let num = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.00");
    ws.write_with_format(
        0,
        0,
        format!(
            "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {}",
            c.ctx.y.year
        ),
        &bold,
    )?;
    ws.write(1, 0, &c.ctx.y.cluster_name)?;
    let sections = c.section_labels();
    let mut headers = vec!["STT".to_string(), "Đơn vị".into(), "Tự chấm".into()];
    headers.extend(sections.iter().map(|s| format!("{s} (thẩm định)")));
    headers.extend([
        "Tổng thẩm định".into(),
        "Tỷ lệ (%)".into(),
        "Xếp hạng".into(),
        "Xếp loại".into(),
        "Trạng thái".into(),
        "Ghi chú".into(),
    ]);
    for (i, h) in headers.iter().enumerate() {
        ws.write_with_format(3, i as u16, h, &head)?;
    }
    let mut rows: Vec<&UnitResult> = c.results.iter().collect();
    rows.sort_by_key(|r| {
        (
            r.rank.as_ref().map(|k| k.rank).unwrap_or(usize::MAX),
            r.name.clone(),
        )
    });
    for (i, r) in rows.iter().enumerate() {
        let formats = (&cell, &num);
        unit_row(ws, 4 + i as u32, i as u32 + 1, r, sections.len(), formats)?;
    }
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 42)?;
    for col in 2..headers.len() as u16 {
        ws.set_column_width(col, 13)?;
    }
    wb.save_to_buffer()
}

/// One unit's line: the claim once submitted, the verified figures once final.
fn unit_row(
    ws: &mut Worksheet,
    row: u32,
    number: u32,
    r: &UnitResult,
    sections: usize,
    (cell, num): (&Format, &Format),
) -> Result<(), XlsxError> {
    let dec = |d: rust_decimal::Decimal| d.to_string().parse::<f64>().unwrap_or(0.0);
    ws.write_with_format(row, 0, number, cell)?;
    ws.write_with_format(row, 1, &r.name, cell)?;
    if r.status != SheetStatus::Draft {
        ws.write_with_format(row, 2, dec(r.claimed.total), num)?;
    } else {
        ws.write_with_format(row, 2, "", cell)?;
    }
    let mut col = 3u16;
    for s in 0..sections {
        match (&r.verified, r.status) {
            (Some(v), SheetStatus::Finalised) => {
                ws.write_with_format(row, col, dec(v.by_section[s]), num)?
            }
            _ => ws.write_with_format(row, col, "", cell)?,
        };
        col += 1;
    }
    match (&r.verified, r.status) {
        (Some(v), SheetStatus::Finalised) => {
            ws.write_with_format(row, col, dec(v.total), num)?;
            ws.write_with_format(row, col + 1, dec(v.percent), num)?;
        }
        _ => {
            ws.write_with_format(row, col, "", cell)?;
            ws.write_with_format(row, col + 1, "", cell)?;
        }
    }
    // The rank is a number, so the sheet sorts and computes on it; a tie is said beside it.
    match &r.rank {
        Some(k) => ws.write_with_format(row, col + 2, k.rank as u32, cell)?,
        None => ws.write_with_format(row, col + 2, "", cell)?,
    };
    ws.write_with_format(row, col + 3, r.rating.clone().unwrap_or_default(), cell)?;
    ws.write_with_format(row, col + 4, r.status.label(), cell)?;
    let tied = r.rank.as_ref().is_some_and(|k| k.tied);
    let note = if tied { "Đồng hạng" } else { "" };
    ws.write_with_format(row, col + 5, note, cell)?;
    Ok(())
}
