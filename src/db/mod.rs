//! Pool, migrations, tenant-scoped transactions and the private PostgreSQL launcher.

pub mod embedded;

use std::str::FromStr;

use anyhow::{Context, Result};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, Executor, PgConnection, PgPool, Postgres, Transaction};

use crate::config::DbArgs;
use embedded::{EmbeddedOptions, EmbeddedPg};

/// The role requests run as: owns nothing, no superuser, cannot bypass row-level security.
pub const APP_ROLE: &str = "thidua_app";

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The database thidua uses: its connection settings and, when thidua started it, the server.
pub struct Database {
    pub options: PgConnectOptions,
    pub embedded: Option<EmbeddedPg>,
}

impl Database {
    /// Connects to DATABASE_URL, or starts the private server and creates its database.
    pub async fn open(args: &DbArgs) -> Result<Database> {
        if let Some(url) = &args.database_url {
            let options = PgConnectOptions::from_str(url)
                .context("DATABASE_URL is not a valid PostgreSQL URL")?;
            return Ok(Database {
                options,
                embedded: None,
            });
        }
        let pg = EmbeddedPg::start(EmbeddedOptions {
            data_dir: args.data_dir.clone(),
            ephemeral: false,
        })
        .await?;
        create_database_if_missing(&pg, "thidua").await?;
        Ok(Database {
            options: pg.connect_options("thidua"),
            embedded: Some(pg),
        })
    }

    pub async fn migrate(&self) -> Result<()> {
        migrate(&self.options).await
    }

    /// On the private server the pool logs in as `thidua_app` itself; on an external server it
    /// uses THIDUA_APP_DATABASE_URL when given, else the DATABASE_URL role with SET ROLE.
    pub async fn app_pool(&self, size: u32) -> Result<PgPool> {
        let options = match (&self.embedded, std::env::var("THIDUA_APP_DATABASE_URL")) {
            (Some(_), _) => self.options.clone().username(APP_ROLE),
            (None, Ok(url)) => PgConnectOptions::from_str(&url)
                .context("THIDUA_APP_DATABASE_URL is not a valid PostgreSQL URL")?,
            (None, Err(_)) => self.options.clone(),
        };
        app_pool(options, size).await
    }

    pub fn stop(&mut self) {
        if let Some(pg) = self.embedded.as_mut() {
            pg.stop();
        }
    }
}

pub async fn create_database_if_missing(pg: &EmbeddedPg, name: &str) -> Result<()> {
    let mut conn = PgConnection::connect_with(&pg.connect_options("postgres")).await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(name)
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        conn.execute(format!("CREATE DATABASE \"{name}\"").as_str())
            .await?;
    }
    Ok(())
}

/// Applies migrations as the connecting (owner) role.
pub async fn migrate(options: &PgConnectOptions) -> Result<()> {
    let mut conn = PgConnection::connect_with(options)
        .await
        .context("cannot connect to PostgreSQL")?;
    MIGRATOR.run(&mut conn).await.context("migrations failed")?;
    Ok(())
}

/// The pool every request uses: each connection drops to `thidua_app`, which owns nothing,
/// is no superuser and cannot bypass row-level security.
pub async fn app_pool(options: PgConnectOptions, size: u32) -> Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute("SET ROLE thidua_app").await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .context("cannot connect to PostgreSQL")
}

/// Begins a transaction bound to one tenant. Row-level security lets it see that tenant's rows
/// and nothing else; the setting ends with the transaction, so a pooled connection never
/// carries it to the next user.
pub async fn tenant_tx(
    pool: &PgPool,
    tenant_id: i64,
) -> sqlx::Result<Transaction<'static, Postgres>> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(tenant_id.to_string())
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}
