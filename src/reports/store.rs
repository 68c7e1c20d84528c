//! The SQL of the council's dashboard and of units' award histories. Proposal dossiers,
//! nominees and decisions are only read here.

use chrono::NaiveDate;
use serde_json::json;
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::db::TenantTx;
use crate::org::store::ClusterYear;
pub use crate::reports::model::UnitAward;
use crate::reports::model::{AwardTypeInfo, DecidedInput, DossierInput, NomineeInput, Settings};

/// The council's settings, as the dossiers read them (a missing row means the defaults).
pub async fn settings(conn: &mut TenantTx) -> sqlx::Result<Settings> {
    let s = crate::proposals::store::settings(conn).await?;
    Ok(Settings {
        flag_share: s.government_flag_share,
        deadline_month: s.proposal_deadline_month as u32,
        deadline_day: s.proposal_deadline_day as u32,
        government_flag_id: s.government_flag_id,
    })
}

/// The years that have cluster years, newest first.
pub async fn years(tx: &mut TenantTx) -> sqlx::Result<Vec<i32>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(
        "SELECT DISTINCT year FROM cluster_years WHERE tenant_id = $1 ORDER BY year DESC",
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

/// Every cluster's year `year`, clusters in Vietnamese order.
pub async fn cluster_years(tx: &mut TenantTx, year: i32) -> sqlx::Result<Vec<ClusterYear>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        r#"{} WHERE y.tenant_id = $1 AND y.year = $2
            ORDER BY c.kind, c.name COLLATE "vi-VN-x-icu""#,
        crate::org::store::YEAR_SELECT
    ))
    .bind(tenant_id)
    .bind(year)
    .fetch_all(&mut **tx)
    .await
}

/// Each member's sheet state in every cluster year of a year, in one statement: the council's
/// dashboard needs who has submitted and who is late, not the scores.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct SheetState {
    pub cluster_year_id: i64,
    pub unit_id: i64,
    pub name: String,
    pub short_name: String,
    pub status: Option<String>,
    pub deadline_override: Option<chrono::NaiveDate>,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
}

pub async fn sheet_states(tx: &mut TenantTx, year: i32) -> sqlx::Result<Vec<SheetState>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT m.cluster_year_id, u.id AS unit_id, u.name, u.short_name, s.status,
                  s.deadline_override, s.submitted_at
             FROM cluster_years y
             JOIN cluster_members m ON m.tenant_id = y.tenant_id AND m.cluster_year_id = y.id
             JOIN units u ON u.tenant_id = m.tenant_id AND u.id = m.unit_id
             LEFT JOIN scoresheets s ON s.tenant_id = m.tenant_id
                  AND s.cluster_year_id = m.cluster_year_id AND s.unit_id = m.unit_id
            WHERE y.tenant_id = $1 AND y.year = $2
            ORDER BY u.name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .bind(year)
    .fetch_all(&mut **tx)
    .await
}

/// The dossiers of the year's cluster years.
pub async fn dossiers(tx: &mut TenantTx, year: i32) -> sqlx::Result<Vec<DossierInput>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT p.cluster_year_id, p.id, p.state, p.sent_at
           FROM proposals p
           JOIN cluster_years y ON y.tenant_id = p.tenant_id AND y.id = p.cluster_year_id
          WHERE p.tenant_id = $1 AND y.year = $2",
    )
    .bind(tenant_id)
    .bind(year)
    .fetch_all(&mut **tx)
    .await
}

/// Every nominee of the year's dossiers.
pub async fn nominees(tx: &mut TenantTx, year: i32) -> sqlx::Result<Vec<NomineeInput>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT p.cluster_year_id, n.award_type_id, n.unit_id, u.name AS unit_name
             FROM proposal_nominees n
             JOIN proposals p ON p.tenant_id = n.tenant_id AND p.id = n.proposal_id
             JOIN cluster_years y ON y.tenant_id = p.tenant_id AND y.id = p.cluster_year_id
             JOIN units u ON u.tenant_id = n.tenant_id AND u.id = n.unit_id
            WHERE n.tenant_id = $1 AND y.year = $2
            ORDER BY u.name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .bind(year)
    .fetch_all(&mut **tx)
    .await
}

/// The awards that the council's decisions on the year's dossiers gave.
pub async fn decided_awards(tx: &mut TenantTx, year: i32) -> sqlx::Result<Vec<DecidedInput>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT p.cluster_year_id, w.award_type_id, w.award_name
           FROM unit_awards w
           JOIN award_decisions d ON d.tenant_id = w.tenant_id AND d.id = w.decision_id
           JOIN proposals p ON p.tenant_id = d.tenant_id AND p.id = d.proposal_id
           JOIN cluster_years y ON y.tenant_id = p.tenant_id AND y.id = p.cluster_year_id
          WHERE w.tenant_id = $1 AND y.year = $2",
    )
    .bind(tenant_id)
    .bind(year)
    .fetch_all(&mut **tx)
    .await
}

/// The tenant's award types in the council's order, retired ones too (old records name them).
pub async fn award_types(tx: &mut TenantTx) -> sqlx::Result<Vec<AwardTypeInfo>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT id, name, level, target, active FROM award_types
            WHERE tenant_id = $1 ORDER BY position, name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

const AWARD_COLUMNS: &str = "id, unit_id, year, award_name, award_type_id, decision_number, \
     decision_date, issuer, decision_id";

/// A unit's awards over the years, newest year first.
pub async fn unit_awards(tx: &mut TenantTx, unit_id: i64) -> sqlx::Result<Vec<UnitAward>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        r#"SELECT {AWARD_COLUMNS} FROM unit_awards WHERE tenant_id = $1 AND unit_id = $2
            ORDER BY year DESC, decision_date, award_name COLLATE "vi-VN-x-icu""#
    ))
    .bind(tenant_id)
    .bind(unit_id)
    .fetch_all(&mut **tx)
    .await
}

/// An award entered by hand from the paper record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAward {
    pub year: i32,
    pub award_name: String,
    pub award_type_id: Option<i64>,
    pub decision_number: String,
    pub decision_date: Option<NaiveDate>,
    pub issuer: String,
}

fn award_json(a: &UnitAward) -> serde_json::Value {
    json!({
        "unit_id": a.unit_id,
        "year": a.year,
        "award": a.award_name,
        "award_type_id": a.award_type_id,
        "decision_number": a.decision_number,
        "decision_date": a.decision_date,
        "issuer": a.issuer,
    })
}

/// Adds the award with its audit row; None when the unit already has that award for that year.
pub async fn insert_unit_award(
    conn: &mut PgConnection,
    actor: &Actor,
    unit_id: i64,
    a: &NewAward,
) -> sqlx::Result<Option<UnitAward>> {
    let row: Option<UnitAward> = sqlx::query_as(&format!(
        "INSERT INTO unit_awards (tenant_id, unit_id, year, award_name, award_type_id,
             decision_number, decision_date, issuer)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (tenant_id, unit_id, year, award_name) DO NOTHING
         RETURNING {AWARD_COLUMNS}"
    ))
    .bind(actor.tenant_id)
    .bind(unit_id)
    .bind(a.year)
    .bind(&a.award_name)
    .bind(a.award_type_id)
    .bind(&a.decision_number)
    .bind(a.decision_date)
    .bind(&a.issuer)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(w) = &row {
        audit::record(
            conn,
            actor,
            "unit_award",
            &w.id.to_string(),
            "created",
            None,
            Some(award_json(w)),
        )
        .await?;
    }
    Ok(row)
}

pub enum Deleted {
    NotFound,
    /// It came from a council decision: the decision is the record, it stays.
    FromDecision,
    Deleted,
}

/// Deletes an award entered by hand, with its audit row. (The application may not lock award
/// rows, so the delete itself says whether there was one to delete.)
pub async fn delete_unit_award(
    conn: &mut PgConnection,
    actor: &Actor,
    unit_id: i64,
    award_id: i64,
) -> sqlx::Result<Deleted> {
    let gone: Option<UnitAward> = sqlx::query_as(&format!(
        "DELETE FROM unit_awards
          WHERE tenant_id = $1 AND unit_id = $2 AND id = $3 AND decision_id IS NULL
         RETURNING {AWARD_COLUMNS}"
    ))
    .bind(actor.tenant_id)
    .bind(unit_id)
    .bind(award_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(w) = gone else {
        let exists: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM unit_awards WHERE tenant_id = $1 AND unit_id = $2 AND id = $3)",
        )
        .bind(actor.tenant_id)
        .bind(unit_id)
        .bind(award_id)
        .fetch_one(&mut *conn)
        .await?;
        return Ok(if exists {
            Deleted::FromDecision
        } else {
            Deleted::NotFound
        });
    };
    audit::record(
        conn,
        actor,
        "unit_award",
        &w.id.to_string(),
        "deleted",
        Some(award_json(&w)),
        None,
    )
    .await?;
    Ok(Deleted::Deleted)
}
