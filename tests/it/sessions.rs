//! Issue 12, items 11 and 12: logging in as someone of another tenant ends the browser's
//! previous session; a user holds at most ten sessions and can see and end them.

use crate::harness::{Client, DEMO_PASSWORD, TestApp};

/// Item 11: the old session lived in another tenant, hidden from the new login's transaction
/// by row-level security; it must end all the same.
#[tokio::test]
async fn logging_in_to_another_tenant_ends_the_previous_session() {
    let app = TestApp::start().await;
    let c = app.login("quantri.toaan").await;
    let first = c.cookie("thidua_session").expect("session cookie");
    // The same browser logs in as a user of Lạng Sơn (posting the form from a logged-in page).
    let r = c
        .submit(
            "/",
            "/login",
            &[("username", "quantri.langson"), ("password", DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(c.get("/").await.body.contains("Lạng Sơn"));
    let old = Client::new(&app.base);
    old.set_cookie("thidua_session", &first);
    assert_eq!(old.get("/").await.status, 303, "the first session is dead");
    assert_eq!(
        app.scalar_i64(
            "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id
              WHERE u.username = 'quantri.toaan'"
        )
        .await,
        0
    );
}

/// Item 12: the eleventh login ends the oldest session, and only that one.
#[tokio::test]
async fn a_user_keeps_at_most_ten_sessions_and_the_oldest_ends() {
    let app = TestApp::start().await;
    let mut clients = Vec::new();
    for _ in 0..11 {
        clients.push(app.login("canbo.hocvien").await);
    }
    assert_eq!(
        app.scalar_i64(
            "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id
              WHERE u.username = 'canbo.hocvien'"
        )
        .await,
        10
    );
    assert_eq!(clients[0].get("/").await.status, 303, "the oldest ended");
    for c in &clients[1..] {
        assert_eq!(c.get("/").await.status, 200);
    }
}

/// Item 12: the page lists the user's sessions (when, where, which browser), ends one, and
/// ends all the others; another user's session id is not found.
#[tokio::test]
async fn the_sessions_page_lists_and_ends_sessions() {
    let app = TestApp::start().await;
    let phone = app.client().with_header(
        "user-agent",
        "Mozilla/5.0 (Android 14; Điện thoại)\u{202e}gpj",
    );
    assert_eq!(
        phone.login("canbo.hocvien", DEMO_PASSWORD).await.status,
        303
    );
    let laptop = app
        .client()
        .with_header("user-agent", "Firefox/140 máy bàn");
    assert_eq!(
        laptop.login("canbo.hocvien", DEMO_PASSWORD).await.status,
        303
    );
    let third = app.login("canbo.hocvien").await;
    let someone_else = app.login("thutruong.hocvien").await;

    let page = laptop.get("/sessions").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1>Phiên đăng nhập</h1>"));
    assert!(page.body.contains("Firefox/140 máy bàn"));
    assert!(page.body.contains("(phiên này)"));
    assert!(page.body.contains("Đăng xuất các phiên khác"));
    assert!(page.body.contains("127.0.0.1"));
    // The browser's text is shown without the right-to-left override it carried.
    assert!(
        page.body
            .contains("Mozilla/5.0 (Android 14; Điện thoại)gpj")
    );
    assert_eq!(page.body.matches("Đăng xuất phiên này").count(), 3);

    let phone_id = app
        .scalar_i64("SELECT id FROM sessions WHERE user_agent LIKE 'Mozilla%'")
        .await;
    let r = laptop
        .submit("/sessions", &format!("/sessions/{phone_id}/end"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/sessions?ended=one");
    assert_eq!(phone.get("/").await.status, 303, "the phone is logged out");
    assert_eq!(third.get("/").await.status, 200);

    // Another user's session cannot be ended from here, nor named by anything but a number.
    let other_id = app
        .scalar_i64(
            "SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
              WHERE u.username = 'thutruong.hocvien'",
        )
        .await;
    let r = laptop
        .submit("/sessions", &format!("/sessions/{other_id}/end"), &[])
        .await;
    assert_eq!(r.status, 404);
    let r = laptop.submit("/sessions", "/sessions/abc/end", &[]).await;
    assert_eq!(r.status, 404);
    assert_eq!(someone_else.get("/").await.status, 200);

    let r = laptop
        .submit("/sessions", "/sessions/end-others", &[])
        .await;
    assert_eq!(r.location(), "/sessions?ended=others");
    assert_eq!(
        third.get("/").await.status,
        303,
        "the others are logged out"
    );
    let page = laptop.get("/sessions?ended=others").await;
    assert!(page.body.contains("Đã đăng xuất mọi phiên khác."));
    assert_eq!(page.body.matches("Đăng xuất phiên này").count(), 1);
    assert_eq!(someone_else.get("/").await.status, 200);

    // Ending the current session is logging out.
    let own_id = app
        .scalar_i64(
            "SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id
              WHERE u.username = 'canbo.hocvien'",
        )
        .await;
    let r = laptop
        .submit("/sessions", &format!("/sessions/{own_id}/end"), &[])
        .await;
    assert_eq!(r.location(), "/login");
    assert_eq!(laptop.get("/").await.status, 303);
}
