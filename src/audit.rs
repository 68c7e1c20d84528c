//! The append-only audit trail: who changed what, when, from where, before and after.
//! Written in the same transaction as the change it records.

use serde_json::Value;
use sqlx::PgConnection;

/// Who is acting: a logged-in user, or an operator at the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub tenant_id: i64,
    pub user_id: Option<i64>,
    pub label: String,
    pub ip: String,
}

impl Actor {
    pub fn cli(tenant_id: i64, what: &str) -> Actor {
        Actor {
            tenant_id,
            user_id: None,
            label: format!("dòng lệnh ({what})"),
            ip: String::new(),
        }
    }

    pub fn user(u: &crate::auth::CurrentUser) -> Actor {
        Actor {
            tenant_id: u.tenant_id,
            user_id: Some(u.user_id),
            label: u.username.clone(),
            ip: u.ip.clone(),
        }
    }
}

pub async fn record(
    conn: &mut PgConnection,
    actor: &Actor,
    entity: &str,
    entity_id: &str,
    action: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (tenant_id, actor_id, actor, ip, entity, entity_id, action, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(actor.tenant_id)
    .bind(actor.user_id)
    .bind(&actor.label)
    .bind(&actor.ip)
    .bind(entity)
    .bind(entity_id)
    .bind(action)
    .bind(before)
    .bind(after)
    .execute(conn)
    .await?;
    Ok(())
}
