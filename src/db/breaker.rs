//! The database breaker. A private server is watched by its owner thread (`embedded`), but an
//! external PostgreSQL has no owner here: when it goes away, every request would wait the pool's
//! full acquire time before its 503. The first request that finds it unreachable opens the
//! breaker; from then on requests get the 503 at once, and one background probe tries a fresh
//! connection each second and closes the breaker when the server answers. With several nodes
//! (a primary and its standbys), the probe tries each and points the pool at the one that
//! accepts writes: after a failover that is the promoted standby.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use super::AppDb;

/// Pool connections opened before this moment (ms since the Unix epoch) belong to a server that
/// went away: the pool drops them instead of handing them to a request, which would fail on its
/// first statement and open the breaker again. Process-wide because the pool's hook is set where
/// the pool is built; a needless reconnect in another pool of the same process is the only cost.
static OUTAGE_AT_MS: AtomicI64 = AtomicI64::new(0);

const PROBE_EVERY: Duration = Duration::from_secs(1);

/// Whether a pooled connection opened `age` ago may still be used.
pub(crate) fn opened_after_last_outage(age: Duration) -> bool {
    let now = chrono::Utc::now().timestamp_millis();
    let opened = now - i64::try_from(age.as_millis()).unwrap_or(i64::MAX);
    opened > OUTAGE_AT_MS.load(Ordering::Acquire)
}

#[derive(Clone, Default)]
pub struct Breaker {
    open: Arc<AtomicBool>,
}

impl Breaker {
    /// Requests are refused at once while this is true.
    pub fn is_open(&self) -> bool {
        self.open.load(Ordering::Acquire)
    }

    /// A request found the database unreachable. The first such request opens the breaker and
    /// starts the probe; the others find it open already.
    pub fn trip(&self, db: &AppDb) {
        if self
            .open
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return;
        }
        OUTAGE_AT_MS.store(chrono::Utc::now().timestamp_millis(), Ordering::Release);
        tracing::error!("the database is unreachable; answering 503 until a probe reaches it");
        let open = self.open.clone();
        let db = db.clone();
        tokio::spawn(async move {
            let mut attempts = 0u64;
            let nodes = db.nodes();
            loop {
                tokio::time::sleep(PROBE_EVERY).await;
                attempts += 1;
                if let Some(primary) = super::hosts::find_primary(&nodes).await {
                    if nodes.len() > 1 {
                        tracing::info!(
                            host = primary.get_host(),
                            port = primary.get_port(),
                            "the pool now connects to this node, the primary"
                        );
                        db.point_at(primary.clone());
                    }
                    open.store(false, Ordering::Release);
                    tracing::info!(
                        attempts,
                        "the database is reachable again; serving requests"
                    );
                    return;
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_opened_before_an_outage_are_dropped() {
        // Young connections are kept; one older than the outage is not.
        OUTAGE_AT_MS.store(
            chrono::Utc::now().timestamp_millis() - 60_000,
            Ordering::Release,
        );
        assert!(opened_after_last_outage(Duration::from_secs(1)));
        assert!(!opened_after_last_outage(Duration::from_secs(120)));
        OUTAGE_AT_MS.store(0, Ordering::Release);
    }
}
