use super::*;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn a_table_needs_a_name_and_caps_that_are_not_negative() {
    let (_, e) = TableForm::default().validate();
    assert!(e.has("name"));
    let form = TableForm {
        name: "Bảng 2025".into(),
        bonus_cap: "3".into(),
        penalty_cap: "".into(),
        tie_break_codes: "II, I".into(),
        ..Default::default()
    };
    let (f, e) = form.validate();
    assert!(e.is_empty(), "{e:?}");
    assert_eq!((f.bonus_cap, f.penalty_cap), (dec("3"), Decimal::ZERO));
    assert_eq!(f.tie_break_codes, vec!["II".to_string(), "I".into()]);
    let form = TableForm {
        name: "Bảng".into(),
        bonus_cap: "-1".into(),
        penalty_cap: "x".into(),
        ..Default::default()
    };
    let (_, e) = form.validate();
    assert!(e.has("bonus_cap") && e.has("penalty_cap"));
}

#[test]
fn a_criterion_is_checked_field_by_field() {
    let ok = CriterionForm {
        section_id: "7".into(),
        code: "1.1".into(),
        text: "Ban hành kế hoạch".into(),
        max_points: "2,5".into(),
        step: "".into(),
        evidence_required: "on".into(),
        ..Default::default()
    };
    let (f, e) = ok.validate(&[7]);
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(
        (f.max_points, f.step, f.evidence_required),
        (dec("2.5"), dec("0.5"), true)
    );
    let (_, e) = CriterionForm {
        max_points: "abc".into(),
        ..ok.clone()
    }
    .validate(&[7]);
    assert!(e.get("max_points").unwrap().contains("Hãy nhập một số"));
    let (_, e) = CriterionForm {
        max_points: "-3".into(),
        ..ok.clone()
    }
    .validate(&[7]);
    assert!(e.get("max_points").unwrap().contains("âm"));
    let (_, e) = CriterionForm {
        max_points: "2,25".into(),
        ..ok.clone()
    }
    .validate(&[7]);
    assert!(e.get("step").unwrap().contains("không chia hết"));
    let (_, e) = ok.validate(&[8]);
    assert!(e.has("section_id"));
}

#[test]
fn bands_come_from_numbered_rows() {
    let posted: Vec<(String, String)> = [
        ("csrf", "t"),
        ("name_0", "Xuất sắc"),
        ("min_0", "95"),
        ("no_zero_0", "on"),
        ("name_1", ""),
        ("min_1", ""),
        ("name_2", "Hoàn thành nhiệm vụ"),
        ("min_2", "0"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let rows = band_inputs(&posted);
    let (bands, e) = validate_bands(&rows);
    assert!(e.is_empty(), "{e:?}");
    assert_eq!(bands.len(), 2);
    assert!(bands[0].requires_no_zero && !bands[1].requires_no_zero);
    assert_eq!(band_rows_again(rows).len(), 4);
    let mut rows = band_inputs(&posted);
    rows[2].min = "120".into();
    rows[1] = BandInput {
        name: "xuất sắc".into(),
        min: "90".into(),
        no_zero: true,
    };
    let (_, e) = validate_bands(&rows);
    assert!(e.has("min_2"));
    rows[2].min = "50".into();
    let (_, e) = validate_bands(&rows);
    assert!(e.get("name_1").unwrap().contains("hai lần"));
}
