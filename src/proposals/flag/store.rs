//! The SQL of the council's Government-flag selection: the units each cluster's vote passed for
//! the cluster's top award, and the council's choice among them (migration 0029).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::db::TenantTx;
use crate::proposals::model::ProposalState;

use super::model::Passed;

/// A dossier's nominee for the cluster's top award, with the figures of its vote and whether
/// the council has chosen it.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct LeadRow {
    pub cluster_year_id: i64,
    pub cluster_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub award_name: String,
    /// The Government flag's name, as a decision records it.
    pub government_flag_name: String,
    pub votes_for: i32,
    pub votes_against: i32,
    pub ballots: i32,
    pub members: i32,
    pub percent: Decimal,
    pub score: Option<Decimal>,
    pub rank: Option<i32>,
    pub proposal_id: i64,
    pub state: ProposalState,
    pub selected: bool,
    pub selected_at: Option<DateTime<Utc>>,
}

impl LeadRow {
    pub fn passed(&self) -> Passed {
        Passed {
            cluster_year_id: self.cluster_year_id,
            cluster_name: self.cluster_name.clone(),
            unit_id: self.unit_id,
            unit_name: self.unit_name.clone(),
            votes_for: self.votes_for,
            rank: self.rank,
        }
    }
}

/// Every nominee of `year`'s dossiers for the award the Government flag names as its
/// prerequisite (withdrawn ones left out), clusters by name, the best first in each.
pub async fn passed_top_award(
    tx: &mut TenantTx,
    year: i32,
    government_flag: Option<i64>,
) -> sqlx::Result<Vec<LeadRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT y.id AS cluster_year_id, c.name AS cluster_name, u.id AS unit_id,
                  u.name AS unit_name, a.name AS award_name, g.name AS government_flag_name, n.votes_for, n.votes_against,
                  n.ballots, n.members, n.percent, n.score, n.rank, p.id AS proposal_id, p.state,
                  s.unit_id IS NOT NULL AS selected, s.selected_at
             FROM award_types g
             JOIN award_types a ON a.tenant_id = g.tenant_id AND a.id = g.prerequisite_id
             JOIN cluster_years y ON y.tenant_id = g.tenant_id AND y.year = $2
             JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
             JOIN proposals p ON p.tenant_id = y.tenant_id AND p.cluster_year_id = y.id
             JOIN proposal_nominees n ON n.tenant_id = p.tenant_id AND n.proposal_id = p.id
                  AND n.award_type_id = a.id AND n.withdrawn_at IS NULL
             JOIN units u ON u.tenant_id = n.tenant_id AND u.id = n.unit_id
             LEFT JOIN government_flag_selections s ON s.tenant_id = y.tenant_id
                  AND s.year = y.year AND s.cluster_year_id = y.id AND s.unit_id = u.id
            WHERE g.tenant_id = $1 AND g.id = $3
            ORDER BY c.name COLLATE "vi-VN-x-icu", n.votes_for DESC, n.rank NULLS LAST,
                     n.position"#,
    )
    .bind(tenant_id)
    .bind(year)
    .bind(government_flag)
    .fetch_all(&mut **tx)
    .await
}

/// Serialises selections of one tenant and year, so two saved at once cannot both pass the
/// share check.
pub async fn lock_year(tx: &mut TenantTx, year: i32) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtext('government_flag_selections') # $1::int, $2)",
    )
    .bind(tenant_id as i32)
    .bind(year)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Replaces the year's selection with `chosen` (cluster year, unit) in the caller's transaction,
/// with its audit row: the units before and after.
pub async fn replace(
    conn: &mut PgConnection,
    actor: &Actor,
    year: i32,
    before: &[(i64, i64)],
    chosen: &[(i64, i64)],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM government_flag_selections WHERE tenant_id = $1 AND year = $2")
        .bind(actor.tenant_id)
        .bind(year)
        .execute(&mut *conn)
        .await?;
    let clusters: Vec<i64> = chosen.iter().map(|c| c.0).collect();
    let units: Vec<i64> = chosen.iter().map(|c| c.1).collect();
    sqlx::query(
        "INSERT INTO government_flag_selections
             (tenant_id, year, cluster_year_id, unit_id, position, selected_by)
         SELECT $1, $2, c, u, n::int, $5
           FROM unnest($3::bigint[], $4::bigint[]) WITH ORDINALITY AS t(c, u, n)",
    )
    .bind(actor.tenant_id)
    .bind(year)
    .bind(&clusters)
    .bind(&units)
    .bind(actor.user_id)
    .execute(&mut *conn)
    .await?;
    let as_json = |pairs: &[(i64, i64)]| {
        json!({
            "year": year,
            "units": pairs.iter().map(|(c, u)| json!({"cluster_year": c, "unit": u})).collect::<Vec<_>>(),
        })
    };
    audit::record(
        conn,
        actor,
        "government_flag_selection",
        &year.to_string(),
        "government_flags_selected",
        Some(as_json(before)),
        Some(as_json(chosen)),
    )
    .await
}
