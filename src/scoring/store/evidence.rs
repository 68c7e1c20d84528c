//! The SQL of evidence files: listed per sheet, stored, fetched and deleted with an audit row.
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::db::TenantTx;
use crate::files::{Location, Placed};

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

/// Locks the sheet's row until the transaction ends, then tells how much evidence it holds and
/// the council's quota (MB, 0: none). Two uploads to one sheet wait for each other here, so the
/// second counts the first one's file (the sum is read after the lock, in a statement of its
/// own: a statement that waited for a lock still sees the data of before the wait).
pub async fn lock_evidence_use(tx: &mut TenantTx, sheet_id: i64) -> sqlx::Result<(i64, i32)> {
    let tenant_id = tx.tenant_id();
    sqlx::query("SELECT 1 FROM scoresheets WHERE tenant_id = $1 AND id = $2 FOR NO KEY UPDATE")
        .bind(tenant_id)
        .bind(sheet_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query_as(&format!(
        "SELECT COALESCE(sum(size_bytes), 0)::bigint, {}
           FROM evidence WHERE tenant_id = $1 AND sheet_id = $2",
        crate::settings::store::EVIDENCE_QUOTA_MB
    ))
    .bind(tenant_id)
    .bind(sheet_id)
    .fetch_one(&mut **tx)
    .await
}

pub struct NewEvidence<'a> {
    pub criterion_id: i64,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
    pub sha256: &'a [u8],
    /// Where the bytes went (`files::FileStore::put`): into this row, or an object put before.
    pub placed: &'a Placed,
}

pub async fn insert_evidence(
    conn: &mut PgConnection,
    actor: &Actor,
    sheet_id: i64,
    e: &NewEvidence<'_>,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO evidence (tenant_id, sheet_id, criterion_id, filename, content_type, size_bytes, sha256, data, uploaded_by,
                               stored_in, object_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(sheet_id)
    .bind(e.criterion_id)
    .bind(e.filename)
    .bind(e.content_type)
    .bind(e.data.len() as i32)
    .bind(e.sha256)
    .bind((*e.placed == Placed::InRow).then_some(e.data))
    .bind(actor.user_id)
    .bind(match e.placed {
        Placed::InRow => "db",
        Placed::Object(_) => "s3",
    })
    .bind(match e.placed {
        Placed::InRow => None,
        Placed::Object(key) => Some(key.as_str()),
    })
    .fetch_one(&mut *conn)
    .await?;
    if *e.placed == Placed::InRow && e.data.len() > 256 * 1024 {
        // The file went through the connection's write buffer, which would otherwise keep its
        // size for as long as the pooled connection lives: the "kept afterwards" of issue 12.
        sqlx::Connection::shrink_buffers(&mut *conn);
    }
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
    pub size_bytes: i32,
    pub sha256: Vec<u8>,
    /// The bytes when they are kept in the row (`stored_in = 'db'`).
    pub data: Option<Vec<u8>>,
    /// The object holding them otherwise.
    pub object_key: Option<String>,
}

impl EvidenceFile {
    /// Where the bytes are, for `files::FileStore::get`.
    pub fn location(&mut self) -> Location {
        match (self.data.take(), self.object_key.take()) {
            (Some(bytes), _) => Location::InRow(bytes),
            (None, key) => Location::Object {
                key: key.unwrap_or_default(),
                size: self.size_bytes.max(0) as u64,
            },
        }
    }
}

pub async fn evidence_file(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<EvidenceFile>> {
    let tenant_id = tx.tenant_id();
    let f: Option<EvidenceFile> = sqlx::query_as(
        "SELECT id, sheet_id, filename, content_type, size_bytes, sha256, data, object_key
           FROM evidence WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    if f.as_ref()
        .and_then(|f| f.data.as_ref())
        .is_some_and(|d| d.len() > 256 * 1024)
    {
        // As for an upload: the read buffer would keep the file's size in the pool.
        sqlx::Connection::shrink_buffers(&mut **tx);
    }
    Ok(f)
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
