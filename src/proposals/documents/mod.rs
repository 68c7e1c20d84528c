//! The dossier's documents, built from what the system knows: the tờ trình, the biên bản, the
//! danh sách and each nominee's báo cáo thành tích. Pure functions from loaded data to a
//! `Document`, which the print view and the .docx both render. Figures come from the vote and
//! the scores in system blocks; people's words come from the template and their edits.

mod list;
mod minutes;
mod report;
#[cfg(test)]
mod tests;

pub use report::{ReportData, ScoreLine};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::model::{Values, date_in_words, fill, percent_vn};
use super::store::{Nominee, Withdrawn};
use super::templates::Section;
use crate::web::document::{Block, Cell, Document, Signature, superior_line};
use crate::web::print::{DocHeader, caps};

/// One candidate's line of the vote, as the minutes print it.
pub struct VoteLine {
    pub unit_name: String,
    pub award: String,
    pub votes_for: u32,
    pub votes_against: u32,
    pub percent: Decimal,
    pub outcome: String,
    /// The percentage's denominator: the members, or the ballots when counted on those present.
    pub denominator: u32,
    pub of_all_members: bool,
}

impl VoteLine {
    /// "11 đơn vị thành viên" or "10 phiếu hợp lệ": what the line's percentage is of.
    pub fn denominator_text(&self) -> String {
        if self.of_all_members {
            format!("{} đơn vị thành viên", self.denominator)
        } else {
            format!("{} phiếu hợp lệ", self.denominator)
        }
    }
}

pub struct Election {
    pub leader: Option<String>,
    pub deputy: Option<String>,
    pub lines: Vec<VoteLine>,
    pub ballots: u32,
}

/// Everything the three cluster documents say, loaded once.
pub struct Dossier {
    pub id: i64,
    /// The laws the documents cite: those in force on the dossier's date.
    pub citation: String,
    pub tenant_name: String,
    /// The cluster's managing agency, above its name in the header.
    pub superior: String,
    pub place: String,
    pub cluster: String,
    pub year: i32,
    pub leader_unit: String,
    pub leader_head_title: String,
    pub leader_head_name: String,
    pub number: String,
    pub letter_date: Option<NaiveDate>,
    pub meeting_date: Option<NaiveDate>,
    pub meeting_time: String,
    pub meeting_place: String,
    pub chair: String,
    pub secretary: String,
    pub cover_text: Map<String, Value>,
    pub minutes_text: Map<String, Value>,
    pub nominees: Vec<Nominee>,
    /// Nominees withdrawn after the meeting: left out of the letter and the list, recorded
    /// under the minutes' results (which stay as voted).
    pub withdrawn: Vec<Withdrawn>,
    pub members: Vec<String>,
    /// Units that voted online, and those recorded as voting in writing (online mode only).
    pub voted_online: Vec<String>,
    pub voted_written: Vec<String>,
    pub paper: bool,
    pub counting_committee: String,
    /// Online: the counting committee's members (the vote's key holders), with their units.
    pub committee: Vec<String>,
    /// The unit the vote elected to lead the cluster (Công văn 5007/BNV-TĐKT), and the award
    /// that made it so.
    pub leading_unit: Option<(String, String)>,
    /// The valid ballots counted.
    pub ballots: u32,
    /// The ballots received and the invalid ones among them (online: as many as counted, none).
    pub received: u32,
    pub invalid: u32,
    pub lines: Vec<VoteLine>,
    /// The results of earlier rounds when ties were voted on again, oldest first.
    pub earlier_rounds: Vec<Vec<VoteLine>>,
    pub election: Option<Election>,
    pub cover: Vec<Section>,
    pub minutes: Vec<Section>,
    pub list: Vec<Section>,
}

const BLANK: &str = "……………";

fn or_blank(s: &str) -> String {
    if s.trim().is_empty() {
        BLANK.to_string()
    } else {
        s.trim().to_string()
    }
}

impl Dossier {
    pub fn values(&self) -> Values {
        let mut v = Values::new();
        v.insert("nam", self.year.to_string());
        v.insert("nam_sau", (self.year + 1).to_string());
        v.insert("cum", self.cluster.clone());
        v.insert("don_vi_to_chuc", self.tenant_name.clone());
        v.insert("cum_truong", or_blank(&self.leader_unit));
        v.insert(
            "ngay_hop",
            self.meeting_date
                .map(date_in_words)
                .unwrap_or_else(|| format!("ngày {BLANK}")),
        );
        v.insert("gio_hop", or_blank(&self.meeting_time));
        v.insert("dia_diem", or_blank(&self.meeting_place));
        v.insert("chu_tri", or_blank(&self.chair));
        v.insert("thu_ky", or_blank(&self.secretary));
        v.insert("so_thanh_vien", self.members.len().to_string());
        v.insert("so_phieu", self.ballots.to_string());
        v.insert("can_cu_phap_ly", or_blank(&self.citation));
        v
    }

    fn header(
        &self,
        doc: &str,
        sections: &[Section],
        number: &str,
        date: Option<NaiveDate>,
    ) -> DocHeader {
        let v = self.values();
        let line = |key: &str| {
            sections
                .iter()
                .find(|s| s.key == key)
                .map(|s| fill(&s.text, &v))
                .unwrap_or_default()
        };
        DocHeader {
            superior: superior_line(&self.superior),
            issuer: caps(&self.cluster),
            number: number.to_string(),
            place_date: match date {
                Some(d) => DocHeader::place_date(&self.place, d),
                None => format!(
                    "{}, ngày …… tháng …… năm {}",
                    or_blank(&self.place),
                    self.year
                ),
            },
            doc_type: line("doc_type"),
            subject: line("subject"),
            title: format!("{} — {} năm {}", doc, self.cluster, self.year),
            back: format!("/proposals/{}", self.id),
            orientation: "portrait",
        }
    }

    /// The leader unit's head signs for the cluster, a collective body: "TM." and its name.
    fn leader_signature(&self) -> Signature {
        Signature::for_body(
            &self.cluster,
            &self.leader_head_title,
            "(Ký, ghi rõ họ tên, đóng dấu)",
            &self.leader_head_name,
        )
    }

    fn nominee_lines(&self) -> String {
        let mut out = Vec::new();
        let mut award = String::new();
        let mut i = 0;
        for n in &self.nominees {
            if n.award_name != award {
                i += 1;
                award = n.award_name.clone();
                out.push(format!("{i}. Đề nghị tặng {award}:"));
            }
            out.push(format!(
                "- {} (đạt {} số phiếu đồng ý: {}/{} đơn vị thành viên).",
                n.unit_name,
                percent_vn(n.percent),
                n.votes_for,
                n.members
            ));
        }
        if out.is_empty() {
            out.push("(Không có tập thể nào đạt tỷ lệ phiếu đồng ý theo quy định.)".into());
        }
        out.join("\n")
    }

    /// Tờ trình đề nghị khen thưởng.
    pub fn cover_letter(&self) -> Document {
        let v = self.values();
        let mut blocks = Vec::new();
        for s in self.cover.iter().filter(|s| !s.is_title()) {
            if !s.heading.is_empty() {
                blocks.push(Block::Heading(fill(&s.heading, &v)));
            }
            if s.is_system() {
                blocks.push(Block::Paragraph(self.nominee_lines()));
            } else {
                let text = fill(&text_of(&self.cover_text, s), &v);
                blocks.push(if s.key == "to" {
                    Block::Centered(text)
                } else {
                    Block::Paragraph(text)
                });
            }
        }
        Document {
            h: self.header("Tờ trình", &self.cover, &self.number, self.letter_date),
            blocks,
            recipients: vec![
                "- Như trên;".into(),
                format!("- Các đơn vị thành viên {};", self.cluster),
                "- Lưu: VT.".into(),
            ],
            signatures: vec![self.leader_signature()],
        }
    }
}

/// The text of a user section: the person's words if saved, else the template's.
pub fn text_of(saved: &Map<String, Value>, s: &Section) -> String {
    saved
        .get(&s.key)
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| s.text.clone())
}

/// 96,5 — a score with a decimal comma and no trailing zeros.
pub fn score_vn(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string().replace('.', ",")
}
