//! The SQL of the secret ballot (migration 0010): the counting committee's seats, the election
//! key, encrypted ballots, decryption shares, the decrypted totals and written opinions.

use super::store::audit_vote;
use crate::audit::Actor;
use crate::db::TenantTx;

mod ballots;

pub use ballots::*;

#[derive(sqlx::FromRow, serde::Deserialize, Debug, Clone)]
pub struct Seat {
    pub seat: i16,
    pub user_id: i64,
    pub full_name: String,
    pub unit_id: Option<i64>,
    pub salt: Option<String>,
    pub public_point: Option<String>,
    pub sealed: bool,
    pub downloaded: bool,
    pub decrypted: bool,
}

pub async fn seats(tx: &mut TenantTx, vote_id: i64) -> sqlx::Result<Vec<Seat>> {
    let t = tx.tenant_id();
    sqlx::query_as(
        "SELECT s.seat, s.user_id, u.full_name, u.unit_id, s.salt, s.public_point,
                s.sealed_share IS NOT NULL AS sealed, s.downloaded,
                EXISTS (SELECT 1 FROM vote_decryptions d WHERE d.tenant_id = s.tenant_id
                          AND d.vote_id = s.vote_id AND d.seat = s.seat) AS decrypted
           FROM vote_committee s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
          WHERE s.tenant_id = $1 AND s.vote_id = $2 ORDER BY s.seat",
    )
    .bind(t)
    .bind(vote_id)
    .fetch_all(&mut **tx)
    .await
}

/// Replaces the committee of a draft vote with `users` (seats 1…n, in order) and its threshold.
pub async fn set_committee(
    tx: &mut TenantTx,
    actor: &Actor,
    vote_id: i64,
    users: &[i64],
    threshold: i16,
    quota_per_ballot: bool,
) -> sqlx::Result<()> {
    let t = tx.tenant_id();
    sqlx::query("DELETE FROM vote_committee WHERE tenant_id = $1 AND vote_id = $2")
        .bind(t)
        .bind(vote_id)
        .execute(&mut **tx)
        .await?;
    for (i, u) in users.iter().enumerate() {
        sqlx::query(
            "INSERT INTO vote_committee (tenant_id, vote_id, seat, user_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(t)
        .bind(vote_id)
        .bind(i as i16 + 1)
        .bind(u)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "UPDATE votes SET committee_threshold = $3, quota_per_ballot = $4 WHERE tenant_id = $1 AND id = $2",
    )
        .bind(t)
        .bind(vote_id)
        .bind(threshold)
        .bind(quota_per_ballot)
        .execute(&mut **tx)
        .await?;
    audit_vote(tx, actor, vote_id, "committee_set",
        None,
        Some(serde_json::json!({ "users": users, "threshold": threshold, "quota_per_ballot": quota_per_ballot })),
    )
    .await
}

/// Keeps a seat's passphrase salt and public point (never the passphrase).
pub async fn register_passphrase(
    tx: &mut TenantTx,
    actor: &Actor,
    vote_id: i64,
    seat: i16,
    salt: &str,
    public_point: &str,
) -> sqlx::Result<()> {
    let t = tx.tenant_id();
    sqlx::query(
        "UPDATE vote_committee SET salt = $4, public_point = $5
          WHERE tenant_id = $1 AND vote_id = $2 AND seat = $3",
    )
    .bind(t)
    .bind(vote_id)
    .bind(seat)
    .bind(salt)
    .bind(public_point)
    .execute(&mut **tx)
    .await?;
    audit_vote(
        tx,
        actor,
        vote_id,
        "committee_passphrase_set",
        None,
        Some(serde_json::json!({ "seat": seat })),
    )
    .await
}

pub async fn store_sealed(
    tx: &mut TenantTx,
    vote_id: i64,
    seat: i16,
    sealed: &serde_json::Value,
) -> sqlx::Result<()> {
    let t = tx.tenant_id();
    sqlx::query(
        "UPDATE vote_committee SET sealed_share = $4 WHERE tenant_id = $1 AND vote_id = $2 AND seat = $3",
    )
    .bind(t)
    .bind(vote_id)
    .bind(seat)
    .bind(sealed)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Takes a seat's sealed share out of the database (the member's one download).
pub async fn take_sealed(
    tx: &mut TenantTx,
    actor: &Actor,
    vote_id: i64,
    seat: i16,
) -> sqlx::Result<Option<serde_json::Value>> {
    let t = tx.tenant_id();
    let sealed: Option<Option<serde_json::Value>> = sqlx::query_scalar(
        "UPDATE vote_committee s SET sealed_share = NULL, downloaded = true
           FROM vote_committee old
          WHERE s.tenant_id = $1 AND s.vote_id = $2 AND s.seat = $3
            AND old.tenant_id = s.tenant_id AND old.vote_id = s.vote_id AND old.seat = s.seat
            AND old.sealed_share IS NOT NULL
         RETURNING old.sealed_share",
    )
    .bind(t)
    .bind(vote_id)
    .bind(seat)
    .fetch_optional(&mut **tx)
    .await?;
    if sealed.is_some() {
        audit_vote(
            tx,
            actor,
            vote_id,
            "committee_share_downloaded",
            None,
            Some(serde_json::json!({ "seat": seat })),
        )
        .await?;
    }
    Ok(sealed.flatten())
}

pub async fn insert_key(
    tx: &mut TenantTx,
    vote_id: i64,
    key_set: &serde_json::Value,
    spec: &serde_json::Value,
) -> sqlx::Result<()> {
    let t = tx.tenant_id();
    sqlx::query(
        "INSERT INTO vote_keys (tenant_id, vote_id, key_set, spec) VALUES ($1, $2, $3, $4)",
    )
    .bind(t)
    .bind(vote_id)
    .bind(key_set)
    .bind(spec)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn key(
    tx: &mut TenantTx,
    vote_id: i64,
) -> sqlx::Result<Option<(serde_json::Value, serde_json::Value)>> {
    let t = tx.tenant_id();
    sqlx::query_as("SELECT key_set, spec FROM vote_keys WHERE tenant_id = $1 AND vote_id = $2")
        .bind(t)
        .bind(vote_id)
        .fetch_optional(&mut **tx)
        .await
}

/// Who may sit on the committee: the active staff (heads and officers) of the year's members,
/// as (user, "name — unit").
pub async fn eligible_users(
    tx: &mut TenantTx,
    members: &[crate::org::store::MemberRow],
) -> sqlx::Result<Vec<(i64, String)>> {
    let t = tx.tenant_id();
    let units: Vec<i64> = members.iter().map(|m| m.unit_id).collect();
    sqlx::query_as(
        r#"SELECT u.id, u.full_name || ' — ' || n.name FROM users u
             JOIN units n ON n.tenant_id = u.tenant_id AND n.id = u.unit_id
            WHERE u.tenant_id = $1 AND u.unit_id = ANY($2) AND NOT u.disabled
            ORDER BY n.name COLLATE "vi-VN-x-icu", u.full_name COLLATE "vi-VN-x-icu""#,
    )
    .bind(t)
    .bind(&units)
    .fetch_all(&mut **tx)
    .await
}
