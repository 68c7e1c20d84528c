//! The sheet's rules: what a save changes, finalising, submission, states and transitions.

use rust_decimal::Decimal;

use super::*;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A table with a standard section (1.1 max 10, 1.2 max 10 needing evidence) and a bonus one
/// (2.1 max 2), as the sheet rules see it.
pub(crate) fn small_table() -> crate::scoring::tables::TableFull {
    use crate::scoring::tables::{Criterion, Section, Table, TableFull};
    let section = |id, code: &str, kind: SectionKind| Section {
        id,
        position: id as i32,
        code: code.into(),
        title: code.into(),
        kind,
    };
    let criterion = |id, section_id, code: &str, evidence_required| Criterion {
        id,
        section_id,
        position: id as i32,
        code: code.into(),
        text: code.into(),
        max_points: dec("10"),
        step: dec("0.5"),
        guidance: String::new(),
        evidence_required,
    };
    TableFull {
        table: Table {
            id: 1,
            name: "Bảng".into(),
            description: String::new(),
            bonus_cap: dec("3"),
            penalty_cap: dec("3"),
            tie_break_codes: Vec::new(),
            cluster_year_id: None,
            copied_from: None,
            frozen_at: None,
        },
        sections: vec![
            section(1, "I", SectionKind::Standard),
            section(2, "II", SectionKind::Bonus),
        ],
        criteria: vec![
            criterion(11, 1, "1.1", false),
            criterion(12, 1, "1.2", true),
            criterion(21, 2, "2.1", false),
        ],
        bands: Vec::new(),
    }
}

fn claim(criterion_id: i64, points: Option<&str>) -> sheet::Entry {
    sheet::Entry {
        criterion_id,
        self_points: points.map(dec),
        ..Default::default()
    }
}

#[test]
fn a_save_records_only_the_lines_it_changes() {
    let t = small_table();
    let stored = vec![claim(11, Some("8")), claim(12, None)];
    let typed = vec![
        claim(11, Some("8")),
        claim(12, Some("9.5")),
        claim(21, Some("1")),
    ];
    let c = sheet::claim_changes(&t, &stored, &typed);
    let ids: Vec<i64> = c.lines.iter().map(|e| e.criterion_id).collect();
    assert_eq!(
        ids,
        vec![12, 21],
        "unchanged 1.1 is left alone; a new line counts"
    );
    assert_eq!(c.before["1.2"], serde_json::Value::Null);
    assert_eq!(c.after["1.2"], serde_json::json!("9,5"));
    assert_eq!(c.after["2.1"], serde_json::json!("1"));
    assert!(!c.before.contains_key("1.1"));
    let mut explained = typed[0].clone();
    explained.explanation = "Đã làm".into();
    assert_eq!(
        sheet::claim_changes(&t, &stored, &[explained]).lines.len(),
        1,
        "an explanation alone is a change"
    );
    assert!(sheet::claim_changes(&t, &stored, &stored).is_empty());
}

#[test]
fn verification_changes_keep_points_and_reason() {
    let t = small_table();
    let stored = vec![claim(11, Some("8")), claim(12, Some("9"))];
    let mut lowered = stored[0].clone();
    lowered.verified_points = Some(dec("7"));
    lowered.verify_reason = "Thiếu hồ sơ".into();
    let mut accepted = stored[1].clone();
    accepted.verified_points = accepted.self_points;
    assert!(!accepted.verification_needs_reason());
    let mut unexplained = lowered.clone();
    unexplained.verify_reason.clear();
    assert!(unexplained.verification_needs_reason());
    let lines = vec![lowered, accepted];
    let c = sheet::verification_changes(&t, &stored, &lines);
    assert_eq!(c.lines.len(), 2);
    assert_eq!(
        c.after["1.1"],
        serde_json::json!({ "points": "7", "reason": "Thiếu hồ sơ" })
    );
    assert_eq!(c.before["1.1"], serde_json::Value::Null);
    assert!(sheet::verification_changes(&t, &lines, &lines).is_empty());
}

#[test]
fn finalising_accepts_the_claims_left_unverified() {
    let mut verified = claim(11, Some("8"));
    verified.verified_points = Some(dec("6"));
    let out = sheet::accepted_claims(&[verified, claim(12, Some("9")), claim(21, None)]);
    let got: Vec<(i64, Option<Decimal>)> = out
        .iter()
        .map(|e| (e.criterion_id, e.verified_points))
        .collect();
    assert_eq!(got, vec![(12, Some(dec("9"))), (21, None)]);
}

#[test]
fn submission_names_unscored_criteria_and_missing_evidence() {
    let t = small_table();
    let entries = vec![claim(11, None), claim(12, Some("9")), claim(21, None)];
    assert_eq!(
        sheet::unscored(&t, &entries),
        vec!["1.1".to_string()],
        "a bonus criterion may stay empty"
    );
    assert_eq!(
        sheet::missing_evidence(&t, &entries, &[]),
        vec!["1.2".to_string()]
    );
    assert!(sheet::missing_evidence(&t, &entries, &[12]).is_empty());
    let mut na = claim(11, None);
    na.not_applicable = true;
    let mut na_evidence = claim(12, None);
    na_evidence.not_applicable = true;
    assert!(sheet::unscored(&t, &[na, na_evidence.clone()]).is_empty());
    assert!(sheet::missing_evidence(&t, &[na_evidence], &[]).is_empty());
}

#[test]
fn sheet_transitions_follow_the_life_of_a_sheet() {
    use SheetStatus::*;
    assert_eq!(Draft.submit(), Some(Submitted));
    assert_eq!(
        Returned.submit(),
        Some(Submitted),
        "a returned sheet goes in again"
    );
    assert_eq!(Submitted.submit(), None);
    assert_eq!(Finalised.submit(), None);
    assert_eq!(Submitted.return_to_unit(), Some(Returned));
    assert_eq!(Submitted.finalise(), Some(Finalised));
    for s in [Draft, Returned, Finalised] {
        assert_eq!(s.return_to_unit(), None, "{s:?} cannot be returned");
        assert_eq!(s.finalise(), None, "{s:?} cannot be finalised");
    }
    assert!(Draft.is_draft() && !Returned.is_draft());
    assert!(Finalised.is_finalised() && !Submitted.is_finalised());
}

#[test]
fn stored_states_read_back_or_fail() {
    for s in SheetStatus::ALL {
        assert_eq!(SheetStatus::try_from(s.as_str().to_string()).unwrap(), s);
    }
    assert!(SheetStatus::try_from("verified".to_string()).is_err());
    for k in [
        SectionKind::Standard,
        SectionKind::Bonus,
        SectionKind::Penalty,
    ] {
        assert_eq!(SectionKind::try_from(k.as_str().to_string()).unwrap(), k);
        assert_eq!(serde_json::json!(k), serde_json::json!(k.as_str()));
    }
    assert!(SectionKind::try_from("extra".to_string()).is_err());
}
