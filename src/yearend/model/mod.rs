//! The year-end report as a printed document, built from the year's figures and what the leader
//! wrote. Pure: every figure comes in, the `Document` goes out.

use chrono::NaiveDate;

use super::store::{Nominee, Written};
use crate::org::store::{ClusterYear, MemberRow};
use crate::scoring::model::{SheetStatus, fmt};
use crate::scoring::results::UnitResult;
use crate::web::document::{Block, Cell, Document, Signature, superior_line};
use crate::web::print::{DocHeader, caps};

/// The pledge as the report tells it.
pub struct PledgeFacts {
    pub items: usize,
    pub signed: usize,
    /// The day it was locked (every member signed), or opened for signing.
    pub on: Option<NaiveDate>,
}

pub struct Facts<'a> {
    /// The council, named among the recipients.
    pub body: &'a str,
    pub y: &'a ClusterYear,
    pub members: &'a [MemberRow],
    pub pledge: Option<PledgeFacts>,
    pub registered: &'a [(String, i64)],
    /// Every member's result, when the year has a criteria table.
    pub results: Option<&'a [UnitResult]>,
    pub nominees: &'a [Nominee],
    /// Next year's leader and deputy, once elected.
    pub next: Option<(Option<String>, Option<String>)>,
    pub written: &'a Written,
    pub place: &'a str,
    pub dated: NaiveDate,
}

/// A line of dots where the leader has not written yet: the printed page keeps room for a pen.
const BLANK: &str = "…………………………………………………………………………………………………………";

fn written_or_blank(text: &str) -> Block {
    if text.trim().is_empty() {
        Block::Paragraph(BLANK.into())
    } else {
        Block::Paragraph(text.to_string())
    }
}

fn situation(f: &Facts) -> Vec<Block> {
    let (cluster, year) = (&f.y.cluster_name, f.y.year);
    let names: Vec<&str> = f.members.iter().map(|m| m.name.as_str()).collect();
    let mut roles = String::new();
    if let Some(l) = &f.y.leader_name {
        roles.push_str(&format!(" {l} là cụm trưởng"));
        if let Some(d) = &f.y.deputy_name {
            roles.push_str(&format!(", {d} là cụm phó"));
        }
        roles.push('.');
    }
    let mut out = vec![Block::Paragraph(format!(
        "Năm {year}, {cluster} gồm {} đơn vị: {}.{roles}",
        f.members.len(),
        names.join(", ")
    ))];
    if !f.written.situation.trim().is_empty() {
        out.push(Block::Paragraph(f.written.situation.clone()));
    }
    out
}

fn organisation(f: &Facts) -> Vec<Block> {
    let year = f.y.year;
    let pledge = match &f.pledge {
        Some(p) if p.signed > 0 => format!(
            "Các đơn vị thành viên đã ký kết giao ước thi đua năm {year} gồm {} nội dung; {}/{} \
             đơn vị đã ký{}.",
            p.items,
            p.signed,
            f.members.len(),
            p.on.map(|d| format!(" (ngày {})", d.format("%d/%m/%Y")))
                .unwrap_or_default()
        ),
        _ => format!("Cụm chưa ký kết giao ước thi đua năm {year}."),
    };
    let registered = if f.registered.is_empty() {
        "Chưa có đơn vị nào nộp đăng ký thi đua.".to_string()
    } else {
        let parts: Vec<String> = f
            .registered
            .iter()
            .map(|(title, n)| format!("{n} đơn vị đăng ký danh hiệu “{title}”"))
            .collect();
        format!("Về đăng ký thi đua: {}.", parts.join("; "))
    };
    vec![Block::Paragraph(pledge), Block::Paragraph(registered)]
}

fn scores(f: &Facts) -> Vec<Block> {
    let Some(results) = f.results else {
        return vec![Block::Paragraph(
            "Năm thi đua chưa có bảng tiêu chí chấm điểm.".into(),
        )];
    };
    let mut done: Vec<&UnitResult> = results
        .iter()
        .filter(|r| r.status == SheetStatus::Finalised && r.verified.is_some())
        .collect();
    if done.is_empty() {
        return vec![Block::Paragraph(
            "Chưa có bảng điểm nào được thẩm định xong.".into(),
        )];
    }
    done.sort_by_key(|r| r.rank.as_ref().map(|k| k.rank).unwrap_or(usize::MAX));
    let rows = done
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let v = r.verified.as_ref().expect("filtered");
            vec![
                Cell::center((i + 1).to_string()),
                Cell::left(r.name.clone()),
                Cell::right(fmt(r.claimed.total)),
                Cell::right(fmt(v.total)),
                Cell::right(format!("{}%", fmt(v.percent))),
                Cell::center(
                    r.rank
                        .as_ref()
                        .map(|k| k.rank.to_string())
                        .unwrap_or_default(),
                ),
                Cell::left(r.rating.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let over = done
        .iter()
        .any(|r| r.verified.as_ref().is_some_and(|v| v.percent > 100.into()));
    let mut out = vec![
        Block::Paragraph(format!(
            "Cụm trưởng đã thẩm định bảng tự chấm điểm của {}/{} đơn vị; kết quả xếp hạng theo \
             tỷ lệ điểm thẩm định như sau:",
            done.len(),
            results.len()
        )),
        Block::Table {
            widths: vec![7, 33, 12, 12, 10, 10, 16],
            head: [
                "STT",
                "Đơn vị",
                "Điểm tự chấm",
                "Điểm thẩm định",
                "Tỷ lệ",
                "Xếp hạng",
                "Xếp loại",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        },
    ];
    if over {
        out.push(Block::Note(crate::web::document::BONUS_NOTE.into()));
    }
    out
}

fn vote(f: &Facts) -> Vec<Block> {
    if f.nominees.is_empty() {
        return vec![Block::Paragraph(
            "Hội nghị chưa bình xét, suy tôn đề nghị khen thưởng.".into(),
        )];
    }
    let rows = f
        .nominees
        .iter()
        .enumerate()
        .map(|(i, n)| {
            vec![
                Cell::center((i + 1).to_string()),
                Cell::left(n.unit.clone()),
                Cell::left(n.award.clone()),
                Cell::right(format!("{}%", fmt(n.percent))),
            ]
        })
        .collect();
    vec![
        Block::Paragraph(
            "Hội nghị đã bỏ phiếu kín bình xét, suy tôn và thống nhất đề nghị Hội đồng Thi đua - \
             Khen thưởng xét tặng:"
                .into(),
        ),
        Block::Table {
            widths: vec![8, 42, 34, 16],
            head: [
                "STT",
                "Đơn vị",
                "Danh hiệu, hình thức đề nghị",
                "Tỷ lệ phiếu đồng ý",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        },
    ]
}

fn direction(f: &Facts) -> Vec<Block> {
    let mut out = Vec::new();
    if let Some((Some(l), d)) = &f.next {
        let deputy = d
            .as_ref()
            .map(|d| format!(" và {d} làm cụm phó"))
            .unwrap_or_default();
        out.push(Block::Paragraph(format!(
            "Hội nghị đã bầu {l} làm cụm trưởng{deputy} {} năm {}.",
            f.y.cluster_name,
            f.y.year + 1
        )));
    }
    out.push(written_or_blank(&f.written.direction));
    out
}

pub fn report(f: &Facts) -> Document {
    let (cluster, year) = (&f.y.cluster_name, f.y.year);
    let mut blocks = vec![Block::Heading("I. ĐẶC ĐIỂM TÌNH HÌNH".into())];
    blocks.extend(situation(f));
    blocks.push(Block::Heading(format!(
        "II. KẾT QUẢ CÔNG TÁC THI ĐUA, KHEN THƯỞNG NĂM {year}"
    )));
    blocks.push(Block::Heading(
        "1. Công tác tổ chức phong trào thi đua".into(),
    ));
    blocks.extend(organisation(f));
    blocks.push(Block::Heading("2. Kết quả chấm điểm, xếp hạng".into()));
    blocks.extend(scores(f));
    blocks.push(Block::Heading("3. Ưu điểm".into()));
    blocks.push(written_or_blank(&f.written.strengths));
    blocks.push(Block::Heading("4. Hạn chế, tồn tại và nguyên nhân".into()));
    blocks.push(written_or_blank(&f.written.shortcomings));
    blocks.push(Block::Heading("5. Kết quả bình xét, suy tôn".into()));
    blocks.extend(vote(f));
    blocks.push(Block::Heading(format!(
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {}",
        year + 1
    )));
    blocks.extend(direction(f));
    let leader =
        f.y.leader_unit_id
            .and_then(|id| f.members.iter().find(|m| m.unit_id == id));
    Document {
        h: DocHeader {
            superior: superior_line(&f.y.cluster_superior),
            issuer: caps(cluster),
            number: f.written.number.clone(),
            place_date: DocHeader::place_date(f.place, f.dated),
            doc_type: "BÁO CÁO".into(),
            subject: format!(
                "Tổng kết công tác thi đua, khen thưởng năm {year} và phương hướng, nhiệm vụ \
                 năm {}",
                year + 1
            ),
            title: format!("Báo cáo tổng kết công tác thi đua năm {year} — {cluster}"),
            back: format!("/years/{}/year-end", f.y.id),
            orientation: "portrait",
        },
        blocks,
        recipients: vec![
            format!("- Hội đồng Thi đua - Khen thưởng {};", f.body_short()),
            format!("- Các đơn vị thành viên {cluster};"),
            "- Lưu: VT.".into(),
        ],
        // The leader unit's head signs for the cluster, a collective body.
        signatures: vec![Signature::for_body(
            cluster,
            leader.map(|m| m.head_title.as_str()).unwrap_or_default(),
            "(Ký, ghi rõ họ tên, đóng dấu)",
            leader.map(|m| m.head_name.as_str()).unwrap_or_default(),
        )],
    }
}

impl Facts<'_> {
    /// The council's name without its own "Hội đồng Thi đua - Khen thưởng" prefix.
    fn body_short(&self) -> &str {
        self.body
            .strip_prefix("Hội đồng Thi đua - Khen thưởng ")
            .unwrap_or(self.body)
    }
}

#[cfg(test)]
mod tests;
