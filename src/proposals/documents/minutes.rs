//! The biên bản: who attended, how the ballots were counted, and the results tables.

use super::*;

impl Dossier {
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
            let committee = if self.committee.is_empty() {
                BLANK.to_string()
            } else {
                self.committee.join(", ")
            };
            format!(
                "Bỏ phiếu kín trên hệ thống thidua: mỗi đơn vị thành viên một phiếu do thủ trưởng \
                 bỏ, kèm mã biên nhận; danh sách phiếu (mã biên nhận và nội dung phiếu, theo thứ \
                 tự ngẫu nhiên) được công khai sau khi kết thúc bỏ phiếu để các đơn vị kiểm tra. \
                 Ban kiểm phiếu (giữ khóa giải mã, cùng kiểm phiếu): {committee}."
            )
        };
        let invalid_note = if self.paper {
            ""
        } else {
            " (phiếu trực tuyến được hệ thống kiểm tra ngay khi bỏ; phiếu không hợp lệ không được \
             nhận, nên không có phiếu không hợp lệ)"
        };
        format!(
            "{how}\nSố phiếu phát ra: {}; số phiếu thu về: {}; số phiếu hợp lệ: {}; số phiếu không \
             hợp lệ: {}{invalid_note}.",
            self.members.len(),
            self.received,
            self.ballots,
            self.invalid
        )
    }

    /// The award vote's result in the words of Công văn 5007/BNV-TĐKT: the unit the cluster
    /// elects to lead it.
    fn leading_line(&self) -> Option<String> {
        self.leading_unit.as_ref().map(|(unit, award)| {
            format!(
                "Kết quả: {unit} được suy tôn là đơn vị dẫn đầu {} năm {} (được đề nghị tặng {award}).",
                self.cluster, self.year
            )
        })
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
            [
                "Đồng ý",
                "Không đồng ý",
                "Tỷ lệ đồng ý",
                "Tính trên",
                "Kết quả",
            ]
            .iter()
            .map(|s| s.to_string()),
        );
        widths[1] -= 4;
        widths.extend([8, 9, 9, 14, 14]);
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
                    Cell::left(l.denominator_text()),
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
                    Cell::left(l.denominator_text()),
                    Cell::center(&l.outcome),
                ]
            })
            .collect();
        Block::Table {
            widths: vec![7, 31, 14, 10, 10, 14, 14],
            head: [
                "STT",
                "Đơn vị",
                "Bầu làm",
                "Số phiếu",
                "Tỷ lệ",
                "Tính trên",
                "Kết quả",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
            rows,
        }
    }

    /// Biên bản họp bình xét thi đua.
    /// The withdrawals after the meeting, recorded beneath the results: the meeting's count
    /// is a record of what was voted and stays as it was.
    fn withdrawal_note(&self) -> Option<String> {
        if self.withdrawn.is_empty() {
            return None;
        }
        let mut out = vec![
            "Ghi chú bổ sung sau cuộc họp: theo ý kiến của Hội đồng Thi đua - Khen thưởng, đơn vị \
             cụm trưởng rút khỏi hồ sơ đề nghị khen thưởng (kết quả bỏ phiếu nêu trên giữ nguyên \
             như tại cuộc họp):"
                .to_string(),
        ];
        for w in &self.withdrawn {
            out.push(format!(
                "- {} ({}); lý do: {}",
                w.unit_name,
                w.award_name,
                w.reason.trim()
            ));
        }
        Some(out.join("\n"))
    }

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
                         số {} đơn vị thành viên, hoặc số phiếu hợp lệ của các đơn vị có mặt), ghi \
                         ở cột \"Tính trên\".",
                        self.members.len()
                    )));
                    if let Some(line) = self.leading_line() {
                        blocks.push(Block::Paragraph(line));
                    }
                    if let Some(note) = self.withdrawal_note() {
                        blocks.push(Block::Paragraph(note));
                    }
                }
                (true, "election") => match &self.election {
                    Some(e) => {
                        blocks.push(Block::Paragraph(format!(
                            "Số phiếu thu về: {}.\nĐơn vị được bầu làm cụm trưởng năm {}: {}.\nĐơn vị được bầu làm cụm phó năm {}: {}.",
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
}
