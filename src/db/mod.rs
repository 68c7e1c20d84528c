//! Pool, migrations, tenant-scoped transactions and the private PostgreSQL launcher.

pub mod backup;
pub mod breaker;
pub mod embedded;
pub mod hosts;
mod schema;

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use anyhow::{Context, Result};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, Executor, PgConnection, PgPool, Postgres, Transaction};

use crate::config::DbArgs;
use embedded::{EmbeddedOptions, EmbeddedPg};
pub use schema::migrate;

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
    let pool = PgPoolOptions::new()
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

/// The application's pool, kept out of reach of feature handlers: they use the request's
/// tenant transaction. The few paths that run before a tenant is known name their accessor.
#[derive(Clone)]
pub struct AppDb {
    pool: PgPool,
    cache: Arc<Cache>,
    /// The nodes the pool may connect to: a primary and its standbys. Empty means the pool's
    /// own settings alone.
    nodes: Arc<Vec<PgConnectOptions>>,
}

impl AppDb {
    pub fn new(pool: PgPool) -> AppDb {
        AppDb {
            pool,
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
        self.pool.set_connect_options(node);
    }

    /// The session layer: each request's transaction begins here.
    pub(crate) fn sessions(&self) -> &PgPool {
        &self.pool
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

/// A transaction bound to one tenant: row-level security lets it see that tenant's rows and
/// nothing else. Store functions take it, so the tenant a query filters by is always the one
/// the transaction is bound to. Requests get theirs from the session (`CurrentUser::db`); the
/// command line and the demo loader open one with [`TenantTx::begin`].
pub struct TenantTx {
    tx: Transaction<'static, Postgres>,
    tenant_id: i64,
    cache: Arc<Cache>,
}

impl TenantTx {
    /// Begins a transaction bound to `tenant_id`. The setting ends with the transaction, so a
    /// pooled connection never carries it to the next user.
    pub async fn begin(pool: &PgPool, tenant_id: i64) -> sqlx::Result<TenantTx> {
        let mut tx = pool.begin().await?;
        sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
            .bind(tenant_id.to_string())
            .execute(&mut *tx)
            .await?;
        Ok(TenantTx {
            tx,
            tenant_id,
            cache: Arc::default(),
        })
    }

    /// For the session layer, which bound the tenant in the same statement that checked the
    /// session.
    pub(crate) fn bound(
        tx: Transaction<'static, Postgres>,
        tenant_id: i64,
        db: &AppDb,
    ) -> TenantTx {
        TenantTx {
            tx,
            tenant_id,
            cache: db.cache.clone(),
        }
    }

    pub fn tenant_id(&self) -> i64 {
        self.tenant_id
    }

    /// Frozen rows and versioned derived values, kept across requests (of this database).
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// A connection lost during the COMMIT comes back as `error::CommitBrokeOff`: the page
    /// then says the outcome is unknown instead of "nothing was lost".
    pub async fn commit(self) -> sqlx::Result<()> {
        self.tx
            .commit()
            .await
            .map_err(crate::error::CommitBrokeOff::wrap)
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for TenantTx {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for TenantTx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.tx
    }
}

/// Values kept in memory by type, tenant, id and version. Rows that never change once frozen
/// (a frozen criteria table) are kept at version 0; values derived from rows that do change (a
/// year's results) are kept at the version the database gave those rows, read in the request's
/// own transaction, so a write through any app instance is seen by all at once. One per
/// database: the app keeps it in `AppDb`, so two test apps on two databases never share one.
/// The cap bounds memory at national scale; past it the older half is dropped.
#[derive(Default)]
pub struct Cache {
    map: RwLock<CacheMap>,
}

type CacheKey = (TypeId, i64, i64);

#[derive(Default)]
struct CacheMap {
    values: HashMap<CacheKey, Kept>,
    next: u64,
}

struct Kept {
    age: u64,
    version: i64,
    value: Arc<dyn Any + Send + Sync>,
}

impl Cache {
    pub const CAP: usize = 2_000;

    /// A value that never changes once written.
    pub fn get<T: Any + Send + Sync>(&self, tenant_id: i64, id: i64) -> Option<Arc<T>> {
        self.get_at(tenant_id, id, 0)
    }

    pub fn put<T: Any + Send + Sync>(&self, tenant_id: i64, id: i64, value: Arc<T>) {
        self.put_at(tenant_id, id, 0, value)
    }

    /// The value kept for exactly this version, if any.
    pub fn get_at<T: Any + Send + Sync>(
        &self,
        tenant_id: i64,
        id: i64,
        version: i64,
    ) -> Option<Arc<T>> {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        let kept = map.values.get(&(TypeId::of::<T>(), tenant_id, id))?;
        if kept.version != version {
            return None;
        }
        kept.value.clone().downcast::<T>().ok()
    }

    /// Keeps a value for a version, replacing whatever was kept for another.
    pub fn put_at<T: Any + Send + Sync>(
        &self,
        tenant_id: i64,
        id: i64,
        version: i64,
        value: Arc<T>,
    ) {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        if map.values.len() >= Self::CAP {
            let mut ages: Vec<u64> = map.values.values().map(|k| k.age).collect();
            ages.sort_unstable();
            let cut = ages[ages.len() / 2];
            map.values.retain(|_, k| k.age > cut);
        }
        map.next += 1;
        let age = map.next;
        map.values.insert(
            (TypeId::of::<T>(), tenant_id, id),
            Kept {
                age,
                version,
                value,
            },
        );
    }
}

/// Begins a tenant transaction outside a request (command line, demo data).
pub async fn tenant_tx(pool: &PgPool, tenant_id: i64) -> sqlx::Result<TenantTx> {
    TenantTx::begin(pool, tenant_id).await
}
