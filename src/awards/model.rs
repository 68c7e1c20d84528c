//! A unit's awards over the years: from council decisions or entered by hand from the paper
//! record. Proposals write them, the unit's history and the achievement report read them.

use chrono::NaiveDate;

/// One award in a unit's history: from a council decision (decision_id) or entered by hand from
/// the paper record.
#[derive(sqlx::FromRow, Debug, Clone, PartialEq)]
pub struct UnitAward {
    pub id: i64,
    pub unit_id: i64,
    pub year: i32,
    pub award_name: String,
    pub award_type_id: Option<i64>,
    pub decision_number: String,
    pub decision_date: Option<NaiveDate>,
    pub issuer: String,
    pub decision_id: Option<i64>,
}

impl UnitAward {
    pub fn from_decision(&self) -> bool {
        self.decision_id.is_some()
    }

    /// The column "Số, ngày quyết định, cơ quan ban hành": "Quyết định số 15/QĐ-UBND ngày
    /// 09/01/2024 của UBND tỉnh Lạng Sơn", leaving out what the record lacks.
    pub fn decision_text(&self) -> String {
        let mut parts = Vec::new();
        if !self.decision_number.trim().is_empty() {
            parts.push(format!("Quyết định số {}", self.decision_number.trim()));
        }
        if let Some(d) = self.decision_date {
            parts.push(format!("ngày {}", d.format("%d/%m/%Y")));
        }
        if !self.issuer.trim().is_empty() {
            parts.push(format!("của {}", self.issuer.trim()));
        }
        let text = parts.join(" ");
        if self.decision_number.trim().is_empty() && !text.is_empty() {
            format!("Quyết định {text}")
        } else {
            text
        }
    }
}

/// A unit's awards of the `years_back` years before `before_year`, oldest year first (within a
/// year by decision date, then name): the table "Năm | Danh hiệu / hình thức khen thưởng | Số,
/// ngày quyết định, cơ quan ban hành" of the achievement report.
pub fn past_awards(awards: &[UnitAward], before_year: i32, years_back: i32) -> Vec<UnitAward> {
    let from = before_year - years_back.max(0);
    let mut out: Vec<UnitAward> = awards
        .iter()
        .filter(|a| a.year >= from && a.year < before_year)
        .cloned()
        .collect();
    out.sort_by(|a, b| {
        (a.year, a.decision_date, &a.award_name).cmp(&(b.year, b.decision_date, &b.award_name))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn award(id: i64, year: i32, name: &str, date: Option<NaiveDate>) -> UnitAward {
        UnitAward {
            id,
            unit_id: 9,
            year,
            award_name: name.into(),
            award_type_id: None,
            decision_number: String::new(),
            decision_date: date,
            issuer: String::new(),
            decision_id: None,
        }
    }

    #[test]
    fn past_awards_are_those_of_the_years_before_oldest_first() {
        let awards = vec![
            award(1, 2024, "Cờ thi đua của tỉnh", None),
            award(2, 2019, "Giấy khen", None),
            award(3, 2022, "Tập thể lao động xuất sắc", Some(d(2023, 1, 9))),
            award(
                4,
                2022,
                "Bằng khen của Bộ, ban, ngành, tỉnh",
                Some(d(2022, 12, 30)),
            ),
            award(5, 2021, "Tập thể lao động tiên tiến", None),
            award(6, 2018, "Giấy khen", None),
        ];
        let past = past_awards(&awards, 2024, 5);
        let got: Vec<(i32, i64)> = past.iter().map(|a| (a.year, a.id)).collect();
        assert_eq!(got, [(2019, 2), (2021, 5), (2022, 4), (2022, 3)]);
        assert!(past_awards(&awards, 2024, 0).is_empty());
        assert_eq!(past_awards(&awards, 2025, 1).len(), 1);
    }

    #[test]
    fn decision_text_reads_as_the_report_writes_it() {
        let mut a = award(1, 2023, "Cờ thi đua của tỉnh", Some(d(2024, 1, 9)));
        a.decision_number = "15/QĐ-UBND".into();
        a.issuer = "UBND tỉnh Lạng Sơn".into();
        assert_eq!(
            a.decision_text(),
            "Quyết định số 15/QĐ-UBND ngày 09/01/2024 của UBND tỉnh Lạng Sơn"
        );
        a.decision_number.clear();
        assert_eq!(
            a.decision_text(),
            "Quyết định ngày 09/01/2024 của UBND tỉnh Lạng Sơn"
        );
        let bare = award(2, 2010, "Giấy khen", None);
        assert_eq!(bare.decision_text(), "");
    }
}
