//! Downloads are named the same way everywhere: the document's Vietnamese title with its
//! cluster or unit and year, never an internal id, with an ASCII fallback for old browsers.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `bytes` as a download named `filename` (Vietnamese allowed, e.g.
/// "Bảng tổng hợp điểm - Cụm thi đua số VI - 2019.xlsx").
pub fn attachment(filename: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    let filename: String = filename
        .chars()
        .map(|c| match c {
            '/' | '\\' | '"' | '—' | '–' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_name(&filename),
        rfc5987(&filename)
    );
    let disposition =
        HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment"));
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    (StatusCode::OK, headers, bytes).into_response()
}

/// The file name in ASCII: Vietnamese letters without their marks, spaces as hyphens.
fn ascii_name(name: &str) -> String {
    let base = |c: char| c.to_lowercase().find_map(crate::web::vn::ascii_base);
    name.chars()
        .filter_map(|c| match c {
            c if c.is_ascii_alphanumeric() || ".-_".contains(c) => Some(c),
            c if c.is_whitespace() => Some('-'),
            c if c.is_uppercase() => base(c).map(|b| b.to_ascii_uppercase()),
            c => base(c),
        })
        .collect()
}

/// RFC 5987 value: UTF-8, every byte outside the unreserved set percent-encoded.
fn rfc5987(name: &str) -> String {
    let keep = |b: u8| b.is_ascii_alphanumeric() || b"-._~".contains(&b);
    name.bytes()
        .map(|b| {
            if keep(b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
