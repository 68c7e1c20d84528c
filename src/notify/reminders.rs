//! Deadline reminders: one pass over every tenant finds the units that have not acted before
//! a deadline due for a reminder today (or missed while the server was down: the latest one,
//! once, see `Schedule::due`), reminds each once, and gives the leader (the council's
//! staff, for dossiers) one list of who is late. Run at start and every ten minutes; a pass may
//! run any number of times a day and on several instances at once: `reminders_sent` keeps each
//! reminder to one.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;

use crate::db::TenantTx;
use crate::notify::model::{Deadline, Due, Event, Place, note};
use crate::notify::store::deadlines::{self, Pending};
use crate::notify::store::{self, To};

/// How often the pass runs.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(600);

/// One pass over all tenants at `now`; returns the notifications written.
pub async fn run_once(pool: &PgPool, now: DateTime<Utc>) -> sqlx::Result<u64> {
    let today = now.with_timezone(&crate::web::vn::vn_offset()).date_naive();
    let tenants: Vec<i64> = sqlx::query_scalar("SELECT id FROM platform_tenants() ORDER BY id")
        .fetch_all(pool)
        .await?;
    let mut sent = 0;
    for tenant in tenants {
        let mut tx = TenantTx::begin(pool, tenant).await?;
        sent += tenant_pass(&mut tx, today).await?;
        tx.commit().await?;
    }
    Ok(sent)
}

async fn tenant_pass(tx: &mut TenantTx, today: NaiveDate) -> sqlx::Result<u64> {
    let schedule = deadlines::schedule(tx).await?;
    let mut sent = 0;
    for kind in Deadline::ALL {
        let pending = deadlines::pending(tx, kind, today).await?;
        // The late units of each cluster year and deadline due today, for the summary.
        let mut late: BTreeMap<(i64, NaiveDate, Due), Vec<String>> = BTreeMap::new();
        for p in &pending {
            let Some(due) = schedule.due(p.deadline, today) else {
                continue;
            };
            late.entry((p.year, p.deadline, due))
                .or_default()
                .push(p.unit_name.clone());
            sent += remind_unit(tx, kind, p, due).await?;
        }
        for ((year, deadline, due), names) in late {
            if !deadlines::claim(tx, kind, year, None, deadline, due.day).await? {
                continue;
            }
            let place = store::place(tx, year, None).await?;
            let e = Event::LateSummary {
                deadline: kind,
                date: deadline,
                days_before: due.left,
                late: &names,
            };
            let to = match kind {
                Deadline::Dossier => To::Admins,
                _ => To::Leader(year),
            };
            let link = link(kind, year, None);
            sent += store::send(tx, &[to], None, "", &link, &note(&e, &place)).await?;
        }
    }
    Ok(sent)
}

async fn remind_unit(
    tx: &mut TenantTx,
    kind: Deadline,
    p: &Pending,
    due: Due,
) -> sqlx::Result<u64> {
    if !deadlines::claim(tx, kind, p.year, Some(p.unit), p.deadline, due.day).await? {
        return Ok(0);
    }
    let mut place: Place = store::place(tx, p.year, None).await?;
    place.unit = p.unit_name.clone();
    let e = Event::Reminder {
        deadline: kind,
        date: p.deadline,
        days_before: due.left,
    };
    let to = [To::Units(vec![p.unit])];
    let link = link(kind, p.year, Some(p.unit));
    store::send(tx, &to, None, "", &link, &note(&e, &place)).await
}

/// The page where the late step is taken.
fn link(kind: Deadline, year: i64, unit: Option<i64>) -> String {
    match (kind, unit) {
        (Deadline::Pledge, _) => format!("/years/{year}/pledge"),
        (Deadline::Registration, Some(u)) => format!("/years/{year}/registrations/{u}"),
        (Deadline::Registration, None) => format!("/years/{year}/registrations"),
        (Deadline::Scoring, Some(u)) => format!("/years/{year}/sheets/{u}"),
        (Deadline::Scoring, None) => format!("/years/{year}/scoring"),
        (Deadline::Dossier, _) => format!("/years/{year}/proposal"),
    }
}

/// Runs the pass now and then every `every`, for as long as the process runs.
pub fn spawn(pool: PgPool, every: std::time::Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_once(&pool, Utc::now()).await {
                Ok(sent) => tracing::info!(sent, "deadline reminders pass"),
                // The database may be down for a while; the next tick tries again.
                Err(e) => tracing::warn!(error = %e, "deadline reminders pass failed"),
            }
        }
    })
}
