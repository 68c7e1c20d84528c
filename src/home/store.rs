//! What the home page needs beyond the years themselves, in one statement: per open year of the
//! unit, how far the leader's setting-up has come and which votes are open.

use crate::db::TenantTx;

#[derive(sqlx::FromRow, Debug, Clone, Default)]
pub struct YearProgress {
    pub cluster_year_id: i64,
    pub members: i64,
    pub pledge_state: Option<String>,
    pub pledge_items: i64,
    pub signed: i64,
    pub finalised: i64,
    pub award_votes: i64,
    /// Open votes of the year: id, title, whether it takes ballots online, and whether this
    /// unit has already voted (participation only: nothing about its choices).
    pub open_vote_ids: Vec<i64>,
    pub open_vote_titles: Vec<String>,
    pub open_vote_online: Vec<bool>,
    pub open_vote_voted: Vec<bool>,
}

pub async fn progress(
    tx: &mut TenantTx,
    unit_id: i64,
    year_ids: &[i64],
) -> sqlx::Result<Vec<YearProgress>> {
    if year_ids.is_empty() {
        return Ok(Vec::new());
    }
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT y.id AS cluster_year_id,
                (SELECT count(*) FROM cluster_members m
                  WHERE m.tenant_id = $1 AND m.cluster_year_id = y.id) AS members,
                p.state AS pledge_state,
                (SELECT count(*) FROM pledge_items i
                  WHERE i.tenant_id = $1 AND i.cluster_year_id = y.id) AS pledge_items,
                (SELECT count(*) FROM pledge_signatures s
                  WHERE s.tenant_id = $1 AND s.cluster_year_id = y.id) AS signed,
                (SELECT count(*) FROM scoresheets sh
                  WHERE sh.tenant_id = $1 AND sh.cluster_year_id = y.id
                    AND sh.status = 'finalised') AS finalised,
                (SELECT count(*) FROM votes v
                  WHERE v.tenant_id = $1 AND v.cluster_year_id = y.id AND v.kind = 'award')
                  AS award_votes,
                coalesce(o.ids, '{}') AS open_vote_ids,
                coalesce(o.titles, '{}') AS open_vote_titles,
                coalesce(o.online, '{}') AS open_vote_online,
                coalesce(o.voted, '{}') AS open_vote_voted
           FROM unnest($3::bigint[]) AS y(id)
           LEFT JOIN pledges p ON p.tenant_id = $1 AND p.cluster_year_id = y.id
           LEFT JOIN LATERAL (
                SELECT array_agg(v.id ORDER BY v.id) AS ids,
                       array_agg(v.title ORDER BY v.id) AS titles,
                       array_agg(v.mode = 'online' ORDER BY v.id) AS online,
                       array_agg(EXISTS (SELECT 1 FROM vote_participation vp
                                          WHERE vp.tenant_id = $1 AND vp.vote_id = v.id
                                            AND vp.unit_id = $2) ORDER BY v.id) AS voted
                  FROM votes v
                 WHERE v.tenant_id = $1 AND v.cluster_year_id = y.id AND v.state = 'open'
           ) o ON true",
    )
    .bind(tenant_id)
    .bind(unit_id)
    .bind(year_ids)
    .fetch_all(&mut **tx)
    .await
}

/// Dossiers the council's office must act on: sent and not yet received, received and not yet
/// decided.
pub async fn council_inbox(tx: &mut TenantTx) -> sqlx::Result<(i64, i64)> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT count(*) FILTER (WHERE state = 'sent'), count(*) FILTER (WHERE state = 'received')
           FROM proposals WHERE tenant_id = $1",
    )
    .bind(tenant_id)
    .fetch_one(&mut **tx)
    .await
}
