//! The sender: claims due outbox rows of every tenant, hands each to the SMTP relay, and marks it
//! sent right after the relay's 250 — or schedules the next attempt.
//!
//! What is guaranteed (README, "E-mail"): a row is marked sent only after the relay accepted the
//! message, so a worker killed at any point loses nothing — its claimed rows come back when the
//! lease ends. The one window for a duplicate is between the relay's 250 and the commit of
//! `mail_mark_sent` (one statement); a repeat carries the same Message-ID.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;
use sqlx::PgPool;
use tokio::net::TcpStream;

use super::model::{self, Item, Outgoing};

/// How long a claim holds. Far longer than one message can take (SMTP_TIMEOUT per command), and
/// the worker stops using a batch when half of it has passed.
pub const LEASE_SECONDS: i32 = 600;
/// Rows claimed at a time.
const BATCH: i32 = 50;
/// Connecting, or handing over one message, may take this long; then the attempt fails and is
/// retried later.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// An SMTP relay, the sender's address and the public base of links.
#[derive(Clone)]
pub struct Mailer {
    host: String,
    port: u16,
    from: Mailbox,
    domain: String,
    public_url: String,
}

impl Mailer {
    pub fn new(smtp_url: &str, from: &str, public_url: &str) -> Result<Mailer> {
        let target = model::parse_smtp_url(smtp_url).map_err(anyhow::Error::msg)?;
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("địa chỉ người gửi '{from}' không hợp lệ"))?;
        Ok(Mailer {
            domain: model::domain_of(from.email.as_ref()).to_string(),
            host: target.host,
            port: target.port,
            from,
            public_url: public_url.trim_end_matches('/').to_string(),
        })
    }

    fn message(&self, row_id: i64, to: &Mailbox, letter: model::Letter) -> Result<Message> {
        Ok(Message::builder()
            .from(self.from.clone())
            .to(to.clone())
            .subject(letter.subject)
            .message_id(Some(model::message_id(row_id, &self.domain)))
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(letter.text),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(letter.html),
                    ),
            )?)
    }

    /// One connection to the relay, kept for a whole run. Its socket sends at once
    /// (TCP_NODELAY): lettre writes a message's body and its final dot in two writes, and with
    /// Nagle's algorithm the dot waited for the relay's delayed ACK — 40 ms a message. lettre's
    /// pooled transport gives no way to set it (and it sent a NOOP before each message).
    async fn connect(&self) -> Result<AsyncSmtpConnection, String> {
        let opened = async {
            let tcp = TcpStream::connect((self.host.as_str(), self.port))
                .await
                .map_err(|e| format!("không kết nối được máy chủ thư: {e}"))?;
            tcp.set_nodelay(true).map_err(|e| e.to_string())?;
            AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &ClientId::default())
                .await
                .map_err(|e| e.to_string())
        };
        tokio::time::timeout(SMTP_TIMEOUT, opened)
            .await
            .unwrap_or_else(|_| Err("máy chủ thư không trả lời khi kết nối".to_string()))
    }

    /// Hands one message to the relay over the run's connection (opened when there is none);
    /// the error says whether it is permanent. A connection that failed is dropped, and the
    /// next message opens a new one.
    async fn deliver(
        &self,
        conn: &mut Option<AsyncSmtpConnection>,
        msg: &Message,
    ) -> Result<(), (bool, String)> {
        if conn.is_none() {
            *conn = Some(self.connect().await.map_err(|e| (false, e))?);
        }
        let Some(c) = conn.as_mut() else {
            unreachable!("connected above")
        };
        let body = msg.formatted();
        match tokio::time::timeout(SMTP_TIMEOUT, c.send(msg.envelope(), &body)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => {
                if c.has_broken() {
                    *conn = None;
                }
                Err((e.is_permanent(), e.to_string()))
            }
            Err(_) => {
                *conn = None;
                Err((false, "máy chủ thư không trả lời".to_string()))
            }
        }
    }

    /// Says goodbye to the relay at the end of a run, without waiting long for it.
    async fn close(conn: Option<AsyncSmtpConnection>) {
        if let Some(mut c) = conn {
            let _ = tokio::time::timeout(SMTP_TIMEOUT, c.quit()).await;
        }
    }
}

#[derive(sqlx::FromRow)]
struct Claimed {
    id: i64,
    tenant_name: String,
    to_addr: String,
    to_name: String,
    subject: String,
    items: sqlx::types::Json<Vec<Item>>,
    item_total: i32,
    digest_day: Option<chrono::NaiveDate>,
    attempts: i32,
}

/// Sends every message due at `now`; returns how many the relay accepted.
pub async fn run_once(db: &PgPool, mailer: &Mailer, now: DateTime<Utc>) -> Result<usize> {
    let token = claim_token();
    let mut conn = None;
    let sent = send_due(db, mailer, &token, &mut conn, now).await;
    Mailer::close(conn).await;
    sent
}

async fn send_due(
    db: &PgPool,
    mailer: &Mailer,
    token: &str,
    conn: &mut Option<AsyncSmtpConnection>,
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut sent = 0;
    loop {
        let batch: Vec<Claimed> = sqlx::query_as(
            "SELECT id, tenant_name, to_addr, to_name, subject, items, item_total, digest_day,
                    attempts
               FROM mail_claim($1, $2, $3, $4)",
        )
        .bind(now)
        .bind(LEASE_SECONDS)
        .bind(BATCH)
        .bind(token)
        .fetch_all(db)
        .await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        let claimed_at = Instant::now();
        let half_lease = Duration::from_secs(LEASE_SECONDS as u64 / 2);
        for row in batch {
            if claimed_at.elapsed() > half_lease {
                // Another worker may take it once the lease ends; better it than both.
                sqlx::query("SELECT mail_release($1, $2)")
                    .bind(row.id)
                    .bind(token)
                    .execute(db)
                    .await?;
                continue;
            }
            if send_one(db, mailer, token, conn, row, now).await? {
                sent += 1;
            }
        }
    }
}

async fn send_one(
    db: &PgPool,
    mailer: &Mailer,
    token: &str,
    conn: &mut Option<AsyncSmtpConnection>,
    row: Claimed,
    now: DateTime<Utc>,
) -> Result<bool> {
    let (id, attempts) = (row.id, row.attempts);
    let outgoing = Outgoing {
        tenant_name: row.tenant_name,
        to_name: row.to_name.clone(),
        subject: row.subject,
        digest_day: row.digest_day,
        items: row.items.0,
        item_total: row.item_total,
    };
    let letter = model::render(&outgoing, &mailer.public_url);
    let result = match format!("{} <{}>", row.to_name, row.to_addr).parse::<Mailbox>() {
        Ok(to) => match mailer.message(id, &to, letter) {
            Ok(msg) => mailer.deliver(conn, &msg).await,
            Err(e) => Err((true, e.to_string())),
        },
        Err(e) => Err((true, format!("địa chỉ không hợp lệ: {e}"))),
    };
    match result {
        Ok(_) => {
            let marked: bool = sqlx::query_scalar("SELECT mail_mark_sent($1, $2, $3)")
                .bind(id)
                .bind(token)
                .bind(now)
                .fetch_one(db)
                .await?;
            if !marked {
                tracing::warn!(
                    id,
                    "sent a message whose claim had passed to another worker"
                );
            }
            Ok(true)
        }
        Err((permanent, error)) => {
            let next = if permanent {
                None
            } else {
                model::next_attempt(attempts, now)
            };
            tracing::warn!(id, attempts, permanent, %error, "sending a message failed");
            sqlx::query("SELECT mail_mark_failed($1, $2, $3, $4)")
                .bind(id)
                .bind(token)
                .bind(&error)
                .bind(next)
                .execute(db)
                .await?;
            Ok(false)
        }
    }
}

/// Names one run's claims, so that only it may mark them.
fn claim_token() -> String {
    use sha2::{Digest, Sha256};
    let seed = format!(
        "{}-{:?}-{}",
        std::process::id(),
        Instant::now(),
        Utc::now().timestamp_nanos_opt().unwrap_or_default()
    );
    let h = Sha256::digest(seed.as_bytes());
    h.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// How often the worker looks for due messages.
pub const POLL: Duration = Duration::from_secs(15);

/// The background sender of `thidua serve` and `demo`: sends what is due, and queues the daily
/// digests from DIGEST_HOUR (Viet Nam time) on.
pub fn spawn(db: PgPool, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let now = Utc::now();
            if super::digest::due(now)
                && let Err(e) = super::digest::run_once(&db, now).await
            {
                tracing::warn!(error = %e, "queueing the daily digests failed");
            }
            match run_once(&db, &mailer, now).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, "mail sent"),
                // The database may be down for a while; the next tick tries again.
                Err(e) => tracing::warn!(error = %e, "the mail worker's run failed"),
            }
        }
    })
}
