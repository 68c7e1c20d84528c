//! The year context every year page starts from: the cluster year, its members and what the
//! user's unit is in it, loaded in one statement.

use std::collections::HashMap;

use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::model::{self, YearRole};
use crate::org::store::{ClusterYear, MemberRow, YEAR_SELECT};

/// A cluster year with its members and what the user's unit is in it.
pub struct YearCtx {
    pub y: ClusterYear,
    pub members: Vec<MemberRow>,
    pub role: Option<YearRole>,
}

impl YearCtx {
    pub fn member_ids(&self) -> Vec<i64> {
        self.members.iter().map(|m| m.unit_id).collect()
    }

    pub fn is_member(&self, unit_id: i64) -> bool {
        self.members.iter().any(|m| m.unit_id == unit_id)
    }

    pub fn member(&self, unit_id: i64) -> Option<&MemberRow> {
        self.members.iter().find(|m| m.unit_id == unit_id)
    }

    /// What a unit other than the user's is in this year.
    pub fn role_of(&self, unit_id: i64) -> Option<YearRole> {
        model::year_role(
            Some(unit_id),
            self.y.leader_unit_id,
            self.y.deputy_unit_id,
            &self.member_ids(),
        )
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(flatten)]
    y: ClusterYear,
    m_unit_id: Option<i64>,
    m_name: Option<String>,
    m_short_name: Option<String>,
    m_head_name: Option<String>,
    m_head_title: Option<String>,
    m_active: Option<bool>,
}

impl Row {
    fn member(self) -> Option<MemberRow> {
        Some(MemberRow {
            unit_id: self.m_unit_id?,
            name: self.m_name.unwrap_or_default(),
            short_name: self.m_short_name.unwrap_or_default(),
            head_name: self.m_head_name.unwrap_or_default(),
            head_title: self.m_head_title.unwrap_or_default(),
            active: self.m_active.unwrap_or_default(),
        })
    }
}

/// A year and its members as kept in memory (`db::Cache`), under the year's council version
/// (migration 0038: raised by any change of the year's row, and so of its members, sheets and
/// phase) and the tenant's catalog version (the units' and the cluster's names). Every year
/// page starts from it: reading the two versions costs PostgreSQL about a quarter of reading the
/// year with its members and their names (pgbench on the demo, see the README).
struct KeptYear {
    catalog_version: i64,
    y: ClusterYear,
    members: Vec<MemberRow>,
}

#[derive(sqlx::FromRow)]
struct Versions {
    council_version: i64,
    catalog_version: i64,
}

/// The year and its members, without asking who may see them: from memory when neither
/// version has moved since they were read (one small statement), else from the database (one
/// statement, which also reads the versions it is kept under).
pub async fn load_unchecked(
    tx: &mut TenantTx,
    id: i64,
) -> sqlx::Result<Option<(ClusterYear, Vec<MemberRow>)>> {
    let tenant_id = tx.tenant_id();
    if let Some((council, kept)) = tx.cache().latest::<KeptYear>(tenant_id, id) {
        let now: Option<Versions> = sqlx::query_as(
            "SELECT y.council_version,
                    COALESCE((SELECT c.version FROM catalog_versions c WHERE c.tenant_id = $1), 0)
                      AS catalog_version
               FROM cluster_years y WHERE y.tenant_id = $1 AND y.id = $2",
        )
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some(now) = now else {
            return Ok(None);
        };
        if now.council_version == council && now.catalog_version == kept.catalog_version {
            return Ok(Some((kept.y.clone(), kept.members.clone())));
        }
    }
    let rows: Vec<VersionedRow> = sqlx::query_as(&format!(
        r#"SELECT x.*, m.unit_id AS m_unit_id, mu.name AS m_name, mu.short_name AS m_short_name,
                  mu.head_name AS m_head_name, mu.head_title AS m_head_title,
                  mu.active AS m_active,
                  COALESCE((SELECT c.version FROM catalog_versions c WHERE c.tenant_id = $1), 0)
                    AS catalog_version
             FROM ({YEAR_SELECT} WHERE y.tenant_id = $1 AND y.id = $2) x
             LEFT JOIN cluster_members m ON m.tenant_id = $1 AND m.cluster_year_id = x.id
             LEFT JOIN units mu ON mu.tenant_id = m.tenant_id AND mu.id = m.unit_id
            ORDER BY mu.name COLLATE "vi-VN-x-icu""#
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let (y, catalog_version) = (first.row.y.clone(), first.catalog_version);
    // A year without members gives one row with no member in it.
    let members: Vec<MemberRow> = rows.into_iter().filter_map(|r| r.row.member()).collect();
    let kept = KeptYear {
        catalog_version,
        y: y.clone(),
        members: members.clone(),
    };
    tx.cache()
        .put_at(tenant_id, id, y.council_version, std::sync::Arc::new(kept));
    Ok(Some((y, members)))
}

#[derive(sqlx::FromRow)]
struct VersionedRow {
    #[sqlx(flatten)]
    row: Row,
    catalog_version: i64,
}

/// That a unit's years have been read into memory once: from then on its pages read the years'
/// versions first, and the years themselves only when one has moved.
struct UnitYearsSeen;

/// The years a unit is a member of, newest first, with each year's members, for the unit's
/// home page and its history: from memory (`KeptYear`, as for a year page) when every one of
/// them is kept at the versions the database has now, with one small statement; else in one
/// statement that keeps them all.
pub async fn of_unit(
    tx: &mut TenantTx,
    unit_id: i64,
) -> sqlx::Result<(Vec<ClusterYear>, HashMap<i64, Vec<MemberRow>>)> {
    let tenant_id = tx.tenant_id();
    if tx
        .cache()
        .get::<UnitYearsSeen>(tenant_id, unit_id)
        .is_some()
    {
        let now: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT y.id, y.council_version,
                    COALESCE((SELECT v.version FROM catalog_versions v WHERE v.tenant_id = $1), 0)
               FROM cluster_members me
               JOIN cluster_years y ON y.tenant_id = me.tenant_id AND y.id = me.cluster_year_id
               JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
              WHERE me.tenant_id = $1 AND me.unit_id = $2
              ORDER BY y.year DESC, c.name, y.id",
        )
        .bind(tenant_id)
        .bind(unit_id)
        .fetch_all(&mut **tx)
        .await?;
        let kept: Option<Vec<std::sync::Arc<KeptYear>>> = now
            .iter()
            .map(|&(id, council, catalog)| {
                let (version, kept) = tx.cache().latest::<KeptYear>(tenant_id, id)?;
                (version == council && kept.catalog_version == catalog).then_some(kept)
            })
            .collect();
        if let Some(kept) = kept {
            let years = kept.iter().map(|k| k.y.clone()).collect();
            let members = kept.iter().map(|k| (k.y.id, k.members.clone())).collect();
            return Ok((years, members));
        }
    }
    let rows: Vec<VersionedRow> = sqlx::query_as(&format!(
        r#"SELECT x.*, m.unit_id AS m_unit_id, mu.name AS m_name, mu.short_name AS m_short_name,
                  mu.head_name AS m_head_name, mu.head_title AS m_head_title,
                  mu.active AS m_active,
                  COALESCE((SELECT c.version FROM catalog_versions c WHERE c.tenant_id = $1), 0)
                    AS catalog_version
             FROM ({YEAR_SELECT}
                   JOIN cluster_members me ON me.tenant_id = y.tenant_id AND me.cluster_year_id = y.id
                  WHERE y.tenant_id = $1 AND me.unit_id = $2) x
             JOIN cluster_members m ON m.tenant_id = $1 AND m.cluster_year_id = x.id
             JOIN units mu ON mu.tenant_id = m.tenant_id AND mu.id = m.unit_id
            ORDER BY x.year DESC, x.cluster_name, x.id, mu.name COLLATE "vi-VN-x-icu""#
    ))
    .bind(tenant_id)
    .bind(unit_id)
    .fetch_all(&mut **tx)
    .await?;
    let catalog_version = rows.first().map_or(0, |r| r.catalog_version);
    let mut years: Vec<ClusterYear> = Vec::new();
    let mut members: HashMap<i64, Vec<MemberRow>> = HashMap::new();
    for r in rows {
        if years.last().is_none_or(|y| y.id != r.row.y.id) {
            years.push(r.row.y.clone());
        }
        // The unit itself is a member, so no year comes without one.
        let year = r.row.y.id;
        if let Some(m) = r.row.member() {
            members.entry(year).or_default().push(m);
        }
    }
    for y in &years {
        let kept = KeptYear {
            catalog_version,
            y: y.clone(),
            members: members.get(&y.id).cloned().unwrap_or_default(),
        };
        tx.cache().put_at(
            tenant_id,
            y.id,
            y.council_version,
            std::sync::Arc::new(kept),
        );
    }
    tx.cache()
        .put(tenant_id, unit_id, std::sync::Arc::new(UnitYearsSeen));
    Ok((years, members))
}

/// The year as the user stands in it, without asking whether the user may see it (pages that
/// reach a year through something else, such as a sheet, decide that themselves).
pub async fn load(conn: &mut TenantTx, u: &CurrentUser, id: i64) -> sqlx::Result<Option<YearCtx>> {
    Ok(load_unchecked(conn, id).await?.map(|(y, members)| {
        let ids: Vec<i64> = members.iter().map(|m| m.unit_id).collect();
        let role = model::year_role(u.unit_id, y.leader_unit_id, y.deputy_unit_id, &ids);
        YearCtx { y, members, role }
    }))
}

/// A cluster year with its members and the user's role in it; "not found" when the user may
/// not know it exists (another cluster's year for a unit's staff, as another tenant's would be).
pub async fn visible_year(conn: &mut TenantTx, u: &CurrentUser, id: i64) -> AppResult<YearCtx> {
    let ctx = load(conn, u, id).await?.ok_or(AppError::NotFound)?;
    if !policy::year_is_visible(u, ctx.role) {
        return Err(AppError::NotFound);
    }
    Ok(ctx)
}

/// As [`visible_year`], and the user may also open its pages (403 otherwise).
pub async fn viewable_year(conn: &mut TenantTx, u: &CurrentUser, id: i64) -> AppResult<YearCtx> {
    let ctx = visible_year(conn, u, id).await?;
    if !policy::may_view_year(u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    Ok(ctx)
}
