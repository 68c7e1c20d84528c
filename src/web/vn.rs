//! Vietnamese formatting of dates, times and numbers, as users and official documents write them.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

/// Asia/Ho_Chi_Minh: UTC+7 all year (Viet Nam keeps no daylight saving time).
pub fn vn_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

/// Today in Viet Nam: deadlines are days there, whatever the server's clock zone.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&vn_offset()).date_naive()
}

/// "24/11/2026 14:05", in Viet Nam time.
pub fn datetime(t: DateTime<Utc>) -> String {
    t.with_timezone(&vn_offset())
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// "Lạng Sơn, ngày 09 tháng 01 năm 2024": the place-and-date line of official documents.
pub fn document_date(place: &str, d: NaiveDate) -> String {
    format!(
        "{}, ngày {:02} tháng {:02} năm {}",
        place,
        d.day(),
        d.month(),
        d.year()
    )
}

/// Lower case, without Vietnamese diacritics, keeping only letters and digits: headers and
/// role names are compared this way ("Mã  đơn vị", "MA DON VI" and "ma_don_vi" are alike).
pub fn fold(s: &str) -> String {
    // Spaces, punctuation and combining marks (decomposed diacritics) are dropped.
    s.chars()
        .flat_map(char::to_lowercase)
        .filter_map(ascii_base)
        .collect()
}

/// The ASCII letter under a lower-case Vietnamese letter ('ộ' → 'o', 'đ' → 'd'); an ASCII
/// letter or digit itself; None for anything else (spaces, punctuation, combining marks).
pub fn ascii_base(c: char) -> Option<char> {
    Some(match c {
        'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'â' | 'ầ' | 'ấ' | 'ẩ'
        | 'ẫ' | 'ậ' => 'a',
        'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' | 'ê' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' => 'e',
        'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' => 'i',
        'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' | 'ô' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ' | 'ở'
        | 'ỡ' | 'ợ' => 'o',
        'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' => 'u',
        'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' => 'y',
        'đ' => 'd',
        c if c.is_ascii_alphanumeric() => c,
        _ => return None,
    })
}

/// A percentage with a decimal comma and no trailing zeros: 85,71%, 89,4%, 100%.
pub fn percent(p: rust_decimal::Decimal) -> String {
    let p = p.round_dp(2).normalize();
    format!("{}%", p.to_string().replace('.', ","))
}

/// Whole numbers with a dot between thousands: 1.003, 3.427.
pub fn integer(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn folding_ignores_case_diacritics_spaces_and_decomposition() {
        assert_eq!(fold("Mã đơn vị"), "madonvi");
        assert_eq!(fold("  MÃ ĐƠN VỊ "), "madonvi");
        assert_eq!(fold("ma_don_vi"), "madonvi");
        // "Mã" written decomposed: a + combining tilde.
        assert_eq!(fold("Ma\u{0303} đơn vị"), "madonvi");
        assert_eq!(fold("Thư điện tử"), "thudientu");
        assert_eq!(fold("Họ tên thủ trưởng"), "hotenthutruong");
    }

    #[test]
    fn document_date_pads_day_and_month() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 9).unwrap();
        assert_eq!(
            document_date("Lạng Sơn", d),
            "Lạng Sơn, ngày 09 tháng 01 năm 2024"
        );
    }

    #[test]
    fn datetime_is_shown_in_viet_nam_time() {
        let t = Utc.with_ymd_and_hms(2026, 11, 24, 17, 5, 0).unwrap();
        assert_eq!(datetime(t), "25/11/2026 00:05");
    }

    #[test]
    fn percentages_take_a_decimal_comma() {
        use rust_decimal::Decimal;
        assert_eq!(percent(Decimal::new(8571, 2)), "85,71%");
        assert_eq!(percent(Decimal::new(894, 1)), "89,4%");
        assert_eq!(percent(Decimal::new(10000, 2)), "100%");
        assert_eq!(percent(Decimal::ZERO), "0%");
    }

    #[test]
    fn integers_group_thousands_with_dots() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1003), "1.003");
        assert_eq!(integer(3427), "3.427");
        assert_eq!(integer(1234567), "1.234.567");
        assert_eq!(integer(-1003), "-1.003");
    }
}
