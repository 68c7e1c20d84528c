//! The append-only audit trail: who changed what, when, from where, before and after.
//! Written in the same transaction as the change it records.

pub mod handlers;
pub mod store;
pub mod view;

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
        "INSERT INTO audit_log (tenant_id, actor_id, actor, ip, entity, entity_id, action, before,
             after, request_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
    .bind(crate::web::request_id::current())
    .execute(conn)
    .await?;
    Ok(())
}

fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or_default()
}

/// Records that `entity` `id` was created, with what it holds.
pub async fn created<T: serde::Serialize + ?Sized>(
    conn: &mut PgConnection,
    actor: &Actor,
    entity: &str,
    id: impl ToString,
    after: &T,
) -> sqlx::Result<()> {
    let after = Some(to_json(after));
    record(conn, actor, entity, &id.to_string(), "created", None, after).await
}

/// Records a change of `entity` `id` as the fields that differ, before and after.
pub async fn changed<T: serde::Serialize + ?Sized>(
    conn: &mut PgConnection,
    actor: &Actor,
    (entity, id): (&str, impl ToString),
    action: &str,
    before: &T,
    after: &T,
) -> sqlx::Result<()> {
    let (b, a) = diff(&to_json(before), &to_json(after));
    record(
        conn,
        actor,
        entity,
        &id.to_string(),
        action,
        Some(b),
        Some(a),
    )
    .await
}

/// The fields that differ between two JSON objects: (before, after), each holding only those.
pub fn diff(before: &Value, after: &Value) -> (Value, Value) {
    let (mut b, mut a) = (serde_json::Map::new(), serde_json::Map::new());
    if let (Some(bo), Some(ao)) = (before.as_object(), after.as_object()) {
        for (k, av) in ao {
            let bv = bo.get(k).unwrap_or(&Value::Null);
            if bv != av {
                b.insert(k.clone(), bv.clone());
                a.insert(k.clone(), av.clone());
            }
        }
        for (k, bv) in bo {
            if !ao.contains_key(k) {
                b.insert(k.clone(), bv.clone());
                a.insert(k.clone(), Value::Null);
            }
        }
    }
    (Value::Object(b), Value::Object(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_keeps_only_changed_fields() {
        let (b, a) = diff(
            &json!({"name": "Ban Thanh tra", "code": "thanhtra", "phone": ""}),
            &json!({"name": "Ban Thanh tra TANDTC", "code": "thanhtra", "phone": "024"}),
        );
        assert_eq!(b, json!({"name": "Ban Thanh tra", "phone": ""}));
        assert_eq!(a, json!({"name": "Ban Thanh tra TANDTC", "phone": "024"}));
        let (b, a) = diff(&json!({"x": 1}), &json!({"x": 1}));
        assert_eq!((b, a), (json!({}), json!({})));
    }
}
