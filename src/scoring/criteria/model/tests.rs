use super::*;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn crit(code: &str, max: &str) -> DraftCriterion {
    DraftCriterion {
        code: code.into(),
        text: format!("Tiêu chí {code}"),
        max_points: dec(max),
        step: DEFAULT_STEP,
        guidance: String::new(),
        evidence_required: false,
    }
}

fn sample() -> Draft {
    Draft {
        name: "Bảng mẫu".into(),
        description: String::new(),
        bonus_cap: dec("3"),
        penalty_cap: dec("3"),
        tie_break_codes: vec!["II".into(), "I".into()],
        sections: vec![
            DraftSection {
                code: "I".into(),
                title: "Chỉ đạo".into(),
                kind: SectionKind::Standard,
                criteria: vec![crit("1.1", "10")],
            },
            DraftSection {
                code: "II".into(),
                title: "Nhiệm vụ".into(),
                kind: SectionKind::Standard,
                criteria: vec![crit("2.1", "90")],
            },
            DraftSection {
                code: "III".into(),
                title: "Điểm thưởng".into(),
                kind: SectionKind::Bonus,
                criteria: vec![crit("3.1", "2")],
            },
        ],
        bands: vec![DraftBand {
            name: "Xuất sắc".into(),
            min_percent: dec("95"),
            requires_no_zero: true,
        }],
    }
}

#[test]
fn codes_are_short_and_free_of_separators() {
    assert_eq!(check_code(" 1.1 "), Ok("1.1".into()));
    assert!(check_code("  ").is_err());
    assert!(check_code(&"x".repeat(21)).unwrap_err().contains("20"));
    assert!(check_code("I,II").is_err());
    assert_eq!(
        duplicate_codes(["I", "1.1", "II", "1.1", "I", "1.1"]),
        vec!["1.1".to_string(), "I".into()]
    );
}

#[test]
fn figures_read_either_separator_and_two_decimals_at_most() {
    assert_eq!(parse_figure("8,5"), Ok(Some(dec("8.5"))));
    assert_eq!(parse_figure("0.25"), Ok(Some(dec("0.25"))));
    assert_eq!(parse_figure("95%"), Ok(Some(dec("95"))));
    assert_eq!(parse_figure("10.00"), Ok(Some(dec("10"))));
    assert_eq!(parse_figure(""), Ok(None));
    assert!(parse_figure("abc").is_err());
    assert!(parse_figure("-1").unwrap_err().contains("âm"));
    assert!(parse_figure("0,125").unwrap_err().contains("2 chữ số"));
    assert!(parse_figure("10000").is_err());
}

#[test]
fn the_maximum_is_a_whole_number_of_steps() {
    assert_eq!(check_max_step(dec("10"), dec("0.5")), None);
    assert_eq!(check_max_step(dec("2.5"), dec("0.25")), None);
    assert_eq!(
        check_max_step(dec("0"), dec("0.5")).unwrap().0,
        "max_points"
    );
    assert_eq!(check_max_step(dec("3"), dec("0")).unwrap().0, "step");
    assert_eq!(check_max_step(dec("1"), dec("2")).unwrap().0, "step");
    let (field, msg) = check_max_step(dec("2.25"), dec("0.5")).unwrap();
    assert_eq!(field, "step");
    assert!(msg.contains("2,25") && msg.contains("0,5"), "{msg}");
}

#[test]
fn tie_break_codes_are_a_list() {
    assert_eq!(
        parse_tie_break(" II, I "),
        Ok(vec!["II".to_string(), "I".into()])
    );
    assert_eq!(
        parse_tie_break("II;I,"),
        Ok(vec!["II".to_string(), "I".into()])
    );
    assert_eq!(parse_tie_break(""), Ok(vec![]));
    assert!(parse_tie_break("I, I").is_err());
    assert_eq!(tie_break_text(&["II".into(), "I".into()]), "II, I");
}

#[test]
fn kinds_and_yes_no_are_read_as_people_write_them() {
    assert_eq!(parse_kind(""), Some(SectionKind::Standard));
    assert_eq!(parse_kind("Chấm điểm"), Some(SectionKind::Standard));
    assert_eq!(parse_kind("ĐIỂM THƯỞNG"), Some(SectionKind::Bonus));
    assert_eq!(parse_kind("Điểm trừ"), Some(SectionKind::Penalty));
    assert_eq!(parse_kind("khác"), None);
    for k in [
        SectionKind::Standard,
        SectionKind::Bonus,
        SectionKind::Penalty,
    ] {
        assert_eq!(parse_kind(kind_word(k)), Some(k));
    }
    assert_eq!(parse_yes_no("x"), Some(true));
    assert_eq!(parse_yes_no("Có"), Some(true));
    assert_eq!(parse_yes_no(""), Some(false));
    assert_eq!(parse_yes_no("không"), Some(false));
    assert_eq!(parse_yes_no("có lẽ"), None);
}

#[test]
fn bands_have_unique_names_and_thresholds_within_0_to_100() {
    assert_eq!(check_band_min("95"), Ok(dec("95")));
    assert_eq!(check_band_min("0"), Ok(dec("0")));
    assert!(check_band_min("101").is_err());
    assert!(check_band_min("-5").is_err());
    assert!(check_band_min("").is_err());
    assert!(check_band_name(" ").is_err());
    let b = |n: &str, m: &str| DraftBand {
        name: n.into(),
        min_percent: dec(m),
        requires_no_zero: true,
    };
    assert!(check_band_set(&[b("Xuất sắc", "95"), b("Tốt", "85")]).is_empty());
    let p = check_band_set(&[b("Tốt", "95"), b("tốt", "85"), b("Khá", "95")]);
    assert_eq!(p.len(), 2);
    assert_eq!((p[0].0, p[0].1), (1, "name"));
    assert_eq!((p[1].0, p[1].1), (2, "min"));
}

#[test]
fn a_table_is_usable_with_a_standard_section_and_says_what_is_missing() {
    let d = sample();
    assert!(
        usability_problems(&d).is_empty(),
        "{:?}",
        usability_problems(&d)
    );
    assert_eq!(d.sum_of(SectionKind::Standard), dec("100"));
    assert_eq!(d.criteria_count(), 3);
    let mut bare = d.clone();
    bare.sections.retain(|s| s.kind != SectionKind::Standard);
    bare.bonus_cap = Decimal::ZERO;
    bare.bands.clear();
    let p = usability_problems(&bare);
    assert!(p[0].contains("chưa dùng để chấm điểm được"));
    assert!(p.iter().any(|m| m.contains("“II”")));
    assert!(p.iter().any(|m| m.contains("mức xếp loại")));
    assert!(p.iter().any(|m| m.contains("điểm thưởng tối đa là 0")));
}

#[test]
fn a_whole_draft_is_checked_for_duplicate_codes_and_steps() {
    assert!(check_draft(&sample()).is_empty());
    let mut d = sample();
    d.sections[1].criteria.push(crit("1.1", "2.25"));
    let p = check_draft(&d);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(p[0].contains("“1.1”"));
    assert!(p[1].contains("không chia hết"));
}
