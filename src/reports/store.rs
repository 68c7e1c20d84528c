//! The SQL of the council's dashboard. Proposal dossiers, nominees and decisions are only read
//! here; units' award histories are in `awards`.

use crate::db::TenantTx;
use crate::org::store::ClusterYear;

use crate::reports::model::{AwardTypeInfo, DecidedInput, DossierInput, NomineeInput};

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
            WHERE n.tenant_id = $1 AND y.year = $2 AND n.withdrawn_at IS NULL
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
        "SELECT p.cluster_year_id, w.unit_id, w.award_type_id, w.award_name
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
