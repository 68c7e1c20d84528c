//! Counting a closed vote: the ballots online or the committee's figures on paper, through the
//! pure rules of `model`. The vote page, the minutes and the cover letter all read this one count.

use super::model::{self, AwardCandidate, AwardRule, Count};
use super::store::{self, Candidate, Vote};
use crate::db::TenantTx;
use crate::error::AppResult;

pub struct ResultRow {
    pub unit_id: i64,
    /// Award votes: the award type; elections: None.
    pub award_type_id: Option<i64>,
    pub label: String,
    pub unit_name: String,
    pub votes_for: u32,
    pub votes_against: u32,
    pub percent: String,
    pub percent_value: rust_decimal::Decimal,
    pub outcome: String,
    pub passed: bool,
}

pub struct Tally {
    pub rows: Vec<ResultRow>,
    /// Award votes: the candidates tied at a quota's boundary, as (award type, unit).
    pub tied: Vec<(i64, i64)>,
    pub ballots: u32,
    pub members: u32,
    /// Elections: the units elected leader and deputy (None: tied or nobody).
    pub leader: Option<i64>,
    pub deputy: Option<i64>,
}

type Filled = std::collections::BTreeMap<i64, u32>;

/// The votes a vote continues, oldest first.
async fn chain(conn: &mut crate::db::TenantTx, v: &Vote) -> AppResult<Vec<Vote>> {
    let mut out = Vec::new();
    let mut previous = v.previous_vote_id;
    while let Some(id) = previous {
        let Some(p) = store::vote(conn, id).await? else {
            break;
        };
        previous = p.previous_vote_id;
        out.push(p);
    }
    out.reverse();
    Ok(out)
}

/// Counts rounds in order, each for the places the ones before it left; returns them with the
/// places they filled in all.
async fn count_rounds(
    conn: &mut crate::db::TenantTx,
    votes: Vec<Vote>,
    members: u32,
) -> AppResult<(Vec<(Vote, Tally)>, Filled)> {
    let mut filled = Filled::new();
    let mut out = Vec::new();
    for p in votes {
        let candidates = store::candidates(conn, p.id).await?;
        let t = count_after(conn, &p, &candidates, members, &filled).await?;
        for a in t
            .rows
            .iter()
            .filter(|r| r.passed)
            .filter_map(|r| r.award_type_id)
        {
            *filled.entry(a).or_insert(0) += 1;
        }
        out.push((p, t));
    }
    Ok((out, filled))
}

/// The award rules, and the places of each award type the earlier rounds of `v` filled.
pub async fn rules(
    conn: &mut crate::db::TenantTx,
    v: &Vote,
    members: u32,
) -> AppResult<(Vec<AwardRule>, Filled)> {
    let earlier = chain(conn, v).await?;
    let (_, filled) = count_rounds(conn, earlier, members).await?;
    Ok((award_rules(conn).await?, filled))
}

async fn award_rules(conn: &mut TenantTx) -> AppResult<Vec<AwardRule>> {
    Ok(crate::cycle::store::award_types(conn)
        .await?
        .into_iter()
        .map(|a| AwardRule {
            award_type_id: a.id,
            quota: a.f.quota_per_cluster.map(|q| q.max(0) as u32),
            threshold: a.f.vote_threshold,
            of_all_members: a.f.vote_denominator != "present",
            prerequisite: a.f.prerequisite_id,
        })
        .collect())
}

/// A vote counted with its earlier rounds (oldest first), each round counted once.
pub async fn count_with_rounds(
    conn: &mut crate::db::TenantTx,
    v: &Vote,
    candidates: &[Candidate],
    members: u32,
) -> AppResult<(Vec<(Vote, Tally)>, Tally)> {
    let earlier = chain(conn, v).await?;
    let (earlier, filled) = count_rounds(conn, earlier, members).await?;
    let t = count_after(conn, v, candidates, members, &filled).await?;
    Ok((earlier, t))
}

/// Counts a vote: the ballots online, the committee's figures on paper; a later round only
/// for the places its earlier rounds left.
pub async fn count(
    conn: &mut crate::db::TenantTx,
    v: &Vote,
    candidates: &[Candidate],
    members: u32,
) -> AppResult<Tally> {
    Ok(count_with_rounds(conn, v, candidates, members).await?.1)
}

/// Counts one vote, `filled` being the places of each award type earlier rounds took.
async fn count_after(
    conn: &mut crate::db::TenantTx,
    v: &Vote,
    candidates: &[Candidate],
    members: u32,
    filled: &Filled,
) -> AppResult<Tally> {
    let (counts, ballots): (Vec<Count>, u32) = if v.mode.is_paper() {
        let counts = store::paper_counts(conn, v.id).await?;
        let n = counts
            .iter()
            .map(|k| k.votes_for + k.votes_against)
            .max()
            .unwrap_or(0);
        (counts, n)
    } else {
        // Online: the totals the committee decrypted from the sums (none before that).
        let counts = super::secret_store::totals(conn, v.id).await?;
        (counts, v.counted_ballots.unwrap_or(0).max(0) as u32)
    };
    let count_of = |cid: i64| {
        counts
            .iter()
            .find(|k| k.candidate_id == cid)
            .copied()
            .unwrap_or_default()
    };
    let mut t = Tally {
        rows: Vec::new(),
        tied: Vec::new(),
        ballots,
        members,
        leader: None,
        deputy: None,
    };
    if v.kind.is_election() {
        let of_role = |r: &str| -> Vec<(i64, i64)> {
            candidates
                .iter()
                .filter(|c| c.role.as_deref() == Some(r))
                .map(|c| (c.id, c.unit_id))
                .collect()
        };
        t.leader = model::election_winner(&of_role("leader"), &counts, None);
        t.deputy = t
            .leader
            .and_then(|l| model::election_winner(&of_role("deputy"), &counts, Some(l)));
        for c in candidates {
            let k = count_of(c.id);
            let role = c.role.clone().unwrap_or_default();
            let won = if role == "leader" { t.leader } else { t.deputy } == Some(c.unit_id);
            t.rows.push(ResultRow {
                unit_id: c.unit_id,
                award_type_id: None,
                label: model::role_label(&role).to_string(),
                unit_name: c.unit_name.clone(),
                votes_for: k.votes_for,
                votes_against: k.votes_against,
                percent: crate::web::vn::percent(model::percent(k.votes_for, ballots)),
                percent_value: model::percent(k.votes_for, ballots),
                outcome: if won { "Trúng cử" } else { "" }.to_string(),
                passed: won,
            });
        }
        return Ok(t);
    }
    let rules = award_rules(conn).await?;
    let cands: Vec<AwardCandidate> = candidates
        .iter()
        .filter_map(|c| {
            Some(AwardCandidate {
                candidate_id: c.id,
                award_type_id: c.award_type_id?,
                unit_id: c.unit_id,
            })
        })
        .collect();
    // A later round fills only the places its earlier rounds left.
    let rules = model::remaining(&rules, filled);
    let results = model::decide(&cands, &counts, &rules, members, ballots);
    t.tied = model::tied(&results);
    for r in results {
        let c = candidates.iter().find(|c| c.id == r.candidate.candidate_id);
        t.rows.push(ResultRow {
            unit_id: r.candidate.unit_id,
            award_type_id: Some(r.candidate.award_type_id),
            label: c.and_then(|c| c.award_name.clone()).unwrap_or_default(),
            unit_name: c.map(|c| c.unit_name.clone()).unwrap_or_default(),
            votes_for: r.votes_for,
            votes_against: r.votes_against,
            percent: crate::web::vn::percent(r.percent),
            percent_value: r.percent,
            outcome: r.outcome.label().to_string(),
            passed: r.outcome == model::Outcome::Passed,
        });
    }
    Ok(t)
}
