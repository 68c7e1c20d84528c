//! The secret ballot's steps, between the handlers (and the demo) and the store: the key dealt to
//! the committee at the opening, a ballot encrypted in the request that casts it, and the count
//! from the committee's decryption shares of the sums.

use std::collections::BTreeMap;

use super::crypto::{self, Ballot, DecShare, GroupRule, KeySet, Spec};
use super::model::{self, Choices};
use super::seal::{self, SHARE_FORMAT, Sealed, ShareFile};
use super::secret_store as db;
use super::store::{Candidate, Vote, audit_vote};
use crate::audit::Actor;
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};

#[cfg(test)]
mod tests;

fn js<T: serde::Serialize>(x: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(x).map_err(|e| AppError::Internal(e.into()))
}

fn from_js<T: serde::de::DeserializeOwned>(x: serde_json::Value) -> AppResult<T> {
    serde_json::from_value(x).map_err(|e| AppError::Internal(e.into()))
}

/// What a ballot of this vote must satisfy: each award type's yes votes within the places the
/// quota (less earlier rounds) leaves; in an election exactly one leader and one deputy.
pub fn spec_for(
    v: &Vote,
    candidates: &[Candidate],
    rules: &[model::AwardRule],
    filled: &BTreeMap<i64, u32>,
) -> Spec {
    let mut groups: Vec<GroupRule> = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let label = match (&c.award_name, &c.role) {
            (Some(a), _) => a.clone(),
            (None, Some(r)) => model::role_label(r).to_string(),
            _ => continue,
        };
        match groups.iter_mut().find(|g| g.label == label) {
            Some(g) => g.members.push(i),
            None => groups.push(GroupRule {
                label,
                members: vec![i],
                min: 0,
                max: 0,
            }),
        }
    }
    for g in &mut groups {
        let n = g.members.len() as u32;
        let first = &candidates[g.members[0]];
        if v.kind.is_election() {
            (g.min, g.max) = (1, 1);
        } else {
            let quota = first.award_type_id.and_then(|a| {
                let rule = rules.iter().find(|r| r.award_type_id == a)?;
                let q = rule.quota?;
                Some(q.saturating_sub(filled.get(&a).copied().unwrap_or(0)))
            });
            // A quota of 0 left would forbid every yes; the rules count such a round as over
            // the quota anyway, so the ballot stays free there.
            g.max = match quota {
                Some(q) if q > 0 && v.quota_per_ballot => q.min(n),
                _ => n,
            };
        }
    }
    Spec {
        candidates: candidates.iter().map(|c| c.id).collect(),
        groups,
    }
}

/// What a ballot of this vote must satisfy, with the places earlier rounds filled.
pub async fn spec_of(
    conn: &mut crate::db::TenantTx,
    v: &Vote,
    candidates: &[Candidate],
    members: u32,
) -> AppResult<Spec> {
    let (rules, filled) = super::tally::rules(conn, v, members).await?;
    Ok(spec_for(v, candidates, &rules, &filled))
}

/// At the opening of an online vote: deals the key to the committee's seats, each share sealed
/// to its member's passphrase. Err: why the committee is not ready.
pub async fn deal(tx: &mut TenantTx, v: &Vote, spec: &Spec) -> AppResult<Result<(), String>> {
    let seats = db::seats(tx, v.id).await?;
    if seats.is_empty() {
        return Ok(Err(
            "Hãy chọn ban kiểm phiếu trước khi mở bỏ phiếu trực tuyến.".into(),
        ));
    }
    let threshold = v.committee_threshold.max(1) as usize;
    if threshold > seats.len() {
        return Ok(Err(format!(
            "Số thành viên cần để kiểm phiếu ({threshold}) lớn hơn số thành viên ban kiểm phiếu ({}).",
            seats.len()
        )));
    }
    if let Some(s) = seats.iter().find(|s| s.public_point.is_none()) {
        return Ok(Err(format!(
            "{} (ban kiểm phiếu) chưa đặt cụm mật khẩu bảo vệ khóa.",
            s.full_name
        )));
    }
    let (key_set, shares) = crypto::deal(seats.len(), threshold);
    for (s, share) in seats.iter().zip(&shares) {
        let sealed = seal::seal(
            s.public_point.as_deref().unwrap_or_default(),
            &crypto::share_to_bytes(share),
        )
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("seat {} has no valid point", s.seat)))?;
        db::store_sealed(tx, v.id, s.seat, &js(&sealed)?).await?;
    }
    db::insert_key(tx, v.id, &js(&key_set)?, &js(spec)?).await?;
    Ok(Ok(()))
}

pub enum CastError {
    AlreadyVoted,
    Invalid(String),
}

/// The key and spec of an opened online vote.
pub async fn key_of(tx: &mut TenantTx, vote_id: i64) -> AppResult<Option<(KeySet, Spec)>> {
    Ok(match db::key(tx, vote_id).await? {
        Some((k, s)) => Some((from_js(k)?, from_js(s)?)),
        None => None,
    })
}

/// Casts a unit's ballot: encrypted here, stored as ciphertexts and proofs beside the record
/// that the unit voted. The choices live only in this call's memory. Returns the receipt.
pub async fn cast(
    tx: &mut TenantTx,
    actor: &Actor,
    vote_id: i64,
    unit_id: i64,
    how: &str,
    choices: &Choices,
) -> AppResult<Result<String, CastError>> {
    let Some((key_set, spec)) = key_of(tx, vote_id).await? else {
        return Ok(Err(CastError::Invalid(
            "Biểu quyết chưa có khóa của ban kiểm phiếu.".into(),
        )));
    };
    let plain: Vec<bool> = spec
        .candidates
        .iter()
        .map(|c| choices.get(c) == Some(&true))
        .collect();
    let ballot = match crypto::encrypt_ballot(
        key_set.shared_key(),
        &crypto::context(vote_id),
        &spec,
        &plain,
    ) {
        Ok(b) => b,
        Err(msg) => return Ok(Err(CastError::Invalid(msg))),
    };
    if !db::insert_participation(tx, vote_id, unit_id, how).await? {
        return Ok(Err(CastError::AlreadyVoted));
    }
    let receipt = crypto::receipt(&ballot);
    db::insert_ballot(tx, vote_id, &receipt, &js(&ballot)?).await?;
    audit_vote(
        tx,
        actor,
        vote_id,
        "participation_recorded",
        None,
        Some(serde_json::json!({ "unit_id": unit_id, "how": how })),
    )
    .await?;
    Ok(Ok(receipt))
}

/// The seat's share file for download, taken out of the database. None: already downloaded.
pub async fn download_share(
    tx: &mut TenantTx,
    actor: &Actor,
    v: &Vote,
    seat: &db::Seat,
    seats: usize,
) -> AppResult<Option<ShareFile>> {
    let Some(sealed) = db::take_sealed(tx, actor, v.id, seat.seat).await? else {
        return Ok(None);
    };
    let sealed: Sealed = from_js(sealed)?;
    Ok(Some(ShareFile {
        format: SHARE_FORMAT.into(),
        vote_id: v.id,
        vote_title: v.title.clone(),
        seat: seat.seat as usize,
        seats,
        threshold: v.committee_threshold as usize,
        salt: seat.salt.clone().unwrap_or_default(),
        sealed_share: sealed,
    }))
}

pub fn parse_ballots(rows: &[(String, serde_json::Value)]) -> AppResult<Vec<Ballot>> {
    rows.iter().map(|(_, b)| from_js(b.clone())).collect()
}

/// A committee member gives their share at the count: the file and passphrase open it in this
/// call, it decrypts the sums (never a ballot), and the decryption shares are kept with their
/// proofs. Once enough seats have given theirs the totals are decrypted and stored.
/// Ok(Err): what is wrong with the file or passphrase.
pub async fn give_share(
    tx: &mut TenantTx,
    actor: &Actor,
    v: &Vote,
    seat: &db::Seat,
    file: &str,
    passphrase: &str,
) -> AppResult<Result<bool, String>> {
    let Ok(f) = serde_json::from_str::<ShareFile>(file) else {
        return Ok(Err(
            "Tệp không phải tệp khóa của ban kiểm phiếu (thidua-key-share).".into(),
        ));
    };
    if f.format != SHARE_FORMAT || f.vote_id != v.id || f.seat != seat.seat as usize {
        return Ok(Err(format!(
            "Tệp khóa này không phải của bạn cho biểu quyết này (tệp của ghế {} biểu quyết số {}).",
            f.seat, f.vote_id
        )));
    }
    // argon2 takes tens of milliseconds: off the async threads, like password hashing.
    let (pass, salt, sealed) = (
        passphrase.to_string(),
        f.salt.clone(),
        f.sealed_share.clone(),
    );
    let secret = tokio::task::spawn_blocking(move || seal::open(&pass, &salt, &sealed))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let Some(share) = secret.as_deref().and_then(crypto::share_from_bytes) else {
        return Ok(Err(
            "Cụm mật khẩu không đúng, hoặc tệp khóa đã bị sửa.".into()
        ));
    };
    let Some((key_set, spec)) = key_of(tx, v.id).await? else {
        return Ok(Err("Biểu quyết không có khóa.".into()));
    };
    let rows = db::ballots(tx, v.id).await?;
    let ballots = parse_ballots(&rows)?;
    let sums = crypto::sums(spec.candidates.len(), &ballots);
    let index = seat.seat as usize - 1;
    let shares = match crypto::decrypt_shares(&key_set, index, share, &sums) {
        Ok(s) => s,
        Err(_) => return Ok(Err("Khóa trong tệp không khớp khóa của biểu quyết.".into())),
    };
    db::insert_decryption(tx, actor, v.id, seat.seat, &js(&shares)?).await?;
    let given = db::decryptions(tx, v.id).await?;
    if given.len() < key_set.params().threshold || v.counted_ballots.is_some() {
        return Ok(Ok(false));
    }
    let seats: Vec<(usize, Vec<DecShare>)> = given
        .into_iter()
        .map(|(s, j)| Ok((s as usize - 1, from_js(j)?)))
        .collect::<AppResult<_>>()?;
    let n = ballots.len() as u32;
    let counts = match crypto::combine(&key_set, &sums, &seats, n as u64) {
        Ok(c) => c,
        Err(e) => return Ok(Err(format!("Không kiểm được phiếu: {e}"))),
    };
    let totals: Vec<(i64, u32, u32)> = spec
        .candidates
        .iter()
        .zip(counts)
        .map(|(c, yes)| {
            let yes = yes as u32;
            // Award ballots answer every candidate, so "no" is the rest; an election ballot
            // names only its leader and deputy, so it says nothing against the others.
            let no = if v.kind.is_election() { 0 } else { n - yes };
            (*c, yes, no)
        })
        .collect();
    db::insert_totals(tx, actor, v.id, &totals, n).await?;
    Ok(Ok(true))
}

/// The demo's committee passphrase (the demo's accounts are public anyway).
pub const DEMO_PASSPHRASE: &str = "mật khẩu kiểm phiếu mẫu";

/// The demo opens an online vote as a leader would: a committee of up to three staff of
/// different member units, two of whom must count, each with the demo passphrase; then the key.
pub async fn demo_prepare(
    tx: &mut TenantTx,
    actor: &Actor,
    v: &Vote,
    members: &[crate::org::store::MemberRow],
) -> AppResult<()> {
    let users = db::eligible_users(tx, members).await?;
    let mut picked: Vec<i64> = Vec::new();
    let mut units: Vec<String> = Vec::new();
    for (id, label) in users {
        let unit = label.rsplit(" — ").next().unwrap_or("").to_string();
        if !units.contains(&unit) && picked.len() < 3 {
            units.push(unit);
            picked.push(id);
        }
    }
    let threshold = picked.len().min(2) as i16;
    db::set_committee(tx, actor, v.id, &picked, threshold, false).await?;
    for seat in db::seats(tx, v.id).await? {
        let (salt, point) = seal::register(DEMO_PASSPHRASE);
        db::register_passphrase(tx, actor, v.id, seat.seat, &salt, &point).await?;
    }
    let v = super::store::vote(tx, v.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let candidates = super::store::candidates(tx, v.id).await?;
    let spec = spec_of(tx, &v, &candidates, members.len() as u32).await?;
    deal(tx, &v, &spec)
        .await?
        .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
}

/// The demo counts a closed online vote: the committee's first seats download their shares and
/// give them back with the demo passphrase.
pub async fn demo_count(tx: &mut TenantTx, actor: &Actor, vote_id: i64) -> AppResult<()> {
    let v = super::store::vote(tx, vote_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let seats = db::seats(tx, v.id).await?;
    for seat in seats.iter().take(v.committee_threshold.max(1) as usize) {
        let file = download_share(tx, actor, &v, seat, seats.len())
            .await?
            .ok_or(AppError::NotFound)?;
        let json = serde_json::to_string(&file).map_err(|e| AppError::Internal(e.into()))?;
        give_share(tx, actor, &v, seat, &json, DEMO_PASSPHRASE)
            .await?
            .map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    }
    Ok(())
}
