//! The settings form: what was typed, kept as typed for a page that shows an error, and its
//! validation.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::settings::model::{MAX_EVIDENCE_QUOTA_MB, Settings, deadline};
use crate::web::forms::{Errors, decimal_vn, parse_decimal};

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct SettingsForm {
    pub flag: String,
    pub share: String,
    pub day: String,
    pub month: String,
    pub rounds: String,
    pub quota: String,
}

impl SettingsForm {
    pub fn of(s: &Settings) -> SettingsForm {
        SettingsForm {
            flag: s
                .government_flag_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            share: decimal_vn(s.government_flag_share),
            day: s.proposal_deadline_day.to_string(),
            month: s.proposal_deadline_month.to_string(),
            rounds: s.vote_rounds.to_string(),
            quota: s.evidence_quota_mb.to_string(),
        }
    }

    /// The settings, or a message beside each field that is wrong. `award_types` are the
    /// collective award types the flag may be chosen among.
    pub fn check(&self, award_types: &[(i64, String)]) -> Result<Settings, Errors> {
        let mut errors = Errors::default();
        let flag = self
            .flag
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| award_types.iter().any(|(t, _)| t == id));
        if flag.is_none() {
            errors.add("flag", "Hãy chọn danh hiệu là Cờ thi đua của Chính phủ.");
        }
        let share =
            parse_decimal(&self.share).filter(|d| *d > Decimal::ZERO && *d <= Decimal::from(100));
        if share.is_none() {
            errors.add(
                "share",
                "Tỷ lệ phải là số lớn hơn 0 và không quá 100, ví dụ 20.",
            );
        }
        let month = self
            .month
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| (1..=12).contains(m));
        if month.is_none() {
            errors.add("month", "Tháng phải từ 1 đến 12.");
        }
        let day = self
            .day
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=31).contains(d));
        match (day, month) {
            (None, _) => errors.add("day", "Ngày phải từ 1 đến 31."),
            // A non-leap year: the 29th of February is refused, not quietly moved.
            (Some(d), Some(m)) if deadline(2023, m, d) != NaiveDate::from_ymd_opt(2023, m, d) => {
                errors.add("day", format!("Tháng {m} không có ngày {d}."))
            }
            _ => {}
        }
        let rounds = self
            .rounds
            .trim()
            .parse::<i16>()
            .ok()
            .filter(|r| (1..=5).contains(r));
        if rounds.is_none() {
            errors.add("rounds", "Số vòng bỏ phiếu phải từ 1 đến 5.");
        }
        // Empty means the same as 0: no quota, said so beside the field.
        let quota = match self.quota.trim() {
            "" => Some(0),
            q => q
                .parse::<i32>()
                .ok()
                .filter(|q| (0..=MAX_EVIDENCE_QUOTA_MB).contains(q)),
        };
        if quota.is_none() {
            errors.add(
                "quota",
                "Dung lượng phải là số nguyên MB từ 0 đến 100000, ví dụ 50 (0 là không giới hạn).",
            );
        }
        match (share, day, month, rounds, quota) {
            (Some(share), Some(day), Some(month), Some(rounds), Some(quota))
                if errors.is_empty() =>
            {
                Ok(Settings {
                    government_flag_share: share,
                    proposal_deadline_month: month as i16,
                    proposal_deadline_day: day as i16,
                    government_flag_id: flag,
                    vote_rounds: rounds,
                    evidence_quota_mb: quota,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(flag: &str, share: &str, day: &str, month: &str, rounds: &str) -> SettingsForm {
        SettingsForm {
            flag: flag.into(),
            share: share.into(),
            day: day.into(),
            month: month.into(),
            rounds: rounds.into(),
            quota: "50".into(),
        }
    }

    #[test]
    fn the_evidence_quota_is_whole_megabytes_and_empty_means_none() {
        let with = |q: &str| SettingsForm {
            quota: q.into(),
            ..typed("7", "20", "10", "12", "2")
        };
        assert_eq!(with("80").check(&types()).unwrap().evidence_quota_mb, 80);
        assert_eq!(with(" ").check(&types()).unwrap().evidence_quota_mb, 0);
        assert_eq!(with("0").check(&types()).unwrap().evidence_quota_mb, 0);
        for bad in ["-1", "2,5", "100001", "năm mươi"] {
            assert!(with(bad).check(&types()).unwrap_err().has("quota"), "{bad}");
        }
    }

    const TYPES: &[(i64, &str)] = &[(7, "Cờ thi đua của Chính phủ")];

    fn types() -> Vec<(i64, String)> {
        TYPES.iter().map(|(i, n)| (*i, n.to_string())).collect()
    }

    #[test]
    fn good_settings_round_trip_through_the_form() {
        let s = typed("7", "20,5", "10", "12", "3").check(&types()).unwrap();
        assert_eq!(s.government_flag_share, Decimal::new(205, 1));
        assert_eq!(s.government_flag_id, Some(7));
        assert_eq!(SettingsForm::of(&s).share, "20,5");
        assert_eq!(
            typed("7", "20", "10", "12", "2")
                .check(&types())
                .unwrap()
                .vote_rounds,
            2
        );
    }

    #[test]
    fn each_wrong_field_gets_its_message() {
        let e = typed("8", "0", "31", "13", "6")
            .check(&types())
            .unwrap_err();
        for f in ["flag", "share", "month", "rounds"] {
            assert!(e.has(f), "{f}");
        }
        let e = typed("7", "20", "30", "2", "2")
            .check(&types())
            .unwrap_err();
        assert_eq!(e.get("day").unwrap(), "Tháng 2 không có ngày 30.");
        assert_eq!(e.len(), 1);
    }
}

/// The reminder days as typed ("7, 3, 1") and the day-after box.
#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct RemindersForm {
    pub reminder_days: String,
    pub reminder_after: String,
}

impl RemindersForm {
    pub fn of(s: &crate::notify::model::Schedule) -> RemindersForm {
        RemindersForm {
            reminder_days: s.days_text(),
            reminder_after: if s.day_after {
                "1".into()
            } else {
                String::new()
            },
        }
    }

    pub fn after(&self) -> bool {
        !self.reminder_after.is_empty()
    }

    pub fn check(&self) -> Result<crate::notify::model::Schedule, Errors> {
        match crate::notify::model::parse_days(&self.reminder_days) {
            Ok(days_before) => Ok(crate::notify::model::Schedule {
                days_before,
                day_after: self.after(),
            }),
            Err(msg) => {
                let mut errors = Errors::default();
                errors.add("reminder_days", msg);
                Err(errors)
            }
        }
    }
}
