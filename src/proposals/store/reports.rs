//! Nominees' achievement reports: one per nominee and award form (the form's footnote asks a
//! separate submission for each type of award).

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::PgConnection;

use super::audited;
use crate::audit::Actor;
use crate::db::TenantTx;

#[derive(sqlx::FromRow, serde::Deserialize, Debug, Clone)]
pub struct Report {
    pub unit_id: i64,
    pub award_type_id: i64,
    pub sections: sqlx::types::Json<serde_json::Map<String, Value>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

pub async fn reports(tx: &mut TenantTx, proposal_id: i64) -> sqlx::Result<Vec<Report>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT unit_id, award_type_id, sections, submitted_at, updated_at
           FROM achievement_reports WHERE tenant_id = $1 AND proposal_id = $2",
    )
    .bind(tenant_id)
    .bind(proposal_id)
    .fetch_all(&mut **tx)
    .await
}

/// Saves a report's texts; a saved change withdraws an earlier submission, so the head
/// submits what the dossier will carry.
pub async fn save_report(
    conn: &mut PgConnection,
    actor: &Actor,
    proposal_id: i64,
    (unit_id, award_type_id): (i64, i64),
    before: Option<&Report>,
    sections: &serde_json::Map<String, Value>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO achievement_reports (tenant_id, proposal_id, unit_id, award_type_id, sections)
         VALUES ($1, $2, $3, $5, $4)
         ON CONFLICT (tenant_id, proposal_id, unit_id, award_type_id)
         DO UPDATE SET sections = $4, submitted_at = NULL, updated_at = now()",
    )
    .bind(actor.tenant_id)
    .bind(proposal_id)
    .bind(unit_id)
    .bind(sqlx::types::Json(sections))
    .bind(award_type_id)
    .execute(&mut *conn)
    .await?;
    let old = before.map(|r| Value::Object(r.sections.0.clone()));
    let old = old.unwrap_or_else(|| json!({}));
    let new = Value::Object(sections.clone());
    let id = format!("{proposal_id}/{unit_id}/{award_type_id}");
    audited::updated(conn, actor, "achievement_report", &id, &old, &new).await
}

/// `at`: when the head submitted, if not now (the demo's past years).
pub async fn submit_report(
    conn: &mut PgConnection,
    actor: &Actor,
    proposal_id: i64,
    (unit_id, award_type_id): (i64, i64),
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO achievement_reports (tenant_id, proposal_id, unit_id, award_type_id,
                                          submitted_at)
         VALUES ($1, $2, $3, $5, COALESCE($4, now()))
         ON CONFLICT (tenant_id, proposal_id, unit_id, award_type_id)
         DO UPDATE SET submitted_at = COALESCE($4, now())",
    )
    .bind(actor.tenant_id)
    .bind(proposal_id)
    .bind(unit_id)
    .bind(at)
    .bind(award_type_id)
    .execute(&mut *conn)
    .await?;
    let id = format!("{proposal_id}/{unit_id}/{award_type_id}");
    audited::step(conn, actor, "achievement_report", &id, "submitted", None).await
}
