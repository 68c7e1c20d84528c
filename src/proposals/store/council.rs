//! The council's inbox, decisions, and what dossiers ask of a unit.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgConnection;

use super::Nominee;
use super::audited;
use crate::audit::Actor;
use crate::db::TenantTx;
use crate::proposals::model::CouncilYear;
use crate::proposals::model::ProposalState;

/// One line of the council's inbox: a cluster year and its dossier, if any.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct InboxRow {
    pub year_id: i64,
    pub cluster_name: String,
    pub leader_name: Option<String>,
    pub proposal_id: Option<i64>,
    pub state: Option<ProposalState>,
    pub sent_at: Option<DateTime<Utc>>,
    pub nominees: i64,
}

/// The year's clusters with their dossiers; the Government flag is the council's choice
/// (`flag::of_year`), not counted here.
pub async fn inbox(tx: &mut TenantTx, year: i32) -> sqlx::Result<Vec<InboxRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT y.id AS year_id, c.name AS cluster_name, l.name AS leader_name,
                  p.id AS proposal_id, p.state, p.sent_at,
                  (SELECT count(*) FROM proposal_nominees n
                    WHERE n.tenant_id = y.tenant_id AND n.proposal_id = p.id
                      AND n.withdrawn_at IS NULL) AS nominees
             FROM cluster_years y
             JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
             LEFT JOIN units l ON l.tenant_id = y.tenant_id AND l.id = y.leader_unit_id
             LEFT JOIN proposals p ON p.tenant_id = y.tenant_id AND p.cluster_year_id = y.id
            WHERE y.tenant_id = $1 AND y.year = $2
            ORDER BY c.name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .bind(year)
    .fetch_all(&mut **tx)
    .await
}

/// Every year that has cluster years, newest first, with whether dossiers of it wait for the
/// council (sent or received) and whether it has any work (a score sheet, a vote or a dossier):
/// the year list and the year the council's pages open on. Kept in memory under the tenant's
/// newest cluster-year version and catalog version (migrations 0038, 0040), which every write
/// that could change it raises, through any app instance: one short statement per request.
pub async fn council_years(tx: &mut TenantTx) -> sqlx::Result<Vec<CouncilYear>> {
    let tenant_id = tx.tenant_id();
    let (catalog, newest): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE((SELECT version FROM catalog_versions WHERE tenant_id = $1), 0),
                COALESCE((SELECT max(council_version) FROM cluster_years WHERE tenant_id = $1), 0)",
    )
    .bind(tenant_id)
    .fetch_one(&mut **tx)
    .await?;
    // Both grow only; the pair as one key (the catalog's part rarely moves).
    let key = newest.wrapping_mul(1_000_003).wrapping_add(catalog);
    if let Some(kept) = tx.cache().get_at::<Vec<CouncilYear>>(tenant_id, 0, key) {
        return Ok(kept.as_ref().clone());
    }
    let years = council_years_now(tx).await?;
    tx.cache()
        .put_at(tenant_id, 0, key, std::sync::Arc::new(years.clone()));
    Ok(years)
}

/// The council's years and the one a page shows: the year asked for if the tenant has it, else
/// the newest year with work, else this year.
pub async fn years_and_year(
    tx: &mut TenantTx,
    asked: Option<&str>,
    today: NaiveDate,
) -> sqlx::Result<(Vec<i32>, i32)> {
    let council_years = council_years(tx).await?;
    let years: Vec<i32> = council_years.iter().map(|y| y.year).collect();
    let asked = asked
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| years.contains(y));
    let year = asked
        .or_else(|| crate::proposals::model::year_with_work(&council_years))
        .unwrap_or_else(|| chrono::Datelike::year(&today));
    Ok((years, year))
}

async fn council_years_now(tx: &mut TenantTx) -> sqlx::Result<Vec<CouncilYear>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        // Per year, not per cluster year: each EXISTS stops at its first match, so the cost
        // is the number of years, not of cluster years (384 → 35 ms at 10,000 cluster years).
        "SELECT yr.year,
                EXISTS (SELECT 1 FROM proposals p
                          JOIN cluster_years y ON y.tenant_id = p.tenant_id AND y.id = p.cluster_year_id
                         WHERE p.tenant_id = $1 AND p.state IN ('sent', 'received')
                           AND y.year = yr.year) AS waiting,
                EXISTS (SELECT 1 FROM cluster_years y
                         WHERE y.tenant_id = $1 AND y.year = yr.year
                           AND (EXISTS (SELECT 1 FROM proposals p WHERE p.tenant_id = y.tenant_id
                                         AND p.cluster_year_id = y.id)
                                OR EXISTS (SELECT 1 FROM votes v WHERE v.tenant_id = y.tenant_id
                                            AND v.cluster_year_id = y.id)
                                OR EXISTS (SELECT 1 FROM scoresheets s WHERE s.tenant_id = y.tenant_id
                                            AND s.cluster_year_id = y.id))) AS worked
           FROM (SELECT DISTINCT year FROM cluster_years WHERE tenant_id = $1) yr
          ORDER BY yr.year DESC",
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

#[derive(sqlx::FromRow, serde::Deserialize, Debug, Clone)]
pub struct Decision {
    pub id: i64,
    pub number: String,
    pub signed_on: NaiveDate,
    pub issuer: String,
}

pub async fn decision(tx: &mut TenantTx, proposal_id: i64) -> sqlx::Result<Option<Decision>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT id, number, signed_on, issuer FROM award_decisions
          WHERE tenant_id = $1 AND proposal_id = $2",
    )
    .bind(tenant_id)
    .bind(proposal_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn insert_decision(
    conn: &mut PgConnection,
    actor: &Actor,
    proposal_id: i64,
    number: &str,
    signed_on: NaiveDate,
    issuer: &str,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO award_decisions (tenant_id, proposal_id, number, signed_on, issuer)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(proposal_id)
    .bind(number)
    .bind(signed_on)
    .bind(issuer)
    .fetch_one(&mut *conn)
    .await?;
    let after = json!({ "proposal_id": proposal_id, "number": number, "signed_on": signed_on,
        "issuer": issuer });
    audited::created(conn, actor, "award_decision", &id.to_string(), after).await?;
    Ok(id)
}

/// Enters an award of a decision into the unit's history; false when the unit already has
/// that award for that year (entered by hand from the paper record).
pub async fn insert_decided_award(
    conn: &mut PgConnection,
    actor: &Actor,
    d: &Decision,
    year: i32,
    n: &Nominee,
) -> sqlx::Result<bool> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO unit_awards (tenant_id, unit_id, year, award_name, award_type_id,
             decision_number, decision_date, issuer, decision_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (tenant_id, unit_id, year, award_name) DO NOTHING RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(n.unit_id)
    .bind(year)
    .bind(&n.award_name)
    .bind(n.award_type_id)
    .bind(&d.number)
    .bind(d.signed_on)
    .bind(&d.issuer)
    .bind(d.id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = id {
        let after = json!({ "unit_id": n.unit_id, "year": year, "award": n.award_name,
            "decision": d.number });
        audited::created(conn, actor, "unit_award", &id.to_string(), after).await?;
    }
    Ok(id.is_some())
}

/// Writes the decision, enters each awarded nominee into its unit's history, and closes the
/// dossier; `at` dates the step when it is not now (the demo's past years).
pub async fn record_decision(
    conn: &mut PgConnection,
    actor: &Actor,
    p: &super::Proposal,
    year: i32,
    (number, signed_on, issuer): (&str, NaiveDate, &str),
    awarded: &[Nominee],
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    let id = insert_decision(conn, actor, p.id, number, signed_on, issuer).await?;
    let d = Decision {
        id,
        number: number.to_string(),
        signed_on,
        issuer: issuer.to_string(),
    };
    let mut names = Vec::new();
    for n in awarded {
        insert_decided_award(conn, actor, &d, year, n).await?;
        names.push(format!("{}: {}", n.unit_name, n.award_name));
    }
    let note = if names.is_empty() {
        format!("Quyết định số {number}: không khen thưởng tập thể nào trong hồ sơ")
    } else {
        format!("Quyết định số {number}: {}", names.join("; "))
    };
    super::set_state(conn, actor, p, ProposalState::Decided, &note, at).await
}

/// Records the council's outcome without a decision's number (the usual path): the awards it
/// gives, per nominee, and the dossier decided; the decision is drafted from it
/// (`crate::decisions`) and the awards enter the histories when that decision is issued.
pub async fn record_outcome(
    conn: &mut PgConnection,
    actor: &Actor,
    p: &super::Proposal,
    awarded: &[Nominee],
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    let mut names = Vec::new();
    for (i, n) in awarded.iter().enumerate() {
        sqlx::query(
            "INSERT INTO proposal_outcomes (tenant_id, proposal_id, award_type_id, unit_id,
                 award_name, position)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(actor.tenant_id)
        .bind(p.id)
        .bind(n.award_type_id)
        .bind(n.unit_id)
        .bind(&n.award_name)
        .bind(i as i32 + 1)
        .execute(&mut *conn)
        .await?;
        names.push(format!("{}: {}", n.unit_name, n.award_name));
    }
    let after = json!({ "proposal_id": p.id, "awards": names });
    audited::created(conn, actor, "proposal_outcome", &p.id.to_string(), after).await?;
    let note = format!(
        "Hội đồng quyết định khen thưởng: {}; quyết định đang chờ dự thảo",
        names.join("; ")
    );
    super::set_state(conn, actor, p, ProposalState::Decided, &note, at).await
}

/// The council's name and the place its documents are dated at.
/// The tenant's name and place, and every rule set (the law by date), in one statement.
pub async fn tenant_names(
    tx: &mut TenantTx,
) -> sqlx::Result<(String, String, Vec<crate::settings::rules::RuleSet>)> {
    let tenant_id = tx.tenant_id();
    let (name, place, sets): (String, String, sqlx::types::Json<_>) = sqlx::query_as(&format!(
        "SELECT name, place_name, {} FROM tenants WHERE id = $1",
        crate::settings::store::RULE_SETS
    ))
    .bind(tenant_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok((name, place, sets.0))
}

/// The tenant's name and place, and every rule set, as [`tenant_names`] reads them.
pub type TenantNames = (String, String, Vec<crate::settings::rules::RuleSet>);

/// [`tenant_names`], kept in memory under the tenant's catalog version, which the database
/// raises on every change of the tenant's row (0047); rule sets change only by migration.
pub async fn kept_tenant_names(tx: &mut TenantTx) -> sqlx::Result<std::sync::Arc<TenantNames>> {
    let (tenant_id, version) = (tx.tenant_id(), tx.catalog_version().await?);
    if let Some(kept) = tx.cache().get_at::<TenantNames>(tenant_id, 0, version) {
        return Ok(kept);
    }
    let names = std::sync::Arc::new(tenant_names(tx).await?);
    tx.cache().put_at(tenant_id, 0, version, names.clone());
    Ok(names)
}

/// What dossiers ask of a unit: (proposal, year, cluster, state, is the leader, report
/// submitted) for each dossier still with the cluster in which it leads or is a nominee.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct UnitDossier {
    pub proposal_id: i64,
    pub year: i32,
    pub cluster_name: String,
    pub state: ProposalState,
    pub leads: bool,
    pub nominee: bool,
    pub submitted: bool,
}

pub async fn dossiers_of_unit(tx: &mut TenantTx, unit_id: i64) -> sqlx::Result<Vec<UnitDossier>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT p.id AS proposal_id, y.year, c.name AS cluster_name, p.state,
                y.leader_unit_id IS NOT DISTINCT FROM $2 AS leads,
                EXISTS (SELECT 1 FROM proposal_nominees n WHERE n.tenant_id = p.tenant_id
                         AND n.proposal_id = p.id AND n.unit_id = $2
                         AND n.withdrawn_at IS NULL) AS nominee,
                -- Submitted: a report for each of its awards (one per award form).
                NOT EXISTS (SELECT 1 FROM proposal_nominees n WHERE n.tenant_id = p.tenant_id
                         AND n.proposal_id = p.id AND n.unit_id = $2
                         AND n.withdrawn_at IS NULL
                         AND NOT EXISTS (SELECT 1 FROM achievement_reports r
                               WHERE r.tenant_id = n.tenant_id AND r.proposal_id = n.proposal_id
                                 AND r.unit_id = n.unit_id AND r.award_type_id = n.award_type_id
                                 AND r.submitted_at IS NOT NULL)) AS submitted
           FROM proposals p
           JOIN cluster_years y ON y.tenant_id = p.tenant_id AND y.id = p.cluster_year_id
           JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
          WHERE p.tenant_id = $1 AND p.state IN ('draft', 'returned')
          ORDER BY y.year DESC",
    )
    .bind(tenant_id)
    .bind(unit_id)
    .fetch_all(&mut **tx)
    .await
}

/// What the council's pages of a year (dashboard, inbox) are derived from, as the database last
/// changed it
/// (migration 0038): the tenant's names and settings, and the year's cluster years with
/// everything below them. Any write that could change the dashboard changes one of these.
#[derive(sqlx::FromRow, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CouncilVersion {
    pub catalog: i64,
    pub years: i64,
    pub total: i64,
    pub newest: i64,
}

impl CouncilVersion {
    /// One cache key for this version and whatever else the kept value depends on (the
    /// dashboard's days late depend on today).
    pub fn key(&self, extra: impl std::hash::Hash) -> i64 {
        use std::hash::Hasher;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        std::hash::Hash::hash(&(self, extra), &mut h);
        h.finish() as i64
    }
}

pub async fn council_version(tx: &mut TenantTx, year: i32) -> sqlx::Result<CouncilVersion> {
    let tenant_id = tx.tenant_id();
    // Versions only grow, so a changed year raises the total, a new one the newest and a
    // removed one lowers the count: no change leaves all four as they were.
    sqlx::query_as(
        "SELECT COALESCE((SELECT version FROM catalog_versions WHERE tenant_id = $1), 0) AS catalog,
                count(*) AS years,
                COALESCE(sum(council_version), 0)::bigint AS total,
                COALESCE(max(council_version), 0) AS newest
           FROM cluster_years WHERE tenant_id = $1 AND year = $2",
    )
    .bind(tenant_id)
    .bind(year)
    .fetch_one(&mut **tx)
    .await
}
