//! The demo in the present (issue 11, item 9): the seed articles' story ends in 2024, but a
//! newcomer should find a live year. Every year and date of the demo moves by the same whole
//! number of years, so the story — who leads, what was late, what the council decided — stays
//! as the articles tell it.

use chrono::{Datelike, NaiveDate};

/// The year the seed articles' story is live in; the demo's data is written in its calendar.
pub const HISTORY_YEAR: i32 = 2024;

/// How many whole years the demo moves from the articles' calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shift(pub i32);

impl Shift {
    /// The shift that makes `anchor` the demo's live (latest) year.
    pub fn to(anchor: i32) -> Shift {
        Shift(anchor - HISTORY_YEAR)
    }

    pub fn year(self, y: i32) -> i32 {
        y + self.0
    }

    /// A (year, month, day) moved by whole years; 29 February becomes the 28th in a common year.
    pub fn ymd(self, (y, m, d): (i32, u32, u32)) -> (i32, u32, u32) {
        let y = self.year(y);
        let last = if m == 2 && !leap(y) { 28 } else { 31 };
        (y, m, d.min(last))
    }

    /// A demo text with its years in braces ("{2020}", and an anniversary "{75}"): each braced
    /// number counts years, so it moves with the demo; other text stays as it is.
    pub fn text(self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}').map(|c| (c, after[..c].parse::<i32>())) {
                Some((close, Ok(n))) => {
                    out.push_str(&self.year(n).to_string());
                    rest = &after[close + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    pub fn date(self, d: NaiveDate) -> NaiveDate {
        let (y, m, day) = self.ymd((d.year(), d.month(), d.day()));
        NaiveDate::from_ymd_opt(y, m, day).expect("a shifted real date is real")
    }
}

/// The anchor of a demo already loaded: the first year of `cluster` (of tenant `tenant`) is the
/// year before the live one. Later years may be added by using the demo; earlier ones never are.
pub async fn loaded_anchor(
    pool: &sqlx::PgPool,
    tenant: &str,
    cluster: &str,
) -> anyhow::Result<Option<i32>> {
    use crate::org::store as org_store;
    let Some(tenant_id) = org_store::tenant_id_by_code(pool, tenant).await? else {
        return Ok(None);
    };
    let mut tx = crate::db::tenant_tx(pool, tenant_id).await?;
    let first = match org_store::cluster_by_name(&mut tx, cluster).await? {
        Some(c) => org_store::years_of_cluster(&mut tx, c.id)
            .await?
            .iter()
            .map(|y| y.year)
            .min(),
        None => None,
    };
    tx.commit().await?;
    Ok(first.map(|y| y + 1))
}

fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_live_year_is_the_anchor() {
        assert_eq!(Shift::to(2026).year(2024), 2026);
        assert_eq!(Shift::to(2026).year(2019), 2021);
        assert_eq!(Shift::to(HISTORY_YEAR), Shift(0));
        assert_eq!(Shift(2).ymd((2024, 12, 5)), (2026, 12, 5));
    }

    #[test]
    fn the_29th_of_february_is_clamped_in_a_common_year() {
        assert_eq!(Shift(1).ymd((2024, 2, 29)), (2025, 2, 28));
        assert_eq!(Shift(4).ymd((2024, 2, 29)), (2028, 2, 29));
        assert_eq!(Shift(76).ymd((2024, 2, 29)), (2100, 2, 28));
    }

    #[test]
    fn braced_years_in_a_text_move_and_the_rest_stays() {
        let s = "kỷ niệm {75} năm (13/9/1945 – 13/9/{2020}), {tên} {";
        assert_eq!(
            Shift(2).text(s),
            "kỷ niệm 77 năm (13/9/1945 – 13/9/2022), {tên} {"
        );
        assert_eq!(Shift(0).text("năm {2020}"), "năm 2020");
    }

    proptest! {
        #[test]
        fn every_date_moves_by_whole_years_and_keeps_its_day(
            days in 0i64..60_000, shift in -30i32..80,
        ) {
            let d = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Duration::days(days);
            let s = Shift(shift).date(d);
            prop_assert_eq!(s.year(), d.year() + shift);
            prop_assert_eq!(s.month(), d.month());
            let clamped = d.month() == 2 && d.day() == 29 && s.day() == 28;
            prop_assert!(s.day() == d.day() || clamped);
            // Order is kept: the story's sequence of events stays the same.
            let next = Shift(shift).date(d + chrono::Duration::days(1));
            prop_assert!(next >= s);
        }
    }
}
