//! One place that turns failures into pages and status codes. Internals never reach the page.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::web::layout::Layout;

#[derive(Debug)]
pub enum AppError {
    /// Not logged in: go to the login page, then come back.
    Unauthenticated {
        next: String,
    },
    Forbidden,
    NotFound,
    /// A POST without a valid anti-forgery token.
    Csrf,
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> Self {
        AppError::Internal(e)
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    l: Layout,
    code: u16,
    title: &'a str,
    message: &'a str,
}

/// The database cannot be reached (server down, restarting, connections broken): a fast,
/// honest 503 rather than "system error".
pub fn db_unavailable() -> Response {
    let mut r = error_page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Tạm thời gián đoạn",
        "Cơ sở dữ liệu tạm thời không truy cập được; hệ thống đang tự khôi phục. Dữ liệu đã lưu \
         không bị mất. Hãy thử lại sau ít phút.",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, "5".parse().unwrap());
    r
}

/// The connection broke while the change was being saved: say so, rather than "nothing was
/// lost", and ask the user to look before sending the form again. HAProxy does not resend
/// forms (deploy/haproxy.cfg), so the user is the one who decides.
fn commit_unknown() -> Response {
    let mut r = error_page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Tạm thời gián đoạn",
        "Kết nối tới cơ sở dữ liệu bị ngắt đúng lúc đang lưu, nên chưa rõ thao tác vừa rồi đã \
         được lưu hay chưa. Hãy mở lại trang để xem trước khi làm lại.",
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, "5".parse().unwrap());
    r
}

/// Set on the response of a request that found the database unreachable, so the layer that
/// holds the breaker can open it (this module has no state to hold it).
#[derive(Clone, Copy, Debug)]
pub struct DbUnreachable;

fn is_unreachable(e: &anyhow::Error) -> bool {
    e.chain()
        .any(|c| c.downcast_ref::<sqlx::Error>().is_some_and(unreachable))
}

/// The database cannot be reached or went away: nothing the statement asked for was done,
/// unless the statement was the COMMIT (see `CommitBrokeOff`).
pub fn unreachable(e: &sqlx::Error) -> bool {
    matches!(
        e,
        sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Protocol(_)
    ) || e
        .as_database_error()
        .and_then(|d| d.code())
        // 57P01..57P03: admin shutdown, crash shutdown, cannot connect now. 25006: a write
        // reached a read-only standby (the primary failed over): the breaker's probe finds the
        // new primary.
        .is_some_and(|c| c.starts_with("57P") || c == "25006")
}

/// The connection was lost while the COMMIT was on its way: the write may or may not have
/// been kept, and only looking tells. Carried inside `sqlx::Error::Io`, so that it still
/// counts as the database being unreachable (the breaker opens).
#[derive(Debug)]
pub struct CommitBrokeOff(pub String);

impl std::fmt::Display for CommitBrokeOff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "connection lost during COMMIT: {}", self.0)
    }
}

impl std::error::Error for CommitBrokeOff {}

impl CommitBrokeOff {
    /// Wraps an error of the COMMIT when it says the connection went away.
    pub fn wrap(e: sqlx::Error) -> sqlx::Error {
        if unreachable(&e) {
            sqlx::Error::Io(std::io::Error::other(CommitBrokeOff(e.to_string())))
        } else {
            e
        }
    }
}

fn commit_broke_off(e: &anyhow::Error) -> bool {
    e.chain().any(|c| match c.downcast_ref::<sqlx::Error>() {
        Some(sqlx::Error::Io(io)) => io.get_ref().is_some_and(|i| i.is::<CommitBrokeOff>()),
        _ => false,
    })
}

/// One line per 10 s at most while the database is unreachable, with how many were left out:
/// a dead server used to write hundreds of megabytes of identical errors.
fn log_unreachable(e: &anyhow::Error) {
    use std::sync::Mutex;
    use std::time::{Duration, Instant};
    static LAST: Mutex<Option<(Instant, u64)>> = Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
    match last.as_mut() {
        Some((at, skipped)) if at.elapsed() < Duration::from_secs(10) => *skipped += 1,
        _ => {
            let skipped = last.map(|(_, s)| s).unwrap_or(0);
            tracing::error!(error = %e, skipped, "database unreachable (repeats are counted, not logged)");
            *last = Some((Instant::now(), 0));
        }
    }
}

pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let page = ErrorPage {
        l: Layout::anonymous(title),
        code: status.as_u16(),
        title,
        message,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, title.to_string()).into_response(),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Unauthenticated { next } => {
                let target = if next.is_empty() || next == "/" {
                    "/login".to_string()
                } else {
                    format!("/login?next={}", crate::web::url_encode(&next))
                };
                Redirect::to(&target).into_response()
            }
            AppError::Forbidden => error_page(
                StatusCode::FORBIDDEN,
                "Không có quyền truy cập",
                "Tài khoản của bạn không có quyền thực hiện thao tác này. Nếu cần, hãy liên hệ \
                 cán bộ quản trị của Hội đồng Thi đua - Khen thưởng.",
            ),
            AppError::NotFound => not_found(),
            AppError::Csrf => error_page(
                StatusCode::FORBIDDEN,
                "Yêu cầu không hợp lệ",
                "Biểu mẫu đã hết hạn hoặc không được gửi từ trang của thidua. Hãy tải lại trang \
                 và thử lại.",
            ),
            AppError::Internal(e) if is_unreachable(&e) => {
                log_unreachable(&e);
                let mut r = if commit_broke_off(&e) {
                    commit_unknown()
                } else {
                    db_unavailable()
                };
                r.extensions_mut().insert(DbUnreachable);
                r
            }
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                let mut message = "Đã có lỗi khi xử lý yêu cầu. Dữ liệu của bạn chưa bị thay đổi. \
                     Hãy thử lại sau ít phút; nếu lỗi lặp lại, hãy báo cho cán bộ quản trị."
                    .to_string();
                if let Some(id) = crate::web::request_id::current().filter(|i| !i.is_empty()) {
                    message.push_str(&format!(" Mã yêu cầu: {id}."));
                }
                let mut r = error_page(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi hệ thống", &message);
                r.headers_mut()
                    .insert(header::CACHE_CONTROL, "no-store".parse().unwrap());
                r
            }
        }
    }
}

pub fn not_found() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "Không tìm thấy trang",
        "Trang bạn tìm không tồn tại hoặc bạn không có quyền xem. Hãy kiểm tra lại địa chỉ.",
    )
}
