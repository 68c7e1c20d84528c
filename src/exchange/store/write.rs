//! What an import creates, in the caller's transaction, each row with its audit row. Only
//! elements the plan marks `Create` are written; nothing is updated or deleted.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::PgPool;

use crate::audit::{self, Actor};
use crate::cycle::store::{self as cycle_store, AwardTypeFields};
use crate::db::{AppDb, TenantTx};
use crate::exchange::model::{Change, Document, Plan, check};
use crate::org::store as org_store;

/// Waits for any other exchange import of this tenant; held until the transaction ends.
pub async fn lock_imports(tx: &mut TenantTx) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "SELECT pg_advisory_xact_lock(hashtext('thidua.exchange'), ($1 % 2147483647)::int)",
    )
    .bind(tenant_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A new tenant, in a transaction bound to it that the import goes on in: nothing of it stays
/// if the import fails. It gets its award types from the file, not the default list.
pub async fn insert_tenant(
    pool: &PgPool,
    code: &str,
    name: &str,
    place: &str,
) -> sqlx::Result<TenantTx> {
    let mut tx = pool.begin().await?;
    let id = org_store::insert_tenant(&mut tx, code, name, place, false).await?;
    Ok(TenantTx::bound(tx, id, &AppDb::new(pool.clone())))
}

fn creates<'a, T>(items: &'a [T], changes: &'a [(String, Change)]) -> impl Iterator<Item = &'a T> {
    items
        .iter()
        .zip(changes)
        .filter(|(_, (_, c))| *c == Change::Create)
        .map(|(i, _)| i)
}

async fn ids<
    K: for<'r> sqlx::Decode<'r, sqlx::Postgres>
        + sqlx::Type<sqlx::Postgres>
        + Send
        + Unpin
        + Eq
        + std::hash::Hash,
>(
    tx: &mut TenantTx,
    sql: &str,
) -> sqlx::Result<HashMap<K, i64>> {
    let rows: Vec<(K, i64)> = sqlx::query_as(sql)
        .bind(tx.tenant_id())
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Writes what `plan` creates; the file has been checked (`check` found nothing).
pub async fn apply(
    tx: &mut TenantTx,
    actor: &Actor,
    d: &Document,
    plan: &Plan,
) -> sqlx::Result<()> {
    for u in creates(&d.units, &plan.units.changes) {
        let id = org_store::insert_unit(tx, actor, &check::unit_fields(u)).await?;
        if !u.active {
            org_store::set_unit_active(tx, actor, id, false).await?;
        }
    }
    for c in creates(&d.clusters, &plan.clusters.changes) {
        let id = org_store::insert_cluster(tx, actor, &check::cluster_fields(c)).await?;
        if c.archived {
            org_store::set_cluster_archived(tx, actor, id, true).await?;
        }
    }
    award_types(tx, actor, d, plan).await?;
    let units: HashMap<String, i64> =
        ids(tx, "SELECT code, id FROM units WHERE tenant_id = $1").await?;
    let clusters: HashMap<String, i64> =
        ids(tx, "SELECT name, id FROM clusters WHERE tenant_id = $1").await?;
    for y in creates(&d.cluster_years, &plan.cluster_years.changes) {
        let cluster = clusters[&y.cluster];
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cluster_years (tenant_id, cluster_id, year, phase) VALUES ($1, $2, $3, $4)
             RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(cluster)
        .bind(y.year)
        .bind(&y.phase)
        .fetch_one(&mut **tx)
        .await?;
        let members: Vec<i64> = y.members.iter().map(|m| units[m]).collect();
        sqlx::query(
            "INSERT INTO cluster_members (tenant_id, cluster_year_id, unit_id, kind, year)
             SELECT $1, $2, m, c.kind, $4 FROM unnest($3::bigint[]) m
               JOIN clusters c ON c.tenant_id = $1 AND c.id = $5",
        )
        .bind(actor.tenant_id)
        .bind(id)
        .bind(&members)
        .bind(y.year)
        .bind(cluster)
        .execute(&mut **tx)
        .await?;
        let role = |c: &Option<String>| c.as_ref().map(|c| units[c]);
        if y.leader.is_some() || y.deputy.is_some() {
            sqlx::query(
                "UPDATE cluster_years SET leader_unit_id = $3, deputy_unit_id = $4
                  WHERE tenant_id = $1 AND id = $2",
            )
            .bind(actor.tenant_id)
            .bind(id)
            .bind(role(&y.leader))
            .bind(role(&y.deputy))
            .execute(&mut **tx)
            .await?;
        }
        audit::created(tx, actor, "cluster_year", id, y).await?;
    }
    for x in creates(&d.decisions, &plan.decisions.changes) {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO award_decisions (tenant_id, proposal_id, number, signed_on, issuer)
             VALUES ($1, NULL, $2, $3, $4) RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(&x.number)
        .bind(x.date)
        .bind(&x.issuer)
        .fetch_one(&mut **tx)
        .await?;
        audit::created(tx, actor, "award_decision", id, x).await?;
    }
    awards(tx, actor, d, plan, &units).await
}

/// Award types in an order where a prerequisite comes before the types that need it.
async fn award_types(
    tx: &mut TenantTx,
    actor: &Actor,
    d: &Document,
    plan: &Plan,
) -> sqlx::Result<()> {
    let mut todo: Vec<_> = creates(&d.award_types, &plan.award_types.changes).collect();
    let mut have: HashMap<String, i64> =
        ids(tx, "SELECT name, id FROM award_types WHERE tenant_id = $1").await?;
    while !todo.is_empty() {
        let before = todo.len();
        let mut left = Vec::new();
        for t in todo {
            let prerequisite_id = match &t.prerequisite {
                None => None,
                Some(p) => match have.get(p) {
                    Some(id) => Some(*id),
                    None => {
                        left.push(t);
                        continue;
                    }
                },
            };
            let f = AwardTypeFields {
                name: t.name.clone(),
                target: t.target.clone(),
                level: t.level.clone(),
                quota_per_cluster: t.quota_per_cluster,
                vote_threshold: t.vote_threshold.parse::<Decimal>().unwrap_or_default(),
                vote_denominator: t.vote_denominator.clone(),
                prerequisite_id,
                position: t.position,
                active: t.active,
            };
            let id = cycle_store::insert_award_type(tx, actor, &f).await?;
            have.insert(t.name.clone(), id);
        }
        if left.len() == before {
            // Prerequisites in a circle: the database refuses it the same way.
            return Err(sqlx::Error::Protocol(
                "điều kiện tiên quyết của các danh hiệu tạo thành vòng tròn".into(),
            ));
        }
        todo = left;
    }
    Ok(())
}

async fn awards(
    tx: &mut TenantTx,
    actor: &Actor,
    d: &Document,
    plan: &Plan,
    units: &HashMap<String, i64>,
) -> sqlx::Result<()> {
    let types: HashMap<String, i64> =
        ids(tx, "SELECT name, id FROM award_types WHERE tenant_id = $1").await?;
    // The first row of each decision (a decision of several dossiers has a row for each).
    let decisions: Vec<(String, NaiveDate, String, i64)> = sqlx::query_as(
        "SELECT DISTINCT ON (number, signed_on, issuer) number, signed_on, issuer, id
           FROM award_decisions WHERE tenant_id = $1 ORDER BY number, signed_on, issuer, id",
    )
    .bind(tx.tenant_id())
    .fetch_all(&mut **tx)
    .await?;
    let decisions: HashMap<(String, NaiveDate, String), i64> = decisions
        .into_iter()
        .map(|(n, s, i, id)| ((n, s, i), id))
        .collect();
    for a in creates(&d.awards, &plan.awards.changes) {
        let decision_id = a
            .decision()
            .and_then(|x| decisions.get(&(x.number, x.date, x.issuer)).copied());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO unit_awards (tenant_id, unit_id, year, award_name, award_type_id,
                 decision_number, decision_date, issuer, decision_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(units[&a.unit])
        .bind(a.year)
        .bind(&a.award)
        .bind(a.award_type.as_ref().and_then(|t| types.get(t)))
        .bind(&a.decision_number)
        .bind(a.decision_date)
        .bind(&a.issuer)
        .bind(decision_id)
        .fetch_one(&mut **tx)
        .await?;
        audit::created(tx, actor, "unit_award", id, a).await?;
    }
    Ok(())
}
