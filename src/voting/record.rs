//! The public record of a vote (docs/vote-record.md): built for download once the results are
//! released, and checked offline by `thidua verify-vote FILE` from the file alone.

use serde::{Deserialize, Serialize};

use super::crypto::{self, Ballot, DecShare, KeySet, Spec};
use super::model::{VoteKind, VoteMode};
use super::secret;
use super::secret_store as db;
use super::store::{self, Candidate, Vote};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};

pub const FORMAT: &str = "thidua-vote-record/1";

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Record {
    pub format: String,
    pub vote: VoteInfo,
    pub candidates: Vec<CandidateInfo>,
    /// "encrypted": ballots below, checkable; "paper": the counting committee's figures;
    /// "counted": figures of a vote held before ballots were encrypted.
    pub counting: String,
    pub note: String,
    pub election_key: Option<KeySet>,
    pub spec: Option<Spec>,
    pub ballots: Vec<RecordBallot>,
    pub decryptions: Vec<RecordDecryption>,
    pub result: RecordResult,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct VoteInfo {
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub mode: String,
    pub round: i16,
    pub members: u32,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct CandidateInfo {
    pub id: i64,
    pub unit: String,
    pub award_type_id: Option<i64>,
    pub award: Option<String>,
    pub role: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct RecordBallot {
    pub receipt: String,
    pub ballot: Ballot,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct RecordDecryption {
    /// 1-based seat of the counting committee.
    pub seat: usize,
    pub shares: Vec<DecShare>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RecordResult {
    pub ballots: u32,
    pub totals: Vec<Total>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Total {
    pub candidate_id: i64,
    pub votes_for: u32,
    pub votes_against: u32,
}

/// The record of a vote whose results are released.
pub async fn build(
    tx: &mut TenantTx,
    v: &Vote,
    candidates: &[Candidate],
    members: u32,
) -> AppResult<Record> {
    let key = secret::key_of(tx, v.id).await?;
    let counts = if v.mode.is_paper() {
        store::paper_counts(tx, v.id).await?
    } else {
        db::totals(tx, v.id).await?
    };
    let totals = candidates
        .iter()
        .map(|c| {
            let k = counts.iter().find(|k| k.candidate_id == c.id);
            Total {
                candidate_id: c.id,
                votes_for: k.map_or(0, |k| k.votes_for),
                votes_against: k.map_or(0, |k| k.votes_against),
            }
        })
        .collect();
    let (ballots, decryptions) = if key.is_some() {
        let rows = db::ballots(tx, v.id).await?;
        let ballots = rows
            .iter()
            .map(|(r, b)| {
                Ok(RecordBallot {
                    receipt: r.clone(),
                    ballot: serde_json::from_value(b.clone())
                        .map_err(|e| AppError::Internal(e.into()))?,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        let decryptions = db::decryptions(tx, v.id)
            .await?
            .into_iter()
            .map(|(seat, j)| {
                Ok(RecordDecryption {
                    seat: seat as usize,
                    shares: serde_json::from_value(j).map_err(|e| AppError::Internal(e.into()))?,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        (ballots, decryptions)
    } else {
        (Vec::new(), Vec::new())
    };
    let (counting, note) = match (&key, v.mode) {
        (Some(_), _) => (
            "encrypted",
            "Mỗi phiếu được mã hóa, kèm chứng minh; chỉ tổng số phiếu được giải mã.",
        ),
        (None, VoteMode::Paper) => (
            "paper",
            "Bỏ phiếu giấy: số liệu do ban kiểm phiếu kiểm đếm và nhập; không có phiếu điện tử để kiểm tra lại.",
        ),
        _ => (
            "counted",
            "Biểu quyết trước khi có phiếu mã hóa: chỉ còn số liệu đã kiểm.",
        ),
    };
    let ballots_n = if v.mode.is_paper() {
        counts
            .iter()
            .map(|k| k.votes_for + k.votes_against)
            .max()
            .unwrap_or(0)
    } else {
        v.counted_ballots.unwrap_or(0).max(0) as u32
    };
    let (election_key, spec) = match key {
        Some((k, s)) => (Some(k), Some(s)),
        None => (None, None),
    };
    Ok(Record {
        format: FORMAT.into(),
        vote: VoteInfo {
            id: v.id,
            title: v.title.clone(),
            kind: v.kind.as_str().to_string(),
            mode: v.mode.as_str().to_string(),
            round: v.round,
            members,
        },
        candidates: candidates
            .iter()
            .map(|c| CandidateInfo {
                id: c.id,
                unit: c.unit_name.clone(),
                award_type_id: c.award_type_id,
                award: c.award_name.clone(),
                role: c.role.clone(),
            })
            .collect(),
        counting: counting.into(),
        note: note.into(),
        election_key,
        spec,
        ballots,
        decryptions,
        result: RecordResult {
            ballots: ballots_n,
            totals,
        },
    })
}

/// What `verify-vote` found: the recomputed totals, or every problem, each naming its place.
pub fn verify(r: &Record) -> Result<String, Vec<String>> {
    let mut problems = Vec::new();
    if r.format != FORMAT {
        return Err(vec![format!(
            "format: expected {FORMAT}, found {}",
            r.format
        )]);
    }
    if r.counting != "encrypted" {
        return Ok(format!(
            "vote {}: {} — {} (nothing cryptographic to check)",
            r.vote.id, r.counting, r.note
        ));
    }
    let (Some(key), Some(spec)) = (&r.election_key, &r.spec) else {
        return Err(vec!["election_key or spec missing".into()]);
    };
    // The participants' keys must lie on one polynomial whose value at 0 is the election key;
    // otherwise verified decryption shares could combine to something else.
    match KeySet::from_participants(key.params(), key.participant_keys().to_vec()) {
        Ok(k) if k.shared_key() == key.shared_key() => {}
        _ => problems
            .push("election_key: the committee's keys do not make up the election key".into()),
    }
    let ids: Vec<i64> = r.candidates.iter().map(|c| c.id).collect();
    if spec.candidates != ids {
        problems.push("spec: its candidates differ from the candidate list".into());
    }
    let ctx = crypto::context(r.vote.id);
    let mut seen = std::collections::BTreeSet::new();
    let all: Vec<&Ballot> = r.ballots.iter().map(|b| &b.ballot).collect();
    let verdicts = crypto::verify_ballots(key.shared_key(), &ctx, spec, &all);
    for (i, (b, verdict)) in r.ballots.iter().zip(verdicts).enumerate() {
        let n = i + 1;
        if crypto::receipt(&b.ballot) != b.receipt {
            problems.push(format!(
                "ballot {n} (receipt {}): its ciphertexts do not hash to its receipt — the ballot was altered",
                b.receipt
            ));
        }
        if !seen.insert(b.receipt.clone()) {
            problems.push(format!("ballot {n}: receipt {} appears twice", b.receipt));
        }
        if let Err(e) = verdict {
            problems.push(format!("ballot {n} (receipt {}): {e}", b.receipt));
        }
    }
    if r.ballots.len() as u32 != r.result.ballots {
        problems.push(format!(
            "result: announces {} ballots, the record holds {}",
            r.result.ballots,
            r.ballots.len()
        ));
    }
    let ballots: Vec<Ballot> = r.ballots.iter().map(|b| b.ballot.clone()).collect();
    let sums = crypto::sums(spec.candidates.len(), &ballots);
    let seats: Vec<(usize, Vec<DecShare>)> = r
        .decryptions
        .iter()
        .map(|d| (d.seat.saturating_sub(1), d.shares.clone()))
        .collect();
    match crypto::combine(key, &sums, &seats, ballots.len() as u64) {
        Err(e) => problems.push(format!("decryption: {e}")),
        Ok(counts) => {
            for ((c, yes), name) in spec.candidates.iter().zip(&counts).zip(&r.candidates) {
                let announced = r.result.totals.iter().find(|t| t.candidate_id == *c);
                let no = if VoteKind::parse(&r.vote.kind).is_some_and(VoteKind::is_election) {
                    0
                } else {
                    ballots.len() as u64 - yes
                };
                match announced {
                    Some(t) if t.votes_for as u64 == *yes && t.votes_against as u64 == no => {}
                    Some(t) => problems.push(format!(
                        "result: {} ({}) is announced {} for / {} against, the ballots count {yes} for / {no} against",
                        name.unit,
                        name.award.clone().or(name.role.clone()).unwrap_or_default(),
                        t.votes_for,
                        t.votes_against
                    )),
                    None => problems.push(format!("result: candidate {c} has no announced total")),
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(format!(
            "vote {}: {} ballots, every proof holds, {} decryption shares verified, the totals match the result",
            r.vote.id,
            r.ballots.len(),
            r.decryptions.len()
        ))
    } else {
        Err(problems)
    }
}

/// `thidua verify-vote FILE`: prints what it checked; Err when anything is wrong.
pub fn verify_file(path: &std::path::Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)?;
    let r: Record = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("{}: not a vote record: {e}", path.display()))?;
    verify(&r).map_err(|p| anyhow::anyhow!("{} problem(s):\n  {}", p.len(), p.join("\n  ")))
}
