//! Issue 12, item 4: clients that send half a header are cut off, connections are bounded, and
//! a stop finishes by its deadline with slow clients attached.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use thidua::AppState;
use thidua::config::WebConfig;
use thidua::web::serve::ServeLimits;

use crate::harness::{self, Template};

const HALF_HEADER: &[u8] = b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow";

async fn app_state() -> AppState {
    let options = harness::fresh_database(Template::Empty).await;
    let pool = thidua::db::app_pool(harness::app_options(&options), 4)
        .await
        .unwrap();
    AppState::new(pool, WebConfig::default())
}

/// Reads until the server closes the connection; what it sent before closing, or None if it
/// was still open after `bound` (a generous bound, not a timing claim).
async fn read_until_closed(s: &mut TcpStream, bound: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + bound;
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(got),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

#[tokio::test]
async fn a_half_sent_header_is_cut_off() {
    let limits = ServeLimits {
        header_timeout: Duration::from_secs(1),
        ..ServeLimits::default()
    };
    let addr = harness::serve_with(app_state().await, limits, std::future::pending()).await;
    let mut slow = Vec::new();
    for _ in 0..20 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(HALF_HEADER).await.unwrap();
        slow.push(s);
    }
    for s in &mut slow {
        assert!(
            read_until_closed(s, Duration::from_secs(60))
                .await
                .is_some(),
            "a connection with half a header must be closed by the server"
        );
    }
    // The server still answers whole requests.
    let r = harness::Client::new(&format!("http://{addr}"))
        .get("/healthz")
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn connections_beyond_the_limit_get_a_vietnamese_503_and_slots_come_back() {
    let limits = ServeLimits {
        header_timeout: Duration::from_secs(2),
        max_connections: 5,
        ..ServeLimits::default()
    };
    let addr = harness::serve_with(app_state().await, limits, std::future::pending()).await;
    let mut held = Vec::new();
    for _ in 0..5 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(HALF_HEADER).await.unwrap();
        held.push(s);
    }
    // Give the server a moment to accept the five before the sixth arrives.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut extra = TcpStream::connect(addr).await.unwrap();
    let answer = read_until_closed(&mut extra, Duration::from_secs(30))
        .await
        .expect("the connection over the limit is answered and closed");
    let answer = String::from_utf8(answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("Hệ thống đang quá tải"), "{answer}");
    // Once the header timeout has closed the slow ones, the server answers again.
    let c = harness::Client::new(&format!("http://{addr}"));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let got = read_until_closed(&mut s, Duration::from_secs(30))
            .await
            .unwrap_or_default();
        if got.starts_with(b"HTTP/1.1 200") {
            break;
        }
        assert!(Instant::now() < deadline, "slots never came back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(c.get("/healthz").await.status, 200);
    drop(held);
}

#[tokio::test]
async fn a_stop_finishes_by_its_deadline_with_slow_clients_attached() {
    let limits = ServeLimits {
        // Longer than the test waits: only the stop's own deadline can end these.
        header_timeout: Duration::from_secs(300),
        shutdown_grace: Duration::from_secs(1),
        ..ServeLimits::default()
    };
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(thidua::web::serve::serve(
        listener,
        thidua::router(app_state().await),
        limits,
        async move {
            let _ = stop_rx.await;
        },
    ));
    let mut slow = Vec::new();
    for _ in 0..10 {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(HALF_HEADER).await.unwrap();
        slow.push(s);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop_tx.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(60), server)
        .await
        .expect("the server loop must return after its stop deadline")
        .unwrap();
    drop(slow);
}

/// The real binary, stopped with SIGTERM while slow clients hold connections, exits (status 0)
/// and stops its PostgreSQL.
#[tokio::test]
async fn sigterm_stops_the_binary_with_slow_clients_attached() {
    let base = std::env::temp_dir().join(format!("thidua-term-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = base.join("pg");
    let mut child = Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--shutdown-grace-secs",
            "2",
        ])
        .args(["--header-timeout-secs", "300", "--data-dir"])
        .arg(&data)
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
    let mut slow = Vec::new();
    for _ in 0..10 {
        let mut s = TcpStream::connect(&addr).await.unwrap();
        s.write_all(HALF_HEADER).await.unwrap();
        slow.push(s);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("thidua did not stop on SIGTERM with slow clients attached");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(status.success(), "{status:?}");
    drop(slow);
    let _ = std::fs::remove_dir_all(&base);
}
