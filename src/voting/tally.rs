//! Counting a closed vote: the ballots online or the committee's figures on paper, through the
//! pure rules of `model`. The vote page, the minutes and the cover letter all read this one count.

use super::model::{self, AwardCandidate, AwardRule, Count};
use std::collections::HashMap;

use super::store::{self, Candidate, Vote};
use crate::cycle::store::AwardType;
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
    /// What the percentage is of: the members (the rule counts on all members) or the ballots
    /// counted (on those present; an election always).
    pub denominator: u32,
    pub of_all_members: bool,
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

/// Votes as they are counted: each with every earlier round it continues, the candidates,
/// counts, participation and committee of each, and the award rules. One statement however many
/// votes and rounds; the award types come from memory under the catalog version (a statement
/// for it in a transaction).
pub struct Rounds {
    votes: Vec<store::Round>,
    candidates: HashMap<i64, Vec<Candidate>>,
    counts: HashMap<i64, Vec<Count>>,
    award_types: std::sync::Arc<Vec<AwardType>>,
    rules: Vec<AwardRule>,
}

impl Rounds {
    pub async fn load(
        tx: &mut TenantTx,
        ids: &[i64],
        award_types: Option<&[AwardType]>,
    ) -> AppResult<Rounds> {
        let mut votes = store::votes_with_rounds(tx, ids).await?;
        let candidates: HashMap<i64, Vec<Candidate>> = votes
            .iter_mut()
            .map(|r| (r.vote.id, std::mem::take(&mut r.candidates.0)))
            .collect();
        let counts: HashMap<i64, Vec<Count>> =
            votes.iter().map(|r| (r.vote.id, r.counts())).collect();
        // The award types are kept under the catalog version: no statement on a page that reads.
        let award_types = if !votes.iter().any(|r| r.vote.kind.is_award()) {
            Default::default()
        } else if let Some(types) = award_types {
            std::sync::Arc::new(types.to_vec())
        } else {
            crate::cycle::store::kept_award_types(tx).await?
        };
        Ok(Rounds {
            rules: award_rules(&award_types),
            votes,
            candidates,
            counts,
            award_types,
        })
    }

    pub fn vote(&self, id: i64) -> Option<&Vote> {
        self.votes.iter().map(|r| &r.vote).find(|v| v.id == id)
    }

    /// The vote that continues `id` in a further round, if any.
    pub fn next_round(&self, id: i64) -> Option<i64> {
        self.votes
            .iter()
            .find(|r| r.vote.id == id)
            .and_then(|r| r.next_round_id)
    }

    pub fn candidates(&self, id: i64) -> &[Candidate] {
        self.candidates.get(&id).map(Vec::as_slice).unwrap_or(&[])
    }

    fn round(&self, id: i64) -> Option<&store::Round> {
        self.votes.iter().find(|r| r.vote.id == id)
    }

    /// Who has voted in `id` and how, as (unit, its name, "online" or "written"), by name.
    pub fn participation(&self, id: i64) -> &[(i64, String, String)] {
        self.round(id).map_or(&[], |r| r.participation.as_slice())
    }

    /// The counting committee's seats of `id` (online votes), in seat order.
    pub fn seats(&self, id: i64) -> &[crate::voting::secret_store::Seat] {
        self.round(id).map_or(&[], |r| r.seats.as_slice())
    }

    /// The receipts of `id`'s ballots, once its results are released (else none).
    pub fn receipts(&self, id: i64) -> &[String] {
        self.round(id).map_or(&[], |r| r.receipts.as_slice())
    }

    pub fn rules(&self) -> &[AwardRule] {
        &self.rules
    }

    /// The tenant's award types, read when an award vote is among the votes (else none).
    pub fn award_types(&self) -> &[AwardType] {
        &self.award_types
    }

    /// The votes `v` continues, oldest first.
    fn chain(&self, v: &Vote) -> Vec<&Vote> {
        let mut out = Vec::new();
        let mut previous = v.previous_vote_id;
        while let Some(p) = previous.and_then(|id| self.vote(id)) {
            if out.iter().any(|o: &&Vote| o.id == p.id) {
                break;
            }
            previous = p.previous_vote_id;
            out.push(p);
        }
        out.reverse();
        out
    }

    /// The earlier rounds of `v` counted in order, each for the places the ones before it
    /// left, with the places they filled in all.
    pub fn earlier(&self, v: &Vote, members: u32) -> (Vec<(Vote, Tally)>, Filled) {
        let mut filled = Filled::new();
        let mut out = Vec::new();
        for p in self.chain(v) {
            let t = self.count_one(p, self.candidates(p.id), members, &filled);
            for a in t
                .rows
                .iter()
                .filter(|r| r.passed)
                .filter_map(|r| r.award_type_id)
            {
                *filled.entry(a).or_insert(0) += 1;
            }
            out.push((p.clone(), t));
        }
        (out, filled)
    }

    /// `v` counted with its earlier rounds (oldest first), each round counted once.
    pub fn count_with_rounds(
        &self,
        v: &Vote,
        candidates: &[Candidate],
        members: u32,
    ) -> (Vec<(Vote, Tally)>, Tally) {
        let (earlier, filled) = self.earlier(v, members);
        let t = self.count_one(v, candidates, members, &filled);
        (earlier, t)
    }

    fn count_one(
        &self,
        v: &Vote,
        candidates: &[Candidate],
        members: u32,
        filled: &Filled,
    ) -> Tally {
        let counts = self.counts.get(&v.id).map(Vec::as_slice).unwrap_or(&[]);
        count_after(v, candidates, counts, &self.rules, members, filled)
    }
}

/// The award rules, and the places of each award type the earlier rounds of `v` filled.
pub async fn rules(
    conn: &mut crate::db::TenantTx,
    v: &Vote,
    members: u32,
) -> AppResult<(Vec<AwardRule>, Filled)> {
    let r = Rounds::load(conn, &[v.id], None).await?;
    let (_, filled) = r.earlier(v, members);
    Ok((r.rules, filled))
}

fn award_rules(types: &[AwardType]) -> Vec<AwardRule> {
    types
        .iter()
        .map(|a| AwardRule {
            award_type_id: a.id,
            quota: a.f.quota_per_cluster.map(|q| q.max(0) as u32),
            threshold: a.f.vote_threshold,
            of_all_members: a.f.vote_denominator != "present",
            prerequisite: a.f.prerequisite_id,
        })
        .collect()
}

/// A vote counted with its earlier rounds (oldest first), each round counted once.
pub async fn count_with_rounds(
    conn: &mut crate::db::TenantTx,
    v: &Vote,
    candidates: &[Candidate],
    members: u32,
) -> AppResult<(Vec<(Vote, Tally)>, Tally)> {
    let r = Rounds::load(conn, &[v.id], None).await?;
    Ok(r.count_with_rounds(v, candidates, members))
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

/// Counts one vote from its counts, `filled` being the places of each award type earlier
/// rounds took: the ballots online, the committee's figures on paper.
fn count_after(
    v: &Vote,
    candidates: &[Candidate],
    counts: &[Count],
    rules: &[AwardRule],
    members: u32,
    filled: &Filled,
) -> Tally {
    let ballots = if let (true, Some(received)) = (v.mode.is_paper(), v.ballots_received) {
        // The valid ballots, as the committee counted them.
        (received - v.ballots_invalid).max(0) as u32
    } else if v.mode.is_paper() {
        counts
            .iter()
            .map(|k| k.votes_for + k.votes_against)
            .max()
            .unwrap_or(0)
    } else {
        // Online: the totals the committee decrypted from the sums (none before that).
        v.counted_ballots.unwrap_or(0).max(0) as u32
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
        t.leader = model::election_winner(&of_role("leader"), counts, None);
        t.deputy = t
            .leader
            .and_then(|l| model::election_winner(&of_role("deputy"), counts, Some(l)));
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
                denominator: ballots,
                of_all_members: false,
            });
        }
        return t;
    }
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
    let rules = model::remaining(rules, filled);
    let results = model::decide(&cands, counts, &rules, members, ballots);
    t.tied = model::tied(&results);
    for r in results {
        let c = candidates.iter().find(|c| c.id == r.candidate.candidate_id);
        // As `model::decide` reads it: all members unless the rule names those present.
        let of_all_members = rules
            .iter()
            .find(|x| x.award_type_id == r.candidate.award_type_id)
            .is_none_or(|x| x.of_all_members);
        t.rows.push(ResultRow {
            denominator: if of_all_members { members } else { ballots },
            of_all_members,
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
    t
}
