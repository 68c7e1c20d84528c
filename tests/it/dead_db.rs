//! Issue 12, item 2: the private PostgreSQL server is thidua's child. When it dies (kill -9, or
//! the SIGINT of `pg_ctl stop -m fast`), thidua notices, answers a fast Vietnamese 503 with
//! /healthz saying so, starts it again, and gives up (exit status non-zero) after a bounded
//! number of attempts.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::harness::{Client, DEMO_PASSWORD};

fn temp_base(tag: &str) -> PathBuf {
    let base = std::env::temp_dir().join(format!("thidua-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o755)).unwrap();
    base
}

fn start(data: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(["demo", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let addr = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| {
            l.split("http://")
                .nth(1)
                .map(|r| r.split_whitespace().next().unwrap().to_string())
        })
        .expect("thidua printed its address");
    (child, format!("http://{addr}"))
}

fn postmaster_pid(data: &Path) -> i32 {
    std::fs::read_to_string(data.join("postmaster.pid"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Waits (bounded) until a demo user can log in and open the home page; returns how long it took.
async fn wait_recovered(url: &str, child: &mut Child) -> Duration {
    let started = Instant::now();
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "thidua exited instead of recovering"
        );
        let c = Client::new(url);
        if c.get("/healthz").await.status == 200
            && c.login("canbo.hocvien", DEMO_PASSWORD).await.status == 303
            && c.get("/").await.status == 200
        {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "not recovered within 120 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits (bounded) until /healthz says the database is down, then checks that pages are
/// Vietnamese 503s (never 500) while it does.
async fn watch_while_down(url: &str) -> (usize, usize) {
    let c = Client::new(url);
    let (mut unavailable, mut health_down) = (0, 0);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        let h = c.get("/healthz").await;
        if h.status == 503 {
            health_down += 1;
            let p = c.get("/login").await;
            assert_ne!(p.status, 500, "{}", p.body);
            if p.status == 503 {
                assert!(p.body.contains("Tạm thời gián đoạn"), "{}", p.body);
                unavailable += 1;
            }
        } else if health_down > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (unavailable, health_down)
}

fn stop(child: &mut Child) {
    let _ = kill(Pid::from_raw(child.id() as i32), Signal::SIGINT);
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "thidua did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn a_killed_or_stopped_private_postgres_is_noticed_and_restarted() {
    let base = temp_base("deaddb");
    let data = base.join("pg");
    let (mut child, url) = start(&data);
    wait_recovered(&url, &mut child).await;
    let logged_in = Client::new(&url);
    assert_eq!(
        logged_in.login("canbo.hocvien", DEMO_PASSWORD).await.status,
        303
    );

    for signal in [Signal::SIGKILL, Signal::SIGINT] {
        let old = postmaster_pid(&data);
        let killed = Instant::now();
        kill(Pid::from_raw(old), signal).unwrap();
        let (unavailable, health_down) = watch_while_down(&url).await;
        wait_recovered(&url, &mut child).await;
        eprintln!(
            "postmaster {signal:?}: a user logged in again {:?} after the signal ({health_down} \
             health checks said 503, {unavailable} pages were a 503)",
            killed.elapsed()
        );
        assert!(health_down > 0, "/healthz must say the database is down");
        assert!(unavailable > 0, "pages must say so too");
        assert_ne!(postmaster_pid(&data), old, "a new server runs");
        // The session made before the crash still works: it lives in the database.
        assert_eq!(logged_in.get("/").await.status, 200);
    }
    stop(&mut child);
    assert!(child.try_wait().unwrap().unwrap().success());
    let _ = std::fs::remove_dir_all(&base);
}

#[tokio::test]
async fn thidua_gives_up_with_a_failure_status_when_postgres_cannot_start_again() {
    let base = temp_base("deaddb-fail");
    let data = base.join("pg");
    let (mut child, url) = start(&data);
    wait_recovered(&url, &mut child).await;
    // Without PG_VERSION the server refuses to start on the folder: every restart fails.
    std::fs::rename(data.join("PG_VERSION"), base.join("PG_VERSION.away")).unwrap();
    kill(Pid::from_raw(postmaster_pid(&data)), Signal::SIGKILL).unwrap();
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "thidua kept running without a database"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        !status.success(),
        "the exit status tells the supervisor: {status:?}"
    );
    let _ = std::fs::remove_dir_all(&base);
}

/// Issue 12, item 3: postmaster.pid is checked against the system before anything is signalled.
#[tokio::test]
async fn a_stale_pid_of_an_unrelated_process_is_left_alone_and_a_folder_in_use_is_refused() {
    let base = temp_base("stalepid");
    let data = base.join("pg");
    let (mut first, url) = start(&data);
    wait_recovered(&url, &mut first).await;

    // A second thidua on the same folder is refused with a clear message; the first runs on.
    let second = Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(["demo", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("đang được dùng"), "{err}");
    let c = Client::new(&url);
    assert_eq!(c.login("canbo.hocvien", DEMO_PASSWORD).await.status, 303);
    stop(&mut first);

    // After a crash the pid in postmaster.pid may belong to anyone: here, a sleeping process.
    let mut bystander = Command::new("sleep").arg("300").spawn().unwrap();
    let mut text = String::new();
    text.push_str(&format!("{}\n", bystander.id()));
    text.push_str(&format!("{}\n", data.display()));
    std::fs::write(data.join("postmaster.pid"), text).unwrap();
    let (mut again, url) = start(&data);
    wait_recovered(&url, &mut again).await;
    assert!(
        bystander.try_wait().unwrap().is_none(),
        "the unrelated process must not be signalled"
    );
    let _ = bystander.kill();
    let _ = bystander.wait();
    stop(&mut again);
    let _ = std::fs::remove_dir_all(&base);
}

/// A server that cannot start is reported at once, with the reason from its log.
#[tokio::test]
async fn a_failed_start_is_reported_with_its_reason() {
    let base = temp_base("badstart");
    let data = base.join("pg");
    let (mut first, url) = start(&data);
    wait_recovered(&url, &mut first).await;
    stop(&mut first);
    let conf = data.join("postgresql.conf");
    let mut text = std::fs::read_to_string(&conf).unwrap();
    text.push_str("\nshared_buffers = 'not a size'\n");
    std::fs::write(&conf, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(["demo", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(&data)
        .env_remove("DATABASE_URL")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("stopped while starting"), "{err}");
    assert!(
        err.contains("shared_buffers"),
        "the log's reason is shown: {err}"
    );
    let _ = std::fs::remove_dir_all(&base);
}
