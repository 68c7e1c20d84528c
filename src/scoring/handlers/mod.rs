//! Pages of scoring: the year's setup, the sheets, evidence, and the leader's dashboard.

pub mod dashboard;
pub mod evidence;
pub mod sheet;
pub mod verification;

use sqlx::PgConnection;

use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::org::handlers::units::parse_id;
use crate::org::model::{self, YearRole};
use crate::org::store::{self as org_store, ClusterYear, MemberRow};
use crate::scoring::tables::{self, TableFull};

/// A cluster year as scoring sees it: the year, its members, the user's place in it and the
/// criteria table it scores against.
pub struct YearCtx {
    pub y: ClusterYear,
    pub members: Vec<MemberRow>,
    pub role: Option<YearRole>,
    pub table: Option<TableFull>,
}

/// Loads a year of the user's tenant (404 otherwise) that the user may see (403 otherwise).
pub async fn year_ctx(conn: &mut PgConnection, u: &CurrentUser, id: &str) -> AppResult<YearCtx> {
    let id = parse_id(id)?;
    let y = org_store::cluster_year(conn, u.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let members = org_store::members(conn, u.tenant_id, y.id).await?;
    let ids: Vec<i64> = members.iter().map(|m| m.unit_id).collect();
    let role = model::year_role(u.unit_id, y.leader_unit_id, y.deputy_unit_id, &ids);
    if !policy::year_is_visible(u, role) {
        return Err(AppError::NotFound);
    }
    if !policy::may_view_year(u, role) {
        return Err(AppError::Forbidden);
    }
    let table = tables::year_table(conn, u.tenant_id, y.id).await?;
    Ok(YearCtx {
        y,
        members,
        role,
        table,
    })
}

impl YearCtx {
    pub fn member(&self, unit_id: i64) -> Option<&MemberRow> {
        self.members.iter().find(|m| m.unit_id == unit_id)
    }
}
