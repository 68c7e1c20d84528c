//! Issue 16, item 1: app instances are interchangeable. Two `thidua serve` processes on one
//! database, behind HAProxy health-checked on /readyz: a user logs in through one and goes on
//! through the other, a result changed through one is fresh through the other, a reminder due
//! today goes out once though both run their reminder pass, and stopping one under load loses
//! no request and no session.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use reqwest::cookie::CookieStore;
use sqlx::ConnectOptions;
use sqlx::postgres::PgConnectOptions;

use crate::harness::{Client, DEMO_PASSWORD, Template, app_options, fresh_database};

/// One `thidua serve` process and what it printed.
pub struct Instance {
    child: Child,
    pub base: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Instance {
    /// Starts `thidua serve` on a random port against the database `owner` (migrations) with
    /// its requests logged in as the application role.
    pub fn start(owner: &PgConnectOptions, app: &PgConnectOptions) -> Instance {
        Self::start_urls(owner.to_url_lossy().as_ref(), app.to_url_lossy().as_ref())
    }

    pub fn start_urls(owner_url: &str, app_url: &str) -> Instance {
        Self::start_urls_with(owner_url, app_url, &[])
    }

    /// The same with more flags for `thidua serve`.
    pub fn start_urls_with(owner_url: &str, app_url: &str, flags: &[String]) -> Instance {
        let mut child = Command::new(env!("CARGO_BIN_EXE_thidua"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(flags)
            .env("DATABASE_URL", owner_url)
            .env("THIDUA_APP_DATABASE_URL", app_url)
            .env("THIDUA_SHUTDOWN_GRACE_SECS", "10")
            .env("RUST_LOG", "info,sqlx=warn,tower_http=warn")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("đang chạy tại http://").nth(1) {
                    let _ = tx.send(rest.split_whitespace().next().unwrap().to_string());
                }
                kept.lock().unwrap().push(line);
            }
        });
        // What thidua says when it refuses to start goes to stderr: kept for the failure.
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                kept.lock().unwrap().push(line);
            }
        });
        let addr = rx
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|e| {
                std::thread::sleep(Duration::from_millis(200));
                panic!(
                    "thidua printed no address ({e}); it said:\n{}",
                    log.lock().unwrap().join("\n")
                )
            });
        Instance {
            child,
            base: format!("http://{addr}"),
            log,
        }
    }

    pub fn lines_with(&self, text: &str) -> Vec<String> {
        let log = self.log.lock().unwrap();
        log.iter().filter(|l| l.contains(text)).cloned().collect()
    }

    /// SIGTERM, as systemd stops a service; returns once the process has exited.
    pub fn terminate(&mut self) -> std::process::ExitStatus {
        let _ = kill(Pid::from_raw(self.child.id() as i32), Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "thidua did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// HAProxy in front of the instances, as deploy/haproxy.cfg configures it.
pub struct Balancer {
    child: Child,
    pub base: String,
    dir: PathBuf,
}

impl Balancer {
    /// None when haproxy is not installed (the caller prints the marker CI turns into a failure).
    pub fn start(backends: &[&str], tag: &str) -> Option<Balancer> {
        let port = crate::smtp::free_port();
        Self::start_config(&config(port, backends), port, tag)
    }

    /// HAProxy with the caller's configuration, which binds 127.0.0.1:`port`.
    pub fn start_config(cfg: &str, port: u16, tag: &str) -> Option<Balancer> {
        let bin = ["/usr/sbin/haproxy", "/usr/bin/haproxy"]
            .into_iter()
            .find(|p| Path::new(p).exists())?;
        let dir = std::env::temp_dir().join(format!("thidua-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("haproxy.cfg"), cfg).unwrap();
        let child = Command::new(bin)
            .arg("-f")
            .arg(dir.join("haproxy.cfg"))
            .arg("-db")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "haproxy did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(Balancer {
            child,
            base: format!("http://127.0.0.1:{port}"),
            dir,
        })
    }
}

impl Balancer {
    /// Starts HAProxy and waits until it serves through one of its servers (it checks them
    /// first). None, after the marker CI turns into a failure, when haproxy is not installed.
    pub async fn start_up(backends: &[&str], tag: &str) -> Option<Balancer> {
        let Some(lb) = Balancer::start(backends, tag) else {
            let msg = "HAPROXY TESTS DID NOT RUN: install the Debian package haproxy";
            if std::env::var("CI").is_ok() {
                panic!("{msg}");
            }
            eprintln!("\n!!!!!!!! {msg} !!!!!!!!\n");
            return None;
        };
        let started = Instant::now();
        while reqwest::get(format!("{}/readyz", lb.base))
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or(0)
            != 200
        {
            assert!(started.elapsed() < Duration::from_secs(30), "haproxy up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Some(lb)
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The test's HAProxy configuration: deploy/haproxy.cfg's backend settings on loopback ports.
fn config(port: u16, backends: &[&str]) -> String {
    let deployed = include_str!("../../deploy/haproxy.cfg");
    // The deployed file's defaults and backend options, from "defaults" to the first server.
    let start = deployed.find("defaults").expect("a defaults section");
    let end = deployed.find("    server ").expect("a server line");
    let body = deployed[start..end]
        .replace("bind :80", &format!("bind 127.0.0.1:{port}"))
        .lines()
        .filter(|l| !l.trim_start().starts_with("log "))
        .collect::<Vec<_>>()
        .join("\n");
    let servers: String = backends
        .iter()
        .enumerate()
        .map(|(i, b)| {
            format!(
                "    server app{i} {} check\n",
                b.trim_start_matches("http://")
            )
        })
        .collect();
    format!("global\n    maxconn 1000\n\n{body}\n{servers}")
}

/// A client of another address that carries the same session cookies.
fn same_session(from: &Client, base: &str) -> Client {
    let to = Client::new(base);
    let url = reqwest::Url::parse(&from.base).unwrap();
    if let Some(h) = from.jar.cookies(&url) {
        for kv in h.to_str().unwrap().split(';') {
            if let Some((k, v)) = kv.trim().split_once('=') {
                to.set_cookie(k, v);
            }
        }
    }
    to
}

pub(crate) async fn scalar(pool: &sqlx::PgPool, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(pool)
        .await
        .unwrap()
}

/// (cluster year, unit) of a sheet the demo's Lạng Sơn leader has yet to verify.
pub(crate) async fn waiting_sheet(owner: &sqlx::PgPool) -> (i64, i64) {
    sqlx::query_as::<_, (i64, i64)>(
        "SELECT s.cluster_year_id, s.unit_id FROM scoresheets s
           JOIN cluster_years y ON y.id = s.cluster_year_id
           JOIN units l ON l.id = y.leader_unit_id
          WHERE s.status = 'submitted' AND l.code = 'thads-ls' AND s.unit_id <> l.id
          ORDER BY s.cluster_year_id, s.unit_id LIMIT 1",
    )
    .fetch_one(owner)
    .await
    .expect("the demo has a sheet waiting for the leader's verification")
}

/// Today in Viet Nam, as the reminder pass counts days.
fn today_vn() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&thidua::web::vn::vn_offset())
        .date_naive()
}

#[tokio::test]
async fn two_instances_share_sessions_fresh_results_and_send_a_reminder_once() {
    let owner_opts = fresh_database(Template::Demo).await;
    let owner = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect_with(owner_opts.clone())
        .await
        .unwrap();
    // A registration deadline three days from now: a reminder is due today for every member
    // that has not submitted, and both instances run the pass as they start.
    let year = scalar(
        &owner,
        "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
          WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.phase <> 'closed'
          ORDER BY y.year DESC LIMIT 1",
    )
    .await;
    let deadline = today_vn() + chrono::Days::new(3);
    sqlx::query("UPDATE cluster_years SET registration_deadline = $1 WHERE id = $2")
        .bind(deadline)
        .bind(year)
        .execute(&owner)
        .await
        .unwrap();
    sqlx::query("DELETE FROM notifications")
        .execute(&owner)
        .await
        .unwrap();

    let app_opts = app_options(&owner_opts);
    let (a, b) = (
        Instance::start(&owner_opts, &app_opts),
        Instance::start(&owner_opts, &app_opts),
    );

    // Once-only: both passes ran, and each unit got its reminder once.
    let started = Instant::now();
    while a.lines_with("deadline reminders pass").is_empty()
        || b.lines_with("deadline reminders pass").is_empty()
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "both instances run the reminder pass at start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let reminders = "SELECT count(*) FROM notifications WHERE kind = 'reminder_registration'";
    let sent = scalar(&owner, reminders).await;
    assert!(sent > 0, "a reminder is due today");
    let twice = scalar(
        &owner,
        "SELECT count(*) FROM (SELECT user_id, link FROM notifications
          WHERE kind = 'reminder_registration' GROUP BY 1, 2 HAVING count(*) > 1) d",
    )
    .await;
    assert_eq!(twice, 0, "a unit got the same reminder from both instances");

    // Session continuity: logged in through A, the same cookie works through B.
    let leader = Client::new(&a.base);
    assert_eq!(
        leader.login("canbo.thads-ls", DEMO_PASSWORD).await.status,
        303
    );
    let through_b = same_session(&leader, &b.base);
    let home = through_b.get("/").await;
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.body.contains("Đăng xuất"), "signed in through B");

    // Fresh results: a sheet verified and finalised through A changes the results B had kept.
    let (sheet_year, unit) = waiting_sheet(&owner).await;
    let dashboard = format!("/years/{sheet_year}/scoring");
    let before_b = through_b.get(&dashboard).await;
    assert_eq!(before_b.status, 200);
    assert_eq!(leader.get(&dashboard).await.body, before_b.body);
    let sheet = format!("/years/{sheet_year}/sheets/{unit}");
    let r = leader.submit(&sheet, &format!("{sheet}/verify"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = leader
        .submit(&sheet, &format!("{sheet}/finalise"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let after_a = leader.get(&dashboard).await;
    let after_b = through_b.get(&dashboard).await;
    assert_ne!(
        after_b.body, before_b.body,
        "B still shows the results it kept before the sheet was finalised through A"
    );
    assert_eq!(after_a.body, after_b.body);
}

#[tokio::test]
async fn stopping_an_instance_under_load_behind_haproxy_loses_no_request_and_no_session() {
    let owner_opts = fresh_database(Template::Demo).await;
    let app_opts = app_options(&owner_opts);
    let mut a = Instance::start(&owner_opts, &app_opts);
    let b = Instance::start(&owner_opts, &app_opts);
    let Some(lb) = Balancer::start_up(&[&a.base, &b.base], "haproxy").await else {
        return;
    };
    let user = Client::new(&lb.base);
    assert_eq!(
        user.login("canbo.thads-ls", DEMO_PASSWORD).await.status,
        303
    );
    let cookies = user
        .jar
        .cookies(&reqwest::Url::parse(&lb.base).unwrap())
        .unwrap();

    // Four users' worth of page views through the balancer while A is stopped.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut loops = Vec::new();
    for _ in 0..4 {
        let (http, base, cookies, done) =
            (http.clone(), lb.base.clone(), cookies.clone(), done.clone());
        loops.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            for i in 0..60 {
                let path = if i % 2 == 0 { "/" } else { "/notifications" };
                let r = http
                    .get(format!("{base}{path}"))
                    .header("cookie", cookies.clone())
                    .send()
                    .await;
                statuses.push(r.map(|r| r.status().as_u16()).unwrap_or(0));
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            statuses
        }));
    }
    while done.load(std::sync::atomic::Ordering::Relaxed) < 40 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let status = a.terminate();
    assert!(status.success(), "A stops cleanly on SIGTERM: {status}");
    let mut all = Vec::new();
    for l in loops {
        all.extend(l.await.unwrap());
    }
    let failed: Vec<_> = all.iter().filter(|s| **s != 200).collect();
    assert!(
        failed.is_empty(),
        "{} of {} requests failed while A stopped: {failed:?}",
        failed.len(),
        all.len()
    );
    // The session goes on through B alone.
    let page = user.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Đăng xuất"));
    assert_eq!(
        same_session(&user, &b.base).get("/").await.status,
        200,
        "the session lives in the database, not in A"
    );
}
