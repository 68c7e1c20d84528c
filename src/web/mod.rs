//! Cross-cutting web pieces: layout context, anti-forgery checks, static files, security
//! headers, the client address and Vietnamese formatting.

pub mod csrf;
pub mod document;
pub mod docx;
pub mod download;
pub mod forms;
pub mod ids;
pub mod input;
pub mod layout;
pub mod paging;
pub mod print;
pub mod request_id;
pub mod routes;
pub mod serve;
pub mod upload;
pub mod vn;

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub const CSP: &str = "default-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'; img-src 'self' data:";

pub fn url_encode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e[1..].to_string())
        .unwrap_or_default()
}

/// The client's address: the socket peer, or with a trusted proxy the last X-Forwarded-For hop
/// (the one our own proxy appended; earlier entries are whatever the client claimed).
pub fn client_ip<B>(req: &Request<B>, trust_proxy: bool) -> String {
    if trust_proxy && let Some(ip) = forwarded_for(req.headers()) {
        return ip;
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

fn forwarded_for(h: &HeaderMap) -> Option<String> {
    let v = h.get("x-forwarded-for")?.to_str().ok()?;
    let last = v.rsplit(',').next()?.trim();
    last.parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| ip.to_string())
}

const APP_CSS: &str = include_str!("../../static/app.css");
const PRINT_CSS: &str = include_str!("../../static/print.css");
const DOCUMENT_CSS: &str = include_str!("../../static/document.css");
const SHEET_JS: &str = include_str!("../../static/sheet.js");
const STATISTICS_CSS: &str = include_str!("../../static/statistics.css");

pub async fn static_file(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    let body = match name.as_str() {
        "app.css" => APP_CSS,
        "print.css" => PRINT_CSS,
        "document.css" => DOCUMENT_CSS,
        "sheet.js" => SHEET_JS,
        "statistics.css" => STATISTICS_CSS,
        _ => return crate::error::not_found(),
    };
    let content_type = if name.ends_with(".js") {
        "text/javascript; charset=utf-8"
    } else {
        "text/css; charset=utf-8"
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            ),
        ],
        body,
    )
        .into_response()
}

const FAVICON: &str = include_str!("../../static/favicon.svg");

/// The tab's icon (a star on the brand's red): browsers ask for /favicon.ico on every page.
pub async fn favicon() -> Response {
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        FAVICON,
    )
        .into_response()
}
