//! Issue 17, item 7: the home page says what the year asks next — the leader's setting-up at the
//! start of a year, and the ballot while a vote is open — walked in Chromium by the words.

use crate::harness::TestApp;
use crate::voting::{NOI_CHINH, award_id, create_vote, open_with_committee, unit_id, year_id};
use crate::walk::Walk;

/// A new year 2027 of the Lạng Sơn cluster, led by Cục THADS, with the 2024 members and nothing
/// else: what the council's "start next year" leaves.
async fn new_year(app: &TestApp) -> i64 {
    let y2024 = year_id(app, NOI_CHINH, 2024).await;
    let leader = unit_id(app, "thads-ls").await;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cluster_years (tenant_id, cluster_id, year)
         SELECT tenant_id, cluster_id, 2027 FROM cluster_years WHERE id = $1 RETURNING id",
    )
    .bind(y2024)
    .fetch_one(&app.owner)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO cluster_members (tenant_id, cluster_year_id, unit_id, kind, year)
         SELECT tenant_id, $2, unit_id, kind, 2027 FROM cluster_members WHERE cluster_year_id = $1",
    )
    .bind(y2024)
    .bind(id)
    .execute(&app.owner)
    .await
    .unwrap();
    sqlx::query("UPDATE cluster_years SET leader_unit_id = $2 WHERE id = $1")
        .bind(id)
        .bind(leader)
        .execute(&app.owner)
        .await
        .unwrap();
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leaders_home_page_lists_the_setting_up_of_a_new_year() {
    let app = TestApp::start().await;
    let y = new_year(&app).await;
    let Some(w) = Walk::start(&app).await else {
        return;
    };
    w.login("canbo.thads-ls").await;
    let text = w.text().await;
    w.shot("home-leader-new-year").await;
    let label = "Cụm thi đua các cơ quan Nội chính tỉnh năm 2027";
    for step in [
        "Soạn nội dung giao ước thi đua (hoặc sao chép từ năm trước)",
        "Đặt hạn đăng ký thi đua cho các đơn vị thành viên",
        "Chọn bảng tiêu chí chấm điểm của năm",
        "Đặt hạn nộp bảng tự chấm điểm",
    ] {
        assert!(
            text.contains(&format!("{step} — {label}")),
            "{step}:\n{text}"
        );
    }
    assert!(!text.contains("Hiện không có việc nào"), "{text}");
    // Each line leads to the page where the step is done.
    w.click(&format!("Chọn bảng tiêu chí chấm điểm của năm — {label}"))
        .await;
    assert_eq!(w.path().await, format!("/years/{y}/scoring"));
    w.goto("/").await;
    w.click(&format!(
        "Soạn nội dung giao ước thi đua (hoặc sao chép từ năm trước) — {label}"
    ))
    .await;
    assert_eq!(w.path().await, format!("/years/{y}/pledge"));
    // A year's page is not "Đơn vị của tôi": the menu does not mark it so.
    let html = w.html().await;
    assert!(html.contains(">Đơn vị của tôi</a>"), "{html}");
    assert!(
        !html.contains("aria-current=\"page\">Đơn vị của tôi"),
        "{html}"
    );

    // A member that does not lead is not asked to set the year up.
    w.logout().await;
    w.login("canbo.ca-ls").await;
    assert!(!w.text().await.contains("Chọn bảng tiêu chí chấm điểm"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_a_vote_is_open_the_head_is_asked_for_the_ballot() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let vote = create_vote(&app, &leader, y, "award", "online").await;
    let page = format!("/votes/{vote}");
    sqlx::query("DELETE FROM vote_candidates WHERE vote_id = $1")
        .bind(vote)
        .execute(&app.owner)
        .await
        .unwrap();
    let flag = award_id(&app, "langson", crate::voting::FLAG)
        .await
        .to_string();
    let unit = unit_id(&app, "tand-ls").await.to_string();
    let r = leader
        .submit(
            &page,
            &format!("{page}/candidates"),
            &[("award_type_id", &flag), ("unit_id", &unit)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    open_with_committee(&app, &leader, vote).await;
    let title: String = sqlx::query_scalar("SELECT title FROM votes WHERE id = $1")
        .bind(vote)
        .fetch_one(&app.owner)
        .await
        .unwrap();

    let Some(w) = Walk::start(&app).await else {
        return;
    };
    // The officer sees that the unit's ballot is waiting for its head.
    w.login("canbo.ca-ls").await;
    assert!(
        w.text()
            .await
            .contains(&format!("Chờ thủ trưởng đơn vị bỏ phiếu: {title}")),
        "{}",
        w.text().await
    );
    w.logout().await;
    // The head is asked to vote, and the line opens the ballot.
    w.login("thutruong.ca-ls").await;
    w.shot("home-head-vote-open").await;
    w.click(&format!("Bỏ phiếu kín: {title}")).await;
    assert_eq!(w.path().await, page);
}
