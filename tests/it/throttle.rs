//! Issue 12, items 9 and 13: the login throttle keeps attackers slow without locking out real
//! users, writes nothing for refused attempts, prunes itself, and shows the application role
//! nobody's usernames or addresses.

use std::time::Duration;

use crate::harness::{DEMO_PASSWORD, Template, TestApp};
use thidua::config::WebConfig;

const LOCKED: &str = "tạm thời bị khóa";

/// Client addresses come from X-Forwarded-For; the account-wide delay is kept tiny so the
/// tests do not wait (its length is a unit test in src/auth/throttle.rs).
async fn app() -> TestApp {
    let web = WebConfig {
        trust_proxy: true,
        login_slow_cap: Duration::from_millis(20),
        ..WebConfig::default()
    };
    TestApp::start_with(Template::Demo, web).await
}

async fn login_from(
    app: &TestApp,
    ip: &str,
    username: &str,
    password: &str,
) -> crate::harness::Resp {
    app.client()
        .with_header("x-forwarded-for", ip)
        .login(username, password)
        .await
}

/// Guesses from many addresses make the account slower, not closed: its owner logs in from an
/// address never used before, although the account has never logged in at all, while each
/// guessing address is locked out of that account.
#[tokio::test]
async fn guesses_from_many_addresses_do_not_lock_out_the_owner_at_a_new_address() {
    let app = app().await;
    for a in 1..=4 {
        let ip = format!("203.0.113.{a}");
        for _ in 0..6 {
            let r = login_from(&app, &ip, "canbo.thanhtra", "doan-sai-mat-khau").await;
            assert!(r.status == 401 || r.status == 429, "status {}", r.status);
        }
        // That address is now locked out of the account, even with the right password.
        let r = login_from(&app, &ip, "canbo.thanhtra", DEMO_PASSWORD).await;
        assert_eq!(r.status, 429, "{}", r.body);
        assert!(r.body.contains(LOCKED));
    }
    let failures = app
        .scalar_i64("SELECT failures::bigint FROM login_throttle WHERE kind = 'account'")
        .await;
    assert_eq!(
        failures, 20,
        "five checked failures from each of four addresses"
    );
    let r = login_from(&app, "198.51.100.77", "canbo.thanhtra", DEMO_PASSWORD).await;
    assert_eq!(
        r.status, 303,
        "the owner gets in from a new address: {}",
        r.body
    );
}

/// Thirty failures behind one shared address: unknown usernames are refused there, but a
/// colleague behind it who never failed logs in; a wrong password from there reads exactly like
/// the lock an unknown username gets, and then that account is refused there too.
#[tokio::test]
async fn a_flooded_shared_address_still_lets_its_other_users_in() {
    let app = app().await;
    let shared = "192.0.2.50";
    for i in 0..30 {
        let r = login_from(&app, shared, &format!("doan.ten{i}"), "doan-sai-mat-khau").await;
        assert_eq!(r.status, 401, "{}", r.body);
    }
    let unknown = login_from(&app, shared, "khong.ton.tai", "doan-sai-mat-khau").await;
    assert_eq!(unknown.status, 429);
    assert!(unknown.body.contains(LOCKED));

    let r = login_from(&app, shared, "canbo.hocvien", DEMO_PASSWORD).await;
    assert_eq!(
        r.status, 303,
        "a user who never failed here gets in: {}",
        r.body
    );

    let wrong = login_from(&app, shared, "thutruong.hocvien", "doan-sai-mat-khau").await;
    assert_eq!(wrong.status, 429);
    assert!(wrong.body.contains(LOCKED));
    let r = login_from(&app, shared, "thutruong.hocvien", DEMO_PASSWORD).await;
    assert_eq!(
        r.status, 429,
        "an account that failed here is refused while flooded"
    );
    // Elsewhere the same account is not affected.
    let r = login_from(&app, "198.51.100.8", "thutruong.hocvien", DEMO_PASSWORD).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

/// A refused attempt writes nothing: a locked pair hammered twenty more times leaves the
/// counters exactly as they were.
#[tokio::test]
async fn refused_attempts_write_nothing() {
    let app = app().await;
    for _ in 0..5 {
        let r = login_from(&app, "203.0.113.20", "canbo.hocvien", "doan-sai-mat-khau").await;
        assert_eq!(r.status, 401);
    }
    let snapshot = "SELECT coalesce(sum(failures), 0) * 1000 + count(*) FROM login_throttle";
    let before = app.scalar_i64(snapshot).await;
    for _ in 0..20 {
        let r = login_from(&app, "203.0.113.20", "canbo.hocvien", "doan-sai-mat-khau").await;
        assert_eq!(r.status, 429);
    }
    assert_eq!(app.scalar_i64(snapshot).await, before);
    assert_eq!(
        app.scalar_i64("SELECT count(*) FROM login_throttle").await,
        3
    );
}

/// Stale counters and expired sessions of every tenant are deleted; fresh ones stay.
#[tokio::test]
async fn pruning_deletes_stale_counters_and_expired_sessions_of_every_tenant() {
    let app = app().await;
    login_from(&app, "203.0.113.30", "nobody.here", "doan-sai-mat-khau").await;
    let fresh_owner = app.login("canbo.hocvien").await;
    let old_owner = app.login("quantri.toaan").await;
    let other_tenant = app.login("quantri.langson").await;
    // Age the failure-only counters by two days and two of the three sessions past their limits.
    sqlx::query(
        "UPDATE login_throttle SET touched_at = now() - interval '2 days',
                last_failure = now() - interval '2 days' WHERE last_success IS NULL",
    )
    .execute(&app.owner)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE sessions SET last_seen_at = now() - interval '3 hours'
          WHERE user_id = (SELECT id FROM users WHERE username = 'quantri.toaan')",
    )
    .execute(&app.owner)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE sessions SET created_at = now() - interval '13 hours'
          WHERE user_id = (SELECT id FROM users WHERE username = 'quantri.langson')",
    )
    .execute(&app.owner)
    .await
    .unwrap();
    let successes_before = app
        .scalar_i64("SELECT count(*) FROM login_throttle WHERE last_success IS NOT NULL")
        .await;

    let (counters, sessions) = thidua::auth::throttle::prune(
        &app.pool,
        chrono::Duration::hours(2),
        chrono::Duration::hours(12),
    )
    .await
    .unwrap();
    assert_eq!(sessions, 2, "both expired sessions, in two tenants");
    assert!(
        counters >= 3,
        "the pair, account and address of the old failure ({counters})"
    );
    assert_eq!(
        app.scalar_i64("SELECT count(*) FROM login_throttle WHERE last_success IS NULL")
            .await,
        0
    );
    assert_eq!(
        app.scalar_i64("SELECT count(*) FROM login_throttle WHERE last_success IS NOT NULL")
            .await,
        successes_before,
        "the addresses owners use are kept"
    );
    assert_eq!(fresh_owner.get("/").await.status, 200);
    assert_eq!(old_owner.get("/").await.status, 303);
    assert_eq!(other_tenant.get("/").await.status, 303);
}

/// Item 13: the application's role cannot read anyone's usernames or addresses; it can only
/// ask about the one username and address it is handling, and the keys are secret hashes.
#[tokio::test]
async fn the_application_role_cannot_list_usernames_or_addresses() {
    let app = app().await;
    login_from(&app, "203.0.113.40", "canbo.thanhtra", "doan-sai-mat-khau").await;
    app.login("canbo.hocvien").await;
    for sql in [
        "SELECT count(*) FROM login_throttle",
        "SELECT count(*) FROM auth_secret",
        "SELECT auth_throttle_key('account', 'canbo.thanhtra')",
    ] {
        let err = sqlx::query(sql).execute(&app.pool).await.unwrap_err();
        assert!(
            err.to_string().contains("permission denied"),
            "{sql}: {err}"
        );
    }
    let gone: bool = sqlx::query_scalar("SELECT to_regclass('login_attempts') IS NULL")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(gone, "the readable attempt log is gone");
    // Nothing stored names a user or an address in clear text.
    let clear: i64 = app
        .scalar_i64(
            "SELECT count(*) FROM login_throttle
              WHERE position(convert_to('canbo', 'UTF8') IN key) > 0
                 OR position(convert_to('203.0.113', 'UTF8') IN key) > 0",
        )
        .await;
    assert_eq!(clear, 0);
    // What the role may ask: about one username and address at a time.
    let (failures,): (i32,) =
        sqlx::query_as("SELECT account_failures FROM auth_throttle_state($1, $2)")
            .bind("canbo.thanhtra")
            .bind("203.0.113.40")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(failures, 1);
}
