//! E-mail end to end (issue 14, items 4 and 5): a notification row → the outbox (by the
//! database's trigger) → the worker → a real SMTP server's Maildir.

use std::collections::HashSet;

use chrono::{Duration, SubsecRound, Utc};
use sqlx::PgPool;
use thidua::mail::{digest, worker};

use crate::harness::{TestApp, app_options};
use crate::smtp::{Smtp, free_port};

const PUBLIC: &str = "https://thidua.example.vn";

fn mailer(smtp_url: &str) -> worker::Mailer {
    worker::Mailer::new(smtp_url, "thidua <no-reply@toaan.example.vn>", PUBLIC).unwrap()
}

/// Gives a demo user an address and a choice of mail.
async fn wants(app: &TestApp, username: &str, email: &str, mode: &str) {
    sqlx::query("UPDATE users SET email = $2, mail_mode = $3 WHERE username = $1")
        .bind(username)
        .bind(email)
        .bind(mode)
        .execute(&app.owner)
        .await
        .unwrap();
}

/// Writes a notification the way the features do: as the app, in a tenant transaction.
async fn notify(app: &TestApp, username: &str, title: &str, link: &str) {
    let (tenant, user): (i64, i64) =
        sqlx::query_as("SELECT tenant_id, id FROM users WHERE username = $1")
            .bind(username)
            .fetch_one(&app.owner)
            .await
            .unwrap();
    let mut tx = thidua::db::tenant_tx(&app.pool, tenant).await.unwrap();
    sqlx::query(
        "INSERT INTO notifications (tenant_id, user_id, kind, title, body, link, actor)
         VALUES ($1, $2, 'sheet_returned', $3, 'Lý do: thiếu minh chứng của tiêu chí 2.', $4,
                 'Trần Thị Bình — Học viện Tòa án')",
    )
    .bind(tenant)
    .bind(user)
    .bind(title)
    .bind(link)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn outbox(app: &TestApp, status: &str) -> i64 {
    app.scalar_i64(&format!(
        "SELECT count(*) FROM mail_outbox WHERE status = '{status}'"
    ))
    .await
}

#[tokio::test]
async fn a_notification_is_mailed_once_in_vietnamese_with_its_absolute_link() {
    let app = TestApp::start().await;
    let smtp = Smtp::start().await;
    wants(
        &app,
        "canbo.tccb",
        "an.nguyen@toaan.example.vn",
        "immediate",
    )
    .await;
    notify(
        &app,
        "canbo.tccb",
        "Bảng điểm bị trả lại",
        "/years/7/scores",
    )
    .await;
    let m = mailer(&smtp.url());
    assert_eq!(
        worker::run_once(&app.pool, &m, Utc::now()).await.unwrap(),
        1
    );
    let got = smtp.wait_for(1).await;
    assert_eq!(got.len(), 1);
    let mail = &got[0];
    assert!(mail.to.contains("an.nguyen@toaan.example.vn"), "{mail:?}");
    assert_eq!(mail.subject, "[thidua] Bảng điểm bị trả lại");
    assert!(mail.text.contains("Kính gửi"), "{}", mail.text);
    assert!(mail.text.contains("thiếu minh chứng của tiêu chí 2"));
    assert!(
        mail.text
            .contains("https://thidua.example.vn/years/7/scores")
    );
    assert!(
        mail.html
            .contains(r#"href="https://thidua.example.vn/years/7/scores""#)
    );
    let id = app.scalar_i64("SELECT id FROM mail_outbox").await;
    assert_eq!(
        mail.message_id,
        format!("<thidua.outbox.{id}@toaan.example.vn>")
    );
    assert_eq!(outbox(&app, "sent").await, 1);
    // Sent is sent: another run sends nothing.
    assert_eq!(
        worker::run_once(&app.pool, &m, Utc::now()).await.unwrap(),
        0
    );
    assert_eq!(smtp.delivered().len(), 1);
}

#[tokio::test]
async fn no_mail_for_none_mode_or_without_an_address() {
    let app = TestApp::start().await;
    let smtp = Smtp::start().await;
    // The demo's own notifications (the sheets waiting in Lạng Sơn) are counted out.
    let before = app.scalar_i64("SELECT count(*) FROM notifications").await;
    wants(&app, "canbo.tccb", "an.nguyen@toaan.example.vn", "none").await;
    notify(
        &app,
        "canbo.tccb",
        "Bảng điểm bị trả lại",
        "/years/7/scores",
    )
    .await;
    // The demo's other users have no address.
    notify(&app, "quantri.toaan", "Đã tạo tài khoản", "/users").await;
    assert_eq!(
        app.scalar_i64("SELECT count(*) FROM notifications").await,
        before + 2
    );
    assert_eq!(app.scalar_i64("SELECT count(*) FROM mail_outbox").await, 0);
    let m = mailer(&smtp.url());
    assert_eq!(
        worker::run_once(&app.pool, &m, Utc::now()).await.unwrap(),
        0
    );
    assert_eq!(smtp.count(), 0);
}

#[tokio::test]
async fn a_digest_holds_the_days_notifications_once_a_day() {
    let app = TestApp::start().await;
    let smtp = Smtp::start().await;
    wants(&app, "canbo.tccb", "an.nguyen@toaan.example.vn", "digest").await;
    for title in [
        "Bảng điểm bị trả lại",
        "Đã mở ký giao ước",
        "Đã mở bỏ phiếu",
    ] {
        notify(&app, "canbo.tccb", title, "/years/7").await;
    }
    assert_eq!(app.scalar_i64("SELECT count(*) FROM mail_outbox").await, 0);
    let now = Utc::now();
    assert_eq!(digest::run_once(&app.pool, now).await.unwrap(), 1);
    assert_eq!(digest::run_once(&app.pool, now).await.unwrap(), 0);
    let m = mailer(&smtp.url());
    assert_eq!(worker::run_once(&app.pool, &m, now).await.unwrap(), 1);
    let got = smtp.wait_for(1).await;
    assert!(
        got[0]
            .subject
            .starts_with("[thidua] Tổng hợp 3 thông báo ngày")
    );
    for title in [
        "Bảng điểm bị trả lại",
        "Đã mở ký giao ước",
        "Đã mở bỏ phiếu",
    ] {
        assert!(got[0].text.contains(title), "{title}");
        assert!(got[0].html.contains(title), "{title}");
    }
    // Later the same day: nothing more, even with news. The next day: only the news.
    notify(&app, "canbo.tccb", "Đã công bố kết quả", "/votes/1").await;
    let later = now + Duration::minutes(5);
    assert_eq!(digest::run_once(&app.pool, later).await.unwrap(), 0);
    let tomorrow = now + Duration::days(1);
    assert_eq!(digest::run_once(&app.pool, tomorrow).await.unwrap(), 1);
    assert_eq!(digest::run_once(&app.pool, tomorrow).await.unwrap(), 0);
    assert_eq!(worker::run_once(&app.pool, &m, tomorrow).await.unwrap(), 1);
    let got = smtp.wait_for(2).await;
    let second = got
        .iter()
        .find(|d| d.text.contains("Đã công bố kết quả"))
        .expect("the next day's digest");
    assert!(second.subject.contains("Tổng hợp 1 thông báo"));
    assert!(!second.text.contains("Bảng điểm bị trả lại"));
}

#[tokio::test]
async fn a_dead_server_means_retries_then_failed_on_the_admin_page_and_resend_delivers() {
    let app = TestApp::start().await;
    let port = free_port();
    wants(
        &app,
        "canbo.tccb",
        "an.nguyen@toaan.example.vn",
        "immediate",
    )
    .await;
    notify(
        &app,
        "canbo.tccb",
        "Bảng điểm bị trả lại",
        "/years/7/scores",
    )
    .await;
    let m = mailer(&format!("smtp://127.0.0.1:{port}"));
    // The database keeps microseconds; the waits are compared in whole minutes.
    let mut now = Utc::now().trunc_subsecs(0) + Duration::seconds(1);
    let mut waits = Vec::new();
    for attempt in 1..=6 {
        assert_eq!(worker::run_once(&app.pool, &m, now).await.unwrap(), 0);
        let (status, attempts, next): (String, i32, chrono::DateTime<Utc>) =
            sqlx::query_as("SELECT status, attempts, next_attempt_at FROM mail_outbox")
                .fetch_one(&app.owner)
                .await
                .unwrap();
        assert_eq!(attempts, attempt);
        if attempt < 6 {
            assert_eq!(status, "queued");
            waits.push((next - now).num_minutes());
            // Not before its time.
            assert_eq!(
                worker::run_once(&app.pool, &m, next - Duration::seconds(1))
                    .await
                    .unwrap(),
                0
            );
            now = next;
        } else {
            assert_eq!(status, "failed");
        }
    }
    assert_eq!(waits, [1, 5, 30, 120, 720]);

    let admin = app.login("quantri.toaan").await;
    let page = admin.get("/mail").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Không gửi được"));
    assert!(page.body.contains("an.nguyen@toaan.example.vn"));
    assert!(page.body.contains("Bảng điểm bị trả lại"));
    let id = app.scalar_i64("SELECT id FROM mail_outbox").await;
    let r = admin
        .submit("/mail", &format!("/mail/{id}/resend"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.scalar_i64(
            "SELECT count(*) FROM audit_log WHERE entity = 'mail' AND action = 'resend'"
        )
        .await,
        1
    );
    // A message that has not failed cannot be "resent".
    let again = admin
        .submit("/mail", &format!("/mail/{id}/resend"), &[])
        .await;
    assert_eq!(again.status, 404);

    let smtp = Smtp::start_on(port).await;
    assert_eq!(
        worker::run_once(&app.pool, &m, Utc::now()).await.unwrap(),
        1
    );
    let got = smtp.wait_for(1).await;
    assert_eq!(got[0].subject, "[thidua] Bảng điểm bị trả lại");
    assert!(
        admin
            .get("/mail")
            .await
            .body
            .contains("Không có thư nào bị lỗi.")
    );
}

/// A second app instance's pool on the same database.
async fn second_pool(app: &TestApp) -> PgPool {
    thidua::db::app_pool(app_options(&app.options), 4)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_worker_killed_mid_send_loses_nothing_and_duplicates_nothing() {
    let app = TestApp::start().await;
    let smtp = Smtp::start().await;
    wants(
        &app,
        "canbo.tccb",
        "an.nguyen@toaan.example.vn",
        "immediate",
    )
    .await;
    notify(&app, "canbo.tccb", "Thư đầu tiên", "/years/7").await;
    let killed_pool = second_pool(&app).await;
    let killed = mailer(&smtp.url());
    // A first message goes through, so the server is known to work.
    let t0 = Utc::now();
    assert_eq!(
        worker::run_once(&killed_pool, &killed, t0).await.unwrap(),
        1
    );
    smtp.wait_for(1).await;
    for i in 1..=3 {
        notify(&app, "canbo.tccb", &format!("Thông báo số {i}"), "/years/7").await;
    }
    // The server freezes; the worker claims the three and blocks mid-conversation.
    let t1 = Utc::now();
    smtp.pause();
    let task = tokio::spawn(async move {
        let r = worker::run_once(&killed_pool, &killed, t1).await;
        (r.map_err(|e| e.to_string()), killed_pool, killed)
    });
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    while app
        .scalar_i64("SELECT count(*) FROM mail_outbox WHERE claimed_until IS NOT NULL")
        .await
        < 3
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the worker claimed nothing"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // Killed: its task, its connections (database and SMTP) all gone.
    task.abort();
    match task.await {
        Err(e) => assert!(e.is_cancelled()),
        Ok(_) => panic!("the worker finished while the server was frozen"),
    }
    smtp.resume();
    assert_eq!(outbox(&app, "sent").await, 1);

    // Restarted (another instance) once the dead worker's lease has passed.
    let m = mailer(&smtp.url());
    let after_lease = t1 + Duration::seconds(i64::from(worker::LEASE_SECONDS) + 1);
    assert_eq!(
        worker::run_once(&app.pool, &m, t1).await.unwrap(),
        0,
        "a live lease is respected"
    );
    assert_eq!(
        worker::run_once(&app.pool, &m, after_lease).await.unwrap(),
        3
    );
    let got = smtp.wait_for(4).await;
    assert_eq!(got.len(), 4, "{got:#?}");
    let ids: HashSet<&str> = got.iter().map(|d| d.message_id.as_str()).collect();
    assert_eq!(ids.len(), 4);
    for i in 1..=3 {
        let title = format!("[thidua] Thông báo số {i}");
        assert_eq!(
            got.iter().filter(|d| d.subject == title).count(),
            1,
            "{title}"
        );
    }
    assert_eq!(outbox(&app, "sent").await, 4);
}

#[tokio::test]
async fn two_app_instances_send_each_message_once() {
    let app = TestApp::start().await;
    let smtp = Smtp::start().await;
    wants(
        &app,
        "canbo.tccb",
        "an.nguyen@toaan.example.vn",
        "immediate",
    )
    .await;
    wants(
        &app,
        "quantri.toaan",
        "quantri@toaan.example.vn",
        "immediate",
    )
    .await;
    const EACH: usize = 120;
    for i in 0..EACH {
        notify(&app, "canbo.tccb", &format!("Cán bộ {i}"), "/years/7").await;
        notify(&app, "quantri.toaan", &format!("Quản trị {i}"), "/years/7").await;
    }
    let other = second_pool(&app).await;
    let (m1, m2) = (mailer(&smtp.url()), mailer(&smtp.url()));
    let now = Utc::now();
    let (a, b) = tokio::join!(
        worker::run_once(&app.pool, &m1, now),
        worker::run_once(&other, &m2, now)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a + b, 2 * EACH, "instance one sent {a}, two {b}");
    let got = smtp.wait_for(2 * EACH).await;
    assert_eq!(got.len(), 2 * EACH);
    let ids: HashSet<&str> = got.iter().map(|d| d.message_id.as_str()).collect();
    assert_eq!(ids.len(), 2 * EACH, "a message was delivered twice");
    assert_eq!(outbox(&app, "sent").await, (2 * EACH) as i64);
}

/// The figure of issue 14: how long the worker takes to send queued messages to the local
/// aiosmtpd. 500 in the suite; `bench/mail.sh` sets THIDUA_MAIL_BENCH=10000.
#[tokio::test]
async fn throughput_of_the_worker() {
    let n: i64 = std::env::var("THIDUA_MAIL_BENCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    let app = TestApp::start().await;
    let smtp = Smtp::start().await;
    wants(
        &app,
        "canbo.tccb",
        "an.nguyen@toaan.example.vn",
        "immediate",
    )
    .await;
    let (tenant, user): (i64, i64) =
        sqlx::query_as("SELECT tenant_id, id FROM users WHERE username = 'canbo.tccb'")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    let mut tx = thidua::db::tenant_tx(&app.pool, tenant).await.unwrap();
    sqlx::query(
        "INSERT INTO notifications (tenant_id, user_id, kind, title, body, link, actor)
         SELECT $1, $2, 'sheet_returned', 'Thông báo số ' || i, 'Nội dung thông báo.', '/years/7', ''
           FROM generate_series(1, $3) AS i",
    )
    .bind(tenant)
    .bind(user)
    .bind(n)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(outbox(&app, "queued").await, n);
    let m = mailer(&smtp.url());
    let started = std::time::Instant::now();
    let sent = worker::run_once(&app.pool, &m, Utc::now()).await.unwrap();
    let took = started.elapsed();
    assert_eq!(sent as i64, n);
    assert_eq!(smtp.count() as i64, n);
    eprintln!(
        "mail worker: {n} messages in {:.1} s ({:.0} per second)",
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );
}

#[tokio::test]
async fn a_user_chooses_their_mail_and_bad_input_keeps_what_was_typed() {
    let app = TestApp::start().await;
    let c = app.login("canbo.tccb").await;
    let page = c.get("/account/notifications").await;
    assert!(page.body.contains("Gửi một thư tổng hợp mỗi ngày"));
    let bad = c
        .submit(
            "/account/notifications",
            "/account/notifications",
            &[("email", "an.nguyen@"), ("mode", "digest")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Địa chỉ thư điện tử không hợp lệ."));
    assert!(bad.body.contains(r#"value="an.nguyen@""#));
    let ok = c
        .submit(
            "/account/notifications",
            "/account/notifications",
            &[
                ("email", " an.nguyen@toaan.example.vn "),
                ("mode", "digest"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    let (email, mode): (Option<String>, String) =
        sqlx::query_as("SELECT email, mail_mode FROM users WHERE username = 'canbo.tccb'")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    assert_eq!(
        (email.as_deref(), mode.as_str()),
        (Some("an.nguyen@toaan.example.vn"), "digest")
    );
    // Digest mode: a notification queues nothing at once.
    notify(&app, "canbo.tccb", "Bảng điểm bị trả lại", "/years/7").await;
    assert_eq!(app.scalar_i64("SELECT count(*) FROM mail_outbox").await, 0);

    // The admin's user form takes an address too, checked the same way.
    let admin = app.login("quantri.toaan").await;
    let fields = |email: &'static str| {
        vec![
            ("full_name", "Lê Văn Cường"),
            ("username", "le.van.cuong"),
            ("role", "tenant_admin"),
            ("unit_id", ""),
            ("email", email),
        ]
    };
    let bad = admin
        .submit("/users/new", "/users/new", &fields("cuong@@x"))
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Địa chỉ thư điện tử không hợp lệ."));
    assert!(bad.body.contains(r#"value="le.van.cuong""#));
    let ok = admin
        .submit(
            "/users/new",
            "/users/new",
            &fields("cuong@toaan.example.vn"),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(
        app.scalar_i64(
            "SELECT count(*) FROM users WHERE username = 'le.van.cuong'
                AND email = 'cuong@toaan.example.vn'"
        )
        .await,
        1
    );
}
