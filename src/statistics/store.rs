//! The statistics' SQL: the facts thidua counts for a year and scope, and the typed figures.

use chrono::{DateTime, NaiveDate, Utc};

use super::model::{AwardFact, Facts, MovementFact, Typed};
use crate::audit::{self, Actor};
use crate::db::TenantTx;

/// The clusters to choose a scope from: (id, name).
pub async fn clusters(tx: &mut TenantTx) -> sqlx::Result<Vec<(i64, String)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT id, name FROM clusters WHERE tenant_id = $1
          ORDER BY name COLLATE \"vi-VN-x-icu\", id",
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

/// The years with something to count: cluster years, movements and awards.
pub async fn years(tx: &mut TenantTx) -> sqlx::Result<Vec<i32>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(
        "SELECT year FROM cluster_years WHERE tenant_id = $1
         UNION SELECT year FROM unit_awards WHERE tenant_id = $1
         UNION SELECT extract(year FROM starts_on)::int FROM movements WHERE tenant_id = $1
         ORDER BY 1 DESC",
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

/// The latest year with an award in a unit's history: the year a council reports on.
pub async fn latest_award_year(tx: &mut TenantTx) -> sqlx::Result<Option<i32>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar("SELECT max(year) FROM unit_awards WHERE tenant_id = $1")
        .bind(tenant_id)
        .fetch_one(&mut **tx)
        .await
}

/// The facts of a year: movements launched in it, and the awards in units' histories for it;
/// with a cluster, only the movements that concern it and the awards of its members that year.
pub async fn facts(tx: &mut TenantTx, year: i32, cluster: Option<i64>) -> sqlx::Result<Facts> {
    let tenant_id = tx.tenant_id();
    let movements: Vec<(String, NaiveDate, Option<NaiveDate>, bool)> = sqlx::query_as(
        "SELECT m.kind, m.starts_on, m.ends_on, m.launched_by_unit_id IS NULL
           FROM movements m
          WHERE m.tenant_id = $1 AND extract(year FROM m.starts_on) = $2
            AND ($3::bigint IS NULL OR EXISTS (
                SELECT 1 FROM movement_clusters mc
                 WHERE mc.tenant_id = m.tenant_id AND mc.movement_id = m.id
                   AND mc.cluster_id = $3))
          ORDER BY m.id",
    )
    .bind(tenant_id)
    .bind(year)
    .bind(cluster)
    .fetch_all(&mut **tx)
    .await?;
    let awards: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT a.award_name, coalesce(t.level, ''), coalesce(t.target, '')
           FROM unit_awards a
           LEFT JOIN award_types t ON t.tenant_id = a.tenant_id AND t.id = a.award_type_id
          WHERE a.tenant_id = $1 AND a.year = $2
            AND ($3::bigint IS NULL OR EXISTS (
                SELECT 1 FROM cluster_members cm
                  JOIN cluster_years y ON y.tenant_id = cm.tenant_id AND y.id = cm.cluster_year_id
                 WHERE cm.tenant_id = a.tenant_id AND cm.unit_id = a.unit_id
                   AND y.cluster_id = $3 AND y.year = a.year))
          ORDER BY a.id",
    )
    .bind(tenant_id)
    .bind(year)
    .bind(cluster)
    .fetch_all(&mut **tx)
    .await?;
    Ok(Facts {
        movements: movements
            .into_iter()
            .map(|(kind, starts_on, ends_on, by_council)| MovementFact {
                kind,
                starts_on,
                ends_on,
                by_council,
            })
            .collect(),
        awards: awards
            .into_iter()
            .map(|(name, level, target)| AwardFact {
                name,
                level,
                target,
            })
            .collect(),
    })
}

/// A typed figure with who typed it and when.
#[derive(sqlx::FromRow, Debug, Clone, serde::Serialize)]
pub struct TypedCell {
    pub form: String,
    pub row_code: String,
    pub col_code: String,
    pub value: i64,
    pub typed_by_name: String,
    pub typed_at: DateTime<Utc>,
}

pub async fn typed(tx: &mut TenantTx, year: i32, scope: &str) -> sqlx::Result<Vec<TypedCell>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT s.form, s.row_code, s.col_code, s.value,
                coalesce(nullif(u.full_name, ''), u.username) AS typed_by_name, s.typed_at
           FROM statistics_typed s
           JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.typed_by
          WHERE s.tenant_id = $1 AND s.year = $2 AND s.scope = $3
          ORDER BY s.form, s.row_code, s.col_code",
    )
    .bind(tenant_id)
    .bind(year)
    .bind(scope)
    .fetch_all(&mut **tx)
    .await
}

/// The typed figures of one form, by (row, column).
pub fn of_form(cells: &[TypedCell], form: &str) -> Typed {
    cells
        .iter()
        .filter(|c| c.form == form)
        .map(|c| ((c.row_code.clone(), c.col_code.clone()), c.value))
        .collect()
}

/// One change to a typed cell: Some sets it, None clears it.
pub struct Change {
    pub form: &'static str,
    pub row: &'static str,
    pub col: &'static str,
    pub value: Option<i64>,
}

/// Writes the changed cells and one audit row in the caller's transaction; unchanged figures
/// keep who typed them and when.
pub async fn save(
    tx: &mut TenantTx,
    actor: &Actor,
    user_id: i64,
    year: i32,
    scope: &str,
    before: &[TypedCell],
    changes: &[Change],
) -> sqlx::Result<usize> {
    let tenant_id = tx.tenant_id();
    let mut was = serde_json::Map::new();
    let mut now = serde_json::Map::new();
    for c in changes {
        let old = before
            .iter()
            .find(|b| b.form == c.form && b.row_code == c.row && b.col_code == c.col)
            .map(|b| b.value);
        if old == c.value {
            continue;
        }
        let key = format!("{}/{}/{}", c.form, c.row, c.col);
        was.insert(key.clone(), old.into());
        now.insert(key, c.value.into());
        match c.value {
            Some(v) => {
                sqlx::query(
                    "INSERT INTO statistics_typed
                        (tenant_id, year, scope, form, row_code, col_code, value, typed_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                     ON CONFLICT (tenant_id, year, scope, form, row_code, col_code)
                     DO UPDATE SET value = excluded.value, typed_by = excluded.typed_by,
                                   typed_at = now()",
                )
                .bind(tenant_id)
                .bind(year)
                .bind(scope)
                .bind(c.form)
                .bind(c.row)
                .bind(c.col)
                .bind(v)
                .bind(user_id)
                .execute(&mut **tx)
                .await?;
            }
            None => {
                sqlx::query(
                    "DELETE FROM statistics_typed
                      WHERE tenant_id = $1 AND year = $2 AND scope = $3 AND form = $4
                        AND row_code = $5 AND col_code = $6",
                )
                .bind(tenant_id)
                .bind(year)
                .bind(scope)
                .bind(c.form)
                .bind(c.row)
                .bind(c.col)
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    let n = now.len();
    if n > 0 {
        audit::changed(
            tx,
            actor,
            ("statistics", format!("{year}/{scope}")),
            "typed",
            &serde_json::Value::Object(was),
            &serde_json::Value::Object(now),
        )
        .await?;
    }
    Ok(n)
}
