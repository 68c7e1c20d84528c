//! The request's id beyond the headers: the error page shows it for the user to quote, and
//! audit rows keep it, so a report, the audit trail and the server's log meet on one id.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use tower_http::request_id::RequestId;

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being handled, when there is one (not on the command line).
pub fn current() -> Option<String> {
    REQUEST_ID.try_with(|id| id.clone()).ok()
}

/// Runs the rest of the request with its id at hand. Handlers run in the request's own task,
/// so a task-local reaches every function they call.
pub async fn scope(req: Request, next: Next) -> Response {
    let id = req
        .extensions()
        .get::<RequestId>()
        .and_then(|r| r.header_value().to_str().ok())
        .unwrap_or_default()
        .to_string();
    REQUEST_ID.scope(id, next.run(req)).await
}
