//! The tenant-bound connection every store function takes.

use std::sync::Arc;

use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};

use super::{AppDb, Cache};

/// A transaction bound to one tenant: row-level security lets it see that tenant's rows and
/// nothing else. Store functions take it, so the tenant a query filters by is always the one
/// the transaction is bound to. Requests get theirs from the session (`CurrentUser::db`); the
/// command line and the demo loader open one with [`TenantTx::begin`].
///
/// A page that only reads gets one without a transaction (`CurrentUser::read`): a connection
/// bound to the tenant, each statement on its own. Under READ COMMITTED a transaction gives a
/// page no more consistency (each statement sees its own snapshot either way), and leaving out
/// BEGIN and COMMIT saves two of a page's five round trips.
pub struct TenantTx {
    conn: Conn,
    tenant_id: i64,
    /// The tenant's catalog version (0038) as the session check read it, for a connection
    /// without a transaction; a transaction reads it again, since it may have raised it.
    catalog_version: Option<i64>,
    cache: Arc<Cache>,
}

enum Conn {
    Tx(Transaction<'static, Postgres>),
    /// Bound for the connection by the session check; only reads run on it.
    Read(PoolConnection<Postgres>),
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
            conn: Conn::Tx(tx),
            tenant_id,
            catalog_version: None,
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
            conn: Conn::Tx(tx),
            tenant_id,
            catalog_version: None,
            cache: db.cache.clone(),
        }
    }

    /// For the session layer: a connection of `AppDb::pages` that the session check bound to
    /// the tenant for the connection.
    pub(crate) fn bound_for_reading(
        conn: PoolConnection<Postgres>,
        tenant_id: i64,
        catalog_version: i64,
        db: &AppDb,
    ) -> TenantTx {
        TenantTx {
            conn: Conn::Read(conn),
            tenant_id,
            catalog_version: Some(catalog_version),
            cache: db.cache.clone(),
        }
    }

    /// The same connection in a transaction, for a handler of a page that writes. The tenant
    /// stays bound (for the connection), so one BEGIN is all it costs.
    pub(crate) async fn into_transaction(self) -> sqlx::Result<TenantTx> {
        match self.conn {
            Conn::Tx(_) => Ok(self),
            Conn::Read(conn) => {
                let tx = begin_read_write(conn).await?;
                Ok(TenantTx {
                    conn: Conn::Tx(tx),
                    tenant_id: self.tenant_id,
                    catalog_version: None,
                    cache: self.cache,
                })
            }
        }
    }

    pub fn tenant_id(&self) -> i64 {
        self.tenant_id
    }

    /// The version of the tenant's catalog (its units, clusters, award types, settings,
    /// accounts and its own row), which the database raises on every change of them: values
    /// derived from those rows are kept in [`Cache`] under it. Free on a page that reads (the
    /// session check returned it); one statement in a transaction.
    pub async fn catalog_version(&mut self) -> sqlx::Result<i64> {
        if let Some(v) = self.catalog_version {
            return Ok(v);
        }
        sqlx::query_scalar(
            "SELECT COALESCE((SELECT version FROM catalog_versions WHERE tenant_id = $1), 0)",
        )
        .bind(self.tenant_id)
        .fetch_one(&mut **self)
        .await
    }

    /// Frozen rows and versioned derived values, kept across requests (of this database).
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// A connection lost during the COMMIT comes back as `error::CommitBrokeOff`: the page
    /// then says the outcome is unknown instead of "nothing was lost". Without a transaction
    /// there is nothing to commit.
    pub async fn commit(self) -> sqlx::Result<()> {
        match self.conn {
            Conn::Tx(tx) => tx
                .commit()
                .await
                .map_err(crate::error::CommitBrokeOff::wrap),
            Conn::Read(_) => Ok(()),
        }
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        match self.conn {
            Conn::Tx(tx) => tx.rollback().await,
            Conn::Read(_) => Ok(()),
        }
    }
}

impl std::ops::Deref for TenantTx {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        match &self.conn {
            Conn::Tx(tx) => tx,
            Conn::Read(conn) => conn,
        }
    }
}

impl std::ops::DerefMut for TenantTx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        match &mut self.conn {
            Conn::Tx(tx) => tx,
            Conn::Read(conn) => conn,
        }
    }
}

/// A transaction that may write, on a connection of `AppDb::pages` (read-only by default).
/// sqlx's own constructor for a transaction that owns a pooled connection (what `Pool::begin`
/// does after acquiring); dropping it unfinished rolls back.
pub(crate) async fn begin_read_write(
    conn: PoolConnection<Postgres>,
) -> sqlx::Result<Transaction<'static, Postgres>> {
    Transaction::begin(conn, Some("BEGIN READ WRITE".into())).await
}
