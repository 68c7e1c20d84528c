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
    a.insert(3, "maybe".to_string());
    assert_eq!(award_choices(&[1, 2, 3], &a), Err(vec![2, 3]));
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

#[test]
fn a_vote_opens_once_then_closes_once() {
    assert_eq!(VoteState::Draft.next(), Some(VoteState::Open));
    assert_eq!(VoteState::Open.next(), Some(VoteState::Closed));
    assert_eq!(VoteState::Closed.next(), None);
    assert_eq!(VoteState::Open.step_name(), "opened");
    assert_eq!(VoteState::Closed.step_name(), "closed");
    for s in [VoteState::Draft, VoteState::Open, VoteState::Closed] {
        assert_eq!(VoteState::parse(s.as_str()), s);
    }
}

#[test]
fn kinds_and_modes_read_the_stored_names() {
    for k in [VoteKind::Award, VoteKind::Election] {
        assert_eq!(VoteKind::parse(k.as_str()), Some(k));
    }
    assert_eq!(VoteKind::parse("bầu"), None);
    assert_eq!(VoteMode::parse("paper"), VoteMode::Paper);
    assert_eq!(VoteMode::parse(""), VoteMode::Online);
    assert_eq!(VoteMode::parse(VoteMode::Online.as_str()), VoteMode::Online);
}
