use super::*;
use crate::statistics::defs::{F0601, F0602, F0603, F0604, F0605, FORMS};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn award(name: &str, level: &str, target: &str) -> AwardFact {
    AwardFact {
        name: name.into(),
        level: level.into(),
        target: target.into(),
    }
}

fn cell(f: &Filled, row: &str, col: &str) -> Cell {
    let j = f.def.cols.iter().position(|c| c.code == col).unwrap();
    f.rows.iter().find(|r| r.code == row).unwrap().cells[j].clone()
}

#[test]
fn a_movement_lasts_by_the_months_it_touches() {
    assert_eq!(duration_row(d(2023, 3, 1), Some(d(2023, 9, 30))), "06");
    assert_eq!(duration_row(d(2023, 1, 1), Some(d(2023, 12, 31))), "07");
    assert_eq!(duration_row(d(2023, 1, 1), None), "07");
    assert_eq!(duration_row(d(2023, 1, 1), Some(d(2024, 6, 30))), "08");
    assert_eq!(duration_row(d(2021, 1, 1), Some(d(2023, 12, 31))), "09");
    assert_eq!(duration_row(d(2021, 1, 1), Some(d(2025, 12, 31))), "10");
}

#[test]
fn awards_land_in_their_column_by_level_kind_and_target() {
    let flag = award("Cờ thi đua của Chính phủ", "government", "collective");
    assert_eq!(classify(&flag), Some((Level::Government, Kind::Flag, true)));
    let province = award(
        "Cờ thi đua của UBND tỉnh",
        "ministry_province",
        "collective",
    );
    assert_eq!(
        classify(&province),
        Some((Level::MinistryProvince, Kind::Flag, true))
    );
    // From paper, no type: the name tells the level and that a soldier is a person.
    let paper = award("Chiến sĩ thi đua toàn quốc", "", "");
    assert_eq!(
        classify(&paper),
        Some((Level::Government, Kind::Soldier, false))
    );
    assert_eq!(
        classify(&award("Giấy khen", "grassroots", "collective")),
        None
    );
    assert_eq!(
        classify(&award(
            "Tập thể lao động xuất sắc",
            "ministry_province",
            "collective"
        )),
        None
    );
}

#[test]
fn computed_cells_count_the_facts_and_totals_add_them_with_typed_ones() {
    let facts = Facts {
        movements: vec![
            MovementFact {
                kind: "thuong_xuyen".into(),
                starts_on: d(2023, 1, 1),
                ends_on: None,
                by_council: true,
            },
            MovementFact {
                kind: "chuyen_de".into(),
                starts_on: d(2023, 3, 1),
                ends_on: Some(d(2023, 6, 30)),
                by_council: false,
            },
        ],
        awards: vec![
            award(
                "Cờ thi đua của UBND tỉnh",
                "ministry_province",
                "collective",
            ),
            award(
                "Bằng khen của Chủ tịch UBND tỉnh",
                "ministry_province",
                "collective",
            ),
            award(
                "Bằng khen của Chủ tịch UBND tỉnh",
                "ministry_province",
                "collective",
            ),
            award("Cờ thi đua của Chính phủ", "government", "collective"),
        ],
    };
    let mut typed = Typed::new();
    typed.insert(("02".into(), "2".into()), 5);
    let f = fill(&F0601, &facts, &typed);
    assert_eq!(cell(&f, "03", "3").value, Some(1));
    assert_eq!(cell(&f, "04", "4").value, Some(1));
    assert_eq!(cell(&f, "02", "2").source, Source::Typed);
    assert_eq!(cell(&f, "01", "1").value, Some(7));
    assert_eq!(cell(&f, "06", "4").value, Some(1));
    assert_eq!(cell(&f, "07", "3").value, Some(1));
    assert_eq!(cell(&f, "11", "4").value, Some(1));
    assert_eq!(cell(&f, "12", "3").value, Some(1));
    assert_eq!(cell(&f, "03", "2").source, Source::Blank);

    let f = fill(&F0603, &facts, &Typed::new());
    assert_eq!(cell(&f, "02", "2").value, Some(2));
    assert_eq!(cell(&f, "02", "4").value, Some(1));
    assert_eq!(cell(&f, "01", "1").value, Some(3));
    let f = fill(&F0602, &facts, &Typed::new());
    assert_eq!(cell(&f, "06", "5").value, Some(1));
    assert_eq!(cell(&f, "01", "1").value, Some(1));
}

#[test]
fn no_cell_is_both_computed_and_typed_and_totals_add_data_rows() {
    for f in FORMS {
        for r in f.rows {
            match &r.kind {
                RowKind::Data { computed, typed } => {
                    assert!(computed.iter().all(|c| !typed.contains(c)), "{}", r.code);
                }
                RowKind::Sum(parts) => {
                    for p in *parts {
                        let part = f.rows.iter().find(|x| x.code == *p).unwrap();
                        assert!(matches!(part.kind, RowKind::Data { .. }));
                    }
                }
                RowKind::Heading => {}
            }
        }
    }
}

fn typed_of(cells: &[(&str, &str, i64)]) -> Typed {
    cells
        .iter()
        .map(|(r, c, v)| ((r.to_string(), c.to_string()), *v))
        .collect()
}

#[test]
fn staffing_forms_are_all_typed_and_their_totals_add_the_first_breakdown() {
    let facts = Facts::default();
    for def in [&F0604, &F0605] {
        for r in def.rows {
            if let RowKind::Data { computed, .. } = &r.kind {
                assert!(computed.is_empty(), "thidua counts no staff: {}", r.code);
            }
        }
    }
    let f = fill(&F0604, &facts, &typed_of(&[("02", "1", 2), ("05", "1", 3)]));
    assert_eq!(cell(&f, "01", "1").value, Some(5));
    assert_eq!(cell(&f, "03", "1").source, Source::Typed);
    assert_eq!(cell(&f, "03", "1").value, None);

    // 0605: the ages make the total; training and seniority are other breakdowns of it.
    let typed = typed_of(&[
        ("02", "1", 3),
        ("02", "2", 2),
        ("04", "1", 1),
        ("11", "1", 4),
        ("13", "1", 4),
        ("13", "2", 1),
    ]);
    let f = fill(&F0605, &facts, &typed);
    assert_eq!(cell(&f, "01", "1").value, Some(4));
    assert_eq!(cell(&f, "01", "2").value, Some(2));
    assert_eq!(over_limits(&f), vec![]);
    // Training adds up in column 1 (4 = 4); seniority's women (1) differ from the total's (2);
    // training's women are not filled yet and say nothing.
    assert_eq!(
        mismatches(&f),
        vec![Mismatch {
            label: F0605.breakdowns[1].label,
            col: "2",
            sum: 1,
            total: 2,
        }]
    );
}

#[test]
fn women_above_the_rows_people_are_over_the_limit() {
    let typed = typed_of(&[("03", "1", 2), ("03", "2", 3), ("05", "2", 1)]);
    let f = fill(&F0605, &Facts::default(), &typed);
    assert_eq!(
        over_limits(&f),
        vec![
            OverLimit {
                row: "03",
                col: "2",
                limit_col: "1",
                limit: 2,
            },
            // A row with women and no people typed: its total counts 0.
            OverLimit {
                row: "05",
                col: "2",
                limit_col: "1",
                limit: 0,
            },
        ]
    );
}

#[test]
fn typed_figures_are_whole_and_not_negative() {
    assert_eq!(parse_figure(""), Ok(None));
    assert_eq!(parse_figure(" 12 "), Ok(Some(12)));
    assert_eq!(parse_figure("1.250"), Ok(Some(1250)));
    assert!(parse_figure("-3").unwrap_err().contains("âm"));
    assert!(parse_figure("1.5").is_err());
    assert!(parse_figure("12a").is_err());
    assert!(parse_figure("2,5").is_err());
    assert!(parse_figure("99999999999").is_err());
}

fn any_facts() -> impl Strategy<Value = Facts> {
    let movement = (
        0usize..3,
        0i64..2000,
        proptest::option::of(0i64..2500),
        any::<bool>(),
    )
        .prop_map(|(k, s, len, by_council)| {
            let starts_on = d(2020, 1, 1) + chrono::Days::new(s as u64);
            MovementFact {
                kind: ["thuong_xuyen", "theo_dot", "chuyen_de"][k].into(),
                starts_on,
                ends_on: len.map(|l| starts_on + chrono::Days::new(l as u64)),
                by_council,
            }
        });
    let names = [
        "Cờ thi đua của Chính phủ",
        "Bằng khen của Thủ tướng Chính phủ",
        "Chiến sĩ thi đua toàn quốc",
        "Cờ thi đua của tỉnh",
        "Bằng khen của tỉnh",
        "Chiến sĩ thi đua cấp tỉnh",
        "Giấy khen",
    ];
    let levels = ["government", "ministry_province", "grassroots", ""];
    let targets = ["collective", "individual", ""];
    let award = (0usize..7, 0usize..4, 0usize..3)
        .prop_map(move |(n, l, t)| award(names[n], levels[l], targets[t]));
    (
        proptest::collection::vec(movement, 0..20),
        proptest::collection::vec(award, 0..30),
    )
        .prop_map(|(movements, awards)| Facts { movements, awards })
}

proptest! {
    /// Whatever is counted and typed, every total equals the sum of its parts, across and down.
    #[test]
    fn totals_always_equal_the_sum_of_their_parts(
        facts in any_facts(),
        values in proptest::collection::vec(0i64..100_000, 200),
        form in 0usize..FORMS.len(),
    ) {
        let def = FORMS[form];
        let mut typed = Typed::new();
        let mut k = 0;
        for r in def.rows {
            for c in def.cols {
                if source_of(&r.kind, c.code) == Source::Typed && c.parts.is_empty() {
                    if values[k % values.len()] % 3 != 0 {
                        typed.insert((r.code.into(), c.code.into()), values[k % values.len()]);
                    }
                    k += 1;
                }
            }
        }
        let f = fill(def, &facts, &typed);
        for (i, r) in def.rows.iter().enumerate() {
            let row = &f.rows[i];
            for (j, c) in def.cols.iter().enumerate() {
                let v = row.cells[j].value.unwrap_or(0);
                if !c.parts.is_empty() && !row.heading {
                    let parts: i64 = def.cols.iter().enumerate()
                        .filter(|(_, p)| c.parts.contains(&p.code))
                        .map(|(x, _)| row.cells[x].value.unwrap_or(0))
                        .sum();
                    prop_assert_eq!(v, parts, "row {} col {}", r.code, c.code);
                }
                if let RowKind::Sum(parts) = r.kind {
                    let down: i64 = f.rows.iter()
                        .filter(|p| parts.contains(&p.code))
                        .map(|p| p.cells[j].value.unwrap_or(0))
                        .sum();
                    prop_assert_eq!(v, down, "row {} col {}", r.code, c.code);
                }
                // A typed cell shows what was typed, a computed one what was counted.
                match row.cells[j].source {
                    Source::Typed => prop_assert_eq!(
                        row.cells[j].value,
                        typed.get(&(r.code.to_string(), c.code.to_string())).copied()
                    ),
                    Source::Computed => prop_assert_eq!(
                        v,
                        computed(def.code, r.code, c.code, &facts)
                    ),
                    _ => {}
                }
            }
        }
    }
}

proptest! {
    /// A row is over its limit exactly when its women outnumber its people.
    #[test]
    fn a_row_is_over_its_limit_exactly_when_women_exceed_people(
        cells in proptest::collection::vec((0usize..14, proptest::option::of(0i64..50), proptest::option::of(0i64..50)), 0..14),
    ) {
        let rows: Vec<&str> = F0605.rows.iter()
            .filter(|r| matches!(r.kind, RowKind::Data { .. }))
            .map(|r| r.code)
            .collect();
        let mut typed = Typed::new();
        for (i, people, women) in &cells {
            if let Some(p) = people { typed.insert((rows[*i].into(), "1".into()), *p); }
            if let Some(w) = women { typed.insert((rows[*i].into(), "2".into()), *w); }
        }
        let over: Vec<&str> = over_limits(&fill(&F0605, &Facts::default(), &typed))
            .iter().map(|o| o.row).collect();
        for r in rows {
            let people = typed.get(&(r.to_string(), "1".to_string())).copied().unwrap_or(0);
            let women = typed.get(&(r.to_string(), "2".to_string())).copied();
            prop_assert_eq!(over.contains(&r), women.is_some_and(|w| w > people), "row {}", r);
        }
    }
}
