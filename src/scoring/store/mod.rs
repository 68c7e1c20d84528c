//! The SQL of scoresheets, their entries and evidence.

mod evidence;
mod sheet_read;
pub use sheet_read::{SheetRead, sheet_with_entries_and_evidence};

pub use evidence::{
    EvidenceFile, EvidenceRow, NewEvidence, delete_evidence, evidence_file, evidence_of_sheet,
    insert_evidence, lock_evidence_use,
};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::db::TenantTx;
use crate::scoring::model::SheetStatus;
use crate::scoring::model::sheet::Changes;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Sheet {
    pub id: i64,
    pub cluster_year_id: i64,
    pub unit_id: i64,
    #[sqlx(try_from = "String")]
    pub status: SheetStatus,
    pub version: i32,
    pub deadline_override: Option<NaiveDate>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub returned_reason: String,
    pub finalised_at: Option<DateTime<Utc>>,
}

const SHEET_COLUMNS: &str = "id, cluster_year_id, unit_id, status, version, deadline_override, submitted_at, returned_reason, finalised_at";

pub use crate::scoring::model::sheet::Entry;

pub async fn sheet(tx: &mut TenantTx, year_id: i64, unit_id: i64) -> sqlx::Result<Option<Sheet>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "SELECT {SHEET_COLUMNS} FROM scoresheets WHERE tenant_id = $1 AND cluster_year_id = $2 AND unit_id = $3"
    ))
    .bind(tenant_id)
    .bind(year_id)
    .bind(unit_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn sheets_of_year(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Vec<Sheet>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "SELECT {SHEET_COLUMNS} FROM scoresheets WHERE tenant_id = $1 AND cluster_year_id = $2"
    ))
    .bind(tenant_id)
    .bind(year_id)
    .fetch_all(&mut **tx)
    .await
}

/// The unit's sheet for the year, made (with an empty line per criterion) on first use.
pub async fn sheet_or_new(
    conn: &mut TenantTx,
    year_id: i64,
    unit_id: i64,
    table_id: i64,
) -> sqlx::Result<Sheet> {
    let tenant_id = conn.tenant_id();
    if let Some(s) = sheet(conn, year_id, unit_id).await? {
        return Ok(s);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO scoresheets (tenant_id, cluster_year_id, unit_id) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, cluster_year_id, unit_id) DO UPDATE SET updated_at = scoresheets.updated_at
         RETURNING id",
    )
    .bind(tenant_id)
    .bind(year_id)
    .bind(unit_id)
    .fetch_one(&mut **conn)
    .await?;
    sqlx::query(
        "INSERT INTO sheet_entries (tenant_id, sheet_id, criterion_id)
         SELECT $1, $2, c.id FROM criteria c WHERE c.tenant_id = $1 AND c.table_id = $3
         ON CONFLICT DO NOTHING",
    )
    .bind(tenant_id)
    .bind(id)
    .bind(table_id)
    .execute(&mut **conn)
    .await?;
    Ok(sheet(conn, year_id, unit_id).await?.expect("just made"))
}

pub async fn entries(tx: &mut TenantTx, sheet_id: i64) -> sqlx::Result<Vec<Entry>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT criterion_id, self_points, explanation, not_applicable, na_reason, verified_points, verify_reason
           FROM sheet_entries WHERE tenant_id = $1 AND sheet_id = $2",
    )
    .bind(tenant_id)
    .bind(sheet_id)
    .fetch_all(&mut **tx)
    .await
}

/// Every entry of every sheet of a year, for the dashboard: (sheet id, entry).
pub async fn entries_of_year(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Vec<(i64, Entry)>> {
    let tenant_id = tx.tenant_id();
    #[derive(sqlx::FromRow)]
    struct Row {
        sheet_id: i64,
        #[sqlx(flatten)]
        e: Entry,
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT e.sheet_id, e.criterion_id, e.self_points, e.explanation, e.not_applicable, e.na_reason,
                e.verified_points, e.verify_reason
           FROM sheet_entries e JOIN scoresheets s ON s.tenant_id = e.tenant_id AND s.id = e.sheet_id
          WHERE e.tenant_id = $1 AND s.cluster_year_id = $2",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.sheet_id, r.e)).collect())
}

/// Takes the sheet for a change if it is still at `version`; false when someone saved first.
pub async fn bump_version(tx: &mut TenantTx, sheet_id: i64, version: i32) -> sqlx::Result<bool> {
    let tenant_id = tx.tenant_id();
    let r = sqlx::query(
        "UPDATE scoresheets SET version = version + 1, updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND version = $3",
    )
    .bind(tenant_id)
    .bind(sheet_id)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

pub async fn save_self(tx: &mut TenantTx, sheet_id: i64, e: &Entry) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "UPDATE sheet_entries SET self_points = $4, explanation = $5, not_applicable = $6, na_reason = $7
          WHERE tenant_id = $1 AND sheet_id = $2 AND criterion_id = $3",
    )
    .bind(tenant_id)
    .bind(sheet_id)
    .bind(e.criterion_id)
    .bind(e.self_points)
    .bind(&e.explanation)
    .bind(e.not_applicable)
    .bind(&e.na_reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn save_verified(tx: &mut TenantTx, sheet_id: i64, e: &Entry) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "UPDATE sheet_entries SET verified_points = $4, verify_reason = $5
          WHERE tenant_id = $1 AND sheet_id = $2 AND criterion_id = $3",
    )
    .bind(tenant_id)
    .bind(sheet_id)
    .bind(e.criterion_id)
    .bind(e.verified_points)
    .bind(&e.verify_reason)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves a sheet to `status` (a transition the model allowed) and records it; `reason` for
/// returns.
pub async fn set_status(
    conn: &mut PgConnection,
    actor: &Actor,
    sheet: &Sheet,
    status: SheetStatus,
    reason: &str,
) -> sqlx::Result<()> {
    let status = status.as_str();
    sqlx::query(
        "UPDATE scoresheets SET status = $3, version = version + 1, updated_at = now(),
                submitted_at = CASE WHEN $3 = 'submitted' THEN now() ELSE submitted_at END,
                submitted_by = CASE WHEN $3 = 'submitted' THEN $4 ELSE submitted_by END,
                returned_reason = CASE WHEN $3 = 'returned' THEN $5 ELSE returned_reason END,
                finalised_at = CASE WHEN $3 = 'finalised' THEN now() ELSE finalised_at END,
                finalised_by = CASE WHEN $3 = 'finalised' THEN $4 ELSE finalised_by END
          WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(sheet.id)
    .bind(status)
    .bind(actor.user_id)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    let mut after = serde_json::json!({ "status": status });
    if !reason.is_empty() {
        after["reason"] = serde_json::Value::String(reason.to_string());
    }
    record_sheet(
        conn,
        actor,
        sheet.id,
        "status_changed",
        Some(serde_json::json!({ "status": sheet.status.as_str() })),
        Some(after),
    )
    .await
}

pub async fn set_deadline_override(
    conn: &mut PgConnection,
    actor: &Actor,
    sheet: &Sheet,
    date: Option<NaiveDate>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE scoresheets SET deadline_override = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(actor.tenant_id)
        .bind(sheet.id)
        .bind(date)
        .execute(&mut *conn)
        .await?;
    record_sheet(
        conn,
        actor,
        sheet.id,
        "deadline_extended",
        Some(serde_json::json!({ "deadline_override": sheet.deadline_override })),
        Some(serde_json::json!({ "deadline_override": date })),
    )
    .await
}

pub async fn set_scoring_deadline(
    conn: &mut PgConnection,
    actor: &Actor,
    year_id: i64,
    date: Option<NaiveDate>,
) -> sqlx::Result<()> {
    let before: Option<NaiveDate> = sqlx::query_scalar(
        "SELECT scoring_deadline FROM cluster_years WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .fetch_one(&mut *conn)
    .await?;
    if before == date {
        return Ok(());
    }
    sqlx::query("UPDATE cluster_years SET scoring_deadline = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(actor.tenant_id)
        .bind(year_id)
        .bind(date)
        .execute(&mut *conn)
        .await?;
    audit::record(
        conn,
        actor,
        "cluster_year",
        &year_id.to_string(),
        "scoring_deadline_set",
        Some(serde_json::json!({ "scoring_deadline": before })),
        Some(serde_json::json!({ "scoring_deadline": date })),
    )
    .await
}

pub async fn sheet_by_id(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<Sheet>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "SELECT {SHEET_COLUMNS} FROM scoresheets WHERE tenant_id = $1 AND id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Stores the unit's changed lines and records them in one audit row.
pub async fn save_claims(
    tx: &mut TenantTx,
    actor: &Actor,
    sheet_id: i64,
    changes: Changes<'_>,
) -> sqlx::Result<()> {
    for e in &changes.lines {
        save_self(tx, sheet_id, e).await?;
    }
    if changes.is_empty() {
        return Ok(());
    }
    let (before, after) = (changes.before.into(), changes.after.into());
    record_sheet(
        tx,
        actor,
        sheet_id,
        "self_scored",
        Some(before),
        Some(after),
    )
    .await
}

/// Stores the verifier's changed lines and records them in one audit row.
pub async fn save_verifications(
    tx: &mut TenantTx,
    actor: &Actor,
    sheet_id: i64,
    changes: Changes<'_>,
) -> sqlx::Result<()> {
    for e in &changes.lines {
        save_verified(tx, sheet_id, e).await?;
    }
    if changes.is_empty() {
        return Ok(());
    }
    let (before, after) = (changes.before.into(), changes.after.into());
    record_sheet(tx, actor, sheet_id, "verified", Some(before), Some(after)).await
}

/// Records a change of sheet `sheet_id` in the audit trail.
async fn record_sheet(
    conn: &mut PgConnection,
    actor: &Actor,
    sheet_id: i64,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> sqlx::Result<()> {
    let id = sheet_id.to_string();
    audit::record(conn, actor, "scoresheet", &id, action, before, after).await
}
