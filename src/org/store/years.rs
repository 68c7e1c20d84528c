use super::*;
use crate::org::model::Phase;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct ClusterYear {
    pub id: i64,
    pub cluster_id: i64,
    pub cluster_name: String,
    /// The cluster's managing agency, above its name on the documents it issues.
    pub cluster_superior: String,
    pub kind: String,
    pub year: i32,
    #[sqlx(try_from = "String")]
    pub phase: Phase,
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
    /// Changed by the database on every change of this row, and so of everything
    /// `results_version` follows, and of the rows below the year (migration 0038): the key of
    /// the year and its members kept in memory (`org::year`).
    pub council_version: i64,
}

pub const YEAR_SELECT: &str =
    "SELECT y.id, y.cluster_id, c.name AS cluster_name, c.superior AS cluster_superior, c.kind, y.year, y.phase,
        y.leader_unit_id, y.deputy_unit_id, l.name AS leader_name, d.name AS deputy_name,
        y.criteria_table_id, y.scoring_deadline, y.registration_deadline, y.results_version,
        y.council_version
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

pub const COUNCIL_SET_PHASE: &str = "Hội đồng TĐKT chọn giai đoạn";
pub const LEADER_SET_PHASE: &str = "cụm trưởng chuyển sang giai đoạn tiếp theo";

/// The council sets the phase (a correction, or the demo's history).
pub async fn set_phase(
    conn: &mut PgConnection,
    actor: &Actor,
    y: &ClusterYear,
    phase: Phase,
) -> sqlx::Result<()> {
    set_phase_by(conn, actor, y, phase, COUNCIL_SET_PHASE).await
}

/// Sets the phase by hand: `note` says who (the council's correction, the leader moving on),
/// shown on the year page beside the phase the work sets (migration 0020).
pub async fn set_phase_by(
    conn: &mut PgConnection,
    actor: &Actor,
    y: &ClusterYear,
    phase: Phase,
    note: &str,
) -> sqlx::Result<()> {
    if y.phase == phase {
        return Ok(());
    }
    sqlx::query(
        "UPDATE cluster_years SET phase = $3, phase_note = $4, phase_changed_at = now()
          WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(y.id)
    .bind(phase.as_str())
    .bind(note)
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "cluster_year",
        &y.id.to_string(),
        "phase_set",
        Some(serde_json::json!({ "phase": y.phase.as_str() })),
        Some(serde_json::json!({ "phase": phase.as_str() })),
    )
    .await
}

/// What last moved the year's phase, and when (None before anything moved it).
pub async fn phase_note(
    tx: &mut TenantTx,
    year_id: i64,
) -> sqlx::Result<Option<(String, chrono::DateTime<chrono::Utc>)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT phase_note, phase_changed_at FROM cluster_years
          WHERE tenant_id = $1 AND id = $2 AND phase_changed_at IS NOT NULL",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_optional(&mut **tx)
    .await
}
