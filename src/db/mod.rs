//! Pool, migrations, tenant-scoped transactions and the private PostgreSQL launcher.

pub mod backup;
pub mod breaker;
mod cache;
pub mod embedded;
pub mod hosts;
mod schema;
mod tenant;

use std::sync::Arc;

use anyhow::{Context, Result};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, Executor, PgConnection, PgPool};

use crate::config::DbArgs;
pub use cache::Cache;
use embedded::{EmbeddedOptions, EmbeddedPg};
pub use schema::migrate;
pub use tenant::TenantTx;
pub(crate) use tenant::begin_read_write;

/// The role requests run as: owns nothing, no superuser, cannot bypass row-level security.
pub const APP_ROLE: &str = "thidua_app";

/// How long `thidua` waits at start for one of several nodes to accept writes: a failover
/// takes some seconds.
const PRIMARY_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The database thidua uses: its connection settings and, when thidua started it, the server.
pub struct Database {
    pub options: PgConnectOptions,
    pub embedded: Option<EmbeddedPg>,
}

impl Database {
    /// Connects to DATABASE_URL, or starts the private server and creates its database. A
    /// DATABASE_URL listing several nodes connects to the one that accepts writes.
    pub async fn open(args: &DbArgs) -> Result<Database> {
        if let Some(url) = &args.database_url {
            let nodes = hosts::parse(url, "DATABASE_URL")?;
            let options = hosts::wait_for_primary(&nodes, PRIMARY_WAIT).await?;
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

    /// The pool logs in as `thidua_app` itself: on the private server by that name, on an
    /// external one through THIDUA_APP_DATABASE_URL. There is no fallback to `SET ROLE` on the
    /// owner's login, because `RESET ROLE` undoes it.
    pub async fn app_pool(&self, size: u32) -> Result<PgPool> {
        let options = match (&self.embedded, std::env::var("THIDUA_APP_DATABASE_URL")) {
            (Some(_), _) => self.options.clone().username(APP_ROLE),
            (None, Ok(_)) => hosts::wait_for_primary(&self.app_nodes()?, PRIMARY_WAIT).await?,
            (None, Err(_)) => anyhow::bail!(
                "DATABASE_URL is set but THIDUA_APP_DATABASE_URL is not: requests must log in as \
                 the role {APP_ROLE} (which owns nothing and cannot bypass row-level security); \
                 set THIDUA_APP_DATABASE_URL to a URL that logs in as {APP_ROLE}"
            ),
        };
        app_pool(options, size).await
    }

    /// The application role's nodes, when THIDUA_APP_DATABASE_URL lists several; the pool is
    /// moved to whichever is primary after a failover.
    pub fn app_nodes(&self) -> Result<Vec<PgConnectOptions>> {
        match (&self.embedded, std::env::var("THIDUA_APP_DATABASE_URL")) {
            (None, Ok(url)) => hosts::parse(&url, "THIDUA_APP_DATABASE_URL"),
            _ => Ok(Vec::new()),
        }
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

/// The pool every request uses. Its role must own nothing, be no superuser and not bypass
/// row-level security; a pool that logs in as anything else is refused.
pub async fn app_pool(options: PgConnectOptions, size: u32) -> Result<PgPool> {
    let pool = pool_options(size)
        .connect_with(options)
        .await
        .context("cannot connect to PostgreSQL")?;
    let (name, privileged): (String, bool) = sqlx::query_as(
        "SELECT current_user::text, rolsuper OR rolbypassrls OR EXISTS (
                SELECT 1 FROM pg_class c WHERE c.relowner = r.oid AND c.relnamespace = 'public'::regnamespace)
           FROM pg_roles r WHERE rolname = current_user",
    )
    .fetch_one(&pool)
    .await
    .context("cannot read the application role")?;
    if privileged {
        anyhow::bail!(
            "the application pool logs in as {name}, which is a superuser, bypasses row-level \
             security or owns tables; it must log in as {APP_ROLE}"
        );
    }
    Ok(pool)
}

/// The pages' connections refuse every write that does not open its own READ WRITE
/// transaction: a handler that wrote through `CurrentUser::read` would fail, not write outside
/// a transaction.
///
/// They also keep one plan per prepared statement: with the default `auto`, PostgreSQL planned
/// some page statements anew on every execution (the vote's, 1.15–1.23 ms of planning against
/// 0.46–0.49 ms of execution on the national data, by hand with EXPLAIN ANALYZE; the generic
/// plan 0.025 ms and 0.32–0.35 ms); with the generic plan a unit's home page
/// went from 1,564–2,380 to about 4,400 req/s on the demo, the vote on the national data from
/// 928 to 3,144 (README, session 27). The searches are checked under generic plans by
/// `search_plan::`.
fn read_only(options: PgConnectOptions) -> PgConnectOptions {
    options.options([
        ("default_transaction_read_only", "on"),
        ("plan_cache_mode", "force_generic_plan"),
    ])
}

fn pool_options(size: u32) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(std::time::Duration::from_secs(10))
        // A ping before every acquire is a round trip per request; a broken connection fails
        // its first statement instead, and the pool drops it.
        .test_before_acquire(false)
        // After an outage the pool's old connections are dead; handing one out would fail its
        // request and open the breaker again.
        .before_acquire(|_, meta| {
            Box::pin(async move { Ok(breaker::opened_after_last_outage(meta.age)) })
        })
}

/// The application's pool, kept out of reach of feature handlers: they use the request's
/// tenant transaction. The few paths that run before a tenant is known name their accessor.
#[derive(Clone)]
pub struct AppDb {
    pool: PgPool,
    /// Pages that only read run here, each statement on its own, with the tenant bound to the
    /// connection by the session check (`app_open_request`, 0047). Nothing else uses these
    /// connections, and every use begins with that check, which clears the binding first: so no
    /// connection carries one request's tenant into another's. They are read-only: a write
    /// needs `BEGIN READ WRITE` (`TenantTx::into_transaction`).
    pages: PgPool,
    cache: Arc<Cache>,
    /// The nodes the pool may connect to: a primary and its standbys. Empty means the pool's
    /// own settings alone.
    nodes: Arc<Vec<PgConnectOptions>>,
}

impl AppDb {
    pub fn new(pool: PgPool) -> AppDb {
        // Same settings, role and size: the role was checked when `pool` connected.
        let pages = pool_options(pool.options().get_max_connections())
            .connect_lazy_with(read_only((*pool.connect_options()).clone()));
        AppDb {
            pool,
            pages,
            cache: Arc::default(),
            nodes: Arc::default(),
        }
    }

    /// The same, allowed to move the pool to whichever of `nodes` is the primary.
    pub fn with_nodes(self, nodes: Vec<PgConnectOptions>) -> AppDb {
        AppDb {
            nodes: Arc::new(nodes),
            ..self
        }
    }

    /// Where the breaker's probe looks for a primary.
    pub(crate) fn nodes(&self) -> Vec<PgConnectOptions> {
        if self.nodes.is_empty() {
            vec![self.connect_options()]
        } else {
            self.nodes.to_vec()
        }
    }

    /// New pool connections go to this node; the old ones are dropped by the outage hook.
    pub(crate) fn point_at(&self, node: PgConnectOptions) {
        self.pages.set_connect_options(read_only(node.clone()));
        self.pool.set_connect_options(node);
    }

    /// The session layer: each request's transaction begins here.
    pub(crate) fn sessions(&self) -> &PgPool {
        &self.pool
    }

    /// The session layer, for a request that may run without a transaction (see `pages`).
    pub(crate) fn pages(&self) -> &PgPool {
        &self.pages
    }

    /// Logging in: the throttle, the cross-tenant username lookup and the new session, before
    /// any tenant is known.
    pub(crate) fn login(&self) -> &PgPool {
        &self.pool
    }

    /// The readiness probe's ping.
    pub(crate) fn health(&self) -> &PgPool {
        &self.pool
    }

    /// Where the breaker's probe connects: the pool's own settings.
    pub(crate) fn connect_options(&self) -> PgConnectOptions {
        (*self.pool.connect_options()).clone()
    }
}

/// Begins a tenant transaction outside a request (command line, demo data).
pub async fn tenant_tx(pool: &PgPool, tenant_id: i64) -> sqlx::Result<TenantTx> {
    TenantTx::begin(pool, tenant_id).await
}

/// A row of a search whose statement also returns how many rows matched in all.
pub trait Counted {
    fn total(&self) -> i64;
}

/// Page `page` (from 1) of a search in one statement: `sql` binds $1 the tenant, $2 what was
/// typed, $3 the offset and $4 the page size, and returns each row with the total. Only a page
/// past the end costs more: `count_sql` ($1, $2) for the total, then the last page.
pub async fn search_page<T>(
    tx: &mut TenantTx,
    sql: &str,
    count_sql: &str,
    query: &str,
    page: i64,
    size: i64,
) -> sqlx::Result<(Vec<T>, crate::web::paging::Paged)>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Counted + Send + Unpin,
{
    let page = page.max(1);
    let mut rows: Vec<T> = fetch_page(tx, sql, query, (page - 1) * size, size).await?;
    let total = match rows.first() {
        Some(r) => r.total(),
        None if page > 1 => {
            let tenant_id = tx.tenant_id();
            sqlx::query_scalar(count_sql)
                .bind(tenant_id)
                .bind(query)
                .fetch_one(&mut **tx)
                .await?
        }
        None => 0,
    };
    let (offset, last_page) = crate::web::paging::paging(page, total, size);
    if rows.is_empty() && total > 0 {
        rows = fetch_page(tx, sql, query, offset, size).await?;
    }
    Ok((
        rows,
        crate::web::paging::Paged::new(offset, size, last_page, total),
    ))
}

async fn fetch_page<T>(
    tx: &mut TenantTx,
    sql: &str,
    query: &str,
    offset: i64,
    size: i64,
) -> sqlx::Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let tenant_id = tx.tenant_id();
    sqlx::query_as(sql)
        .bind(tenant_id)
        .bind(query)
        .bind(offset)
        .bind(size)
        .fetch_all(&mut **tx)
        .await
}
