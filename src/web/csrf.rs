//! Anti-forgery checks on every state-changing request, before any handler runs.
//!
//! Two locks: the browser's own word on where the request came from (Sec-Fetch-Site, Origin),
//! and a secret token in the form that a foreign page cannot know — the session's token once
//! logged in, or a cookie-bound token on the login form.

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::auth::session::{PRE_CSRF_COOKIE, cookie_value};
use crate::error::AppError;

pub const FIELD: &str = "csrf";

pub async fn protect(State(_st): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if cross_site(req.headers()) {
        tracing::warn!(path = %req.uri().path(), "cross-site request refused");
        return AppError::Csrf.into_response();
    }
    let expected = match req.extensions().get::<CurrentUser>() {
        Some(u) => Some(u.csrf_token.clone()),
        None => cookie_value(req.headers(), PRE_CSRF_COOKIE),
    };
    let Some(expected) = expected else {
        return AppError::Csrf.into_response();
    };

    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (parts, body) = req.into_parts();
    let (presented, body) = if is_form {
        // The same limit as the form extractors: a long text is the handler's to refuse,
        // with the form and its entries, not a "form expired" page here.
        let Ok(bytes) = to_bytes(body, crate::BODY_LIMIT).await else {
            return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
        };
        let token = form_field(&bytes, FIELD);
        (token, Body::from(bytes))
    } else if let Some(boundary) = multipart_boundary(&parts.headers) {
        // The token travels as a field of the upload form, so it stays out of the URL and
        // the browser's history; the body is already in memory (see `auth::session`).
        let Ok(bytes) = to_bytes(body, crate::UPLOAD_LIMIT).await else {
            return axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
        };
        let q = parts.uri.query().unwrap_or("").as_bytes();
        let token = match multipart_field(bytes.clone(), &boundary, FIELD).await {
            Some(t) => Some(t),
            None => form_field(q, FIELD),
        };
        (token, crate::web::upload::trickle(bytes))
    } else {
        let q = parts.uri.query().unwrap_or("").as_bytes();
        (form_field(q, FIELD), body)
    };
    match presented {
        Some(t) if constant_time_eq(t.as_bytes(), expected.as_bytes()) => {
            next.run(Request::from_parts(parts, body)).await
        }
        _ => {
            tracing::warn!(path = %parts.uri.path(), "request without a valid anti-forgery token refused");
            AppError::Csrf.into_response()
        }
    }
}

fn cross_site(h: &HeaderMap) -> bool {
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && (site == "cross-site" || site == "same-site")
    {
        return true;
    }
    if let (Some(origin), Some(host)) = (
        h.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        h.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        let origin_host = origin.split("://").nth(1).unwrap_or("");
        if origin == "null" || origin_host != host {
            return true;
        }
    }
    false
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The boundary of a multipart body, from its Content-Type.
fn multipart_boundary(h: &HeaderMap) -> Option<String> {
    let ct = h.get(header::CONTENT_TYPE)?.to_str().ok()?;
    multer::parse_boundary(ct).ok()
}

/// The text field `name` of a multipart body (never a file's content); None when it is absent
/// or the body does not hold together.
async fn multipart_field(body: Bytes, boundary: &str, name: &str) -> Option<String> {
    // A slice at a time: the token comes first, and the file after it is never copied here.
    let mut form = multer::Multipart::new(
        crate::web::upload::trickle(body).into_data_stream(),
        boundary,
    );
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) && field.file_name().is_none() {
            return field.text().await.ok();
        }
    }
    None
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_origins_are_cross_site() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(!cross_site(&h));
        h.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        assert!(!cross_site(&h));
        h.insert(header::ORIGIN, "http://evil.example".parse().unwrap());
        assert!(cross_site(&h));
        h.remove(header::ORIGIN);
        h.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(cross_site(&h));
        h.insert("sec-fetch-site", "same-origin".parse().unwrap());
        assert!(!cross_site(&h));
    }

    #[tokio::test]
    async fn token_is_read_from_a_multipart_body() {
        let field = |b: &'static [u8], name: &'static str| {
            multipart_field(Bytes::from_static(b), "XyZ", name)
        };
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n\
            --XyZ\r\nContent-Disposition: form-data; name=\"file_7\"; filename=\"csrf\"\r\n\
            Content-Type: application/pdf\r\n\r\n%PDF\r\n--XyZ--\r\n";
        assert_eq!(field(body, "csrf").await.as_deref(), Some("abc"));
        assert_eq!(field(body, "file_7").await, None, "a file is no token");
        assert_eq!(field(body, "other").await, None);
        let later = b"--XyZ\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n3\r\n\
            --XyZ\r\ncontent-disposition: form-data; name=\"csrf\"\r\n\r\nt\r\n--XyZ--\r\n";
        assert_eq!(field(later, "csrf").await.as_deref(), Some("t"));
        assert_eq!(field(b"--XyZ\r\nbroken", "csrf").await, None);
        assert_eq!(field(b"", "csrf").await, None);
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=\"ab cd\"".parse().unwrap(),
        );
        assert_eq!(multipart_boundary(&h).as_deref(), Some("ab cd"));
        h.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert_eq!(multipart_boundary(&h), None);
    }

    #[test]
    fn token_is_read_from_a_form_body() {
        assert_eq!(
            form_field(b"a=1&csrf=abc&b=2", "csrf").as_deref(),
            Some("abc")
        );
        assert_eq!(form_field(b"a=1", "csrf"), None);
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
