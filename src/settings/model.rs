//! The council's settings that the rules of dossiers, votes and the dashboard read: which award
//! type is the Government flag, its share, the dossiers' deadline, and how many rounds a tie may
//! take. A tenant without a settings row has these defaults.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// How many Government flags the council may propose: the tenant's share of the cluster
/// leaders, rounded down (at most 20% means never more than 20%).
pub fn government_flag_limit(share: Decimal, leaders: u32) -> u32 {
    use rust_decimal::prelude::ToPrimitive;
    (share * Decimal::from(leaders) / Decimal::from(100))
        .floor()
        .to_u32()
        .unwrap_or(0)
}

#[derive(sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct Settings {
    /// Government flags at most this share (%) of the cluster leaders.
    pub government_flag_share: Decimal,
    pub proposal_deadline_month: i16,
    pub proposal_deadline_day: i16,
    /// Rounds of a peer vote at most before the leader and deputy settle a tie.
    pub vote_rounds: i16,
    /// The award type counted against the share (resolved: the setting, else the legal name).
    pub government_flag_id: Option<i64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            government_flag_share: Decimal::from(20),
            proposal_deadline_month: 12,
            proposal_deadline_day: 10,
            vote_rounds: 2,
            government_flag_id: None,
        }
    }
}

impl Settings {
    /// The day dossiers of `year` are due.
    pub fn deadline(&self, year: i32) -> Option<NaiveDate> {
        deadline(
            year,
            self.proposal_deadline_month as u32,
            self.proposal_deadline_day as u32,
        )
    }
}

/// The day dossiers of `year` are due, from the tenant's day and month (a 31st in a short month
/// falls back to the month's last day).
pub fn deadline(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    (1..=day.min(31))
        .rev()
        .find_map(|d| NaiveDate::from_ymd_opt(year, month, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn deadlines_fall_on_real_days() {
        assert_eq!(deadline(2023, 12, 10), Some(d(2023, 12, 10)));
        assert_eq!(deadline(2023, 2, 31), Some(d(2023, 2, 28)));
        assert_eq!(deadline(2024, 2, 30), Some(d(2024, 2, 29)));
    }

    #[test]
    fn the_default_deadline_is_the_tenth_of_december() {
        let s = Settings::default();
        assert_eq!(s.deadline(2024), Some(d(2024, 12, 10)));
        let feb = Settings {
            proposal_deadline_month: 2,
            proposal_deadline_day: 31,
            ..Settings::default()
        };
        assert_eq!(feb.deadline(2024), Some(d(2024, 2, 29)));
        assert_eq!(feb.deadline(2023), Some(d(2023, 2, 28)));
    }
}
