//! The council's list of the year's leading units and of those it chose for the Government
//! flag, naming the cluster each leads (Công văn 5007/BNV-TĐKT asks the council's record to show
//! it). One `Document`, rendered as the print view and as the .docx.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::store::LeadRow;
use crate::proposals::documents::score_vn;
use crate::web::document::{Block, Cell, Document, Signature};
use crate::web::print::{DocHeader, caps};
use crate::web::vn::percent as percent_vn;

impl LeadRow {
    pub fn score_text(&self) -> String {
        self.score.map(score_vn).unwrap_or_default()
    }

    pub fn percent_text(&self) -> String {
        percent_vn(self.percent)
    }
}

pub struct Selection {
    pub council: String,
    pub place: String,
    pub year: i32,
    pub share: Decimal,
    pub limit: u32,
    /// One leading unit per cluster, clusters by name.
    pub leaders: Vec<LeadRow>,
    /// Clusters whose vote left two units equal at the top.
    pub tied: Vec<String>,
    pub date: NaiveDate,
}

impl Selection {
    pub fn share_text(&self) -> String {
        crate::web::forms::decimal_vn(self.share)
    }

    pub fn chosen(&self) -> impl Iterator<Item = &LeadRow> {
        self.leaders.iter().filter(|l| l.selected)
    }

    pub fn document(&self) -> Document {
        let y = self.year;
        let share = crate::web::forms::decimal_vn(self.share);
        let mut blocks = vec![Block::Paragraph(format!(
            "Căn cứ Công văn số 5007/BNV-TĐKT ngày 05/9/2023 của Bộ Nội vụ: số lượng đề nghị tặng \
             Cờ thi đua của Chính phủ không quá 20% tổng số tập thể được bình xét dẫn đầu các cụm, \
             khối thi đua. Tỷ lệ Hội đồng áp dụng năm {y}: {share}%."
        ))];
        blocks.push(Block::Heading(format!(
            "I. CÁC ĐƠN VỊ ĐƯỢC BÌNH XÉT DẪN ĐẦU CÁC CỤM, KHỐI THI ĐUA NĂM {y}"
        )));
        let rows = self
            .leaders
            .iter()
            .enumerate()
            .map(|(i, l)| {
                vec![
                    Cell::center((i + 1).to_string()),
                    Cell::left(&l.unit_name),
                    Cell::left(format!("Dẫn đầu {}", l.cluster_name)),
                    Cell::right(l.score.map(score_vn).unwrap_or_default()),
                    Cell::center(l.rank.map(|r| r.to_string()).unwrap_or_default()),
                    Cell::right(format!(
                        "{} ({}/{})",
                        percent_vn(l.percent),
                        l.votes_for,
                        l.members
                    )),
                    Cell::center(if l.selected { "Đề nghị" } else { "" }),
                ]
            })
            .collect();
        blocks.push(Block::Table {
            widths: vec![6, 27, 24, 10, 9, 13, 11],
            head: [
                "STT",
                "Tên tập thể",
                "Cụm, khối dẫn đầu",
                "Điểm thẩm định",
                "Xếp hạng",
                "Tỷ lệ phiếu đồng ý",
                "Cờ thi đua của Chính phủ",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            rows,
        });
        if !self.tied.is_empty() {
            blocks.push(Block::Note(format!(
                "Chưa xác định được đơn vị dẫn đầu (bằng phiếu và xếp hạng): {}.",
                self.tied.join("; ")
            )));
        }
        blocks.push(Block::Paragraph(format!(
            "Tổng số tập thể được bình xét dẫn đầu các cụm, khối thi đua: {}; số đề nghị tặng Cờ \
             thi đua của Chính phủ tối đa: {} ({share}%, làm tròn xuống).",
            self.leaders.len(),
            self.limit
        )));
        blocks.push(Block::Heading(format!(
            "II. ĐƠN VỊ ĐƯỢC HỘI ĐỒNG LỰA CHỌN ĐỀ NGHỊ TẶNG CỜ THI ĐUA CỦA CHÍNH PHỦ NĂM {y}"
        )));
        let chosen: Vec<String> = self
            .chosen()
            .enumerate()
            .map(|(i, l)| {
                format!(
                    "{}. {}, đơn vị được bình xét dẫn đầu {} (tỷ lệ phiếu đồng ý {}).",
                    i + 1,
                    l.unit_name,
                    l.cluster_name,
                    percent_vn(l.percent)
                )
            })
            .collect();
        blocks.push(Block::Paragraph(if chosen.is_empty() {
            "(Hội đồng chưa lựa chọn đơn vị nào.)".into()
        } else {
            chosen.join("\n")
        }));
        Document {
            h: DocHeader {
                superior: String::new(),
                issuer: caps(&self.council),
                number: String::new(),
                place_date: DocHeader::place_date(&self.place, self.date),
                doc_type: "DANH SÁCH".into(),
                subject: format!(
                    "Đơn vị dẫn đầu các cụm, khối thi đua và đơn vị được lựa chọn đề nghị tặng Cờ \
                     thi đua của Chính phủ năm {y}"
                ),
                title: format!("Đề nghị Cờ thi đua của Chính phủ năm {y}"),
                back: format!("/council/government-flag?year={y}"),
                orientation: "portrait",
            },
            blocks,
            recipients: Vec::new(),
            signatures: vec![Signature::for_body(
                &self.council,
                "Chủ tịch",
                "(Ký, ghi rõ họ tên, đóng dấu)",
                "",
            )],
        }
    }
}
