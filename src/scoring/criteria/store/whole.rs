//! A table's rating bands, and a whole table written at once (import, copy, demo).
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::audit::Actor;
use crate::db::TenantTx;
use crate::scoring::tables::BandRow;

use super::super::model::{Draft, DraftBand};

use super::*;

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
