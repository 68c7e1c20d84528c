//! The pledge as its page and its print show it, read in one statement.

use sqlx::types::Json;

use super::pledge::{Item, Pledge, Signature};
use crate::db::TenantTx;

#[derive(sqlx::FromRow)]
struct Row {
    state: Option<String>,
    opened_at: Option<chrono::DateTime<chrono::Utc>>,
    locked_at: Option<chrono::DateTime<chrono::Utc>>,
    items: Json<Vec<Item>>,
    signatures: Json<Vec<Signature>>,
}

/// The year's pledge (None before the leader first writes to it), its numbered commitments in
/// order and its signatures: the three are read together because every view of the pledge
/// shows all three, and each statement is a round trip (issue 9).
pub async fn pledge_with_items_and_signatures(
    tx: &mut TenantTx,
    year_id: i64,
) -> sqlx::Result<(Option<Pledge>, Vec<Item>, Vec<Signature>)> {
    let tenant_id = tx.tenant_id();
    let r: Row = sqlx::query_as(
        "SELECT p.state, p.opened_at, p.locked_at,
                (SELECT COALESCE(json_agg(json_build_object(
                            'id', i.id, 'position', i.position, 'text', i.text)
                          ORDER BY i.position), '[]'::json)
                   FROM pledge_items i
                  WHERE i.tenant_id = $1 AND i.cluster_year_id = $2) AS items,
                (SELECT COALESCE(json_agg(json_build_object(
                            'unit_id', s.unit_id, 'signed_by_name', u.full_name,
                            'signed_at', s.signed_at, 'on_paper', s.on_paper,
                            'paper_signed_on', s.paper_signed_on)), '[]'::json)
                   FROM pledge_signatures s
                   JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.signed_by
                  WHERE s.tenant_id = $1 AND s.cluster_year_id = $2) AS signatures
           FROM (SELECT 1) one
           LEFT JOIN pledges p ON p.tenant_id = $1 AND p.cluster_year_id = $2",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_one(&mut **tx)
    .await?;
    let pledge = r.state.map(|state| Pledge {
        state,
        opened_at: r.opened_at,
        locked_at: r.locked_at,
    });
    Ok((pledge, r.items.0, r.signatures.0))
}
