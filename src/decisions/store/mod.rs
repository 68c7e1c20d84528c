//! The SQL of decisions: the council's settings for them, the decided dossiers waiting for one,
//! drafting, editing, issuing (the awards enter the histories), revoking and deleting. Every
//! change writes its audit row in the caller's transaction.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::db::TenantTx;

/// Who issues and signs, and the bonuses (migration 0042's `decision_settings`).
#[derive(sqlx::FromRow, Debug, Clone, Default)]
pub struct Settings {
    pub authority: String,
    pub managing_agency: String,
    pub signer_title: String,
    pub signer_name: String,
    pub records_bonuses: bool,
    pub bonuses: sqlx::types::Json<std::collections::BTreeMap<String, i64>>,
}

impl Settings {
    pub fn bonus(&self, award_type_id: i64) -> Option<i64> {
        if !self.records_bonuses {
            return None;
        }
        self.bonuses.0.get(&award_type_id.to_string()).copied()
    }
}

/// The tenant's settings, or the defaults: its own name as authority, "Chủ tịch" signing.
pub async fn settings(tx: &mut TenantTx) -> sqlx::Result<Settings> {
    let tenant_id = tx.tenant_id();
    let s: Option<Settings> = sqlx::query_as(
        "SELECT authority, managing_agency, signer_title, signer_name, records_bonuses, bonuses
           FROM decision_settings WHERE tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_optional(&mut **tx)
    .await?;
    let mut s = s.unwrap_or_default();
    if s.authority.trim().is_empty() {
        s.authority = sqlx::query_scalar("SELECT name FROM tenants WHERE id = $1")
            .bind(tenant_id)
            .fetch_one(&mut **tx)
            .await?;
    }
    if s.signer_title.trim().is_empty() {
        s.signer_title = "Chủ tịch".into();
    }
    Ok(s)
}

pub async fn save_settings(
    conn: &mut PgConnection,
    actor: &Actor,
    s: &Settings,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO decision_settings (tenant_id, authority, managing_agency, signer_title,
             signer_name, records_bonuses, bonuses)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id) DO UPDATE SET authority = $2, managing_agency = $3,
             signer_title = $4, signer_name = $5, records_bonuses = $6, bonuses = $7,
             updated_at = now()",
    )
    .bind(actor.tenant_id)
    .bind(&s.authority)
    .bind(&s.managing_agency)
    .bind(&s.signer_title)
    .bind(&s.signer_name)
    .bind(s.records_bonuses)
    .bind(&s.bonuses)
    .execute(&mut *conn)
    .await?;
    let after = json!({ "authority": s.authority, "managing_agency": s.managing_agency,
        "signer_title": s.signer_title, "signer_name": s.signer_name,
        "records_bonuses": s.records_bonuses, "bonuses": s.bonuses.0 });
    audit::record(
        conn,
        actor,
        "decision_settings",
        &actor.tenant_id.to_string(),
        "updated",
        None,
        Some(after),
    )
    .await
}

/// A decided dossier of the year whose outcome waits for a decision.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Pending {
    pub proposal_id: i64,
    pub cluster_name: String,
    pub leader_name: Option<String>,
    pub number: String,
    pub letter_date: Option<NaiveDate>,
    pub awards: i64,
}

const PENDING: &str = "SELECT p.id AS proposal_id, c.name AS cluster_name, l.name AS leader_name,
        p.number, p.letter_date,
        (SELECT count(*) FROM proposal_outcomes o WHERE o.tenant_id = p.tenant_id
            AND o.proposal_id = p.id) AS awards
   FROM proposals p
   JOIN cluster_years y ON y.tenant_id = p.tenant_id AND y.id = p.cluster_year_id
   JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
   LEFT JOIN units l ON l.tenant_id = y.tenant_id AND l.id = y.leader_unit_id
  WHERE p.tenant_id = $1 AND y.year = $2 AND p.state = 'decided'
    AND EXISTS (SELECT 1 FROM proposal_outcomes o WHERE o.tenant_id = p.tenant_id
                 AND o.proposal_id = p.id)
    AND NOT EXISTS (SELECT 1 FROM award_decisions a WHERE a.tenant_id = p.tenant_id
                     AND a.proposal_id = p.id)
    AND NOT EXISTS (SELECT 1 FROM decision_dossiers d WHERE d.tenant_id = p.tenant_id
                     AND d.proposal_id = p.id AND NOT d.released)";

/// The year's decided dossiers with an outcome and no decision, clusters by name.
pub async fn pending(tx: &mut TenantTx, year: i32) -> sqlx::Result<Vec<Pending>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        r#"{PENDING} ORDER BY c.name COLLATE "vi-VN-x-icu""#
    ))
    .bind(tenant_id)
    .bind(year)
    .fetch_all(&mut **tx)
    .await
}

/// The outcome of `proposals` as lines to draft: each award with its unit and cluster.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct OutcomeLine {
    pub proposal_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub award_type_id: i64,
    pub award_name: String,
    pub cluster_name: String,
}

pub async fn outcome_lines(tx: &mut TenantTx, proposals: &[i64]) -> sqlx::Result<Vec<OutcomeLine>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT o.proposal_id, o.unit_id, u.name AS unit_name, o.award_type_id, o.award_name,
                  c.name AS cluster_name
             FROM proposal_outcomes o
             JOIN units u ON u.tenant_id = o.tenant_id AND u.id = o.unit_id
             JOIN award_types t ON t.tenant_id = o.tenant_id AND t.id = o.award_type_id
             JOIN proposals p ON p.tenant_id = o.tenant_id AND p.id = o.proposal_id
             JOIN cluster_years y ON y.tenant_id = p.tenant_id AND y.id = p.cluster_year_id
             JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
            WHERE o.tenant_id = $1 AND o.proposal_id = ANY($2)
            ORDER BY t.position, t.id, c.name COLLATE "vi-VN-x-icu", o.position"#,
    )
    .bind(tenant_id)
    .bind(proposals)
    .fetch_all(&mut **tx)
    .await
}

#[derive(sqlx::FromRow, Debug, Clone, Default)]
pub struct Decision {
    pub id: i64,
    pub year: i32,
    pub state: String,
    pub number: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub authority: String,
    pub managing_agency: String,
    pub signer_title: String,
    pub signer_name: String,
    pub place: String,
    pub legal_bases: String,
    pub considering: String,
    pub closing_articles: String,
    pub recipients: String,
    pub drafted_at: DateTime<Utc>,
    pub issued_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: String,
}

const DECISION: &str = "SELECT id, year, state, number, signed_on, authority, managing_agency,
        signer_title, signer_name, place, legal_bases, considering, closing_articles, recipients,
        drafted_at, issued_at, revoked_at, revoke_reason
   FROM decisions";

pub async fn decision(tx: &mut TenantTx, id: i64, lock: bool) -> sqlx::Result<Option<Decision>> {
    let tenant_id = tx.tenant_id();
    let lock = if lock { " FOR UPDATE" } else { "" };
    sqlx::query_as(&format!(
        "{DECISION} WHERE tenant_id = $1 AND id = $2{lock}"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn of_year(tx: &mut TenantTx, year: i32) -> sqlx::Result<Vec<Decision>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{DECISION} WHERE tenant_id = $1 AND year = $2 ORDER BY drafted_at DESC, id DESC"
    ))
    .bind(tenant_id)
    .bind(year)
    .fetch_all(&mut **tx)
    .await
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Line {
    pub id: i64,
    pub proposal_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
    pub award_type_id: i64,
    pub award_name: String,
    pub reason: String,
    pub amount: Option<i64>,
}

pub async fn lines(tx: &mut TenantTx, decision_id: i64) -> sqlx::Result<Vec<Line>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT id, proposal_id, unit_id, unit_name, award_type_id, award_name, reason, amount
           FROM decision_lines WHERE tenant_id = $1 AND decision_id = $2 ORDER BY position",
    )
    .bind(tenant_id)
    .bind(decision_id)
    .fetch_all(&mut **tx)
    .await
}

/// The dossiers a decision was drafted from (their ids), live or released.
pub async fn dossiers(tx: &mut TenantTx, decision_id: i64) -> sqlx::Result<Vec<i64>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(
        "SELECT proposal_id FROM decision_dossiers WHERE tenant_id = $1 AND decision_id = $2
          ORDER BY proposal_id",
    )
    .bind(tenant_id)
    .bind(decision_id)
    .fetch_all(&mut **tx)
    .await
}

/// The free text of a decision as drafted or edited.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Texts {
    pub authority: String,
    pub managing_agency: String,
    pub signer_title: String,
    pub signer_name: String,
    pub place: String,
    pub legal_bases: String,
    pub considering: String,
    pub closing_articles: String,
    pub recipients: String,
}

impl Texts {
    pub fn of(d: &Decision) -> Texts {
        Texts {
            authority: d.authority.clone(),
            managing_agency: d.managing_agency.clone(),
            signer_title: d.signer_title.clone(),
            signer_name: d.signer_name.clone(),
            place: d.place.clone(),
            legal_bases: d.legal_bases.clone(),
            considering: d.considering.clone(),
            closing_articles: d.closing_articles.clone(),
            recipients: d.recipients.clone(),
        }
    }
}

/// The (year of signing, number) of every issued or revoked decision.
pub async fn used_numbers(tx: &mut TenantTx) -> sqlx::Result<Vec<(i32, String)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT date_part('year', signed_on)::int, number FROM decisions
          WHERE tenant_id = $1 AND state IN ('issued', 'revoked')",
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

mod writes;
pub use writes::*;
