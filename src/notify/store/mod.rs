//! The SQL of notifications: writing them for the right people in the caller's transaction, and
//! the current user's own list.

pub mod deadlines;

use chrono::{DateTime, Utc};
use sqlx::{Postgres, QueryBuilder};

use crate::db::TenantTx;
use crate::notify::model::{Note, Place};

/// Who receives a notification. Only users of the tenant who are not disabled, and never the
/// one who acted (unless the caller says so: the ballot's receipt).
#[derive(Debug, Clone)]
pub enum To {
    /// The head and officers of these units.
    Units(Vec<i64>),
    /// The head and officers of the leader unit of a cluster year.
    Leader(i64),
    /// Who verifies a unit's sheet: the leader unit, or the deputy for the leader's own.
    Verifier(i64, i64),
    /// The head and officers of every member unit of a cluster year.
    Members(i64),
    /// The heads of the member units of a cluster year (who hold the ballots).
    MemberHeads(i64),
    /// The head and officers of a dossier's nominee units (not withdrawn).
    Nominees(i64),
    /// The tenant's administrators (the council's staff).
    Admins,
    /// One user.
    User(i64),
}

/// The cluster, year and (optionally) unit an event is about, for its wording.
pub async fn place(tx: &mut TenantTx, year: i64, unit: Option<i64>) -> sqlx::Result<Place> {
    let r: Option<(String, i32, Option<String>)> = sqlx::query_as(
        "SELECT c.name, y.year, (SELECT u.name FROM units u WHERE u.id = $2)
           FROM cluster_years y JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
          WHERE y.id = $1",
    )
    .bind(year)
    .bind(unit)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(r.map(|(cluster, year, unit)| Place {
        cluster,
        year,
        unit: unit.unwrap_or_default(),
    })
    .unwrap_or_default())
}

/// Writes the note once for each recipient; returns how many were written.
pub async fn send(
    tx: &mut TenantTx,
    to: &[To],
    except: Option<i64>,
    actor: &str,
    link: &str,
    note: &Note,
) -> sqlx::Result<u64> {
    if to.is_empty() {
        return Ok(0);
    }
    let mut q: QueryBuilder<Postgres> = QueryBuilder::new(
        "INSERT INTO notifications (tenant_id, user_id, kind, title, body, link, actor)
         SELECT u.tenant_id, u.id, ",
    );
    q.push_bind(note.kind)
        .push(", ")
        .push_bind(&note.title)
        .push(", ")
        .push_bind(&note.body)
        .push(", ")
        .push_bind(link)
        .push(", ")
        .push_bind(actor)
        .push(" FROM users u WHERE NOT u.disabled AND u.id IS DISTINCT FROM ")
        .push_bind(except)
        .push(" AND (");
    for (i, t) in to.iter().enumerate() {
        if i > 0 {
            q.push(" OR ");
        }
        let staff = "u.role IN ('unit_head', 'unit_officer') AND ";
        match t {
            To::Units(ids) => q.push(staff).push("u.unit_id = ANY(").push_bind(ids.clone()),
            To::Leader(y) => q
                .push(staff)
                .push("u.unit_id = (SELECT leader_unit_id FROM cluster_years WHERE id = ")
                .push_bind(*y),
            To::Verifier(y, unit) => q
                .push(staff)
                .push("u.unit_id = (SELECT CASE WHEN leader_unit_id = ")
                .push_bind(*unit)
                .push(" THEN deputy_unit_id ELSE leader_unit_id END FROM cluster_years WHERE id = ")
                .push_bind(*y),
            To::Members(y) => q
                .push(staff)
                .push("u.unit_id IN (SELECT unit_id FROM cluster_members WHERE cluster_year_id = ")
                .push_bind(*y),
            To::MemberHeads(y) => q
                .push("u.role = 'unit_head' AND ")
                .push("u.unit_id IN (SELECT unit_id FROM cluster_members WHERE cluster_year_id = ")
                .push_bind(*y),
            To::Nominees(p) => q
                .push(staff)
                .push("u.unit_id IN (SELECT unit_id FROM proposal_nominees WHERE withdrawn_at IS NULL AND proposal_id = ")
                .push_bind(*p),
            To::Admins => q.push("u.role = 'tenant_admin' AND (TRUE"),
            To::User(id) => q.push("u.id = (").push_bind(*id),
        };
        q.push(")");
    }
    q.push(")");
    Ok(q.build().execute(&mut **tx).await?.rows_affected())
}

/// One notification as the list shows it.
#[derive(sqlx::FromRow, Debug)]
pub struct Row {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub actor: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    pub total: i64,
}

/// A page of the user's own notifications, newest first, with how many there are in all (one
/// statement).
pub async fn list(
    tx: &mut TenantTx,
    user_id: i64,
    offset: i64,
    size: i64,
) -> sqlx::Result<Vec<Row>> {
    sqlx::query_as(
        "SELECT id, title, body, actor, created_at, read_at, count(*) OVER () AS total
           FROM notifications WHERE user_id = $1
          ORDER BY id DESC OFFSET $2 LIMIT $3",
    )
    .bind(user_id)
    .bind(offset)
    .bind(size)
    .fetch_all(&mut **tx)
    .await
}

/// Marks the user's own notification read and gives its link; none when it is not theirs.
pub async fn open(tx: &mut TenantTx, user_id: i64, id: i64) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "UPDATE notifications SET read_at = COALESCE(read_at, now())
          WHERE id = $1 AND user_id = $2 RETURNING link",
    )
    .bind(id)
    .bind(user_id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn read_all(tx: &mut TenantTx, user_id: i64) -> sqlx::Result<u64> {
    Ok(sqlx::query(
        "UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user_id)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

/// A dossier's reports to write: (unit, award) of each nominee not withdrawn, one report per
/// award form.
pub async fn nominee_reports(tx: &mut TenantTx, proposal: i64) -> sqlx::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT unit_id, award_type_id FROM proposal_nominees
          WHERE proposal_id = $1 AND withdrawn_at IS NULL ORDER BY unit_id, position",
    )
    .bind(proposal)
    .fetch_all(&mut **tx)
    .await
}
