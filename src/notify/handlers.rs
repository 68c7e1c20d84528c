//! The user's own notifications: the list, opening one (read, then its page), all read.

use askama::Template;
use axum::extract::Query;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::notify::forms::ListQuery;
use crate::notify::store::{self, Row};
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn;

pub const PAGE_SIZE: i64 = 30;

#[derive(Template)]
#[template(path = "notify/list.html")]
struct ListPage {
    l: Layout,
    rows: Vec<Row>,
    unread: i64,
    page: i64,
    last_page: i64,
}

impl ListPage {
    fn page_link(&self, page: i64) -> String {
        format!("/notifications?page={page}")
    }

    fn when(&self, r: &Row) -> String {
        vn::datetime(r.created_at)
    }
}

/// Newest first, a page at a time, in one statement besides the session check.
pub async fn list(u: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let page = q.page();
    let mut tx = u.read().await?;
    let rows = store::list(&mut tx, u.user_id, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    tx.commit().await?;
    if rows.is_empty() && page > 1 {
        return Ok(Redirect::to("/notifications").into_response());
    }
    let total = rows.first().map_or(0, |r| r.total);
    let (_, last_page) = crate::web::paging::paging(page, total, PAGE_SIZE);
    let p = ListPage {
        l: Layout::for_user(&u, "Thông báo", ""),
        rows,
        unread: u.unread_notifications,
        page,
        last_page,
    };
    Ok(Html(p.render()?).into_response())
}

/// Marks the notification read and goes to its page; another user's answers 404.
pub async fn open(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let link = store::open(&mut tx, u.user_id, id).await?;
    tx.commit().await?;
    let link = link.ok_or(AppError::NotFound)?;
    Ok(Redirect::to(&link).into_response())
}

pub async fn read_all(u: CurrentUser) -> AppResult<Response> {
    let mut tx = u.db().await?;
    store::read_all(&mut tx, u.user_id).await?;
    tx.commit().await?;
    Ok(Redirect::to("/notifications").into_response())
}
