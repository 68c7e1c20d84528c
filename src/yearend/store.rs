//! The SQL of the year-end report: what the leader wrote, and the year's figures that the other
//! rooms' stores do not already give (registrations by title, the nominees, next year's leader).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::audit::{self, Actor};
use crate::db::TenantTx;

/// What the leader typed.
#[derive(sqlx::FromRow, serde::Serialize, Debug, Clone, Default, PartialEq)]
pub struct Written {
    pub number: String,
    pub dated: Option<NaiveDate>,
    pub situation: String,
    pub strengths: String,
    pub shortcomings: String,
    pub direction: String,
}

pub async fn load(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Option<Written>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT number, dated, situation, strengths, shortcomings, direction
           FROM year_end_reports WHERE tenant_id = $1 AND cluster_year_id = $2",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Writes the report and its audit row in the caller's transaction.
pub async fn save(
    tx: &mut TenantTx,
    actor: &Actor,
    year_id: i64,
    before: &Written,
    after: &Written,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO year_end_reports (tenant_id, cluster_year_id, number, dated, situation,
                                       strengths, shortcomings, direction, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (tenant_id, cluster_year_id) DO UPDATE
            SET number = $3, dated = $4, situation = $5, strengths = $6, shortcomings = $7,
                direction = $8, updated_by = $9, updated_at = now()",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .bind(&after.number)
    .bind(after.dated)
    .bind(&after.situation)
    .bind(&after.strengths)
    .bind(&after.shortcomings)
    .bind(&after.direction)
    .bind(actor.user_id)
    .execute(&mut **tx)
    .await?;
    audit::changed(
        tx,
        actor,
        ("year_end_report", year_id),
        "updated",
        before,
        after,
    )
    .await
}

/// Submitted registrations per collective title, most registered first.
pub async fn registered_titles(
    tx: &mut TenantTx,
    year_id: i64,
) -> sqlx::Result<Vec<(String, i64)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT a.name, count(*) FROM registrations r
           JOIN award_types a ON a.tenant_id = r.tenant_id AND a.id = r.award_type_id
          WHERE r.tenant_id = $1 AND r.cluster_year_id = $2 AND r.state = 'submitted'
          GROUP BY a.name ORDER BY count(*) DESC, a.name",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_all(&mut **tx)
    .await
}

/// A unit the conference proposed for an award, with the share of the vote it had; a nominee
/// the leader withdrew after the council returned the dossier is left out.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Nominee {
    pub award: String,
    pub unit: String,
    pub percent: Decimal,
}

pub async fn nominees(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Vec<Nominee>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT a.name AS award, u.name AS unit, n.percent
           FROM proposals p
           JOIN proposal_nominees n ON n.tenant_id = p.tenant_id AND n.proposal_id = p.id
           JOIN award_types a ON a.tenant_id = n.tenant_id AND a.id = n.award_type_id
           JOIN units u ON u.tenant_id = n.tenant_id AND u.id = n.unit_id
          WHERE p.tenant_id = $1 AND p.cluster_year_id = $2 AND n.withdrawn_at IS NULL
          ORDER BY a.id, n.position",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_all(&mut **tx)
    .await
}

/// Next year's leader and deputy, once the election has made them.
pub async fn next_leaders(
    tx: &mut TenantTx,
    cluster_id: i64,
    year: i32,
) -> sqlx::Result<Option<(Option<String>, Option<String>)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT l.name, d.name FROM cluster_years y
           LEFT JOIN units l ON l.tenant_id = y.tenant_id AND l.id = y.leader_unit_id
           LEFT JOIN units d ON d.tenant_id = y.tenant_id AND d.id = y.deputy_unit_id
          WHERE y.tenant_id = $1 AND y.cluster_id = $2 AND y.year = $3",
    )
    .bind(tenant_id)
    .bind(cluster_id)
    .bind(year + 1)
    .fetch_optional(&mut **tx)
    .await
}
