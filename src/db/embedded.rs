//! A private PostgreSQL server, started by thidua itself when no DATABASE_URL is given.
//!
//! The server listens only on a Unix socket in a fresh private folder, so it never clashes with
//! another PostgreSQL on the machine and nobody else can reach it. It is started from a thread
//! that lives as long as the process, with a parent-death signal, so that even if thidua is
//! killed the server shuts down instead of lingering.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::{Gid, Pid, Uid, User};
use sqlx::postgres::PgConnectOptions;

/// The database role `initdb` creates; it is the superuser of the private server only.
const SUPERUSER: &str = "thidua";
const PORT: u16 = 5432;

pub struct EmbeddedOptions {
    pub data_dir: PathBuf,
    /// Throwaway servers (tests) trade durability for speed.
    pub ephemeral: bool,
}

pub struct EmbeddedPg {
    socket_dir: PathBuf,
    stop_tx: Option<mpsc::Sender<()>>,
    stopped_rx: Option<mpsc::Receiver<()>>,
    health: DbHealth,
}

/// Restarts allowed within `RESTART_WINDOW` before thidua gives up (and exits non-zero, so a
/// supervisor such as systemd restarts the whole thing and someone looks at the log).
pub const MAX_RESTARTS: u32 = 5;
const RESTART_WINDOW: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbState {
    Up,
    /// The server died and is being started again; requests get a fast 503.
    Restarting,
    /// It could not be started again; thidua stops.
    Failed,
}

/// What the server's owner thread knows about it, shared with the web layer.
#[derive(Debug, Clone, Default)]
pub struct DbHealth(std::sync::Arc<std::sync::atomic::AtomicU8>);

impl DbHealth {
    pub fn state(&self) -> DbState {
        match self.0.load(std::sync::atomic::Ordering::Acquire) {
            0 => DbState::Up,
            1 => DbState::Restarting,
            _ => DbState::Failed,
        }
    }

    pub fn set(&self, s: DbState) {
        let v = match s {
            DbState::Up => 0,
            DbState::Restarting => 1,
            DbState::Failed => 2,
        };
        self.0.store(v, std::sync::atomic::Ordering::Release);
    }
}

/// PostgreSQL writes its pid on the first line of postmaster.pid and "ready" on the eighth once
/// it accepts connections; the pid tells this server's file from the one a killed server left.
fn postmaster_ready(pid_file: &Path, pid: u32) -> bool {
    let Ok(text) = fs::read_to_string(pid_file) else {
        return false;
    };
    let mut lines = text.lines();
    lines.next().map(str::trim) == Some(pid.to_string().as_str())
        && lines.nth(6).map(str::trim) == Some("ready")
}

struct RunAs {
    uid: Uid,
    gid: Gid,
}

impl EmbeddedPg {
    /// Finds the server binaries, creates the cluster on first use, starts the server and waits
    /// until it accepts connections.
    pub async fn start(opts: EmbeddedOptions) -> Result<EmbeddedPg> {
        let bindir = find_bindir().ok_or_else(|| anyhow!(NO_BINARIES))?;
        let run_as = if Uid::effective().is_root() {
            let user = User::from_name("postgres")
                .context("không đọc được tài khoản hệ thống 'postgres'")?
                .ok_or_else(|| {
                    anyhow!(
                        "thidua is running as root, and PostgreSQL refuses to run as root, but there \
                         is no 'postgres' system user to run it as. Install the PostgreSQL server \
                         package (it creates that user), run thidua as an ordinary user, or set \
                         DATABASE_URL."
                    )
                })?;
            Some(RunAs {
                uid: user.uid,
                gid: user.gid,
            })
        } else {
            None
        };

        let data_dir = absolute(&opts.data_dir)?;
        let prepared = {
            let data_dir = data_dir.clone();
            let bindir = bindir.clone();
            tokio::task::spawn_blocking(move || prepare(&bindir, &data_dir, run_as.as_ref()))
                .await??
        };
        let socket_dir = prepared.socket_dir.clone();

        let mut cmd = Command::new(bindir.join("postgres"));
        cmd.arg("-D")
            .arg(&data_dir)
            .arg("-k")
            .arg(&socket_dir)
            .arg("-p")
            .arg(PORT.to_string())
            .args(["-c", "listen_addresses="])
            .args(["-c", "unix_socket_permissions=0700"])
            .args(["-c", "max_connections=200"]);
        if opts.ephemeral {
            cmd.args(["-c", "fsync=off"])
                .args(["-c", "synchronous_commit=off"])
                .args(["-c", "full_page_writes=off"])
                // The tests count each page's statements. Every test has a database of its
                // own, so entries are per test: room for all of them, none evicted mid-count.
                .args(["-c", "shared_preload_libraries=pg_stat_statements"])
                .args(["-c", "pg_stat_statements.max=50000"]);
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::from(prepared.log.try_clone()?))
            .stderr(Stdio::from(prepared.log))
            // Its own process group: Ctrl-C in the terminal reaches thidua, which then stops
            // the server in order, instead of both racing.
            .process_group(0);
        if let Some(r) = &prepared.run_as {
            cmd.uid(r.uid.as_raw()).gid(r.gid.as_raw());
        }
        // SAFETY: prctl is async-signal-safe and touches only the calling (child) process.
        unsafe {
            cmd.pre_exec(|| {
                nix::sys::prctl::set_pdeathsig(Signal::SIGINT).map_err(std::io::Error::from)
            });
        }

        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let (stopped_tx, stopped_rx) = mpsc::channel::<()>();
        let (spawned_tx, spawned_rx) = mpsc::channel::<std::io::Result<u32>>();
        let health = DbHealth::default();
        let watched = health.clone();
        let pid_file = data_dir.join("postmaster.pid");
        // The parent-death signal fires when the *thread* that spawned the child ends, so the
        // child is spawned and owned by a thread that lives until the server is stopped. The
        // same thread notices when the server dies (kill -9, a fast shutdown from outside) and
        // starts it again, a bounded number of times.
        std::thread::Builder::new()
            .name("postgres-owner".into())
            .spawn(move || {
                let mut child = match cmd.spawn() {
                    Ok(c) => c,
                    Err(e) => {
                        let _ = spawned_tx.send(Err(e));
                        return;
                    }
                };
                let _ = spawned_tx.send(Ok(child.id()));
                let mut restarts = 0u32;
                let mut up_since = Instant::now();
                // Once reaped, the child's pid may belong to someone else: never signal it.
                let mut reaped = false;
                // A server that never got ready is a failed start, reported by `wait_ready` at
                // once with its log; only a server that was up is started again.
                let mut was_ready = false;
                loop {
                    match stop_rx.recv_timeout(Duration::from_millis(200)) {
                        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
                        Err(mpsc::RecvTimeoutError::Timeout) => {}
                    }
                    if watched.state() == DbState::Restarting
                        && postmaster_ready(&pid_file, child.id())
                    {
                        tracing::warn!("the private PostgreSQL server is back");
                        watched.set(DbState::Up);
                        up_since = Instant::now();
                    }
                    was_ready = was_ready || postmaster_ready(&pid_file, child.id());
                    let Ok(Some(status)) = child.try_wait() else {
                        continue;
                    };
                    if !was_ready {
                        watched.set(DbState::Failed);
                        reaped = true;
                        break;
                    }
                    // A server that stayed up a while earns its attempts back.
                    if up_since.elapsed() > RESTART_WINDOW {
                        restarts = 0;
                    }
                    if restarts >= MAX_RESTARTS {
                        tracing::error!(
                            %status, restarts,
                            "the private PostgreSQL server keeps dying; giving up, see {}",
                            pid_file.with_file_name("thidua-server.log").display()
                        );
                        watched.set(DbState::Failed);
                        reaped = true;
                        break;
                    }
                    restarts += 1;
                    watched.set(DbState::Restarting);
                    tracing::error!(
                        %status, attempt = restarts, of = MAX_RESTARTS,
                        "the private PostgreSQL server exited; starting it again"
                    );
                    // Its old backends must be gone before a new server can take the folder.
                    std::thread::sleep(Duration::from_secs(u64::from(restarts)));
                    match cmd.spawn() {
                        Ok(c) => child = c,
                        Err(e) => {
                            tracing::error!(error = %e, "could not start PostgreSQL again");
                            watched.set(DbState::Failed);
                            reaped = true;
                            break;
                        }
                    }
                }
                if reaped {
                    let _ = stopped_tx.send(());
                    return;
                }
                let pid = Pid::from_raw(child.id() as i32);
                // SIGINT is PostgreSQL's "fast shutdown": roll back, checkpoint, exit.
                let _ = kill(pid, Signal::SIGINT);
                let deadline = Instant::now() + Duration::from_secs(30);
                loop {
                    match child.try_wait() {
                        Ok(Some(_)) | Err(_) => break,
                        Ok(None) if Instant::now() > deadline => {
                            let _ = kill(pid, Signal::SIGQUIT);
                            let _ = child.wait();
                            break;
                        }
                        Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                    }
                }
                let _ = stopped_tx.send(());
            })?;
        let pid = spawned_rx
            .recv()
            .map_err(|_| anyhow!("the postgres owner thread ended early"))?
            .context("could not start the postgres server process")?;

        let pg = EmbeddedPg {
            socket_dir,
            stop_tx: Some(stop_tx),
            stopped_rx: Some(stopped_rx),
            health,
        };
        pg.wait_ready(pid, &data_dir).await?;
        Ok(pg)
    }

    async fn wait_ready(&self, pid: u32, data_dir: &Path) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            // The owner thread reaps a server that exits, so a failed start shows here at once.
            if self.health.state() == DbState::Failed
                || kill(Pid::from_raw(pid as i32), None).is_err()
            {
                bail!(
                    "the private PostgreSQL server stopped while starting; its log is {}:\n{}",
                    log_path(data_dir).display(),
                    tail(&log_path(data_dir))
                );
            }
            if sqlx::Connection::connect_with(&self.connect_options("postgres"))
                .await
                .map(|c: sqlx::PgConnection| drop(c))
                .is_ok()
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "the private PostgreSQL server did not accept connections within 60 s; log: {}",
                    log_path(data_dir).display()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Up, restarting or failed, as the owner thread sees it.
    pub fn health(&self) -> DbHealth {
        self.health.clone()
    }

    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .port(PORT)
            .username(SUPERUSER)
            .database(database)
    }

    /// Stops the server and waits until it has exited.
    pub fn stop(&mut self) {
        if let Some(tx) = self.stop_tx.take() {
            let _ = tx.send(());
            if let Some(rx) = self.stopped_rx.take() {
                let _ = rx.recv_timeout(Duration::from_secs(40));
            }
            let _ = fs::remove_dir_all(&self.socket_dir);
        }
    }
}

impl Drop for EmbeddedPg {
    fn drop(&mut self) {
        self.stop();
    }
}

const NO_BINARIES: &str = "PostgreSQL server programs (initdb, postgres) were not found on PATH, \
    via pg_config, or under /usr/lib/postgresql/*/bin.\n\
    Install the PostgreSQL server package (Debian/Ubuntu: `apt-get install postgresql`; \
    Fedora: `dnf install postgresql-server`; macOS: `brew install postgresql`), \
    or set DATABASE_URL to use an existing server.";

struct Prepared {
    socket_dir: PathBuf,
    log: fs::File,
    run_as: Option<RunAs>,
}

fn prepare(bindir: &Path, data_dir: &Path, run_as: Option<&RunAs>) -> Result<Prepared> {
    let run_as = run_as.map(|r| RunAs {
        uid: r.uid,
        gid: r.gid,
    });
    if !data_dir.join("PG_VERSION").exists() {
        initdb(bindir, data_dir, run_as.as_ref())?;
    } else {
        check_pid_file(data_dir)?;
    }

    remove_stale_socket_dirs();
    let socket_dir = std::env::temp_dir().join(format!(
        "thidua-pg-{}-{}",
        std::process::id(),
        random_suffix()
    ));
    fs::create_dir(&socket_dir)
        .with_context(|| format!("cannot create socket folder {}", socket_dir.display()))?;
    fs::set_permissions(&socket_dir, fs::Permissions::from_mode(0o700))?;
    if let Some(r) = &run_as {
        nix::unistd::chown(&socket_dir, Some(r.uid), Some(r.gid))?;
    }
    let log = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path(data_dir))
        .with_context(|| format!("cannot open {}", log_path(data_dir).display()))?;
    Ok(Prepared {
        socket_dir,
        log,
        run_as,
    })
}

fn initdb(bindir: &Path, data_dir: &Path, run_as: Option<&RunAs>) -> Result<()> {
    fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create data folder {}", data_dir.display()))?;
    fs::set_permissions(data_dir, fs::Permissions::from_mode(0o700))?;
    if let Some(r) = run_as {
        nix::unistd::chown(data_dir, Some(r.uid), Some(r.gid))?;
    }
    tracing::info!(dir = %data_dir.display(), "creating a new PostgreSQL cluster");
    let mut cmd = Command::new(bindir.join("initdb"));
    cmd.arg("-D")
        .arg(data_dir)
        .args(["-U", SUPERUSER, "--auth=trust", "-E", "UTF8"])
        .args(["--locale=C.UTF-8", "--no-instructions"])
        .current_dir("/")
        .stdin(Stdio::null());
    if let Some(r) = run_as {
        cmd.uid(r.uid.as_raw()).gid(r.gid.as_raw());
    }
    let out = cmd.output().context("cannot run initdb")?;
    if !out.status.success() {
        let mut msg = format!(
            "initdb failed for {}:\n{}{}",
            data_dir.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if run_as.is_some() {
            msg.push_str(
                "\nRunning as root, the server runs as the 'postgres' user, which must be able \
                 to enter every folder above the data folder. Choose a --data-dir it can reach \
                 (for example under /var/tmp) or run thidua as an ordinary user.",
            );
        }
        // A half-made cluster would make the next start fail differently; start clean.
        let _ = fs::remove_dir_all(data_dir);
        bail!(msg);
    }
    Ok(())
}

/// What postmaster.pid says about the data folder. The file is trusted only as far as the
/// system confirms it: the pid must be a `postgres` process whose working folder is this data
/// folder (the postmaster works in its data folder), or it is someone else's pid that the
/// kernel handed out again after a crash, and must never be signalled (issue 12, item 3: a
/// second thidua shut down the first one's database, and as root an unrelated process died).
fn check_pid_file(data_dir: &Path) -> Result<()> {
    let pid_file = data_dir.join("postmaster.pid");
    let Ok(text) = fs::read_to_string(&pid_file) else {
        return Ok(());
    };
    let Some(pid) = text
        .lines()
        .next()
        .and_then(|l| l.trim().parse::<i32>().ok())
        .filter(|p| *p > 0)
    else {
        return Ok(());
    };
    if !is_postmaster_of(pid, data_dir) {
        // A stale file: PostgreSQL itself would refuse to start while that pid is alive.
        tracing::warn!(
            pid,
            "removing a stale postmaster.pid (that process is not this folder's server)"
        );
        let _ = fs::remove_file(&pid_file);
        return Ok(());
    }
    let owner = parent_of(pid);
    let orphan = owner.is_none_or(|p| p <= 1 || !is_thidua(p));
    if !orphan {
        bail!(
            "thư mục dữ liệu {} đang được dùng: máy chủ PostgreSQL (pid {pid}) của một tiến trình \
             thidua khác (pid {}) đang chạy trên thư mục này. Hãy dừng tiến trình đó trước, hoặc \
             dùng --data-dir khác.",
            data_dir.display(),
            owner.unwrap_or(0)
        );
    }
    // Its thidua is gone (killed outright): stop the orphaned server so this start can take over.
    tracing::warn!(
        pid,
        "stopping a PostgreSQL server left over from an earlier run"
    );
    let pid = Pid::from_raw(pid);
    let _ = kill(pid, Signal::SIGINT);
    let deadline = Instant::now() + Duration::from_secs(30);
    while kill(pid, None).is_ok() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

fn is_postmaster_of(pid: i32, data_dir: &Path) -> bool {
    let proc = PathBuf::from(format!("/proc/{pid}"));
    let comm = fs::read_to_string(proc.join("comm")).unwrap_or_default();
    let cwd = fs::read_link(proc.join("cwd")).ok();
    let wanted = fs::canonicalize(data_dir).ok();
    comm.trim() == "postgres" && cwd.is_some() && cwd == wanted
}

fn parent_of(pid: i32) -> Option<i32> {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("PPid:"))
        .and_then(|v| v.trim().parse().ok())
}

fn is_thidua(pid: i32) -> bool {
    fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .and_then(|e| {
            e.file_name()
                .map(|n| n.to_string_lossy().starts_with("thidua"))
        })
        .unwrap_or(false)
        || fs::read_to_string(format!("/proc/{pid}/comm"))
            .map(|c| c.trim().starts_with("thidua"))
            .unwrap_or(false)
}

/// Socket folders of servers whose thidua process is gone (killed, or a test run that exited
/// without dropping its server) would pile up in the temp folder.
fn remove_stale_socket_dirs() {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let pid = name
            .strip_prefix("thidua-pg-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|p| p.parse::<i32>().ok());
        if let Some(pid) = pid
            && kill(Pid::from_raw(pid), None).is_err()
        {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

pub(crate) fn find_bindir() -> Option<PathBuf> {
    let has_server = |d: &Path| d.join("postgres").is_file() && d.join("initdb").is_file();
    if let Some(path) = std::env::var_os("PATH")
        && let Some(d) = std::env::split_paths(&path).find(|d| has_server(d))
    {
        return Some(d);
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let d = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_server(&d) {
            return Some(d);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let d = e.path().join("bin");
            has_server(&d).then_some((v, d))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, d)| d)
}

fn absolute(p: &Path) -> Result<PathBuf> {
    Ok(std::path::absolute(p)?)
}

fn log_path(data_dir: &Path) -> PathBuf {
    data_dir.join("thidua-server.log")
}

fn tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

fn random_suffix() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    format!("{:08x}", OsRng.next_u32())
}
