//! Issue 12, item 14: a backup restores into an empty data folder with every table equal, and
//! the restored database serves logins as before.

use std::path::PathBuf;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use thidua::config::WebConfig;
use thidua::db::backup;
use thidua::db::embedded::{EmbeddedOptions, EmbeddedPg};

use crate::harness::{self, Client, DEMO_PASSWORD, TestApp};

/// Each table's row count and a digest of all its rows, in a fixed order.
async fn fingerprint(pool: &PgPool) -> Vec<(String, i64, String)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT format('%I', tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let (n, digest): (i64, String) = sqlx::query_as(&format!(
            "SELECT count(*), md5(coalesce(string_agg(r::text, E'\\n' ORDER BY r::text), ''))
               FROM {t} r"
        ))
        .fetch_one(pool)
        .await
        .unwrap();
        out.push((t, n, digest));
    }
    out
}

/// The libpq target for a database of the test server.
fn target_for(options: &PgConnectOptions) -> String {
    let url = std::env::var("DATABASE_URL").ok().map(|u| {
        let mut url = url::Url::parse(&u).expect("DATABASE_URL");
        url.set_path(&format!("/{}", options.get_database().unwrap()));
        url.to_string()
    });
    backup::libpq_target(options, url.as_deref())
}

#[tokio::test]
async fn a_backup_restores_into_an_empty_data_folder_with_every_table_equal() {
    let app = TestApp::start().await;
    // Sessions, throttle counters and an evidence file, besides the demo's data.
    app.login("canbo.hocvien").await;
    app.client()
        .login("canbo.hocvien", "doan-sai-mat-khau")
        .await;
    let source = fingerprint(&app.owner).await;
    let rows = |name: &str| source.iter().find(|t| t.0 == name).unwrap().1;
    assert!(rows("sessions") > 0 && rows("login_throttle") > 0 && rows("users") > 0);

    let scratch = std::env::temp_dir()
        .join(format!("thidua-test-{}", std::process::id()))
        .join(format!("restore-{}", rand_suffix()));
    std::fs::create_dir_all(&scratch).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&scratch, std::fs::Permissions::from_mode(0o755)).unwrap();
    let file: PathBuf = scratch.join("thidua.backup");
    let target = target_for(&app.options);
    let f = file.clone();
    tokio::task::spawn_blocking(move || backup::backup(&target, &f))
        .await
        .unwrap()
        .unwrap();
    let meta = std::fs::metadata(&file).unwrap();
    assert!(meta.len() > 0);
    use std::os::unix::fs::MetadataExt;
    assert_eq!(
        meta.mode() & 0o777,
        0o600,
        "only its owner may read a backup"
    );

    // An empty data folder: a new private server, as `thidua admin restore` would start.
    let (_server, options) = match std::env::var("DATABASE_URL") {
        Ok(_) => {
            let options = harness::empty_database().await;
            (None, options)
        }
        Err(_) => {
            let pg = EmbeddedPg::start(EmbeddedOptions {
                data_dir: scratch.join("pg"),
                ephemeral: true,
            })
            .await
            .unwrap();
            thidua::db::create_database_if_missing(&pg, "thidua")
                .await
                .unwrap();
            let options = pg.connect_options("thidua");
            (Some(pg), options)
        }
    };
    let target = target_for(&options);
    backup::restore(&options, &target, &file).await.unwrap();

    let restored_owner = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options.clone())
        .await
        .unwrap();
    let restored = fingerprint(&restored_owner).await;
    assert_eq!(
        source.iter().map(|t| &t.0).collect::<Vec<_>>(),
        restored.iter().map(|t| &t.0).collect::<Vec<_>>(),
        "the same tables"
    );
    for (a, b) in source.iter().zip(&restored) {
        assert_eq!(a, b, "table {} differs after the restore", a.0);
    }

    // The restored database serves as the original did: the app role logs in, RLS holds.
    let pool = thidua::db::app_pool(harness::app_options(&options), 2)
        .await
        .unwrap();
    let unsealed: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        unsealed, 0,
        "row-level security holds in the restored database"
    );
    let addr = harness::serve(thidua::AppState::new(pool.clone(), WebConfig::default())).await;
    let c = Client::new(&format!("http://{addr}"));
    assert_eq!(c.login("canbo.hocvien", DEMO_PASSWORD).await.status, 303);
    assert_eq!(c.get("/").await.status, 200);

    // A second restore into the now filled database is refused, and changes nothing.
    let err = backup::restore(&options, &target, &file).await.unwrap_err();
    assert!(err.to_string().contains("đã có dữ liệu"), "{err:#}");
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM units")
        .fetch_one(&restored_owner)
        .await
        .unwrap();
    assert_eq!(n, rows("units"));
    pool.close().await;
    restored_owner.close().await;
}

/// A backup of a server that is not there fails with the reason, and leaves no file behind.
#[tokio::test]
async fn a_failed_backup_leaves_no_file() {
    let dir = std::env::temp_dir().join(format!("thidua-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("failed-{}.backup", rand_suffix()));
    let err = backup::backup("host=/nonexistent-socket-dir port=1 dbname=x", &file).unwrap_err();
    assert!(err.to_string().contains("pg_dump"), "{err:#}");
    assert!(!file.exists());
    assert!(
        !dir.join(format!(
            "{}.partial",
            file.file_name().unwrap().to_string_lossy()
        ))
        .exists()
    );
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}
