//! Issue 12, item 11: logging in as someone of another tenant ends the browser's previous
//! session.

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
