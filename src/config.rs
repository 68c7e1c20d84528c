//! Settings from flags and environment, validated once at start.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// Use this PostgreSQL server instead of starting a private one.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,

    /// Data folder of the private PostgreSQL server (used when DATABASE_URL is not set).
    #[arg(long, env = "THIDUA_DATA_DIR", default_value = "./data/pg")]
    pub data_dir: PathBuf,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "THIDUA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Mark cookies Secure; set this when users reach thidua over HTTPS (behind a TLS proxy).
    #[arg(long, env = "THIDUA_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// Take the client address from the last X-Forwarded-For entry (only behind a proxy you run).
    #[arg(long, env = "THIDUA_TRUST_PROXY")]
    pub trust_proxy: bool,

    /// Minutes without activity after which a session ends.
    #[arg(long, env = "THIDUA_SESSION_IDLE_MINUTES", default_value_t = 120,
          value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub session_idle_minutes: u32,

    /// Hours after login after which a session ends regardless of activity.
    #[arg(long, env = "THIDUA_SESSION_MAX_HOURS", default_value_t = 12,
          value_parser = clap::value_parser!(u32).range(1..=168))]
    pub session_max_hours: u32,

    /// Seconds a request may take before it is answered with a timeout.
    #[arg(long, env = "THIDUA_REQUEST_TIMEOUT_SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..=600))]
    pub request_timeout_secs: u32,

    /// Seconds a client has to send a request's header; slower connections are closed.
    #[arg(long, env = "THIDUA_HEADER_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=300))]
    pub header_timeout_secs: u32,

    /// Connections open at once; more are answered 503 and closed.
    #[arg(long, env = "THIDUA_MAX_CONNECTIONS", default_value_t = 512,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_connections: u32,

    /// Seconds requests in progress may take to finish after SIGTERM or Ctrl-C.
    #[arg(long, env = "THIDUA_SHUTDOWN_GRACE_SECS", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(0..=600))]
    pub shutdown_grace_secs: u32,

    /// Folder for scheduled backups; none are made unless it is set.
    #[arg(long, env = "THIDUA_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,

    /// Hours between scheduled backups.
    #[arg(long, env = "THIDUA_BACKUP_EVERY_HOURS", default_value_t = 24,
          value_parser = clap::value_parser!(u32).range(1..=720))]
    pub backup_every_hours: u32,

    /// Scheduled backups kept; older ones are deleted.
    #[arg(long, env = "THIDUA_BACKUP_KEEP", default_value_t = 7,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub backup_keep: u32,

    /// Uploads read at once; more get a "busy" page (each is held in memory while checked).
    #[arg(long, env = "THIDUA_MAX_UPLOADS", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(1..=256))]
    pub max_uploads: u32,

    /// Connections in the database pool. 8 by measurement (`bench/pool.sh`, 2 cores): pools
    /// of 4, 8, 16 and 32 served the same rates, and the slowest answers grew with the pool
    /// (the dashboard's p99 80 ms at 8, 134 ms at 32); 8 keeps room for slow requests.
    #[arg(long, env = "THIDUA_DB_POOL", default_value_t = 8,
          value_parser = clap::value_parser!(u32).range(1..=200))]
    pub db_pool: u32,

    /// SMTP relay for e-mail, smtp://host[:port] (plain SMTP to a relay you run); without it
    /// notifications stay in the app and queued messages wait.
    #[arg(long, env = "THIDUA_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Sender of e-mail, e.g. "thidua <no-reply@thiduakhenthuong.vn>".
    #[arg(
        long,
        env = "THIDUA_MAIL_FROM",
        default_value = "thidua <no-reply@thidua.local>"
    )]
    pub mail_from: String,

    /// The address users reach thidua at, for the links in e-mail (e.g. https://thidua.example.vn).
    #[arg(
        long,
        env = "THIDUA_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub public_url: String,

    #[command(flatten)]
    pub evidence: EvidenceStoreArgs,
}

/// Where evidence files are kept: in PostgreSQL unless an S3-compatible endpoint is set.
#[derive(Args, Debug, Clone, Default)]
pub struct EvidenceStoreArgs {
    /// S3-compatible endpoint for evidence files (e.g. https://s3.example.vn); without it
    /// evidence stays in PostgreSQL.
    #[arg(long = "evidence-s3-endpoint", env = "THIDUA_EVIDENCE_S3_ENDPOINT")]
    pub endpoint: Option<String>,

    /// The bucket (it must exist).
    #[arg(
        long = "evidence-s3-bucket",
        env = "THIDUA_EVIDENCE_S3_BUCKET",
        default_value = "thidua-evidence"
    )]
    pub bucket: String,

    /// The region the signatures name (S3-compatible servers usually accept us-east-1).
    #[arg(
        long = "evidence-s3-region",
        env = "THIDUA_EVIDENCE_S3_REGION",
        default_value = "us-east-1"
    )]
    pub region: String,

    /// Access key id (prefer the environment: flags show in the process list).
    #[arg(
        long = "evidence-s3-access-key-id",
        env = "THIDUA_EVIDENCE_S3_ACCESS_KEY_ID",
        hide_env_values = true
    )]
    pub access_key_id: Option<String>,

    /// Secret access key (prefer the environment).
    #[arg(
        long = "evidence-s3-secret-access-key",
        env = "THIDUA_EVIDENCE_S3_SECRET_ACCESS_KEY",
        hide_env_values = true
    )]
    pub secret_access_key: Option<String>,

    /// Address buckets as https://BUCKET.host/ (AWS) instead of https://host/BUCKET/ (MinIO,
    /// Ceph, Garage and most S3-compatible servers).
    #[arg(
        long = "evidence-s3-virtual-hosted",
        env = "THIDUA_EVIDENCE_S3_VIRTUAL_HOSTED"
    )]
    pub virtual_hosted: bool,

    /// A PEM file of the certificate authority (or authorities) that signed the store's HTTPS
    /// certificate, trusted beside the system's (a council's own store with its own CA).
    #[arg(long = "evidence-s3-ca-file", env = "THIDUA_EVIDENCE_S3_CA_FILE")]
    pub ca_file: Option<std::path::PathBuf>,
}

impl EvidenceStoreArgs {
    /// The configured store; an endpoint without its keys is refused at start.
    pub fn store(&self) -> anyhow::Result<crate::files::FileStore> {
        let Some(endpoint) = &self.endpoint else {
            return Ok(crate::files::FileStore::Database);
        };
        let (Some(key), Some(secret)) = (&self.access_key_id, &self.secret_access_key) else {
            anyhow::bail!(
                "đã đặt THIDUA_EVIDENCE_S3_ENDPOINT nhưng thiếu THIDUA_EVIDENCE_S3_ACCESS_KEY_ID \
                 hoặc THIDUA_EVIDENCE_S3_SECRET_ACCESS_KEY"
            );
        };
        let settings = crate::files::s3::S3Settings {
            endpoint: endpoint.clone(),
            bucket: self.bucket.clone(),
            region: self.region.clone(),
            access_key_id: key.clone(),
            secret_access_key: secret.clone(),
            path_style: !self.virtual_hosted,
            ca_file: self.ca_file.clone(),
        };
        Ok(crate::files::FileStore::S3(std::sync::Arc::new(
            crate::files::s3::S3Store::new(&settings)?,
        )))
    }
}

/// What the web layer needs at run time.
#[derive(Debug, Clone)]
pub struct WebConfig {
    pub secure_cookies: bool,
    pub trust_proxy: bool,
    pub session_idle: chrono::Duration,
    pub session_max: chrono::Duration,
    pub request_timeout: std::time::Duration,
    /// The longest an attempt on an account under attack waits before its password is checked
    /// (src/auth/throttle.rs).
    pub login_slow_cap: std::time::Duration,
    /// Sessions one user may hold; a new login ends the oldest beyond this.
    pub max_sessions_per_user: i64,
    /// Uploads read at once (issue 12, item 5).
    pub uploads: crate::web::upload::UploadGate,
    /// Where evidence bytes go: PostgreSQL or an S3-compatible store (issue 16, item 5).
    pub evidence: crate::files::FileStore,
}

impl WebConfig {
    pub fn from_args(a: &ServeArgs) -> Self {
        WebConfig {
            secure_cookies: a.secure_cookies,
            trust_proxy: a.trust_proxy,
            session_idle: chrono::Duration::minutes(a.session_idle_minutes.into()),
            session_max: chrono::Duration::hours(a.session_max_hours.into()),
            request_timeout: std::time::Duration::from_secs(a.request_timeout_secs.into()),
            uploads: crate::web::upload::UploadGate::new(a.max_uploads as usize),
            ..WebConfig::default()
        }
    }
}

impl ServeArgs {
    pub fn backup_schedule(&self) -> Option<crate::db::backup::Schedule> {
        self.backup_dir
            .as_ref()
            .map(|dir| crate::db::backup::Schedule {
                dir: dir.clone(),
                every: std::time::Duration::from_secs(u64::from(self.backup_every_hours) * 3600),
                keep: self.backup_keep as usize,
            })
    }

    pub fn limits(&self) -> crate::web::serve::ServeLimits {
        crate::web::serve::ServeLimits {
            header_timeout: std::time::Duration::from_secs(self.header_timeout_secs.into()),
            max_connections: self.max_connections as usize,
            shutdown_grace: std::time::Duration::from_secs(self.shutdown_grace_secs.into()),
        }
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy: false,
            session_idle: chrono::Duration::minutes(120),
            session_max: chrono::Duration::hours(12),
            request_timeout: std::time::Duration::from_secs(30),
            login_slow_cap: std::time::Duration::from_secs(8),
            max_sessions_per_user: 10,
            uploads: crate::web::upload::UploadGate::new(4),
            evidence: crate::files::FileStore::Database,
        }
    }
}

impl ServeArgs {
    /// The mail sender, when an SMTP relay is set.
    pub fn mailer(&self) -> anyhow::Result<Option<crate::mail::worker::Mailer>> {
        self.smtp_url
            .as_deref()
            .map(|url| crate::mail::worker::Mailer::new(url, &self.mail_from, &self.public_url))
            .transpose()
    }
}
