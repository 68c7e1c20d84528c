//! Sections and criteria of a table: added, changed, and deleted while no sheet uses them.
use serde_json::{Value, json};
use sqlx::PgConnection;

use crate::audit::Actor;
use crate::db::TenantTx;
use crate::scoring::model::SectionKind;
use crate::scoring::tables::{Criterion, Section};

use super::super::forms::{CriterionFields, SectionFields};

use super::*;

fn section_json(code: &str, title: &str, kind: SectionKind, position: i32) -> Value {
    let kind = kind.as_str();
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
    .bind(f.kind.as_str())
    .fetch_one(&mut *conn)
    .await?;
    let after = section_json(&f.code, &f.title, f.kind, position);
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
    .bind(f.kind.as_str())
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
    let b = section_json(&before.code, &before.title, before.kind, before.position);
    let a = section_json(&f.code, &f.title, f.kind, position);
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
    let mut before = section_json(&s.code, &s.title, s.kind, s.position);
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
