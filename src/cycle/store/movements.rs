//! Movements (phong trào thi đua) and the clusters they concern.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::json;
use crate::audit::{self, Actor};
use crate::db::TenantTx;

#[derive(Serialize, Debug, Clone, Default, PartialEq)]
pub struct MovementFields {
    pub name: String,
    pub kind: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub content: String,
    pub cluster_ids: Vec<i64>,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Movement {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    pub content: String,
    pub launched_by_unit_id: Option<i64>,
    pub launched_by_name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The clusters' names, in Vietnamese order, joined by "; ".
    pub cluster_names: String,
}

const MOVEMENT_SELECT: &str = r#"SELECT m.id, m.name, m.kind, m.starts_on, m.ends_on, m.content,
        m.launched_by_unit_id, l.name AS launched_by_name, m.created_at,
        coalesce((SELECT string_agg(c.name, '; ' ORDER BY c.name COLLATE "vi-VN-x-icu")
                    FROM movement_clusters mc JOIN clusters c ON c.tenant_id = mc.tenant_id AND c.id = mc.cluster_id
                   WHERE mc.tenant_id = m.tenant_id AND mc.movement_id = m.id), '') AS cluster_names
   FROM movements m
   LEFT JOIN units l ON l.tenant_id = m.tenant_id AND l.id = m.launched_by_unit_id"#;

// A unit is concerned when it is a member of one of the movement's clusters in a year the
// movement runs in, or when its own unit launched it.
const CONCERNS_UNIT: &str = "(m.launched_by_unit_id = $2 OR EXISTS (
        SELECT 1 FROM movement_clusters mc
          JOIN cluster_years y ON y.tenant_id = mc.tenant_id AND y.cluster_id = mc.cluster_id
          JOIN cluster_members cm ON cm.tenant_id = y.tenant_id AND cm.cluster_year_id = y.id
         WHERE mc.tenant_id = m.tenant_id AND mc.movement_id = m.id AND cm.unit_id = $2
           AND y.year >= extract(year FROM m.starts_on)::int
           AND (m.ends_on IS NULL OR y.year <= extract(year FROM m.ends_on)::int)))";

/// Every movement of the tenant, newest first.
pub async fn all(tx: &mut TenantTx) -> sqlx::Result<Vec<Movement>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        r#"{MOVEMENT_SELECT} WHERE m.tenant_id = $1
            ORDER BY m.starts_on DESC, m.name COLLATE "vi-VN-x-icu""#
    ))
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

/// The movements a unit takes part in, newest first.
pub async fn for_unit(tx: &mut TenantTx, unit_id: i64) -> sqlx::Result<Vec<Movement>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        r#"{MOVEMENT_SELECT} WHERE m.tenant_id = $1 AND {CONCERNS_UNIT}
            ORDER BY m.starts_on DESC, m.name COLLATE "vi-VN-x-icu""#
    ))
    .bind(tenant_id)
    .bind(unit_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn movement(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<Movement>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{MOVEMENT_SELECT} WHERE m.tenant_id = $1 AND m.id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn concerns_unit(tx: &mut TenantTx, id: i64, unit_id: i64) -> sqlx::Result<bool> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(&format!(
        "SELECT EXISTS (SELECT 1 FROM movements m WHERE m.tenant_id = $1 AND m.id = $3 AND {CONCERNS_UNIT})"
    ))
    .bind(tenant_id)
    .bind(unit_id)
    .bind(id)
    .fetch_one(&mut **tx)
    .await
}

pub async fn cluster_ids(tx: &mut TenantTx, id: i64) -> sqlx::Result<Vec<i64>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(
        "SELECT cluster_id FROM movement_clusters WHERE tenant_id = $1 AND movement_id = $2 ORDER BY cluster_id",
    )
    .bind(tenant_id)
    .bind(id)
    .fetch_all(&mut **tx)
    .await
}

/// Clusters not archived, for the council's picker.
pub async fn open_clusters(tx: &mut TenantTx) -> sqlx::Result<Vec<(i64, String)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT id, name FROM clusters WHERE tenant_id = $1 AND NOT archived
            ORDER BY kind, name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

/// Clusters whose latest year this unit leads: where its staff may launch movements.
pub async fn clusters_led_by(tx: &mut TenantTx, unit_id: i64) -> sqlx::Result<Vec<(i64, String)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT c.id, c.name FROM clusters c
             JOIN LATERAL (SELECT y.leader_unit_id FROM cluster_years y
                            WHERE y.tenant_id = c.tenant_id AND y.cluster_id = c.id
                            ORDER BY y.year DESC LIMIT 1) y ON true
            WHERE c.tenant_id = $1 AND NOT c.archived AND y.leader_unit_id = $2
            ORDER BY c.name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .bind(unit_id)
    .fetch_all(&mut **tx)
    .await
}

async fn set_clusters(tx: &mut TenantTx, id: i64, cluster_ids: &[i64]) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query("DELETE FROM movement_clusters WHERE tenant_id = $1 AND movement_id = $2")
        .bind(tenant_id)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO movement_clusters (tenant_id, movement_id, cluster_id)
         SELECT $1, $2, unnest($3::bigint[])",
    )
    .bind(tenant_id)
    .bind(id)
    .bind(cluster_ids)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn insert(
    conn: &mut TenantTx,
    actor: &Actor,
    launched_by_unit_id: Option<i64>,
    f: &MovementFields,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO movements (tenant_id, name, kind, starts_on, ends_on, content, launched_by_unit_id, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(&f.name)
    .bind(&f.kind)
    .bind(f.starts_on)
    .bind(f.ends_on)
    .bind(&f.content)
    .bind(launched_by_unit_id)
    .bind(actor.user_id)
    .fetch_one(&mut **conn)
    .await?;
    set_clusters(conn, id, &f.cluster_ids).await?;
    let mut after = json(f);
    after["launched_by_unit_id"] = serde_json::json!(launched_by_unit_id);
    audit::record(
        conn,
        actor,
        "movement",
        &id.to_string(),
        "created",
        None,
        Some(after),
    )
    .await?;
    Ok(id)
}

/// Updates a movement; false when nothing changed.
pub async fn update(
    conn: &mut TenantTx,
    actor: &Actor,
    before: &Movement,
    f: &MovementFields,
) -> sqlx::Result<bool> {
    let old = MovementFields {
        name: before.name.clone(),
        kind: before.kind.clone(),
        starts_on: Some(before.starts_on),
        ends_on: before.ends_on,
        content: before.content.clone(),
        cluster_ids: cluster_ids(conn, before.id).await?,
    };
    let mut new = f.clone();
    new.cluster_ids.sort_unstable();
    if old == new {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE movements SET name = $3, kind = $4, starts_on = $5, ends_on = $6, content = $7,
                updated_at = now()
          WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(before.id)
    .bind(&new.name)
    .bind(&new.kind)
    .bind(new.starts_on)
    .bind(new.ends_on)
    .bind(&new.content)
    .execute(&mut **conn)
    .await?;
    set_clusters(conn, before.id, &new.cluster_ids).await?;
    audit::changed(conn, actor, ("movement", before.id), "updated", &old, &new).await?;
    Ok(true)
}

/// The id of a movement of that name, for the demo's idempotence.
pub async fn id_by_name(tx: &mut TenantTx, name: &str) -> sqlx::Result<Option<i64>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar("SELECT id FROM movements WHERE tenant_id = $1 AND name = $2 LIMIT 1")
        .bind(tenant_id)
        .bind(name)
        .fetch_optional(&mut **tx)
        .await
}
