//! The ballot's cryptography, pure and without a database: exponential ElGamal on Ristretto
//! (through `elastic-elgamal`), a ballot as one ciphertext per candidate with zero-knowledge
//! proofs, and the committee's threshold key.
//!
//! Why some proofs are our own: `elastic-elgamal` 0.3 proves "0 or 1" and "in a range" only for
//! ciphertexts it makes itself with randomness it keeps private, so a proof about the *sum* of a
//! ballot's choices for one award type (the quota) cannot be tied to the choices with its public
//! API. We therefore encrypt with randomness we know and prove membership of a small set of
//! values with the textbook disjunctive Chaum–Pedersen proof (Cramer–Damgård–Schoenmakers 1994,
//! the proof Helios and Belenios use), made non-interactive with SHA-512 over everything the
//! verifier sees. Key sharing (Feldman VSS), decryption shares with their proofs, and combining
//! them stay the crate's.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::traits::{Identity, VartimeMultiscalarMul};
use curve25519_dalek::{RistrettoPoint, Scalar};
use elastic_elgamal::group::Ristretto;
use elastic_elgamal::sharing::PublicKeySet;
use elastic_elgamal::{Ciphertext, PublicKey, SecretKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha512};

#[cfg(test)]
mod tests;
mod threshold;

pub use threshold::*;

pub type Ct = Ciphertext<Ristretto>;
pub type KeySet = PublicKeySet<Ristretto>;
pub type Share = SecretKey<Ristretto>;

pub fn random_scalar() -> Scalar {
    let mut b = [0u8; 64];
    OsRng.fill_bytes(&mut b);
    Scalar::from_bytes_mod_order_wide(&b)
}

fn scalar_hex(s: &Scalar) -> String {
    super::model::hex(s.as_bytes())
}

fn parse_scalar(s: &str) -> Option<Scalar> {
    let bytes = unhex(s)?;
    let arr: [u8; 32] = bytes.try_into().ok()?;
    Option::from(Scalar::from_canonical_bytes(arr))
}

pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// What a ballot must satisfy: the candidates in the order of its ciphertexts, and for each
/// group (an award type, or a role in an election) how many "yes" it may hold.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Spec {
    pub candidates: Vec<i64>,
    pub groups: Vec<GroupRule>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct GroupRule {
    /// What the group is, in words (the award type's name, or the role).
    pub label: String,
    /// Indexes into `Spec::candidates`.
    pub members: Vec<usize>,
    pub min: u32,
    pub max: u32,
}

impl Spec {
    /// Whether plain choices (in the order of `candidates`) respect every group.
    pub fn allows(&self, choices: &[bool]) -> Result<(), String> {
        if choices.len() != self.candidates.len() {
            return Err("số lựa chọn không khớp danh sách đề nghị".into());
        }
        for g in &self.groups {
            let yes = g.members.iter().filter(|&&i| choices[i]).count() as u32;
            if yes < g.min || yes > g.max {
                return Err(if g.min == g.max {
                    format!("{}: phải chọn đúng {} đơn vị.", g.label, g.min)
                } else {
                    format!("{}: chỉ được đồng ý tối đa {} đơn vị.", g.label, g.max)
                });
            }
        }
        Ok(())
    }
}

/// A proof that a ciphertext encrypts one of a list of small values. `c` and `s` are the
/// per-value challenges and responses, as hex scalars.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct OneOf {
    pub c: Vec<String>,
    pub s: Vec<String>,
}

/// An encrypted ballot: one ciphertext per candidate (1 = yes, 0 = no), a proof for each that it
/// holds 0 or 1, and a proof for each group that its number of yes lies within the group's rule.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Ballot {
    pub choices: Vec<Ct>,
    pub bit_proofs: Vec<OneOf>,
    pub group_proofs: Vec<OneOf>,
}

/// The ciphertext of `value` with randomness `r`: (rG, vG + rK). `elastic-elgamal` has no public
/// constructor from two points, but its serde form is documented (base64url of each point).
fn encrypt_with(key: &RistrettoPoint, value: u64, r: &Scalar) -> Ct {
    let a = r * G;
    let b = Scalar::from(value) * G + r * key;
    ct_from_points(&a, &b)
}

pub fn ct_from_points(a: &RistrettoPoint, b: &RistrettoPoint) -> Ct {
    let json = serde_json::json!({
        "random_element": B64.encode(a.compress().as_bytes()),
        "blinded_element": B64.encode(b.compress().as_bytes()),
    });
    serde_json::from_value(json).expect("two valid Ristretto points make a ciphertext")
}

fn challenge(
    ctx: &[u8],
    key: &RistrettoPoint,
    ct: &Ct,
    values: &[u64],
    commitments: &[(RistrettoPoint, RistrettoPoint)],
) -> Scalar {
    let mut h = Sha512::new();
    h.update(b"thidua/one-of/v1");
    h.update((ctx.len() as u64).to_le_bytes());
    h.update(ctx);
    h.update(key.compress().as_bytes());
    h.update(ct.random_element().compress().as_bytes());
    h.update(ct.blinded_element().compress().as_bytes());
    for v in values {
        h.update(v.to_le_bytes());
    }
    for (a, b) in commitments {
        h.update(a.compress().as_bytes());
        h.update(b.compress().as_bytes());
    }
    let out: [u8; 64] = h.finalize().into();
    Scalar::from_bytes_mod_order_wide(&out)
}

/// Proves that `ct` = Enc(values[index]; r).
fn prove_one_of(
    ctx: &[u8],
    key: &RistrettoPoint,
    ct: &Ct,
    r: &Scalar,
    values: &[u64],
    index: usize,
) -> OneOf {
    let (a, b) = (*ct.random_element(), *ct.blinded_element());
    let n = values.len();
    let mut cs = vec![Scalar::ZERO; n];
    let mut ss = vec![Scalar::ZERO; n];
    let mut comms = vec![(RistrettoPoint::identity(), RistrettoPoint::identity()); n];
    let w = random_scalar();
    for j in 0..n {
        if j == index {
            comms[j] = (w * G, w * key);
        } else {
            cs[j] = random_scalar();
            ss[j] = random_scalar();
            let bj = b - Scalar::from(values[j]) * G;
            comms[j] = (ss[j] * G - cs[j] * a, ss[j] * key - cs[j] * bj);
        }
    }
    let c = challenge(ctx, key, ct, values, &comms);
    let others: Scalar = cs
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != index)
        .map(|(_, c)| c)
        .sum();
    cs[index] = c - others;
    ss[index] = w + cs[index] * r;
    OneOf {
        c: cs.iter().map(scalar_hex).collect(),
        s: ss.iter().map(scalar_hex).collect(),
    }
}

fn verify_one_of(ctx: &[u8], key: &RistrettoPoint, ct: &Ct, values: &[u64], p: &OneOf) -> bool {
    if p.c.len() != values.len() || p.s.len() != values.len() {
        return false;
    }
    let (a, b) = (*ct.random_element(), *ct.blinded_element());
    let mut comms = Vec::with_capacity(values.len());
    let mut sum = Scalar::ZERO;
    for (j, m) in values.iter().enumerate() {
        let (Some(c), Some(s)) = (parse_scalar(&p.c[j]), parse_scalar(&p.s[j])) else {
            return false;
        };
        sum += c;
        let first = RistrettoPoint::vartime_double_scalar_mul_basepoint(&-c, &a, &s);
        let second =
            RistrettoPoint::vartime_multiscalar_mul([s, -c, c * Scalar::from(*m)], [*key, b, G]);
        comms.push((first, second));
    }
    sum == challenge(ctx, key, ct, values, &comms)
}

/// The domain every proof of a vote is bound to, so a proof cannot be replayed elsewhere.
pub fn context(vote_id: i64) -> Vec<u8> {
    format!("thidua vote {vote_id}").into_bytes()
}

/// Encrypts and proves a ballot; the choices must satisfy `spec` (checked first).
pub fn encrypt_ballot(
    key: &PublicKey<Ristretto>,
    ctx: &[u8],
    spec: &Spec,
    choices: &[bool],
) -> Result<Ballot, String> {
    spec.allows(choices)?;
    let k = key.as_element();
    let mut rs = Vec::with_capacity(choices.len());
    let mut cts = Vec::with_capacity(choices.len());
    let mut bit_proofs = Vec::with_capacity(choices.len());
    for &yes in choices {
        let r = random_scalar();
        let ct = encrypt_with(&k, yes as u64, &r);
        bit_proofs.push(prove_one_of(ctx, &k, &ct, &r, &[0, 1], yes as usize));
        rs.push(r);
        cts.push(ct);
    }
    let group_proofs = spec
        .groups
        .iter()
        .map(|g| {
            let (ct, r) = g
                .members
                .iter()
                .fold((Ct::zero(), Scalar::ZERO), |(ct, r), &i| {
                    (ct + cts[i], r + rs[i])
                });
            let yes = g.members.iter().filter(|&&i| choices[i]).count() as u64;
            let values: Vec<u64> = (g.min as u64..=g.max as u64).collect();
            prove_one_of(ctx, &k, &ct, &r, &values, (yes - g.min as u64) as usize)
        })
        .collect();
    Ok(Ballot {
        choices: cts,
        bit_proofs,
        group_proofs,
    })
}

/// Checks every proof of a ballot; the error names what failed.
pub fn verify_ballot(
    key: &PublicKey<Ristretto>,
    ctx: &[u8],
    spec: &Spec,
    b: &Ballot,
) -> Result<(), String> {
    let k = key.as_element();
    if b.choices.len() != spec.candidates.len() || b.bit_proofs.len() != b.choices.len() {
        return Err("wrong number of ciphertexts or proofs".into());
    }
    if b.group_proofs.len() != spec.groups.len() {
        return Err("wrong number of group proofs".into());
    }
    for (i, (ct, p)) in b.choices.iter().zip(&b.bit_proofs).enumerate() {
        if !verify_one_of(ctx, &k, ct, &[0, 1], p) {
            return Err(format!(
                "the proof that choice {} (candidate {}) is 0 or 1 does not hold",
                i, spec.candidates[i]
            ));
        }
    }
    for (g, p) in spec.groups.iter().zip(&b.group_proofs) {
        let ct = g
            .members
            .iter()
            .fold(Ct::zero(), |ct, &i| ct + b.choices[i]);
        let values: Vec<u64> = (g.min as u64..=g.max as u64).collect();
        if !verify_one_of(ctx, &k, &ct, &values, p) {
            return Err(format!(
                "the proof that the yes votes for \"{}\" lie within {}..{} does not hold",
                g.label, g.min, g.max
            ));
        }
    }
    Ok(())
}

/// Checks many ballots, spread over the machine's cores (each ballot's proofs are independent).
pub fn verify_ballots(
    key: &PublicKey<Ristretto>,
    ctx: &[u8],
    spec: &Spec,
    ballots: &[&Ballot],
) -> Vec<Result<(), String>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = ballots.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = ballots
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|b| verify_ballot(key, ctx, spec, b))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a verifying thread"))
            .collect()
    })
}

/// The receipt: SHA-256 of the ballot's ciphertexts, in hex. A voter keeps it and finds it in
/// the public record; anyone can recompute it from the record.
pub fn receipt(b: &Ballot) -> String {
    let mut h = Sha256::new();
    h.update(b"thidua/receipt/v1");
    for ct in &b.choices {
        h.update(ct.to_bytes());
    }
    super::model::hex(&h.finalize())
}

/// The per-candidate sums of ballots (the homomorphic tally): only these are ever decrypted.
pub fn sums(candidates: usize, ballots: &[Ballot]) -> Vec<Ct> {
    let mut out = vec![Ct::zero(); candidates];
    for b in ballots {
        for (o, ct) in out.iter_mut().zip(&b.choices) {
            *o += *ct;
        }
    }
    out
}
