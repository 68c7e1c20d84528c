//! The SQL of reminders: the tenant's chosen days, who has not yet acted before each deadline,
//! and the claim that keeps a reminder to one.

use chrono::NaiveDate;

use crate::db::TenantTx;
use crate::notify::model::{CATCH_UP_DAYS, Deadline, Schedule};

/// A unit that has not acted before a deadline of a cluster year.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Pending {
    pub year: i64,
    pub unit: i64,
    pub unit_name: String,
    pub deadline: NaiveDate,
}

/// The tenant's reminder days (the settings page writes them), the defaults where it has none.
pub async fn schedule(tx: &mut TenantTx) -> sqlx::Result<Schedule> {
    let r: Option<(Vec<i16>, bool)> =
        sqlx::query_as("SELECT reminder_days, reminder_day_after FROM tenant_settings")
            .fetch_optional(&mut **tx)
            .await?;
    Ok(match r {
        Some((days, day_after)) => Schedule {
            days_before: days.into_iter().map(i32::from).collect(),
            day_after,
        },
        None => Schedule::default(),
    })
}

/// Units that have not acted, whose deadline falls between the last day a reminder after it
/// may still be caught up (`CATCH_UP_DAYS` past the day after) and 60 days ahead, in a
/// fixed order (two instances claim in the same order, so neither waits on the other in turn).
pub async fn pending(
    tx: &mut TenantTx,
    kind: Deadline,
    today: NaiveDate,
) -> sqlx::Result<Vec<Pending>> {
    let sql = match kind {
        Deadline::Pledge => {
            "SELECT p.cluster_year_id AS year, m.unit_id AS unit, un.name AS unit_name,
                    p.signing_deadline AS deadline
               FROM pledges p
               JOIN cluster_members m ON m.cluster_year_id = p.cluster_year_id
               JOIN units un ON un.id = m.unit_id
              WHERE p.state = 'open' AND p.signing_deadline BETWEEN $1 - $2 AND $1 + 60
                AND NOT EXISTS (SELECT 1 FROM pledge_signatures s
                                 WHERE s.cluster_year_id = p.cluster_year_id AND s.unit_id = m.unit_id)"
        }
        Deadline::Registration => {
            "SELECT y.id AS year, m.unit_id AS unit, un.name AS unit_name,
                    y.registration_deadline AS deadline
               FROM cluster_years y
               JOIN cluster_members m ON m.cluster_year_id = y.id
               JOIN units un ON un.id = m.unit_id
              WHERE y.phase <> 'closed' AND y.registration_deadline BETWEEN $1 - $2 AND $1 + 60
                AND NOT EXISTS (SELECT 1 FROM registrations r
                                 WHERE r.cluster_year_id = y.id AND r.unit_id = m.unit_id
                                   AND r.state = 'submitted')"
        }
        Deadline::Scoring => {
            "SELECT y.id AS year, m.unit_id AS unit, un.name AS unit_name,
                    COALESCE(s.deadline_override, y.scoring_deadline) AS deadline
               FROM cluster_years y
               JOIN cluster_members m ON m.cluster_year_id = y.id
               JOIN units un ON un.id = m.unit_id
               LEFT JOIN scoresheets s ON s.cluster_year_id = y.id AND s.unit_id = m.unit_id
              WHERE y.phase <> 'closed' AND y.criteria_table_id IS NOT NULL
                AND COALESCE(s.deadline_override, y.scoring_deadline) BETWEEN $1 - $2 AND $1 + 60
                AND COALESCE(s.status, 'draft') IN ('draft', 'returned')"
        }
        // The leader unit sends the dossier, once the vote is behind it.
        Deadline::Dossier => {
            "SELECT y.id AS year, y.leader_unit_id AS unit, un.name AS unit_name, d.deadline
               FROM cluster_years y
               JOIN units un ON un.id = y.leader_unit_id
               CROSS JOIN LATERAL (
                   SELECT make_date(y.year,
                              COALESCE((SELECT proposal_deadline_month FROM tenant_settings), 12),
                              COALESCE((SELECT proposal_deadline_day FROM tenant_settings), 10))
                          AS deadline) d
              WHERE y.phase IN ('voting', 'proposals')
                AND d.deadline BETWEEN $1 - $2 AND $1 + 60
                AND NOT EXISTS (SELECT 1 FROM proposals p WHERE p.cluster_year_id = y.id
                                   AND p.state IN ('sent', 'received', 'decided'))"
        }
    };
    sqlx::query_as(&format!("{sql} ORDER BY 1, 2"))
        .bind(today)
        .bind(CATCH_UP_DAYS + 1)
        .fetch_all(&mut **tx)
        .await
}

/// Claims one reminder (a unit's, or `None` for the summary) under its chosen day; false when it
/// was sent already, on that day or caught up later.
/// A second instance claiming at the same moment waits for the first to commit, then finds it.
pub async fn claim(
    tx: &mut TenantTx,
    kind: Deadline,
    year: i64,
    unit: Option<i64>,
    deadline: NaiveDate,
    days_before: i32,
) -> sqlx::Result<bool> {
    let target = unit.map_or_else(|| "summary".to_string(), |u| u.to_string());
    let r = sqlx::query(
        "INSERT INTO reminders_sent (tenant_id, deadline_kind, cluster_year_id, target, deadline,
                                     days_before)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    )
    .bind(tx.tenant_id())
    .bind(kind.key())
    .bind(year)
    .bind(target)
    .bind(deadline)
    .bind(days_before as i16)
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}
