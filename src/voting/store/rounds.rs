//! Reading votes as they are counted: given votes, every round they continue, with the
//! candidates and counts of each, in one statement apiece however many votes and rounds.

use super::{Candidate, VOTE_SELECT, Vote};
use crate::db::TenantTx;
use crate::voting::model::Count;

/// A vote and the vote that continues it in a further round, if any.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Round {
    #[sqlx(flatten)]
    pub vote: Vote,
    pub next_round_id: Option<i64>,
}

/// The votes `ids` and every vote they continue (through `previous_vote_id`), oldest first.
pub async fn votes_with_rounds(tx: &mut TenantTx, ids: &[i64]) -> sqlx::Result<Vec<Round>> {
    let tenant_id = tx.tenant_id();
    // UNION, not UNION ALL: a chain that somehow loops ends instead of recursing for ever.
    // `= ANY(ARRAY(…))`, not `IN (SELECT …)`: the planner guesses the chain large and scanned
    // every vote of the tenant for it (20 ms at 20,000 votes, 0.3 ms as a lookup).
    sqlx::query_as(&format!(
        "WITH RECURSIVE chain AS (
             SELECT id, previous_vote_id FROM votes WHERE tenant_id = $1 AND id = ANY($2)
             UNION
             SELECT v.id, v.previous_vote_id FROM votes v
               JOIN chain c ON v.id = c.previous_vote_id
              WHERE v.tenant_id = $1)
         SELECT x.*, (SELECT n.id FROM votes n
                       WHERE n.tenant_id = $1 AND n.previous_vote_id = x.id
                       ORDER BY n.id LIMIT 1) AS next_round_id
           FROM ({VOTE_SELECT} WHERE tenant_id = $1 AND id = ANY(ARRAY(SELECT id FROM chain))) x
          ORDER BY x.round, x.id"
    ))
    .bind(tenant_id)
    .bind(ids)
    .fetch_all(&mut **tx)
    .await
}

#[derive(sqlx::FromRow)]
struct CandidateOf {
    vote_id: i64,
    #[sqlx(flatten)]
    c: Candidate,
}

/// The candidates of several votes, as (vote, candidate), each vote's in the ballot's order.
pub async fn candidates_of(
    tx: &mut TenantTx,
    vote_ids: &[i64],
) -> sqlx::Result<Vec<(i64, Candidate)>> {
    let tenant_id = tx.tenant_id();
    let rows: Vec<CandidateOf> = sqlx::query_as(
        r#"SELECT c.vote_id, c.id, c.award_type_id, a.name AS award_name, c.role, c.unit_id,
                  u.name AS unit_name
             FROM vote_candidates c
             JOIN units u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id
             LEFT JOIN award_types a ON a.tenant_id = c.tenant_id AND a.id = c.award_type_id
            WHERE c.tenant_id = $1 AND c.vote_id = ANY($2)
            ORDER BY c.vote_id, a.position NULLS FIRST, c.role DESC NULLS LAST,
                     u.name COLLATE "vi-VN-x-icu", c.id"#,
    )
    .bind(tenant_id)
    .bind(vote_ids)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(|r| (r.vote_id, r.c)).collect())
}

/// The counts of several votes as (vote, counted on paper, count): the committee's figures for
/// a paper vote, the decrypted totals for an online one. The caller keeps those of each vote's
/// own mode.
pub async fn counts_of(
    tx: &mut TenantTx,
    vote_ids: &[i64],
) -> sqlx::Result<Vec<(i64, bool, Count)>> {
    let tenant_id = tx.tenant_id();
    let rows: Vec<(i64, bool, i64, i32, i32)> = sqlx::query_as(
        "SELECT vote_id, true, candidate_id, votes_for, votes_against FROM paper_counts
          WHERE tenant_id = $1 AND vote_id = ANY($2)
         UNION ALL
         SELECT vote_id, false, candidate_id, votes_for, votes_against FROM vote_totals
          WHERE tenant_id = $1 AND vote_id = ANY($2)",
    )
    .bind(tenant_id)
    .bind(vote_ids)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(v, paper, c, f, a)| {
            (
                v,
                paper,
                Count {
                    candidate_id: c,
                    votes_for: f.max(0) as u32,
                    votes_against: a.max(0) as u32,
                },
            )
        })
        .collect())
}
