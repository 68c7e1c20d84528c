//! A nominee's achievement report (báo cáo thành tích): its sections as the unit wrote them,
//! the year's scores and the table of its past awards.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::super::model::{Values, fill, percent_vn};
use super::super::templates::Section;
use super::{or_blank, score_vn, text_of};
use crate::awards::model::UnitAward;
use crate::web::document::{BONUS_NOTE, Block, Cell, Document, Signature, superior_line};
use crate::web::print::{DocHeader, caps};

/// A nominee unit's year in figures, for its report.
pub struct ScoreLine {
    pub claimed: Decimal,
    pub verified: Option<Decimal>,
    pub percent: Option<Decimal>,
    pub rank: Option<usize>,
    pub of: usize,
    pub rating: String,
}

/// Everything one achievement report says.
pub struct ReportData {
    pub proposal_id: i64,
    /// The laws in force on the dossier's date.
    pub citation: String,
    pub tenant_name: String,
    /// The unit's managing agency, above its name in the header.
    pub superior: String,
    pub place: String,
    pub date: Option<NaiveDate>,
    pub cluster: String,
    pub year: i32,
    pub unit_id: i64,
    pub unit_name: String,
    pub head_title: String,
    pub head_name: String,
    /// The award this report asks for: its own, as the tenant names it.
    pub award_type_id: i64,
    pub award: String,
    /// Every award the unit is nominated for in the dossier, each with its own report.
    pub awards: Vec<(i64, String)>,
    pub saved: Map<String, Value>,
    pub sections: Vec<Section>,
    pub score: Option<ScoreLine>,
    pub past: Vec<UnitAward>,
}

impl ReportData {
    pub fn values(&self) -> Values {
        let mut v = Values::new();
        v.insert("nam", self.year.to_string());
        v.insert("nam_sau", (self.year + 1).to_string());
        v.insert("cum", self.cluster.clone());
        v.insert("don_vi_to_chuc", self.tenant_name.clone());
        v.insert("don_vi", self.unit_name.clone());
        v.insert("danh_hieu", self.award.clone());
        v.insert("can_cu_phap_ly", or_blank(&self.citation));
        v
    }

    /// Báo cáo thành tích đề nghị khen thưởng (tập thể).
    pub fn document(&self) -> Document {
        let v = self.values();
        let mut blocks = Vec::new();
        for s in self.sections.iter().filter(|s| !s.is_title()) {
            if !s.heading.is_empty() {
                blocks.push(Block::Heading(fill(&s.heading, &v)));
            }
            match (s.is_system(), s.key.as_str()) {
                (true, "scores") => {
                    blocks.push(self.scores_table());
                    let hundred = Decimal::from(100);
                    if self.score.as_ref().and_then(|s| s.percent) > Some(hundred) {
                        blocks.push(Block::Note(BONUS_NOTE.into()));
                    }
                }
                (true, "past_awards") => blocks.extend(self.past_tables()),
                (true, _) => {}
                (false, _) => blocks.push(Block::Paragraph(fill(&text_of(&self.saved, s), &v))),
            }
        }
        let line = |key: &str| {
            self.sections
                .iter()
                .find(|s| s.key == key)
                .map(|s| fill(&s.text, &v))
                .unwrap_or_default()
        };
        Document {
            h: DocHeader {
                superior: superior_line(&self.superior),
                issuer: caps(&self.unit_name),
                number: String::new(),
                place_date: match self.date {
                    Some(d) => DocHeader::place_date(&self.place, d),
                    None => format!(
                        "{}, ngày …… tháng …… năm {}",
                        or_blank(&self.place),
                        self.year + 1
                    ),
                },
                doc_type: line("doc_type"),
                subject: line("subject"),
                title: format!("Báo cáo thành tích — {} năm {}", self.unit_name, self.year),
                back: format!(
                    "/proposals/{}/reports/{}?award={}",
                    self.proposal_id, self.unit_id, self.award_type_id
                ),
                orientation: "portrait",
            },
            blocks,
            recipients: Vec::new(),
            signatures: vec![
                Signature {
                    titles: vec!["XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG".into()],
                    note: "(Ký, ghi rõ họ tên, đóng dấu)".into(),
                    name: String::new(),
                },
                // The form's "THỦ TRƯỞNG ĐƠN VỊ": the head signs in their own title.
                Signature::own(
                    &self.head_title,
                    "(Ký, ghi rõ họ tên, đóng dấu)",
                    &self.head_name,
                ),
            ],
        }
    }

    fn scores_table(&self) -> Block {
        let head = [
            "Năm",
            "Điểm tự chấm",
            "Điểm thẩm định",
            "Tỷ lệ",
            "Xếp hạng",
            "Xếp loại",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let rows = match &self.score {
            Some(s) => vec![vec![
                Cell::center(self.year.to_string()),
                Cell::right(score_vn(s.claimed)),
                Cell::right(s.verified.map(score_vn).unwrap_or_default()),
                Cell::right(s.percent.map(percent_vn).unwrap_or_default()),
                Cell::center(s.rank.map(|r| format!("{r}/{}", s.of)).unwrap_or_default()),
                Cell::left(&s.rating),
            ]],
            None => vec![vec![
                Cell::center(self.year.to_string()),
                Cell::left("Chưa có kết quả chấm điểm"),
                Cell::left(""),
                Cell::left(""),
                Cell::left(""),
                Cell::left(""),
            ]],
        };
        Block::Table {
            widths: vec![10, 18, 18, 14, 14, 26],
            head,
            rows,
        }
    }

    /// Part III as two tables, past emulation titles and past commendations, each with the
    /// decision's number, date and issuer. (The two tables are the practice of dossiers; the
    /// form's own text could not be checked, so nothing here claims it.)
    fn past_tables(&self) -> Vec<Block> {
        let (titles, commendations): (Vec<&UnitAward>, Vec<&UnitAward>) = self
            .past
            .iter()
            .partition(|a| is_emulation_title(&a.award_name));
        vec![
            Block::Heading("1. Danh hiệu thi đua".into()),
            past_table(
                "Danh hiệu thi đua",
                &titles,
                "Chưa có danh hiệu thi đua được ghi nhận",
            ),
            Block::Heading("2. Hình thức khen thưởng".into()),
            past_table(
                "Hình thức khen thưởng",
                &commendations,
                "Chưa có hình thức khen thưởng được ghi nhận",
            ),
        ]
    }
}

/// An emulation title (danh hiệu thi đua) rather than a form of commendation (hình thức khen
/// thưởng: orders, medals, certificates of merit, Giấy khen): flags, the collective and
/// individual labour titles and the emulation soldiers.
pub fn is_emulation_title(name: &str) -> bool {
    let n = name.trim().to_lowercase();
    [
        "cờ thi đua",
        "tập thể lao động",
        "lao động tiên tiến",
        "lao động xuất sắc",
        "chiến sĩ thi đua",
        "chiến sĩ tiên tiến",
        "đơn vị quyết thắng",
        "đơn vị tiên tiến",
    ]
    .iter()
    .any(|p| n.starts_with(p))
}

fn past_table(what: &str, awards: &[&UnitAward], none: &str) -> Block {
    let rows = if awards.is_empty() {
        vec![vec![
            Cell::center(""),
            Cell::left(none),
            Cell::left(""),
            Cell::left(""),
            Cell::left(""),
        ]]
    } else {
        awards
            .iter()
            .map(|a| {
                vec![
                    Cell::center(a.year.to_string()),
                    Cell::left(&a.award_name),
                    Cell::left(a.decision_number.trim()),
                    Cell::center(
                        a.decision_date
                            .map(|d| d.format("%d/%m/%Y").to_string())
                            .unwrap_or_default(),
                    ),
                    Cell::left(a.issuer.trim()),
                ]
            })
            .collect()
    };
    Block::Table {
        widths: vec![8, 38, 22, 15, 17],
        head: vec![
            "Năm".into(),
            what.into(),
            "Số quyết định".into(),
            "Ngày".into(),
            "Cơ quan ban hành".into(),
        ],
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::templates::defaults;
    use super::*;

    #[test]
    fn the_report_quotes_past_awards_and_the_years_scores() {
        let r = ReportData {
            proposal_id: 9,
            citation: String::new(),
            tenant_name: "Ủy ban nhân dân tỉnh Lạng Sơn".into(),
            superior: "Tòa án nhân dân tối cao".into(),
            place: "Lạng Sơn".into(),
            date: NaiveDate::from_ymd_opt(2023, 12, 18),
            cluster: "Cụm thi đua các cơ quan Nội chính tỉnh".into(),
            year: 2023,
            unit_id: 3,
            unit_name: "Tòa án nhân dân tỉnh Lạng Sơn".into(),
            head_title: "Chánh án".into(),
            head_name: "Nguyễn Văn An".into(),
            award_type_id: 5,
            award: "Cờ thi đua của Tòa án nhân dân".into(),
            awards: vec![(5, "Cờ thi đua của Tòa án nhân dân".into())],
            saved: Map::new(),
            sections: defaults()[2].sections.clone(),
            score: Some(ScoreLine {
                claimed: Decimal::new(985, 1),
                verified: Some(Decimal::new(97, 0)),
                percent: Some(Decimal::new(97, 0)),
                rank: Some(1),
                of: 7,
                rating: "Xuất sắc".into(),
            }),
            past: vec![
                UnitAward {
                    id: 2,
                    unit_id: 3,
                    year: 2021,
                    award_name: "Tập thể lao động xuất sắc".into(),
                    award_type_id: None,
                    decision_number: "45/QĐ-TANDTC".into(),
                    decision_date: NaiveDate::from_ymd_opt(2022, 1, 20),
                    issuer: "Chánh án Tòa án nhân dân tối cao".into(),
                    decision_id: None,
                },
                UnitAward {
                    id: 1,
                    unit_id: 3,
                    year: 2022,
                    award_name: "Bằng khen của Chủ tịch UBND tỉnh".into(),
                    award_type_id: None,
                    decision_number: "123/QĐ-UBND".into(),
                    decision_date: NaiveDate::from_ymd_opt(2023, 1, 15),
                    issuer: "UBND tỉnh Lạng Sơn".into(),
                    decision_id: None,
                },
            ],
        };
        let t = r.document().plain_text();
        assert!(t.contains("BÁO CÁO THÀNH TÍCH"));
        assert!(t.contains("Đề nghị tặng Cờ thi đua của Tòa án nhân dân năm 2023"));
        assert!(t.contains("Tên tập thể đề nghị: Tòa án nhân dân tỉnh Lạng Sơn"));
        assert!(t.contains("2023 | 98,5 | 97 | 97% | 1/7 | Xuất sắc"));
        // Part III: past titles, then past commendations, each with number, date, issuer.
        let titles = t.find("1. Danh hiệu thi đua\nNăm | Danh hiệu thi đua | Số quyết định | Ngày | Cơ quan ban hành").unwrap();
        let merits = t.find("2. Hình thức khen thưởng\nNăm | Hình thức khen thưởng | Số quyết định | Ngày | Cơ quan ban hành").unwrap();
        let flag = t.find("2021 | Tập thể lao động xuất sắc | 45/QĐ-TANDTC | 20/01/2022 | Chánh án Tòa án nhân dân tối cao").unwrap();
        let merit = t.find("2022 | Bằng khen của Chủ tịch UBND tỉnh | 123/QĐ-UBND | 15/01/2023 | UBND tỉnh Lạng Sơn").unwrap();
        assert!(titles < flag && flag < merits && merits < merit, "{t}");
        assert!(t.contains("CHÁNH ÁN") && t.contains("XÁC NHẬN CỦA CẤP TRÌNH KHEN THƯỞNG"));
        // The unit's own managing agency heads it; the head signs in their own title, no "TM.".
        assert!(t.starts_with("TÒA ÁN NHÂN DÂN TỐI CAO\nTÒA ÁN NHÂN DÂN TỈNH LẠNG SƠN"));
        assert!(!t.contains("TM."));
        // 97%: no word on bonus points; 101,5%: said to include them.
        assert!(!t.contains(BONUS_NOTE));
        let mut r = r;
        if let Some(s) = r.score.as_mut() {
            s.percent = Some(Decimal::new(1015, 1));
        }
        assert!(r.document().plain_text().contains(BONUS_NOTE));
    }
}
