use super::*;

pub async fn tenant_id_by_code(pool: &PgPool, code: &str) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT platform_tenant_id($1)")
        .bind(code)
        .fetch_one(pool)
        .await
}

/// Inserts a tenant and binds the transaction to it. Row-level security admits the new row
/// only once the transaction is bound to its id, so the id is drawn first. The caller seeds
/// what a new tenant starts with and commits.
pub async fn insert_tenant(
    tx: &mut PgConnection,
    code: &str,
    name: &str,
    place: &str,
    is_platform: bool,
) -> sqlx::Result<i64> {
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
        &mut *tx,
        &Actor::cli(id, "create-tenant"),
        "tenant",
        &id.to_string(),
        "created",
        None,
        Some(serde_json::json!({ "code": code, "name": name, "place_name": place })),
    )
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
pub struct PlatformTenant {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub users: i64,
}

pub async fn platform_tenants(conn: &mut PgConnection) -> sqlx::Result<Vec<PlatformTenant>> {
    sqlx::query_as("SELECT id, code, name, users FROM platform_tenants()")
        .fetch_all(conn)
        .await
}
