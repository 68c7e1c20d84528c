//! The SQL of building criteria tables. Every change writes an audit row (entity
//! "criteria_table", the table's id) in the caller's tenant transaction.
//!
//! Reading a whole table is `scoring::tables::load_full`; a year's copy is made by
//! `scoring::tables::copy_to_year`.

mod parts;
mod whole;

pub use parts::{
    delete_criterion, delete_section, insert_criterion, insert_section, update_criterion,
    update_section, used_entries,
};
pub use whole::{draft_json, insert_draft, replace_bands};

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::db::TenantTx;

use super::forms::TableFields;

pub const ENTITY: &str = "criteria_table";

/// The constraint names a concurrent change may still trip over.
pub const SECTION_CODE_KEY: &str = "criteria_sections_tenant_id_table_id_code_key";
pub const CRITERION_CODE_KEY: &str = "criteria_tenant_id_table_id_code_key";

/// Records a change of table `table_id` in the audit trail: every change of a table, its
/// sections, criteria and bands is one row under the table.
async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    table_id: i64,
    action: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> sqlx::Result<()> {
    let id = table_id.to_string();
    audit::record(conn, actor, ENTITY, &id, action, before, after).await
}

pub fn violated(e: &sqlx::Error) -> Option<String> {
    e.as_database_error()
        .and_then(|d| d.constraint())
        .map(str::to_string)
}

/// What an edit needs to know first, read with the row locked: a unit's submission (which
/// freezes a year's table) waits for the edit, or the edit for the submission.
#[derive(sqlx::FromRow, Debug)]
pub struct Head {
    pub id: i64,
    pub cluster_year_id: Option<i64>,
    pub frozen_at: Option<DateTime<Utc>>,
}

pub async fn lock(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<Head>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT id, cluster_year_id, frozen_at FROM criteria_tables WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct YearCopyRow {
    pub id: i64,
    pub name: String,
    pub year_id: i64,
    pub cluster_name: String,
    pub year: i32,
    pub frozen_at: Option<DateTime<Utc>>,
    pub criteria: i64,
    /// The year scores against this copy.
    pub in_use: bool,
}

/// The copies cluster years score against, newest year first.
pub async fn year_copies(tx: &mut TenantTx) -> sqlx::Result<Vec<YearCopyRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT t.id, t.name, y.id AS year_id, c.name AS cluster_name, y.year, t.frozen_at,
                  (SELECT count(*) FROM criteria cr WHERE cr.tenant_id = t.tenant_id AND cr.table_id = t.id) AS criteria,
                  (y.criteria_table_id IS NOT DISTINCT FROM t.id) AS in_use
             FROM criteria_tables t
             JOIN cluster_years y ON y.tenant_id = t.tenant_id AND y.id = t.cluster_year_id
             JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
            WHERE t.tenant_id = $1
            ORDER BY y.year DESC, c.name COLLATE "vi-VN-x-icu", t.id"#,
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

/// "Cụm thi đua số VI — năm 2025" for a year copy.
pub async fn year_label(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Option<String>> {
    let tenant_id = tx.tenant_id();
    let row: Option<(String, i32)> = sqlx::query_as(
        "SELECT c.name, y.year FROM cluster_years y JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
          WHERE y.tenant_id = $1 AND y.id = $2",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(c, y)| format!("{c} — năm {y}")))
}

/// Serialises changes to the names of a tenant's library until the transaction ends, so that
/// a name found free stays free until the caller has written its table.
async fn lock_library(tx: &mut TenantTx) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtext('thidua.criteria_library'), ($1 % 2147483647)::int)",
    )
    .bind(tenant_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A library table of this name (case and surrounding spaces aside), other than `except`.
/// Library names are unique in a tenant; year copies keep the name of their source. Takes the
/// library lock first (see `lock_library`).
pub async fn library_table_named(
    conn: &mut TenantTx,
    name: &str,
    except: Option<i64>,
) -> sqlx::Result<Option<i64>> {
    let tenant_id = conn.tenant_id();
    lock_library(conn).await?;
    sqlx::query_scalar(
        "SELECT id FROM criteria_tables
          WHERE tenant_id = $1 AND cluster_year_id IS NULL AND lower(btrim(name)) = lower(btrim($2)) AND id <> $3",
    )
    .bind(tenant_id)
    .bind(name)
    .bind(except.unwrap_or(0))
    .fetch_optional(&mut **conn)
    .await
}

/// `name`, or "name (2)", "name (3)"… whichever the library does not have yet.
pub async fn free_library_name(conn: &mut TenantTx, name: &str) -> sqlx::Result<String> {
    let mut candidate = name.to_string();
    let mut n = 2;
    while library_table_named(conn, &candidate, None).await?.is_some() {
        let base: String = name.chars().take(290).collect();
        candidate = format!("{base} ({n})");
        n += 1;
    }
    Ok(candidate)
}

fn table_json(f: &TableFields) -> Value {
    serde_json::to_value(f).unwrap_or(Value::Null)
}

pub async fn insert_table(
    conn: &mut PgConnection,
    actor: &Actor,
    f: &TableFields,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO criteria_tables (tenant_id, name, description, bonus_cap, penalty_cap, tie_break_codes)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(&f.name)
    .bind(&f.description)
    .bind(f.bonus_cap)
    .bind(f.penalty_cap)
    .bind(&f.tie_break_codes)
    .fetch_one(&mut *conn)
    .await?;
    record(conn, actor, id, "created", None, Some(table_json(f))).await?;
    Ok(id)
}

/// Returns false when nothing changed (no audit row then).
pub async fn update_table(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    before: &TableFields,
    after: &TableFields,
) -> sqlx::Result<bool> {
    if before == after {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE criteria_tables SET name = $3, description = $4, bonus_cap = $5, penalty_cap = $6, tie_break_codes = $7
          WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(id)
    .bind(&after.name)
    .bind(&after.description)
    .bind(after.bonus_cap)
    .bind(after.penalty_cap)
    .bind(&after.tie_break_codes)
    .execute(&mut *conn)
    .await?;
    let (b, a) = audit::diff(&table_json(before), &table_json(after));
    record(conn, actor, id, "updated", Some(b), Some(a)).await?;
    Ok(true)
}
