//! A tenant's organisation and awards as an exchange document, by natural keys. The export and
//! the import's view of the target are the same reading, so what an import compares is what an
//! export would write.

use chrono::Utc;
use sqlx::types::Json;

use crate::db::TenantTx;
use crate::exchange::model::{
    Award, AwardType, Cluster, ClusterYear, Decision, Document, FORMAT, Tenant, Unit, VERSION,
};

/// Each section as a JSON array of rows whose keys are the model's fields.
#[derive(sqlx::FromRow)]
struct Sections {
    tenant: Json<Tenant>,
    units: Json<Vec<Unit>>,
    clusters: Json<Vec<Cluster>>,
    cluster_years: Json<Vec<ClusterYear>>,
    award_types: Json<Vec<AwardType>>,
    decisions: Json<Vec<Decision>>,
    awards: Json<Vec<Award>>,
}

/// The whole document in one statement (the export page counts it, issue 9), each section a
/// `json_agg` of the rows it would have read on its own.
pub async fn document(tx: &mut TenantTx) -> sqlx::Result<Document> {
    let t = tx.tenant_id();
    let s: Sections = sqlx::query_as(
        "SELECT
           (SELECT row_to_json(x) FROM (
              SELECT code, name, place_name AS place FROM tenants WHERE id = $1) x) AS tenant,
           (SELECT coalesce(json_agg(x), '[]') FROM (
              SELECT code, name, short_name, kind, superior, head_name, head_title,
                     place_name AS place, address, phone, email, active
                FROM units WHERE tenant_id = $1) x) AS units,
           (SELECT coalesce(json_agg(x), '[]') FROM (
              SELECT name, kind, decision_number, decision_date, decision_issuer, description,
                     superior, archived
                FROM clusters WHERE tenant_id = $1) x) AS clusters,
           (SELECT coalesce(json_agg(x), '[]') FROM (
              SELECT c.name AS cluster, y.year, y.phase,
                     ARRAY(SELECT u.code FROM cluster_members m
                             JOIN units u ON u.tenant_id = m.tenant_id AND u.id = m.unit_id
                            WHERE m.tenant_id = y.tenant_id AND m.cluster_year_id = y.id)
                       AS members,
                     l.code AS leader, d.code AS deputy
                FROM cluster_years y
                JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
                LEFT JOIN units l ON l.tenant_id = y.tenant_id AND l.id = y.leader_unit_id
                LEFT JOIN units d ON d.tenant_id = y.tenant_id AND d.id = y.deputy_unit_id
               WHERE y.tenant_id = $1) x) AS cluster_years,
           (SELECT coalesce(json_agg(x), '[]') FROM (
              SELECT a.name, a.target, a.level, a.quota_per_cluster,
                     a.vote_threshold::text AS vote_threshold, a.vote_denominator,
                     p.name AS prerequisite, a.position, a.active
                FROM award_types a
                LEFT JOIN award_types p
                  ON p.tenant_id = a.tenant_id AND p.id = a.prerequisite_id
               WHERE a.tenant_id = $1) x) AS award_types,
           -- One decision may have decided several dossiers (a row each): the world knows it
           -- once.
           (SELECT coalesce(json_agg(x), '[]') FROM (
              SELECT DISTINCT number, signed_on AS date, issuer
                FROM award_decisions WHERE tenant_id = $1) x) AS decisions,
           (SELECT coalesce(json_agg(x), '[]') FROM (
              SELECT u.code AS unit, w.year, w.award_name AS award, a.name AS award_type,
                     w.decision_number, w.decision_date, w.issuer,
                     w.decision_id IS NOT NULL AS from_decision
                FROM unit_awards w
                JOIN units u ON u.tenant_id = w.tenant_id AND u.id = w.unit_id
                LEFT JOIN award_types a ON a.tenant_id = w.tenant_id AND a.id = w.award_type_id
               WHERE w.tenant_id = $1) x) AS awards",
    )
    .bind(t)
    .fetch_one(&mut **tx)
    .await?;
    let mut d = Document {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: Utc::now(),
        tenant: s.tenant.0,
        units: s.units.0,
        clusters: s.clusters.0,
        cluster_years: s.cluster_years.0,
        award_types: s.award_types.0,
        decisions: s.decisions.0,
        awards: s.awards.0,
    };
    d.normalise();
    Ok(d)
}

/// What the export page says of the file, counted without reading it: the tenant and how many
/// of each section the file would hold.
#[derive(sqlx::FromRow)]
pub struct Summary {
    pub code: String,
    pub name: String,
    pub place: String,
    pub units: i64,
    pub clusters: i64,
    pub cluster_years: i64,
    pub award_types: i64,
    /// Decisions as the file lists them: once per number, date and issuer.
    pub decisions: i64,
    pub awards: i64,
    /// Awards given by a decision of the council (the rest come from the paper record).
    pub decided: i64,
}

/// Counts in one statement what `document` would read, so the page's cost does not grow with
/// the tenant (a national tenant holds tens of thousands of awards).
pub async fn summary(tx: &mut TenantTx) -> sqlx::Result<Summary> {
    let t = tx.tenant_id();
    sqlx::query_as(
        "SELECT t.code, t.name, t.place_name AS place,
                (SELECT count(*) FROM units WHERE tenant_id = $1) AS units,
                (SELECT count(*) FROM clusters WHERE tenant_id = $1) AS clusters,
                (SELECT count(*) FROM cluster_years WHERE tenant_id = $1) AS cluster_years,
                (SELECT count(*) FROM award_types WHERE tenant_id = $1) AS award_types,
                (SELECT count(*) FROM (SELECT DISTINCT number, signed_on, issuer
                                         FROM award_decisions WHERE tenant_id = $1) d)
                  AS decisions,
                (SELECT count(*) FROM unit_awards WHERE tenant_id = $1) AS awards,
                (SELECT count(*) FROM unit_awards
                  WHERE tenant_id = $1 AND decision_id IS NOT NULL) AS decided
           FROM tenants t WHERE t.id = $1",
    )
    .bind(t)
    .fetch_one(&mut **tx)
    .await
}
