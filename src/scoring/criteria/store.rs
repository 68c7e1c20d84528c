//! The SQL of building criteria tables. Every change writes an audit row (entity
//! "criteria_table", the table's id) in the caller's tenant transaction.
//!
//! Reading a whole table is `scoring::tables::load_full`; a year's copy is made by
//! `scoring::tables::copy_to_year`.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::db::TenantTx;
use crate::scoring::tables::{BandRow, Criterion, Section};

use super::forms::{CriterionFields, SectionFields, TableFields};
use super::model::{Draft, DraftBand};

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

fn section_json(code: &str, title: &str, kind: &str, position: i32) -> Value {
    json!({ "section": { "code": code, "title": title, "kind": kind, "position": position } })
}

pub async fn insert_section(
    conn: &mut PgConnection,
    actor: &Actor,
    table_id: i64,
    f: &SectionFields,
) -> sqlx::Result<i64> {
    let (id, position): (i64, i32) = sqlx::query_as(
        "INSERT INTO criteria_sections (tenant_id, table_id, position, code, title, kind)
         VALUES ($1, $2, coalesce($3, (SELECT coalesce(max(position), 0) + 1 FROM criteria_sections
                                        WHERE tenant_id = $1 AND table_id = $2)), $4, $5, $6)
         RETURNING id, position",
    )
    .bind(actor.tenant_id)
    .bind(table_id)
    .bind(f.position)
    .bind(&f.code)
    .bind(&f.title)
    .bind(&f.kind)
    .fetch_one(&mut *conn)
    .await?;
    let after = section_json(&f.code, &f.title, &f.kind, position);
    record(conn, actor, table_id, "section_added", None, Some(after)).await?;
    Ok(id)
}

/// Updates a section; a renamed section code is renamed in the tie-break list too.
pub async fn update_section(
    conn: &mut PgConnection,
    actor: &Actor,
    table_id: i64,
    before: &Section,
    f: &SectionFields,
) -> sqlx::Result<()> {
    let position = f.position.unwrap_or(before.position);
    if before.code == f.code
        && before.title == f.title
        && before.kind == f.kind
        && before.position == position
    {
        return Ok(());
    }
    sqlx::query(
        "UPDATE criteria_sections SET code = $3, title = $4, kind = $5, position = $6 WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(before.id)
    .bind(&f.code)
    .bind(&f.title)
    .bind(&f.kind)
    .bind(position)
    .execute(&mut *conn)
    .await?;
    if before.code != f.code {
        sqlx::query(
            "UPDATE criteria_tables SET tie_break_codes = array_replace(tie_break_codes, $3, $4)
              WHERE tenant_id = $1 AND id = $2",
        )
        .bind(actor.tenant_id)
        .bind(table_id)
        .bind(&before.code)
        .bind(&f.code)
        .execute(&mut *conn)
        .await?;
    }
    let b = section_json(&before.code, &before.title, &before.kind, before.position);
    let a = section_json(&f.code, &f.title, &f.kind, position);
    record(conn, actor, table_id, "section_updated", Some(b), Some(a)).await?;
    Ok(())
}

/// Lines of units' sheets that already hold something for these criteria (a figure, an
/// explanation, "not applicable" or evidence): such criteria are not deleted.
pub async fn used_entries(tx: &mut TenantTx, criterion_ids: &[i64]) -> sqlx::Result<i64> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(
        "SELECT count(*) FROM sheet_entries e
          WHERE e.tenant_id = $1 AND e.criterion_id = ANY($2)
            AND (e.self_points IS NOT NULL OR e.verified_points IS NOT NULL OR e.explanation <> ''
                 OR e.not_applicable OR e.verify_reason <> ''
                 OR EXISTS (SELECT 1 FROM evidence v WHERE v.tenant_id = e.tenant_id AND v.sheet_id = e.sheet_id
                                                      AND v.criterion_id = e.criterion_id))",
    )
    .bind(tenant_id)
    .bind(criterion_ids)
    .fetch_one(&mut **tx)
    .await
}

/// Removes the empty lines draft sheets hold for these criteria (see `used_entries`).
async fn drop_empty_entries(tx: &mut TenantTx, criterion_ids: &[i64]) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query("DELETE FROM sheet_entries WHERE tenant_id = $1 AND criterion_id = ANY($2)")
        .bind(tenant_id)
        .bind(criterion_ids)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn criterion_json(c: &Criterion) -> Value {
    json!({
        "code": c.code, "text": c.text, "max_points": c.max_points.normalize(), "step": c.step.normalize(),
        "guidance": c.guidance, "evidence_required": c.evidence_required, "position": c.position,
    })
}

/// Deletes a section with its criteria. The caller has checked `used_entries`.
pub async fn delete_section(
    conn: &mut TenantTx,
    actor: &Actor,
    table_id: i64,
    s: &Section,
    criteria: &[&Criterion],
) -> sqlx::Result<()> {
    let ids: Vec<i64> = criteria.iter().map(|c| c.id).collect();
    drop_empty_entries(conn, &ids).await?;
    sqlx::query("DELETE FROM criteria_sections WHERE tenant_id = $1 AND id = $2")
        .bind(actor.tenant_id)
        .bind(s.id)
        .execute(&mut **conn)
        .await?;
    let mut before = section_json(&s.code, &s.title, &s.kind, s.position);
    before["section"]["criteria"] =
        Value::Array(criteria.iter().map(|c| criterion_json(c)).collect());
    record(conn, actor, table_id, "section_deleted", Some(before), None).await?;
    Ok(())
}

fn criterion_fields_json(f: &CriterionFields, section_code: &str, position: i32) -> Value {
    json!({
        "criterion": {
            "section": section_code, "code": f.code, "text": f.text, "max_points": f.max_points, "step": f.step,
            "guidance": f.guidance, "evidence_required": f.evidence_required, "position": position,
        }
    })
}

pub async fn insert_criterion(
    conn: &mut PgConnection,
    actor: &Actor,
    table_id: i64,
    section_code: &str,
    f: &CriterionFields,
) -> sqlx::Result<i64> {
    let t = actor.tenant_id;
    let (id, position): (i64, i32) = sqlx::query_as(
        "INSERT INTO criteria (tenant_id, table_id, section_id, position, code, text, max_points, step, guidance, evidence_required)
         VALUES ($1, $2, $3, coalesce($4, (SELECT coalesce(max(position), 0) + 1 FROM criteria
                                            WHERE tenant_id = $1 AND section_id = $3)),
                 $5, $6, $7, $8, $9, $10)
         RETURNING id, position",
    )
    .bind(t)
    .bind(table_id)
    .bind(f.section_id)
    .bind(f.position)
    .bind(&f.code)
    .bind(&f.text)
    .bind(f.max_points)
    .bind(f.step)
    .bind(&f.guidance)
    .bind(f.evidence_required)
    .fetch_one(&mut *conn)
    .await?;
    // Sheets a year already has (drafts, before the table froze) get a line for it too.
    sqlx::query(
        "INSERT INTO sheet_entries (tenant_id, sheet_id, criterion_id)
         SELECT s.tenant_id, s.id, $3 FROM scoresheets s
           JOIN cluster_years y ON y.tenant_id = s.tenant_id AND y.id = s.cluster_year_id
          WHERE s.tenant_id = $1 AND y.criteria_table_id = $2
         ON CONFLICT DO NOTHING",
    )
    .bind(t)
    .bind(table_id)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    let after = criterion_fields_json(f, section_code, position);
    record(conn, actor, table_id, "criterion_added", None, Some(after)).await?;
    Ok(id)
}

pub async fn update_criterion(
    conn: &mut PgConnection,
    actor: &Actor,
    table_id: i64,
    before: &Criterion,
    before_section: &str,
    section_code: &str,
    f: &CriterionFields,
) -> sqlx::Result<()> {
    let moved = before.section_id != f.section_id;
    let position: i32 = sqlx::query_scalar(
        "UPDATE criteria SET section_id = $3, code = $4, text = $5, max_points = $6, step = $7, guidance = $8,
                             evidence_required = $9,
                             position = coalesce($10, CASE WHEN $11 THEN (SELECT coalesce(max(position), 0) + 1 FROM criteria
                                                                          WHERE tenant_id = $1 AND section_id = $3)
                                                           ELSE position END)
          WHERE tenant_id = $1 AND id = $2 RETURNING position",
    )
    .bind(actor.tenant_id)
    .bind(before.id)
    .bind(f.section_id)
    .bind(&f.code)
    .bind(&f.text)
    .bind(f.max_points)
    .bind(f.step)
    .bind(&f.guidance)
    .bind(f.evidence_required)
    .bind(f.position)
    .bind(moved)
    .fetch_one(&mut *conn)
    .await?;
    let mut b = criterion_json(before);
    b["section"] = json!(before_section);
    let b = json!({ "criterion": b });
    let a = criterion_fields_json(f, section_code, position);
    if b != a {
        record(conn, actor, table_id, "criterion_updated", Some(b), Some(a)).await?;
    }
    Ok(())
}

/// Deletes a criterion. The caller has checked `used_entries`.
pub async fn delete_criterion(
    conn: &mut TenantTx,
    actor: &Actor,
    table_id: i64,
    c: &Criterion,
    section_code: &str,
) -> sqlx::Result<()> {
    drop_empty_entries(conn, &[c.id]).await?;
    sqlx::query("DELETE FROM criteria WHERE tenant_id = $1 AND id = $2")
        .bind(actor.tenant_id)
        .bind(c.id)
        .execute(&mut **conn)
        .await?;
    let mut b = criterion_json(c);
    b["section"] = json!(section_code);
    record(
        conn,
        actor,
        table_id,
        "criterion_deleted",
        Some(json!({ "criterion": b })),
        None,
    )
    .await?;
    Ok(())
}

fn bands_json<'a>(bands: impl Iterator<Item = (&'a str, Decimal, bool)>) -> Value {
    json!({
        "bands": bands
            .map(|(name, min, no_zero)| json!({ "name": name, "min_percent": min.normalize(), "requires_no_zero": no_zero }))
            .collect::<Vec<_>>()
    })
}

/// Replaces the rating bands with `after` (kept in the given order).
pub async fn replace_bands(
    conn: &mut TenantTx,
    actor: &Actor,
    table_id: i64,
    before: &[BandRow],
    after: &[DraftBand],
) -> sqlx::Result<()> {
    let b = bands_json(
        before
            .iter()
            .map(|x| (x.name.as_str(), x.min_percent, x.requires_no_zero)),
    );
    let a = bands_json(
        after
            .iter()
            .map(|x| (x.name.as_str(), x.min_percent, x.requires_no_zero)),
    );
    if a == b {
        return Ok(());
    }
    sqlx::query("DELETE FROM rating_bands WHERE tenant_id = $1 AND table_id = $2")
        .bind(actor.tenant_id)
        .bind(table_id)
        .execute(&mut **conn)
        .await?;
    insert_bands(conn, table_id, after).await?;
    record(conn, actor, table_id, "bands_set", Some(b), Some(a)).await?;
    Ok(())
}

async fn insert_bands(tx: &mut TenantTx, table_id: i64, bands: &[DraftBand]) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    for (i, band) in bands.iter().enumerate() {
        sqlx::query(
            "INSERT INTO rating_bands (tenant_id, table_id, position, name, min_percent, requires_no_zero)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(tenant_id)
        .bind(table_id)
        .bind(i as i32 + 1)
        .bind(&band.name)
        .bind(band.min_percent)
        .bind(band.requires_no_zero)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The whole of a draft as the audit trail keeps it.
pub fn draft_json(d: &Draft) -> Value {
    json!({
        "name": d.name,
        "description": d.description,
        "bonus_cap": d.bonus_cap,
        "penalty_cap": d.penalty_cap,
        "tie_break_codes": d.tie_break_codes,
        "sections": d.sections.iter().map(|s| json!({
            "code": s.code, "title": s.title, "kind": s.kind.as_str(), "criteria": s.criteria,
        })).collect::<Vec<_>>(),
        "bands": d.bands,
    })
}

/// Writes a whole table into the library (import, copy, demo): one audit row with `action`
/// and the table's content, plus `extra` fields (the source, the file name).
pub async fn insert_draft(
    conn: &mut TenantTx,
    actor: &Actor,
    d: &Draft,
    copied_from: Option<i64>,
    action: &str,
    extra: Value,
) -> sqlx::Result<i64> {
    let t = actor.tenant_id;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO criteria_tables (tenant_id, name, description, bonus_cap, penalty_cap, tie_break_codes, copied_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(t)
    .bind(&d.name)
    .bind(&d.description)
    .bind(d.bonus_cap)
    .bind(d.penalty_cap)
    .bind(&d.tie_break_codes)
    .bind(copied_from)
    .fetch_one(&mut **conn)
    .await?;
    for (si, s) in d.sections.iter().enumerate() {
        let section_id: i64 = sqlx::query_scalar(
            "INSERT INTO criteria_sections (tenant_id, table_id, position, code, title, kind)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(t)
        .bind(id)
        .bind(si as i32 + 1)
        .bind(&s.code)
        .bind(&s.title)
        .bind(s.kind.as_str())
        .fetch_one(&mut **conn)
        .await?;
        for (ci, c) in s.criteria.iter().enumerate() {
            sqlx::query(
                "INSERT INTO criteria (tenant_id, table_id, section_id, position, code, text, max_points, step, guidance,
                                       evidence_required)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(t)
            .bind(id)
            .bind(section_id)
            .bind(ci as i32 + 1)
            .bind(&c.code)
            .bind(&c.text)
            .bind(c.max_points)
            .bind(c.step)
            .bind(&c.guidance)
            .bind(c.evidence_required)
            .execute(&mut **conn)
            .await?;
        }
    }
    insert_bands(conn, id, &d.bands).await?;
    let mut after = draft_json(d);
    if let (Some(a), Some(x)) = (after.as_object_mut(), extra.as_object()) {
        a.extend(x.clone());
    }
    record(conn, actor, id, action, None, Some(after)).await?;
    Ok(id)
}
