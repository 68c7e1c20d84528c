//! Pages of the year's work. Each handler loads by a tenant-scoped query first (another
//! tenant's id is simply not found), then asks the policy.

pub mod award_types;
pub mod documents;
pub mod movements;
pub mod pledge;
pub mod pledge_actions;
pub mod registration_summary;
pub mod registrations;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::auth::{CurrentUser, Role};
use crate::error::{AppError, AppResult};
use crate::org::handlers::units::parse_id;
use crate::org::model::{self, YearRole};
use crate::org::store::{self, ClusterYear, MemberRow};
use crate::web::vn;

/// A cluster year with its members and what the user's unit is in it.
pub struct YearCtx {
    pub y: ClusterYear,
    pub members: Vec<MemberRow>,
    pub role: Option<YearRole>,
}

impl YearCtx {
    pub fn member_ids(&self) -> Vec<i64> {
        self.members.iter().map(|m| m.unit_id).collect()
    }

    pub fn is_member(&self, unit_id: i64) -> bool {
        self.members.iter().any(|m| m.unit_id == unit_id)
    }
}

/// Loads a year of the user's tenant; not authorised yet.
pub async fn load_year(conn: &mut PgConnection, u: &CurrentUser, id: &str) -> AppResult<YearCtx> {
    visible_year(conn, u, parse_id(id)?).await
}

/// A cluster year with its members and the user's role in it; "not found" when the user may
/// not know it exists (another cluster's year for a unit's staff, as another tenant's would be).
pub async fn visible_year(conn: &mut PgConnection, u: &CurrentUser, id: i64) -> AppResult<YearCtx> {
    let y = store::cluster_year(conn, u.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let members = store::members(conn, u.tenant_id, y.id).await?;
    let ids: Vec<i64> = members.iter().map(|m| m.unit_id).collect();
    let role = model::year_role(u.unit_id, y.leader_unit_id, y.deputy_unit_id, &ids);
    if !crate::auth::policy::year_is_visible(u, role) {
        return Err(AppError::NotFound);
    }
    Ok(YearCtx { y, members, role })
}

/// Today in Viet Nam: deadlines are days there, whatever the server's clock zone.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&vn::vn_offset()).date_naive()
}

/// The menu entry a year's pages belong under.
pub fn year_menu(u: &CurrentUser) -> &'static str {
    if u.role == Role::TenantAdmin {
        "clusters"
    } else {
        "units"
    }
}

pub fn when(t: &Option<DateTime<Utc>>) -> String {
    t.map(vn::datetime).unwrap_or_default()
}

pub fn date(d: &Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}
