//! A real SMTP server for the mail tests: Debian's aiosmtpd, run as its own process on a free
//! port, delivering into a Maildir in a private folder; the tests read what it delivered.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde::Deserialize;

static NEXT: AtomicU32 = AtomicU32::new(0);

/// The Python that runs the server (Debian's package installs the module for the system one).
const PYTHON: &str = "/usr/bin/python3";

/// Longest a test waits for messages it expects; a bound against hanging, not a timed check.
const PATIENCE: Duration = Duration::from_secs(60);

pub struct Smtp {
    child: Child,
    dir: PathBuf,
    pub port: u16,
}

/// One delivered message, decoded.
#[derive(Debug, Clone, Deserialize)]
pub struct Delivered {
    pub to: String,
    pub subject: String,
    pub message_id: String,
    pub text: String,
    pub html: String,
}

/// A port nobody listens on (at the moment of asking).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Smtp {
    pub async fn start() -> Smtp {
        Smtp::start_on(free_port()).await
    }

    pub async fn start_on(port: u16) -> Smtp {
        let dir = std::env::temp_dir().join(format!(
            "thidua-smtp-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        // aiosmtpd's Maildir makes its folder (and cur/new/tmp) only when it does not exist.
        std::fs::create_dir_all(&dir).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        let log = std::fs::File::create(dir.join("server.log")).unwrap();
        let child = Command::new(PYTHON)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.join("mail"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("python3-aiosmtpd is needed by the mail tests (.ci/run installs it)");
        let smtp = Smtp { child, dir, port };
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "aiosmtpd did not start: {}",
                smtp.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        smtp
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    /// How many messages sit in the Maildir (each is renamed into `new/` once whole).
    pub fn count(&self) -> usize {
        std::fs::read_dir(self.dir.join("mail/new"))
            .map(|d| d.count())
            .unwrap_or(0)
    }

    /// Every delivered message, parsed by Python's own e-mail package.
    pub fn delivered(&self) -> Vec<Delivered> {
        const READ: &str = r#"
import email, email.policy, json, mailbox, sys
out = []
box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
for key in sorted(box.keys()):
    with box.get_file(key) as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    text, html = m.get_body(('plain',)), m.get_body(('html',))
    out.append(dict(to=str(m['To']), subject=str(m['Subject']), message_id=str(m['Message-ID']),
                    text=text.get_content() if text else '', html=html.get_content() if html else ''))
print(json.dumps(out))
"#;
        let out = Command::new(PYTHON)
            .args(["-c", READ])
            .arg(self.dir.join("mail"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Waits until at least `n` messages are delivered (bounded), then returns all of them.
    pub async fn wait_for(&self, n: usize) -> Vec<Delivered> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while self.count() < n {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{} of {n} messages delivered; server log:\n{}",
                self.count(),
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.delivered()
    }

    /// Freezes the server (SIGSTOP): connections stay open, nothing is answered.
    pub fn pause(&self) {
        kill(Pid::from_raw(self.child.id() as i32), Signal::SIGSTOP).unwrap();
    }

    pub fn resume(&self) {
        kill(Pid::from_raw(self.child.id() as i32), Signal::SIGCONT).unwrap();
    }

    /// Stops the server (its Maildir stays readable until drop).
    pub fn stop(&mut self) {
        let _ = kill(Pid::from_raw(self.child.id() as i32), Signal::SIGCONT);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
