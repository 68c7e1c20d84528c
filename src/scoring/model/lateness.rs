//! Days late of a scoresheet (issue 11, item 9). A sheet not handed in — a draft, or a sheet
//! returned to the unit and so due again — is late from its deadline to today; a sheet handed
//! in (waiting for verification, or verified) is late from its deadline to its hand-in, and not
//! at all when it came on time, however long ago the deadline is. No deadline, never late.

use chrono::NaiveDate;

use super::SheetStatus;

/// Whole days after the deadline up to `done` (0 when on time or no deadline).
pub fn days_late(deadline: Option<NaiveDate>, done: Option<NaiveDate>, today: NaiveDate) -> i64 {
    match deadline {
        Some(d) => (done.unwrap_or(today) - d).num_days().max(0),
        None => 0,
    }
}

/// Whether the sheet is in the verifier's hands (its hand-in stops the count).
pub fn handed_in(status: SheetStatus) -> bool {
    matches!(status, SheetStatus::Submitted | SheetStatus::Finalised)
}

/// The days late of a sheet in `status`, handed in on `submitted_on` (its last hand-in day, in
/// Viet Nam), with the unit's `deadline` (its own extension, or the year's).
pub fn sheet_days_late(
    status: SheetStatus,
    deadline: Option<NaiveDate>,
    submitted_on: Option<NaiveDate>,
    today: NaiveDate,
) -> i64 {
    let done = submitted_on.filter(|_| handed_in(status));
    days_late(deadline, done, today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SheetStatus::{Draft, Finalised, Returned, Submitted};
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_sheet_not_handed_in_is_late_up_to_today() {
        let (deadline, today) = (Some(d("2024-12-05")), d("2026-12-01"));
        assert_eq!(sheet_days_late(Draft, deadline, None, today), 726);
        // A returned sheet is due again: its first hand-in does not stop the count.
        let first = Some(d("2024-11-28"));
        assert_eq!(sheet_days_late(Returned, deadline, first, today), 726);
        assert_eq!(sheet_days_late(Draft, deadline, None, d("2024-12-05")), 0);
        assert_eq!(sheet_days_late(Draft, deadline, None, d("2024-12-08")), 3);
        assert_eq!(sheet_days_late(Draft, None, None, today), 0);
    }

    #[test]
    fn a_sheet_handed_in_is_late_up_to_its_hand_in_only() {
        let (deadline, today) = (Some(d("2024-12-05")), d("2026-12-01"));
        // The demo's "726 ngày" for verified sheets handed in on time: now none.
        for s in [Submitted, Finalised] {
            assert_eq!(
                sheet_days_late(s, deadline, Some(d("2024-11-28")), today),
                0
            );
            assert_eq!(
                sheet_days_late(s, deadline, Some(d("2024-12-05")), today),
                0
            );
            assert_eq!(
                sheet_days_late(s, deadline, Some(d("2024-12-07")), today),
                2
            );
        }
    }

    fn status() -> impl Strategy<Value = SheetStatus> {
        prop::sample::select(SheetStatus::ALL.to_vec())
    }

    fn day() -> impl Strategy<Value = NaiveDate> {
        (0i64..3000).prop_map(|n| d("2020-01-01") + chrono::Duration::days(n))
    }

    proptest! {
        #[test]
        fn days_late_follow_the_rule(
            s in status(), deadline in proptest::option::of(day()),
            submitted in proptest::option::of(day()), today in day(), later in 0i64..400,
        ) {
            let n = sheet_days_late(s, deadline, submitted, today);
            prop_assert!(n >= 0);
            let Some(dl) = deadline else {
                prop_assert_eq!(n, 0);
                return Ok(());
            };
            let tomorrow = today + chrono::Duration::days(later);
            let then = sheet_days_late(s, deadline, submitted, tomorrow);
            match (handed_in(s), submitted) {
                // Handed in: fixed by the hand-in, whatever day it is now.
                (true, Some(on)) => {
                    prop_assert_eq!(n, (on - dl).num_days().max(0));
                    prop_assert_eq!(then, n);
                }
                // Not handed in: today's distance past the deadline, growing day by day.
                (false, _) => {
                    prop_assert_eq!(n, (today - dl).num_days().max(0));
                    prop_assert!(then >= n);
                    prop_assert!(then - n <= later);
                }
                (true, None) => prop_assert_eq!(n, (today - dl).num_days().max(0)),
            }
            // On time means never late.
            if submitted.is_some_and(|on| on <= dl) && handed_in(s) {
                prop_assert_eq!(n, 0);
            }
        }
    }
}
