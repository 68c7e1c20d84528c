//! Issue 16, item 5: evidence in an S3-compatible store, tested against a real one: s3s-fs, a
//! filesystem-backed S3 server (the s3s project's, which checks every request's signature),
//! started on 127.0.0.1 in a private folder for each test.

mod bucket_copy;
mod gc;
mod moving;
mod tls;
mod upload;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use thidua::config::{EvidenceStoreArgs, WebConfig};
use thidua::files::s3::S3Store;

const BUCKET: &str = "thidua-evidence";
const ACCESS_KEY: &str = "thidua-test";
const SECRET_KEY: &str = "thidua-test-secret-key";

/// One s3s-fs server and its folder.
pub struct S3Server {
    child: Child,
    pub endpoint: String,
    dir: PathBuf,
}

fn binary() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("s3s-fs"))
            .find(|p| p.is_file())
    });
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")));
    on_path.or_else(|| {
        cargo_home
            .map(|h| h.join("bin/s3s-fs"))
            .filter(|p| p.is_file())
    })
}

impl S3Server {
    /// Starts the server with an empty bucket; None, after the marker CI turns into a
    /// failure, when s3s-fs is not installed.
    pub fn start(tag: &str) -> Option<S3Server> {
        let Some(bin) = binary() else {
            did_not_run(
                "install s3s-fs (cargo install s3s-fs --version 0.14.1 --features binary --locked)",
            );
            return None;
        };
        let dir = std::env::temp_dir().join(format!("thidua-s3-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("root").join(BUCKET)).unwrap();
        let port = crate::smtp::free_port();
        let log = std::fs::File::create(dir.join("s3s-fs.log")).unwrap();
        let child = Command::new(bin)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(dir.join("root"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "s3s-fs did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(S3Server {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            dir,
        })
    }

    /// The settings `thidua` is given (the same as THIDUA_EVIDENCE_S3_*).
    pub fn args(&self) -> EvidenceStoreArgs {
        EvidenceStoreArgs {
            endpoint: Some(self.endpoint.clone()),
            bucket: BUCKET.into(),
            region: "us-east-1".into(),
            access_key_id: Some(ACCESS_KEY.into()),
            secret_access_key: Some(SECRET_KEY.into()),
            virtual_hosted: false,
            ca_file: None,
        }
    }

    /// The same settings as command-line flags.
    pub fn flags(&self) -> Vec<String> {
        self.flags_via(&self.endpoint)
    }

    /// The same flags with the store reached at another address (a proxy in front of it).
    pub fn flags_via(&self, endpoint: &str) -> Vec<String> {
        [
            ("--evidence-s3-endpoint", endpoint),
            ("--evidence-s3-bucket", BUCKET),
            ("--evidence-s3-access-key-id", ACCESS_KEY),
            ("--evidence-s3-secret-access-key", SECRET_KEY),
        ]
        .iter()
        .flat_map(|(k, v)| [k.to_string(), v.to_string()])
        .collect()
    }

    /// A web configuration that keeps evidence in this server.
    pub async fn web(&self) -> WebConfig {
        WebConfig {
            evidence: thidua::files::start(&self.args()).await.unwrap(),
            ..WebConfig::default()
        }
    }

    /// A client of the server's S3 API, to look at and overwrite objects as anyone could.
    pub fn api(&self) -> S3Store {
        let thidua::files::FileStore::S3(s) = self.args().store().unwrap() else {
            unreachable!()
        };
        std::sync::Arc::into_inner(s).unwrap()
    }

    /// The objects under `prefix`, as the server keeps them on disk.
    pub fn objects(&self, prefix: &str) -> Vec<String> {
        let dir = self.dir.join("root").join(BUCKET).join(prefix);
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// Stops the server, as when the store is down.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Says a prerequisite is missing in the words CI turns into a failure (and fails under CI).
pub fn did_not_run(what: &str) {
    let msg = format!("S3 TEST DID NOT RUN: {what}");
    if std::env::var("CI").is_ok() {
        panic!("{msg}");
    }
    eprintln!("\n!!!!!!!! {msg} !!!!!!!!\n");
}

pub fn sha_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A PDF of about `len` bytes whose content differs with `seed`.
pub fn pdf(len: usize, seed: u64) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%".to_vec();
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
    while out.len() < len.saturating_sub(7) {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        out.push(b'a' + (x >> 59) as u8);
    }
    out.extend_from_slice(b"\n%%EOF\n");
    out
}
