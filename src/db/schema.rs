//! Migrations at start, including during a rolling upgrade, when a newer release may have
//! migrated the database already.

use anyhow::{Context, Result};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};

use super::MIGRATOR;

/// Applies migrations as the connecting (owner) role.
pub async fn migrate(options: &PgConnectOptions) -> Result<()> {
    let mut conn = PgConnection::connect_with(options)
        .await
        .context("cannot connect to PostgreSQL")?;
    let newer = newer_migrations(&mut conn).await?;
    if newer > 0 {
        // A rolling upgrade: a newer release migrated the database while this one still runs
        // (or restarts). Each migration keeps the previous release working, so run on it.
        tracing::warn!(
            newer,
            "the database has migrations this release does not know (a newer release applied \
             them); running on it as the previous release"
        );
        return Ok(());
    }
    MIGRATOR.run(&mut conn).await.context("migrations failed")?;
    Ok(())
}

/// How many applied migrations this release does not know, when it knows and finds applied
/// every one of its own; 0 otherwise (then the migrator runs and judges as usual).
async fn newer_migrations(conn: &mut PgConnection) -> Result<usize> {
    let exists: bool =
        sqlx::query_scalar("SELECT to_regclass('public._sqlx_migrations') IS NOT NULL")
            .fetch_one(&mut *conn)
            .await?;
    if !exists {
        return Ok(0);
    }
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
            .fetch_all(&mut *conn)
            .await?;
    let known: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    let ours_applied = known.iter().all(|k| applied.contains(k));
    let newer = applied
        .iter()
        .filter(|v| !known.contains(v) && **v > known.iter().copied().max().unwrap_or(0))
        .count();
    Ok(if ours_applied { newer } else { 0 })
}
