//! Issue 16, item 2, thidua's side of a failover: with both nodes in its URLs, `thidua serve`
//! connects to the one that accepts writes (listed second here), and when that primary dies and
//! the standby is promoted, it moves to the new primary by itself. The failover engine's part
//! (pg_auto_failover deciding and promoting) is in `deploy/test/failover.sh`; here the test
//! promotes the standby itself with `pg_ctl promote`, as the engine would. And a rolling
//! upgrade: an instance of the previous release starts on a database a newer one migrated.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use nix::unistd::{Uid, User};
use thidua::db::{self, embedded};

use crate::harness::{Client, DEMO_PASSWORD, Template, app_options, fresh_database};
use crate::instances::Instance;
use crate::smtp::free_port;

/// Runs a PostgreSQL program, as the postgres user when the test runs as root (the server
/// refuses root).
fn pg_command(program: &str) -> Command {
    let bin = embedded::server_programs().expect("PostgreSQL server programs");
    // The folder of the real programs: a PATH folder may link only the server's.
    let real = std::fs::canonicalize(bin.join("postgres")).unwrap();
    let mut cmd = Command::new(real.parent().unwrap().join(program));
    cmd.stdin(Stdio::null()).current_dir("/");
    if Uid::effective().is_root() {
        let pg = User::from_name("postgres")
            .unwrap()
            .expect("a postgres user");
        cmd.uid(pg.uid.as_raw()).gid(pg.gid.as_raw());
    }
    cmd
}

/// A server killed when dropped, so a failing test leaves none behind.
struct Node(Child);

impl Node {
    /// A fast shutdown (what `pg_ctl stop -m fast` sends): the standby receives everything
    /// first, as in a planned switchover.
    fn stop(&mut self) {
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(self.0.id() as i32),
            nix::sys::signal::Signal::SIGINT,
        );
        let _ = self.0.wait();
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_node(data: &Path, port: u16) -> Node {
    let child = pg_command("postgres")
        .arg("-D")
        .arg(data)
        .arg("-k")
        .arg(data)
        .args(["-p", &port.to_string()])
        .args(["-c", "listen_addresses=127.0.0.1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start postgres");
    let node = Node(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    // Listening is not enough: a starting server refuses connections for a moment.
    while !pg_command("pg_isready")
        .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()])
        .status()
        .unwrap()
        .success()
    {
        assert!(
            Instant::now() < deadline,
            "postgres did not accept connections"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    node
}

/// A demo primary on one port and its streaming standby (a base backup) on another, in `base`.
struct Pair {
    p1: u16,
    p2: u16,
    primary: Node,
    standby: Node,
    primary_data: PathBuf,
    standby_data: PathBuf,
}

/// A fresh private folder for the nodes, which the postgres user may write in.
fn node_folder(tag: &str) -> PathBuf {
    let base = std::env::temp_dir().join(format!("thidua-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o755)).unwrap();
    to_postgres(&base);
    base
}

/// Gives a file written by the test to the postgres user the servers run as (when root).
fn to_postgres(path: &Path) {
    if Uid::effective().is_root() {
        let pg = User::from_name("postgres").unwrap().unwrap();
        nix::unistd::chown(path, Some(pg.uid), Some(pg.gid)).unwrap();
    }
}

/// `thidua serve` on the multi-node URL (`host:port,host:port`), as deploy/ sets it up.
fn app_on(nodes: &str) -> Instance {
    Instance::start_urls(
        &format!("postgres://thidua@{nodes}/thidua?target_session_attrs=read-write"),
        &format!(
            "postgres://{}@{nodes}/thidua?target_session_attrs=read-write",
            db::APP_ROLE
        ),
    )
}

async fn primary_and_standby(base: &Path) -> Pair {
    let (p1, p2) = (free_port(), free_port());
    let primary_data = crate::external_db::demo_folder(base, "primary").await;
    let primary = start_node(&primary_data, p1);
    // The standby: a base backup of the primary that streams from it.
    let standby_data = base.join("standby");
    let status = pg_command("pg_basebackup")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &p1.to_string(),
            "-U",
            "thidua",
            "-R",
        ])
        .arg("-D")
        .arg(&standby_data)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "pg_basebackup: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let standby = start_node(&standby_data, p2);

    Pair {
        p1,
        p2,
        primary,
        standby,
        primary_data,
        standby_data,
    }
}

async fn logs_in_and_serves(url: &str) -> bool {
    let c = Client::new(url);
    c.login("canbo.thads-ls", DEMO_PASSWORD).await.status == 303 && c.get("/").await.status == 200
}

#[tokio::test]
async fn thidua_finds_the_primary_among_the_nodes_and_follows_a_promotion() {
    let base = node_folder("failover");

    let Pair {
        p1,
        p2,
        primary,
        standby,
        standby_data,
        ..
    } = primary_and_standby(&base).await;
    // The standby comes first: thidua must pass it over for the node that accepts writes.
    let nodes = format!("127.0.0.1:{p2},127.0.0.1:{p1}");
    let app = app_on(&nodes);
    assert!(
        logs_in_and_serves(&app.base).await,
        "a login (a write) through the two-node URL"
    );
    let c = Client::new(&app.base);
    assert_eq!(c.login("canbo.thads-ls", DEMO_PASSWORD).await.status, 303);

    // The primary dies; the failover engine promotes the standby.
    drop(primary);
    let promoted = pg_command("pg_ctl")
        .args(["promote", "-w", "-D"])
        .arg(&standby_data)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(promoted.success(), "pg_ctl promote");
    let killed = Instant::now();
    loop {
        let r = c.get("/").await;
        assert_ne!(r.status, 500, "{}", r.body);
        if r.status == 200 && logs_in_and_serves(&app.base).await {
            break;
        }
        assert!(
            killed.elapsed() < Duration::from_secs(60),
            "thidua did not move to the promoted standby within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eprintln!(
        "failover: serving again {:?} after the promotion",
        killed.elapsed()
    );
    assert!(
        !app.lines_with(&format!("the primary host=\"127.0.0.1\" port={p2}"))
            .is_empty(),
        "the log names the node the pool moved to"
    );
    // The session opened before the failover lives on: it was replicated.
    assert!(c.get("/").await.body.contains("Đăng xuất"));

    drop(app);
    drop(standby);
    let _ = std::fs::remove_dir_all(&base);
}

#[tokio::test]
async fn an_instance_of_the_previous_release_starts_on_a_database_a_newer_release_migrated() {
    let owner_opts = fresh_database(Template::Demo).await;
    let owner = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(owner_opts.clone())
        .await
        .unwrap();
    // The next release's first instance has applied its migration: an added column, which
    // this release does not read (expand now, contract a release later).
    for sql in [
        "ALTER TABLE units ADD COLUMN next_release_note text",
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (9999, 'next release', true, '\\x00', 0)",
    ] {
        sqlx::query(sql).execute(&owner).await.unwrap();
    }
    // An instance of this release restarts (systemd's Restart=on-failure) in the middle of the
    // rolling upgrade: it must come up and serve.
    let old = Instance::start(&owner_opts, &app_options(&owner_opts));
    let c = Client::new(&old.base);
    assert_eq!(c.login("canbo.thads-ls", DEMO_PASSWORD).await.status, 303);
    assert_eq!(c.get("/").await.status, 200);
    assert!(!old.lines_with("as the previous release").is_empty());
}

/// A planned switchover, as `pg_autoctl perform switchover` makes one: the primary stops
/// cleanly, the standby is promoted, and the old primary comes back as the new one's standby.
/// The pool reconnects to the old primary, which answers reads; /readyz must say it is not
/// ready (a standby) so that the pool moves before a user's form meets the standby, and the
/// first form after it goes through. Found by following deploy/postgres-failover.md: a login
/// after a switchover got the 503 that only a write revealed.
#[tokio::test]
async fn after_a_planned_switchover_readyz_moves_the_pool_before_a_form_meets_the_standby() {
    let base = node_folder("switchover");
    let Pair {
        p1,
        p2,
        mut primary,
        standby,
        primary_data,
        standby_data,
    } = primary_and_standby(&base).await;
    let nodes = format!("127.0.0.1:{p1},127.0.0.1:{p2}");
    let app = app_on(&nodes);
    let c = Client::new(&app.base);
    assert_eq!(c.login("canbo.thads-ls", DEMO_PASSWORD).await.status, 303);

    primary.stop();
    let promoted = pg_command("pg_ctl")
        .args(["promote", "-w", "-D"])
        .arg(&standby_data)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(promoted.success(), "pg_ctl promote");
    // The old primary follows the new one.
    std::fs::write(primary_data.join("standby.signal"), "").unwrap();
    let auto = primary_data.join("postgresql.auto.conf");
    let mut conf = std::fs::read_to_string(&auto).unwrap_or_default();
    conf.push_str(&format!(
        "primary_conninfo = 'host=127.0.0.1 port={p2} user=thidua'\n"
    ));
    std::fs::write(&auto, conf).unwrap();
    for f in [&auto, &primary_data.join("standby.signal")] {
        to_postgres(f);
    }
    let _old_primary = start_node(&primary_data, p1);
    let in_recovery = pg_command("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &p1.to_string(),
            "-U",
            "thidua",
            "-d",
            "thidua",
        ])
        .args(["-Atc", "SELECT pg_is_in_recovery()"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&in_recovery.stdout).trim(),
        "t",
        "the old primary is back as a standby"
    );

    // What HAProxy does every second: ask /readyz, until the instance is ready again.
    let started = Instant::now();
    let http = reqwest::Client::new();
    loop {
        let r = http.get(format!("{}/readyz", app.base)).send().await;
        if r.is_ok_and(|r| r.status() == 200) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "/readyz not 200 within 60 s of the switchover"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let fresh = Client::new(&app.base);
    let r = fresh.login("canbo.thads-ls", DEMO_PASSWORD).await;
    assert_eq!(
        r.status, 303,
        "the first form once /readyz says ready goes through: {}",
        r.body
    );
    assert!(
        c.get("/").await.body.contains("Đăng xuất"),
        "the session lives on"
    );
    assert!(
        !app.lines_with(&format!("the primary host=\"127.0.0.1\" port={p2}"))
            .is_empty(),
        "the pool moved to the promoted node"
    );
    drop(app);
    drop(standby);
    let _ = std::fs::remove_dir_all(&base);
}
