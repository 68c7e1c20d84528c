//! What the leader types into the year-end report, kept as typed for a page that shows an error.

use chrono::NaiveDate;
use serde::Deserialize;

use super::store::Written;
use crate::web::forms::{Errors, optional_date, optional_text};

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct YearEndForm {
    pub number: String,
    pub dated: String,
    pub situation: String,
    pub strengths: String,
    pub shortcomings: String,
    pub direction: String,
}

const LONG: usize = 20_000;

impl YearEndForm {
    pub fn of(w: &Written) -> YearEndForm {
        YearEndForm {
            number: w.number.clone(),
            dated: w
                .dated
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            situation: w.situation.clone(),
            strengths: w.strengths.clone(),
            shortcomings: w.shortcomings.clone(),
            direction: w.direction.clone(),
        }
    }

    pub fn check(&self) -> Result<Written, Errors> {
        let mut e = Errors::default();
        let number = optional_text(&mut e, "number", &self.number, "Số văn bản", 60);
        let dated: Option<NaiveDate> = optional_date(&mut e, "dated", &self.dated);
        let w = Written {
            number,
            dated,
            situation: optional_text(&mut e, "situation", &self.situation, "Phần này", LONG),
            strengths: optional_text(&mut e, "strengths", &self.strengths, "Phần này", LONG),
            shortcomings: optional_text(
                &mut e,
                "shortcomings",
                &self.shortcomings,
                "Phần này",
                LONG,
            ),
            direction: optional_text(&mut e, "direction", &self.direction, "Phần này", LONG),
        };
        if e.is_empty() { Ok(w) } else { Err(e) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_date_is_named_and_the_text_is_kept() {
        let f = YearEndForm {
            dated: "31/02/2026".into(),
            strengths: "  Các đơn vị hoàn thành tốt nhiệm vụ.  ".into(),
            ..Default::default()
        };
        let e = f.check().unwrap_err();
        assert!(e.get("dated").unwrap().contains("ngày/tháng/năm"));
        assert_eq!(e.len(), 1);
        let ok = YearEndForm {
            dated: "15/12/2026".into(),
            ..f
        }
        .check()
        .unwrap();
        assert_eq!(ok.strengths, "Các đơn vị hoàn thành tốt nhiệm vụ.");
        assert_eq!(ok.dated, NaiveDate::from_ymd_opt(2026, 12, 15));
    }

    #[test]
    fn a_text_over_the_limit_is_refused() {
        let f = YearEndForm {
            direction: "a".repeat(LONG + 1),
            ..Default::default()
        };
        assert!(f.check().unwrap_err().has("direction"));
    }
}
