//! `thidua admin evidence-gc`: deletes the objects no evidence row names any more (evidence
//! removed by its unit, or an upload whose transaction failed after its put), once they are
//! older than a grace period.
//!
//! Why a grace period: an upload puts its object before the row commits, so a young object
//! without a row may be an upload in flight. Why a second look before each delete: a new upload
//! of the same file puts the same key again (its date becomes new) and may commit its row after
//! the rows were read; the object is deleted only if its date is still old just before.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::s3::{Listed, S3Store};
use crate::db::TenantTx;

/// What one object is to the collector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// An evidence row names it.
    Named,
    /// Written after the cutoff (or with no date): may be an upload in flight.
    Young,
    /// Not shaped like thidua's keys (`t{tenant}/{64 hex}`): someone else's, left alone.
    NotOurs,
    /// No row names it and it is old: deleted.
    Orphan,
}

/// Whether `key` is one thidua makes (`super::object_key`).
pub fn is_evidence_key(key: &str) -> bool {
    let Some((tenant, hash)) = key.strip_prefix('t').and_then(|k| k.split_once('/')) else {
        return false;
    };
    !tenant.is_empty()
        && tenant.bytes().all(|b| b.is_ascii_digit())
        && hash.len() == 64
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The rule: only thidua's own keys, never one a row names, never one written after `cutoff`.
pub fn verdict(o: &Listed, named: &HashSet<String>, cutoff: DateTime<Utc>) -> Verdict {
    if !is_evidence_key(&o.key) {
        Verdict::NotOurs
    } else if named.contains(&o.key) {
        Verdict::Named
    } else if o.last_modified.is_none_or(|t| t > cutoff) {
        Verdict::Young
    } else {
        Verdict::Orphan
    }
}

#[derive(Debug, Default)]
pub struct Collected {
    /// Deleted (or, dry, to delete): key and size.
    pub orphans: Vec<(String, u64)>,
    pub named: u64,
    pub young: u64,
    pub not_ours: u64,
}

/// The command: the store from its settings, the collection, and what to tell the operator.
pub async fn run(
    pool: &PgPool,
    args: &crate::config::EvidenceStoreArgs,
    dry_run: bool,
    older_than_hours: u32,
) -> anyhow::Result<String> {
    let super::FileStore::S3(store) = args.store()? else {
        anyhow::bail!("chưa đặt THIDUA_EVIDENCE_S3_ENDPOINT: không có kho S3 để dọn");
    };
    let grace = chrono::Duration::hours(i64::from(older_than_hours));
    let c = collect(pool, &store, grace, dry_run, 1000).await?;
    let verb = if dry_run { "Sẽ xóa" } else { "Đã xóa" };
    let mut said = String::new();
    for (key, size) in &c.orphans {
        said.push_str(&format!("{verb} {key} ({size} byte)\n"));
    }
    let bytes: u64 = c.orphans.iter().map(|(_, s)| s).sum();
    said.push_str(&format!(
        "{verb} {} đối tượng không còn minh chứng nào dùng ({bytes} byte) trong kho S3 {}. \
         Giữ lại {} đối tượng đang được minh chứng dùng, {} đối tượng mới ghi trong {} giờ qua \
         (có thể là tệp đang tải lên), {} đối tượng không phải do thidua tạo.",
        c.orphans.len(),
        store.describe(),
        c.named,
        c.young,
        older_than_hours,
        c.not_ours,
    ));
    if dry_run {
        said.push_str(" Chạy thử (--dry-run): chưa xóa gì.");
    }
    Ok(said)
}

/// Lists the bucket (pages of `page` keys), reads every row's key, then deletes the orphans.
/// Nothing is deleted unless the listing and every tenant's rows were read in full.
pub async fn collect(
    pool: &PgPool,
    store: &S3Store,
    grace: chrono::Duration,
    dry_run: bool,
    page: usize,
) -> anyhow::Result<Collected> {
    let cutoff = Utc::now() - grace;
    let listed = list_all(store, page).await?;
    // Read after the listing: a row committed before this read is seen, and one committed
    // later belongs to an object put after the listing began, which is younger than `cutoff`.
    let named = named_keys(pool).await?;
    sweep(store, listed, &named, cutoff, dry_run).await
}

/// Judges each listed object and deletes the orphans, each only if the store still dates it
/// before `cutoff` just before the delete.
pub async fn sweep(
    store: &S3Store,
    listed: Vec<Listed>,
    named: &HashSet<String>,
    cutoff: DateTime<Utc>,
    dry_run: bool,
) -> anyhow::Result<Collected> {
    let mut c = Collected::default();
    for o in listed {
        match verdict(&o, named, cutoff) {
            Verdict::Named => c.named += 1,
            Verdict::Young => c.young += 1,
            Verdict::NotOurs => c.not_ours += 1,
            Verdict::Orphan if dry_run => c.orphans.push((o.key, o.size)),
            Verdict::Orphan => {
                // Said on a stop: what went before it is gone, and a rerun goes on from there.
                let stopped = |c: &Collected, what: &str, e: super::FileError| {
                    anyhow::anyhow!(
                        "kho S3 {what} {} nên dừng lại, sau khi đã xóa {} đối tượng: {e:?}",
                        o.key,
                        c.orphans.len()
                    )
                };
                let again = store
                    .last_modified(&o.key)
                    .await
                    .map_err(|e| stopped(&c, "không trả lời về", e))?;
                match again {
                    None => continue,
                    Some(t) if t > cutoff => c.young += 1,
                    Some(_) => {
                        store
                            .delete(&o.key)
                            .await
                            .map_err(|e| stopped(&c, "không xóa được", e))?;
                        tracing::info!(key = o.key, size = o.size, "evidence-gc: deleted");
                        c.orphans.push((o.key, o.size));
                    }
                }
            }
        }
    }
    Ok(c)
}

pub async fn list_all(store: &S3Store, page: usize) -> anyhow::Result<Vec<Listed>> {
    let mut all = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let (objects, next) = store
            .list_page("t", token.as_deref(), page)
            .await
            .map_err(|e| {
                anyhow::anyhow!("kho S3 {} không liệt kê được: {e:?}", store.describe())
            })?;
        all.extend(objects);
        match next {
            Some(n) => token = Some(n),
            None => return Ok(all),
        }
    }
}

/// Every object key any tenant's evidence rows name, each read under its tenant's own
/// transaction (as `moving` does), so row-level security applies as for any request.
async fn named_keys(pool: &PgPool) -> anyhow::Result<HashSet<String>> {
    let tenants: Vec<i64> = sqlx::query_scalar("SELECT id FROM platform_tenants() ORDER BY id")
        .fetch_all(pool)
        .await?;
    let mut named = HashSet::new();
    for tenant_id in tenants {
        let mut tx = TenantTx::begin(pool, tenant_id).await?;
        let keys: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT object_key FROM evidence
              WHERE tenant_id = $1 AND object_key IS NOT NULL",
        )
        .bind(tenant_id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        named.extend(keys);
    }
    Ok(named)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(key: &str, hours_ago: Option<i64>) -> Listed {
        Listed {
            key: key.to_string(),
            size: 1,
            last_modified: hours_ago.map(|h| Utc::now() - chrono::Duration::hours(h)),
        }
    }

    #[test]
    fn only_old_unnamed_evidence_keys_are_orphans() {
        let key = super::super::object_key(3, &[0xab; 32]);
        let cutoff = Utc::now() - chrono::Duration::hours(24);
        let none = HashSet::new();
        let named: HashSet<String> = [key.clone()].into();
        assert_eq!(verdict(&at(&key, Some(25)), &none, cutoff), Verdict::Orphan);
        assert_eq!(verdict(&at(&key, Some(25)), &named, cutoff), Verdict::Named);
        assert_eq!(verdict(&at(&key, Some(23)), &none, cutoff), Verdict::Young);
        assert_eq!(verdict(&at(&key, None), &none, cutoff), Verdict::Young);
        let other = at("t3/backup.tar", Some(99));
        assert_eq!(verdict(&other, &none, cutoff), Verdict::NotOurs);
    }

    #[test]
    fn evidence_keys_are_the_tenant_and_a_lowercase_hash() {
        assert!(is_evidence_key(&super::super::object_key(12, &[7; 32])));
        for k in ["t/00", "x1/aa", "t1/", "tx/0000", "t1/ABCD"] {
            assert!(!is_evidence_key(k), "{k}");
        }
        let upper = format!("t1/{}", "A".repeat(64));
        assert!(!is_evidence_key(&upper));
    }

    proptest! {
        #[test]
        fn a_named_or_young_object_is_never_an_orphan(
            tenant in 1_i64..100_000,
            sha in proptest::array::uniform32(any::<u8>()),
            age_minutes in -600_i64..100_000,
            grace_hours in 0_i64..1_000,
            is_named in any::<bool>(),
        ) {
            let key = super::super::object_key(tenant, &sha);
            let now = Utc::now();
            let o = Listed {
                key: key.clone(),
                size: 1,
                last_modified: Some(now - chrono::Duration::minutes(age_minutes)),
            };
            let cutoff = now - chrono::Duration::hours(grace_hours);
            let named: HashSet<String> =
                if is_named { [key].into() } else { HashSet::new() };
            let v = verdict(&o, &named, cutoff);
            let young = age_minutes < grace_hours * 60;
            prop_assert_eq!(v == Verdict::Orphan, !is_named && !young);
        }
    }
}
