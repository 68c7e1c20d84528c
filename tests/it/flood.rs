//! Issue 12, item 1: a login flood is answered "busy" instead of queueing hashes without end,
//! and attempts whose client hung up are still recorded, so the throttle can engage.

use std::time::Duration;

use tokio::io::AsyncWriteExt;

use crate::harness::TestApp;

/// Many logins at once: those beyond the hash queue get a fast Vietnamese 503 with
/// Retry-After and the typed username kept; none gets a 500; every checked password is recorded.
#[tokio::test]
async fn a_login_flood_gets_busy_pages_and_every_checked_attempt_is_recorded() {
    let app = TestApp::start().await;
    let mut tasks = Vec::new();
    for i in 0..80 {
        let c = app.client();
        tasks.push(tokio::spawn(async move {
            c.login(&format!("flood{i}"), "wrong-password-x").await
        }));
    }
    let (mut busy, mut refused, mut locked) = (0, 0, 0);
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            503 => {
                busy += 1;
                assert_eq!(
                    r.headers.get("retry-after").and_then(|v| v.to_str().ok()),
                    Some("2")
                );
                assert!(r.body.contains("Hệ thống đang bận"), "{}", r.body);
                assert!(r.body.contains("value=\"flood"), "the username is kept");
            }
            401 => refused += 1,
            429 => locked += 1,
            s => panic!("unexpected status {s}: {}", r.body),
        }
    }
    assert!(busy > 0, "80 logins at once must exceed the hash queue");
    assert!(refused > 0, "some logins are checked");
    // Every checked password is counted; the ones the address lock refused without a check
    // (once 30 had failed) write nothing.
    let recorded = app
        .scalar_i64("SELECT coalesce(sum(failures), 0) FROM login_throttle WHERE kind = 'address'")
        .await;
    assert_eq!(
        recorded, refused as i64,
        "every checked attempt is recorded"
    );
    assert!(
        locked == 0 || recorded >= 30,
        "only a flooded address is locked"
    );
}

/// A client that hangs up once its password is being checked still leaves a failure behind.
/// Requests are sent raw and the socket closed after a growing delay; each one answered before
/// the hang-up is counted, and the rows beyond those come from abandoned attempts.
#[tokio::test]
async fn attempts_abandoned_mid_check_are_recorded() {
    let app = TestApp::start().await;
    let page = app.client();
    let form = page.get("/login").await;
    let token = form.csrf();
    let cookie = format!("thidua_csrf={}", page.cookie("thidua_csrf").unwrap());
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut answered = 0i64;
    let mut abandoned_rows = 0i64;
    // Bounded: at most 200 tries, each at most 0.15 s. A username each, so the account lock
    // (which needs no hash) never takes over; the address lock needs 30 checked failures.
    for i in 0..200u64 {
        let body = format!("csrf={token}&username=abandoned{i}&password=wrong-password-x");
        let request = format!(
            "POST /login HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        s.write_all(request.as_bytes()).await.unwrap();
        let mut buf = [0u8; 64];
        let delay = Duration::from_millis(2 + (i * 3) % 150);
        if let Ok(Ok(n)) =
            tokio::time::timeout(delay, tokio::io::AsyncReadExt::read(&mut s, &mut buf)).await
            && n > 0
        {
            answered += 1;
        }
        drop(s);
        // The abandoned check finishes on its own; give it a moment before counting.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let rows = app
            .scalar_i64(
                "SELECT coalesce(sum(failures), 0) FROM login_throttle WHERE kind = 'address'",
            )
            .await;
        abandoned_rows = rows - answered;
        if abandoned_rows >= 2 {
            break;
        }
    }
    assert!(
        abandoned_rows >= 2,
        "attempts whose client hung up mid-check must be recorded ({answered} answered)"
    );
}
