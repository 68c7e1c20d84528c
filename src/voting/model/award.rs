//! The award vote's rules: who passes, the quota per award type, ties at the quota and
//! further rounds for the places left.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::{Count, percent, reaches};

/// What the vote rules need to know of an award type.
#[derive(Debug, Clone, PartialEq)]
pub struct AwardRule {
    pub award_type_id: i64,
    pub quota: Option<u32>,
    pub threshold: Decimal,
    /// true: the whole membership ("all_members"); false: those who voted ("present").
    pub of_all_members: bool,
    pub prerequisite: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwardCandidate {
    pub candidate_id: i64,
    pub award_type_id: i64,
    pub unit_id: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    BelowThreshold,
    /// Reached the threshold, but the quota was filled by candidates with more votes.
    OverQuota,
    /// Tied at the quota boundary: another round (or the leader and deputy) decides.
    Tied,
    /// Not also nominated for the award named as this one's prerequisite.
    NoPrerequisite,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Passed => "Đạt, được đề nghị",
            Outcome::BelowThreshold => "Không đạt tỷ lệ",
            Outcome::OverQuota => "Đạt tỷ lệ nhưng vượt số lượng",
            Outcome::Tied => "Bằng phiếu tại giới hạn số lượng — bỏ phiếu lại",
            Outcome::NoPrerequisite => "Chưa được đề nghị danh hiệu điều kiện",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AwardResult {
    pub candidate: AwardCandidate,
    pub votes_for: u32,
    pub votes_against: u32,
    pub percent: Decimal,
    pub outcome: Outcome,
}

/// The outcome of every award candidate. `members` is the whole membership, `voters` the
/// number of ballots counted. Award types are settled prerequisite first, so that a nominee of
/// a dependent award must be a nominee (passed) of its prerequisite before it takes a place.
pub fn decide(
    candidates: &[AwardCandidate],
    counts: &[Count],
    rules: &[AwardRule],
    members: u32,
    voters: u32,
) -> Vec<AwardResult> {
    let count_of = |c: i64| {
        counts
            .iter()
            .find(|k| k.candidate_id == c)
            .copied()
            .unwrap_or_default()
    };
    let rule_of = |a: i64| rules.iter().find(|r| r.award_type_id == a);
    let mut outcomes: BTreeMap<i64, Outcome> = BTreeMap::new();
    let types: BTreeSet<i64> = candidates.iter().map(|c| c.award_type_id).collect();
    let mut settled: BTreeSet<i64> = BTreeSet::new();
    // Settle types whose prerequisite is settled (or absent); a loop settles what is left.
    let mut progress = true;
    while settled.len() < types.len() {
        let ready: Vec<i64> = types
            .iter()
            .copied()
            .filter(|t| !settled.contains(t))
            .filter(|t| {
                !progress
                    || match rule_of(*t).and_then(|r| r.prerequisite) {
                        Some(p) => settled.contains(&p) || !types.contains(&p),
                        None => true,
                    }
            })
            .collect();
        progress = !ready.is_empty();
        for t in ready {
            let rule = rule_of(t);
            let denominator = match rule {
                Some(r) if !r.of_all_members => voters,
                _ => members,
            };
            let threshold = rule.map(|r| r.threshold).unwrap_or(Decimal::from(80));
            let prerequisite_units: Option<BTreeSet<i64>> =
                rule.and_then(|r| r.prerequisite).map(|p| {
                    candidates
                        .iter()
                        .filter(|c| {
                            c.award_type_id == p
                                && outcomes.get(&c.candidate_id) == Some(&Outcome::Passed)
                        })
                        .map(|c| c.unit_id)
                        .collect()
                });
            let mut eligible: Vec<(i64, u32)> = Vec::new();
            for c in candidates.iter().filter(|c| c.award_type_id == t) {
                let n = count_of(c.candidate_id);
                let outcome = if !reaches(n.votes_for, denominator, threshold) {
                    Some(Outcome::BelowThreshold)
                } else if prerequisite_units
                    .as_ref()
                    .is_some_and(|units| !units.contains(&c.unit_id))
                {
                    Some(Outcome::NoPrerequisite)
                } else {
                    eligible.push((c.candidate_id, n.votes_for));
                    None
                };
                if let Some(o) = outcome {
                    outcomes.insert(c.candidate_id, o);
                }
            }
            eligible.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let quota = rule.and_then(|r| r.quota).map(|q| q as usize);
            for (i, (cid, v)) in eligible.iter().enumerate() {
                let o = match quota {
                    Some(q) if eligible.len() > q => {
                        let boundary = if q == 0 { u32::MAX } else { eligible[q - 1].1 };
                        let first_out = eligible[q].1;
                        if boundary == first_out && *v == boundary {
                            Outcome::Tied
                        } else if i < q {
                            Outcome::Passed
                        } else {
                            Outcome::OverQuota
                        }
                    }
                    _ => Outcome::Passed,
                };
                outcomes.insert(*cid, o);
            }
            settled.insert(t);
        }
    }
    candidates
        .iter()
        .map(|c| {
            let n = count_of(c.candidate_id);
            let denominator = match rule_of(c.award_type_id) {
                Some(r) if !r.of_all_members => voters,
                _ => members,
            };
            AwardResult {
                candidate: *c,
                votes_for: n.votes_for,
                votes_against: n.votes_against,
                percent: percent(n.votes_for, denominator),
                outcome: outcomes
                    .get(&c.candidate_id)
                    .copied()
                    .unwrap_or(Outcome::BelowThreshold),
            }
        })
        .collect()
}

/// The candidates of a further round: those tied at a quota's boundary, as (award type, unit).
pub fn tied(results: &[AwardResult]) -> Vec<(i64, i64)> {
    results
        .iter()
        .filter(|r| r.outcome == Outcome::Tied)
        .map(|r| (r.candidate.award_type_id, r.candidate.unit_id))
        .collect()
}

/// Whether a further round may follow round `round`: only for a tie, and within the rounds
/// the council allows; after the last one the leader and the deputy decide.
pub fn check_next_round(round: u32, max_rounds: u32, tied: usize) -> Result<(), String> {
    if tied == 0 {
        return Err(
            "Không có đơn vị nào bằng phiếu tại giới hạn số lượng; không cần bình xét lại.".into(),
        );
    }
    if round >= max_rounds {
        return Err(format!(
            "Đã bỏ phiếu đủ {max_rounds} vòng theo quy định; cụm trưởng và cụm phó xem xét, quyết \
             định đơn vị có thành tích nổi trội hơn."
        ));
    }
    Ok(())
}

/// The rules of a later round: each award type's quota less the places earlier rounds filled.
pub fn remaining(rules: &[AwardRule], filled: &BTreeMap<i64, u32>) -> Vec<AwardRule> {
    rules
        .iter()
        .map(|r| AwardRule {
            quota: r
                .quota
                .map(|q| q.saturating_sub(filled.get(&r.award_type_id).copied().unwrap_or(0))),
            ..r.clone()
        })
        .collect()
}
