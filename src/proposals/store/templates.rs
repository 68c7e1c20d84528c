//! Document templates: versions, written once each.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgConnection;

use super::audited;
use crate::audit::Actor;
use crate::db::TenantTx;
use crate::proposals::templates::{self, Section};

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct TemplateRow {
    pub id: i64,
    pub kind: String,
    pub version: i32,
    pub name: String,
    pub legal_basis: String,
    pub sections: sqlx::types::Json<Vec<Section>>,
    pub created_at: DateTime<Utc>,
}

const TEMPLATE_SELECT: &str =
    "SELECT id, kind, version, name, legal_basis, sections, created_at FROM document_templates";

/// Writes the shipped version 1 of every kind the tenant has no template of yet.
pub async fn ensure_templates(conn: &mut PgConnection, actor: &Actor) -> sqlx::Result<()> {
    for d in templates::defaults() {
        let exists: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM document_templates WHERE tenant_id = $1 AND kind = $2)",
        )
        .bind(actor.tenant_id)
        .bind(d.kind)
        .fetch_one(&mut *conn)
        .await?;
        if !exists {
            insert_template(conn, actor, d.kind, d.name, d.legal_basis, &d.sections).await?;
        }
    }
    Ok(())
}

pub async fn templates(tx: &mut TenantTx) -> sqlx::Result<Vec<TemplateRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{TEMPLATE_SELECT} WHERE tenant_id = $1 ORDER BY kind, version DESC"
    ))
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn template(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<TemplateRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{TEMPLATE_SELECT} WHERE tenant_id = $1 AND id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn latest_template(tx: &mut TenantTx, kind: &str) -> sqlx::Result<Option<TemplateRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{TEMPLATE_SELECT} WHERE tenant_id = $1 AND kind = $2 ORDER BY version DESC LIMIT 1"
    ))
    .bind(tenant_id)
    .bind(kind)
    .fetch_optional(&mut **tx)
    .await
}

/// Writes the next version of a kind; returns its id.
pub async fn insert_template(
    conn: &mut PgConnection,
    actor: &Actor,
    kind: &str,
    name: &str,
    legal_basis: &str,
    sections: &[Section],
) -> sqlx::Result<i64> {
    // Versions of one kind are numbered in order; the lock keeps two editors from taking one.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('document_templates'), $1::int)")
        .bind(actor.tenant_id as i32)
        .execute(&mut *conn)
        .await?;
    let (id, version): (i64, i32) = sqlx::query_as(
        "INSERT INTO document_templates (tenant_id, kind, version, name, legal_basis, sections)
         SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4, $5
           FROM document_templates WHERE tenant_id = $1 AND kind = $2
         RETURNING id, version",
    )
    .bind(actor.tenant_id)
    .bind(kind)
    .bind(name)
    .bind(legal_basis)
    .bind(sqlx::types::Json(sections))
    .fetch_one(&mut *conn)
    .await?;
    let after = json!({ "kind": kind, "version": version, "name": name });
    audited::created(conn, actor, "document_template", &id.to_string(), after).await?;
    Ok(id)
}
