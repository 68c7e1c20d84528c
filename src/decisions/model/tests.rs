use super::*;
use proptest::prelude::*;

fn award(t: i64, unit: &str, amount: Option<i64>) -> Award {
    Award {
        award_type_id: t,
        award_name: format!("Hình thức {t}"),
        unit_name: unit.into(),
        reason: String::new(),
        amount,
    }
}

#[test]
fn awards_are_grouped_by_award_form_in_the_order_they_first_stand() {
    let a = [
        award(2, "Tòa án", Some(1_000_000)),
        award(1, "Công an", None),
        award(2, "Quân sự", Some(500_000)),
    ];
    let g = groups(&a);
    assert_eq!(g.len(), 2);
    assert_eq!(g[0].award_name, "Hình thức 2");
    let units: Vec<&str> = g[0].awards.iter().map(|a| a.unit_name.as_str()).collect();
    assert_eq!(units, ["Tòa án", "Quân sự"]);
    assert_eq!(g[0].total(), Some(1_500_000));
    assert_eq!(g[1].total(), None);
    assert_eq!(total(&a), Some(1_500_000));
    let arts = award_articles(2023, &g);
    assert!(
        arts[0].starts_with("Điều 1. Tặng Hình thức 2 cho 02 tập thể"),
        "{}",
        arts[0]
    );
    assert!(arts[0].contains("(Mục I)"));
    assert!(arts[0].contains("tổng cộng 1.500.000 đồng"), "{}", arts[0]);
    assert!(arts[1].starts_with("Điều 2. Tặng Hình thức 1 cho 01 tập thể"));
    assert!(!arts[1].contains("Tiền thưởng"));
    assert_eq!(
        closing_articles(3, "Có hiệu lực.\n\n Thi hành. "),
        ["Điều 3. Có hiệu lực.", "Điều 4. Thi hành."]
    );
}

#[test]
fn a_number_is_used_once_per_year_whatever_its_case_and_spaces() {
    let used = vec![(2024, "156/QĐ-UBND".to_string())];
    assert!(number_taken(&used, 2024, " 156/qđ-ubnd "));
    assert!(!number_taken(&used, 2025, "156/QĐ-UBND"));
    assert!(!number_taken(&used, 2024, "157/QĐ-UBND"));
    assert_eq!(tidy_number("  12 /  QĐ "), "12 / QĐ");
}

#[test]
fn steps_follow_the_state() {
    assert!(check_step(State::Draft, Step::Issue).is_ok());
    assert!(check_step(State::Issued, Step::Issue).is_err());
    assert!(check_step(State::Issued, Step::Edit).is_err());
    assert!(check_step(State::Issued, Step::Revoke).is_ok());
    assert!(check_step(State::Draft, Step::Revoke).is_err());
    assert!(check_step(State::Revoked, Step::Revoke).is_err());
    assert!(check_step(State::Revoked, Step::Delete).is_err());
}

#[test]
fn legal_bases_cite_each_text_of_the_rule_set() {
    assert_eq!(
        legal_bases("Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định số 98/2023/NĐ-CP"),
        "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;\nCăn cứ Nghị định số 98/2023/NĐ-CP;"
    );
    assert_eq!(roman(4), "IV");
    assert_eq!(roman(14), "XIV");
    assert_eq!(
        issuer("Chủ tịch", "Ủy ban nhân dân tỉnh Lạng Sơn"),
        "Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn"
    );
}

proptest! {
    /// Grouping loses and invents no award, each group holds one award form, and the groups'
    /// totals add up to the decision's.
    #[test]
    fn grouping_keeps_every_award_once(spec in proptest::collection::vec((0i64..5, proptest::option::of(0i64..10_000_000)), 0..40)) {
        let a: Vec<Award> = spec.iter().enumerate().map(|(i, (t, m))| award(*t, &format!("u{i}"), *m)).collect();
        let g = groups(&a);
        let n: usize = g.iter().map(|g| g.awards.len()).sum();
        prop_assert_eq!(n, a.len());
        for x in &g {
            prop_assert!(x.awards.iter().all(|w| w.award_type_id == x.awards[0].award_type_id));
        }
        let mut ids: Vec<i64> = g.iter().map(|x| x.awards[0].award_type_id).collect();
        ids.dedup();
        prop_assert_eq!(ids.len(), g.len());
        let sum = g.iter().filter_map(|x| x.total()).fold(None, |s: Option<i64>, v| Some(s.unwrap_or(0) + v));
        prop_assert_eq!(sum, total(&a));
    }

    /// A number's key ignores case and spacing, and tidying twice changes nothing.
    #[test]
    fn number_keys_ignore_case_and_spacing(s in "[0-9]{1,3}/[A-Za-zĐđ-]{1,8}", pad in " {0,3}") {
        let t = tidy_number(&s);
        prop_assert_eq!(tidy_number(&t), t.clone());
        let padded = format!("{pad}{}{pad}", s.to_uppercase());
        prop_assert_eq!(number_key(&padded), number_key(&s.to_lowercase()));
        prop_assert!(number_taken(&[(2024, s.clone())], 2024, &padded));
    }
}
