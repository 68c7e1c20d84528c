//! Pages of scoring: the year's setup, the sheets, evidence, and the leader's dashboard.

pub mod dashboard;
pub mod draft;
pub mod evidence;
pub mod sheet;
pub mod verification;

use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::error::AppResult;
use crate::org::model::YearRole;
use crate::org::store::{ClusterYear, MemberRow};
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
pub async fn year_ctx(conn: &mut TenantTx, u: &CurrentUser, id: i64) -> AppResult<YearCtx> {
    let year = crate::org::year::viewable_year(conn, u, id).await?;
    let table = tables::of_year(conn, &year.y).await?;
    Ok(YearCtx {
        y: year.y,
        members: year.members,
        role: year.role,
        table,
    })
}

impl YearCtx {
    pub fn member(&self, unit_id: i64) -> Option<&MemberRow> {
        self.members.iter().find(|m| m.unit_id == unit_id)
    }
}
