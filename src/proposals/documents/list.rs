//! The danh sách đề nghị khen thưởng: one row per nominee with its figures.

use super::*;

impl Dossier {
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
