//! The SQL of votes, candidates, participation, ballots and paper counts. Every change writes
//! its audit row in the caller's transaction; no audit row ever says what a unit chose.

mod rounds;

pub use rounds::{Round, votes_with_rounds};

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::model::{self, VoteKind, VoteMode, VoteState};
use crate::audit::{self, Actor};

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Vote {
    pub id: i64,
    pub cluster_year_id: i64,
    pub kind: VoteKind,
    pub title: String,
    pub state: VoteState,
    pub mode: VoteMode,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub results_released: bool,
    pub counting_committee: String,
    pub round: i16,
    pub previous_vote_id: Option<i64>,
    pub committee_threshold: i16,
    pub counted_ballots: Option<i32>,
    pub quota_per_ballot: bool,
    /// Paper: the ballots that came back, and the invalid ones among them (migration 0030).
    pub ballots_received: Option<i32>,
    pub ballots_invalid: i32,
}

const VOTE_SELECT: &str =
    "SELECT id, cluster_year_id, kind, title, state, mode, opened_at, closed_at,
        results_released, counting_committee, round, previous_vote_id, committee_threshold,
        counted_ballots, quota_per_ballot, ballots_received, ballots_invalid FROM votes";

pub async fn vote(tx: &mut crate::db::TenantTx, id: i64) -> sqlx::Result<Option<Vote>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!("{VOTE_SELECT} WHERE tenant_id = $1 AND id = $2"))
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

/// Locks the vote row, so that state changes and ballots are serialised.
pub async fn vote_for_update(tx: &mut crate::db::TenantTx, id: i64) -> sqlx::Result<Option<Vote>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{VOTE_SELECT} WHERE tenant_id = $1 AND id = $2 FOR UPDATE"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn votes_of_year(tx: &mut crate::db::TenantTx, year_id: i64) -> sqlx::Result<Vec<Vote>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{VOTE_SELECT} WHERE tenant_id = $1 AND cluster_year_id = $2 ORDER BY id"
    ))
    .bind(tenant_id)
    .bind(year_id)
    .fetch_all(&mut **tx)
    .await
}

pub async fn insert_vote(
    conn: &mut PgConnection,
    actor: &Actor,
    year_id: i64,
    kind: VoteKind,
    title: &str,
    mode: VoteMode,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO votes (tenant_id, cluster_year_id, kind, title, mode) VALUES ($1, $2, $3, $4, $5)
         RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(year_id)
    .bind(kind.as_str())
    .bind(title)
    .bind(mode.as_str())
    .fetch_one(&mut *conn)
    .await?;
    audit_vote(conn, actor, id, "created",
        None,
        Some(serde_json::json!({ "cluster_year_id": year_id, "kind": kind, "title": title, "mode": mode })),
    )
    .await?;
    Ok(id)
}

/// Opens the next round of a closed award vote among `tied` (award type, unit): a draft vote
/// in the same mode, linked to the previous one.
pub async fn insert_next_round(
    conn: &mut PgConnection,
    actor: &Actor,
    previous: &Vote,
    title: &str,
    tied: &[(i64, i64)],
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO votes (tenant_id, cluster_year_id, kind, title, mode, round, previous_vote_id)
         VALUES ($1, $2, 'award', $3, $4, $5, $6) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(previous.cluster_year_id)
    .bind(title)
    .bind(previous.mode.as_str())
    .bind(previous.round + 1)
    .bind(previous.id)
    .fetch_one(&mut *conn)
    .await?;
    audit_vote(
        conn,
        actor,
        id,
        "created",
        None,
        Some(
            serde_json::json!({ "cluster_year_id": previous.cluster_year_id, "kind": "award",
            "title": title, "round": previous.round + 1, "previous_vote_id": previous.id }),
        ),
    )
    .await?;
    for (award, unit) in tied {
        add_candidate(conn, actor, id, Some(*award), None, *unit).await?;
    }
    Ok(id)
}

/// The vote that continues `id` in a further round, if any.
pub async fn next_round_of(tx: &mut crate::db::TenantTx, id: i64) -> sqlx::Result<Option<i64>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar("SELECT id FROM votes WHERE tenant_id = $1 AND previous_vote_id = $2")
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

#[derive(sqlx::FromRow, serde::Deserialize, Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub award_type_id: Option<i64>,
    pub award_name: Option<String>,
    pub role: Option<String>,
    pub unit_id: i64,
    pub unit_name: String,
}

pub async fn candidates(
    tx: &mut crate::db::TenantTx,
    vote_id: i64,
) -> sqlx::Result<Vec<Candidate>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT c.id, c.award_type_id, a.name AS award_name, c.role, c.unit_id, u.name AS unit_name
             FROM vote_candidates c
             JOIN units u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id
             LEFT JOIN award_types a ON a.tenant_id = c.tenant_id AND a.id = c.award_type_id
            WHERE c.tenant_id = $1 AND c.vote_id = $2
            ORDER BY a.position NULLS FIRST, c.role DESC NULLS LAST, u.name COLLATE "vi-VN-x-icu", c.id"#,
    )
    .bind(tenant_id)
    .bind(vote_id)
    .fetch_all(&mut **tx)
    .await
}

/// Adds a candidate; false when it was already there.
pub async fn add_candidate(
    conn: &mut PgConnection,
    actor: &Actor,
    vote_id: i64,
    award_type_id: Option<i64>,
    role: Option<&str>,
    unit_id: i64,
) -> sqlx::Result<bool> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO vote_candidates (tenant_id, vote_id, award_type_id, role, unit_id)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(vote_id)
    .bind(award_type_id)
    .bind(role)
    .bind(unit_id)
    .fetch_optional(&mut *conn)
    .await?;
    if id.is_some() {
        audit_vote(conn, actor, vote_id, "candidate_added",
            None,
            Some(serde_json::json!({ "award_type_id": award_type_id, "role": role, "unit_id": unit_id })),
        )
        .await?;
    }
    Ok(id.is_some())
}

pub async fn remove_candidate(
    conn: &mut PgConnection,
    actor: &Actor,
    vote_id: i64,
    candidate_id: i64,
) -> sqlx::Result<bool> {
    let gone: Option<(Option<i64>, Option<String>, i64)> = sqlx::query_as(
        "DELETE FROM vote_candidates WHERE tenant_id = $1 AND vote_id = $2 AND id = $3
         RETURNING award_type_id, role, unit_id",
    )
    .bind(actor.tenant_id)
    .bind(vote_id)
    .bind(candidate_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((award_type_id, role, unit_id)) = &gone {
        audit_vote(conn, actor, vote_id, "candidate_removed",
            Some(serde_json::json!({ "award_type_id": award_type_id, "role": role, "unit_id": unit_id })),
            None,
        )
        .await?;
    }
    Ok(gone.is_some())
}

/// Moves a vote to `state` (open or closed), stamping the time.
pub async fn set_state(
    conn: &mut PgConnection,
    actor: &Actor,
    v: &Vote,
    state: VoteState,
) -> sqlx::Result<()> {
    let stamp = if state.is_open() {
        "opened_at"
    } else {
        "closed_at"
    };
    sqlx::query(&format!(
        "UPDATE votes SET state = $3, {stamp} = now() WHERE tenant_id = $1 AND id = $2"
    ))
    .bind(actor.tenant_id)
    .bind(v.id)
    .bind(state.as_str())
    .execute(&mut *conn)
    .await?;
    audit_vote(
        conn,
        actor,
        v.id,
        state.step_name(),
        Some(serde_json::json!({ "state": v.state })),
        Some(serde_json::json!({ "state": state })),
    )
    .await
}

pub async fn release(conn: &mut PgConnection, actor: &Actor, v: &Vote) -> sqlx::Result<()> {
    sqlx::query("UPDATE votes SET results_released = true WHERE tenant_id = $1 AND id = $2")
        .bind(actor.tenant_id)
        .bind(v.id)
        .execute(&mut *conn)
        .await?;
    audit_vote(
        conn,
        actor,
        v.id,
        "results_released",
        Some(serde_json::json!({ "results_released": false })),
        Some(serde_json::json!({ "results_released": true })),
    )
    .await
}

/// The counting committee's figures (paper mode): candidate id → (for, against).
pub async fn paper_counts(
    tx: &mut crate::db::TenantTx,
    vote_id: i64,
) -> sqlx::Result<Vec<model::Count>> {
    let tenant_id = tx.tenant_id();
    let rows: Vec<(i64, i32, i32)> = sqlx::query_as(
        "SELECT candidate_id, votes_for, votes_against FROM paper_counts WHERE tenant_id = $1 AND vote_id = $2",
    )
    .bind(tenant_id)
    .bind(vote_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(c, f, a)| model::Count {
            candidate_id: c,
            votes_for: f.max(0) as u32,
            votes_against: a.max(0) as u32,
        })
        .collect())
}

pub async fn save_paper_counts(
    conn: &mut PgConnection,
    actor: &Actor,
    v: &Vote,
    counts: &[model::Count],
    committee: &str,
    (received, invalid): (Option<u32>, u32),
) -> sqlx::Result<()> {
    for k in counts {
        sqlx::query(
            "INSERT INTO paper_counts (tenant_id, vote_id, candidate_id, votes_for, votes_against)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (tenant_id, vote_id, candidate_id)
             DO UPDATE SET votes_for = EXCLUDED.votes_for, votes_against = EXCLUDED.votes_against",
        )
        .bind(actor.tenant_id)
        .bind(v.id)
        .bind(k.candidate_id)
        .bind(k.votes_for as i32)
        .bind(k.votes_against as i32)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "UPDATE votes SET counting_committee = $3, ballots_received = $4, ballots_invalid = $5
          WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(v.id)
    .bind(committee)
    .bind(received.map(|r| r as i32))
    .bind(invalid as i32)
    .execute(&mut *conn)
    .await?;
    let after: serde_json::Map<String, serde_json::Value> = counts
        .iter()
        .map(|k| {
            (
                k.candidate_id.to_string(),
                serde_json::json!({ "for": k.votes_for, "against": k.votes_against }),
            )
        })
        .collect();
    audit_vote(
        conn,
        actor,
        v.id,
        "paper_counts_entered",
        None,
        Some(
            serde_json::json!({ "counts": after, "counting_committee": committee,
            "ballots_received": received, "ballots_invalid": invalid }),
        ),
    )
    .await
}

/// Every change to a vote, its candidates, committee, ballots and counts is audited against
/// the vote, in the caller's transaction: one shape for the whole trail of a vote.
pub(crate) async fn audit_vote(
    conn: &mut PgConnection,
    actor: &Actor,
    vote_id: i64,
    action: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> sqlx::Result<()> {
    audit::record(
        conn,
        actor,
        "vote",
        &vote_id.to_string(),
        action,
        before,
        after,
    )
    .await
}
