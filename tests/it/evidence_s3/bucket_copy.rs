//! `thidua admin backup` with an S3 store prints the command that copies the bucket beside the
//! backup; run as printed, it copies every object byte for byte, a second run copies nothing,
//! and the printed restore command puts them back into an emptied bucket.

use std::process::{Command, Output, Stdio};

use sha2::{Digest, Sha256};

use super::{ACCESS_KEY, BUCKET, S3Server, SECRET_KEY, did_not_run};
use crate::exchange::{admin, stderr, stdout};
use crate::harness::{Template, fresh_database};

/// Runs a printed command line in a shell, with the settings in the environment thidua reads
/// and no AWS configuration of the machine's.
fn shell(line: &str, home: &std::path::Path) -> Output {
    Command::new("sh")
        .args(["-c", line])
        .env("THIDUA_EVIDENCE_S3_ACCESS_KEY_ID", ACCESS_KEY)
        .env("THIDUA_EVIDENCE_S3_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_CONFIG_FILE", home.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("none"))
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// `thidua admin backup FILE` with the store's flags, as `exchange::admin` runs the binary but
/// with a DATABASE_URL libpq reads (pg_dump refuses sqlx's own `statement-cache-capacity`).
fn backup(owner: &sqlx::postgres::PgConnectOptions, file: &str, flags: &[String]) -> Output {
    use sqlx::ConnectOptions;
    let mut url = owner.to_url_lossy();
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "statement-cache-capacity")
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    url.query_pairs_mut().clear().extend_pairs(kept);
    Command::new(env!("CARGO_BIN_EXE_thidua"))
        .args(["admin", "backup", file])
        .args(flags)
        .env("DATABASE_URL", url.as_str())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_backup_names_a_bucket_copy_that_copies_and_restores_every_object() {
    let Some(s3) = S3Server::start("copy") else {
        return;
    };
    let has_aws = Command::new("aws")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_aws {
        did_not_run("install the AWS CLI (pip install awscli, or the Debian package awscli)");
        return;
    }
    let options = fresh_database(Template::Demo).await;
    let flags = s3.flags();
    let mut args = vec!["evidence-to-s3"];
    args.extend(flags.iter().map(String::as_str));
    let out = admin(&options, &args).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let owner = sqlx::PgPool::connect_with(options.clone()).await.unwrap();
    let objects: Vec<(String, i64)> = sqlx::query_as(
        "SELECT DISTINCT object_key, size_bytes::bigint FROM evidence WHERE object_key IS NOT NULL",
    )
    .fetch_all(&owner)
    .await
    .unwrap();
    assert!(
        objects.len() >= 2,
        "the demo's files are in the store: {objects:?}"
    );

    let backups = s3.dir.join("sao luu");
    std::fs::create_dir_all(&backups).unwrap();
    let file = backups.join("thidua.backup");
    let file_arg = file.to_string_lossy().to_string();
    let out = backup(&options, &file_arg, &flags);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(file.is_file(), "the database backup is written");
    let said = stdout(&out);
    assert!(said.contains("không nằm trong bản sao lưu này"), "{said}");
    assert!(!said.contains(SECRET_KEY), "the key is never printed");
    let commands: Vec<&str> = said
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .filter(|l| l.contains("aws s3 "))
        .collect();
    let [copy, restore] = commands[..] else {
        panic!("a copy and a restore command: {said}")
    };

    let home = s3.dir.clone();
    let run = shell(copy, &home);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let copied = backups.join(BUCKET);
    let sha_of = |bytes: &[u8]| -> String {
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    };
    for (key, size) in &objects {
        let bytes = std::fs::read(copied.join(key)).unwrap_or_default();
        assert_eq!(bytes.len() as i64, *size, "{key} copied whole");
        assert!(key.ends_with(&sha_of(&bytes)), "{key} copied byte for byte");
    }
    let again = shell(copy, &home);
    assert!(again.status.success());
    assert!(
        !String::from_utf8_lossy(&again.stdout).contains("download:"),
        "a second run copies nothing: {}",
        String::from_utf8_lossy(&again.stdout)
    );

    // The store loses its objects; the printed restore command puts them back.
    for entry in std::fs::read_dir(s3.dir.join("root").join(BUCKET)).unwrap() {
        std::fs::remove_dir_all(entry.unwrap().path()).unwrap();
    }
    let run = shell(restore, &home);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let api = s3.api();
    for (key, size) in &objects {
        let bytes = api
            .get(key, *size as u64)
            .await
            .unwrap()
            .unwrap_or_default();
        assert!(key.ends_with(&sha_of(&bytes)), "{key} is back in the store");
    }
    owner.close().await;
}
