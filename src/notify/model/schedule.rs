//! The reminder schedule: the days a tenant chose, and which reminder is due on a day.

use chrono::NaiveDate;

/// How many days late a missed reminder is still sent.
pub const CATCH_UP_DAYS: i32 = 7;

/// A reminder due on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Due {
    /// The chosen day it stands for (days before the deadline, -1 for the day after): the
    /// key it is claimed under.
    pub day: i32,
    /// The real days left on the day it is sent (negative: late), for its wording.
    pub left: i32,
}

/// The reminder days a tenant chose: days before the deadline, and the day after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub days_before: Vec<i32>,
    pub day_after: bool,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            days_before: vec![7, 3, 1],
            day_after: true,
        }
    }
}

impl Schedule {
    /// The reminder due on `today` for a deadline on `deadline`, or none: the most recent chosen
    /// day that has come, so a day missed while the server was down is caught up by the next
    /// pass — once, and only the latest one (not every missed day), worded with the real days
    /// left. A pass may run many times a day: the chosen day is the reminder's key, so the
    /// claim keeps it to one. A chosen day more than CATCH_UP_DAYS past is left behind.
    pub fn due(&self, deadline: NaiveDate, today: NaiveDate) -> Option<Due> {
        let left = i32::try_from((deadline - today).num_days()).ok()?;
        let after = self.day_after.then_some(-1);
        let day = self
            .days_before
            .iter()
            .copied()
            .chain(after)
            .filter(|&d| d >= left)
            .min()?;
        (day - left <= CATCH_UP_DAYS).then_some(Due { day, left })
    }

    /// "7, 3, 1" as typed in the settings form.
    pub fn days_text(&self) -> String {
        self.days_before
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// "7, 3, 1" (commas, spaces or semicolons) → the days, largest first; or why not.
pub fn parse_days(typed: &str) -> Result<Vec<i32>, String> {
    let mut days = Vec::new();
    for part in typed
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match part.parse::<i32>() {
            Ok(d) if (1..=60).contains(&d) => days.push(d),
            _ => {
                return Err(format!(
                    "“{part}” không phải số ngày hợp lệ: nhập các số từ 1 đến 60, cách nhau bởi dấu phẩy, ví dụ 7, 3, 1."
                ));
            }
        }
    }
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    if days.len() > 10 {
        return Err("Nhiều nhất 10 ngày nhắc.".to_string());
    }
    Ok(days)
}
