//! Login throttling. Failures for an account slow it down and then lock it for a while; a
//! flood from one address locks that address. Failures from addresses that have never logged
//! in to an account do not count against the addresses the owner has used, so an attacker
//! elsewhere cannot keep the real user out.

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// Failures an account may have before it locks.
pub const ACCOUNT_FREE_FAILURES: usize = 5;
/// Failures one address may have (any accounts) in `ADDRESS_WINDOW` before it locks.
pub const ADDRESS_MAX_FAILURES: i64 = 30;
pub const ADDRESS_WINDOW_MINUTES: i64 = 15;
pub const FIRST_LOCK_SECONDS: i64 = 30;
pub const MAX_LOCK_MINUTES: i64 = 15;

#[derive(Debug, Clone)]
pub struct Failure {
    pub at: DateTime<Utc>,
    pub ip: String,
}

/// What is known about earlier attempts when a new one arrives.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Failures for this username since its last success (at most a day back).
    pub account_failures: Vec<Failure>,
    /// Addresses that logged in to this username successfully in the last 30 days.
    pub known_addresses: Vec<String>,
    /// Failures from this address in the last `ADDRESS_WINDOW_MINUTES`.
    pub address_failures: i64,
    pub last_address_failure: Option<DateTime<Utc>>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Locked { until: DateTime<Utc> },
}

/// The lock after `n` counted failures: none up to the free ones, then 30 s, doubling, at most
/// 15 minutes.
pub fn lock_duration(n: usize) -> Option<Duration> {
    if n < ACCOUNT_FREE_FAILURES {
        return None;
    }
    let doublings = (n - ACCOUNT_FREE_FAILURES).min(10) as u32;
    let secs = FIRST_LOCK_SECONDS.saturating_mul(1 << doublings);
    Some(Duration::seconds(secs.min(MAX_LOCK_MINUTES * 60)))
}

pub fn decide(now: DateTime<Utc>, ip: &str, h: &History) -> Decision {
    let mut until: Option<DateTime<Utc>> = None;

    let from_known = h.known_addresses.iter().any(|a| a == ip);
    // Only failures from the same side (the owner's known addresses, or everywhere else) count.
    let relevant: Vec<&Failure> = h
        .account_failures
        .iter()
        .filter(|f| h.known_addresses.contains(&f.ip) == from_known)
        .collect();
    if let (Some(d), Some(last)) = (
        lock_duration(relevant.len()),
        relevant.iter().map(|f| f.at).max(),
    ) {
        until = until.max(Some(last + d));
    }

    if let Some(last) = h.last_address_failure
        && h.address_failures >= ADDRESS_MAX_FAILURES
    {
        until = until.max(Some(last + Duration::minutes(ADDRESS_WINDOW_MINUTES)));
    }

    match until {
        Some(u) if u > now => Decision::Locked { until: u },
        _ => Decision::Allow,
    }
}

pub async fn history(pool: &PgPool, username: &str, ip: &str) -> sqlx::Result<History> {
    let account_failures: Vec<(DateTime<Utc>, String)> = sqlx::query_as(
        "SELECT at, ip FROM login_attempts
          WHERE username = $1 AND NOT success AND NOT locked_out
            AND at > greatest(now() - interval '1 day',
                              coalesce((SELECT max(at) FROM login_attempts
                                         WHERE username = $1 AND success), '-infinity'))
          ORDER BY at",
    )
    .bind(username)
    .fetch_all(pool)
    .await?;
    let known_addresses: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT ip FROM login_attempts
          WHERE username = $1 AND success AND at > now() - interval '30 days'",
    )
    .bind(username)
    .fetch_all(pool)
    .await?;
    let (address_failures, last_address_failure): (i64, Option<DateTime<Utc>>) = sqlx::query_as(
        "SELECT count(*), max(at) FROM login_attempts
          WHERE ip = $1 AND NOT success AND NOT locked_out
            AND at > now() - make_interval(mins => $2)",
    )
    .bind(ip)
    .bind(ADDRESS_WINDOW_MINUTES as i32)
    .fetch_one(pool)
    .await?;
    Ok(History {
        account_failures: account_failures
            .into_iter()
            .map(|(at, ip)| Failure { at, ip })
            .collect(),
        known_addresses,
        address_failures,
        last_address_failure,
    })
}

pub async fn record(
    pool: &PgPool,
    username: &str,
    ip: &str,
    success: bool,
    locked_out: bool,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO login_attempts (username, ip, success, locked_out) VALUES ($1, $2, $3, $4)",
    )
    .bind(username)
    .bind(ip)
    .bind(success)
    .bind(locked_out)
    .execute(pool)
    .await?;
    tracing::info!(username, ip, success, locked_out, "login attempt");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(secs: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap() + Duration::seconds(secs)
    }

    fn failures(n: usize, ip: &str) -> Vec<Failure> {
        (0..n)
            .map(|i| Failure {
                at: t(i as i64),
                ip: ip.into(),
            })
            .collect()
    }

    #[test]
    fn four_failures_do_not_lock_the_fifth_does() {
        let mut h = History {
            account_failures: failures(4, "1.1.1.1"),
            ..Default::default()
        };
        assert_eq!(decide(t(5), "1.1.1.1", &h), Decision::Allow);
        h.account_failures = failures(5, "1.1.1.1");
        assert_eq!(
            decide(t(5), "1.1.1.1", &h),
            Decision::Locked { until: t(4 + 30) }
        );
        assert_eq!(decide(t(4 + 30), "1.1.1.1", &h), Decision::Allow);
    }

    #[test]
    fn locks_double_and_stop_at_fifteen_minutes() {
        assert_eq!(lock_duration(4), None);
        assert_eq!(lock_duration(5), Some(Duration::seconds(30)));
        assert_eq!(lock_duration(6), Some(Duration::seconds(60)));
        assert_eq!(lock_duration(8), Some(Duration::seconds(240)));
        assert_eq!(lock_duration(20), Some(Duration::minutes(15)));
        assert_eq!(lock_duration(10_000), Some(Duration::minutes(15)));
        let mut last = Duration::zero();
        for n in 0..100 {
            let d = lock_duration(n).unwrap_or(Duration::zero());
            assert!(d >= last, "a lock never shrinks as failures grow");
            last = d;
        }
    }

    #[test]
    fn an_attacker_elsewhere_does_not_lock_out_the_owners_address() {
        let h = History {
            account_failures: failures(50, "6.6.6.6"),
            known_addresses: vec!["10.0.0.7".into()],
            ..Default::default()
        };
        assert_eq!(decide(t(60), "10.0.0.7", &h), Decision::Allow);
        assert!(matches!(
            decide(t(60), "6.6.6.6", &h),
            Decision::Locked { .. }
        ));
        assert!(matches!(
            decide(t(60), "7.7.7.7", &h),
            Decision::Locked { .. }
        ));
    }

    #[test]
    fn a_flood_from_one_address_locks_that_address() {
        let h = History {
            address_failures: ADDRESS_MAX_FAILURES,
            last_address_failure: Some(t(0)),
            ..Default::default()
        };
        assert_eq!(
            decide(t(1), "6.6.6.6", &h),
            Decision::Locked {
                until: t(ADDRESS_WINDOW_MINUTES * 60)
            }
        );
        assert_eq!(
            decide(t(ADDRESS_WINDOW_MINUTES * 60), "6.6.6.6", &h),
            Decision::Allow
        );
    }
}
