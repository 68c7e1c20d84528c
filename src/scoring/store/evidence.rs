//! The SQL of evidence files: listed per sheet, stored, fetched and deleted with an audit row.
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::db::TenantTx;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct EvidenceRow {
    pub id: i64,
    pub criterion_id: i64,
    pub filename: String,
    pub size_bytes: i32,
    pub uploaded_at: DateTime<Utc>,
}

pub async fn evidence_of_sheet(tx: &mut TenantTx, sheet_id: i64) -> sqlx::Result<Vec<EvidenceRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT id, criterion_id, filename, size_bytes, uploaded_at FROM evidence
          WHERE tenant_id = $1 AND sheet_id = $2 ORDER BY uploaded_at, id",
    )
    .bind(tenant_id)
    .bind(sheet_id)
    .fetch_all(&mut **tx)
    .await
}

pub struct NewEvidence<'a> {
    pub criterion_id: i64,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
    pub sha256: &'a [u8],
}

pub async fn insert_evidence(
    conn: &mut PgConnection,
    actor: &Actor,
    sheet_id: i64,
    e: &NewEvidence<'_>,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO evidence (tenant_id, sheet_id, criterion_id, filename, content_type, size_bytes, sha256, data, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(sheet_id)
    .bind(e.criterion_id)
    .bind(e.filename)
    .bind(e.content_type)
    .bind(e.data.len() as i32)
    .bind(e.sha256)
    .bind(e.data)
    .bind(actor.user_id)
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "evidence",
        &id.to_string(),
        "uploaded",
        None,
        Some(serde_json::json!({ "sheet_id": sheet_id, "criterion_id": e.criterion_id, "filename": e.filename, "size": e.data.len() })),
    )
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
pub struct EvidenceFile {
    pub id: i64,
    pub sheet_id: i64,
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

pub async fn evidence_file(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<EvidenceFile>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as("SELECT id, sheet_id, filename, content_type, data FROM evidence WHERE tenant_id = $1 AND id = $2")
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn delete_evidence(
    conn: &mut PgConnection,
    actor: &Actor,
    f: &EvidenceFile,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM evidence WHERE tenant_id = $1 AND id = $2")
        .bind(actor.tenant_id)
        .bind(f.id)
        .execute(&mut *conn)
        .await?;
    audit::record(
        conn,
        actor,
        "evidence",
        &f.id.to_string(),
        "deleted",
        Some(serde_json::json!({ "sheet_id": f.sheet_id, "filename": f.filename })),
        None,
    )
    .await
}
