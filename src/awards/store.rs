//! The SQL of units' award histories; every change writes its audit row in the caller's
//! transaction.

use chrono::NaiveDate;
use serde_json::json;
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::awards::model::UnitAward;
use crate::db::TenantTx;

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
