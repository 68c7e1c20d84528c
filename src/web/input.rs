//! One layer for odd bytes in forms, before the session, the anti-forgery check or any handler
//! sees them (issue 12, item 6).
//!
//! PostgreSQL refuses NUL in text, so a NUL typed or pasted into any field (one before login:
//! `username=a%00b`) became a 500. Control characters other than tab and line breaks, and the
//! invisible direction overrides that make `bao-cao\u{202e}fdp.exe` read as "…exe.pdf", have no
//! place in anything a user types here either, so they are dropped from every field of a
//! urlencoded form; the rest of what was typed is kept, and the handler's own validation (which
//! re-renders the form with the entries) sees the cleaned text.
//!
//! Answers that axum's extractors give in plain English (a missing or repeated field, a body
//! that is not a form) become a Vietnamese page in `plain_errors_in_vietnamese`.

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error;

/// Characters dropped from form fields: C0 controls except tab, LF and CR; DEL; C1 controls;
/// the bidirectional embeddings, overrides and isolates, and the invisible marks.
pub fn is_dropped(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{061c}' | '\u{feff}')
}

/// The text with dropped characters removed.
pub fn clean(s: &str) -> String {
    s.chars().filter(|c| !is_dropped(*c)).collect()
}

fn is_urlencoded(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// The body re-encoded without dropped characters, or `None` when there was nothing to drop.
pub fn cleaned_form(body: &[u8]) -> Option<Vec<u8>> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    if !pairs
        .iter()
        .any(|(k, v)| k.chars().chain(v.chars()).any(is_dropped))
    {
        return None;
    }
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        out.append_pair(&clean(k), &clean(v));
    }
    Some(out.finish().into_bytes())
}

pub async fn clean_forms(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || !is_urlencoded(&req)
    {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes: Bytes = match to_bytes(body, crate::BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let body = match cleaned_form(&bytes) {
        Some(cleaned) => Body::from(cleaned),
        None => Body::from(bytes),
    };
    next.run(Request::from_parts(parts, body)).await
}

/// Turns the plain-text answers of axum's extractors and limits into Vietnamese pages. Only
/// answers that are not already pages are touched, so handlers' own pages pass unchanged.
pub async fn plain_errors_in_vietnamese<B>(resp: axum::http::Response<B>) -> Response
where
    B: axum::body::HttpBody<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_html {
        return resp.map(Body::new);
    }
    match resp.status() {
        StatusCode::PAYLOAD_TOO_LARGE => error::error_page(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Tệp quá lớn",
            "Tệp hoặc biểu mẫu gửi lên vượt quá giới hạn cho phép (minh chứng tối đa 10 MB, tệp nhập \
             danh sách và biểu mẫu tối đa 2 MB). Hãy nén hoặc chia nhỏ tệp rồi gửi lại.",
        ),
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => error::error_page(
            resp.status(),
            "Biểu mẫu không đúng dạng",
            "Biểu mẫu gửi lên thiếu thông tin, có trường bị lặp lại hoặc có giá trị không đúng \
             dạng. Hãy bấm nút Quay lại của trình duyệt (những gì bạn đã nhập vẫn còn), kiểm tra \
             rồi gửi lại; nếu vẫn gặp lỗi, hãy tải lại trang biểu mẫu.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::LENGTH_REQUIRED => error::error_page(
            resp.status(),
            "Yêu cầu không hợp lệ",
            "Dữ liệu gửi lên không phải là một biểu mẫu của thidua. Hãy mở lại trang và gửi \
             biểu mẫu từ đó.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => error::error_page(
            StatusCode::METHOD_NOT_ALLOWED,
            "Thao tác không được hỗ trợ",
            "Địa chỉ này không nhận thao tác vừa gửi. Hãy quay lại trang trước và dùng các nút \
             trên trang.",
        ),
        _ => resp.map(Body::new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_direction_overrides_are_dropped_line_breaks_kept() {
        assert_eq!(clean("a\0b"), "ab");
        assert_eq!(clean("bao-cao\u{202e}fdp.exe"), "bao-caofdp.exe");
        assert_eq!(clean("dòng 1\r\ndòng 2\tcột"), "dòng 1\r\ndòng 2\tcột");
        assert_eq!(clean("Nguyễn Văn An"), "Nguyễn Văn An");
    }

    #[test]
    fn only_forms_with_something_to_drop_are_rewritten() {
        assert_eq!(cleaned_form(b"a=1&b=Nguy%E1%BB%85n"), None);
        let c = cleaned_form(b"csrf=x&username=a%00b&n=d%C3%B2ng%0D%0A2").unwrap();
        let pairs: Vec<(String, String)> = form_urlencoded::parse(&c).into_owned().collect();
        assert_eq!(
            pairs,
            vec![
                ("csrf".into(), "x".into()),
                ("username".into(), "ab".into()),
                ("n".into(), "dòng\r\n2".into()),
            ]
        );
    }
}
