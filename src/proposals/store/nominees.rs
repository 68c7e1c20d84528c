//! A dossier's nominees, with the vote's figures of the moment it was assembled.

use rust_decimal::Decimal;

use serde_json::json;

use super::audited;
use crate::audit::Actor;
use crate::db::TenantTx;

#[derive(sqlx::FromRow, serde::Deserialize, Debug, Clone)]
pub struct Nominee {
    pub award_type_id: i64,
    pub award_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub votes_for: i32,
    pub votes_against: i32,
    pub ballots: i32,
    pub members: i32,
    pub percent: Decimal,
    pub score: Option<Decimal>,
    pub rank: Option<i32>,
}

pub async fn insert_nominee(
    tx: &mut TenantTx,
    proposal_id: i64,
    position: i32,
    n: &Nominee,
) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "INSERT INTO proposal_nominees (tenant_id, proposal_id, award_type_id, unit_id, position,
             votes_for, votes_against, ballots, members, percent, score, rank)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(tenant_id)
    .bind(proposal_id)
    .bind(n.award_type_id)
    .bind(n.unit_id)
    .bind(position)
    .bind(n.votes_for)
    .bind(n.votes_against)
    .bind(n.ballots)
    .bind(n.members)
    .bind(n.percent)
    .bind(n.score)
    .bind(n.rank)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

pub async fn nominees(tx: &mut TenantTx, proposal_id: i64) -> sqlx::Result<Vec<Nominee>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT n.award_type_id, a.name AS award_name, n.unit_id,
                u.name AS unit_name, n.votes_for, n.votes_against, n.ballots, n.members, n.percent,
                n.score, n.rank
           FROM proposal_nominees n
           JOIN award_types a ON a.tenant_id = n.tenant_id AND a.id = n.award_type_id
           JOIN units u ON u.tenant_id = n.tenant_id AND u.id = n.unit_id
          WHERE n.tenant_id = $1 AND n.proposal_id = $2 AND n.withdrawn_at IS NULL
          ORDER BY a.position, n.position",
    )
    .bind(tenant_id)
    .bind(proposal_id)
    .fetch_all(&mut **tx)
    .await
}

/// A nominee the leader withdrew, with the reason on record.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Withdrawn {
    pub award_type_id: i64,
    pub award_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub reason: String,
}

#[derive(sqlx::FromRow, serde::Deserialize)]
pub(super) struct AnyNominee {
    #[sqlx(flatten)]
    #[serde(flatten)]
    n: Nominee,
    withdrawn_reason: Option<String>,
}

/// The dossier's nominees still proposed and those the leader withdrew, each in the order they
/// were proposed, in one statement.
pub async fn nominees_and_withdrawn(
    tx: &mut TenantTx,
    proposal_id: i64,
) -> sqlx::Result<(Vec<Nominee>, Vec<Withdrawn>)> {
    let tenant_id = tx.tenant_id();
    let rows: Vec<AnyNominee> = sqlx::query_as(
        "SELECT n.award_type_id, a.name AS award_name, n.unit_id,
                u.name AS unit_name, n.votes_for, n.votes_against, n.ballots, n.members, n.percent,
                n.score, n.rank,
                CASE WHEN n.withdrawn_at IS NOT NULL THEN n.withdrawn_reason END
                  AS withdrawn_reason
           FROM proposal_nominees n
           JOIN award_types a ON a.tenant_id = n.tenant_id AND a.id = n.award_type_id
           JOIN units u ON u.tenant_id = n.tenant_id AND u.id = n.unit_id
          WHERE n.tenant_id = $1 AND n.proposal_id = $2
          ORDER BY a.position, n.position",
    )
    .bind(tenant_id)
    .bind(proposal_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(split_withdrawn(rows))
}

/// The nominees still proposed, and those withdrawn with their reasons.
pub(super) fn split_withdrawn(rows: Vec<AnyNominee>) -> (Vec<Nominee>, Vec<Withdrawn>) {
    let (mut kept, mut gone) = (Vec::new(), Vec::new());
    for r in rows {
        match r.withdrawn_reason {
            None => kept.push(r.n),
            Some(reason) => gone.push(Withdrawn {
                award_type_id: r.n.award_type_id,
                award_name: r.n.award_name,
                unit_id: r.n.unit_id,
                unit_name: r.n.unit_name,
                reason,
            }),
        }
    }
    (kept, gone)
}

/// Withdraws one nominee with the reason, audited; false when it is not an active nominee.
pub async fn withdraw_nominee(
    tx: &mut TenantTx,
    actor: &Actor,
    proposal_id: i64,
    (award_type_id, unit_id): (i64, i64),
    reason: &str,
) -> sqlx::Result<bool> {
    let tenant_id = tx.tenant_id();
    let done = sqlx::query(
        "UPDATE proposal_nominees SET withdrawn_at = now(), withdrawn_reason = $5
          WHERE tenant_id = $1 AND proposal_id = $2 AND award_type_id = $3 AND unit_id = $4
            AND withdrawn_at IS NULL",
    )
    .bind(tenant_id)
    .bind(proposal_id)
    .bind(award_type_id)
    .bind(unit_id)
    .bind(reason)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1;
    if done {
        let after = json!({ "award_type_id": award_type_id, "unit_id": unit_id, "reason": reason });
        let id = proposal_id.to_string();
        audited::step(
            tx,
            actor,
            "proposal",
            &id,
            "nominee_withdrawn",
            Some((json!(null), after)),
        )
        .await?;
    }
    Ok(done)
}
