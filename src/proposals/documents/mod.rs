//! The dossier's documents, built from what the system knows: the tờ trình, the biên bản, the
//! danh sách and each nominee's báo cáo thành tích. Pure functions from loaded data to a
//! `Document`, which the print view and the .docx both render. Figures come from the vote and
//! the scores in system blocks; people's words come from the template and their edits.

mod report;

pub use report::{ReportData, ScoreLine};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::model::{Values, date_in_words, fill, percent_vn};
use super::store::Nominee;
use super::templates::Section;
use crate::web::document::{Block, Cell, Document, Signature};
use crate::web::print::{DocHeader, caps};

/// One candidate's line of the vote, as the minutes print it.
pub struct VoteLine {
    pub unit_name: String,
    pub award: String,
    pub votes_for: u32,
    pub votes_against: u32,
    pub percent: Decimal,
    pub outcome: String,
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
    pub tenant_name: String,
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
    pub members: Vec<String>,
    /// Units that voted online, and those recorded as voting in writing (online mode only).
    pub voted_online: Vec<String>,
    pub voted_written: Vec<String>,
    pub paper: bool,
    pub counting_committee: String,
    pub ballots: u32,
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
            superior: caps(&self.tenant_name),
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

    fn leader_signature(&self) -> Signature {
        let title = if self.leader_head_title.trim().is_empty() {
            "THỦ TRƯỞNG ĐƠN VỊ".to_string()
        } else {
            caps(self.leader_head_title.trim())
        };
        Signature {
            titles: vec!["TM. ĐƠN VỊ CỤM TRƯỞNG".into(), title],
            note: "(Ký, ghi rõ họ tên, đóng dấu)".into(),
            name: self.leader_head_name.clone(),
        }
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

    fn attendance(&self) -> String {
        let mut out = vec![
            format!("- Chủ trì: {}", or_blank(&self.chair)),
            format!("- Thư ký: {}", or_blank(&self.secretary)),
            format!(
                "- Đơn vị thành viên: {} đơn vị: {}.",
                self.members.len(),
                self.members.join(", ")
            ),
        ];
        if self.paper {
            out.push(format!(
                "- Số phiếu thu về: {}/{}.",
                self.ballots,
                self.members.len()
            ));
        } else {
            out.push(format!(
                "- Tham gia bỏ phiếu: {}/{} đơn vị.",
                self.voted_online.len() + self.voted_written.len(),
                self.members.len()
            ));
            if !self.voted_written.is_empty() {
                out.push(format!(
                    "- Vắng mặt, có ý kiến bằng văn bản của thủ trưởng: {}.",
                    self.voted_written.join(", ")
                ));
            }
            let absent: Vec<&String> = self
                .members
                .iter()
                .filter(|m| !self.voted_online.contains(m) && !self.voted_written.contains(m))
                .collect();
            if !absent.is_empty() {
                out.push(format!(
                    "- Không tham gia bỏ phiếu: {}.",
                    absent
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        out.join("\n")
    }

    fn counting(&self) -> String {
        let how = if self.paper {
            format!(
                "Bỏ phiếu kín bằng phiếu giấy. Ban kiểm phiếu: {}.",
                or_blank(&self.counting_committee)
            )
        } else {
            "Bỏ phiếu kín trên hệ thống thidua: mỗi đơn vị thành viên một phiếu do thủ trưởng bỏ, \
             kèm mã biên nhận; danh sách phiếu (mã biên nhận và nội dung phiếu, theo thứ tự ngẫu \
             nhiên) được công khai sau khi kết thúc bỏ phiếu để các đơn vị kiểm tra."
                .to_string()
        };
        format!(
            "{how}\nSố phiếu phát ra: {}; số phiếu thu về: {}; số phiếu hợp lệ: {}.",
            self.members.len(),
            self.ballots,
            self.ballots
        )
    }

    fn results_table(lines: &[VoteLine], with_award: bool) -> Block {
        let mut head = vec!["STT".to_string(), "Đơn vị".to_string()];
        let mut widths = vec![6, 28];
        if with_award {
            head.push("Hình thức".into());
            widths.push(21);
        } else {
            widths[1] = 49;
        }
        head.extend(
            ["Đồng ý", "Không đồng ý", "Tỷ lệ đồng ý", "Kết quả"]
                .iter()
                .map(|s| s.to_string()),
        );
        widths.extend([9, 10, 10, 16]);
        let rows = lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut r = vec![Cell::center((i + 1).to_string()), Cell::left(&l.unit_name)];
                if with_award {
                    r.push(Cell::left(&l.award));
                }
                r.extend([
                    Cell::right(l.votes_for.to_string()),
                    Cell::right(l.votes_against.to_string()),
                    Cell::right(percent_vn(l.percent)),
                    Cell::center(&l.outcome),
                ]);
                r
            })
            .collect();
        Block::Table { widths, head, rows }
    }

    /// The election's candidates that received votes: for, share of the ballots, elected.
    fn election_table(lines: &[VoteLine]) -> Block {
        let rows = lines
            .iter()
            .filter(|l| l.votes_for > 0)
            .enumerate()
            .map(|(i, l)| {
                vec![
                    Cell::center((i + 1).to_string()),
                    Cell::left(&l.unit_name),
                    Cell::left(&l.award),
                    Cell::right(l.votes_for.to_string()),
                    Cell::right(percent_vn(l.percent)),
                    Cell::center(&l.outcome),
                ]
            })
            .collect();
        Block::Table {
            widths: vec![7, 39, 16, 12, 12, 14],
            head: ["STT", "Đơn vị", "Bầu làm", "Số phiếu", "Tỷ lệ", "Kết quả"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows,
        }
    }

    /// Biên bản họp bình xét thi đua.
    pub fn minutes(&self) -> Document {
        let v = self.values();
        let mut blocks = Vec::new();
        for s in self.minutes.iter().filter(|s| !s.is_title()) {
            if !s.heading.is_empty() {
                blocks.push(Block::Heading(fill(&s.heading, &v)));
            }
            match (s.is_system(), s.key.as_str()) {
                (true, "attendance") => blocks.push(Block::Paragraph(self.attendance())),
                (true, "counting") => blocks.push(Block::Paragraph(self.counting())),
                (true, "results") => {
                    let n = self.earlier_rounds.len();
                    for (i, lines) in self.earlier_rounds.iter().enumerate() {
                        blocks.push(Block::Paragraph(format!("Vòng {}:", i + 1)));
                        blocks.push(Self::results_table(lines, true));
                    }
                    if n > 0 {
                        blocks.push(Block::Paragraph(format!(
                            "Vòng {} (bình xét lại giữa các đơn vị bằng phiếu):",
                            n + 1
                        )));
                    }
                    blocks.push(Self::results_table(&self.lines, true));
                    blocks.push(Block::Note(format!(
                        "Tỷ lệ đồng ý tính trên mẫu số mà từng hình thức khen thưởng quy định (tổng \
                         số {} đơn vị thành viên, hoặc số đơn vị có mặt).",
                        self.members.len()
                    )));
                }
                (true, "election") => match &self.election {
                    Some(e) => {
                        blocks.push(Block::Paragraph(format!(
                            "Số phiếu thu về: {}.\nĐơn vị cụm trưởng năm {}: {}.\nĐơn vị cụm phó năm {}: {}.",
                            e.ballots,
                            self.year + 1,
                            e.leader.clone().unwrap_or_else(|| "chưa bầu được".into()),
                            self.year + 1,
                            e.deputy.clone().unwrap_or_else(|| "chưa bầu được".into()),
                        )));
                        blocks.push(Self::election_table(&e.lines));
                    }
                    None => blocks.push(Block::Paragraph(
                        "Cuộc họp không tiến hành bầu cụm trưởng, cụm phó.".into(),
                    )),
                },
                (true, _) => {}
                (false, _) => {
                    blocks.push(Block::Paragraph(fill(&text_of(&self.minutes_text, s), &v)))
                }
            }
        }
        Document {
            h: self.header("Biên bản", &self.minutes, "", self.meeting_date),
            blocks,
            recipients: Vec::new(),
            signatures: vec![
                Signature {
                    titles: vec!["THƯ KÝ".into()],
                    note: "(Ký, ghi rõ họ tên)".into(),
                    name: self.secretary.clone(),
                },
                Signature {
                    titles: vec!["CHỦ TRÌ".into()],
                    note: "(Ký, ghi rõ họ tên, đóng dấu)".into(),
                    name: self.chair.clone(),
                },
            ],
        }
    }

    /// Danh sách đề nghị khen thưởng.
    pub fn nominee_list(&self) -> Document {
        let v = self.values();
        let mut blocks = Vec::new();
        let attached = match self.letter_date {
            Some(d) => format!(
                "(Kèm theo Tờ trình số {} {})",
                or_blank(&self.number),
                date_in_words(d)
            ),
            None => format!("(Kèm theo Tờ trình số {})", or_blank(&self.number)),
        };
        blocks.push(Block::Centered(attached));
        for s in self.list.iter().filter(|s| !s.is_title()) {
            if !s.heading.is_empty() {
                blocks.push(Block::Heading(fill(&s.heading, &v)));
            }
            if s.is_system() {
                let rows = self
                    .nominees
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        vec![
                            Cell::center((i + 1).to_string()),
                            Cell::left(&n.unit_name),
                            Cell::left(&n.award_name),
                            Cell::right(n.score.map(score_vn).unwrap_or_default()),
                            Cell::center(n.rank.map(|r| r.to_string()).unwrap_or_default()),
                            Cell::right(format!(
                                "{} ({}/{})",
                                percent_vn(n.percent),
                                n.votes_for,
                                n.members
                            )),
                        ]
                    })
                    .collect();
                blocks.push(Block::Table {
                    widths: vec![6, 30, 24, 11, 9, 20],
                    head: [
                        "STT",
                        "Tên tập thể",
                        "Hình thức khen thưởng đề nghị",
                        "Điểm thẩm định",
                        "Xếp hạng",
                        "Tỷ lệ phiếu đồng ý",
                    ]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                    rows,
                });
            } else {
                blocks.push(Block::Paragraph(fill(&s.text, &v)));
            }
        }
        Document {
            h: self.header("Danh sách đề nghị", &self.list, "", self.letter_date),
            blocks,
            recipients: Vec::new(),
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

#[cfg(test)]
mod tests {
    use super::super::templates::defaults;
    use super::*;

    fn nominee(unit: &str, award: &str, votes: i32) -> Nominee {
        Nominee {
            award_type_id: 1,
            award_name: award.into(),
            unit_id: 1,
            unit_name: unit.into(),
            votes_for: votes,
            votes_against: 7 - votes,
            ballots: 7,
            members: 7,
            percent: crate::voting::model::percent(votes as u32, 7),
            score: Some(Decimal::new(9650, 2)),
            rank: Some(1),
        }
    }

    fn dossier() -> Dossier {
        let d = defaults();
        let members: Vec<String> = (1..=7).map(|i| format!("Đơn vị {i}")).collect();
        Dossier {
            id: 9,
            tenant_name: "Ủy ban nhân dân tỉnh Lạng Sơn".into(),
            place: "Lạng Sơn".into(),
            cluster: "Cụm thi đua các cơ quan Nội chính tỉnh".into(),
            year: 2023,
            leader_unit: "Tòa án nhân dân tỉnh Lạng Sơn".into(),
            leader_head_title: "Chánh án".into(),
            leader_head_name: "Nguyễn Văn An".into(),
            number: "05/TTr-CTĐ".into(),
            letter_date: NaiveDate::from_ymd_opt(2023, 12, 20),
            meeting_date: NaiveDate::from_ymd_opt(2023, 12, 15),
            meeting_time: "08 giờ 00".into(),
            meeting_place: "Hội trường Tòa án nhân dân tỉnh".into(),
            chair: "Nguyễn Văn An".into(),
            secretary: "Lê Thị Bình".into(),
            cover_text: Map::new(),
            minutes_text: Map::new(),
            nominees: vec![
                nominee("Đơn vị 1", "Cờ thi đua của Bộ, ban, ngành, tỉnh", 7),
                nominee("Đơn vị 2", "Bằng khen của Bộ, ban, ngành, tỉnh", 6),
            ],
            voted_online: members[..6].to_vec(),
            voted_written: vec![members[6].clone()],
            members,
            paper: false,
            counting_committee: String::new(),
            ballots: 7,
            lines: vec![VoteLine {
                unit_name: "Đơn vị 1".into(),
                award: "Cờ thi đua của Bộ, ban, ngành, tỉnh".into(),
                votes_for: 7,
                votes_against: 0,
                percent: Decimal::from(100),
                outcome: "Đạt".into(),
            }],
            earlier_rounds: Vec::new(),
            election: None,
            cover: d[0].sections.clone(),
            minutes: d[1].sections.clone(),
            list: d[3].sections.clone(),
        }
    }

    #[test]
    fn the_cover_letter_carries_the_vote_and_the_fields() {
        let t = dossier().cover_letter().plain_text();
        assert!(t.contains("TỜ TRÌNH"));
        assert!(t.contains("Về việc đề nghị khen thưởng năm 2023"));
        assert!(t.contains("Lạng Sơn, ngày 20 tháng 12 năm 2023"));
        assert!(t.contains("Số: 05/TTr-CTĐ"));
        assert!(t.contains("với 7/7 đơn vị thành viên tham gia bỏ phiếu"));
        assert!(t.contains("1. Đề nghị tặng Cờ thi đua của Bộ, ban, ngành, tỉnh:"));
        assert!(t.contains("- Đơn vị 2 (đạt 85,71% số phiếu đồng ý: 6/7 đơn vị thành viên)."));
        assert!(!t.contains('{'), "every field is filled: {t}");
    }

    #[test]
    fn the_leaders_words_replace_the_template_but_not_the_figures() {
        let mut d = dossier();
        d.cover_text.insert(
            "request".into(),
            Value::String("Chúng tôi đề nghị ({so_phieu} phiếu):".into()),
        );
        let t = d.cover_letter().plain_text();
        assert!(t.contains("Chúng tôi đề nghị (7 phiếu):"));
        assert!(t.contains("- Đơn vị 1 (đạt 100% số phiếu đồng ý: 7/7"));
    }

    #[test]
    fn the_minutes_name_who_voted_how_many_and_the_result() {
        let t = dossier().minutes().plain_text();
        assert!(t.contains("BIÊN BẢN"));
        assert!(t.contains("Vào hồi 08 giờ 00, ngày 15 tháng 12 năm 2023, tại Hội trường"));
        assert!(t.contains("Tham gia bỏ phiếu: 7/7 đơn vị."));
        assert!(t.contains("có ý kiến bằng văn bản của thủ trưởng: Đơn vị 7."));
        assert!(
            t.contains("1 | Đơn vị 1 | Cờ thi đua của Bộ, ban, ngành, tỉnh | 7 | 0 | 100% | Đạt")
        );
        assert!(t.contains("Cuộc họp không tiến hành bầu cụm trưởng, cụm phó."));
        assert!(t.contains("V. BẦU CỤM TRƯỞNG, CỤM PHÓ NĂM 2024"));
        assert!(t.contains("Lê Thị Bình") && t.contains("CHỦ TRÌ"));
    }

    #[test]
    fn the_list_has_a_row_per_nominee() {
        let t = dossier().nominee_list().plain_text();
        assert!(t.contains("(Kèm theo Tờ trình số 05/TTr-CTĐ ngày 20 tháng 12 năm 2023)"));
        assert!(t.contains(
            "1 | Đơn vị 1 | Cờ thi đua của Bộ, ban, ngành, tỉnh | 96,5 | 1 | 100% (7/7)"
        ));
        assert!(t.contains("2 | Đơn vị 2 |"));
    }
}
