use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use thidua::config::{DbArgs, ServeArgs, WebConfig};
use thidua::db::{Database, backup};
use thidua::{AppState, demo, national};

mod admin_cli;
use admin_cli::{AdminCommand, admin_command};

/// mimalloc gives freed memory back to the system (after a short delay); glibc's malloc kept
/// each thread's 19 MiB password-hash blocks in per-thread arenas, so one login burst left
/// gigabytes resident for good (issue 12; figures in bench/login_burst.sh's report).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "thidua", version, about = "Quản lý cụm, khối thi đua")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application.
    Serve {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        web: ServeArgs,
    },
    /// Load the demo data (idempotent), then serve.
    Demo {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        web: ServeArgs,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Generate national-scale data for benchmarks (every cluster's whole cycle, many years).
    Generate {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: national::GenerateArgs,
    },
    /// Re-check a vote's public record (JSON) offline: every proof, the sum and the result.
    VerifyVote {
        /// The record downloaded from the vote's page (bien-ban-phieu-….json).
        file: std::path::PathBuf,
    },
    /// Operator commands.
    Admin {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        command: AdminCommand,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .init();
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match rt.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve { db, web } => serve(db, web, false).await,
        Command::Demo { db, web } => serve(db, web, true).await,
        Command::Migrate { db } => {
            let mut database = Database::open(&db).await?;
            let r = database.migrate().await;
            database.stop();
            r?;
            println!("Đã cập nhật cấu trúc cơ sở dữ liệu.");
            Ok(())
        }
        Command::Generate { db, args } => national::run(&db, args).await,
        Command::VerifyVote { file } => {
            println!("{}", thidua::voting::record::verify_file(&file)?);
            Ok(())
        }
        Command::Admin { db, command } => {
            let mut database = Database::open(&db).await?;
            let r = admin_command(&database, db.database_url.as_deref(), command).await;
            database.stop();
            r
        }
    }
}

/// How often stale login counters and expired sessions are deleted.
const PRUNE_EVERY_SECS: u64 = 600;

async fn serve(db: DbArgs, web: ServeArgs, with_demo: bool) -> Result<()> {
    let started = std::time::Instant::now();
    let mut database = Database::open(&db).await?;
    let result = serve_with(
        &database,
        db.database_url.as_deref(),
        &web,
        with_demo,
        started,
    )
    .await;
    database.stop();
    if database.embedded.is_some() {
        tracing::info!("private PostgreSQL server stopped");
    }
    result
}

async fn serve_with(
    database: &Database,
    database_url: Option<&str>,
    web: &ServeArgs,
    with_demo: bool,
    started: std::time::Instant,
) -> Result<()> {
    database.migrate().await?;
    let pool = database.app_pool(web.db_pool).await?;
    if with_demo {
        // The demo's live year is the current one (or the one this database was loaded with).
        let anchor = demo::anchor(&pool).await?;
        demo::load_at(&pool, anchor).await?;
        println!("{}", demo::describe());
        println!("Năm thi đua đang diễn ra của dữ liệu demo: {anchor}");
    }
    let mut config = WebConfig::from_args(web);
    config.evidence = thidua::files::start(&web.evidence).await?;
    // Throttle counters and expired sessions would otherwise pile up for ever (issue 12, item 9).
    thidua::auth::throttle::spawn_pruner(
        pool.clone(),
        config.session_idle,
        config.session_max,
        std::time::Duration::from_secs(PRUNE_EVERY_SECS),
    );
    // Deadline reminders (issue 14): at start, then every ten minutes.
    thidua::notify::reminders::spawn(pool.clone(), thidua::notify::reminders::EVERY);
    if let Some(mailer) = web.mailer()? {
        tracing::info!(smtp = web.smtp_url.as_deref().unwrap_or(""), "e-mail on");
        thidua::mail::worker::spawn(pool.clone(), mailer);
    }
    let mut state = AppState::new(pool.clone(), config);
    // With several nodes (a primary and its standbys), the breaker moves the pool to the new
    // primary after a failover.
    let nodes = database.app_nodes()?;
    if nodes.len() > 1 {
        state.db = state.db.with_nodes(nodes);
    }
    if let Some(schedule) = web.backup_schedule() {
        let target = backup::libpq_target(&database.options, database_url);
        tracing::info!(dir = %schedule.dir.display(), keep = schedule.keep, "scheduled backups on");
        backup::spawn_schedule(target, schedule);
    }
    let health = database.embedded.as_ref().map(|pg| pg.health());
    if let Some(h) = &health {
        state = state.with_db_health(h.clone());
    }
    let listener = tokio::net::TcpListener::bind(web.bind)
        .await
        .map_err(|e| anyhow::anyhow!("không mở được cổng {}: {e}", web.bind))?;
    println!(
        "thidua đang chạy tại http://{} (sẵn sàng sau {} ms). Nhấn Ctrl-C để dừng.",
        listener.local_addr()?,
        started.elapsed().as_millis()
    );
    let gave_up = database_gave_up(health);
    let failed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop = {
        let failed = failed.clone();
        async move {
            tokio::select! {
                () = shutdown_signal() => {}
                () = gave_up => failed.store(true, std::sync::atomic::Ordering::Release),
            }
        }
    };
    thidua::web::serve::serve(listener, thidua::router(state), web.limits(), stop).await;
    if failed.load(std::sync::atomic::Ordering::Acquire) {
        anyhow::bail!(
            "máy chủ PostgreSQL riêng đã dừng và không khởi động lại được sau {} lần thử; \
             xem nhật ký thidua-server.log trong thư mục dữ liệu",
            thidua::db::embedded::MAX_RESTARTS
        );
    }
    // A connection still held by a request cut off at the deadline must not stall the stop.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), pool.close()).await;
    Ok(())
}

/// Completes when the private PostgreSQL server could not be started again; never without one.
async fn database_gave_up(health: Option<thidua::db::embedded::DbHealth>) {
    let Some(h) = health else {
        return std::future::pending().await;
    };
    while h.state() != thidua::db::embedded::DbState::Failed {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = ctrl_c => {},
        _ = term.recv() => {},
    }
    tracing::info!("shutting down");
}
