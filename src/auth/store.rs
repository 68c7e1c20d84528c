//! The SQL of accounts and sessions.

use crate::db::TenantTx;
use sqlx::{PgConnection, PgPool};

use crate::audit::{self, Actor};
use crate::auth::Role;

/// Which tenant and user a username belongs to; the only look-up across tenants at login.
pub async fn find_login(pool: &PgPool, username: &str) -> sqlx::Result<Option<(i64, i64)>> {
    sqlx::query_as("SELECT tenant_id, user_id FROM auth_find_login($1)")
        .bind(username)
        .fetch_optional(pool)
        .await
}

#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub password_hash: String,
    pub disabled: bool,
    pub must_change_password: bool,
}

pub async fn credentials(
    conn: &mut PgConnection,
    tenant_id: i64,
    user_id: i64,
) -> sqlx::Result<Option<Credentials>> {
    sqlx::query_as(
        "SELECT password_hash, disabled, must_change_password FROM users WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await
}

/// What `app_open_request` returns for a live session.
#[derive(sqlx::FromRow)]
pub struct OpenedSession {
    pub tenant_id: i64,
    pub user_id: i64,
    pub csrf_token: String,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub must_change_password: bool,
    pub tenant_name: String,
    pub unread_notifications: i64,
    pub catalog_version: i64,
    /// The session must be touched or ended first (see `session::open`).
    pub needs_write: bool,
}

pub struct NewSession<'a> {
    pub tenant_id: i64,
    pub user_id: i64,
    pub token_hash: &'a [u8],
    pub csrf_token: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// Opens a session and ends the user's oldest ones beyond `max_per_user`, so a stolen or
/// forgotten session cannot pile up without end.
pub async fn insert_session(
    conn: &mut PgConnection,
    s: &NewSession<'_>,
    max_per_user: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, tenant_id, user_id, csrf_token, ip, user_agent)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(s.token_hash)
    .bind(s.tenant_id)
    .bind(s.user_id)
    .bind(s.csrf_token)
    .bind(s.ip)
    .bind(s.user_agent)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2 AND id = ANY(ARRAY(
            SELECT id FROM sessions WHERE tenant_id = $1 AND user_id = $2
             ORDER BY created_at DESC, id DESC OFFSET $3))",
    )
    .bind(s.tenant_id)
    .bind(s.user_id)
    .bind(max_per_user.max(1))
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub struct SessionRow {
    pub id: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    pub ip: String,
    pub user_agent: String,
    pub current: bool,
}

/// A user's sessions, newest first; `current` marks the one asking.
pub async fn list_sessions(
    tx: &mut TenantTx,
    user_id: i64,
    current: &[u8],
) -> sqlx::Result<Vec<SessionRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT id, created_at, last_seen_at, ip, user_agent, token_hash = $3 AS current
           FROM sessions WHERE tenant_id = $1 AND user_id = $2
          ORDER BY created_at DESC, id DESC",
    )
    .bind(tenant_id)
    .bind(user_id)
    .bind(current)
    .fetch_all(&mut **tx)
    .await
}

/// Ends one of the user's own sessions by its id: None when there is no such session of
/// theirs, otherwise whether it was `current` (the one asking).
pub async fn delete_session_by_id(
    tx: &mut TenantTx,
    user_id: i64,
    id: i64,
    current: &[u8],
) -> sqlx::Result<Option<bool>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(
        "DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2 AND id = $3
         RETURNING token_hash = $4",
    )
    .bind(tenant_id)
    .bind(user_id)
    .bind(id)
    .bind(current)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn delete_session(tx: &mut TenantTx, token_hash: &[u8]) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND token_hash = $2")
        .bind(tenant_id)
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ends the session with this token hash in whichever tenant it lives: the browser that brought
/// it to a login holds its cookie (migrations/0016).
pub async fn end_presented_session(conn: &mut PgConnection, token_hash: &[u8]) -> sqlx::Result<()> {
    sqlx::query("SELECT auth_end_session($1)")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user, optionally keeping one (the one that asked).
pub async fn delete_user_sessions(
    tx: &mut TenantTx,
    user_id: i64,
    keep: Option<&[u8]>,
) -> sqlx::Result<u64> {
    let tenant_id = tx.tenant_id();
    let r = sqlx::query(
        "DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2
            AND ($3::bytea IS NULL OR token_hash <> $3)",
    )
    .bind(tenant_id)
    .bind(user_id)
    .bind(keep)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected())
}

pub async fn set_password(
    conn: &mut PgConnection,
    actor: &Actor,
    user_id: i64,
    hash: &str,
    must_change: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $3, must_change_password = $4, password_changed_at = now()
          WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(user_id)
    .bind(hash)
    .bind(must_change)
    .execute(&mut *conn)
    .await?;
    let action = if must_change {
        "password_reset"
    } else {
        "password_changed"
    };
    audit::record(
        conn,
        actor,
        "user",
        &user_id.to_string(),
        action,
        None,
        None,
    )
    .await
}

pub async fn set_disabled(
    tx: &mut TenantTx,
    actor: &Actor,
    user_id: i64,
    disabled: bool,
) -> sqlx::Result<bool> {
    let before: Option<bool> = sqlx::query_scalar(
        "SELECT disabled FROM users WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
    )
    .bind(actor.tenant_id)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(before) = before else {
        return Ok(false);
    };
    sqlx::query("UPDATE users SET disabled = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(actor.tenant_id)
        .bind(user_id)
        .bind(disabled)
        .execute(&mut **tx)
        .await?;
    if disabled {
        delete_user_sessions(tx, user_id, None).await?;
    }
    audit::record(
        tx,
        actor,
        "user",
        &user_id.to_string(),
        if disabled { "disabled" } else { "enabled" },
        Some(serde_json::json!({ "disabled": before })),
        Some(serde_json::json!({ "disabled": disabled })),
    )
    .await?;
    Ok(true)
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub password_hash: &'a str,
    pub must_change_password: bool,
}

pub async fn insert_user(
    conn: &mut PgConnection,
    actor: &Actor,
    u: &NewUser<'_>,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (tenant_id, username, full_name, role, unit_id, password_hash, must_change_password)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(u.username)
    .bind(u.full_name)
    .bind(u.role.as_str())
    .bind(u.unit_id)
    .bind(u.password_hash)
    .bind(u.must_change_password)
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "user",
        &id.to_string(),
        "created",
        None,
        Some(serde_json::json!({
            "username": u.username, "full_name": u.full_name,
            "role": u.role.as_str(), "unit_id": u.unit_id,
        })),
    )
    .await?;
    Ok(id)
}

pub async fn username_taken(conn: &mut PgConnection, username: &str) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT auth_username_taken($1)")
        .bind(username)
        .fetch_one(conn)
        .await
}

pub async fn user_id_by_username(tx: &mut TenantTx, username: &str) -> sqlx::Result<Option<i64>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar("SELECT id FROM users WHERE tenant_id = $1 AND username = $2")
        .bind(tenant_id)
        .bind(username)
        .fetch_optional(&mut **tx)
        .await
}

#[derive(sqlx::FromRow)]
pub struct UserListRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub disabled: bool,
    pub must_change_password: bool,
    /// Users that matched, on all pages (the search's rows only; 0 elsewhere).
    #[sqlx(default)]
    pub total: i64,
}

/// The user search: $1 the tenant, $2 what was typed. A user matches by name or username, or
/// through the unit they belong to: one of the user's or the unit's search terms (every suffix of
/// the folded text, migrations/0009_search_under_rls.sql) starts with the folded query. ^@ is
/// leakproof, so the terms' indexes serve the search with row-level security in force.
const USER_SEARCH: &str = "u.tenant_id = $1
         AND (u.id = ANY(ARRAY(SELECT t.user_id FROM user_search_terms t
                                WHERE t.tenant_id = $1 AND t.term ^@ search_prefix($1, $2)))
              OR u.unit_id = ANY(ARRAY(SELECT t.unit_id FROM unit_search_terms t
                                        WHERE t.tenant_id = $1 AND t.term ^@ search_prefix($1, $2))))";

// Two fixed texts rather than "$2 = '' OR …", and "= ANY(ARRAY(…))" rather than "IN (…)",
// so the planner can combine the user and unit indexes.
fn user_filter(query: &str) -> &'static str {
    if query.is_empty() {
        "u.tenant_id = $1 AND $2 = ''"
    } else {
        USER_SEARCH
    }
}

/// A page of the tenant's users, searched without diacritics, each row with the count of all
/// that matched: the page's one statement.
pub fn users_page_sql(query: &str) -> String {
    format!(
        r#"WITH m AS MATERIALIZED (
               SELECT u.id, u.username, u.full_name, u.role, u.unit_id, un.name AS unit_name,
                      u.disabled, u.must_change_password
                 FROM users u LEFT JOIN units un ON un.tenant_id = u.tenant_id AND un.id = u.unit_id
                WHERE {})
           SELECT m.*, (SELECT count(*) FROM m) AS total
             FROM m
            ORDER BY m.unit_name COLLATE "vi-VN-x-icu" NULLS FIRST, m.role,
                     m.full_name COLLATE "vi-VN-x-icu", m.id
           OFFSET $3 LIMIT $4"#,
        user_filter(query)
    )
}

/// Page `page` (from 1) of the users matching `query`: the rows, the page shown (a page past
/// the end shows the last one), the last page and how many matched.
pub async fn search_users(
    tx: &mut TenantTx,
    query: &str,
    page: i64,
    size: i64,
) -> sqlx::Result<(Vec<UserListRow>, crate::web::paging::Paged)> {
    crate::db::search_page(
        tx,
        &users_page_sql(query),
        &count_users_sql(query),
        query,
        page,
        size,
    )
    .await
}

impl crate::db::Counted for UserListRow {
    fn total(&self) -> i64 {
        self.total
    }
}

/// How many users match `query` ($1 the tenant, $2 the query): for a page past the end.
pub fn count_users_sql(query: &str) -> String {
    format!(
        "SELECT count(*) FROM users u LEFT JOIN units un ON un.tenant_id = u.tenant_id AND un.id = u.unit_id
          WHERE {}",
        user_filter(query)
    )
}

pub async fn user_row(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<UserListRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT u.id, u.username, u.full_name, u.role, u.unit_id, un.name AS unit_name, u.disabled,
                u.must_change_password
           FROM users u LEFT JOIN units un ON un.tenant_id = u.tenant_id AND un.id = u.unit_id
          WHERE u.tenant_id = $1 AND u.id = $2",
    )
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}
