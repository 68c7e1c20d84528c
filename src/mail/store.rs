//! SQL of the mail room inside one tenant: a user's settings, the admin page's counts and
//! failures, and sending a failed message again.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::db::TenantTx;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, PartialEq)]
pub struct Account {
    pub email: Option<String>,
    pub mail_mode: String,
}

pub async fn account(tx: &mut TenantTx, user_id: i64) -> sqlx::Result<Option<Account>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as("SELECT email, mail_mode FROM users WHERE tenant_id = $1 AND id = $2")
        .bind(tenant_id)
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await
}

/// Saves a user's own address and choice; audited when anything changed.
pub async fn set_account(
    tx: &mut TenantTx,
    actor: &Actor,
    user_id: i64,
    after: &Account,
) -> sqlx::Result<()> {
    let Some(before) = account(tx, user_id).await? else {
        return Ok(());
    };
    if before == *after {
        return Ok(());
    }
    let tenant_id = tx.tenant_id();
    sqlx::query("UPDATE users SET email = $3, mail_mode = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant_id)
        .bind(user_id)
        .bind(&after.email)
        .bind(&after.mail_mode)
        .execute(&mut **tx)
        .await?;
    audit::changed(
        tx,
        actor,
        ("user", user_id),
        "mail_settings",
        &before,
        after,
    )
    .await
}

#[derive(Debug, Default, sqlx::FromRow)]
pub struct Counts {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

pub async fn counts(tx: &mut TenantTx) -> sqlx::Result<Counts> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT count(*) FILTER (WHERE status = 'queued') AS queued,
                count(*) FILTER (WHERE status = 'sent') AS sent,
                count(*) FILTER (WHERE status = 'failed') AS failed
           FROM mail_outbox WHERE tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_one(&mut **tx)
    .await
}

#[derive(Debug, sqlx::FromRow)]
pub struct Failure {
    pub id: i64,
    pub to_name: String,
    pub to_addr: String,
    pub subject: String,
    pub attempts: i32,
    pub last_error: String,
    pub created_at: DateTime<Utc>,
}

/// The failed messages, newest first; the page shows at most `limit`.
pub async fn failures(tx: &mut TenantTx, limit: i64) -> sqlx::Result<Vec<Failure>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT id, to_name, to_addr, subject, attempts, last_error, created_at
           FROM mail_outbox WHERE tenant_id = $1 AND status = 'failed' ORDER BY id DESC LIMIT $2",
    )
    .bind(tenant_id)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

/// Queues a failed message again with a fresh count of attempts. False when the id is not a
/// failed message of this tenant.
pub async fn resend(tx: &mut TenantTx, actor: &Actor, id: i64) -> sqlx::Result<bool> {
    let tenant_id = tx.tenant_id();
    let row: Option<(String, i32)> = sqlx::query_as(
        "UPDATE mail_outbox o
            SET status = 'queued', attempts = 0, next_attempt_at = now(), claimed_until = NULL,
                claim_token = NULL
          WHERE o.tenant_id = $2 AND o.id = $1 AND o.status = 'failed'
         RETURNING o.to_addr, (SELECT p.attempts FROM mail_outbox p
                                WHERE p.tenant_id = o.tenant_id AND p.id = o.id)",
    )
    .bind(id)
    .bind(tenant_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((to, attempts)) = row else {
        return Ok(false);
    };
    audit::record(
        tx,
        actor,
        "mail",
        &id.to_string(),
        "resend",
        Some(serde_json::json!({"status": "failed", "attempts": attempts, "to": to})),
        Some(serde_json::json!({"status": "queued", "attempts": 0})),
    )
    .await?;
    Ok(true)
}
