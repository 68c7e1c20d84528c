//! Registrations (đăng ký thi đua): what each member unit aims for in a cluster year.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgConnection;

use super::json;
use crate::audit::{self, Actor};
use crate::cycle::model::RegistrationState;
use crate::db::TenantTx;

#[derive(sqlx::FromRow, Serialize, Debug, Clone, PartialEq)]
pub struct Initiative {
    pub kind: String,
    pub name: String,
    pub author: String,
}

/// What the unit's staff type in.
#[derive(Serialize, Debug, Clone, Default, PartialEq)]
pub struct RegistrationFields {
    pub award_type_id: Option<i64>,
    /// The form of commendation registered beside the title (migration 0021).
    pub commendation_type_id: Option<i64>,
    /// (individual award type, people), people > 0.
    pub counts: Vec<(i64, i32)>,
    pub initiatives: Vec<Initiative>,
    pub notes: String,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Registration {
    pub state: String,
    pub award_type_id: Option<i64>,
    pub award_name: Option<String>,
    pub notes: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by_name: Option<String>,
    pub returned_at: Option<DateTime<Utc>>,
    pub returned_by_name: Option<String>,
    pub return_reason: String,
}

impl Registration {
    pub fn state(&self) -> RegistrationState {
        RegistrationState::parse(&self.state).unwrap_or(RegistrationState::Draft)
    }
}

pub async fn registration(
    tx: &mut TenantTx,
    year_id: i64,
    unit_id: i64,
    for_update: bool,
) -> sqlx::Result<Option<Registration>> {
    let tenant_id = tx.tenant_id();
    let lock = if for_update { " FOR UPDATE OF r" } else { "" };
    sqlx::query_as(&format!(
        "SELECT r.state, r.award_type_id, nullif(concat_ws('; ', a.name, k.name), '') AS award_name,
                r.notes, r.submitted_at,
                s.full_name AS submitted_by_name, r.returned_at, b.full_name AS returned_by_name,
                r.return_reason
           FROM registrations r
           LEFT JOIN award_types a ON a.tenant_id = r.tenant_id AND a.id = r.award_type_id
           LEFT JOIN award_types k ON k.tenant_id = r.tenant_id AND k.id = r.commendation_type_id
           LEFT JOIN users s ON s.tenant_id = r.tenant_id AND s.id = r.submitted_by
           LEFT JOIN users b ON b.tenant_id = r.tenant_id AND b.id = r.returned_by
          WHERE r.tenant_id = $1 AND r.cluster_year_id = $2 AND r.unit_id = $3{lock}"
    ))
    .bind(tenant_id)
    .bind(year_id)
    .bind(unit_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn fields(
    tx: &mut TenantTx,
    year_id: i64,
    unit_id: i64,
) -> sqlx::Result<RegistrationFields> {
    let tenant_id = tx.tenant_id();
    let head: Option<(Option<i64>, Option<i64>, String)> = sqlx::query_as(
        "SELECT award_type_id, commendation_type_id, notes FROM registrations
          WHERE tenant_id = $1 AND cluster_year_id = $2 AND unit_id = $3",
    )
    .bind(tenant_id)
    .bind(year_id)
    .bind(unit_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((award_type_id, commendation_type_id, notes)) = head else {
        return Ok(RegistrationFields::default());
    };
    let counts: Vec<(i64, i32)> = sqlx::query_as(
        "SELECT award_type_id, people FROM registration_counts
          WHERE tenant_id = $1 AND cluster_year_id = $2 AND unit_id = $3 ORDER BY award_type_id",
    )
    .bind(tenant_id)
    .bind(year_id)
    .bind(unit_id)
    .fetch_all(&mut **tx)
    .await?;
    let initiatives: Vec<Initiative> = sqlx::query_as(
        "SELECT kind, name, author FROM registration_initiatives
          WHERE tenant_id = $1 AND cluster_year_id = $2 AND unit_id = $3 ORDER BY position, id",
    )
    .bind(tenant_id)
    .bind(year_id)
    .bind(unit_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(RegistrationFields {
        award_type_id,
        commendation_type_id,
        counts,
        initiatives,
        notes,
    })
}

/// Saves what the unit typed (creating the draft on first save); false when nothing changed.
pub async fn save(
    conn: &mut TenantTx,
    actor: &Actor,
    year_id: i64,
    unit_id: i64,
    f: &RegistrationFields,
) -> sqlx::Result<bool> {
    let t = actor.tenant_id;
    let exists = registration(conn, year_id, unit_id, true).await?.is_some();
    let before = fields(conn, year_id, unit_id).await?;
    let mut new = f.clone();
    new.counts.sort_unstable();
    if exists && before == new {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO registrations (tenant_id, cluster_year_id, unit_id, award_type_id, notes,
                                    commendation_type_id)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id, cluster_year_id, unit_id)
         DO UPDATE SET award_type_id = EXCLUDED.award_type_id, notes = EXCLUDED.notes,
                       commendation_type_id = EXCLUDED.commendation_type_id, updated_at = now()",
    )
    .bind(t)
    .bind(year_id)
    .bind(unit_id)
    .bind(new.award_type_id)
    .bind(&new.notes)
    .bind(new.commendation_type_id)
    .execute(&mut **conn)
    .await?;
    for table in ["registration_counts", "registration_initiatives"] {
        sqlx::query(&format!(
            "DELETE FROM {table} WHERE tenant_id = $1 AND cluster_year_id = $2 AND unit_id = $3"
        ))
        .bind(t)
        .bind(year_id)
        .bind(unit_id)
        .execute(&mut **conn)
        .await?;
    }
    let (types, people): (Vec<i64>, Vec<i32>) = new.counts.iter().copied().unzip();
    sqlx::query(
        "INSERT INTO registration_counts (tenant_id, cluster_year_id, unit_id, award_type_id, people)
         SELECT $1, $2, $3, a, p FROM unnest($4::bigint[], $5::int[]) AS x(a, p)",
    )
    .bind(t)
    .bind(year_id)
    .bind(unit_id)
    .bind(&types)
    .bind(&people)
    .execute(&mut **conn)
    .await?;
    let kinds: Vec<&str> = new.initiatives.iter().map(|i| i.kind.as_str()).collect();
    let names: Vec<&str> = new.initiatives.iter().map(|i| i.name.as_str()).collect();
    let authors: Vec<&str> = new.initiatives.iter().map(|i| i.author.as_str()).collect();
    sqlx::query(
        "INSERT INTO registration_initiatives (tenant_id, cluster_year_id, unit_id, position, kind, name, author)
         SELECT $1, $2, $3, n, k, nm, au FROM unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS x(k, nm, au, n)",
    )
    .bind(t)
    .bind(year_id)
    .bind(unit_id)
    .bind(&kinds)
    .bind(&names)
    .bind(&authors)
    .execute(&mut **conn)
    .await?;
    let entity = format!("{year_id}/{unit_id}");
    if exists {
        let (b, a) = audit::diff(&json(&before), &json(&new));
        audit::record(
            conn,
            actor,
            "registration",
            &entity,
            "updated",
            Some(b),
            Some(a),
        )
        .await?;
    } else {
        audit::record(
            conn,
            actor,
            "registration",
            &entity,
            "created",
            None,
            Some(json(&new)),
        )
        .await?;
    }
    Ok(true)
}

pub async fn submit(
    conn: &mut PgConnection,
    actor: &Actor,
    year_id: i64,
    unit_id: i64,
    from: RegistrationState,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE registrations SET state = 'submitted', submitted_at = $4, submitted_by = $5,
                updated_at = now()
          WHERE tenant_id = $1 AND cluster_year_id = $2 AND unit_id = $3",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .bind(unit_id)
    .bind(at.unwrap_or_else(Utc::now))
    .bind(actor.user_id)
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "registration",
        &format!("{year_id}/{unit_id}"),
        "submitted",
        Some(serde_json::json!({ "state": from.as_str() })),
        Some(serde_json::json!({ "state": "submitted" })),
    )
    .await
}

pub async fn return_to_unit(
    conn: &mut PgConnection,
    actor: &Actor,
    year_id: i64,
    unit_id: i64,
    reason: &str,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE registrations SET state = 'returned', returned_at = $4, returned_by = $5,
                return_reason = $6, updated_at = now()
          WHERE tenant_id = $1 AND cluster_year_id = $2 AND unit_id = $3",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .bind(unit_id)
    .bind(at.unwrap_or_else(Utc::now))
    .bind(actor.user_id)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "registration",
        &format!("{year_id}/{unit_id}"),
        "returned",
        Some(serde_json::json!({ "state": "submitted" })),
        Some(serde_json::json!({ "state": "returned", "return_reason": reason })),
    )
    .await
}

/// One member's line in the leader's summary.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct SummaryRow {
    pub unit_id: i64,
    pub unit_name: String,
    pub state: Option<String>,
    pub award_name: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub initiatives: i64,
}

impl SummaryRow {
    pub fn state(&self) -> Option<RegistrationState> {
        self.state.as_deref().and_then(RegistrationState::parse)
    }
}

pub async fn summary(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Vec<SummaryRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT u.id AS unit_id, u.name AS unit_name, r.state,
                  nullif(concat_ws('; ', a.name, k.name), '') AS award_name, r.submitted_at,
                  (SELECT count(*) FROM registration_initiatives i
                    WHERE i.tenant_id = m.tenant_id AND i.cluster_year_id = m.cluster_year_id AND i.unit_id = m.unit_id) AS initiatives
             FROM cluster_members m
             JOIN units u ON u.tenant_id = m.tenant_id AND u.id = m.unit_id
             LEFT JOIN registrations r ON r.tenant_id = m.tenant_id AND r.cluster_year_id = m.cluster_year_id AND r.unit_id = m.unit_id
             LEFT JOIN award_types a ON a.tenant_id = r.tenant_id AND a.id = r.award_type_id
             LEFT JOIN award_types k ON k.tenant_id = r.tenant_id AND k.id = r.commendation_type_id
            WHERE m.tenant_id = $1 AND m.cluster_year_id = $2
            ORDER BY u.name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_all(&mut **tx)
    .await
}

/// Every (unit, individual award type, people) of the year.
pub async fn all_counts(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Vec<(i64, i64, i32)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT unit_id, award_type_id, people FROM registration_counts
          WHERE tenant_id = $1 AND cluster_year_id = $2",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn deadline(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Option<NaiveDate>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(
        "SELECT registration_deadline FROM cluster_years WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_one(&mut **tx)
    .await
}

pub async fn set_deadline(
    conn: &mut PgConnection,
    actor: &Actor,
    year_id: i64,
    before: Option<NaiveDate>,
    after: Option<NaiveDate>,
) -> sqlx::Result<()> {
    if before == after {
        return Ok(());
    }
    sqlx::query(
        "UPDATE cluster_years SET registration_deadline = $3 WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .bind(after)
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "cluster_year",
        &year_id.to_string(),
        "registration_deadline_set",
        Some(serde_json::json!({ "registration_deadline": before })),
        Some(serde_json::json!({ "registration_deadline": after })),
    )
    .await
}
