//! The law by date: the rule sets (Decree 91/2017, Decree 98/2023, Decree 152/2025 with
//! Circular 15/2025) and which one a dossier, a vote or a document follows — the one in force on
//! its date. The sets themselves are data (migration 0031); this is the pure choice among them.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// One rule of a set as the settings page shows it. `verified`: a public copy of the text
/// could be checked; otherwise the page says so and the product does not claim it.
#[derive(Deserialize, Clone, Debug, PartialEq)]
pub struct Rule {
    pub label: String,
    pub value: String,
    #[serde(default)]
    pub source: String,
    pub verified: bool,
}

#[derive(Deserialize, Clone, Debug, PartialEq)]
pub struct RuleSet {
    pub code: String,
    /// None: the earliest set the system knows, in force until the next begins.
    pub effective_from: Option<NaiveDate>,
    pub title: String,
    /// The texts the documents cite as their legal basis ("căn cứ").
    pub citation: String,
    pub source_text: String,
    pub rules: Vec<Rule>,
}

/// The set in force on `on`: the latest that has begun by then. `sets` in any order.
pub fn in_force(sets: &[RuleSet], on: NaiveDate) -> Option<&RuleSet> {
    sets.iter()
        .filter(|s| s.effective_from.is_none_or(|from| from <= on))
        .max_by_key(|s| s.effective_from)
}

/// The last day `set` is in force: the day before the next set begins; None while it is the
/// latest.
pub fn last_day(sets: &[RuleSet], set: &RuleSet) -> Option<NaiveDate> {
    sets.iter()
        .filter_map(|s| s.effective_from)
        .filter(|from| set.effective_from.is_none_or(|mine| *from > mine))
        .min()
        .and_then(|next| next.pred_opt())
}

/// The date a dossier's rules are read on: its letter's date, else its meeting's, else the
/// end of its year (a draft not yet dated belongs to its year).
pub fn dossier_date(letter: Option<NaiveDate>, meeting: Option<NaiveDate>, year: i32) -> NaiveDate {
    letter
        .or(meeting)
        .or_else(|| NaiveDate::from_ymd_opt(year, 12, 31))
        .unwrap_or_default()
}

/// "01/07/2025", or the words for an open start.
pub fn from_words(set: &RuleSet) -> String {
    match set.effective_from {
        Some(d) => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        None => "trước các văn bản sau".into(),
    }
}

/// The words a rule that could not be checked carries on the settings page.
pub const UNVERIFIED: &str = "chưa kiểm chứng được văn bản";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn set(code: &str, from: Option<NaiveDate>) -> RuleSet {
        RuleSet {
            code: code.into(),
            effective_from: from,
            title: String::new(),
            citation: format!("Nghị định số {code}"),
            source_text: String::new(),
            rules: Vec::new(),
        }
    }

    /// As shipped, in a shuffled order: the choice must not lean on the order loaded.
    fn shipped() -> Vec<RuleSet> {
        vec![
            set("152/2025", Some(d(2025, 7, 1))),
            set("91/2017", None),
            set("98/2023", Some(d(2024, 1, 1))),
        ]
    }

    fn code(on: NaiveDate) -> String {
        in_force(&shipped(), on).unwrap().code.clone()
    }

    #[test]
    fn the_set_changes_on_the_day_the_next_text_takes_effect() {
        assert_eq!(code(d(2019, 12, 23)), "91/2017");
        assert_eq!(code(d(2023, 12, 31)), "91/2017");
        assert_eq!(code(d(2024, 1, 1)), "98/2023");
        assert_eq!(code(d(2025, 6, 30)), "98/2023");
        assert_eq!(code(d(2025, 7, 1)), "152/2025");
        assert_eq!(code(d(2026, 12, 2)), "152/2025");
        assert!(in_force(&[], d(2024, 1, 1)).is_none());
    }

    #[test]
    fn each_set_ends_the_day_before_the_next() {
        let s = shipped();
        let last = |c: &str| last_day(&s, s.iter().find(|x| x.code == c).unwrap());
        assert_eq!(last("91/2017"), Some(d(2023, 12, 31)));
        assert_eq!(last("98/2023"), Some(d(2025, 6, 30)));
        assert_eq!(last("152/2025"), None);
    }

    #[test]
    fn a_dossier_is_read_on_its_letter_else_its_meeting_else_its_years_end() {
        let (l, m) = (Some(d(2024, 1, 11)), Some(d(2023, 12, 20)));
        assert_eq!(dossier_date(l, m, 2023), d(2024, 1, 11));
        assert_eq!(dossier_date(None, m, 2023), d(2023, 12, 20));
        assert_eq!(dossier_date(None, None, 2025), d(2025, 12, 31));
        // A 2023 year whose letter is signed in January 2024 follows the 2024 texts.
        assert_eq!(code(dossier_date(l, m, 2023)), "98/2023");
    }

    proptest! {
        /// On any day, the set chosen has begun, and no set that has begun is later.
        #[test]
        fn the_chosen_set_is_the_latest_begun(days in 0i64..20_000) {
            let on = d(2000, 1, 1) + chrono::Duration::days(days);
            let s = shipped();
            let chosen = in_force(&s, on).unwrap();
            prop_assert!(chosen.effective_from.is_none_or(|f| f <= on));
            for other in &s {
                if other.effective_from.is_none_or(|f| f <= on) {
                    prop_assert!(other.effective_from <= chosen.effective_from);
                }
            }
            // Its last day, if any, is on or after `on`.
            prop_assert!(last_day(&s, chosen).is_none_or(|l| l >= on));
        }
    }
}
