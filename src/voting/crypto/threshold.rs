//! The counting committee's threshold key: dealing it, and decrypting the sums with any
//! `threshold` of the shares, each share checked by its proof.

use argon2::password_hash::rand_core::OsRng;
use elastic_elgamal::group::Ristretto;
use elastic_elgamal::sharing::{ActiveParticipant, Dealer, Params, PublicKeySet};
use elastic_elgamal::{
    CandidateDecryption, DiscreteLogTable, LogEqualityProof, SecretKey, VerifiableDecryption,
};
use serde::{Deserialize, Serialize};

use super::{Ct, KeySet, Share};

/// Deals a key for `seats` committee members, any `threshold` of whom can decrypt. The dealer
/// (and so the whole secret) lives only in this call.
pub fn deal(seats: usize, threshold: usize) -> (KeySet, Vec<Share>) {
    let params = Params::new(seats, threshold);
    let dealer = Dealer::<Ristretto>::new(params, &mut OsRng);
    let (poly, proof) = dealer.public_info();
    let key_set = PublicKeySet::new(params, poly, proof).expect("a dealer's own key set verifies");
    let shares = (0..seats)
        .map(|i| dealer.secret_share_for_participant(i))
        .collect();
    (key_set, shares)
}

pub fn share_to_bytes(s: &Share) -> [u8; 32] {
    s.expose_scalar().to_bytes()
}

pub fn share_from_bytes(b: &[u8]) -> Option<Share> {
    SecretKey::from_bytes(b)
}

/// One decryption share of one sum, with its proof of correctness, as published.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct DecShare {
    pub share: CandidateDecryption<Ristretto>,
    pub proof: LogEqualityProof<Ristretto>,
}

/// A committee member's decryption shares of every sum; refuses a share that is not this seat's.
pub fn decrypt_shares(
    key_set: &KeySet,
    seat: usize,
    share: Share,
    sums: &[Ct],
) -> Result<Vec<DecShare>, String> {
    let p = ActiveParticipant::new(key_set.clone(), seat, share)
        .map_err(|_| "khóa không khớp ghế này của ban kiểm phiếu".to_string())?;
    Ok(sums
        .iter()
        .map(|ct| {
            let (d, proof) = p.decrypt_share(*ct, &mut OsRng);
            let share = CandidateDecryption::from_bytes(&d.to_bytes()).expect("own share");
            DecShare { share, proof }
        })
        .collect())
}

/// Checks every seat's decryption shares and combines them into the totals; the error names
/// which seat's share of which candidate failed, or that too few seats took part.
pub fn combine(
    key_set: &KeySet,
    sums: &[Ct],
    seats: &[(usize, Vec<DecShare>)],
    max: u64,
) -> Result<Vec<u64>, String> {
    let params = key_set.params();
    if seats.len() < params.threshold {
        return Err(format!(
            "only {} of the {} decryption shares needed",
            seats.len(),
            params.threshold
        ));
    }
    let mut verified: Vec<Vec<(usize, VerifiableDecryption<Ristretto>)>> =
        vec![Vec::new(); sums.len()];
    for (seat, shares) in seats {
        if shares.len() != sums.len() {
            return Err(format!(
                "seat {}: wrong number of decryption shares",
                seat + 1
            ));
        }
        for (i, (d, ct)) in shares.iter().zip(sums).enumerate() {
            let ok = key_set
                .verify_share(d.share, *ct, *seat, &d.proof)
                .map_err(|_| {
                    format!(
                        "seat {}: the decryption share of sum {i} does not verify",
                        seat + 1
                    )
                })?;
            verified[i].push((*seat, ok));
        }
    }
    let table = DiscreteLogTable::<Ristretto>::new(0..=max);
    verified
        .into_iter()
        .zip(sums)
        .enumerate()
        .map(|(i, (shares, ct))| {
            params
                .combine_shares(shares)
                .and_then(|d| d.decrypt(*ct, &table))
                .ok_or_else(|| format!("sum {i} does not decrypt to a count of 0..{max}"))
        })
        .collect()
}
