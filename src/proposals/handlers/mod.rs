//! The dossier's pages. This file loads what they share: the year and the dossier as the user
//! may see them.

pub mod assemble;
pub mod council;
pub mod dossier;
pub mod print;
pub mod reports;
pub mod templates;
pub mod withdraw;

use super::model::ProposalState;
use super::store::{self, Proposal};
use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};

pub use crate::org::year::YearCtx as Ctx;

/// A year as this user may see it: 404 outside it (as another tenant's would be), 403 when the
/// role may not read dossiers.
pub async fn load_year(conn: &mut TenantTx, u: &CurrentUser, year_id: i64) -> AppResult<Ctx> {
    let ctx = crate::org::year::visible_year(conn, u, year_id).await?;
    if !policy::may_view_proposal(u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    Ok(ctx)
}

/// A dossier and its year; the row is locked for the step when `lock`.
pub async fn load_proposal(
    conn: &mut TenantTx,
    u: &CurrentUser,
    id: i64,
    lock: bool,
) -> AppResult<(Proposal, Ctx)> {
    let p = store::proposal(conn, id, lock)
        .await?
        .ok_or(AppError::NotFound)?;
    let ctx = load_year(conn, u, p.cluster_year_id).await?;
    Ok((p, ctx))
}

pub fn state_of(p: &Proposal) -> ProposalState {
    p.state
}
