//! Backup and restore (issue 12, item 14): one file, written by `pg_dump` in its custom format
//! from a single snapshot, so it is consistent while thidua keeps serving. Evidence files live
//! in the database (`evidence.data`), so the one file holds them too.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};

/// Where the server is, in words `pg_dump` and `pg_restore` understand: the URL when one was
/// given (it may carry a password the connection options do not reveal), otherwise the private
/// server's socket folder, port, superuser and database.
pub fn libpq_target(options: &PgConnectOptions, url: Option<&str>) -> String {
    if let Some(url) = url {
        return url.to_string();
    }
    let host = options
        .get_socket()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| options.get_host().to_string());
    let quote = |v: &str| format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"));
    format!(
        "host={} port={} user={} dbname={}",
        quote(&host),
        options.get_port(),
        quote(options.get_username()),
        quote(options.get_database().unwrap_or("thidua"))
    )
}

/// A client program of the same installation as the server programs thidua starts (PATH may
/// hold only links to `postgres` and `initdb`), else of the newest installed version.
fn tool(name: &str) -> Result<PathBuf> {
    let server = super::embedded::find_bindir();
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(d) = &server {
        dirs.push(d.clone());
        if let Some(real) = std::fs::canonicalize(d.join("postgres"))
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
        {
            dirs.push(real);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .collect();
    versions.sort();
    dirs.extend(versions.into_iter().rev().map(|(_, d)| d));
    dirs.into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            anyhow!(
                "không tìm thấy {name}: hãy cài gói máy chủ PostgreSQL (ví dụ postgresql-15) \
                 hoặc thêm thư mục bin của nó vào PATH"
            )
        })
}

fn run(mut cmd: Command, what: &str) -> Result<()> {
    let out = cmd
        .output()
        .with_context(|| format!("không chạy được {what}"))?;
    if !out.status.success() {
        bail!(
            "{what} thất bại ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// Writes a consistent backup to `file`. It is written beside it first and renamed at the end,
/// so a failed or interrupted backup never leaves a half file under the chosen name.
pub fn backup(target: &str, file: &Path) -> Result<()> {
    let tmp = partial_name(file);
    // The backup holds password hashes and every tenant's files: readable by its owner only,
    // from the first byte (pg_dump keeps the mode of a file that exists).
    {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .with_context(|| format!("không tạo được tệp sao lưu {}", tmp.display()))?;
    }
    let mut cmd = Command::new(tool("pg_dump")?);
    cmd.args(["--format=custom", "--no-password", "--file"])
        .arg(&tmp)
        .arg("--dbname")
        .arg(target);
    if let Err(e) = run(cmd, "pg_dump") {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, file)
        .with_context(|| format!("không ghi được tệp sao lưu {}", file.display()))?;
    Ok(())
}

fn partial_name(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    file.with_file_name(name)
}

/// The roles thidua's objects belong to; a fresh server has none of them (migrations/0001).
const ROLES: &str = "DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'thidua_app') THEN
        CREATE ROLE thidua_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'thidua_auth') THEN
        CREATE ROLE thidua_auth NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
    EXECUTE format('GRANT thidua_app TO %I', current_user);
    EXECUTE format('GRANT thidua_auth TO %I', current_user);
END
$$";

/// Restores `file` into the database of `options` (reached by `target`), which must be empty:
/// all of it in one transaction, or nothing. Migrations newer than the backup run afterwards.
pub async fn restore(options: &PgConnectOptions, target: &str, file: &Path) -> Result<()> {
    if !file.is_file() {
        bail!("không tìm thấy tệp sao lưu {}", file.display());
    }
    let mut conn = PgConnection::connect_with(options)
        .await
        .context("không kết nối được PostgreSQL")?;
    let objects: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public'",
    )
    .fetch_one(&mut conn)
    .await?;
    if objects > 0 {
        bail!(
            "cơ sở dữ liệu đích đã có dữ liệu; chỉ khôi phục vào một thư mục dữ liệu trống \
             (--data-dir) hoặc một cơ sở dữ liệu trống (DATABASE_URL)"
        );
    }
    sqlx::query(ROLES).execute(&mut conn).await?;
    conn.close().await?;

    let mut cmd = Command::new(tool("pg_restore")?);
    cmd.args(["--exit-on-error", "--single-transaction", "--no-password"])
        .arg("--dbname")
        .arg(target)
        .arg(file);
    let file = file.to_path_buf();
    tokio::task::spawn_blocking(move || run(cmd, "pg_restore"))
        .await
        .map_err(anyhow::Error::from)?
        .with_context(|| format!("khôi phục từ {} không thành công", file.display()))?;
    super::migrate(options).await
}

/// Scheduled backups: a file a period in `dir`, named by its UTC time, keeping the newest
/// `keep`.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub dir: PathBuf,
    pub every: std::time::Duration,
    pub keep: usize,
}

const PREFIX: &str = "thidua-";
const SUFFIX: &str = ".backup";

/// One scheduled backup now, then the oldest beyond `keep` are deleted. Returns the new file.
pub fn scheduled_once(target: &str, s: &Schedule) -> Result<PathBuf> {
    std::fs::create_dir_all(&s.dir)
        .with_context(|| format!("không tạo được thư mục sao lưu {}", s.dir.display()))?;
    let name = format!(
        "{PREFIX}{}{SUFFIX}",
        chrono::Utc::now().format("%Y%m%d-%H%M%S%.3f")
    );
    let file = s.dir.join(name);
    backup(target, &file)?;
    rotate(&s.dir, s.keep)?;
    Ok(file)
}

/// Deletes all but the newest `keep` scheduled backups in `dir`; other files are left alone.
/// Names sort by time, so the order of names is the order of backups.
pub fn rotate(dir: &Path, keep: usize) -> Result<Vec<PathBuf>> {
    let mut ours: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX))
        })
        .collect();
    ours.sort();
    let excess = ours.len().saturating_sub(keep.max(1));
    let old: Vec<PathBuf> = ours.drain(..excess).collect();
    for p in &old {
        std::fs::remove_file(p)?;
    }
    Ok(old)
}

/// Runs the schedule for as long as the process runs; a failure is logged and tried again at
/// the next period.
pub fn spawn_schedule(target: String, s: Schedule) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(s.every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            let (t, sched) = (target.clone(), s.clone());
            match tokio::task::spawn_blocking(move || scheduled_once(&t, &sched)).await {
                Ok(Ok(file)) => tracing::info!(file = %file.display(), "scheduled backup written"),
                Ok(Err(e)) => tracing::error!(error = %format!("{e:#}"), "scheduled backup failed"),
                Err(e) => tracing::error!(error = %e, "scheduled backup failed"),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_keeps_the_newest_and_nothing_else_is_touched() {
        let dir = std::env::temp_dir().join(format!("thidua-rotate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for n in [
            "20260101-000000.000",
            "20260102-000000.000",
            "20260103-000000.000",
        ] {
            std::fs::write(dir.join(format!("{PREFIX}{n}{SUFFIX}")), b"x").unwrap();
        }
        std::fs::write(dir.join("ghi-chu.txt"), b"x").unwrap();
        let removed = rotate(&dir, 2).unwrap();
        assert_eq!(
            removed,
            vec![dir.join(format!("{PREFIX}20260101-000000.000{SUFFIX}"))]
        );
        assert!(dir.join("ghi-chu.txt").exists());
        assert!(
            dir.join(format!("{PREFIX}20260103-000000.000{SUFFIX}"))
                .exists()
        );
        assert_eq!(rotate(&dir, 0).unwrap().len(), 1, "at least one is kept");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_private_server_is_named_by_its_socket() {
        let o = PgConnectOptions::new()
            .socket("/tmp/thidua-pg sock")
            .port(5432)
            .username("thidua")
            .database("thidua");
        assert_eq!(
            libpq_target(&o, None),
            "host='/tmp/thidua-pg sock' port=5432 user='thidua' dbname='thidua'"
        );
        assert_eq!(
            libpq_target(&o, Some("postgres://x@h/d")),
            "postgres://x@h/d"
        );
    }
}
