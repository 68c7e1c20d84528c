//! Notifications walked in Chromium (issue 14): a unit whose sheet the leader returns sees the
//! count in the header, opens the list and goes through to the sheet with the reason.

use crate::harness::TestApp;
use crate::notify::{clear, submitted};
use crate::scoring::setup;
use crate::walk::Walk;

#[tokio::test]
async fn a_returned_sheet_reaches_the_units_officer_through_the_header() {
    let app = TestApp::start().await;
    let Some(w) = Walk::start(&app).await else {
        return;
    };
    let y = setup(&app, "31/12/2099").await;
    clear(&app).await;
    submitted(&app, &y).await;
    let sheet = format!("/years/{}/sheets/{}", y.id, y.ca);

    // The leader's officer returns the sheet with the reason.
    w.login("canbo.thads-ls").await;
    assert!(
        w.html()
            .await
            .contains("aria-label=\"Thông báo, 1 chưa đọc\""),
        "the submitted sheet"
    );
    w.goto(&sheet).await;
    let reason = "Thiếu minh chứng số hóa hồ sơ mục 2.2";
    w.fill("Lý do trả lại", reason).await;
    w.click("Trả lại đơn vị").await;
    w.logout().await;

    // The unit's officer sees the count on every page, opens the list, clicks through.
    w.login("canbo.ca-ls").await;
    assert!(
        w.html()
            .await
            .contains("aria-label=\"Thông báo, 1 chưa đọc\""),
        "{}",
        w.html().await
    );
    w.click("Thông báo").await;
    assert_eq!(w.path().await, "/notifications");
    let text = w.text().await;
    assert!(text.contains("Chưa đọc"), "{text}");
    assert!(text.contains(&format!("Lý do: {reason}")), "{text}");
    let actor: String =
        sqlx::query_scalar("SELECT full_name FROM users WHERE username = 'canbo.thads-ls'")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    assert!(text.contains(&actor), "who did it: {text}");
    w.click("bị trả lại").await;
    assert_eq!(w.path().await, sheet);
    assert!(
        w.text()
            .await
            .contains(&format!("Cụm trưởng đã trả lại bảng điểm: {reason}")),
        "the sheet with the reason"
    );
    assert!(
        w.html()
            .await
            .contains("aria-label=\"Thông báo, 0 chưa đọc\""),
        "read now"
    );
    w.shot("notify-returned-sheet").await;
}
