//! Login throttling, designed so that the owner of an account can still get in.
//!
//! Three counters, kept in `login_throttle` behind a secret hash (migrations/0013):
//!
//! * per (account, address): five free failures, then a lock of 30 s that doubles up to 15
//!   minutes. This is the only wall, and it stands only between that address and that account.
//! * per account, from every address: past ten failures, attempts from an address the owner has
//!   not logged in from (in 30 days) wait a short delay that doubles with each failure, up to
//!   `WebConfig::login_slow_cap`, before the password is checked. Slower, never refused, so an
//!   attacker elsewhere cannot keep the owner (or a new account that has never logged in) out.
//! * per address: past 30 failures in 15 minutes (a shared address under attack, or one
//!   client guessing many usernames), unknown usernames and accounts that already failed from
//!   there are refused without a check; an account that never failed from there still has its
//!   password checked, and only a wrong one is answered with the lock.
//!
//! A refused attempt writes nothing (a flood of them would be a flood of writes); it is counted
//! in memory and reported by the periodic prune.

use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// Failures one address may have against one account before that pair locks.
pub const PAIR_FREE_FAILURES: i32 = 5;
pub const FIRST_LOCK_SECONDS: i64 = 30;
pub const MAX_LOCK_MINUTES: i64 = 15;
/// Failures an account may have (from anywhere) before new addresses are slowed down.
pub const ACCOUNT_SLOW_AFTER: i32 = 10;
/// Failures one address may have (any accounts) in `ADDRESS_WINDOW_MINUTES` before it is
/// throttled.
pub const ADDRESS_MAX_FAILURES: i32 = 30;
pub const ADDRESS_WINDOW_MINUTES: i64 = 15;

/// What the database knows about one username and one address (`auth_throttle_state`).
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Counters {
    pub pair_failures: i32,
    pub pair_last_failure: Option<DateTime<Utc>>,
    /// The owner logged in from this address in the last 30 days.
    pub pair_known: bool,
    pub account_failures: i32,
    pub account_last_failure: Option<DateTime<Utc>>,
    pub address_failures: i32,
    pub address_last_failure: Option<DateTime<Utc>>,
}

/// What to do with an attempt before its password is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Refused without a check until then.
    pub locked_until: Option<DateTime<Utc>>,
    /// Checked, but a wrong password is answered as locked until then.
    pub wrong_locks_until: Option<DateTime<Utc>>,
    /// Wait this long before the check.
    pub delay: std::time::Duration,
}

/// The pair's lock after `n` failures: none up to the free ones, then 30 s, doubling, at most
/// 15 minutes.
pub fn lock_duration(n: i32) -> Option<Duration> {
    if n < PAIR_FREE_FAILURES {
        return None;
    }
    let doublings = (n - PAIR_FREE_FAILURES).min(10) as u32;
    let secs = FIRST_LOCK_SECONDS.saturating_mul(1 << doublings);
    Some(Duration::seconds(secs.min(MAX_LOCK_MINUTES * 60)))
}

/// The account-wide delay after `n` failures: none up to `ACCOUNT_SLOW_AFTER`, then a second,
/// doubling, at most `cap`.
pub fn slow_delay(n: i32, cap: std::time::Duration) -> std::time::Duration {
    if n < ACCOUNT_SLOW_AFTER {
        return std::time::Duration::ZERO;
    }
    let doublings = (n - ACCOUNT_SLOW_AFTER).min(16) as u32;
    std::time::Duration::from_secs(1u64 << doublings).min(cap)
}

pub fn decide(
    now: DateTime<Utc>,
    c: &Counters,
    account_exists: bool,
    slow_cap: std::time::Duration,
) -> Verdict {
    let mut v = Verdict::default();
    if let (Some(d), Some(last)) = (lock_duration(c.pair_failures), c.pair_last_failure)
        && last + d > now
    {
        v.locked_until = Some(last + d);
    }
    if let Some(last) = c.address_last_failure
        && c.address_failures >= ADDRESS_MAX_FAILURES
        && last + Duration::minutes(ADDRESS_WINDOW_MINUTES) > now
    {
        let until = last + Duration::minutes(ADDRESS_WINDOW_MINUTES);
        if !account_exists || (c.pair_failures > 0 && !c.pair_known) {
            v.locked_until = v.locked_until.max(Some(until));
        } else {
            v.wrong_locks_until = Some(until);
        }
    }
    if !c.pair_known {
        v.delay = slow_delay(c.account_failures, slow_cap);
    }
    v
}

pub async fn counters(pool: &PgPool, username: &str, ip: &str) -> sqlx::Result<Counters> {
    sqlx::query_as("SELECT * FROM auth_throttle_state($1, $2)")
        .bind(username)
        .bind(ip)
        .fetch_one(pool)
        .await
}

/// A checked attempt, counted against the pair, the account and the address.
pub async fn record(pool: &PgPool, username: &str, ip: &str, success: bool) -> sqlx::Result<()> {
    sqlx::query("SELECT auth_throttle_record($1, $2, $3)")
        .bind(username)
        .bind(ip)
        .bind(success)
        .execute(pool)
        .await?;
    tracing::info!(username, ip, success, "login attempt");
    Ok(())
}

static REFUSED: AtomicU64 = AtomicU64::new(0);

/// A refused attempt: counted in memory, logged at debug level only, never written.
pub fn note_refused(username: &str, ip: &str) {
    REFUSED.fetch_add(1, Ordering::Relaxed);
    tracing::debug!(username, ip, "login attempt refused by the throttle");
}

/// Attempts refused without a check since the process started.
pub fn refused_count() -> u64 {
    REFUSED.load(Ordering::Relaxed)
}

/// Rows one prune statement may delete, so a backlog never holds locks for long.
pub const PRUNE_BATCH: i32 = 5_000;

/// Deletes stale throttle counters and expired sessions of every tenant, a batch at a time until
/// none is left; returns how many of each.
pub async fn prune(
    pool: &PgPool,
    session_idle: Duration,
    session_max: Duration,
) -> sqlx::Result<(i64, i64)> {
    let (mut counters, mut sessions) = (0, 0);
    loop {
        let (c, s): (i64, i64) = sqlx::query_as("SELECT * FROM auth_prune($1, $2, $3)")
            .bind(session_idle.num_seconds())
            .bind(session_max.num_seconds())
            .bind(PRUNE_BATCH)
            .fetch_one(pool)
            .await?;
        counters += c;
        sessions += s;
        if c < PRUNE_BATCH as i64 && s < PRUNE_BATCH as i64 {
            return Ok((counters, sessions));
        }
    }
}

/// Prunes now and then every `every`, for as long as the process runs.
pub fn spawn_pruner(
    pool: PgPool,
    session_idle: Duration,
    session_max: Duration,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match prune(&pool, session_idle, session_max).await {
                Ok((counters, sessions)) => tracing::info!(
                    counters,
                    sessions,
                    refused_attempts = refused_count(),
                    "pruned stale login counters and expired sessions"
                ),
                // The database may be down for a while; the next tick tries again.
                Err(e) => tracing::warn!(error = %e, "pruning login counters and sessions failed"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const CAP: std::time::Duration = std::time::Duration::from_secs(8);

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap() + Duration::seconds(secs)
    }

    #[test]
    fn four_pair_failures_do_not_lock_the_fifth_does() {
        let mut c = Counters {
            pair_failures: 4,
            pair_last_failure: Some(t(4)),
            ..Default::default()
        };
        assert_eq!(decide(t(5), &c, true, CAP), Verdict::default());
        c.pair_failures = 5;
        assert_eq!(decide(t(5), &c, true, CAP).locked_until, Some(t(4 + 30)));
        assert_eq!(decide(t(4 + 30), &c, true, CAP).locked_until, None);
    }

    #[test]
    fn locks_double_and_stop_at_fifteen_minutes() {
        assert_eq!(lock_duration(4), None);
        assert_eq!(lock_duration(5), Some(Duration::seconds(30)));
        assert_eq!(lock_duration(6), Some(Duration::seconds(60)));
        assert_eq!(lock_duration(8), Some(Duration::seconds(240)));
        assert_eq!(lock_duration(20), Some(Duration::minutes(15)));
        assert_eq!(lock_duration(i32::MAX), Some(Duration::minutes(15)));
        let mut last = Duration::zero();
        for n in 0..100 {
            let d = lock_duration(n).unwrap_or(Duration::zero());
            assert!(d >= last, "a lock never shrinks as failures grow");
            last = d;
        }
    }

    #[test]
    fn an_account_attacked_from_many_addresses_is_slower_never_locked() {
        let c = Counters {
            account_failures: 500,
            account_last_failure: Some(t(0)),
            ..Default::default()
        };
        let v = decide(t(1), &c, true, CAP);
        assert_eq!(v.locked_until, None);
        assert_eq!(v.wrong_locks_until, None);
        assert_eq!(v.delay, CAP);
        // The owner's own address skips the delay.
        let known = Counters {
            pair_known: true,
            ..c
        };
        assert_eq!(decide(t(1), &known, true, CAP), Verdict::default());
        assert_eq!(slow_delay(9, CAP), std::time::Duration::ZERO);
        assert_eq!(slow_delay(10, CAP), std::time::Duration::from_secs(1));
        assert_eq!(slow_delay(12, CAP), std::time::Duration::from_secs(4));
        assert_eq!(slow_delay(i32::MAX, CAP), CAP);
    }

    #[test]
    fn a_flooded_address_refuses_unknown_accounts_and_checks_clean_ones() {
        let flooded = Counters {
            address_failures: ADDRESS_MAX_FAILURES,
            address_last_failure: Some(t(0)),
            ..Default::default()
        };
        let until = t(ADDRESS_WINDOW_MINUTES * 60);
        // An unknown username: refused without a check.
        assert_eq!(decide(t(1), &flooded, false, CAP).locked_until, Some(until));
        // An account that never failed from here: checked; only a wrong password is locked.
        let v = decide(t(1), &flooded, true, CAP);
        assert_eq!(v.locked_until, None);
        assert_eq!(v.wrong_locks_until, Some(until));
        // An account that failed from here already: refused.
        let failed_here = Counters {
            pair_failures: 1,
            pair_last_failure: Some(t(0)),
            ..flooded.clone()
        };
        assert_eq!(
            decide(t(1), &failed_here, true, CAP).locked_until,
            Some(until)
        );
        // Unless the owner logs in from here.
        let owners = Counters {
            pair_known: true,
            ..failed_here
        };
        assert_eq!(decide(t(1), &owners, true, CAP).locked_until, None);
        // The window passes.
        assert_eq!(decide(until, &flooded, false, CAP), Verdict::default());
    }
}
