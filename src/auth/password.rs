//! Password hashing (argon2id, OWASP parameters) and the rules for a new password.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

fn hasher() -> Argon2<'static> {
    // OWASP: m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Requests allowed to wait for a hash, per core, besides those hashing. Beyond this a login is
/// answered "busy" at once, so a flood costs a cheap page instead of a queue that grows
/// without end.
pub const QUEUE_PER_CORE: usize = 4;
/// The longest a request waits in that queue before it is answered "busy".
pub const QUEUE_WAIT: Duration = Duration::from_secs(2);

/// Bounds the password hashes of one server. A hash holds 19 MiB and a core for ~25 ms; more
/// at once than there are cores would only queue inside the blocking pool while holding their
/// memory (issue 12: a burst of abandoned logins grew the process to 4 GB).
#[derive(Clone)]
pub struct HashGate {
    running: Arc<Semaphore>,
    admitted: Arc<Semaphore>,
}

impl HashGate {
    /// One hash per core, `QUEUE_PER_CORE` waiting per core.
    pub fn for_this_machine() -> HashGate {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        HashGate::new(cores, cores * QUEUE_PER_CORE)
    }

    pub fn new(running: usize, waiting: usize) -> HashGate {
        HashGate {
            running: Arc::new(Semaphore::new(running.max(1))),
            admitted: Arc::new(Semaphore::new(running.max(1) + waiting)),
        }
    }

    /// Waits (briefly, in a short queue) for the right to hash one password.
    pub async fn permit(&self) -> Result<HashPermit, Busy> {
        let admitted = self
            .admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| Busy)?;
        let running = tokio::time::timeout(QUEUE_WAIT, self.running.clone().acquire_owned())
            .await
            .map_err(|_| Busy)?
            .map_err(|_| Busy)?;
        Ok(HashPermit {
            _admitted: admitted,
            _running: running,
        })
    }
}

/// Too many password checks are running or waiting; the caller answers "busy, try again".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

/// The right to run one hash. It is taken in the request's own future, so a client that hangs
/// up while waiting never starts one; once taken it moves into the blocking task and is held
/// until the hash is really over, so hashes abandoned midway still count against the bound.
pub struct HashPermit {
    _admitted: OwnedSemaphorePermit,
    _running: OwnedSemaphorePermit,
}

pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

/// Hashes a password off the async threads, for the command line and data loaders, where
/// nothing else competes; web requests use [`hash_under`].
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
}

/// Hashes a new password under a permit (see [`HashGate::permit`]).
pub async fn hash_under(permit: HashPermit, password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        hash_blocking(&password)
    })
    .await?
}

fn verify_blocking(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| hasher().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// Checks a password against a stored hash, or against a dummy hash when there is no account,
/// so that the answer takes as long either way. Runs under a permit (see [`HashGate::permit`]).
pub async fn verify(
    permit: HashPermit,
    password: String,
    stored: Option<String>,
) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        match stored {
            Some(h) => verify_blocking(&password, &h),
            None => {
                verify_blocking(&password, dummy_hash());
                false
            }
        }
    })
    .await
    .map_err(Into::into)
}

fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| hash_blocking("thidua-dummy-password-for-timing").expect("hash"))
}

/// A one-time password for a new or reset account: 12 characters from an alphabet without
/// look-alikes (0/O, 1/l/I), about 67 bits.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::with_capacity(12);
    while out.len() < 12 {
        let b = (OsRng.next_u32() & 0xff) as usize;
        // Reject the tail so every character is equally likely.
        if b < 256 - 256 % ALPHABET.len() {
            out.push(ALPHABET[b % ALPHABET.len()] as char);
        }
    }
    out
}

const COMMON: &str = include_str!("common_passwords.txt");

/// Why a new password is refused, in Vietnamese; `None` when it is acceptable.
pub fn check_new(password: &str, username: &str) -> Option<&'static str> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Some("Mật khẩu phải có ít nhất 8 ký tự.");
    }
    if len > MAX_LEN {
        return Some("Mật khẩu dài quá 128 ký tự.");
    }
    let lower = password.to_lowercase();
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Some("Mật khẩu không được chứa tên đăng nhập.");
    }
    if COMMON.lines().any(|c| c.trim() == lower) {
        return Some("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.");
    }
    if password
        .chars()
        .all(|c| c == password.chars().next().unwrap_or(' '))
    {
        return Some("Mật khẩu không được chỉ gồm một ký tự lặp lại.");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_long_common_and_username_passwords_are_refused() {
        assert!(check_new("abc123", "nguyenvana").is_some());
        assert!(check_new(&"x".repeat(129), "nguyenvana").is_some());
        assert!(check_new("12345678", "nguyenvana").is_some());
        assert!(check_new("Password1", "nguyenvana").is_some());
        assert!(check_new("matkhau123", "nguyenvana").is_some());
        assert!(check_new("nguyenvana-2024", "nguyenvana").is_some());
        assert!(check_new("aaaaaaaaaa", "nguyenvana").is_some());
        assert_eq!(check_new("Cum-thi-dua-so-VI", "nguyenvana"), None);
    }

    #[test]
    fn hashes_verify_and_differ_by_salt() {
        let a = hash_blocking("Cum-thi-dua-so-VI").unwrap();
        let b = hash_blocking("Cum-thi-dua-so-VI").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_blocking("Cum-thi-dua-so-VI", &a));
        assert!(!verify_blocking("cum-thi-dua-so-vi", &a));
        assert!(!verify_blocking("anything", "not a hash"));
    }

    #[test]
    fn one_time_passwords_pass_the_rules_and_do_not_repeat() {
        let a = one_time_password();
        let b = one_time_password();
        assert_eq!(a.len(), 12);
        assert_ne!(a, b);
        assert_eq!(check_new(&a, "someone"), None);
    }
}
