//! The audit rows of dossiers, reports, templates and decisions, written in the caller's
//! transaction: one place for the shapes, so every change reads the same in the trail.

use serde_json::Value;
use sqlx::PgConnection;

use crate::audit::{self, Actor};

/// A new row: what it was created with.
pub(super) async fn created(
    conn: &mut PgConnection,
    actor: &Actor,
    entity: &str,
    id: &str,
    after: Value,
) -> sqlx::Result<()> {
    audit::record(conn, actor, entity, id, "created", None, Some(after)).await
}

/// A changed row: only the fields that differ, before and after.
pub(super) async fn updated(
    conn: &mut PgConnection,
    actor: &Actor,
    entity: &str,
    id: &str,
    before: &Value,
    after: &Value,
) -> sqlx::Result<()> {
    let (b, a) = audit::diff(before, after);
    audit::record(conn, actor, entity, id, "updated", Some(b), Some(a)).await
}

/// A named step (sent, returned, submitted…), with the state around it when it has one.
pub(super) async fn step(
    conn: &mut PgConnection,
    actor: &Actor,
    entity: &str,
    id: &str,
    action: &str,
    around: Option<(Value, Value)>,
) -> sqlx::Result<()> {
    let (b, a) = around.unzip();
    audit::record(conn, actor, entity, id, action, b, a).await
}
