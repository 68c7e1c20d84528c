//! The SQL of tenants and units.

use sqlx::{PgConnection, PgPool};

use crate::audit::{self, Actor};

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub active: bool,
}

#[derive(sqlx::FromRow)]
pub struct UnitListRow {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub active: bool,
    pub users: i64,
}

pub async fn list_units(conn: &mut PgConnection, tenant_id: i64) -> sqlx::Result<Vec<UnitListRow>> {
    sqlx::query_as(
        r#"SELECT un.id, un.name, un.short_name, un.active,
                  (SELECT count(*) FROM users u WHERE u.tenant_id = un.tenant_id AND u.unit_id = un.id) AS users
             FROM units un WHERE un.tenant_id = $1
            ORDER BY un.name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .fetch_all(conn)
    .await
}

pub async fn unit(conn: &mut PgConnection, tenant_id: i64, id: i64) -> sqlx::Result<Option<Unit>> {
    sqlx::query_as(
        "SELECT id, code, name, short_name, active FROM units WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn unit_by_code(
    conn: &mut PgConnection,
    tenant_id: i64,
    code: &str,
) -> sqlx::Result<Option<Unit>> {
    sqlx::query_as(
        "SELECT id, code, name, short_name, active FROM units WHERE tenant_id = $1 AND code = $2",
    )
    .bind(tenant_id)
    .bind(code)
    .fetch_optional(conn)
    .await
}

#[derive(sqlx::FromRow)]
pub struct StaffRow {
    pub full_name: String,
    pub username: String,
    pub role: String,
    pub disabled: bool,
}

pub async fn unit_staff(
    conn: &mut PgConnection,
    tenant_id: i64,
    unit_id: i64,
) -> sqlx::Result<Vec<StaffRow>> {
    sqlx::query_as(
        r#"SELECT full_name, username, role, disabled FROM users
            WHERE tenant_id = $1 AND unit_id = $2
            ORDER BY role, full_name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .bind(unit_id)
    .fetch_all(conn)
    .await
}

pub async fn insert_unit(
    conn: &mut PgConnection,
    actor: &Actor,
    code: &str,
    name: &str,
    short_name: &str,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO units (tenant_id, code, name, short_name) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(code)
    .bind(name)
    .bind(short_name)
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "unit",
        &id.to_string(),
        "created",
        None,
        Some(serde_json::json!({ "code": code, "name": name, "short_name": short_name })),
    )
    .await?;
    Ok(id)
}

pub async fn tenant_id_by_code(pool: &PgPool, code: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT platform_tenant_id($1)")
        .bind(code)
        .fetch_one(pool)
        .await
}

/// Creates a tenant. Row-level security admits the new row only once the transaction is
/// bound to its id, so the id is drawn first.
pub async fn insert_tenant(
    pool: &PgPool,
    code: &str,
    name: &str,
    place: &str,
    is_platform: bool,
) -> sqlx::Result<i64> {
    let mut tx = pool.begin().await?;
    let id: i64 = sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('tenants', 'id'))")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO tenants (id, code, name, place_name, is_platform) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(code)
    .bind(name)
    .bind(place)
    .bind(is_platform)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        &Actor::cli(id, "create-tenant"),
        "tenant",
        &id.to_string(),
        "created",
        None,
        Some(serde_json::json!({ "code": code, "name": name, "place_name": place })),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
pub struct PlatformTenant {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub users: i64,
}

pub async fn platform_tenants(pool: &PgPool) -> sqlx::Result<Vec<PlatformTenant>> {
    sqlx::query_as("SELECT id, code, name, users FROM platform_tenants()")
        .fetch_all(pool)
        .await
}

pub async fn count_units(conn: &mut PgConnection, tenant_id: i64) -> sqlx::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM units WHERE tenant_id = $1 AND active),
                (SELECT count(*) FROM users WHERE tenant_id = $1 AND NOT disabled)",
    )
    .bind(tenant_id)
    .fetch_one(conn)
    .await
}
