//! The statistics' SQL: the facts thidua counts for a year and scope, and the typed figures.

use chrono::{DateTime, Utc};
use sqlx::types::Json;

use super::model::{AwardFact, Facts, MovementFact, Typed};
use crate::audit::{self, Actor};
use crate::db::TenantTx;

/// What a view of the statistics reads, in one statement: the year, the years to choose from,
/// the clusters to scope to, the year's facts in the scope, and the typed figures.
pub struct Read {
    pub year: i32,
    /// Cluster years, awards and movements, latest first.
    pub years: Vec<i32>,
    /// (id, name), in Vietnamese order.
    pub clusters: Vec<(i64, String)>,
    pub facts: Facts,
    pub typed: Vec<TypedCell>,
}

#[derive(sqlx::FromRow)]
struct ReadRow {
    year: i32,
    years: Vec<i32>,
    clusters: Json<Vec<(i64, String)>>,
    movements: Json<Vec<MovementFact>>,
    awards: Json<Vec<AwardFact>>,
    typed: Json<Vec<TypedCell>>,
}

/// Reads a year's statistics for a scope. The year is the one asked for, else the latest with
/// an award in a unit's history (the year a council reports on), else the latest with anything
/// to count, else `this_year`. With a cluster, only the movements that concern it and the
/// awards of its members that year count. One statement: the page's cost does not grow with
/// what it shows (issue 9).
pub async fn read(
    tx: &mut TenantTx,
    asked: Option<i32>,
    cluster: Option<i64>,
    scope: &str,
    this_year: i32,
) -> sqlx::Result<Read> {
    let tenant_id = tx.tenant_id();
    let r: ReadRow = sqlx::query_as(
        "WITH years AS (
             SELECT year FROM cluster_years WHERE tenant_id = $1
             UNION SELECT year FROM unit_awards WHERE tenant_id = $1
             UNION SELECT extract(year FROM starts_on)::int FROM movements WHERE tenant_id = $1),
         chosen AS (
             SELECT coalesce($2::int,
                             (SELECT max(year) FROM unit_awards WHERE tenant_id = $1),
                             (SELECT max(year) FROM years),
                             $5::int) AS year)
         SELECT c.year,
                ARRAY(SELECT year FROM years ORDER BY 1 DESC) AS years,
                (SELECT coalesce(json_agg(json_build_array(k.id, k.name)
                                          ORDER BY k.name COLLATE \"vi-VN-x-icu\", k.id), '[]')
                   FROM clusters k WHERE k.tenant_id = $1) AS clusters,
                (SELECT coalesce(json_agg(json_build_object(
                            'kind', m.kind, 'starts_on', m.starts_on, 'ends_on', m.ends_on,
                            'by_council', m.launched_by_unit_id IS NULL) ORDER BY m.id), '[]')
                   FROM movements m
                  WHERE m.tenant_id = $1 AND extract(year FROM m.starts_on) = c.year
                    AND ($3::bigint IS NULL OR EXISTS (
                        SELECT 1 FROM movement_clusters mc
                         WHERE mc.tenant_id = m.tenant_id AND mc.movement_id = m.id
                           AND mc.cluster_id = $3))) AS movements,
                (SELECT coalesce(json_agg(json_build_object(
                            'name', a.award_name, 'level', coalesce(t.level, ''),
                            'target', coalesce(t.target, '')) ORDER BY a.id), '[]')
                   FROM unit_awards a
                   LEFT JOIN award_types t
                     ON t.tenant_id = a.tenant_id AND t.id = a.award_type_id
                  WHERE a.tenant_id = $1 AND a.year = c.year
                    AND ($3::bigint IS NULL OR EXISTS (
                        SELECT 1 FROM cluster_members cm
                          JOIN cluster_years y
                            ON y.tenant_id = cm.tenant_id AND y.id = cm.cluster_year_id
                         WHERE cm.tenant_id = a.tenant_id AND cm.unit_id = a.unit_id
                           AND y.cluster_id = $3 AND y.year = a.year))) AS awards,
                (SELECT coalesce(json_agg(json_build_object(
                            'form', s.form, 'row_code', s.row_code, 'col_code', s.col_code,
                            'value', s.value,
                            'typed_by_name', coalesce(nullif(u.full_name, ''), u.username),
                            'typed_at', s.typed_at)
                            ORDER BY s.form, s.row_code, s.col_code), '[]')
                   FROM statistics_typed s
                   JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.typed_by
                  WHERE s.tenant_id = $1 AND s.year = c.year AND s.scope = $4) AS typed
           FROM chosen c",
    )
    .bind(tenant_id)
    .bind(asked)
    .bind(cluster)
    .bind(scope)
    .bind(this_year)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Read {
        year: r.year,
        years: r.years,
        clusters: r.clusters.0,
        facts: Facts {
            movements: r.movements.0,
            awards: r.awards.0,
        },
        typed: r.typed.0,
    })
}

/// A typed figure with who typed it and when.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TypedCell {
    pub form: String,
    pub row_code: String,
    pub col_code: String,
    pub value: i64,
    pub typed_by_name: String,
    pub typed_at: DateTime<Utc>,
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
