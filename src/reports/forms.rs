//! The form that enters an award from the paper record into a unit's history.

use chrono::Datelike;
use serde::Deserialize;

use crate::awards::model::UnitAward;
use crate::awards::store::NewAward;
use crate::reports::model::AwardTypeInfo;
use crate::web::forms::{self, Errors};

/// The earliest year the schema keeps (the Republic's founding year).
pub const FIRST_YEAR: i32 = 1945;

/// What the user typed, kept as typed so that the form comes back with it on error.
#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct AwardForm {
    pub year: String,
    pub award_name: String,
    pub decision_number: String,
    pub decision_date: String,
    pub issuer: String,
}

impl AwardForm {
    /// Checks the form against the tenant's award types and the unit's awards; `this_year` is
    /// the latest year an award may be entered for.
    pub fn validate(
        &self,
        types: &[AwardTypeInfo],
        existing: &[UnitAward],
        this_year: i32,
    ) -> (Option<NewAward>, Errors) {
        let mut e = Errors::default();
        let year = self.year.trim();
        let year = if year.is_empty() {
            e.add("year", "Hãy nhập năm được khen thưởng.");
            None
        } else {
            match year.parse::<i32>() {
                Err(_) => {
                    e.add("year", "Năm phải là một số có bốn chữ số, ví dụ 2023.");
                    None
                }
                Ok(y) if !(FIRST_YEAR..=this_year).contains(&y) => {
                    e.add(
                        "year",
                        format!("Năm phải trong khoảng từ {FIRST_YEAR} đến {this_year}."),
                    );
                    None
                }
                Ok(y) => Some(y),
            }
        };
        let name = self
            .award_name
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let n = name.chars().count();
        if n == 0 {
            e.add(
                "award_name",
                "Hãy nhập tên danh hiệu hoặc hình thức khen thưởng.",
            );
        } else if n < 2 {
            e.add(
                "award_name",
                "Tên danh hiệu, hình thức khen thưởng phải có ít nhất 2 ký tự.",
            );
        } else if n > 300 {
            e.add(
                "award_name",
                "Tên danh hiệu, hình thức khen thưởng dài quá 300 ký tự.",
            );
        } else if let Some(y) = year
            && existing
                .iter()
                .any(|a| a.year == y && a.award_name.to_lowercase() == name.to_lowercase())
        {
            e.add(
                "award_name",
                format!("Đơn vị đã có “{name}” trong năm {y}."),
            );
        }
        let number = self.decision_number.trim().to_string();
        if number.chars().count() > 50 {
            e.add("decision_number", "Số quyết định dài quá 50 ký tự.");
        }
        let date = if self.decision_date.trim().is_empty() {
            None
        } else {
            let mut de = Errors::default();
            match forms::optional_date(&mut de, "decision_date", &self.decision_date) {
                None => {
                    e.add(
                        "decision_date",
                        "Ngày quyết định không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 15/01/2024.",
                    );
                    None
                }
                Some(d) if d.year() < FIRST_YEAR || d.year() > this_year + 1 => {
                    e.add(
                        "decision_date",
                        format!(
                            "Ngày quyết định phải trong khoảng từ năm {FIRST_YEAR} đến năm {}.",
                            this_year + 1
                        ),
                    );
                    None
                }
                Some(d) => Some(d),
            }
        };
        let issuer = self.issuer.split_whitespace().collect::<Vec<_>>().join(" ");
        if issuer.chars().count() > 300 {
            e.add("issuer", "Cơ quan ban hành dài quá 300 ký tự.");
        }
        if !e.is_empty() {
            return (None, e);
        }
        let award_type_id = types
            .iter()
            .find(|t| t.name.to_lowercase() == name.to_lowercase())
            .map(|t| t.id);
        let award = NewAward {
            year: year.expect("checked"),
            award_name: name,
            award_type_id,
            decision_number: number,
            decision_date: date,
            issuer,
        };
        (Some(award), e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types() -> Vec<AwardTypeInfo> {
        vec![AwardTypeInfo {
            id: 7,
            name: "Cờ thi đua của Bộ, ban, ngành, tỉnh".into(),
            level: "ministry_province".into(),
            target: "collective".into(),
            active: true,
        }]
    }

    fn form(year: &str, name: &str, date: &str) -> AwardForm {
        AwardForm {
            year: year.into(),
            award_name: name.into(),
            decision_number: " 15/QĐ-UBND ".into(),
            decision_date: date.into(),
            issuer: "Chủ tịch  UBND tỉnh Lạng Sơn".into(),
        }
    }

    #[test]
    fn a_good_award_is_tidied_and_finds_its_type() {
        let (a, e) = form("2022", "cờ thi đua của Bộ, ban,  ngành, tỉnh", "09/01/2023").validate(
            &types(),
            &[],
            2026,
        );
        assert!(e.is_empty(), "{e:?}");
        let a = a.unwrap();
        assert_eq!(a.year, 2022);
        assert_eq!(a.award_type_id, Some(7));
        assert_eq!(a.decision_number, "15/QĐ-UBND");
        assert_eq!(a.issuer, "Chủ tịch UBND tỉnh Lạng Sơn");
        assert_eq!(a.decision_date, chrono::NaiveDate::from_ymd_opt(2023, 1, 9));
        // A name of the council's own is kept as typed, without a type.
        let (a, _) = form("2010", "Huân chương Lao động hạng Ba", "").validate(&types(), &[], 2026);
        let a = a.unwrap();
        assert_eq!(a.award_type_id, None);
        assert_eq!(a.decision_date, None);
    }

    #[test]
    fn bad_input_gets_a_vietnamese_message_per_field() {
        let (a, e) = form("1800", "", "31/02/2024").validate(&types(), &[], 2026);
        assert!(a.is_none());
        assert_eq!(
            e.get("year").unwrap(),
            "Năm phải trong khoảng từ 1945 đến 2026."
        );
        assert_eq!(
            e.get("award_name").unwrap(),
            "Hãy nhập tên danh hiệu hoặc hình thức khen thưởng."
        );
        assert!(
            e.get("decision_date")
                .unwrap()
                .starts_with("Ngày quyết định không hợp lệ")
        );
        let (_, e) = form("", "x", "1/1/1900").validate(&types(), &[], 2026);
        assert_eq!(e.get("year").unwrap(), "Hãy nhập năm được khen thưởng.");
        assert!(e.get("award_name").unwrap().contains("ít nhất 2 ký tự"));
        assert!(e.get("decision_date").unwrap().contains("từ năm 1945"));
        let (_, e) = form("hai nghìn", "Giấy khen", "").validate(&types(), &[], 2026);
        assert!(e.get("year").unwrap().contains("bốn chữ số"));
        let (_, e) = form("2027", "Giấy khen", "").validate(&types(), &[], 2026);
        assert!(e.has("year"));
    }

    #[test]
    fn the_same_award_twice_in_a_year_is_refused() {
        let have = UnitAward {
            id: 1,
            unit_id: 3,
            year: 2021,
            award_name: "Giấy khen".into(),
            award_type_id: None,
            decision_number: String::new(),
            decision_date: None,
            issuer: String::new(),
            decision_id: None,
        };
        let (_, e) =
            form("2021", "giấy khen", "").validate(&types(), std::slice::from_ref(&have), 2026);
        assert_eq!(
            e.get("award_name").unwrap(),
            "Đơn vị đã có “giấy khen” trong năm 2021."
        );
        let (a, _) = form("2022", "Giấy khen", "").validate(&types(), &[have], 2026);
        assert!(a.is_some());
    }
}
