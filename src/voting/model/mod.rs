//! The rules of the peer vote (bình xét, suy tôn) and the election, as plain functions: the
//! tally, the threshold on the denominator the award type names, the per-cluster quota taken in
//! order of votes, ties at the quota boundary, and prerequisites.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

mod award;
#[cfg(test)]
mod tests;

pub use award::*;

/// A ballot's choices: candidate id → for (true) or against (false).
pub type Choices = BTreeMap<i64, bool>;

/// Where a vote stands, stored as its snake_case name: it opens once, then closes once.
/// Writes bind `as_str()`, so that no statement is spent looking up the type by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Serialize)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum VoteState {
    Draft,
    Open,
    Closed,
}

impl VoteState {
    pub fn parse(s: &str) -> VoteState {
        match s {
            "open" => VoteState::Open,
            "closed" => VoteState::Closed,
            _ => VoteState::Draft,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VoteState::Draft => "draft",
            VoteState::Open => "open",
            VoteState::Closed => "closed",
        }
    }

    pub fn is_draft(self) -> bool {
        self == VoteState::Draft
    }

    pub fn is_open(self) -> bool {
        self == VoteState::Open
    }

    pub fn is_closed(self) -> bool {
        self == VoteState::Closed
    }

    /// The state a vote may move to from this one, if any: draft → open → closed.
    pub fn next(self) -> Option<VoteState> {
        match self {
            VoteState::Draft => Some(VoteState::Open),
            VoteState::Open => Some(VoteState::Closed),
            VoteState::Closed => None,
        }
    }

    /// The audit trail's name for the step into this state.
    pub fn step_name(self) -> &'static str {
        match self {
            VoteState::Draft => "created",
            VoteState::Open => "opened",
            VoteState::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VoteState::Draft => "Dự thảo (chưa mở bỏ phiếu)",
            VoteState::Open => "Đang bỏ phiếu",
            VoteState::Closed => "Đã kết thúc bỏ phiếu",
        }
    }
}

/// What a vote decides: awards (peer vote) or next year's leader and deputy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Serialize)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum VoteKind {
    Award,
    Election,
}

impl VoteKind {
    pub fn parse(s: &str) -> Option<VoteKind> {
        match s {
            "award" => Some(VoteKind::Award),
            "election" => Some(VoteKind::Election),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VoteKind::Award => "award",
            VoteKind::Election => "election",
        }
    }

    pub fn is_award(self) -> bool {
        self == VoteKind::Award
    }

    pub fn is_election(self) -> bool {
        self == VoteKind::Election
    }

    pub fn label(self) -> &'static str {
        match self {
            VoteKind::Award => "Bình xét, suy tôn danh hiệu",
            VoteKind::Election => "Bầu cụm trưởng, cụm phó năm sau",
        }
    }
}

/// How ballots are cast: online (encrypted) or on paper counted by the committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type, serde::Serialize)]
#[sqlx(type_name = "text", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum VoteMode {
    Online,
    Paper,
}

impl VoteMode {
    /// Anything but "paper" is online, as the form has always read it.
    pub fn parse(s: &str) -> VoteMode {
        if s == "paper" {
            VoteMode::Paper
        } else {
            VoteMode::Online
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VoteMode::Online => "online",
            VoteMode::Paper => "paper",
        }
    }

    pub fn is_online(self) -> bool {
        self == VoteMode::Online
    }

    pub fn is_paper(self) -> bool {
        self == VoteMode::Paper
    }

    pub fn label(self) -> &'static str {
        match self {
            VoteMode::Online => "Bỏ phiếu trực tuyến",
            VoteMode::Paper => "Phiếu giấy (ban kiểm phiếu nhập kết quả)",
        }
    }
}

pub fn role_label(role: &str) -> &'static str {
    match role {
        "leader" => "Cụm trưởng",
        "deputy" => "Cụm phó",
        _ => "",
    }
}

/// Votes for and against one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    pub candidate_id: i64,
    pub votes_for: u32,
    pub votes_against: u32,
}

/// Counts every ballot's choice for each candidate; choices for anything else are ignored.
pub fn tally(candidates: &[i64], ballots: &[Choices]) -> Vec<Count> {
    candidates
        .iter()
        .map(|&c| {
            let mut count = Count {
                candidate_id: c,
                ..Default::default()
            };
            for b in ballots {
                match b.get(&c) {
                    Some(true) => count.votes_for += 1,
                    Some(false) => count.votes_against += 1,
                    None => {}
                }
            }
            count
        })
        .collect()
}

/// Percentage of `denominator`, to two decimals; 0 when nobody counts.
pub fn percent(votes_for: u32, denominator: u32) -> Decimal {
    if denominator == 0 {
        return Decimal::ZERO;
    }
    (Decimal::from(votes_for) * Decimal::from(100) / Decimal::from(denominator)).round_dp(2)
}

/// Whether `votes_for` reaches `threshold` percent of `denominator`, exactly (no rounding).
pub fn reaches(votes_for: u32, denominator: u32, threshold: Decimal) -> bool {
    denominator > 0
        && Decimal::from(votes_for) * Decimal::from(100) >= threshold * Decimal::from(denominator)
}

/// The winner among candidates `(candidate_id, unit_id)` by votes for, excluding `not_unit`:
/// None when there are none or the top is tied (another round decides).
pub fn election_winner(
    candidates: &[(i64, i64)],
    counts: &[Count],
    not_unit: Option<i64>,
) -> Option<i64> {
    let mut scored: Vec<(i64, u32)> = candidates
        .iter()
        .filter(|(_, unit)| Some(*unit) != not_unit)
        .map(|(cid, unit)| {
            let v = counts
                .iter()
                .find(|k| k.candidate_id == *cid)
                .map(|k| k.votes_for)
                .unwrap_or(0);
            (*unit, v)
        })
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.1));
    match scored.as_slice() {
        [] => None,
        [(_, 0), ..] => None,
        [(_, va), (_, vb), ..] if va == vb => None,
        [(a, _), ..] => Some(*a),
    }
}

/// An award ballot from the form: every candidate answered "for" or "against". Refused with
/// the candidates left unanswered (in the order given), so the page can name each of them.
pub fn award_choices(
    candidates: &[i64],
    answers: &BTreeMap<i64, String>,
) -> Result<Choices, Vec<i64>> {
    let mut out = Choices::new();
    let mut missing = Vec::new();
    for c in candidates {
        match answers.get(c).map(String::as_str) {
            Some("for") => out.insert(*c, true),
            Some("against") => out.insert(*c, false),
            _ => {
                missing.push(*c);
                None
            }
        };
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// An election ballot: one leader and one deputy, two different units, among the candidates
/// `(candidate_id, unit_id)` of each role.
pub fn election_choices(
    leaders: &[(i64, i64)],
    deputies: &[(i64, i64)],
    leader: Option<i64>,
    deputy: Option<i64>,
) -> Result<Choices, &'static str> {
    let l = leader
        .and_then(|p| leaders.iter().find(|(c, _)| *c == p))
        .ok_or("Hãy chọn một đơn vị làm cụm trưởng trong danh sách.")?;
    let d = deputy
        .and_then(|p| deputies.iter().find(|(c, _)| *c == p))
        .ok_or("Hãy chọn một đơn vị làm cụm phó trong danh sách.")?;
    if l.1 == d.1 {
        return Err("Cụm trưởng và cụm phó phải là hai đơn vị khác nhau.");
    }
    let mut out = Choices::new();
    out.insert(l.0, true);
    out.insert(d.0, true);
    Ok(out)
}

const RECEIPT_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A receipt code of 10 characters from random bytes (no 0/O or 1/I to misread).
pub fn receipt_from(bytes: &[u8; 10]) -> String {
    bytes
        .iter()
        .map(|b| RECEIPT_ALPHABET[(*b as usize) % RECEIPT_ALPHABET.len()] as char)
        .collect()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
