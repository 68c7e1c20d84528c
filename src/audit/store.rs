//! The SQL of the audit page.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::db::TenantTx;

#[derive(sqlx::FromRow)]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub ip: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[derive(Default)]
pub struct Filter {
    pub actor: String,
    pub entity: String,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

const WHERE: &str = "tenant_id = $1
    AND ($2 = '' OR actor = $2)
    AND ($3 = '' OR entity = $3)
    AND ($4::timestamptz IS NULL OR at >= $4)
    AND ($5::timestamptz IS NULL OR at < $5)";

pub async fn list(
    tx: &mut TenantTx,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<AuditRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "SELECT at, actor, ip, entity, entity_id, action, before, after FROM audit_log
          WHERE {WHERE} ORDER BY at DESC, id DESC OFFSET $6 LIMIT $7"
    ))
    .bind(tenant_id)
    .bind(&f.actor)
    .bind(&f.entity)
    .bind(f.from)
    .bind(f.to)
    .bind(offset)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

pub async fn count(tx: &mut TenantTx, f: &Filter) -> sqlx::Result<i64> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(&format!("SELECT count(*) FROM audit_log WHERE {WHERE}"))
        .bind(tenant_id)
        .bind(&f.actor)
        .bind(&f.entity)
        .bind(f.from)
        .bind(f.to)
        .fetch_one(&mut **tx)
        .await
}

pub async fn actors(tx: &mut TenantTx) -> sqlx::Result<Vec<String>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar("SELECT DISTINCT actor FROM audit_log WHERE tenant_id = $1 ORDER BY 1")
        .bind(tenant_id)
        .fetch_all(&mut **tx)
        .await
}

pub async fn names(tx: &mut TenantTx) -> sqlx::Result<super::view::Names> {
    let tenant_id = tx.tenant_id();
    let units: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM units WHERE tenant_id = $1")
            .bind(tenant_id)
            .fetch_all(&mut **tx)
            .await?;
    let clusters: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM clusters WHERE tenant_id = $1")
            .bind(tenant_id)
            .fetch_all(&mut **tx)
            .await?;
    Ok(super::view::Names {
        units: units.into_iter().collect(),
        clusters: clusters.into_iter().collect(),
    })
}
