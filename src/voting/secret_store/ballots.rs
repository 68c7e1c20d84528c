//! The ballots' side of a secret vote: who took part and how, the encrypted ballots and
//! their receipts, the committee's decryption shares, the totals, and written opinions.

use crate::audit::Actor;
use crate::db::TenantTx;
use crate::voting::store::audit_vote;

/// Records that a unit has voted; false when it already had.
pub async fn insert_participation(
    tx: &mut TenantTx,
    vote_id: i64,
    unit_id: i64,
    how: &str,
) -> sqlx::Result<bool> {
    let t = tx.tenant_id();
    Ok(sqlx::query(
        "INSERT INTO vote_participation (tenant_id, vote_id, unit_id, how) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(t)
    .bind(vote_id)
    .bind(unit_id)
    .bind(how)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

pub async fn insert_ballot(
    tx: &mut TenantTx,
    vote_id: i64,
    receipt: &str,
    ballot: &serde_json::Value,
) -> sqlx::Result<()> {
    let t = tx.tenant_id();
    sqlx::query(
        "INSERT INTO encrypted_ballots (tenant_id, vote_id, receipt, ballot) VALUES ($1, $2, $3, $4)",
    )
    .bind(t)
    .bind(vote_id)
    .bind(receipt)
    .bind(ballot)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Every encrypted ballot of a vote, by receipt (an order that says nothing of who cast it).
pub async fn ballots(
    tx: &mut TenantTx,
    vote_id: i64,
) -> sqlx::Result<Vec<(String, serde_json::Value)>> {
    let t = tx.tenant_id();
    sqlx::query_as(
        "SELECT receipt, ballot FROM encrypted_ballots WHERE tenant_id = $1 AND vote_id = $2 ORDER BY receipt",
    )
    .bind(t)
    .bind(vote_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn insert_decryption(
    tx: &mut TenantTx,
    actor: &Actor,
    vote_id: i64,
    seat: i16,
    shares: &serde_json::Value,
) -> sqlx::Result<()> {
    let t = tx.tenant_id();
    sqlx::query(
        "INSERT INTO vote_decryptions (tenant_id, vote_id, seat, shares) VALUES ($1, $2, $3, $4)",
    )
    .bind(t)
    .bind(vote_id)
    .bind(seat)
    .bind(shares)
    .execute(&mut **tx)
    .await?;
    audit_vote(
        tx,
        actor,
        vote_id,
        "decryption_share_given",
        None,
        Some(serde_json::json!({ "seat": seat })),
    )
    .await
}

pub async fn decryptions(
    tx: &mut TenantTx,
    vote_id: i64,
) -> sqlx::Result<Vec<(i16, serde_json::Value)>> {
    let t = tx.tenant_id();
    sqlx::query_as(
        "SELECT seat, shares FROM vote_decryptions WHERE tenant_id = $1 AND vote_id = $2 ORDER BY seat",
    )
    .bind(t)
    .bind(vote_id)
    .fetch_all(&mut **tx)
    .await
}

/// Stores the decrypted totals: (candidate, for, against), and how many ballots they count.
pub async fn insert_totals(
    tx: &mut TenantTx,
    actor: &Actor,
    vote_id: i64,
    totals: &[(i64, u32, u32)],
    ballots: u32,
) -> sqlx::Result<()> {
    let t = tx.tenant_id();
    for (c, f, a) in totals {
        sqlx::query(
            "INSERT INTO vote_totals (tenant_id, vote_id, candidate_id, votes_for, votes_against)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(t)
        .bind(vote_id)
        .bind(c)
        .bind(*f as i32)
        .bind(*a as i32)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("UPDATE votes SET counted_ballots = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(t)
        .bind(vote_id)
        .bind(ballots as i32)
        .execute(&mut **tx)
        .await?;
    audit_vote(
        tx,
        actor,
        vote_id,
        "totals_decrypted",
        None,
        Some(serde_json::json!({ "ballots": ballots })),
    )
    .await
}

pub async fn totals(
    tx: &mut crate::db::TenantTx,
    vote_id: i64,
) -> sqlx::Result<Vec<crate::voting::model::Count>> {
    let tenant_id = tx.tenant_id();
    let rows: Vec<(i64, i32, i32)> = sqlx::query_as(
        "SELECT candidate_id, votes_for, votes_against FROM vote_totals WHERE tenant_id = $1 AND vote_id = $2",
    )
    .bind(tenant_id)
    .bind(vote_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(c, f, a)| crate::voting::model::Count {
            candidate_id: c,
            votes_for: f.max(0) as u32,
            votes_against: a.max(0) as u32,
        })
        .collect())
}

pub async fn insert_written(
    tx: &mut TenantTx,
    vote_id: i64,
    unit_id: i64,
    recorded_by: i64,
    file: (&str, &str, &[u8]),
) -> sqlx::Result<()> {
    let t = tx.tenant_id();
    sqlx::query(
        "INSERT INTO written_opinions (tenant_id, vote_id, unit_id, recorded_by, file_name, content_type, content)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(t)
    .bind(vote_id)
    .bind(unit_id)
    .bind(recorded_by)
    .bind(file.0)
    .bind(file.1)
    .bind(file.2)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A written opinion's scanned paper: (file name, content type, bytes).
pub async fn written_scan(
    tx: &mut TenantTx,
    vote_id: i64,
    unit_id: i64,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    let t = tx.tenant_id();
    sqlx::query_as(
        "SELECT file_name, content_type, content FROM written_opinions
          WHERE tenant_id = $1 AND vote_id = $2 AND unit_id = $3",
    )
    .bind(t)
    .bind(vote_id)
    .bind(unit_id)
    .fetch_optional(&mut **tx)
    .await
}
