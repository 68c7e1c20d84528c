//! Field errors for forms: a message beside each field, in Vietnamese.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;

#[derive(Debug, Default, Clone)]
pub struct Errors(BTreeMap<String, String>);

impl Errors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// A required text field: trimmed, between `min` and `max` characters.
pub fn text(
    errors: &mut Errors,
    field: &str,
    value: &str,
    label: &str,
    min: usize,
    max: usize,
) -> String {
    let v = value.trim().to_string();
    let n = v.chars().count();
    if n == 0 && min > 0 {
        errors.add(field, format!("Hãy nhập {label}."));
    } else if n < min {
        errors.add(field, format!("{label} phải có ít nhất {min} ký tự."));
    } else if n > max {
        errors.add(field, format!("{label} dài quá {max} ký tự."));
    }
    v
}

pub fn optional_text(
    errors: &mut Errors,
    field: &str,
    value: &str,
    label: &str,
    max: usize,
) -> String {
    text(errors, field, value, label, 0, max)
}

/// A date typed as dd/mm/yyyy (as Vietnamese users write it) or yyyy-mm-dd (a date picker).
pub fn optional_date(errors: &mut Errors, field: &str, value: &str) -> Option<chrono::NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let parsed = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(v, "%d/%m/%Y"));
    match parsed {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(
                field,
                "Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 31/08/2022.",
            );
            None
        }
    }
}

pub fn optional_email(errors: &mut Errors, field: &str, value: &str) -> String {
    let v = value.trim().to_string();
    if !v.is_empty() {
        let ok = v.len() <= 200
            && v.split_once('@')
                .is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !d.starts_with('.'))
            && !v.contains(char::is_whitespace);
        if !ok {
            errors.add(field, "Địa chỉ thư điện tử không hợp lệ.");
        }
    }
    v
}

/// A form with repeated fields (clusters, initiatives, nominees), as the raw list of pairs.
pub type Pairs = Vec<(String, String)>;

/// A posted form written out in a unit test.
#[cfg(test)]
pub fn pairs(v: &[(&str, &str)]) -> Pairs {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

pub fn first<'a>(pairs: &'a Pairs, key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

pub fn all<'a>(pairs: &'a Pairs, key: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// "80", "80,5" or "80.5": Vietnamese write a decimal comma.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    Decimal::from_str(&s.trim().replace(',', ".")).ok()
}

/// "80" for 80.00, "80,5" for 80.50.
pub fn decimal_vn(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_fields_report_missing_short_and_long_values() {
        let mut e = Errors::default();
        assert_eq!(
            text(&mut e, "name", "  Ban Thanh tra ", "tên", 2, 300),
            "Ban Thanh tra"
        );
        assert!(e.is_empty());
        text(&mut e, "name", "   ", "tên đơn vị", 2, 300);
        assert_eq!(e.get("name").unwrap(), "Hãy nhập tên đơn vị.");
        let mut e = Errors::default();
        text(&mut e, "x", &"a".repeat(301), "tên", 2, 300);
        assert!(e.get("x").unwrap().contains("dài quá"));
    }

    #[test]
    fn dates_read_the_vietnamese_way_and_the_iso_way() {
        let mut e = Errors::default();
        let d = chrono::NaiveDate::from_ymd_opt(2022, 8, 31);
        assert_eq!(optional_date(&mut e, "d", "31/08/2022"), d);
        assert_eq!(optional_date(&mut e, "d", "2022-08-31"), d);
        assert_eq!(optional_date(&mut e, "d", ""), None);
        assert!(e.is_empty());
        optional_date(&mut e, "d", "31/02/2022");
        assert!(e.has("d"));
    }

    #[test]
    fn emails_are_checked_loosely() {
        let mut e = Errors::default();
        optional_email(&mut e, "email", "vanphong@toaan.gov.vn");
        optional_email(&mut e, "email", "");
        assert!(e.is_empty());
        optional_email(&mut e, "email", "not an email");
        assert!(e.has("email"));
    }
}
