//! A committee member's key share, sealed under a passphrase only the member knows.
//!
//! The member chooses the passphrase before the key exists (while the vote is a draft); the
//! server keeps only a salt and a *public* point derived from it (argon2id → a Ristretto scalar
//! s, point sG). When the vote opens, the key is dealt and each share is sealed to its member's
//! point (ephemeral Diffie–Hellman on Ristretto, SHA-256, ChaCha20-Poly1305), so dealing needs
//! no passphrase, and opening a sealed share needs the passphrase again. The member downloads the
//! sealed share once; the server then forgets it.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::CompressedRistretto;
use curve25519_dalek::{RistrettoPoint, Scalar};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::crypto::{random_scalar, unhex};
use super::model::hex;

pub const MIN_PASSPHRASE: usize = 10;

/// The passphrase's scalar: argon2id with the parameters of passwords, 64 bytes reduced.
fn passphrase_scalar(passphrase: &str, salt: &[u8]) -> Scalar {
    let params = Params::new(19_456, 2, 1, Some(64)).expect("valid argon2 parameters");
    let mut out = [0u8; 64];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut out)
        .expect("argon2 with a 16-byte salt");
    Scalar::from_bytes_mod_order_wide(&out)
}

/// A new salt (hex) and the public point (hex) of a passphrase.
pub fn register(passphrase: &str) -> (String, String) {
    let mut salt = [0u8; 16];
    argon2::password_hash::rand_core::RngCore::fill_bytes(
        &mut argon2::password_hash::rand_core::OsRng,
        &mut salt,
    );
    let point = passphrase_scalar(passphrase, &salt) * G;
    (hex(&salt), hex(point.compress().as_bytes()))
}

fn point(h: &str) -> Option<RistrettoPoint> {
    let b: [u8; 32] = unhex(h)?.try_into().ok()?;
    CompressedRistretto(b).decompress()
}

fn aead_key(ephemeral: &RistrettoPoint, to: &RistrettoPoint, shared: &RistrettoPoint) -> Key {
    let mut h = Sha256::new();
    h.update(b"thidua/seal/v1");
    h.update(ephemeral.compress().as_bytes());
    h.update(to.compress().as_bytes());
    h.update(shared.compress().as_bytes());
    let k: [u8; 32] = h.finalize().into();
    Key::from(k)
}

/// A sealed secret: the ephemeral point and the AEAD ciphertext, both hex.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Sealed {
    pub ephemeral: String,
    pub ciphertext: String,
}

/// Seals `secret` to the public point `to` (hex); None when `to` is not a point.
pub fn seal(to: &str, secret: &[u8]) -> Option<Sealed> {
    let to = point(to)?;
    let e = random_scalar();
    let ephemeral = e * G;
    let key = aead_key(&ephemeral, &to, &(e * to));
    // The key is fresh for every seal, so a fixed nonce is never reused under one key.
    let ct = ChaCha20Poly1305::new(&key)
        .encrypt(&Nonce::default(), secret)
        .ok()?;
    Some(Sealed {
        ephemeral: hex(ephemeral.compress().as_bytes()),
        ciphertext: hex(&ct),
    })
}

/// Opens a sealed secret with the passphrase and its salt (hex); None for a wrong passphrase or
/// an altered file.
pub fn open(passphrase: &str, salt: &str, sealed: &Sealed) -> Option<Vec<u8>> {
    let salt = unhex(salt)?;
    let s = passphrase_scalar(passphrase, &salt);
    let ephemeral = point(&sealed.ephemeral)?;
    let key = aead_key(&ephemeral, &(s * G), &(s * ephemeral));
    ChaCha20Poly1305::new(&key)
        .decrypt(&Nonce::default(), unhex(&sealed.ciphertext)?.as_slice())
        .ok()
}

/// The file a committee member downloads: everything needed to use the share at the count,
/// sealed under the member's passphrase.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ShareFile {
    pub format: String,
    pub vote_id: i64,
    pub vote_title: String,
    /// 1-based, as the page shows it.
    pub seat: usize,
    pub seats: usize,
    pub threshold: usize,
    pub salt: String,
    pub sealed_share: Sealed,
}

pub const SHARE_FORMAT: &str = "thidua-key-share/1";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_passphrase_opens_a_sealed_share() {
        let (salt, public) = register("mật khẩu rất dài của tôi");
        let sealed = seal(&public, b"the share").unwrap();
        assert_eq!(
            open("mật khẩu rất dài của tôi", &salt, &sealed).as_deref(),
            Some(&b"the share"[..])
        );
        assert_eq!(open("mật khẩu khác hẳn", &salt, &sealed), None);
        let mut altered = sealed.clone();
        altered.ciphertext.replace_range(0..2, "00");
        if altered != sealed {
            assert_eq!(open("mật khẩu rất dài của tôi", &salt, &altered), None);
        }
    }
}
