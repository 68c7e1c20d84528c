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
    /// Evidence one scoring sheet may hold, in MB; 0: no quota.
    pub evidence_quota_mb: i32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            government_flag_share: Decimal::from(20),
            proposal_deadline_month: 12,
            proposal_deadline_day: 10,
            vote_rounds: 2,
            government_flag_id: None,
            evidence_quota_mb: DEFAULT_EVIDENCE_QUOTA_MB,
        }
    }
}

/// A council that has not set it: 50 MB a sheet, five full-size files (10 MB each) or a few
/// dozen scanned pages per criterion of an ordinary table.
pub const DEFAULT_EVIDENCE_QUOTA_MB: i32 = 50;
pub const MAX_EVIDENCE_QUOTA_MB: i32 = 100_000;

/// The evidence quota of one sheet in bytes; None: no quota (the council set 0).
pub fn quota_bytes(quota_mb: i32) -> Option<i64> {
    (quota_mb > 0).then(|| i64::from(quota_mb) * 1024 * 1024)
}

/// A size for people: "4,8 MB" (one decimal, comma), rounded up, so "0,1 MB" for anything
/// small but not empty.
pub fn mb(bytes: i64) -> String {
    tenths_mb((bytes.max(0) * 10 + 1024 * 1024 - 1) / (1024 * 1024))
}

/// Room left, rounded down: a file the message says fits must fit.
fn mb_down(bytes: i64) -> String {
    tenths_mb(bytes.max(0) * 10 / (1024 * 1024))
}

fn tenths_mb(tenths: i64) -> String {
    format!("{},{} MB", tenths / 10, tenths % 10)
}

/// Whether files of `adding` bytes fit on a sheet that holds `used` bytes under a quota of
/// `quota_mb`; else the message to show beside the file field: how much is used and how much
/// is left.
pub fn quota_admits(quota_mb: i32, used: i64, adding: i64) -> Result<(), String> {
    let Some(quota) = quota_bytes(quota_mb) else {
        return Ok(());
    };
    if used + adding <= quota {
        return Ok(());
    }
    Err(format!(
        "Bảng điểm này chỉ được có tối đa {quota_mb} MB minh chứng: đã dùng {}, còn lại {}, \
         tệp vừa chọn {}. Hãy nén tệp, bỏ bớt trang hoặc xóa tệp không cần rồi tải lên lại.",
        mb(used),
        mb_down(quota - used),
        mb(adding)
    ))
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

    #[test]
    fn the_quota_admits_up_to_its_size_and_says_what_is_used_and_left() {
        let m = 1024 * 1024;
        assert_eq!(quota_admits(50, 40 * m, 10 * m), Ok(()));
        let e = quota_admits(50, 45 * m, 10 * m).unwrap_err();
        assert!(e.contains("tối đa 50 MB"), "{e}");
        assert!(e.contains("đã dùng 45,0 MB, còn lại 5,0 MB"), "{e}");
        assert!(e.contains("tệp vừa chọn 10,0 MB"), "{e}");
        assert_eq!(quota_admits(0, 1000 * m, 10 * m), Ok(()), "0: no quota");
        let over = quota_admits(1, 2 * m, 1).unwrap_err();
        assert!(over.contains("còn lại 0,0 MB"), "{over}");
        assert_eq!(mb(1), "0,1 MB");
        assert_eq!(mb(0), "0,0 MB");
        assert_eq!(mb(m + m / 2), "1,5 MB");
    }

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
