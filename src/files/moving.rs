//! `thidua admin evidence-to-s3`: moves the evidence still held in PostgreSQL to the S3 store,
//! tenant by tenant, a batch at a time. Each batch is one transaction: its rows are locked, each
//! file is put (and read back from the row one at a time, so memory holds one file), then the
//! rows are switched to their objects and commit together. Stopped half-way, it leaves every
//! row either in the database or on a stored object; run again, it goes on with what is left.

use sqlx::PgPool;

use super::s3::S3Store;
use super::{checked, object_key};
use crate::db::TenantTx;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Moved {
    pub files: u64,
    pub bytes: u64,
    /// Rows whose bytes do not match their own sha256: left in the database, named in the log.
    pub damaged: Vec<(i64, i64)>,
}

/// The command: the store from its settings, the move, and what to tell the operator.
pub async fn run(
    pool: &PgPool,
    args: &crate::config::EvidenceStoreArgs,
    batch: i64,
) -> anyhow::Result<String> {
    let super::FileStore::S3(store) = args.store()? else {
        anyhow::bail!("chưa đặt THIDUA_EVIDENCE_S3_ENDPOINT: không có kho S3 để chuyển tệp tới");
    };
    store
        .check()
        .await
        .map_err(|e| anyhow::anyhow!("kho S3 {} không trả lời: {e:?}", store.describe()))?;
    let m = to_s3(pool, &store, batch).await?;
    let mut said = format!(
        "Đã chuyển {} tệp minh chứng ({} byte) sang kho S3 {}.",
        m.files,
        m.bytes,
        store.describe()
    );
    if !m.damaged.is_empty() {
        said.push_str(&format!(
            " {} tệp có nội dung không khớp mã băm nên được giữ lại trong cơ sở dữ liệu (mã: {:?}).",
            m.damaged.len(),
            m.damaged.iter().map(|(_, id)| id).collect::<Vec<_>>()
        ));
    }
    Ok(said)
}

pub async fn to_s3(pool: &PgPool, store: &S3Store, batch: i64) -> anyhow::Result<Moved> {
    let tenants: Vec<i64> = sqlx::query_scalar("SELECT id FROM platform_tenants() ORDER BY id")
        .fetch_all(pool)
        .await?;
    let mut moved = Moved::default();
    for tenant_id in tenants {
        let mut after = 0_i64;
        loop {
            let mut tx = TenantTx::begin(pool, tenant_id).await?;
            let Some(last) = one_batch(&mut tx, store, after, batch, &mut moved).await? else {
                break;
            };
            tx.commit().await?;
            after = last;
        }
    }
    Ok(moved)
}

/// Moves up to `batch` rows after id `after`; the last id looked at, None when none was left.
async fn one_batch(
    tx: &mut TenantTx,
    store: &S3Store,
    after: i64,
    batch: i64,
    moved: &mut Moved,
) -> anyhow::Result<Option<i64>> {
    let tenant_id = tx.tenant_id();
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM evidence WHERE tenant_id = $1 AND stored_in = 'db' AND id > $2
          ORDER BY id LIMIT $3 FOR UPDATE",
    )
    .bind(tenant_id)
    .bind(after)
    .bind(batch)
    .fetch_all(&mut **tx)
    .await?;
    let Some(&last) = ids.last() else {
        return Ok(None);
    };
    let mut done: Vec<i64> = Vec::with_capacity(ids.len());
    for id in ids {
        let (sha, data): (Vec<u8>, Vec<u8>) =
            sqlx::query_as("SELECT sha256, data FROM evidence WHERE tenant_id = $1 AND id = $2")
                .bind(tenant_id)
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
        let key = object_key(tenant_id, &sha);
        let size = data.len() as u64;
        let Ok(data) = checked(data, &sha, size, &key) else {
            tracing::error!(
                tenant_id,
                id,
                "evidence: bytes do not match their sha256; left in the database"
            );
            moved.damaged.push((tenant_id, id));
            continue;
        };
        store
            .put(&key, data.into())
            .await
            .map_err(|e| anyhow::anyhow!("kho S3 không nhận tệp {key}: {e:?}"))?;
        done.push(id);
        moved.bytes += size;
    }
    sqlx::query(
        "UPDATE evidence SET stored_in = 's3', data = NULL,
                object_key = 't' || tenant_id || '/' || encode(sha256, 'hex')
          WHERE tenant_id = $1 AND id = ANY($2)",
    )
    .bind(tenant_id)
    .bind(&done)
    .execute(&mut **tx)
    .await?;
    moved.files += done.len() as u64;
    Ok(Some(last))
}
