//! The rules of the peer vote (bình xét, suy tôn) and the election, as plain functions: the
//! tally, the threshold on the denominator the award type names, the per-cluster quota taken in
//! order of votes, ties at the quota boundary, and prerequisites.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

/// A ballot's choices: candidate id → for (true) or against (false).
pub type Choices = BTreeMap<i64, bool>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    pub fn label(self) -> &'static str {
        match self {
            VoteState::Draft => "Dự thảo (chưa mở bỏ phiếu)",
            VoteState::Open => "Đang bỏ phiếu",
            VoteState::Closed => "Đã kết thúc bỏ phiếu",
        }
    }
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "award" => "Bình xét, suy tôn danh hiệu",
        "election" => "Bầu cụm trưởng, cụm phó năm sau",
        _ => "",
    }
}

pub fn mode_label(mode: &str) -> &'static str {
    match mode {
        "paper" => "Phiếu giấy (ban kiểm phiếu nhập kết quả)",
        _ => "Bỏ phiếu trực tuyến",
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

/// An award ballot from the form: every candidate answered "for" or "against".
pub fn award_choices(
    candidates: &[i64],
    answers: &BTreeMap<i64, String>,
) -> Result<Choices, &'static str> {
    let mut out = Choices::new();
    for c in candidates {
        match answers.get(c).map(String::as_str) {
            Some("for") => out.insert(*c, true),
            Some("against") => out.insert(*c, false),
            _ => return Err("Hãy chọn Đồng ý hoặc Không đồng ý cho từng đơn vị được đề nghị."),
        };
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_tie_at_the_quota_goes_to_another_round_for_the_places_left() {
        let rule = AwardRule {
            award_type_id: 1,
            quota: Some(2),
            threshold: Decimal::from(80),
            of_all_members: true,
            prerequisite: None,
        };
        let cand = |c: i64| AwardCandidate {
            candidate_id: c,
            award_type_id: 1,
            unit_id: 10 + c,
        };
        let cands = [cand(1), cand(2), cand(3)];
        let counts = [
            Count {
                candidate_id: 1,
                votes_for: 7,
                votes_against: 0,
            },
            Count {
                candidate_id: 2,
                votes_for: 6,
                votes_against: 1,
            },
            Count {
                candidate_id: 3,
                votes_for: 6,
                votes_against: 1,
            },
        ];
        let round1 = decide(&cands, &counts, std::slice::from_ref(&rule), 7, 7);
        assert_eq!(round1[0].outcome, Outcome::Passed);
        assert_eq!(tied(&round1), vec![(1, 12), (1, 13)]);
        assert!(check_next_round(1, 2, 2).is_ok());
        assert!(check_next_round(2, 2, 2).unwrap_err().contains("đủ 2 vòng"));
        assert!(check_next_round(1, 2, 0).is_err());
        // Round two: one place left, between the two tied units.
        let filled = BTreeMap::from([(1, 1)]);
        let rules2 = remaining(std::slice::from_ref(&rule), &filled);
        assert_eq!(rules2[0].quota, Some(1));
        let counts2 = [
            Count {
                candidate_id: 2,
                votes_for: 6,
                votes_against: 1,
            },
            Count {
                candidate_id: 3,
                votes_for: 7,
                votes_against: 0,
            },
        ];
        let round2 = decide(&cands[1..], &counts2, &rules2, 7, 7);
        assert_eq!(round2[0].outcome, Outcome::OverQuota);
        assert_eq!(round2[1].outcome, Outcome::Passed);
        assert!(tied(&round2).is_empty());
        assert_eq!(
            remaining(&rules2, &BTreeMap::from([(1, 5)]))[0].quota,
            Some(0)
        );
    }

    use super::*;
    use proptest::prelude::*;

    fn rule(id: i64, quota: Option<u32>, prerequisite: Option<i64>) -> AwardRule {
        AwardRule {
            award_type_id: id,
            quota,
            threshold: Decimal::from(80),
            of_all_members: true,
            prerequisite,
        }
    }

    fn cand(cid: i64, award: i64, unit: i64) -> AwardCandidate {
        AwardCandidate {
            candidate_id: cid,
            award_type_id: award,
            unit_id: unit,
        }
    }

    fn count(cid: i64, f: u32, a: u32) -> Count {
        Count {
            candidate_id: cid,
            votes_for: f,
            votes_against: a,
        }
    }

    #[test]
    fn eighty_percent_of_all_seven_members_needs_six() {
        assert!(!reaches(5, 7, Decimal::from(80)));
        assert!(reaches(6, 7, Decimal::from(80)));
        assert_eq!(percent(6, 7), Decimal::new(8571, 2));
        assert!(reaches(4, 5, Decimal::from(80)));
        assert!(!reaches(0, 0, Decimal::from(80)));
        assert_eq!(percent(3, 0), Decimal::ZERO);
    }

    #[test]
    fn the_denominator_is_the_award_types_setting() {
        let mut r = rule(1, None, None);
        let c = [cand(10, 1, 100)];
        let k = [count(10, 5, 0)];
        // 5 of 7 members is not 80%; 5 of the 5 who voted is.
        assert_eq!(
            decide(&c, &k, &[r.clone()], 7, 5)[0].outcome,
            Outcome::BelowThreshold
        );
        r.of_all_members = false;
        let out = decide(&c, &k, &[r], 7, 5);
        assert_eq!(out[0].outcome, Outcome::Passed);
        assert_eq!(out[0].percent, Decimal::from(100));
    }

    #[test]
    fn the_quota_is_filled_in_order_of_votes_and_a_boundary_tie_is_flagged() {
        let c = [cand(1, 1, 11), cand(2, 1, 12), cand(3, 1, 13)];
        let r = [rule(1, Some(1), None)];
        let out = decide(
            &c,
            &[count(1, 7, 0), count(2, 6, 1), count(3, 2, 5)],
            &r,
            7,
            7,
        );
        assert_eq!(out[0].outcome, Outcome::Passed);
        assert_eq!(out[1].outcome, Outcome::OverQuota);
        assert_eq!(out[2].outcome, Outcome::BelowThreshold);
        let out = decide(
            &c,
            &[count(1, 7, 0), count(2, 7, 0), count(3, 6, 1)],
            &r,
            7,
            7,
        );
        assert_eq!(out[0].outcome, Outcome::Tied);
        assert_eq!(out[1].outcome, Outcome::Tied);
        assert_eq!(out[2].outcome, Outcome::OverQuota);
        // Quota 2, tie for the second place only.
        let c4 = [cand(1, 1, 11), cand(2, 1, 12), cand(3, 1, 13)];
        let r2 = [rule(1, Some(2), None)];
        let out = decide(
            &c4,
            &[count(1, 7, 0), count(2, 6, 1), count(3, 6, 1)],
            &r2,
            7,
            7,
        );
        assert_eq!(out[0].outcome, Outcome::Passed);
        assert_eq!(out[1].outcome, Outcome::Tied);
        assert_eq!(out[2].outcome, Outcome::Tied);
    }

    #[test]
    fn the_government_flag_needs_the_ministry_flag_nomination() {
        // Award 2 (Government flag) requires award 1 (ministry/provincial flag).
        let c = [cand(1, 2, 11), cand(2, 1, 12), cand(3, 2, 12)];
        let r = [rule(1, Some(1), None), rule(2, Some(1), Some(1))];
        let k = [count(1, 7, 0), count(2, 7, 0), count(3, 6, 1)];
        let out = decide(&c, &k, &r, 7, 7);
        assert_eq!(out[0].outcome, Outcome::NoPrerequisite);
        assert_eq!(out[1].outcome, Outcome::Passed);
        // The unit with the prerequisite takes the place, despite fewer votes.
        assert_eq!(out[2].outcome, Outcome::Passed);
    }

    #[test]
    fn elections_take_the_most_votes_and_a_tie_has_no_winner() {
        let k = [
            count(1, 4, 0),
            count(2, 3, 0),
            count(3, 5, 0),
            count(4, 5, 0),
        ];
        assert_eq!(election_winner(&[(1, 11), (2, 12)], &k, None), Some(11));
        assert_eq!(election_winner(&[(3, 13), (4, 14)], &k, None), None);
        assert_eq!(election_winner(&[(3, 13), (4, 14)], &k, Some(14)), Some(13));
        assert_eq!(election_winner(&[], &k, None), None);
    }

    #[test]
    fn ballots_must_answer_every_candidate() {
        let mut a = BTreeMap::new();
        a.insert(1, "for".to_string());
        assert!(award_choices(&[1, 2], &a).is_err());
        a.insert(2, "against".to_string());
        let c = award_choices(&[1, 2], &a).unwrap();
        assert_eq!(c.get(&1), Some(&true));
        assert_eq!(c.get(&2), Some(&false));
        assert!(election_choices(&[(1, 11)], &[(2, 11)], Some(1), Some(2)).is_err());
        assert!(election_choices(&[(1, 11)], &[(2, 12)], Some(9), Some(2)).is_err());
        assert_eq!(
            election_choices(&[(1, 11)], &[(2, 12)], Some(1), Some(2))
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn receipts_are_ten_unambiguous_characters() {
        let r = receipt_from(&[0, 1, 2, 3, 250, 251, 252, 253, 254, 255]);
        assert_eq!(r.len(), 10);
        assert!(!r.contains('O') && !r.contains('0') && !r.contains('I'));
        assert_eq!(hex(&[0, 255]), "00ff");
    }

    fn ballots_strategy() -> impl Strategy<Value = (Vec<Choices>, u32)> {
        (1u32..15).prop_flat_map(|members| {
            (
                proptest::collection::vec(
                    proptest::collection::btree_map(1i64..6, any::<bool>(), 0..6),
                    0..=members as usize,
                ),
                Just(members),
            )
        })
    }

    proptest! {
        #[test]
        fn a_tally_never_exceeds_the_electorate((ballots, members) in ballots_strategy()) {
            let cands = [1, 2, 3, 4, 5];
            for k in tally(&cands, &ballots) {
                prop_assert!(k.votes_for + k.votes_against <= ballots.len() as u32);
                prop_assert!(k.votes_for <= members);
            }
        }

        #[test]
        fn passed_nominees_never_exceed_the_quota(
            (ballots, members) in ballots_strategy(),
            quota in 1u32..4,
            present in any::<bool>(),
        ) {
            let c: Vec<AwardCandidate> = (1..6).map(|i| cand(i, 1, 100 + i)).collect();
            let mut r = rule(1, Some(quota), None);
            r.of_all_members = !present;
            let k = tally(&[1, 2, 3, 4, 5], &ballots);
            let out = decide(&c, &k, &[r], members, ballots.len() as u32);
            let passed = out.iter().filter(|o| o.outcome == Outcome::Passed).count();
            prop_assert!(passed <= quota as usize);
            for o in &out {
                prop_assert!(o.percent <= Decimal::from(100));
            }
        }

        #[test]
        fn shuffling_ballots_changes_nothing(
            (ballots, members) in ballots_strategy(),
            seed in any::<u64>(),
        ) {
            let cands = [1, 2, 3, 4, 5];
            let mut shuffled = ballots.clone();
            // A deterministic Fisher–Yates from the seed.
            let mut s = seed | 1;
            for i in (1..shuffled.len()).rev() {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                shuffled.swap(i, (s % (i as u64 + 1)) as usize);
            }
            let c: Vec<AwardCandidate> = (1..6).map(|i| cand(i, 1 + i % 2, 100 + i)).collect();
            let r = [rule(1, Some(1), None), rule(2, Some(2), Some(1))];
            let n = ballots.len() as u32;
            prop_assert_eq!(tally(&cands, &ballots), tally(&cands, &shuffled));
            prop_assert_eq!(
                decide(&c, &tally(&cands, &ballots), &r, members, n),
                decide(&c, &tally(&cands, &shuffled), &r, members, n)
            );
        }
    }
}
