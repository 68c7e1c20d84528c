use super::*;

#[derive(sqlx::FromRow, Serialize, Debug, Clone, Default, PartialEq)]
pub struct UnitFields {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub head_name: String,
    pub head_title: String,
    /// The unit's direct managing agency, printed above its name on its documents.
    pub superior: String,
    pub place_name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Unit {
    pub id: i64,
    pub active: bool,
    #[sqlx(flatten)]
    pub f: UnitFields,
}

const UNIT_COLUMNS: &str = "id, active, code, name, short_name, kind, head_name, head_title, superior, place_name, address, phone, email";

#[derive(sqlx::FromRow)]
pub struct UnitListRow {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub active: bool,
    pub users: i64,
    /// Units that matched, on all pages.
    pub total: i64,
}

/// The unit search: $1 the tenant, $2 what was typed. A unit matches when one of its search
/// terms (every suffix of its folded text, migrations/0009_search_under_rls.sql) starts with the
/// folded query; ^@ is leakproof, so its index serves the search with row-level security in force.
const UNIT_SEARCH: &str = "un.tenant_id = $1
         AND un.id = ANY(ARRAY(SELECT t.unit_id FROM unit_search_terms t
                                WHERE t.tenant_id = $1 AND t.term ^@ search_prefix($1, $2)))";

// Two fixed texts rather than "$2 = '' OR …", so the planner can use the search index.
fn unit_filter(query: &str) -> &'static str {
    if query.is_empty() {
        "un.tenant_id = $1 AND $2 = ''"
    } else {
        UNIT_SEARCH
    }
}

/// A page of units, searched without diacritics ("lang son" finds "Lạng Sơn"), in Vietnamese
/// order, each row with the count of all that matched: the page's one statement.
pub fn units_page_sql(query: &str) -> String {
    format!(
        r#"WITH m AS MATERIALIZED (
               SELECT un.tenant_id, un.id, un.name, un.short_name, un.kind, un.active
                 FROM units un WHERE {})
           SELECT m.id, m.name, m.short_name, m.kind, m.active,
                  (SELECT count(*) FROM users u WHERE u.tenant_id = m.tenant_id AND u.unit_id = m.id) AS users,
                  (SELECT count(*) FROM m) AS total
             FROM m
            ORDER BY m.active DESC, m.name COLLATE "vi-VN-x-icu", m.id
           OFFSET $3 LIMIT $4"#,
        unit_filter(query)
    )
}

/// Page `page` (from 1) of the units matching `query`: the rows, the page shown (a page past
/// the end shows the last one), the last page and how many matched.
pub async fn search_units(
    tx: &mut TenantTx,
    query: &str,
    page: i64,
    size: i64,
) -> sqlx::Result<(Vec<UnitListRow>, Paged)> {
    let (sql, count) = (units_page_sql(query), units_count_sql(query));
    crate::db::search_page(tx, &sql, &count, query, page, size).await
}

impl crate::db::Counted for UnitListRow {
    fn total(&self) -> i64 {
        self.total
    }
}

/// How many units match `query` ($1 the tenant, $2 the query): for a page past the end.
pub fn units_count_sql(query: &str) -> String {
    format!("SELECT count(*) FROM units un WHERE {}", unit_filter(query))
}

/// Active units, for pickers.
pub async fn active_units(tx: &mut TenantTx) -> sqlx::Result<Vec<(i64, String)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT id, name FROM units WHERE tenant_id = $1 AND active ORDER BY name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn unit_kinds(tx: &mut TenantTx) -> sqlx::Result<Vec<String>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(
        r#"SELECT DISTINCT kind FROM units WHERE tenant_id = $1 AND kind <> '' ORDER BY 1"#,
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn unit(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<Unit>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "SELECT {UNIT_COLUMNS} FROM units WHERE tenant_id = $1 AND id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// [`unit`], kept in memory under the tenant's catalog version, which the database raises on
/// every change of a unit (0038): free on a page that reads.
pub async fn kept_unit(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<std::sync::Arc<Unit>>> {
    let (tenant_id, version) = (tx.tenant_id(), tx.catalog_version().await?);
    if let Some(kept) = tx.cache().get_at::<Unit>(tenant_id, id, version) {
        return Ok(Some(kept));
    }
    let Some(unit) = unit(tx, id).await? else {
        return Ok(None);
    };
    let unit = std::sync::Arc::new(unit);
    tx.cache().put_at(tenant_id, id, version, unit.clone());
    Ok(Some(unit))
}

pub async fn unit_by_code(tx: &mut TenantTx, code: &str) -> sqlx::Result<Option<Unit>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "SELECT {UNIT_COLUMNS} FROM units WHERE tenant_id = $1 AND code = $2"
    ))
    .bind(tenant_id)
    .bind(code)
    .fetch_optional(&mut **tx)
    .await
}

#[derive(sqlx::FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub full_name: String,
    pub username: String,
    pub role: String,
    pub disabled: bool,
}

pub async fn unit_staff(tx: &mut TenantTx, unit_id: i64) -> sqlx::Result<Vec<StaffRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT id, full_name, username, role, disabled FROM users
            WHERE tenant_id = $1 AND unit_id = $2
            ORDER BY role, full_name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .bind(unit_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn insert_unit(
    conn: &mut PgConnection,
    actor: &Actor,
    f: &UnitFields,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO units (tenant_id, code, name, short_name, kind, head_name, head_title, place_name,
                            address, phone, email, superior)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(&f.code)
    .bind(&f.name)
    .bind(&f.short_name)
    .bind(&f.kind)
    .bind(&f.head_name)
    .bind(&f.head_title)
    .bind(&f.place_name)
    .bind(&f.address)
    .bind(&f.phone)
    .bind(&f.email)
    .bind(&f.superior)
    .fetch_one(&mut *conn)
    .await?;
    audit::created(conn, actor, "unit", id, f).await?;
    Ok(id)
}

/// Updates a unit; returns false when nothing changed (no audit row then).
pub async fn update_unit(
    conn: &mut TenantTx,
    actor: &Actor,
    id: i64,
    f: &UnitFields,
) -> sqlx::Result<bool> {
    let Some(before) = unit(conn, id).await? else {
        return Ok(false);
    };
    if before.f == *f {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE units SET code = $3, name = $4, short_name = $5, kind = $6, head_name = $7, head_title = $8,
                          place_name = $9, address = $10, phone = $11, email = $12, superior = $13,
                          updated_at = now()
          WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(id)
    .bind(&f.code)
    .bind(&f.name)
    .bind(&f.short_name)
    .bind(&f.kind)
    .bind(&f.head_name)
    .bind(&f.head_title)
    .bind(&f.place_name)
    .bind(&f.address)
    .bind(&f.phone)
    .bind(&f.email)
    .bind(&f.superior)
    .execute(&mut **conn)
    .await?;
    audit::changed(conn, actor, ("unit", id), "updated", &before.f, f).await?;
    Ok(true)
}

pub async fn set_unit_active(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    active: bool,
) -> sqlx::Result<()> {
    let before: Option<bool> =
        sqlx::query_scalar("SELECT active FROM units WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
            .bind(actor.tenant_id)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    if before == Some(active) || before.is_none() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE units SET active = $3, updated_at = now() WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(id)
    .bind(active)
    .execute(&mut *conn)
    .await?;
    let action = if active { "reactivated" } else { "deactivated" };
    audit::record(
        conn,
        actor,
        "unit",
        &id.to_string(),
        action,
        Some(serde_json::json!({ "active": !active })),
        Some(serde_json::json!({ "active": active })),
    )
    .await
}
