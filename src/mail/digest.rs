//! The daily digest: one message per user in digest mode and day, with the notifications since
//! their last one. Queued in the outbox like any other message; the worker sends it.

use anyhow::Result;
use chrono::{DateTime, Timelike, Utc};
use sqlx::PgPool;

/// Digests are queued from this hour of the day (Viet Nam time), after the working day.
pub const DIGEST_HOUR: u32 = 17;

/// Whether the background loop should queue today's digests at `now`. Running again the same
/// day queues nothing more, so the loop may ask at every tick.
pub fn due(now: DateTime<Utc>) -> bool {
    now.with_timezone(&crate::web::vn::vn_offset()).hour() >= DIGEST_HOUR
}

/// Queues the digests of `now`'s day (Viet Nam time) for every tenant; returns how many were
/// queued. Never twice for the same user and day, even from two instances at once.
pub async fn run_once(db: &PgPool, now: DateTime<Utc>) -> Result<i64> {
    let n: i32 = sqlx::query_scalar("SELECT mail_queue_digests($1)")
        .bind(now)
        .fetch_one(db)
        .await?;
    Ok(n.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn digests_wait_for_the_end_of_the_working_day_in_viet_nam() {
        // 09:59 UTC is 16:59 in Viet Nam; 10:00 UTC is 17:00.
        assert!(!due(Utc.with_ymd_and_hms(2026, 12, 1, 9, 59, 0).unwrap()));
        assert!(due(Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap()));
        assert!(due(Utc.with_ymd_and_hms(2026, 12, 1, 16, 59, 0).unwrap()));
        assert!(!due(Utc.with_ymd_and_hms(2026, 12, 1, 17, 0, 0).unwrap()));
    }
}
