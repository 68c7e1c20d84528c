//! The vote pages: the year's votes, one vote (candidates, who has voted, results, the published
//! ballots), and every change to it.

use axum::http::StatusCode;
use axum::response::Response;

use super::store::{self, Vote};
use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult, error_page};
use crate::web::forms::Errors;

mod cast;
mod committee;
mod manage;
mod page;
mod votes;

pub use cast::*;
pub use committee::*;
pub use manage::*;
pub use page::*;
pub use votes::*;

pub(super) use crate::org::year::YearCtx as Ctx;

/// A year as this user may see it: 404 outside it, 403 when the role may not open votes.
async fn load_year(conn: &mut TenantTx, u: &CurrentUser, year_id: i64) -> AppResult<Ctx> {
    let ctx = crate::org::year::visible_year(conn, u, year_id).await?;
    if !policy::may_view_votes(u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    Ok(ctx)
}

/// A vote and its year; the vote row is locked for changes when `lock`.
async fn load_vote(
    conn: &mut TenantTx,
    u: &CurrentUser,
    id: i64,
    lock: bool,
) -> AppResult<(Vote, Ctx)> {
    let v = if lock {
        store::vote_for_update(conn, id).await?
    } else {
        store::vote(conn, id).await?
    }
    .ok_or(AppError::NotFound)?;
    let ctx = load_year(conn, u, v.cluster_year_id).await?;
    Ok((v, ctx))
}

fn refused(message: &str) -> Response {
    error_page(StatusCode::FORBIDDEN, "Không được bỏ phiếu", message)
}

/// The vote page again with a refusal: 422 for a form to correct.
async fn again(u: &CurrentUser, id: i64, field: &str, msg: &str) -> AppResult<Response> {
    refuse(u, id, StatusCode::UNPROCESSABLE_ENTITY, field, msg).await
}

/// The vote page again with a refusal: 409 when the vote's state (or the unit's ballot already
/// cast) forbids the change.
pub(super) async fn conflict(
    u: &CurrentUser,
    id: i64,
    field: &str,
    msg: &str,
) -> AppResult<Response> {
    refuse(u, id, StatusCode::CONFLICT, field, msg).await
}

async fn refuse(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    field: &str,
    msg: &str,
) -> AppResult<Response> {
    let mut errors = Errors::default();
    errors.add(field, msg);
    vote_page(u, id, status, errors, None).await
}

/// Loads a vote for a change by the leader unit's staff.
pub(super) async fn load_for_manage(
    conn: &mut TenantTx,
    u: &CurrentUser,
    id: i64,
) -> AppResult<(Vote, Ctx)> {
    let (v, ctx) = load_vote(conn, u, id, true).await?;
    if !policy::may_manage_votes(u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    Ok((v, ctx))
}
