use std::cmp::Ordering;

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::*;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn line(section: usize, kind: SectionKind, max: &str, points: &str) -> Line {
    Line {
        section,
        kind,
        max: dec(max),
        points: Some(dec(points)),
        not_applicable: false,
    }
}

#[test]
fn points_must_be_within_the_maximum_and_in_steps() {
    assert_eq!(check_points(dec("8.5"), dec("10"), dec("0.5")), None);
    assert!(
        check_points(dec("10.5"), dec("10"), dec("0.5"))
            .unwrap()
            .contains("vượt quá")
    );
    assert!(
        check_points(dec("-1"), dec("10"), dec("0.5"))
            .unwrap()
            .contains("âm")
    );
    assert!(
        check_points(dec("8.25"), dec("10"), dec("0.5"))
            .unwrap()
            .contains("bước 0,5")
    );
    assert_eq!(parse_points("8,5"), Ok(Some(dec("8.5"))));
    assert_eq!(parse_points(" "), Ok(None));
    assert!(parse_points("tám").is_err());
    assert_eq!(fmt(dec("89.250")), "89,25");
}

#[test]
fn totals_of_the_can_tho_shape() {
    // 100 points = 10 + 90; bonus up to 3; penalty up to 3.
    let lines = vec![
        line(0, SectionKind::Standard, "10", "9"),
        line(1, SectionKind::Standard, "50", "48"),
        line(1, SectionKind::Standard, "40", "37.5"),
        line(2, SectionKind::Bonus, "2", "2"),
        line(2, SectionKind::Bonus, "2", "2"),
        line(3, SectionKind::Penalty, "3", "1"),
    ];
    let t = totals(&lines, 4, dec("3"), dec("3"));
    assert_eq!(t.standard, dec("94.5"));
    assert_eq!(t.bonus, dec("3"), "bonus is capped");
    assert_eq!(t.penalty, dec("1"));
    assert_eq!(t.total, dec("96.5"));
    assert_eq!(t.applicable_max, dec("100"));
    assert_eq!(t.percent, dec("96.5"));
    assert!(!t.has_zero);
}

#[test]
fn a_criterion_not_applicable_lowers_the_maximum() {
    let mut lines = vec![
        line(0, SectionKind::Standard, "10", "9"),
        line(0, SectionKind::Standard, "90", "80"),
    ];
    lines[0].not_applicable = true;
    let t = totals(&lines, 1, dec("3"), dec("3"));
    assert_eq!(t.applicable_max, dec("90"));
    assert_eq!(t.percent, dec("88.89"));
}

#[test]
fn ratings_by_band_with_the_no_zero_condition() {
    let bands = vec![
        Band {
            name: "Xuất sắc".into(),
            min_percent: dec("95"),
            requires_no_zero: true,
        },
        Band {
            name: "Tốt".into(),
            min_percent: dec("85"),
            requires_no_zero: true,
        },
        Band {
            name: "Khá".into(),
            min_percent: dec("75"),
            requires_no_zero: true,
        },
        Band {
            name: "Trung bình".into(),
            min_percent: dec("0"),
            requires_no_zero: false,
        },
    ];
    assert_eq!(rating(dec("96"), false, &bands), Some("Xuất sắc"));
    assert_eq!(rating(dec("95"), false, &bands), Some("Xuất sắc"));
    assert_eq!(rating(dec("94.99"), false, &bands), Some("Tốt"));
    assert_eq!(rating(dec("80"), false, &bands), Some("Khá"));
    assert_eq!(
        rating(dec("96"), true, &bands),
        Some("Trung bình"),
        "a zero criterion bars the rated bands"
    );
    assert_eq!(rating(dec("10"), false, &bands[..3]), None);
}

#[test]
fn ties_break_on_named_sections_then_share_a_rank() {
    let e = |id, pct: &str, s0: &str, s1: &str| Entry {
        unit_id: id,
        percent: dec(pct),
        total: dec(pct),
        by_section: vec![dec(s0), dec(s1)],
    };
    let entries = vec![
        e(1, "90", "9", "81"),
        e(2, "95", "9", "86"),
        e(3, "90", "10", "80"),
        e(4, "90", "9", "81"),
    ];
    let r = rank(&entries, &[0]);
    let by_unit = |id| r.iter().find(|x| x.unit_id == id).unwrap().clone();
    assert_eq!(
        by_unit(2),
        Ranked {
            unit_id: 2,
            rank: 1,
            tied: false
        }
    );
    assert_eq!(
        by_unit(3),
        Ranked {
            unit_id: 3,
            rank: 2,
            tied: false
        },
        "section I breaks the tie"
    );
    assert_eq!(by_unit(1).rank, 3);
    assert_eq!(by_unit(4).rank, 3);
    assert!(
        by_unit(1).tied && by_unit(4).tied,
        "still tied: flagged for the vote"
    );
}

#[test]
fn submission_needs_evidence_scores_and_time() {
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert!(submission_problems(&[], &[], d("2024-11-30"), Some(d("2024-11-30"))).is_empty());
    let p = submission_problems(
        &["2.1".into()],
        &["1.3".into()],
        d("2024-12-01"),
        Some(d("2024-11-30")),
    );
    assert_eq!(p.len(), 3);
    assert!(p[0].contains("quá hạn nộp (30/11/2024)"));
    assert!(p[1].contains("1.3"));
    assert!(p[2].contains("2.1"));
    assert_eq!(days_late(Some(d("2024-11-30")), None, d("2024-12-03")), 3);
    assert_eq!(
        days_late(
            Some(d("2024-11-30")),
            Some(d("2024-11-29")),
            d("2024-12-03")
        ),
        0
    );
    assert_eq!(days_late(None, None, d("2024-12-03")), 0);
}

#[test]
fn sheet_states_decide_who_may_act() {
    assert!(SheetStatus::Draft.unit_may_edit());
    assert!(SheetStatus::Returned.unit_may_edit());
    assert!(!SheetStatus::Submitted.unit_may_edit());
    assert!(!SheetStatus::Finalised.unit_may_edit());
    assert!(SheetStatus::Submitted.verifier_may_act());
    assert!(!SheetStatus::Finalised.verifier_may_act());
    for s in ["draft", "submitted", "returned", "finalised"] {
        assert_eq!(SheetStatus::parse(s).as_str(), s);
    }
}

fn arb_entry() -> impl Strategy<Value = Entry> {
    (
        0i64..1000,
        0u32..=10000,
        proptest::collection::vec(0u32..=100, 3),
    )
        .prop_map(|(id, pct, secs)| Entry {
            unit_id: id,
            percent: Decimal::new(pct as i64, 2),
            total: Decimal::new(pct as i64, 2),
            by_section: secs.into_iter().map(Decimal::from).collect(),
        })
}

proptest! {
    #[test]
    fn ranking_is_a_total_order(mut entries in proptest::collection::vec(arb_entry(), 0..30)) {
        entries.sort_by_key(|e| e.unit_id);
        entries.dedup_by_key(|e| e.unit_id);
        let r = rank(&entries, &[0, 1]);
        // Every unit exactly once.
        prop_assert_eq!(r.len(), entries.len());
        // Ranks never decrease down the list, start at 1, and a rank k has exactly k-1 units
        // strictly ahead of it.
        for (i, x) in r.iter().enumerate() {
            if i == 0 { prop_assert_eq!(x.rank, 1); } else { prop_assert!(x.rank >= r[i - 1].rank); }
            let ahead = r.iter().filter(|y| y.rank < x.rank).count();
            prop_assert_eq!(ahead, x.rank - 1);
        }
        // Shared ranks are exactly the tied ones, and tied units compare equal.
        let find = |id| entries.iter().find(|e| e.unit_id == id).unwrap();
        for w in r.windows(2) {
            let same = w[0].rank == w[1].rank;
            prop_assert_eq!(same, compare(find(w[0].unit_id), find(w[1].unit_id), &[0, 1]) == Ordering::Equal);
            if same { prop_assert!(w[0].tied && w[1].tied); }
        }
        // The order does not depend on the input order.
        let mut reversed = entries.clone();
        reversed.reverse();
        prop_assert_eq!(rank(&reversed, &[0, 1]), r);
    }

    #[test]
    fn totals_stay_within_their_bounds(
        pts in proptest::collection::vec((0u32..=20, 1u32..=20, 0usize..3, any::<bool>()), 0..40),
        bonus_cap in 0u32..=5, penalty_cap in 0u32..=5,
    ) {
        let kinds = [SectionKind::Standard, SectionKind::Bonus, SectionKind::Penalty];
        let lines: Vec<Line> = pts.iter().map(|(p, m, k, na)| Line {
            section: *k,
            kind: kinds[*k],
            max: Decimal::from(*m),
            points: Some(Decimal::from((*p).min(*m))),
            not_applicable: *na,
        }).collect();
        let t = totals(&lines, 3, Decimal::from(bonus_cap), Decimal::from(penalty_cap));
        prop_assert!(t.standard <= t.applicable_max);
        prop_assert!(t.bonus <= Decimal::from(bonus_cap));
        prop_assert!(t.penalty <= Decimal::from(penalty_cap));
        prop_assert_eq!(t.total, t.standard + t.bonus - t.penalty);
        if !t.applicable_max.is_zero() {
            prop_assert!(t.percent <= (Decimal::from(100) * (t.applicable_max + Decimal::from(bonus_cap)) / t.applicable_max).round_dp(2) + Decimal::new(1, 2));
        }
    }
}
