//! "Phiên đăng nhập": a user's own sessions, and ending one or all the others (issue 12,
//! item 12).

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::auth::{CurrentUser, store};
use crate::error::{AppError, AppResult};
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::routes::Routes;
use crate::web::vn;

pub fn routes() -> Routes {
    Routes::new()
        .get("/sessions", list)
        .post("/sessions/end-others", end_others)
        .post("/sessions/{id}/end", end_one)
}

struct SessionView {
    id: i64,
    created: String,
    last_seen: String,
    ip: String,
    browser: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "auth/sessions.html")]
struct SessionsPage {
    l: Layout,
    sessions: Vec<SessionView>,
    notice: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct Done {
    ended: Option<String>,
}

pub async fn list(u: CurrentUser, Query(q): Query<Done>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let rows = store::list_sessions(&mut tx, u.user_id, &u.session_hash).await?;
    tx.commit().await?;
    let sessions = rows
        .into_iter()
        .map(|r| SessionView {
            id: r.id,
            created: vn::datetime(r.created_at),
            last_seen: vn::datetime(r.last_seen_at),
            ip: r.ip,
            browser: if r.user_agent.is_empty() {
                "Không rõ".to_string()
            } else {
                r.user_agent
            },
            current: r.current,
        })
        .collect();
    let notice = match q.ended.as_deref() {
        Some("one") => Some("Đã đăng xuất phiên đó."),
        Some("others") => Some("Đã đăng xuất mọi phiên khác."),
        _ => None,
    };
    let page = SessionsPage {
        l: Layout::for_user(&u, "Phiên đăng nhập", "sessions"),
        sessions,
        notice,
    };
    Ok((StatusCode::OK, Html(page.render()?)).into_response())
}

/// Ends one of the user's own sessions; another user's id, or a malformed one, is not found.
/// Ending the current one is logging out.
pub async fn end_one(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let Some(was_current) =
        store::delete_session_by_id(&mut tx, u.user_id, id, &u.session_hash).await?
    else {
        return Err(AppError::NotFound);
    };
    tx.commit().await?;
    if was_current {
        return Ok(Redirect::to("/login").into_response());
    }
    Ok(Redirect::to("/sessions?ended=one").into_response())
}

pub async fn end_others(u: CurrentUser) -> AppResult<Response> {
    let mut tx = u.db().await?;
    store::delete_user_sessions(&mut tx, u.user_id, Some(&u.session_hash)).await?;
    tx.commit().await?;
    Ok(Redirect::to("/sessions?ended=others").into_response())
}
