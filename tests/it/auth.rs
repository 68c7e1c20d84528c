//! Login, throttling, sessions, logout, password changes, anti-forgery and headers.

use crate::harness::{Client, DEMO_PASSWORD, Template, TestApp};
use thidua::config::WebConfig;

const GENERIC: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";

#[tokio::test]
async fn a_unit_officer_logs_in_and_sees_tenant_and_unit() {
    let app = TestApp::start().await;
    let c = app.client();
    let r = c.login("canbo.hocvien", DEMO_PASSWORD).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/");
    let home = c.get("/").await;
    assert_eq!(home.status, 200);
    assert!(
        home.body
            .contains("Hội đồng Thi đua - Khen thưởng Tòa án nhân dân")
    );
    assert!(home.body.contains("Học viện Tòa án"));
    assert!(home.body.contains("Cán bộ thi đua"));
    // The menu offers only what the role may open.
    assert!(!home.body.contains("href=\"/units\""));
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_generic_message() {
    let app = TestApp::start().await;
    let wrong = app
        .client()
        .login("canbo.hocvien", "not-the-password")
        .await;
    let unknown = app.client().login("nobody.here", "not-the-password").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert!(wrong.body.contains(GENERIC));
    assert!(unknown.body.contains(GENERIC));
    // What the user typed stays in the form.
    assert!(wrong.body.contains("value=\"canbo.hocvien\""));
    let attempts = app
        .scalar_i64("SELECT sum(failures) FROM login_throttle WHERE kind = 'account'")
        .await;
    assert_eq!(attempts, 2, "every attempt is counted");
}

#[tokio::test]
async fn twenty_failures_lock_the_account_and_the_lock_passes() {
    let app = TestApp::start().await;
    let c = app.client();
    let mut locked_seen = false;
    for _ in 0..20 {
        let r = c.login("thutruong.hocvien", "wrong-password-x").await;
        assert!(r.status == 401 || r.status == 429, "status {}", r.status);
        locked_seen |= r.status == 429;
    }
    assert!(locked_seen, "repeated failures lock the account");
    // The 21st try, with the right password, is still refused: the lock does not check it.
    let r = c.login("thutruong.hocvien", DEMO_PASSWORD).await;
    assert_eq!(r.status, 429);
    assert!(r.body.contains("tạm thời bị khóa"));
    assert!(c.get("/").await.status == 303, "no session was created");

    // Once the lock has passed (we move the recorded attempts 20 minutes back), the right
    // password works.
    sqlx::query("UPDATE login_throttle SET last_failure = last_failure - interval '20 minutes'")
        .execute(&app.owner)
        .await
        .unwrap();
    let r = c.login("thutruong.hocvien", DEMO_PASSWORD).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(c.get("/").await.status, 200);
}

#[tokio::test]
async fn an_attacker_at_another_address_cannot_lock_out_the_owner() {
    let web = WebConfig {
        trust_proxy: true,
        ..WebConfig::default()
    };
    let app = TestApp::start_with(Template::Demo, web).await;
    // The owner has logged in from the office before.
    let owner = app.client().with_header("x-forwarded-for", "10.1.1.7");
    assert_eq!(
        owner.login("canbo.thanhtra", DEMO_PASSWORD).await.status,
        303
    );

    let attacker = app.client().with_header("x-forwarded-for", "203.0.113.9");
    for _ in 0..12 {
        attacker.login("canbo.thanhtra", "guess-guess-guess").await;
    }
    assert_eq!(
        attacker.login("canbo.thanhtra", DEMO_PASSWORD).await.status,
        429
    );

    let owner_again = app.client().with_header("x-forwarded-for", "10.1.1.7");
    assert_eq!(
        owner_again
            .login("canbo.thanhtra", DEMO_PASSWORD)
            .await
            .status,
        303
    );
}

#[tokio::test]
async fn login_rotates_the_session_id() {
    let app = TestApp::start().await;
    let c = app.client();
    c.login("canbo.hocvien", DEMO_PASSWORD).await;
    let first = c.cookie("thidua_session").expect("session cookie");
    // Logging in again from the same browser (the login page itself sends a logged-in user
    // home, so the form is posted with the page's token).
    let r = c
        .submit(
            "/",
            "/login",
            &[("username", "canbo.hocvien"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 303);
    let second = c.cookie("thidua_session").expect("session cookie");
    assert_ne!(first, second);
    // The old id is dead, not merely replaced in this browser.
    let old = Client::new(&app.base);
    old.set_cookie("thidua_session", &first);
    assert_eq!(old.get("/").await.status, 303);
    // A session id planted before login is never adopted.
    let planted = Client::new(&app.base);
    planted.set_cookie(
        "thidua_session",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    );
    planted.login("canbo.hocvien", DEMO_PASSWORD).await;
    assert_ne!(planted.cookie("thidua_session").unwrap(), "a".repeat(64));
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = TestApp::start().await;
    let c = app.login("canbo.hocvien").await;
    let token = c.cookie("thidua_session").unwrap();
    let r = c.submit("/", "/logout", &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/login");
    let replay = Client::new(&app.base);
    replay.set_cookie("thidua_session", &token);
    let r = replay.get("/").await;
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("/login"));
    assert_eq!(app.scalar_i64("SELECT count(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn a_disabled_account_loses_its_sessions_and_cannot_log_in() {
    let app = TestApp::start().await;
    let c = app.login("canbo.hocvien").await;
    assert_eq!(c.get("/").await.status, 200);
    thidua::admin::set_disabled(&app.pool, "canbo.hocvien", true)
        .await
        .unwrap();
    assert_eq!(c.get("/").await.status, 303);
    let r = app.client().login("canbo.hocvien", DEMO_PASSWORD).await;
    assert_eq!(r.status, 401);
    assert!(
        r.body.contains(GENERIC),
        "a disabled account is not revealed as such"
    );
}

#[tokio::test]
async fn idle_and_old_sessions_end() {
    let app = TestApp::start().await;
    let c = app.login("canbo.hocvien").await;
    sqlx::query("UPDATE sessions SET last_seen_at = now() - interval '3 hours'")
        .execute(&app.owner)
        .await
        .unwrap();
    assert_eq!(c.get("/").await.status, 303, "idle timeout");

    let c = app.login("canbo.hocvien").await;
    sqlx::query("UPDATE sessions SET created_at = now() - interval '13 hours'")
        .execute(&app.owner)
        .await
        .unwrap();
    assert_eq!(c.get("/").await.status, 303, "absolute timeout");
}

#[tokio::test]
async fn a_one_time_password_forces_a_change_at_first_login() {
    let app = TestApp::start().await;
    let otp = thidua::admin::create_user(
        &app.pool,
        &thidua::admin::NewAccount {
            tenant_code: "langson",
            username: "nguyen.van.an",
            full_name: "Nguyễn Văn An",
            role: "unit_officer",
            unit_code: Some("ca-ls"),
        },
    )
    .await
    .unwrap();
    let c = app.client();
    let r = c.login("nguyen.van.an", &otp).await;
    assert_eq!(r.location(), "/password");
    let r = c.get("/units/1").await;
    assert_eq!(
        (r.status, r.location()),
        (303, "/password"),
        "nothing else opens first"
    );

    // Bad input: each message beside its field, nothing changed.
    let r = c
        .submit(
            "/password",
            "/password",
            &[("current", &otp), ("new", "12345678"), ("confirm", "1234")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Mật khẩu này quá phổ biến"));
    assert!(r.body.contains("Mật khẩu nhập lại không khớp."));
    let r = c
        .submit(
            "/password",
            "/password",
            &[
                ("current", "wrong"),
                ("new", "Cong-an-Lang-Son"),
                ("confirm", "Cong-an-Lang-Son"),
            ],
        )
        .await;
    assert!(r.body.contains("Mật khẩu hiện tại không đúng."));

    let r = c
        .submit(
            "/password",
            "/password",
            &[
                ("current", &otp),
                ("new", "Cong-an-Lang-Son"),
                ("confirm", "Cong-an-Lang-Son"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let home = c.get("/").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Công an tỉnh Lạng Sơn"));
    // The one-time password no longer works; the new one does.
    assert_eq!(app.client().login("nguyen.van.an", &otp).await.status, 401);
    assert_eq!(
        app.client()
            .login("nguyen.van.an", "Cong-an-Lang-Son")
            .await
            .status,
        303
    );
    let audited = app
        .scalar_i64(
            "SELECT count(*) FROM audit_log WHERE entity = 'user' AND action = 'password_changed'",
        )
        .await;
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn changing_the_password_ends_the_accounts_other_sessions() {
    let app = TestApp::start().await;
    let laptop = app.login("canbo.tccb").await;
    let phone = app.login("canbo.tccb").await;
    let r = laptop
        .submit(
            "/password",
            "/password",
            &[
                ("current", DEMO_PASSWORD),
                ("new", "Vu-To-chuc-Can-bo"),
                ("confirm", "Vu-To-chuc-Can-bo"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(laptop.get("/").await.status, 200);
    assert_eq!(phone.get("/").await.status, 303);
}

#[tokio::test]
async fn forged_cross_site_posts_are_refused() {
    let app = TestApp::start().await;
    let c = app.login("canbo.hocvien").await;
    // No token at all.
    let r = c.post("/logout", &[]).await;
    assert_eq!(r.status, 403);
    // A token from another session.
    let other = app.login("canbo.tccb").await;
    let foreign_token = other.get("/").await.csrf();
    let r = c.post("/logout", &[("csrf", &foreign_token)]).await;
    assert_eq!(r.status, 403);
    // The right token, but the browser says the form came from another site.
    let token = c.get("/").await.csrf();
    let evil = clone_client(&c).with_header("origin", "http://evil.example");
    assert_eq!(evil.post("/logout", &[("csrf", &token)]).await.status, 403);
    let evil = clone_client(&c).with_header("sec-fetch-site", "cross-site");
    assert_eq!(evil.post("/logout", &[("csrf", &token)]).await.status, 403);
    // Still logged in after all that.
    assert_eq!(c.get("/").await.status, 200);
    // A login form posted without the login page's cookie is refused too.
    let bare = app.client();
    let r = bare
        .post(
            "/login",
            &[
                ("username", "canbo.hocvien"),
                ("password", DEMO_PASSWORD),
                ("csrf", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
}

/// The same cookie jar, a different set of extra headers.
fn clone_client(c: &Client) -> Client {
    let n = Client::new(&c.base);
    let token = c.cookie("thidua_session").unwrap();
    n.set_cookie("thidua_session", &token);
    n
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::start().await;
    let c = app.login("quantri.toaan").await;
    for path in ["/login", "/", "/units", "/no-such-page", "/static/app.css"] {
        let r = if path == "/login" {
            app.client().get(path).await
        } else {
            c.get(path).await
        };
        let csp = r
            .headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        for part in [
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(part), "{path}: CSP lacks {part}");
        }
        assert_eq!(
            r.headers.get("x-content-type-options").unwrap(),
            "nosniff",
            "{path}"
        );
        assert!(r.headers.get("referrer-policy").is_some(), "{path}");
        assert!(r.headers.get("x-request-id").is_some(), "{path}");
    }
    let set_cookie = c.get("/").await;
    assert!(
        set_cookie.headers.get("set-cookie").is_none(),
        "no cookie churn on ordinary pages"
    );
    let login = app.client().get("/login").await;
    let cookie = login.headers.get("set-cookie").unwrap().to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
}

#[tokio::test]
async fn a_404_page_is_vietnamese_and_leaks_nothing() {
    let app = TestApp::start().await;
    let r = app.client().get("/khong-co-trang-nay").await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("Không tìm thấy trang"));
    assert!(!r.body.to_lowercase().contains("axum"));
}

#[tokio::test]
async fn login_sends_the_user_back_where_they_were_going_but_only_on_this_site() {
    let app = TestApp::start().await;
    let c = app.client();
    let r = c.get("/units").await;
    assert_eq!(r.location(), "/login?next=%2Funits");
    let page = c.get("/login?next=%2Funits").await;
    let token = page.csrf();
    let r = c
        .post(
            "/login",
            &[
                ("csrf", &token),
                ("username", "quantri.toaan"),
                ("password", DEMO_PASSWORD),
                ("next", "/units"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/units");
    let c = app.client();
    let page = c.get("/login").await;
    let token = page.csrf();
    let r = c
        .post(
            "/login",
            &[
                ("csrf", &token),
                ("username", "quantri.toaan"),
                ("password", DEMO_PASSWORD),
                ("next", "//evil.example/x"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/");
}

/// Issue 12, item 10: guesses of the current password in the change form are recorded and
/// throttled like failed logins.
#[tokio::test]
async fn guessing_the_current_password_is_recorded_and_throttled() {
    let app = TestApp::start().await;
    let c = app.login("canbo.hocvien").await;
    let mut locked = None;
    for i in 0..12 {
        let guess = format!("doan-mat-khau-{i}");
        let r = c
            .submit(
                "/password",
                "/password",
                &[
                    ("current", guess.as_str()),
                    ("new", "Mat-khau-moi-2026"),
                    ("confirm", "Mat-khau-moi-2026"),
                ],
            )
            .await;
        assert!(r.status == 422 || r.status == 429, "status {}", r.status);
        if r.status == 429 {
            locked = Some(r);
            break;
        }
    }
    let r = locked.expect("repeated wrong guesses lock the form");
    assert!(r.body.contains("tạm thời bị khóa"), "{}", r.body);
    let recorded = app
        .scalar_i64("SELECT coalesce(sum(failures), 0) FROM login_throttle WHERE kind = 'account'")
        .await;
    assert!(recorded >= 5, "every guess is recorded ({recorded})");
    // The right password is refused while locked: the lock does not check it.
    let r = c
        .submit(
            "/password",
            "/password",
            &[
                ("current", DEMO_PASSWORD),
                ("new", "Mat-khau-moi-2026"),
                ("confirm", "Mat-khau-moi-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, 429);
}
