//! Pages of the year's work. Each handler loads by a tenant-scoped query first (another
//! tenant's id is simply not found), then asks the policy.

pub mod award_types;
pub mod documents;
pub mod movements;
pub mod pledge;
pub mod pledge_actions;
pub mod pledge_items;
pub mod pledge_paper;
pub mod registration_summary;
pub mod registrations;

use chrono::{DateTime, NaiveDate, Utc};

use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::error::AppResult;
use crate::web::vn;

pub use crate::org::year::YearCtx;

/// Loads a year of the user's tenant that the user may know of; not authorised further yet.
pub async fn load_year(conn: &mut TenantTx, u: &CurrentUser, id: i64) -> AppResult<YearCtx> {
    crate::org::year::visible_year(conn, u, id).await
}

pub fn when(t: &Option<DateTime<Utc>>) -> String {
    t.map(vn::datetime).unwrap_or_default()
}

pub fn date(d: &Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}
