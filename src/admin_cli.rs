//! `thidua admin …`: the operator's commands.

use anyhow::Result;
use clap::Subcommand;
use thidua::admin;
use thidua::db::{Database, backup};

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create an organising body (tenant).
    CreateTenant {
        /// Short code, a-z 0-9 and '-' (e.g. langson).
        #[arg(long)]
        code: String,
        /// Full name (e.g. "Hội đồng Thi đua - Khen thưởng tỉnh Lạng Sơn").
        #[arg(long)]
        name: String,
        /// Place name used in document dates (e.g. "Lạng Sơn").
        #[arg(long, default_value = "")]
        place: String,
    },
    /// Create a user; prints a one-time password that must be changed at first login.
    CreateUser {
        #[arg(long)]
        tenant: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        full_name: String,
        /// tenant_admin, unit_head or unit_officer.
        #[arg(long)]
        role: String,
        /// The unit's code (for unit_head and unit_officer).
        #[arg(long)]
        unit: Option<String>,
    },
    /// Create a platform operator; prints a one-time password.
    CreateOperator {
        #[arg(long)]
        username: String,
        #[arg(long)]
        full_name: String,
    },
    /// Give a user a new one-time password and end their sessions.
    ResetPassword {
        #[arg(long)]
        username: String,
    },
    /// Disable a user; their sessions end at once.
    DisableUser {
        #[arg(long)]
        username: String,
    },
    /// Enable a disabled user again.
    EnableUser {
        #[arg(long)]
        username: String,
    },
    /// Write a consistent backup of the whole database to FILE (with the evidence files kept
    /// in it; with an S3 store, prints the command that copies the bucket).
    Backup {
        file: std::path::PathBuf,
        #[command(flatten)]
        s3: thidua::config::EvidenceStoreArgs,
    },
    /// Restore a backup into an empty data folder (or an empty DATABASE_URL database).
    Restore { file: std::path::PathBuf },
    /// Write a tenant's organisation and awards as JSON (format thidua-exchange, version 1).
    Export {
        #[arg(long)]
        tenant: String,
        /// The file to write; standard output when not given.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Import a thidua-exchange JSON file into a tenant (all or nothing; again changes nothing).
    Import {
        #[arg(long)]
        tenant: String,
        /// Create the tenant with this full name (it must not exist yet).
        #[arg(long)]
        create: Option<String>,
        /// With --create: the place name used in document dates (the file's when not given).
        #[arg(long, requires = "create")]
        place: Option<String>,
        file: std::path::PathBuf,
    },
    /// Move the evidence files kept in PostgreSQL to the S3 store, in batches; rerunnable.
    EvidenceToS3 {
        #[command(flatten)]
        s3: thidua::config::EvidenceStoreArgs,
        /// Files per transaction.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(i64).range(1..=10_000))]
        batch: i64,
    },
    /// Delete the S3 store's objects that no evidence row names and that are older than the
    /// grace period (an upload puts its object before its row commits); rerunnable.
    EvidenceGc {
        #[command(flatten)]
        s3: thidua::config::EvidenceStoreArgs,
        /// Say what would be deleted, delete nothing.
        #[arg(long)]
        dry_run: bool,
        /// Leave objects written in the last HOURS hours (uploads in flight); at most ten years.
        #[arg(long, value_name = "HOURS", default_value_t = 24,
              value_parser = clap::value_parser!(u32).range(0..=87_600))]
        older_than: u32,
    },
}

pub async fn admin_command(
    database: &Database,
    database_url: Option<&str>,
    command: AdminCommand,
) -> Result<()> {
    // Backup and restore come before migrations: a restore needs the database empty.
    let target = backup::libpq_target(&database.options, database_url);
    if let AdminCommand::Backup { file, s3 } = &command {
        let (t, f) = (target, file.clone());
        tokio::task::spawn_blocking(move || backup::backup(&t, &f)).await??;
        println!(
            "Đã sao lưu toàn bộ cơ sở dữ liệu (kể cả tệp minh chứng lưu trong đó) vào {}.",
            file.display()
        );
        if let Some(note) = thidua::files::bucket_copy::backup_note(s3, file) {
            println!("{note}");
        }
        return Ok(());
    }
    if let AdminCommand::Restore { file } = &command {
        backup::restore(&database.options, &target, file).await?;
        println!("Đã khôi phục dữ liệu từ {}.", file.display());
        return Ok(());
    }
    database.migrate().await?;
    let pool = database.app_pool(2).await?;
    match command {
        AdminCommand::CreateTenant { code, name, place } => {
            let id = admin::create_tenant(&pool, &code, &name, &place).await?;
            println!("Đã tạo đơn vị tổ chức '{code}' (id {id}).");
        }
        AdminCommand::CreateUser {
            tenant,
            username,
            full_name,
            role,
            unit,
        } => {
            let account = admin::NewAccount {
                tenant_code: &tenant,
                username: &username,
                full_name: &full_name,
                role: &role,
                unit_code: unit.as_deref(),
            };
            let otp = admin::create_user(&pool, &account).await?;
            println!("Đã tạo tài khoản '{username}'. Mật khẩu dùng một lần: {otp}");
            println!("Người dùng phải đổi mật khẩu ở lần đăng nhập đầu tiên.");
        }
        AdminCommand::CreateOperator {
            username,
            full_name,
        } => {
            let otp = admin::create_operator(&pool, &username, &full_name).await?;
            println!("Đã tạo tài khoản vận hành '{username}'. Mật khẩu dùng một lần: {otp}");
        }
        AdminCommand::ResetPassword { username } => {
            let otp = admin::reset_password(&pool, &username).await?;
            println!("Mật khẩu dùng một lần mới của '{username}': {otp}");
            println!("Mọi phiên đăng nhập của tài khoản này đã kết thúc.");
        }
        AdminCommand::DisableUser { username } => {
            admin::set_disabled(&pool, &username, true).await?;
            println!("Đã khóa tài khoản '{username}'; mọi phiên đăng nhập đã kết thúc.");
        }
        AdminCommand::EnableUser { username } => {
            admin::set_disabled(&pool, &username, false).await?;
            println!("Đã mở lại tài khoản '{username}'.");
        }
        AdminCommand::Export { tenant, out } => {
            let text = thidua::exchange::cli::export(&pool, &tenant).await?;
            match out {
                Some(path) => {
                    std::fs::write(&path, text)?;
                    eprintln!("Đã ghi dữ liệu của '{tenant}' vào {}.", path.display());
                }
                None => print!("{text}"),
            }
        }
        AdminCommand::Import {
            tenant,
            create,
            place,
            file,
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("không đọc được tệp {}: {e}", file.display()))?;
            let create = create.map(|name| thidua::exchange::cli::Create { name, place });
            let report = thidua::exchange::cli::import(&pool, &tenant, create, &text).await;
            pool.close().await;
            for line in report? {
                println!("{line}");
            }
            return Ok(());
        }
        AdminCommand::EvidenceToS3 { s3, batch } => {
            println!("{}", thidua::files::moving::run(&pool, &s3, batch).await?);
        }
        AdminCommand::EvidenceGc {
            s3,
            dry_run,
            older_than,
        } => {
            let said = thidua::files::gc::run(&pool, &s3, dry_run, older_than).await?;
            println!("{said}");
        }
        AdminCommand::Backup { .. } | AdminCommand::Restore { .. } => {}
    }
    pool.close().await;
    Ok(())
}
