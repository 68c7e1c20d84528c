//! The frame of a printed document in the layout of Decree 30/2020/NĐ-CP: the two-column
//! header (issuing body and number; national name, motto and place-date), the document type
//! and subject. Pages fill in the body.

use chrono::NaiveDate;

use crate::web::vn;

#[derive(Clone, Debug, Default)]
pub struct DocHeader {
    /// The superior body, in capitals (e.g. "TÒA ÁN NHÂN DÂN TỐI CAO"); may be empty.
    pub superior: String,
    /// The issuing body, in capitals (e.g. "CỤM THI ĐUA SỐ VI").
    pub issuer: String,
    /// The number and symbol after "Số:", e.g. "01/GƯTĐ-CTĐ"; blank leaves room to fill by hand.
    pub number: String,
    /// "Lạng Sơn, ngày 09 tháng 01 năm 2024"
    pub place_date: String,
    /// e.g. "GIAO ƯỚC THI ĐUA"
    pub doc_type: String,
    /// e.g. "năm 2024"
    pub subject: String,
    /// Page title in the browser (and the PDF's title).
    pub title: String,
    /// Where "Quay lại" leads.
    pub back: String,
    /// "portrait" or "landscape".
    pub orientation: &'static str,
}

impl DocHeader {
    pub fn place_date(place: &str, date: NaiveDate) -> String {
        let place = if place.trim().is_empty() {
            "……………"
        } else {
            place.trim()
        };
        vn::document_date(place, date)
    }
}

/// Upper-cases Vietnamese text for the header (Rust's to_uppercase handles the diacritics).
pub fn caps(s: &str) -> String {
    s.to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_read_as_the_decree_wants() {
        assert_eq!(
            caps("Cụm thi đua các cơ quan Nội chính tỉnh"),
            "CỤM THI ĐUA CÁC CƠ QUAN NỘI CHÍNH TỈNH"
        );
        let d = NaiveDate::from_ymd_opt(2024, 1, 9).unwrap();
        assert_eq!(
            DocHeader::place_date("Lạng Sơn", d),
            "Lạng Sơn, ngày 09 tháng 01 năm 2024"
        );
        assert_eq!(
            DocHeader::place_date("", d),
            "……………, ngày 09 tháng 01 năm 2024"
        );
    }
}
