//! Issue 17, walked in Chromium by the words on labels and buttons: a paper signature completes
//! the pledge (item 2), and the year's phase follows the work (item 5).

use crate::harness::TestApp;
use crate::walk::Walk;

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

async fn text(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.owner).await.unwrap();
}

async fn cum_vi(app: &TestApp, year: i32) -> i64 {
    id(
        app,
        &format!(
            "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
              WHERE c.name = 'Cụm thi đua số VI' AND y.year = {year}"
        ),
    )
    .await
}

/// The phase as the year page states it.
async fn phase_on_page(w: &Walk, year: i64) -> String {
    w.goto(&format!("/years/{year}")).await;
    let t = w.text().await;
    t.lines()
        .skip_while(|l| l.trim() != "Giai đoạn")
        .nth(1)
        .unwrap_or_else(|| panic!("no phase on the year page: {t}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leader_records_a_paper_signature_and_the_member_sees_it() {
    let app = TestApp::start().await;
    let Some(w) = Walk::start(&app).await else {
        return;
    };
    // Cụm VI 2020, led by Học viện Tòa án: the pledge open, Tạp chí Tòa án's head without a
    // working account, and every other member signed.
    let y = cum_vi(&app, 2020).await;
    let tapchi = id(&app, "SELECT id FROM units WHERE code = 'tapchi'").await;
    let tapchi_name = text(&app, "SELECT name FROM units WHERE code = 'tapchi'").await;
    exec(
        &app,
        &format!(
            "DELETE FROM pledge_signatures WHERE cluster_year_id = {y} AND unit_id = {tapchi}"
        ),
    )
    .await;
    exec(
        &app,
        &format!("UPDATE pledges SET state = 'open', locked_at = NULL WHERE cluster_year_id = {y}"),
    )
    .await;
    exec(
        &app,
        "UPDATE users SET disabled = true WHERE username = 'thutruong.tapchi'",
    )
    .await;
    let leader_name = text(
        &app,
        "SELECT full_name FROM users WHERE username = 'canbo.hocvien'",
    )
    .await;

    w.login("canbo.hocvien").await;
    w.goto(&format!("/years/{y}/pledge")).await;
    let page = w.text().await;
    assert!(page.contains("11/12 đơn vị"), "{page}");
    assert!(
        page.contains(&format!(
            "Chưa có tài khoản thủ trưởng (1 đơn vị): {tapchi_name}."
        )),
        "{page}"
    );
    // A refused upload keeps what was typed and names the fault beside the field.
    let not_a_scan = std::env::temp_dir().join(format!("trang-ky-{y}.exe"));
    std::fs::write(&not_a_scan, b"MZ\x90\x00 not a scan").unwrap();
    w.choose(
        "Đơn vị ký trên giấy",
        &format!("{tapchi_name} (chưa có tài khoản thủ trưởng)"),
    )
    .await;
    w.fill("Ngày ký trên giấy", "15/01/2020").await;
    w.attach("Bản chụp trang ký", &not_a_scan).await;
    w.click("Ghi nhận chữ ký trên giấy").await;
    assert!(
        w.text().await.contains("Chỉ nhận tệp PDF"),
        "{}",
        w.text().await
    );
    assert_eq!(w.value("Ngày ký trên giấy").await, "15/01/2020");

    let scan = std::env::temp_dir().join(format!("trang-ky-{y}.pdf"));
    let pdf = b"%PDF-1.4\n% trang ky giao uoc\n".to_vec();
    std::fs::write(&scan, &pdf).unwrap();
    w.choose(
        "Đơn vị ký trên giấy",
        &format!("{tapchi_name} (chưa có tài khoản thủ trưởng)"),
    )
    .await;
    w.attach("Bản chụp trang ký", &scan).await;
    w.click("Ghi nhận chữ ký trên giấy").await;
    let page = w.text().await;
    w.shot("17-2-paper-signature-leader").await;
    assert!(
        page.contains("100% đơn vị thành viên đã ký giao ước; giao ước đã khóa."),
        "{page}"
    );
    assert!(!w.has_control("Ghi nhận chữ ký trên giấy").await);
    assert_eq!(
        text(
            &app,
            &format!("SELECT state FROM pledges WHERE cluster_year_id = {y}")
        )
        .await,
        "locked"
    );
    assert_eq!(
        id(
            &app,
            "SELECT count(*) FROM audit_log WHERE action = 'signed_on_paper'"
        )
        .await,
        1
    );

    // The member's own officer sees how the unit signed, who recorded it, and gets the scan.
    w.logout().await;
    w.login("canbo.tapchi").await;
    w.goto(&format!("/years/{y}/pledge")).await;
    let row = w.row(&tapchi_name).await.text().await.unwrap();
    assert!(row.contains("Đã ký trên giấy ngày 15/01/2020"), "{row}");
    assert!(
        row.contains(&format!("Ghi nhận bởi {leader_name} (cụm trưởng)")),
        "{row}"
    );
    w.shot("17-2-paper-signature-member").await;
    let link = w.control("Tải bản chụp trang ký").await.unwrap();
    let href = link.attr("href").await.unwrap().unwrap();
    let member = app.login("canbo.tapchi").await;
    let (status, headers, body) = member.get_bytes(&href).await;
    assert_eq!(status, 200);
    assert_eq!(body, pdf);
    assert_eq!(headers["content-type"], "application/pdf");
    // Another tenant's staff do not find it.
    let foreign = app.login("canbo.ca-ls").await;
    assert_eq!(foreign.get_bytes(&href).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phase_on_the_year_page_follows_the_work() {
    let app = TestApp::start().await;
    let Some(w) = Walk::start(&app).await else {
        return;
    };
    let y2020 = cum_vi(&app, 2020).await;
    let hocvien = text(&app, "SELECT name FROM units WHERE code = 'hocvien'").await;
    // The council starts 2021 and names its leader.
    w.login("quantri.toaan").await;
    w.goto(&format!("/years/{y2020}")).await;
    w.click("Bắt đầu năm 2021").await;
    let y = cum_vi(&app, 2021).await;
    assert!(phase_on_page(&w, y).await.starts_with("Thiết lập"));
    w.choose("Cụm trưởng", &hocvien).await;
    w.click("Lưu").await;
    w.logout().await;

    // The leader writes the pledge from last year's and opens it, after confirming.
    w.login("canbo.hocvien").await;
    w.goto(&format!("/years/{y}/pledge")).await;
    w.click("Chép giao ước năm 2020").await;
    w.click("Mở ký giao ước").await;
    assert!(w.text().await.contains("bị khóa vĩnh viễn"));
    w.click("Xác nhận mở ký").await;
    let phase = phase_on_page(&w, y).await;
    assert!(
        phase.starts_with("Ký giao ước (cụm trưởng mở ký giao ước"),
        "{phase}"
    );

    // The leader may move it one step on.
    w.click("Chuyển sang giai đoạn “Đang thi đua”").await;
    let phase = phase_on_page(&w, y).await;
    assert!(
        phase.starts_with("Đang thi đua (cụm trưởng chuyển sang giai đoạn tiếp theo"),
        "{phase}"
    );
    w.logout().await;

    // The council corrects it back: the pledge is not signed yet. The correction holds.
    w.login("quantri.toaan").await;
    w.goto(&format!("/years/{y}")).await;
    w.choose("Giai đoạn hiện tại", "Ký giao ước").await;
    w.click("Cập nhật giai đoạn").await;
    let phase = phase_on_page(&w, y).await;
    assert!(
        phase.starts_with("Ký giao ước (Hội đồng TĐKT chọn giai đoạn"),
        "{phase}"
    );
    w.logout().await;

    // Eleven heads have signed; the last one signs here, and the year is under way.
    exec(
        &app,
        &format!(
            "INSERT INTO pledge_signatures (tenant_id, cluster_year_id, unit_id, signed_by)
             SELECT m.tenant_id, m.cluster_year_id, m.unit_id, h.id
               FROM cluster_members m JOIN units u ON u.id = m.unit_id
               JOIN users h ON h.username = 'thutruong.' || u.code
              WHERE m.cluster_year_id = {y} AND u.code <> 'tapchi'"
        ),
    )
    .await;
    w.login("thutruong.tapchi").await;
    assert!(phase_on_page(&w, y).await.starts_with("Ký giao ước"));
    w.goto(&format!("/years/{y}/pledge")).await;
    w.click("Ký giao ước").await;
    let phase = phase_on_page(&w, y).await;
    w.shot("17-5-phase-follows-work").await;
    assert!(
        phase.starts_with("Đang thi đua (các đơn vị thành viên ký đủ giao ước"),
        "{phase}"
    );
}
