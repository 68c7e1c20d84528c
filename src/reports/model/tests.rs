use super::*;
use rust_decimal::Decimal;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn cy(id: i64, name: &str, leader: Option<(i64, &str)>) -> ClusterYear {
    ClusterYear {
        id,
        cluster_id: id * 10,
        cluster_name: name.into(),
        cluster_superior: String::new(),
        kind: "cum".into(),
        year: 2024,
        phase: crate::org::model::Phase::Scoring,
        leader_unit_id: leader.map(|l| l.0),
        deputy_unit_id: None,
        leader_name: leader.map(|l| l.1.to_string()),
        deputy_name: None,
        criteria_table_id: None,
        scoring_deadline: None,
        registration_deadline: None,
        results_version: 0,
        council_version: 0,
    }
}

fn sheet(unit_id: i64, status: SheetStatus, days_late: i64) -> SheetInput {
    SheetInput {
        unit_id,
        name: format!("Đơn vị {unit_id}"),
        status,
        days_late,
    }
}

fn award_type(id: i64, name: &str, level: &str) -> AwardTypeInfo {
    AwardTypeInfo {
        id,
        name: name.into(),
        level: level.into(),
        target: "collective".into(),
        active: true,
    }
}

fn types() -> Vec<AwardTypeInfo> {
    vec![
        award_type(1, "Cờ thi đua của Chính phủ", "government"),
        award_type(
            2,
            "Cờ thi đua của Bộ, ban, ngành, tỉnh",
            "ministry_province",
        ),
        award_type(3, "Bằng khen của Thủ tướng Chính phủ", "government"),
    ]
}

fn award(id: i64, year: i32, name: &str, date: Option<NaiveDate>) -> UnitAward {
    UnitAward {
        id,
        unit_id: 9,
        year,
        award_name: name.into(),
        award_type_id: None,
        decision_number: String::new(),
        decision_date: date,
        issuer: String::new(),
        decision_id: None,
    }
}

#[test]
fn a_dossier_is_late_when_sent_after_the_deadline_or_still_unsent() {
    let dl = Some(d(2024, 12, 10));
    let today = d(2024, 12, 20);
    use DossierState::*;
    assert_eq!(dossier_days_late(Missing, None, dl, today), 10);
    assert_eq!(dossier_days_late(Draft, None, dl, today), 10);
    assert_eq!(dossier_days_late(Sent, Some(d(2024, 12, 12)), dl, today), 2);
    assert_eq!(
        dossier_days_late(Received, Some(d(2024, 12, 9)), dl, today),
        0
    );
    // Sent, but the day is not known: not counted as late.
    assert_eq!(dossier_days_late(Decided, None, dl, today), 0);
    assert_eq!(dossier_days_late(Missing, None, dl, d(2024, 12, 10)), 0);
}

fn dashboard(share: i64) -> Dashboard {
    let years = vec![
        YearInput {
            year: cy(1, "Cụm A", Some((11, "Cục THADS"))),
            sheets: Some(vec![
                sheet(11, SheetStatus::Finalised, 0),
                sheet(12, SheetStatus::Submitted, 3),
                sheet(13, SheetStatus::Returned, 5),
                sheet(14, SheetStatus::Draft, 5),
                sheet(15, SheetStatus::Draft, 0),
            ]),
        },
        YearInput {
            year: cy(2, "Cụm B", None),
            sheets: None,
        },
        YearInput {
            year: cy(3, "Cụm C", Some((31, "Tòa án tỉnh"))),
            sheets: Some(vec![]),
        },
    ];
    let sent = |day| Some(d(2024, 12, day).and_hms_opt(3, 0, 0).unwrap().and_utc());
    let dossiers = vec![
        DossierInput {
            cluster_year_id: 1,
            id: 100,
            state: "sent".into(),
            sent_at: sent(12),
        },
        DossierInput {
            cluster_year_id: 3,
            id: 300,
            state: "decided".into(),
            sent_at: sent(1),
        },
    ];
    let nominee = |cluster_year_id, award_type_id, unit_id: i64| NomineeInput {
        cluster_year_id,
        award_type_id,
        unit_id,
        unit_name: format!("Đơn vị {unit_id}"),
    };
    let nominees = vec![
        nominee(1, 1, 11),
        nominee(1, 2, 11),
        nominee(1, 3, 12),
        nominee(3, 1, 31),
        nominee(3, 2, 31),
    ];
    let decided = vec![
        DecidedInput {
            cluster_year_id: 3,
            unit_id: 31,
            award_type_id: Some(2),
            award_name: "Cờ thi đua của Bộ, ban, ngành, tỉnh".into(),
        },
        DecidedInput {
            cluster_year_id: 3,
            unit_id: 31,
            award_type_id: None,
            award_name: "Huân chương Lao động hạng Ba".into(),
        },
    ];
    let settings = Settings {
        government_flag_share: Decimal::from(share),
        ..Settings::default()
    };
    council(
        2024,
        &years,
        &dossiers,
        &nominees,
        &decided,
        &types(),
        &settings,
        FlagCheck {
            share: share.to_string(),
            leaders: 5,
            allowed: crate::settings::model::government_flag_limit(Decimal::from(share), 5).into(),
            nominees: vec![FlagNominee {
                unit_id: 1,
                unit: "Đơn vị 1".into(),
                cluster: "Cụm A".into(),
            }],
        },
        d(2024, 12, 20),
    )
}

#[test]
fn the_council_sees_each_cluster_its_sheets_lateness_and_dossier() {
    let db = dashboard(20);
    assert_eq!(db.deadline, Some(d(2024, 12, 10)));
    let a = &db.rows[0];
    assert_eq!(a.cluster, "Cụm A");
    assert_eq!(a.phase, "Chấm điểm, thẩm định");
    assert_eq!(a.kind, "Cụm thi đua");
    assert_eq!(a.leader, Some((11, "Cục THADS".to_string())));
    let s = a.scoring.as_ref().unwrap();
    assert_eq!((s.members, s.submitted, s.verified), (5, 2, 1));
    // Late: past the deadline without a submitted sheet (a late submission is no longer late).
    let late: Vec<i64> = s.late.iter().map(|l| l.unit_id).collect();
    assert_eq!(late, [13, 14]);
    assert_eq!(a.dossier, DossierState::Sent);
    assert_eq!(a.dossier_id, Some(100));
    assert_eq!(a.dossier_days_late, 2);
    let b = &db.rows[1];
    assert!(b.scoring.is_none());
    assert_eq!(b.dossier, DossierState::Missing);
    assert_eq!(b.dossier_id, None);
    assert_eq!(b.dossier_days_late, 10);
    assert_eq!(db.rows[2].dossier_days_late, 0);
    let states: Vec<(&str, usize)> = db.states.iter().map(|(s, n)| (s.label(), *n)).collect();
    assert_eq!(
        states,
        [
            ("Chưa lập", 1),
            ("Dự thảo", 0),
            ("Đã gửi", 1),
            ("Đã tiếp nhận", 0),
            ("Bị trả lại", 0),
            ("Đã quyết định", 1)
        ]
    );
}

#[test]
fn nominees_and_awards_are_counted_by_type_and_cluster() {
    let db = dashboard(20);
    let t = &db.awards;
    // The council's order of types, then names entered without a type.
    assert_eq!(
        t.columns,
        [
            "Cờ thi đua của Chính phủ",
            "Cờ thi đua của Bộ, ban, ngành, tỉnh",
            "Bằng khen của Thủ tướng Chính phủ",
            "Huân chương Lao động hạng Ba"
        ]
    );
    assert_eq!(t.rows.len(), 3);
    let c = |n, a| Count {
        nominees: n,
        awards: a,
    };
    assert_eq!(t.rows[0].cells, [c(1, 0), c(1, 0), c(1, 0), c(0, 0)]);
    assert_eq!(t.rows[1].total, c(0, 0));
    assert_eq!(t.rows[2].cells, [c(1, 0), c(1, 1), c(0, 0), c(0, 1)]);
    assert_eq!(t.totals, [c(2, 0), c(2, 1), c(1, 0), c(0, 1)]);
    assert_eq!(t.total, c(5, 2));
}

#[test]
fn the_government_flag_panel_weighs_the_councils_choice_against_the_share_of_leading_units() {
    // One unit chosen among five leading units: 20% of five allows one, 10% none.
    let db = dashboard(20);
    assert_eq!((db.flag.leaders, db.flag.allowed), (5, 1));
    assert!(db.flag.within());
    assert_eq!(db.flag.verdict(), "Đạt");
    let db = dashboard(10);
    assert_eq!(db.flag.allowed, 0);
    assert!(!db.flag.within());
    assert_eq!(db.flag.verdict(), "Vượt");
}

#[test]
fn history_has_a_row_per_cluster_year_and_per_year_of_awards_only() {
    let outcome = |year, cluster: &str, result: Option<Outcome>| YearOutcome {
        year,
        year_id: year as i64 * 10 + cluster.len() as i64,
        cluster: cluster.into(),
        result,
    };
    let r = |percent: &str, rank| Outcome {
        total: percent.parse().unwrap(),
        percent: percent.parse().unwrap(),
        rank,
        tied: rank == Some(2),
        of: 7,
        rating: Some("Xuất sắc".into()),
    };
    let outcomes = vec![
        outcome(2023, "Cụm Nội chính", Some(r("96.5", Some(2)))),
        outcome(2024, "Cụm Nội chính", None),
        outcome(2023, "Khối cơ quan", Some(r("90", Some(1)))),
    ];
    let awards = vec![
        award(1, 2023, "Cờ thi đua của tỉnh", None),
        award(2, 2023, "Bằng khen", None),
        award(3, 2015, "Giấy khen", None),
    ];
    let rows = history_rows(&outcomes, &awards);
    let years: Vec<i32> = rows.iter().map(|r| r.year).collect();
    assert_eq!(years, [2024, 2023, 2023, 2015]);
    assert_eq!(rows[0].total, "");
    assert_eq!(rows[1].cluster, "Cụm Nội chính");
    assert_eq!(rows[1].percent, "96,5%");
    assert_eq!(rows[1].rank, "2/7 (đồng hạng)");
    assert_eq!(rows[1].rating, "Xuất sắc");
    assert_eq!(rows[1].awards, ["Bằng khen", "Cờ thi đua của tỉnh"]);
    assert!(
        rows[2].awards.is_empty(),
        "the year's awards are shown once"
    );
    assert_eq!(rows[2].rank, "1/7");
    assert_eq!(rows[3].year_id, None);
    assert_eq!(rows[3].awards, ["Giấy khen"]);
}

fn row(name: &str) -> ClusterRow {
    ClusterRow {
        year_id: 1,
        cluster: name.into(),
        kind: "Cụm",
        leader: None,
        deputy: None,
        phase: "",
        scoring: None,
        dossier: DossierState::Missing,
        dossier_id: None,
        dossier_days_late: 0,
    }
}

#[test]
fn the_dashboards_clusters_come_fifty_to_a_page() {
    let rows: Vec<ClusterRow> = (1..=120)
        .map(|i| row(&format!("Cụm thi đua số {i}")))
        .collect();
    let (shown, p) = page_of_clusters(&rows, "", 2);
    assert_eq!(shown.len(), 50);
    assert_eq!(shown[0].cluster, "Cụm thi đua số 51");
    assert_eq!((p.page, p.last_page, p.matched, p.first), (2, 3, 120, 51));
    let (shown, p) = page_of_clusters(&rows, "", 9);
    assert_eq!((shown.len(), p.page, p.first), (20, 3, 101));
    let (shown, p) = page_of_clusters(&[], "", 1);
    assert_eq!((shown.len(), p.page, p.last_page, p.matched), (0, 1, 1, 0));
}

#[test]
fn the_dashboards_search_ignores_case_and_diacritics() {
    let rows = vec![
        row("Cụm thi đua các cơ quan Nội chính tỉnh"),
        row("Khối thi đua các Sở, ngành"),
        row("Cụm thi đua số II"),
    ];
    let names = |q: &str| -> Vec<String> {
        page_of_clusters(&rows, q, 1)
            .0
            .iter()
            .map(|r| r.cluster.clone())
            .collect()
    };
    assert_eq!(
        names("noi chinh"),
        ["Cụm thi đua các cơ quan Nội chính tỉnh"]
    );
    assert_eq!(names("KHỐI"), ["Khối thi đua các Sở, ngành"]);
    assert_eq!(names("  "), names(""));
    assert!(names("không có").is_empty());
}

proptest::proptest! {
    /// Every matching cluster is on exactly one page, in order.
    #[test]
    fn the_pages_hold_every_cluster_once(n in 0usize..300) {
        let rows: Vec<ClusterRow> = (0..n).map(|i| row(&format!("Cụm {i}"))).collect();
        let (_, p) = page_of_clusters(&rows, "", 1);
        let mut seen = Vec::new();
        for page in 1..=p.last_page {
            let (shown, q) = page_of_clusters(&rows, "", page);
            proptest::prop_assert_eq!(q.first, seen.len() + 1);
            seen.extend(shown.iter().map(|r| r.cluster.clone()));
        }
        let all: Vec<String> = rows.iter().map(|r| r.cluster.clone()).collect();
        proptest::prop_assert_eq!(seen, all);
    }
}
