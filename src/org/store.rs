//! The SQL of tenants, units, clusters, cluster years and memberships.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;

use crate::audit::{self, Actor};
use crate::db::TenantTx;

#[derive(sqlx::FromRow, Serialize, Debug, Clone, Default, PartialEq)]
pub struct UnitFields {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub head_name: String,
    pub head_title: String,
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

const UNIT_COLUMNS: &str = "id, active, code, name, short_name, kind, head_name, head_title, place_name, address, phone, email";

#[derive(sqlx::FromRow)]
pub struct UnitListRow {
    pub id: i64,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub active: bool,
    pub users: i64,
}

/// The unit search: $1 the tenant, $2 what was typed. A unit matches when one of its search
/// terms (every suffix of its folded text, migrations/0009_search_under_rls.sql) starts with the
/// folded query; ^@ is leakproof, so its index serves the search with row-level security in force.
pub const UNIT_SEARCH: &str = "un.tenant_id = $1
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
/// order. Returns the rows and the total.
pub async fn list_units(
    tx: &mut TenantTx,
    query: &str,
    offset: i64,
    limit: i64,
) -> sqlx::Result<Vec<UnitListRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        r#"SELECT un.id, un.name, un.short_name, un.kind, un.active,
                  (SELECT count(*) FROM users u WHERE u.tenant_id = un.tenant_id AND u.unit_id = un.id) AS users
             FROM units un
            WHERE {}
            ORDER BY un.active DESC, un.name COLLATE "vi-VN-x-icu", un.id
            OFFSET $3 LIMIT $4"#,
        unit_filter(query)
    ))
    .bind(tenant_id)
    .bind(query)
    .bind(offset)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

pub async fn count_units_matching(tx: &mut TenantTx, query: &str) -> sqlx::Result<i64> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(&format!(
        "SELECT count(*) FROM units un WHERE {}",
        unit_filter(query)
    ))
    .bind(tenant_id)
    .bind(query)
    .fetch_one(&mut **tx)
    .await
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
                            address, phone, email)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
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
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "unit",
        &id.to_string(),
        "created",
        None,
        Some(json(f)),
    )
    .await?;
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
                          place_name = $9, address = $10, phone = $11, email = $12, updated_at = now()
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
    .execute(&mut **conn)
    .await?;
    let (b, a) = audit::diff(&json(&before.f), &json(f));
    audit::record(
        conn,
        actor,
        "unit",
        &id.to_string(),
        "updated",
        Some(b),
        Some(a),
    )
    .await?;
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

fn json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

// ---- clusters -------------------------------------------------------------------------------

#[derive(sqlx::FromRow, Serialize, Debug, Clone, Default, PartialEq)]
pub struct ClusterFields {
    pub name: String,
    pub kind: String,
    pub decision_number: String,
    pub decision_date: Option<NaiveDate>,
    pub decision_issuer: String,
    pub description: String,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Cluster {
    pub id: i64,
    pub archived: bool,
    #[sqlx(flatten)]
    pub f: ClusterFields,
}

const CLUSTER_COLUMNS: &str =
    "id, archived, name, kind, decision_number, decision_date, decision_issuer, description";

#[derive(sqlx::FromRow)]
pub struct ClusterListRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub archived: bool,
    pub latest_year: Option<i32>,
    pub latest_year_id: Option<i64>,
    pub members: Option<i64>,
    pub leader: Option<String>,
}

pub async fn list_clusters(tx: &mut TenantTx) -> sqlx::Result<Vec<ClusterListRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT c.id, c.name, c.kind, c.archived, y.year AS latest_year, y.id AS latest_year_id,
                  (SELECT count(*) FROM cluster_members m WHERE m.tenant_id = c.tenant_id AND m.cluster_year_id = y.id) AS members,
                  l.name AS leader
             FROM clusters c
             LEFT JOIN LATERAL (SELECT * FROM cluster_years y WHERE y.tenant_id = c.tenant_id AND y.cluster_id = c.id
                                 ORDER BY y.year DESC LIMIT 1) y ON true
             LEFT JOIN units l ON l.tenant_id = c.tenant_id AND l.id = y.leader_unit_id
            WHERE c.tenant_id = $1
            ORDER BY c.archived, c.kind, c.name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn cluster(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<Cluster>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "SELECT {CLUSTER_COLUMNS} FROM clusters WHERE tenant_id = $1 AND id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn cluster_by_name(tx: &mut TenantTx, name: &str) -> sqlx::Result<Option<Cluster>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "SELECT {CLUSTER_COLUMNS} FROM clusters WHERE tenant_id = $1 AND name = $2"
    ))
    .bind(tenant_id)
    .bind(name)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn insert_cluster(
    conn: &mut PgConnection,
    actor: &Actor,
    f: &ClusterFields,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO clusters (tenant_id, name, kind, decision_number, decision_date, decision_issuer, description)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(&f.name)
    .bind(&f.kind)
    .bind(&f.decision_number)
    .bind(f.decision_date)
    .bind(&f.decision_issuer)
    .bind(&f.description)
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "cluster",
        &id.to_string(),
        "created",
        None,
        Some(json(f)),
    )
    .await?;
    Ok(id)
}

pub async fn update_cluster(
    conn: &mut TenantTx,
    actor: &Actor,
    id: i64,
    f: &ClusterFields,
) -> sqlx::Result<bool> {
    let Some(before) = cluster(conn, id).await? else {
        return Ok(false);
    };
    if before.f == *f {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE clusters SET name = $3, kind = $4, decision_number = $5, decision_date = $6,
                             decision_issuer = $7, description = $8
          WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(id)
    .bind(&f.name)
    .bind(&f.kind)
    .bind(&f.decision_number)
    .bind(f.decision_date)
    .bind(&f.decision_issuer)
    .bind(&f.description)
    .execute(&mut **conn)
    .await?;
    let (b, a) = audit::diff(&json(&before.f), &json(f));
    audit::record(
        conn,
        actor,
        "cluster",
        &id.to_string(),
        "updated",
        Some(b),
        Some(a),
    )
    .await?;
    Ok(true)
}

pub async fn set_cluster_archived(
    conn: &mut PgConnection,
    actor: &Actor,
    id: i64,
    archived: bool,
) -> sqlx::Result<()> {
    let r = sqlx::query(
        "UPDATE clusters SET archived = $3 WHERE tenant_id = $1 AND id = $2 AND archived <> $3",
    )
    .bind(actor.tenant_id)
    .bind(id)
    .bind(archived)
    .execute(&mut *conn)
    .await?;
    if r.rows_affected() == 1 {
        audit::record(
            conn,
            actor,
            "cluster",
            &id.to_string(),
            if archived { "archived" } else { "unarchived" },
            Some(serde_json::json!({ "archived": !archived })),
            Some(serde_json::json!({ "archived": archived })),
        )
        .await?;
    }
    Ok(())
}

pub async fn cluster_has_years(tx: &mut TenantTx, cluster_id: i64) -> sqlx::Result<bool> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM cluster_years WHERE tenant_id = $1 AND cluster_id = $2)",
    )
    .bind(tenant_id)
    .bind(cluster_id)
    .fetch_one(&mut **tx)
    .await
}

// ---- cluster years ---------------------------------------------------------------------------

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct ClusterYear {
    pub id: i64,
    pub cluster_id: i64,
    pub cluster_name: String,
    pub kind: String,
    pub year: i32,
    pub phase: String,
    pub leader_unit_id: Option<i64>,
    pub deputy_unit_id: Option<i64>,
    pub leader_name: Option<String>,
    pub deputy_name: Option<String>,
    /// The table the year scores against and its deadline, read with the year so that the
    /// pages that need them do not ask again.
    pub criteria_table_id: Option<i64>,
    pub scoring_deadline: Option<chrono::NaiveDate>,
    pub registration_deadline: Option<chrono::NaiveDate>,
    /// Changed by the database on every write that could change the year's results
    /// (migration 0012): the key of the results kept in memory.
    pub results_version: i64,
}

pub const YEAR_SELECT: &str =
    "SELECT y.id, y.cluster_id, c.name AS cluster_name, c.kind, y.year, y.phase,
        y.leader_unit_id, y.deputy_unit_id, l.name AS leader_name, d.name AS deputy_name,
        y.criteria_table_id, y.scoring_deadline, y.registration_deadline, y.results_version
   FROM cluster_years y
   JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
   LEFT JOIN units l ON l.tenant_id = y.tenant_id AND l.id = y.leader_unit_id
   LEFT JOIN units d ON d.tenant_id = y.tenant_id AND d.id = y.deputy_unit_id";

pub async fn cluster_year(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<ClusterYear>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{YEAR_SELECT} WHERE y.tenant_id = $1 AND y.id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn years_of_cluster(
    tx: &mut TenantTx,
    cluster_id: i64,
) -> sqlx::Result<Vec<ClusterYear>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{YEAR_SELECT} WHERE y.tenant_id = $1 AND y.cluster_id = $2 ORDER BY y.year DESC"
    ))
    .bind(tenant_id)
    .bind(cluster_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn year_of_cluster(
    tx: &mut TenantTx,
    cluster_id: i64,
    year: i32,
) -> sqlx::Result<Option<ClusterYear>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{YEAR_SELECT} WHERE y.tenant_id = $1 AND y.cluster_id = $2 AND y.year = $3"
    ))
    .bind(tenant_id)
    .bind(cluster_id)
    .bind(year)
    .fetch_optional(&mut **tx)
    .await
}

/// Cluster years a unit belongs to, newest first: the unit's history.
pub async fn years_of_unit(tx: &mut TenantTx, unit_id: i64) -> sqlx::Result<Vec<ClusterYear>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{YEAR_SELECT} JOIN cluster_members m ON m.tenant_id = y.tenant_id AND m.cluster_year_id = y.id
          WHERE y.tenant_id = $1 AND m.unit_id = $2 ORDER BY y.year DESC, c.name"
    ))
    .bind(tenant_id)
    .bind(unit_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn insert_year(
    conn: &mut PgConnection,
    actor: &Actor,
    cluster_id: i64,
    year: i32,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cluster_years (tenant_id, cluster_id, year) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(cluster_id)
    .bind(year)
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "cluster_year",
        &id.to_string(),
        "created",
        None,
        Some(serde_json::json!({ "cluster_id": cluster_id, "year": year })),
    )
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct MemberRow {
    pub unit_id: i64,
    pub name: String,
    pub short_name: String,
    pub head_name: String,
    pub head_title: String,
    pub active: bool,
}

pub async fn members(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Vec<MemberRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT u.id AS unit_id, u.name, u.short_name, u.head_name, u.head_title, u.active
             FROM cluster_members m JOIN units u ON u.tenant_id = m.tenant_id AND u.id = m.unit_id
            WHERE m.tenant_id = $1 AND m.cluster_year_id = $2
            ORDER BY u.name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_all(&mut **tx)
    .await
}

/// The members of several years in one statement, by year id (the home page and a unit's
/// history show every year of the unit).
pub async fn members_of_years(
    tx: &mut TenantTx,
    year_ids: &[i64],
) -> sqlx::Result<HashMap<i64, Vec<MemberRow>>> {
    let tenant_id = tx.tenant_id();
    #[derive(sqlx::FromRow)]
    struct Row {
        cluster_year_id: i64,
        #[sqlx(flatten)]
        m: MemberRow,
    }
    if year_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<Row> = sqlx::query_as(
        r#"SELECT m.cluster_year_id, u.id AS unit_id, u.name, u.short_name, u.head_name,
                  u.head_title, u.active
             FROM cluster_members m JOIN units u ON u.tenant_id = m.tenant_id AND u.id = m.unit_id
            WHERE m.tenant_id = $1 AND m.cluster_year_id = ANY($2)
            ORDER BY u.name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .bind(year_ids)
    .fetch_all(&mut **tx)
    .await?;
    let mut out: HashMap<i64, Vec<MemberRow>> = HashMap::new();
    for r in rows {
        out.entry(r.cluster_year_id).or_default().push(r.m);
    }
    Ok(out)
}

/// Which cluster of this kind already holds the unit in that year, if any.
pub async fn conflicting_membership(
    tx: &mut TenantTx,
    unit_id: i64,
    kind: &str,
    year: i32,
) -> sqlx::Result<Option<(i64, String)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT y.id, c.name FROM cluster_members m
           JOIN cluster_years y ON y.tenant_id = m.tenant_id AND y.id = m.cluster_year_id
           JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
          WHERE m.tenant_id = $1 AND m.unit_id = $2 AND m.kind = $3 AND m.year = $4",
    )
    .bind(tenant_id)
    .bind(unit_id)
    .bind(kind)
    .bind(year)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn add_member(
    conn: &mut PgConnection,
    actor: &Actor,
    y: &ClusterYear,
    unit_id: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO cluster_members (tenant_id, cluster_year_id, unit_id, kind, year) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(actor.tenant_id)
    .bind(y.id)
    .bind(unit_id)
    .bind(&y.kind)
    .bind(y.year)
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "cluster_year",
        &y.id.to_string(),
        "member_added",
        None,
        Some(serde_json::json!({ "unit_id": unit_id })),
    )
    .await
}

pub async fn remove_member(
    conn: &mut PgConnection,
    actor: &Actor,
    year_id: i64,
    unit_id: i64,
) -> sqlx::Result<bool> {
    let r = sqlx::query("DELETE FROM cluster_members WHERE tenant_id = $1 AND cluster_year_id = $2 AND unit_id = $3")
        .bind(actor.tenant_id)
        .bind(year_id)
        .bind(unit_id)
        .execute(&mut *conn)
        .await?;
    if r.rows_affected() == 1 {
        audit::record(
            conn,
            actor,
            "cluster_year",
            &year_id.to_string(),
            "member_removed",
            Some(serde_json::json!({ "unit_id": unit_id })),
            None,
        )
        .await?;
    }
    Ok(r.rows_affected() == 1)
}

pub async fn set_roles(
    conn: &mut PgConnection,
    actor: &Actor,
    y: &ClusterYear,
    leader: Option<i64>,
    deputy: Option<i64>,
) -> sqlx::Result<()> {
    if (y.leader_unit_id, y.deputy_unit_id) == (leader, deputy) {
        return Ok(());
    }
    sqlx::query("UPDATE cluster_years SET leader_unit_id = $3, deputy_unit_id = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(actor.tenant_id)
        .bind(y.id)
        .bind(leader)
        .bind(deputy)
        .execute(&mut *conn)
        .await?;
    audit::record(
        conn,
        actor,
        "cluster_year",
        &y.id.to_string(),
        "roles_set",
        Some(serde_json::json!({ "leader_unit_id": y.leader_unit_id, "deputy_unit_id": y.deputy_unit_id })),
        Some(serde_json::json!({ "leader_unit_id": leader, "deputy_unit_id": deputy })),
    )
    .await
}

pub async fn set_phase(
    conn: &mut PgConnection,
    actor: &Actor,
    y: &ClusterYear,
    phase: &str,
) -> sqlx::Result<()> {
    if y.phase == phase {
        return Ok(());
    }
    sqlx::query("UPDATE cluster_years SET phase = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(actor.tenant_id)
        .bind(y.id)
        .bind(phase)
        .execute(&mut *conn)
        .await?;
    audit::record(
        conn,
        actor,
        "cluster_year",
        &y.id.to_string(),
        "phase_set",
        Some(serde_json::json!({ "phase": y.phase })),
        Some(serde_json::json!({ "phase": phase })),
    )
    .await
}

// ---- tenants ---------------------------------------------------------------------------------

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

/// Active units, enabled accounts and clusters: the council's home page figures.
pub async fn counts(tx: &mut TenantTx) -> sqlx::Result<(i64, i64, i64)> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM units WHERE tenant_id = $1 AND active),
                (SELECT count(*) FROM users WHERE tenant_id = $1 AND NOT disabled),
                (SELECT count(*) FROM clusters WHERE tenant_id = $1)",
    )
    .bind(tenant_id)
    .fetch_one(&mut **tx)
    .await
}
