//! Values kept in memory across requests, by version.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

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

    /// The value kept under any version, with that version: for values whose version costs a
    /// cheaper statement to read than the value itself, and is only worth reading when
    /// something is kept.
    pub fn latest<T: Any + Send + Sync>(&self, tenant_id: i64, id: i64) -> Option<(i64, Arc<T>)> {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        let kept = map.values.get(&(TypeId::of::<T>(), tenant_id, id))?;
        Some((kept.version, kept.value.clone().downcast::<T>().ok()?))
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
