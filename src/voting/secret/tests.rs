use rust_decimal::Decimal;

use super::*;

fn vote(kind: &str) -> Vote {
    Vote {
        id: 1,
        cluster_year_id: 1,
        kind: crate::voting::model::VoteKind::parse(kind).unwrap(),
        title: "Bình xét".into(),
        state: crate::voting::model::VoteState::Draft,
        mode: crate::voting::model::VoteMode::Online,
        opened_at: None,
        closed_at: None,
        results_released: false,
        counting_committee: String::new(),
        ballots_received: None,
        ballots_invalid: 0,
        round: 1,
        previous_vote_id: None,
        committee_threshold: 2,
        counted_ballots: None,
        quota_per_ballot: true,
    }
}

fn cand(id: i64, award: Option<(i64, &str)>, role: Option<&str>) -> Candidate {
    Candidate {
        id,
        award_type_id: award.map(|a| a.0),
        award_name: award.map(|a| a.1.to_string()),
        role: role.map(str::to_string),
        unit_id: id,
        unit_name: format!("Đơn vị {id}"),
    }
}

#[test]
fn a_ballot_may_agree_with_no_more_than_the_quota_left() {
    let cs = [
        cand(1, Some((10, "Cờ")), None),
        cand(2, Some((10, "Cờ")), None),
        cand(3, Some((20, "Bằng khen")), None),
        cand(4, Some((20, "Bằng khen")), None),
    ];
    let rule = |a: i64, q: Option<u32>| model::AwardRule {
        award_type_id: a,
        quota: q,
        threshold: Decimal::from(80),
        of_all_members: true,
        prerequisite: None,
    };
    let rules = [rule(10, Some(1)), rule(20, None)];
    let spec = spec_for(&vote("award"), &cs, &rules, &BTreeMap::new());
    assert_eq!(spec.candidates, [1, 2, 3, 4]);
    assert_eq!(
        spec.groups
            .iter()
            .map(|g| (g.members.clone(), g.min, g.max))
            .collect::<Vec<_>>(),
        [(vec![0, 1], 0, 1), (vec![2, 3], 0, 2)]
    );
    assert!(spec.allows(&[true, false, true, true]).is_ok());
    let e = spec.allows(&[true, true, false, false]).unwrap_err();
    assert!(e.contains("Cờ") && e.contains("tối đa 1"), "{e}");
    // A later round: the quota less the places earlier rounds filled.
    let rules = [rule(10, Some(2)), rule(20, None)];
    let filled = BTreeMap::from([(10, 1)]);
    let spec = spec_for(&vote("award"), &cs, &rules, &filled);
    assert_eq!(spec.groups[0].max, 1);
    // Without the per-ballot limit, a ballot may agree with every candidate.
    let free = Vote {
        quota_per_ballot: false,
        ..vote("award")
    };
    let spec = spec_for(&free, &cs, &rules, &BTreeMap::new());
    assert_eq!(spec.groups[0].max, 2);
}

#[test]
fn an_election_ballot_names_exactly_one_leader_and_one_deputy() {
    let cs = [
        cand(1, None, Some("leader")),
        cand(2, None, Some("leader")),
        cand(3, None, Some("deputy")),
        cand(4, None, Some("deputy")),
    ];
    let spec = spec_for(&vote("election"), &cs, &[], &BTreeMap::new());
    assert!(spec.groups.iter().all(|g| (g.min, g.max) == (1, 1)));
    assert!(spec.allows(&[true, false, false, true]).is_ok());
    assert!(spec.allows(&[true, true, false, true]).is_err());
    assert!(spec.allows(&[false, false, false, true]).is_err());
}
