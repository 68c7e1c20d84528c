//! Issue 12, item 2, with an external PostgreSQL: thidua does not own that server, so it cannot
//! restart it; it must notice the outage, answer 503 without waiting on the pool, say so on
//! /healthz, and serve again by itself when the server is back. The server here is a real
//! PostgreSQL on 127.0.0.1 over TCP (as an external one is), stopped with SIGINT (what
//! `pg_ctl stop -m fast` sends) and started again on the same data folder.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::{Pid, Uid, User};
use sqlx::postgres::PgConnectOptions;
use thidua::AppState;
use thidua::config::WebConfig;
use thidua::db::{self, embedded};

use crate::harness::{Client, DEMO_PASSWORD, serve};

/// A PostgreSQL server listening on 127.0.0.1 only, started and stopped by the test.
struct External {
    data: PathBuf,
    port: u16,
    child: Option<Child>,
    /// Server settings beyond the usual (TLS).
    settings: Vec<String>,
}

impl External {
    fn start(&mut self) {
        let bin = embedded::server_programs().expect("PostgreSQL server programs");
        let mut cmd = Command::new(bin.join("postgres"));
        cmd.arg("-D")
            .arg(&self.data)
            .arg("-k")
            .arg(&self.data)
            .args(["-p", &self.port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .args(self.settings.iter().flat_map(|s| ["-c", s.as_str()]))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .current_dir("/");
        if Uid::effective().is_root() {
            let pg = User::from_name("postgres")
                .unwrap()
                .expect("a postgres user");
            cmd.uid(pg.uid.as_raw()).gid(pg.gid.as_raw());
        }
        self.child = Some(cmd.spawn().expect("start postgres"));
        // Listening is not enough: a starting server refuses connections for a moment ("the
        // database system is starting up"), and a thidua started then gives up.
        // (The folder of the real programs: a PATH folder may link only the server's.)
        let ready = std::fs::canonicalize(bin.join("postgres"))
            .unwrap()
            .with_file_name("pg_isready");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !Command::new(&ready)
            .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
            .status()
            .is_ok_and(|s| s.success())
        {
            assert!(
                Instant::now() < deadline,
                "postgres did not accept connections within 60 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = kill(Pid::from_raw(c.id() as i32), Signal::SIGINT);
            let deadline = Instant::now() + Duration::from_secs(60);
            while c.try_wait().unwrap().is_none() {
                assert!(Instant::now() < deadline, "postgres did not stop");
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    fn options(&self, user: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .host("127.0.0.1")
            .port(self.port)
            .username(user)
            .database("thidua")
    }
}

impl Drop for External {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A data folder `base/name` with the demo in it, made with the private server and then handed
/// over (here to a server on TCP, in `failover.rs` to a primary with a standby).
pub async fn demo_folder(base: &Path, name: &str) -> PathBuf {
    let data = base.join(name);
    let mut pg = embedded::EmbeddedPg::start(embedded::EmbeddedOptions {
        data_dir: data.clone(),
        ephemeral: true,
    })
    .await
    .unwrap();
    db::create_database_if_missing(&pg, "thidua").await.unwrap();
    let owner = pg.connect_options("thidua");
    db::migrate(&owner).await.unwrap();
    let pool = db::app_pool(owner.username(db::APP_ROLE), 2).await.unwrap();
    thidua::demo::load(&pool).await.unwrap();
    pool.close().await;
    pg.stop();
    data
}

#[tokio::test]
async fn an_unreachable_external_postgres_gets_fast_503s_and_service_comes_back_by_itself() {
    let base = std::env::temp_dir().join(format!("thidua-extdb-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut server = External {
        data: demo_folder(&base, "pg").await,
        port: crate::smtp::free_port(),
        child: None,
        settings: Vec::new(),
    };
    server.start();

    let pool = db::app_pool(server.options(db::APP_ROLE), 4).await.unwrap();
    let addr = serve(AppState::new(pool, WebConfig::default())).await;
    let url = format!("http://{addr}");
    let c = Client::new(&url);
    assert_eq!(c.login("canbo.thads-ls", DEMO_PASSWORD).await.status, 303);
    assert_eq!(c.get("/").await.status, 200);
    // Every pooled connection is in use at least once, so all of them outlive the server.
    let (a, b, d, e) = tokio::join!(c.get("/"), c.get("/"), c.get("/"), c.get("/"));
    for r in [a, b, d, e] {
        assert_eq!(r.status, 200);
    }

    server.stop();
    let first = Instant::now();
    let r = c.get("/").await;
    let first_503 = first.elapsed();
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("Tạm thời gián đoạn"), "{}", r.body);
    let h = c.get("/healthz").await;
    assert_eq!(
        (h.status, h.body.as_str()),
        (503, "database unreachable"),
        "a supervisor or balancer must see the outage"
    );
    let later = Instant::now();
    for _ in 0..20 {
        let r = c.get("/notifications").await;
        assert_eq!(r.status, 503, "{}", r.body);
    }
    let per_later_503 = later.elapsed() / 20;
    // Figures for the note and the README, not assertions: timing is the benchmark's job.
    eprintln!("external outage: first 503 after {first_503:?}, then {per_later_503:?} each");

    server.start();
    let back = Instant::now();
    // A balancer sends users back as soon as /healthz says so; /healthz itself uses no
    // connection, so this waits for the breaker's probe alone.
    while c.get("/healthz").await.status != 200 {
        assert!(
            back.elapsed() < Duration::from_secs(60),
            "/healthz not 200 within 60 s of the server being back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "external outage: healthy again {:?} after the server",
        back.elapsed()
    );
    // From then on every request succeeds, several at once too: the session survived, and no
    // connection opened before the outage is handed to a request.
    for _ in 0..5 {
        let (a, b, d, e) = tokio::join!(c.get("/"), c.get("/"), c.get("/"), c.get("/"));
        for r in [a, b, d, e] {
            assert_eq!(r.status, 200, "{}", r.body);
        }
    }
    assert_eq!(c.get("/healthz").await.status, 200);
    drop(server);
    let _ = std::fs::remove_dir_all(&base);
}

/// deploy/postgres-failover.md connects over the network with `sslmode=require`. A server that
/// refuses every connection without TLS: `thidua serve` with both URLs asking for TLS migrates,
/// serves and logs a user in; the same server refuses a connection without it, so the pages
/// came over TLS.
#[tokio::test]
async fn a_server_that_accepts_only_tls_is_reached_with_sslmode_require() {
    let base = std::env::temp_dir().join(format!("thidua-tls-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o755)).unwrap();
    let has_openssl = Command::new("openssl")
        .arg("version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_openssl {
        let msg = "TLS TEST DID NOT RUN: install openssl (Debian package openssl)";
        if std::env::var("CI").is_ok() {
            panic!("{msg}");
        }
        eprintln!("\n!!!!!!!! {msg} !!!!!!!!\n");
        return;
    }
    let data = demo_folder(&base, "pg").await;
    // A self-signed certificate, as pg_auto_failover's --ssl-self-signed makes one.
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args([
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "server.key",
            "-out",
            "server.crt",
        ])
        .current_dir(&data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success());
    std::fs::set_permissions(
        data.join("server.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    std::fs::write(
        data.join("pg_hba.conf"),
        "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n",
    )
    .unwrap();
    if Uid::effective().is_root() {
        let pg = User::from_name("postgres")
            .unwrap()
            .expect("a postgres user");
        for f in ["server.key", "server.crt", "pg_hba.conf"] {
            nix::unistd::chown(&data.join(f), Some(pg.uid), Some(pg.gid)).unwrap();
        }
    }
    let mut server = External {
        data,
        port: crate::smtp::free_port(),
        child: None,
        settings: [
            "ssl=on",
            "ssl_cert_file=server.crt",
            "ssl_key_file=server.key",
        ]
        .map(String::from)
        .to_vec(),
    };
    server.start();

    let plain = server
        .options("thidua")
        .ssl_mode(sqlx::postgres::PgSslMode::Disable);
    let refused = sqlx::ConnectOptions::connect(&plain).await;
    assert!(
        refused.is_err(),
        "the server must refuse a connection without TLS for this test to mean anything"
    );

    let url = |user: &str| {
        format!(
            "postgres://{user}@127.0.0.1:{}/thidua?sslmode=require",
            server.port
        )
    };
    let app = crate::instances::Instance::start_urls(&url("thidua"), &url(db::APP_ROLE));
    let c = Client::new(&app.base);
    assert_eq!(c.login("canbo.thads-ls", DEMO_PASSWORD).await.status, 303);
    let home = c.get("/").await;
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.body.contains("Đăng xuất"));
    drop(app);
    drop(server);
    let _ = std::fs::remove_dir_all(&base);
}
