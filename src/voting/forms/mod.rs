//! The vote's forms: a new vote, a candidate, a ballot, the counting committee, the paper
//! count. Each reads the request and answers with the value or the Vietnamese message shown
//! beside the form.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::model::{self, Choices, VoteKind, VoteMode};
use super::store::{Candidate, Vote};
use crate::web::forms::{self, Errors};

mod paper;
pub use paper::*;

/// The fields of a form as sent, in order (repeated names kept).
pub type Fields = [(String, String)];

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewVoteForm {
    pub kind: String,
    pub title: String,
    pub mode: String,
}

/// A new vote as the leader asks for it.
pub struct NewVote {
    pub kind: VoteKind,
    pub mode: VoteMode,
    pub title: String,
}

impl NewVoteForm {
    /// The vote, titled after its kind and year when the title is left empty.
    pub fn validate(&self, year: i32) -> Result<NewVote, Errors> {
        let mut errors = Errors::default();
        let kind = VoteKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", "Hãy chọn loại biểu quyết.");
        }
        let mode = VoteMode::parse(&self.mode);
        let mut title = forms::optional_text(&mut errors, "title", &self.title, "Tiêu đề", 300);
        match kind {
            Some(kind) if errors.is_empty() => {
                if title.is_empty() {
                    // An election chooses next year's leader: "… năm 2027", not "năm sau năm 2026".
                    title = match kind {
                        VoteKind::Election => format!("Bầu cụm trưởng, cụm phó năm {}", year + 1),
                        _ => format!("{} năm {}", kind.label(), year),
                    };
                }
                Ok(NewVote { kind, mode, title })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CandidateForm {
    pub award_type_id: String,
    pub role: String,
    pub unit_id: String,
}

impl CandidateForm {
    /// The unit, if it is one of `members`.
    pub fn unit(&self, members: &[i64]) -> Result<i64, &'static str> {
        self.unit_id
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|x| members.contains(x))
            .ok_or("Hãy chọn một đơn vị thành viên của cụm năm này.")
    }

    pub fn award_type(&self) -> Option<i64> {
        self.award_type_id.trim().parse::<i64>().ok()
    }

    /// The election role asked for: leader or deputy.
    pub fn role(&self) -> Result<&str, &'static str> {
        match self.role.as_str() {
            r @ ("leader" | "deputy") => Ok(r),
            _ => Err("Hãy chọn cụm trưởng hoặc cụm phó."),
        }
    }
}

/// The label a candidate goes by on a ballot: its award type, or the role it is elected to.
pub fn candidate_label(c: &Candidate) -> &str {
    match (&c.award_name, &c.role) {
        (Some(a), _) => a,
        (None, Some(r)) => model::role_label(r),
        _ => "",
    }
}

/// The choices of a ballot form: `c<candidate>` = for/against (awards), `leader`/`deputy`
/// (elections). Refused with the message under `key` naming every answer left out, and one
/// beside each unanswered question (keyed by its field name), so the page can show the
/// voter's other choices as they were.
pub fn choices_of(
    v: &Vote,
    candidates: &[Candidate],
    fields: &Fields,
    key: &str,
) -> Result<Choices, Errors> {
    let id_of = |name: &str| field(fields, name).trim().parse::<i64>().ok();
    let mut errors = Errors::default();
    if v.kind.is_election() {
        let of_role = |r: &str| -> Vec<(i64, i64)> {
            candidates
                .iter()
                .filter(|c| c.role.as_deref() == Some(r))
                .map(|c| (c.id, c.unit_id))
                .collect()
        };
        let (leader, deputy) = (id_of("leader"), id_of("deputy"));
        let known =
            |r: &str, x: Option<i64>| x.is_some_and(|x| of_role(r).iter().any(|c| c.0 == x));
        for (role, x) in [("leader", leader), ("deputy", deputy)] {
            if !known(role, x) {
                errors.add(
                    role,
                    format!("Chưa chọn {}.", model::role_label(role).to_lowercase()),
                );
            }
        }
        model::election_choices(&of_role("leader"), &of_role("deputy"), leader, deputy).map_err(
            |msg| {
                errors.add(
                    key,
                    format!(
                        "Phiếu chưa được gửi: {msg} Các lựa chọn khác vẫn giữ nguyên bên dưới."
                    ),
                );
                errors
            },
        )
    } else {
        let answers: BTreeMap<i64, String> = fields
            .iter()
            .filter_map(|(k, val)| Some((k.strip_prefix('c')?.parse().ok()?, val.clone())))
            .collect();
        let ids: Vec<i64> = candidates.iter().map(|c| c.id).collect();
        model::award_choices(&ids, &answers).map_err(|missing| {
            let named: Vec<String> = candidates
                .iter()
                .filter(|c| missing.contains(&c.id))
                .map(|c| format!("{} ({})", c.unit_name, candidate_label(c)))
                .collect();
            errors.add(
                key,
                format!(
                    "Phiếu chưa đầy đủ nên chưa được gửi: chưa chọn Đồng ý hoặc Không đồng ý cho {}. Các lựa chọn khác vẫn giữ nguyên bên dưới; hãy chọn nốt rồi gửi lại.",
                    named.join("; ")
                ),
            );
            for c in missing {
                errors.add(format!("c{c}"), "Chưa chọn Đồng ý hoặc Không đồng ý cho đơn vị này.");
            }
            errors
        })
    }
}

/// The ballot's own answers from a refused form, to show them again to the voter who typed
/// them (and to nobody else; they are never stored).
pub fn ballot_answers(fields: &Fields) -> Vec<(String, String)> {
    fields
        .iter()
        .filter(|(k, _)| {
            k == "leader"
                || k == "deputy"
                || k.strip_prefix('c')
                    .is_some_and(|n| n.parse::<i64>().is_ok())
        })
        .cloned()
        .collect()
}

/// The candidates ticked for removal, each one of `known` (the vote's own).
pub fn ticked_candidates(fields: &Fields, known: &[i64]) -> Result<Vec<i64>, &'static str> {
    let mut out = Vec::new();
    for (_, val) in fields.iter().filter(|(k, _)| k == "remove") {
        match val.trim().parse::<i64>() {
            Ok(x) if known.contains(&x) => {
                if !out.contains(&x) {
                    out.push(x)
                }
            }
            _ => return Err("Đề nghị đã đánh dấu không còn trong danh sách; hãy tải lại trang."),
        }
    }
    if out.is_empty() {
        return Err("Hãy đánh dấu ít nhất một đề nghị cần bỏ.");
    }
    Ok(out)
}

/// The counting committee as the leader names it: seats in the order given.
pub struct Committee {
    pub users: Vec<i64>,
    pub threshold: i16,
    pub quota_per_ballot: bool,
}

/// `eligible`: the users who may sit on the committee.
pub fn read_committee(v: &Vote, fields: &Fields, eligible: &[i64]) -> Result<Committee, String> {
    let mut users: Vec<i64> = Vec::new();
    for (_, val) in fields.iter().filter(|(k, _)| k == "user_id") {
        match val.trim().parse::<i64>() {
            Ok(x) if eligible.contains(&x) => {
                if !users.contains(&x) {
                    users.push(x)
                }
            }
            _ => {
                return Err(
                    "Thành viên ban kiểm phiếu phải là cán bộ của đơn vị thành viên.".to_string(),
                );
            }
        }
    }
    let threshold = field(fields, "threshold").trim().parse::<i16>().ok();
    match threshold {
        _ if users.is_empty() || users.len() > 9 => {
            Err("Hãy chọn từ 1 đến 9 thành viên ban kiểm phiếu.".to_string())
        }
        Some(t) if t >= 1 && t as usize <= users.len() => Ok(Committee {
            users,
            threshold: t,
            quota_per_ballot: v.kind.is_award() && field(fields, "quota_per_ballot") == "on",
        }),
        _ => Err(format!(
            "Số thành viên cần có mặt để kiểm phiếu phải từ 1 đến {}.",
            users.len()
        )),
    }
}

/// A committee member's passphrase, typed twice alike, of a length that resists guessing.
pub fn read_passphrase(fields: &Fields) -> Result<&str, String> {
    let (p, again) = (field(fields, "passphrase"), field(fields, "confirm"));
    let len = p.chars().count();
    if !(super::seal::MIN_PASSPHRASE..=200).contains(&len) {
        Err(format!(
            "Cụm mật khẩu cần từ {} đến 200 ký tự.",
            super::seal::MIN_PASSPHRASE
        ))
    } else if p != again {
        Err("Hai lần nhập cụm mật khẩu không giống nhau.".to_string())
    } else {
        Ok(p)
    }
}

/// A written opinion as recorded: the ballot's fields, the unit, and the scanned paper.
pub struct WrittenForm {
    pub fields: Vec<(String, String)>,
    /// The scan's file name and content.
    pub file: Option<(String, Vec<u8>)>,
    /// The scan did not fit the body limit.
    pub too_big: bool,
}

impl WrittenForm {
    pub async fn read(
        multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    ) -> WrittenForm {
        let mut form = WrittenForm {
            fields: Vec::new(),
            file: None,
            too_big: false,
        };
        let Ok(mut m) = multipart else {
            return form;
        };
        while let Ok(Some(f)) = m.next_field().await {
            let name = f.name().unwrap_or("").to_string();
            if name == "file" {
                let fname = f.file_name().unwrap_or("").to_string();
                match crate::web::upload::read_file(f, crate::web::upload::FILE_MAX).await {
                    Ok(b) => form.file = Some((fname, b)),
                    Err(_) => form.too_big = true,
                }
            } else if let Ok(t) = f.text().await {
                form.fields.push((name, t));
            }
        }
        form
    }

    /// The member unit whose opinion this is; never the recorder's own.
    pub fn unit(&self, members: &[i64], own: Option<i64>) -> Result<i64, &'static str> {
        let unit = field(&self.fields, "unit_id")
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|x| members.contains(x))
            .ok_or("Hãy chọn đơn vị thành viên gửi ý kiến bằng văn bản.")?;
        if Some(unit) == own {
            return Err("Thành viên ban kiểm phiếu không ghi nhận ý kiến của chính đơn vị mình.");
        }
        Ok(unit)
    }
}
