//! The paper count the counting committee enters: its members, the ballots received and the
//! invalid ones among them (issue 11, item 4), and each candidate's figures among the valid.

use super::{Fields, field};
use crate::voting::model::Count;
use crate::voting::store::Candidate;
use crate::web::forms::{self, Errors};

/// What the counting committee counted on paper: its members, the figures per candidate, the
/// ballots received (None: not given, as before migration 0030) and the invalid ones.
pub struct PaperCount {
    pub committee: String,
    pub counts: Vec<Count>,
    pub received: Option<u32>,
    pub invalid: u32,
}

/// The ballots received and the invalid ones among them; each refused beside its field.
fn read_ballots(
    get: &dyn Fn(&str) -> String,
    members: u32,
    errors: &mut Errors,
) -> (Option<u32>, u32) {
    let received = match get("received").as_str() {
        "" => None,
        r => match r.parse::<u32>() {
            Ok(n) if n <= members => Some(n),
            _ => {
                errors.add(
                    "received",
                    format!("Số phiếu thu về phải là số nguyên từ 0 đến {members} (số đơn vị thành viên)."),
                );
                None
            }
        },
    };
    let invalid = match get("invalid").as_str() {
        "" => 0,
        i => match i.parse::<u32>() {
            Ok(n) if received.is_none_or(|r| n <= r) => n,
            Ok(_) => {
                errors.add(
                    "invalid",
                    "Số phiếu không hợp lệ không được lớn hơn số phiếu thu về.",
                );
                0
            }
            Err(_) => {
                errors.add(
                    "invalid",
                    "Số phiếu không hợp lệ phải là số nguyên không âm.",
                );
                0
            }
        },
    };
    if invalid > 0 && received.is_none() && !errors.has("received") {
        errors.add(
            "received",
            "Hãy nhập số phiếu thu về khi có phiếu không hợp lệ.",
        );
    }
    (received, invalid)
}

/// A paper count: the committee's members and its figures per candidate, each at most the
/// number of member units, and at most the valid ballots when the ballots received are given.
pub fn read_paper(
    fields: &Fields,
    candidates: &[Candidate],
    members: u32,
) -> Result<PaperCount, Errors> {
    let get = |name: &str| field(fields, name).trim().to_string();
    let mut errors = Errors::default();
    let committee = forms::text(
        &mut errors,
        "paper",
        &get("committee"),
        "thành phần ban kiểm phiếu",
        2,
        2000,
    );
    let (received, invalid) = read_ballots(&get, members, &mut errors);
    let valid = received
        .map(|r| r.saturating_sub(invalid))
        .unwrap_or(members);
    let mut counts = Vec::new();
    for c in candidates {
        let f = get(&format!("for{}", c.id)).parse::<u32>();
        let a = get(&format!("against{}", c.id)).parse::<u32>();
        match (f, a) {
            (Ok(f), Ok(a)) if f + a <= valid => counts.push(Count {
                candidate_id: c.id,
                votes_for: f,
                votes_against: a,
            }),
            _ => errors.add(
                "paper",
                format!(
                    "Số phiếu của {} phải là số nguyên không âm, tổng đồng ý và không đồng ý không quá {valid} {}.",
                    c.unit_name,
                    if received.is_some() { "phiếu hợp lệ" } else { "đơn vị" }
                ),
            ),
        }
    }
    if errors.is_empty() {
        Ok(PaperCount {
            committee,
            counts,
            received,
            invalid,
        })
    } else {
        Err(errors)
    }
}
