//! The SQL of tenants, units, clusters, cluster years and memberships.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::audit::{self, Actor};
use crate::db::TenantTx;
use crate::web::paging::Paged;

mod units;
pub use units::*;
mod clusters;
pub use clusters::*;
mod years;
pub use years::*;
mod tenants;
pub use tenants::*;

/// Gives a new account its e-mail address (issue 14), in the transaction that created it.
pub async fn set_user_email(
    tx: &mut TenantTx,
    actor: &Actor,
    username: &str,
    email: &str,
) -> sqlx::Result<()> {
    let id: i64 =
        sqlx::query_scalar("UPDATE users SET email = $2 WHERE username = $1 RETURNING id")
            .bind(username)
            .bind(email)
            .fetch_one(&mut **tx)
            .await?;
    audit::record(
        tx,
        actor,
        "user",
        &id.to_string(),
        "mail_settings",
        None,
        Some(serde_json::json!({ "email": email })),
    )
    .await
}
