use super::*;

#[derive(sqlx::FromRow, Serialize, Debug, Clone, Default, PartialEq)]
pub struct ClusterFields {
    pub name: String,
    pub kind: String,
    pub decision_number: String,
    pub decision_date: Option<NaiveDate>,
    pub decision_issuer: String,
    pub description: String,
    /// The cluster's direct managing agency, printed above its name on its documents.
    pub superior: String,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Cluster {
    pub id: i64,
    pub archived: bool,
    #[sqlx(flatten)]
    pub f: ClusterFields,
}

const CLUSTER_COLUMNS: &str = "id, archived, name, kind, decision_number, decision_date, decision_issuer, description, superior";

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
        "INSERT INTO clusters (tenant_id, name, kind, decision_number, decision_date, decision_issuer, description,
                               superior)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(&f.name)
    .bind(&f.kind)
    .bind(&f.decision_number)
    .bind(f.decision_date)
    .bind(&f.decision_issuer)
    .bind(&f.description)
    .bind(&f.superior)
    .fetch_one(&mut *conn)
    .await?;
    audit::created(conn, actor, "cluster", id, f).await?;
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
                             decision_issuer = $7, description = $8, superior = $9
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
    .bind(&f.superior)
    .execute(&mut **conn)
    .await?;
    audit::changed(conn, actor, ("cluster", id), "updated", &before.f, f).await?;
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
