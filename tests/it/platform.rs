//! The binary, its private PostgreSQL, migrations, the demo loader, health checks and the
//! operator commands.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{Client, DEMO_PASSWORD, Template, TestApp, fresh_database, serve};
use sqlx::Connection;
use thidua::AppState;
use thidua::config::WebConfig;

#[tokio::test]
async fn migrations_apply_to_an_empty_database_and_again_change_nothing() {
    let options = fresh_database(Template::Empty).await;
    // The template was migrated already; a second run must be a no-op.
    thidua::db::migrate(&options).await.unwrap();
    let mut conn = sqlx::PgConnection::connect_with(&options).await.unwrap();
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(applied as usize, thidua::db::MIGRATOR.iter().count());
    for table in [
        "tenants",
        "units",
        "users",
        "sessions",
        "login_throttle",
        "audit_log",
    ] {
        let exists: bool = sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
            .bind(table)
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert!(exists, "{table}");
    }
}

async fn table_counts(app: &TestApp) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for t in ["tenants", "units", "users", "audit_log"] {
        out.push((
            t.to_string(),
            app.scalar_i64(&format!("SELECT count(*) FROM {t}")).await,
        ));
    }
    out
}

#[tokio::test]
async fn the_demo_loader_run_twice_changes_nothing() {
    let app = TestApp::start_with(Template::Empty, WebConfig::default()).await;
    thidua::demo::load(&app.pool).await.unwrap();
    let first = table_counts(&app).await;
    let hashes: Vec<String> = sqlx::query_scalar("SELECT password_hash FROM users ORDER BY id")
        .fetch_all(&app.owner)
        .await
        .unwrap();
    thidua::demo::load(&app.pool).await.unwrap();
    assert_eq!(first, table_counts(&app).await);
    let again: Vec<String> = sqlx::query_scalar("SELECT password_hash FROM users ORDER BY id")
        .fetch_all(&app.owner)
        .await
        .unwrap();
    assert_eq!(hashes, again);
    assert_eq!(first[0], ("tenants".to_string(), 2));
    assert_eq!(first[1], ("units".to_string(), 26));
    assert_eq!(first[2], ("users".to_string(), 2 + 2 * 26));
    // Every listed account can log in.
    for t in thidua::demo::TENANTS {
        for a in thidua::demo::accounts(t).iter().take(3) {
            let r = app.client().login(&a.username, DEMO_PASSWORD).await;
            assert_eq!(r.status, 303, "{}", a.username);
        }
    }
}

#[tokio::test]
async fn readyz_reports_an_unreachable_database_and_healthz_does_not_care() {
    let app = TestApp::start().await;
    assert_eq!(app.client().get("/readyz").await.status, 200);
    // A pool whose server is gone.
    let gone = sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(Duration::from_secs(1))
        .connect_lazy_with(
            sqlx::postgres::PgConnectOptions::new()
                .socket("/nonexistent-thidua-socket-dir")
                .username("thidua_app"),
        );
    let addr = serve(AppState::new(gone, WebConfig::default())).await;
    let c = Client::new(&format!("http://{addr}"));
    let r = c.get("/readyz").await;
    assert_eq!(r.status, 503);
    assert_eq!(c.get("/healthz").await.status, 200);
    // A page that needs the database says, in Vietnamese, that the database is unreachable
    // (503, to try again), not a stack trace.
    c.set_cookie("thidua_session", &"b".repeat(64));
    let r = c.get("/").await;
    assert_eq!(r.status, 503);
    assert!(r.body.contains("Tạm thời gián đoạn"));
    assert!(r.headers.get("retry-after").is_some());
    assert!(!r.body.contains("nonexistent"));
}

#[tokio::test]
async fn operator_commands_check_their_input() {
    let app = TestApp::start().await;
    let err = |r: anyhow::Result<String>| r.unwrap_err().to_string();
    let account = |tenant, username, role, unit| thidua::admin::NewAccount {
        tenant_code: tenant,
        username,
        full_name: "Nguyễn Thị Bình",
        role,
        unit_code: unit,
    };
    let p = &app.pool;
    use thidua::admin::create_user;
    assert!(
        err(create_user(
            p,
            &account("khongco", "binh.nt", "unit_officer", Some("ca-ls"))
        )
        .await)
        .contains("Không có đơn vị tổ chức")
    );
    assert!(
        err(create_user(
            p,
            &account("langson", "canbo.ca-ls", "unit_officer", Some("ca-ls"))
        )
        .await)
        .contains("đã được dùng")
    );
    assert!(
        err(create_user(p, &account("langson", "binh.nt", "unit_officer", None)).await)
            .contains("--unit")
    );
    assert!(
        err(create_user(
            p,
            &account("langson", "binh.nt", "unit_officer", Some("vanphong"))
        )
        .await)
        .contains("không có đơn vị mã")
    );
    assert!(
        err(create_user(p, &account("langson", "binh.nt", "operator", None)).await)
            .contains("Vai trò")
    );
    assert!(
        err(create_user(p, &account("langson", "Bình", "tenant_admin", None)).await)
            .contains("không hợp lệ")
    );
    let e = thidua::admin::create_tenant(p, "toaan", "Trùng mã", "")
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("Đã có"));
    let e = thidua::admin::reset_password(p, "khong.ton.tai")
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("Không có tài khoản"));

    // A reset ends the account's sessions and forces a change.
    let c = app.login("canbo.ca-ls").await;
    let otp = thidua::admin::reset_password(p, "canbo.ca-ls")
        .await
        .unwrap();
    assert_eq!(c.get("/").await.status, 303);
    let r = app.client().login("canbo.ca-ls", &otp).await;
    assert_eq!(r.location(), "/password");
    let audited = app
        .scalar_i64("SELECT count(*) FROM audit_log WHERE action = 'password_reset'")
        .await;
    assert_eq!(audited, 1);
}

/// Processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        if let Ok(cmd) = std::fs::read(e.path().join("cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.contains(needle) && !cmd.contains("cargo") {
                found.push(cmd);
            }
        }
    }
    found
}

/// Starts `thidua demo` on a free port, waits for the address line, returns the child and URL.
fn start_demo(data_dir: &std::path::Path) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(["demo", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut url = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            url = Some(format!(
                "http://{}",
                rest.split_whitespace().next().unwrap()
            ));
            break;
        }
        assert!(Instant::now() < deadline, "thidua demo did not start");
    }
    (child, url.expect("thidua demo printed its address"))
}

fn interrupt_and_wait(child: &mut std::process::Child) {
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "thidua did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(child.try_wait().unwrap().unwrap().success());
}

#[tokio::test]
async fn the_binary_starts_its_own_postgres_stops_it_on_ctrl_c_and_keeps_the_data() {
    let base = std::env::temp_dir().join(format!("thidua-bin-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = base.join("pg");

    let (mut child, url) = start_demo(&data);
    let c = Client::new(&url);
    assert!(c.get("/login").await.body.contains("Đăng nhập"));
    assert_eq!(c.login("canbo.hocvien", DEMO_PASSWORD).await.status, 303);
    // Something stored in the first run …
    let r = c
        .submit(
            "/password",
            "/password",
            &[
                ("current", DEMO_PASSWORD),
                ("new", "Hoc-vien-Toa-an-2026"),
                ("confirm", "Hoc-vien-Toa-an-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(
        !processes_mentioning(data.to_str().unwrap()).is_empty(),
        "postgres runs on the data folder"
    );
    interrupt_and_wait(&mut child);
    let left = processes_mentioning(data.to_str().unwrap());
    assert!(left.is_empty(), "postgres left behind: {left:?}");

    // … is there in the second.
    let (mut child, url) = start_demo(&data);
    let c = Client::new(&url);
    assert_eq!(
        c.login("canbo.hocvien", "Hoc-vien-Toa-an-2026")
            .await
            .status,
        303
    );
    assert_eq!(c.get("/").await.status, 200);
    interrupt_and_wait(&mut child);
    assert!(processes_mentioning(data.to_str().unwrap()).is_empty());
    let _ = std::fs::remove_dir_all(&base);
}
