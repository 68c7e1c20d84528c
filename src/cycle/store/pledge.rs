//! The pledge (giao ước thi đua) of a cluster year: its numbered commitments and signatures.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::cycle::model::PledgeState;
use crate::db::TenantTx;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Pledge {
    pub state: String,
    pub opened_at: Option<DateTime<Utc>>,
    pub locked_at: Option<DateTime<Utc>>,
}

impl Pledge {
    pub fn state(&self) -> PledgeState {
        PledgeState::parse(&self.state).unwrap_or(PledgeState::Draft)
    }
}

#[derive(sqlx::FromRow, serde::Deserialize, Debug, Clone)]
pub struct Item {
    pub id: i64,
    pub position: i32,
    pub text: String,
}

#[derive(sqlx::FromRow, serde::Deserialize, Debug, Clone)]
pub struct Signature {
    pub unit_id: i64,
    pub signed_by_name: String,
    pub signed_at: DateTime<Utc>,
    /// Signed on paper and recorded by `signed_by_name` of the leader unit (migration 0019),
    /// with the date on the page when given.
    pub on_paper: bool,
    pub paper_signed_on: Option<chrono::NaiveDate>,
}

/// The pledge of a year; `for_update` holds it until the transaction ends, so that an edit, an
/// opening and concurrent signatures are taken one at a time.
pub async fn pledge(
    tx: &mut TenantTx,
    year_id: i64,
    for_update: bool,
) -> sqlx::Result<Option<Pledge>> {
    let tenant_id = tx.tenant_id();
    let lock = if for_update { " FOR UPDATE" } else { "" };
    sqlx::query_as(&format!(
        "SELECT state, opened_at, locked_at FROM pledges WHERE tenant_id = $1 AND cluster_year_id = $2{lock}"
    ))
    .bind(tenant_id)
    .bind(year_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Starts the draft when the leader first writes to it.
pub async fn ensure(conn: &mut PgConnection, actor: &Actor, year_id: i64) -> sqlx::Result<()> {
    let made = sqlx::query(
        "INSERT INTO pledges (tenant_id, cluster_year_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .execute(&mut *conn)
    .await?;
    if made.rows_affected() == 1 {
        audit::record(
            conn,
            actor,
            "pledge",
            &year_id.to_string(),
            "created",
            None,
            Some(serde_json::json!({ "state": "draft" })),
        )
        .await?;
    }
    Ok(())
}

pub async fn items(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Vec<Item>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT id, position, text FROM pledge_items WHERE tenant_id = $1 AND cluster_year_id = $2 ORDER BY position",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn add_item(
    conn: &mut PgConnection,
    actor: &Actor,
    year_id: i64,
    text: &str,
) -> sqlx::Result<i64> {
    let (id, position): (i64, i32) = sqlx::query_as(
        "INSERT INTO pledge_items (tenant_id, cluster_year_id, position, text)
         VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM pledge_items
                           WHERE tenant_id = $1 AND cluster_year_id = $2), $3)
         RETURNING id, position",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .bind(text)
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "pledge",
        &year_id.to_string(),
        "item_added",
        None,
        Some(serde_json::json!({ "item_id": id, "position": position, "text": text })),
    )
    .await?;
    Ok(id)
}

/// Changes an item's text; false when there is no such item in this pledge or nothing changed.
pub async fn update_item(
    conn: &mut PgConnection,
    actor: &Actor,
    year_id: i64,
    item_id: i64,
    text: &str,
) -> sqlx::Result<bool> {
    let before: Option<String> = sqlx::query_scalar(
        "SELECT text FROM pledge_items WHERE tenant_id = $1 AND cluster_year_id = $2 AND id = $3",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .bind(item_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(before) = before else {
        return Ok(false);
    };
    if before == text {
        return Ok(false);
    }
    sqlx::query("UPDATE pledge_items SET text = $4 WHERE tenant_id = $1 AND cluster_year_id = $2 AND id = $3")
        .bind(actor.tenant_id)
        .bind(year_id)
        .bind(item_id)
        .bind(text)
        .execute(&mut *conn)
        .await?;
    audit::record(
        conn,
        actor,
        "pledge",
        &year_id.to_string(),
        "item_updated",
        Some(serde_json::json!({ "item_id": item_id, "text": before })),
        Some(serde_json::json!({ "item_id": item_id, "text": text })),
    )
    .await?;
    Ok(true)
}

/// Gives the items positions 1, 2, … in the given order.
async fn renumber(tx: &mut TenantTx, year_id: i64, order: &[i64]) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "UPDATE pledge_items i SET position = o.n
           FROM unnest($3::bigint[]) WITH ORDINALITY AS o(id, n)
          WHERE i.tenant_id = $1 AND i.cluster_year_id = $2 AND i.id = o.id",
    )
    .bind(tenant_id)
    .bind(year_id)
    .bind(order)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn remove_item(
    conn: &mut TenantTx,
    actor: &Actor,
    year_id: i64,
    item_id: i64,
) -> sqlx::Result<bool> {
    let removed: Option<(i32, String)> = sqlx::query_as(
        "DELETE FROM pledge_items WHERE tenant_id = $1 AND cluster_year_id = $2 AND id = $3
         RETURNING position, text",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .bind(item_id)
    .fetch_optional(&mut **conn)
    .await?;
    let Some((position, text)) = removed else {
        return Ok(false);
    };
    let order: Vec<i64> = items(conn, year_id).await?.iter().map(|i| i.id).collect();
    renumber(conn, year_id, &order).await?;
    audit::record(
        conn,
        actor,
        "pledge",
        &year_id.to_string(),
        "item_removed",
        Some(serde_json::json!({ "item_id": item_id, "position": position, "text": text })),
        None,
    )
    .await?;
    Ok(true)
}

pub async fn reorder(
    conn: &mut TenantTx,
    actor: &Actor,
    year_id: i64,
    before: &[i64],
    after: &[i64],
) -> sqlx::Result<()> {
    renumber(conn, year_id, after).await?;
    audit::record(
        conn,
        actor,
        "pledge",
        &year_id.to_string(),
        "items_reordered",
        Some(serde_json::json!({ "order": before })),
        Some(serde_json::json!({ "order": after })),
    )
    .await
}

/// The latest earlier year of the same cluster whose pledge has commitments: (id, year).
pub async fn previous_with_items(
    tx: &mut TenantTx,
    cluster_id: i64,
    year: i32,
) -> sqlx::Result<Option<(i64, i32)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT y.id, y.year FROM cluster_years y
          WHERE y.tenant_id = $1 AND y.cluster_id = $2 AND y.year < $3
            AND EXISTS (SELECT 1 FROM pledge_items i WHERE i.tenant_id = y.tenant_id AND i.cluster_year_id = y.id)
          ORDER BY y.year DESC LIMIT 1",
    )
    .bind(tenant_id)
    .bind(cluster_id)
    .bind(year)
    .fetch_optional(&mut **tx)
    .await
}

/// Appends the given texts as items, in order.
pub async fn copy_items(
    conn: &mut PgConnection,
    actor: &Actor,
    year_id: i64,
    from_year_id: i64,
    texts: &[String],
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO pledge_items (tenant_id, cluster_year_id, position, text)
         SELECT $1, $2, n, t FROM unnest($3::text[]) WITH ORDINALITY AS x(t, n)",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .bind(texts)
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "pledge",
        &year_id.to_string(),
        "items_copied",
        None,
        Some(serde_json::json!({ "from_cluster_year_id": from_year_id, "items": texts })),
    )
    .await
}

/// Sets the state (with its time, or `at` when given, for the demo's history).
pub async fn set_state(
    conn: &mut PgConnection,
    actor: &Actor,
    year_id: i64,
    from: PledgeState,
    to: PledgeState,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    let at = at.unwrap_or_else(Utc::now);
    let column = match to {
        PledgeState::Open => "opened_at",
        PledgeState::Locked => "locked_at",
        PledgeState::Draft => return Ok(()),
    };
    sqlx::query(&format!(
        "UPDATE pledges SET state = $3, {column} = $4 WHERE tenant_id = $1 AND cluster_year_id = $2"
    ))
    .bind(actor.tenant_id)
    .bind(year_id)
    .bind(to.as_str())
    .bind(at)
    .execute(&mut *conn)
    .await?;
    let action = match to {
        PledgeState::Open => "opened",
        _ => "locked",
    };
    audit::record(
        conn,
        actor,
        "pledge",
        &year_id.to_string(),
        action,
        Some(serde_json::json!({ "state": from.as_str() })),
        Some(serde_json::json!({ "state": to.as_str() })),
    )
    .await
}

/// "Hạn ký giao ước", set when the pledge opens (optional): the reminders' pass reads it.
pub async fn set_signing_deadline(
    conn: &mut PgConnection,
    actor: &Actor,
    year_id: i64,
    deadline: chrono::NaiveDate,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE pledges SET signing_deadline = $3 WHERE tenant_id = $1 AND cluster_year_id = $2",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .bind(deadline)
    .execute(&mut *conn)
    .await?;
    let after = serde_json::json!({ "signing_deadline": deadline.format("%d/%m/%Y").to_string() });
    audit::record(
        conn,
        actor,
        "pledge",
        &year_id.to_string(),
        "signing_deadline",
        None,
        Some(after),
    )
    .await
}

pub async fn signatures(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Vec<Signature>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT s.unit_id, u.full_name AS signed_by_name, s.signed_at, s.on_paper, s.paper_signed_on
           FROM pledge_signatures s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.signed_by
          WHERE s.tenant_id = $1 AND s.cluster_year_id = $2",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn sign(
    conn: &mut PgConnection,
    actor: &Actor,
    year_id: i64,
    unit_id: i64,
    user_id: i64,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    let at = at.unwrap_or_else(Utc::now);
    sqlx::query(
        "INSERT INTO pledge_signatures (tenant_id, cluster_year_id, unit_id, signed_by, signed_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .bind(unit_id)
    .bind(user_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "pledge",
        &year_id.to_string(),
        "signed",
        None,
        Some(serde_json::json!({ "unit_id": unit_id, "signed_by": user_id })),
    )
    .await
}
