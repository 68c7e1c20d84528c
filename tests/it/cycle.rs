//! Movements, award types, pledges and registrations.

use crate::harness::TestApp;

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

async fn text(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

async fn unit_id(app: &TestApp, code: &str) -> i64 {
    id(app, &format!("SELECT id FROM units WHERE code = '{code}'")).await
}

async fn year_id(app: &TestApp, cluster: &str, year: i32) -> i64 {
    id(
        app,
        &format!(
            "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
              WHERE c.name = '{cluster}' AND y.year = {year}"
        ),
    )
    .await
}

const NOI_CHINH: &str = "Cụm thi đua các cơ quan Nội chính tỉnh";
const LS_UNITS: [&str; 7] = [
    "tand-ls", "thads-ls", "qs-ls", "bp-ls", "ca-ls", "vks-ls", "csd2",
];

/// Lạng Sơn 2025, started from 2024 by the council, led by the civil judgment enforcement
/// department (its 2024 pledge is locked in the demo, so 2025 starts blank).
async fn lang_son_2025(app: &TestApp) -> i64 {
    let admin = app.login("quantri.langson").await;
    let y2024 = year_id(app, NOI_CHINH, 2024).await;
    let r = admin
        .submit(
            &format!("/years/{y2024}"),
            &format!("/years/{y2024}/next"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let y = year_id(app, NOI_CHINH, 2025).await;
    let (thads, csd2) = (
        unit_id(app, "thads-ls").await.to_string(),
        unit_id(app, "csd2").await.to_string(),
    );
    let r = admin
        .submit(
            &format!("/years/{y}"),
            &format!("/years/{y}/roles"),
            &[("leader", &thads), ("deputy", &csd2)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    y
}

#[tokio::test]
async fn the_leader_drafts_from_last_year_opens_and_the_pledge_locks_at_the_last_signature() {
    let app = TestApp::start().await;
    let y = lang_son_2025(&app).await;
    let page = format!("/years/{y}/pledge");
    let leader = app.login("canbo.thads-ls").await;

    // Start from last year's text in one step.
    let p = leader.get(&page).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Chép giao ước năm 2024"), "{}", p.body);
    let r = leader
        .submit(&page, &format!("/years/{y}/pledge/copy"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let items = id(
        &app,
        &format!("SELECT count(*) FROM pledge_items WHERE cluster_year_id = {y}"),
    )
    .await;
    assert_eq!(items, 8);
    let first = text(
        &app,
        &format!("SELECT text FROM pledge_items WHERE cluster_year_id = {y} AND position = 1"),
    )
    .await;
    assert!(
        first.contains("năm 2025") && !first.contains("năm 2024"),
        "{first}"
    );
    // Copying again would duplicate the text: refused.
    let r = leader
        .submit(&page, &format!("/years/{y}/pledge/copy"), &[])
        .await;
    assert_eq!(r.status, 422);

    // Edit one commitment; an empty one is refused beside the item, the typing kept.
    let second = id(
        &app,
        &format!("SELECT id FROM pledge_items WHERE cluster_year_id = {y} AND position = 2"),
    )
    .await;
    let edit = format!("/years/{y}/pledge/items/{second}/edit");
    let r = leader.submit(&page, &edit, &[("text", "  ")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Hãy nhập nội dung cam kết."), "{}", r.body);
    let new_text = "Tăng cường giáo dục chính trị, tư tưởng cho cán bộ, công chức, chiến sĩ các cơ quan nội chính tỉnh.";
    let r = leader.submit(&page, &edit, &[("text", new_text)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        text(
            &app,
            &format!("SELECT text FROM pledge_items WHERE id = {second}")
        )
        .await,
        new_text
    );
    // Move it to the top, and back.
    let r = leader
        .submit(
            &page,
            &format!("/years/{y}/pledge/items/{second}/move"),
            &[("direction", "up")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        id(
            &app,
            &format!("SELECT position::bigint FROM pledge_items WHERE id = {second}")
        )
        .await,
        1
    );

    // Heads cannot sign a draft; then the leader opens it and the text is fixed.
    let head_tand = app.login("thutruong.tand-ls").await;
    let r = head_tand
        .submit(&page, &format!("/years/{y}/pledge/sign"), &[])
        .await;
    assert_eq!(r.status, 409);
    // Opening asks first (issue 17, item 10): without the confirmation nothing is locked.
    let r = leader
        .submit(&page, &format!("/years/{y}/pledge/open"), &[])
        .await;
    assert_eq!(r.location(), format!("/years/{y}/pledge/open"));
    let confirm = leader.get(&format!("/years/{y}/pledge/open")).await;
    assert_eq!(confirm.status, 200);
    assert!(
        confirm.body.contains("bị khóa vĩnh viễn"),
        "{}",
        confirm.body
    );
    assert_eq!(
        text(
            &app,
            &format!("SELECT state FROM pledges WHERE cluster_year_id = {y}")
        )
        .await,
        "draft"
    );
    let r = leader
        .submit(
            &format!("/years/{y}/pledge/open"),
            &format!("/years/{y}/pledge/open"),
            &[("confirm", "yes")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        text(
            &app,
            &format!("SELECT state FROM pledges WHERE cluster_year_id = {y}")
        )
        .await,
        "open"
    );
    let r = leader
        .submit(&page, &edit, &[("text", "Sửa sau khi mở ký")])
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("không sửa nội dung được nữa"));

    // An officer cannot sign for the unit.
    let officer = app.login("canbo.tand-ls").await;
    let r = officer
        .submit(&page, &format!("/years/{y}/pledge/sign"), &[])
        .await;
    assert_eq!(r.status, 403);

    // Every head signs in their own session; before the last, the leader sees who is missing.
    let (last, others) = LS_UNITS.split_last().unwrap();
    for code in others {
        let head = app.login(&format!("thutruong.{code}")).await;
        let r = head
            .submit(&page, &format!("/years/{y}/pledge/sign"), &[])
            .await;
        assert_eq!(r.status, 303, "{code}: {}", r.body);
    }
    let p = leader.get(&page).await;
    assert!(p.body.contains("Chưa ký (1 đơn vị)"), "{}", p.body);
    assert!(p.body.contains("Tiểu đoàn Cảnh sát cơ động số 2"));
    assert_eq!(
        text(
            &app,
            &format!("SELECT state FROM pledges WHERE cluster_year_id = {y}")
        )
        .await,
        "open"
    );
    let head = app.login(&format!("thutruong.{last}")).await;
    let r = head
        .submit(&page, &format!("/years/{y}/pledge/sign"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        text(
            &app,
            &format!("SELECT state FROM pledges WHERE cluster_year_id = {y}")
        )
        .await,
        "locked"
    );
    // Locked: no more edits, no second signature.
    let r = leader
        .submit(
            &page,
            &format!("/years/{y}/pledge/items"),
            &[("text", "Một cam kết mới sau khi khóa")],
        )
        .await;
    assert_eq!(r.status, 409);
    let r = head
        .submit(&page, &format!("/years/{y}/pledge/sign"), &[])
        .await;
    assert_eq!(r.status, 409);
    let p = leader.get(&page).await;
    assert!(p.body.contains("100% đơn vị thành viên đã ký"));

    // Every step is in the audit trail.
    let audited = id(
        &app,
        &format!(
            "SELECT count(*) FROM audit_log WHERE entity = 'pledge' AND entity_id = '{y}'
               AND action IN ('items_copied', 'item_updated', 'items_reordered', 'opened', 'signed', 'locked')"
        ),
    )
    .await;
    assert_eq!(audited, 1 + 1 + 1 + 1 + 7 + 1);

    // The printed pledge: the national motto, every commitment, every member's block.
    let print = leader.get(&format!("/years/{y}/pledge/print")).await;
    assert_eq!(print.status, 200);
    assert!(print.body.contains("Độc lập - Tự do - Hạnh phúc"));
    assert!(print.body.contains("GIAO ƯỚC THI ĐUA"));
    assert!(
        print
            .body
            .contains("CỤM THI ĐUA CÁC CƠ QUAN NỘI CHÍNH TỈNH")
    );
    assert!(!print.body.contains("<nav class=\"main\""));
    let texts: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT text FROM pledge_items WHERE cluster_year_id = {y}"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    for t in texts {
        assert!(print.body.contains(&t), "missing commitment {t}");
    }
    for code in LS_UNITS {
        let name = text(
            &app,
            &format!("SELECT name FROM units WHERE code = '{code}'"),
        )
        .await;
        assert!(
            print.body.contains(&name.to_uppercase()),
            "missing signature block of {name}"
        );
    }
    assert!(print.body.contains("Đã ký trên thidua"));
}

#[tokio::test]
async fn pledges_are_closed_to_other_clusters_and_tenants() {
    let app = TestApp::start().await;
    let cum_vi = year_id(&app, "Cụm thi đua số VI", 2020).await;
    let page = format!("/years/{cum_vi}/pledge");
    // The demo's pledge is signed by all twelve units and locked.
    let member = app.login("canbo.tapchi").await;
    let p = member.get(&page).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("12/12 đơn vị"), "{}", p.body);
    assert_eq!(member.get(&format!("{page}/print")).await.status, 200);
    // A unit of another cluster of the same council: not found, as for another tenant.
    let other = app.login("thutruong.laichau").await;
    assert_eq!(other.get(&page).await.status, 404);
    assert_eq!(other.get(&format!("{page}/print")).await.status, 404);
    let r = other
        .submit("/", &format!("/years/{cum_vi}/pledge/sign"), &[])
        .await;
    assert_eq!(r.status, 404);
    // Another tenant: not found.
    for who in ["quantri.langson", "thutruong.ca-ls"] {
        let c = app.login(who).await;
        assert_eq!(c.get(&page).await.status, 404, "{who}");
        assert_eq!(c.get(&format!("{page}/print")).await.status, 404, "{who}");
        let r = c
            .submit("/", &format!("/years/{cum_vi}/pledge/open"), &[])
            .await;
        assert_eq!(r.status, 404, "{who}");
    }
    // The council may read but not write it.
    let admin = app.login("quantri.toaan").await;
    assert_eq!(admin.get(&page).await.status, 200);
    let r = admin
        .submit(
            &page,
            &format!("{page}/items"),
            &[("text", "Cam kết của Hội đồng")],
        )
        .await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn a_head_submits_the_leader_returns_with_a_reason_and_the_deadline_holds() {
    let app = TestApp::start().await;
    let y = lang_son_2025(&app).await;
    let tand = unit_id(&app, "tand-ls").await;
    let own = format!("/years/{y}/registrations/{tand}");
    let aim = id(
        &app,
        "SELECT a.id FROM award_types a JOIN tenants t ON t.id = a.tenant_id
          WHERE t.code = 'langson' AND a.name = 'Tập thể lao động xuất sắc'",
    )
    .await
    .to_string();
    let cstd = id(
        &app,
        "SELECT a.id FROM award_types a JOIN tenants t ON t.id = a.tenant_id
          WHERE t.code = 'langson' AND a.name = 'Chiến sĩ thi đua cơ sở'",
    )
    .await;
    let count_field = format!("count_{cstd}");
    // A form of commendation registered beside the title (issue 17, item 11).
    let bk = id(
        &app,
        "SELECT a.id FROM award_types a JOIN tenants t ON t.id = a.tenant_id
          WHERE t.code = 'langson' AND a.name = 'Bằng khen của Bộ, ban, ngành, tỉnh'",
    )
    .await
    .to_string();

    // The officer prepares the draft; bad numbers come back with the typing kept.
    let officer = app.login("canbo.tand-ls").await;
    let r = officer
        .submit(
            &own,
            &own,
            &[
                ("award_type_id", &aim),
                ("commendation_type_id", &aim),
                (&count_field, "ba"),
                ("ini_kind", "sang_kien"),
                ("ini_name", "Phiên tòa trực tuyến ở huyện biên giới"),
                ("ini_author", "Nguyễn Thị Hạnh"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Số người đăng ký phải là số nguyên"));
    assert!(
        r.body
            .contains("Hãy chọn hình thức khen thưởng tập thể trong danh sách.")
    );
    assert!(r.body.contains("Phiên tòa trực tuyến ở huyện biên giới"));
    let r = officer
        .submit(
            &own,
            &own,
            &[
                ("award_type_id", &aim),
                ("commendation_type_id", &bk),
                (&count_field, "6"),
                ("ini_kind", "sang_kien"),
                ("ini_name", "Phiên tòa trực tuyến ở huyện biên giới"),
                ("ini_author", "Nguyễn Thị Hạnh"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // The page after saving says so (issue 17, item 11).
    assert_eq!(r.location(), format!("{own}?saved=1"));
    let shown = officer.get(r.location()).await;
    assert!(
        shown
            .body
            .contains("role=\"status\">Đã lưu bản nháp đăng ký thi đua"),
        "{}",
        shown.body
    );
    // The officer may not submit; another member may not read the draft.
    let r = officer.submit(&own, &format!("{own}/submit"), &[]).await;
    assert_eq!(r.status, 403);
    let neighbour = app.login("canbo.vks-ls").await;
    assert_eq!(neighbour.get(&own).await.status, 403);
    assert_eq!(neighbour.get(&format!("{own}/print")).await.status, 403);
    // A member's own entry is its registration.
    let r = neighbour.get(&format!("/years/{y}/registrations")).await;
    assert_eq!(r.status, 303);
    assert!(
        r.location()
            .ends_with(&format!("/registrations/{}", unit_id(&app, "vks-ls").await))
    );

    // The head submits.
    let head = app.login("thutruong.tand-ls").await;
    let r = head.submit(&own, &format!("{own}/submit"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        text(
            &app,
            &format!(
                "SELECT state FROM registrations WHERE cluster_year_id = {y} AND unit_id = {tand}"
            )
        )
        .await,
        "submitted"
    );
    assert_eq!(neighbour.get(&own).await.status, 200);
    // Submitted: the unit can no longer change it.
    let r = officer.submit(&own, &own, &[("award_type_id", &aim)]).await;
    assert_eq!(r.status, 409);

    // The leader's summary shows every member's status.
    let leader = app.login("canbo.thads-ls").await;
    let summary = leader.get(&format!("/years/{y}/registrations")).await;
    assert_eq!(summary.status, 200);
    assert!(summary.body.contains("Đã nộp"));
    assert!(summary.body.contains("Chưa lập"));
    assert!(
        summary
            .body
            .contains("Tập thể lao động xuất sắc; Bằng khen của Bộ, ban, ngành, tỉnh")
    );
    assert!(summary.body.contains("1/7 đơn vị"));
    let print = leader.get(&format!("/years/{y}/registrations/print")).await;
    assert_eq!(print.status, 200);
    assert!(print.body.contains("Độc lập - Tự do - Hạnh phúc"));
    assert!(print.body.contains("BẢNG TỔNG HỢP ĐĂNG KÝ THI ĐUA"));
    let unit_print = leader.get(&format!("{own}/print")).await;
    assert_eq!(unit_print.status, 200);
    assert!(unit_print.body.contains("BẢN ĐĂNG KÝ THI ĐUA"));
    assert!(
        unit_print
            .body
            .contains("Tập thể lao động xuất sắc; Bằng khen của Bộ, ban, ngành, tỉnh")
    );
    assert!(
        unit_print
            .body
            .contains("Phiên tòa trực tuyến ở huyện biên giới")
    );

    // Returning needs a reason.
    let r = leader
        .submit(&own, &format!("{own}/return"), &[("reason", " ")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Hãy ghi lý do trả lại"));
    // Nobody but the leader returns.
    let r = head
        .submit(&own, &format!("{own}/return"), &[("reason", "x")])
        .await;
    assert_eq!(r.status, 403);
    let reason = "Đề nghị bổ sung số người đăng ký danh hiệu Lao động tiên tiến.";
    let r = leader
        .submit(&own, &format!("{own}/return"), &[("reason", reason)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = head.get(&own).await;
    assert!(p.body.contains("Bị trả lại") && p.body.contains(reason));

    // Past the deadline the head's submission is refused, with the reason beside the button.
    let r = leader
        .submit(
            &format!("/years/{y}/registrations"),
            &format!("/years/{y}/registrations/deadline"),
            &[("deadline", "32/01/2025")],
        )
        .await;
    assert_eq!(r.status, 422);
    let r = leader
        .submit(
            &format!("/years/{y}/registrations"),
            &format!("/years/{y}/registrations/deadline"),
            &[("deadline", "15/01/2025")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = head.submit(&own, &format!("{own}/submit"), &[]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Đã quá hạn đăng ký thi đua (ngày 15/01/2025)"),
        "{}",
        r.body
    );
    assert_eq!(
        text(
            &app,
            &format!(
                "SELECT state FROM registrations WHERE cluster_year_id = {y} AND unit_id = {tand}"
            )
        )
        .await,
        "returned"
    );
    // A member may not set the deadline.
    let r = head
        .submit(
            &own,
            &format!("/years/{y}/registrations/deadline"),
            &[("deadline", "")],
        )
        .await;
    assert_eq!(r.status, 403);

    // Other tenants: not found.
    let foreign = app.login("canbo.hocvien").await;
    assert_eq!(foreign.get(&own).await.status, 404);
    assert_eq!(
        foreign
            .get(&format!("/years/{y}/registrations"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_demo_registrations_show_every_state_and_other_clusters_are_kept_out() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let states: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT state, count(*) FROM registrations WHERE cluster_year_id = {y} GROUP BY state ORDER BY state"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(
        states,
        vec![
            ("draft".to_string(), 1),
            ("returned".to_string(), 1),
            ("submitted".to_string(), 5)
        ]
    );
    // The demo deadline (31/01/2024) is long past: the draft can no longer be submitted.
    let csd2 = unit_id(&app, "csd2").await;
    let own = format!("/years/{y}/registrations/{csd2}");
    let head = app.login("thutruong.csd2").await;
    let r = head.submit(&own, &format!("{own}/submit"), &[]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Đã quá hạn đăng ký thi đua"));
    // The leader sees details of submitted ones only, never of the draft.
    let leader = app.login("thutruong.thads-ls").await;
    assert_eq!(leader.get(&own).await.status, 403);
    let qs = unit_id(&app, "qs-ls").await;
    assert_eq!(
        leader
            .get(&format!("/years/{y}/registrations/{qs}"))
            .await
            .status,
        200
    );
    // Another cluster's unit of the same council is not found, as another tenant's would be.
    let cum_vi = year_id(&app, "Cụm thi đua số VI", 2020).await;
    let hocvien = unit_id(&app, "hocvien").await;
    let outsider = app.login("canbo.laichau").await;
    assert_eq!(
        outsider
            .get(&format!("/years/{cum_vi}/registrations"))
            .await
            .status,
        404
    );
    assert_eq!(
        outsider
            .get(&format!("/years/{cum_vi}/registrations/{hocvien}"))
            .await
            .status,
        404
    );
    assert_eq!(
        outsider
            .get(&format!("/years/{cum_vi}/registrations/print"))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_council_edits_award_types_and_units_cannot() {
    let app = TestApp::start().await;
    let admin = app.login("quantri.toaan").await;
    let list = admin.get("/award-types").await;
    assert_eq!(list.status, 200);
    for name in [
        "Cờ thi đua của Chính phủ",
        // The law's category of the ministry's flag, as the courts name theirs.
        crate::voting::TOAAN_FLAG,
        "Tập thể lao động xuất sắc",
        "Tập thể lao động tiên tiến",
        "Bằng khen của Thủ tướng Chính phủ",
        "Bằng khen của Bộ, ban, ngành, tỉnh",
        "Giấy khen",
        "Chiến sĩ thi đua toàn quốc",
        "Chiến sĩ thi đua Bộ, ngành, tỉnh",
        "Chiến sĩ thi đua cơ sở",
        "Lao động tiên tiến",
    ] {
        assert!(list.body.contains(name), "{name}");
    }
    let award = |name: &str| {
        format!(
            "SELECT a.id FROM award_types a JOIN tenants t ON t.id = a.tenant_id WHERE t.code = 'toaan' AND a.name = '{name}'"
        )
    };
    // The law's defaults: the Government flag needs the ministry flag; 90% for higher CSTĐ.
    let gov = id(&app, &award("Cờ thi đua của Chính phủ")).await;
    let flag = id(&app, &award(crate::voting::TOAAN_FLAG)).await;
    assert_eq!(
        id(
            &app,
            &format!("SELECT prerequisite_id FROM award_types WHERE id = {gov}")
        )
        .await,
        flag
    );
    assert_eq!(
        text(
            &app,
            &format!(
                "SELECT vote_threshold::text FROM award_types WHERE id = ({})",
                award("Chiến sĩ thi đua toàn quốc")
            )
        )
        .await,
        "90.00"
    );

    let ldxs = id(&app, &award("Tập thể lao động xuất sắc")).await;
    let edit = format!("/award-types/{ldxs}/edit");
    let fields = |quota: &'static str, threshold: &'static str| {
        vec![
            ("name", "Tập thể lao động xuất sắc"),
            ("target", "collective"),
            ("level", "ministry_province"),
            ("quota", quota),
            ("threshold", threshold),
            ("denominator", "all_members"),
            ("position", "30"),
            ("active", "on"),
        ]
    };
    let r = admin.submit(&edit, &edit, &fields("3", "80")).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        id(
            &app,
            &format!("SELECT quota_per_cluster::bigint FROM award_types WHERE id = {ldxs}")
        )
        .await,
        3
    );
    let r = admin.submit(&edit, &edit, &fields("3", "120")).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("từ 50 đến 100"), "{}", r.body);
    assert!(r.body.contains("value=\"120\""));
    // A flag cannot require itself through another.
    let gov_edit = format!("/award-types/{flag}/edit");
    let gov_id = gov.to_string();
    let mut f: Vec<(&str, &str)> = fields("1", "80");
    f[0] = ("name", crate::voting::TOAAN_FLAG);
    f.push(("prerequisite_id", &gov_id));
    let r = admin.submit(&gov_edit, &gov_edit, &f).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("vòng lặp"));
    // A new one, and a duplicate name.
    let mut f = fields("", "75,5");
    f[0] = ("name", "Cờ thi đua của Tòa án nhân dân tối cao");
    let r = admin
        .submit("/award-types/new", "/award-types/new", &f)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = admin
        .submit("/award-types/new", "/award-types/new", &f)
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Đã có danh hiệu"));
    assert_eq!(
        id(
            &app,
            "SELECT count(*) FROM audit_log WHERE entity = 'award_type' AND action = 'updated'
                AND actor_id IS NOT NULL"
        )
        .await,
        1
    );

    // Units and other tenants.
    let officer = app.login("canbo.hocvien").await;
    assert_eq!(officer.get("/award-types").await.status, 403);
    assert_eq!(officer.get(&edit).await.status, 403);
    assert_eq!(
        officer.submit("/", &edit, &fields("9", "80")).await.status,
        403
    );
    let foreign = app.login("quantri.langson").await;
    assert_eq!(foreign.get(&edit).await.status, 404);
    assert_eq!(
        foreign.submit("/", &edit, &fields("9", "80")).await.status,
        404
    );
}

#[tokio::test]
async fn a_movement_reaches_the_units_of_its_clusters_only() {
    let app = TestApp::start().await;
    let admin = app.login("quantri.toaan").await;
    let cum_ii = id(
        &app,
        "SELECT id FROM clusters WHERE name = 'Cụm thi đua số II'",
    )
    .await
    .to_string();
    let name = "Đợt thi đua “Chung tay cải cách hành chính tư pháp”";
    // No cluster, no end date for a periodic one: refused with reasons.
    let r = admin
        .submit(
            "/movements/new",
            "/movements/new",
            &[
                ("name", name),
                ("kind", "theo_dot"),
                ("starts_on", "01/03/2023"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Hãy chọn ít nhất một cụm"));
    assert!(r.body.contains("cần có ngày kết thúc"));
    let r = admin
        .submit(
            "/movements/new",
            "/movements/new",
            &[
                ("name", name),
                ("kind", "theo_dot"),
                ("starts_on", "01/03/2023"),
                ("ends_on", "30/06/2023"),
                (
                    "content",
                    "Thi đua rút ngắn thời gian giải quyết thủ tục hành chính tư pháp.",
                ),
                ("cluster", &cum_ii),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let movement = r.location().to_string();

    let member = app.login("canbo.laichau").await;
    let list = member.get("/movements").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains(name));
    assert!(list.body.contains("Phong trào thi đua “Vì công lý”"));
    assert_eq!(member.get(&movement).await.status, 200);
    // Not a leader of anything: cannot launch or edit.
    assert_eq!(member.get("/movements/new").await.status, 403);
    assert_eq!(member.get(&format!("{movement}/edit")).await.status, 403);

    let outsider = app.login("canbo.hocvien").await;
    let list = outsider.get("/movements").await;
    assert!(!list.body.contains(name));
    assert_eq!(outsider.get(&movement).await.status, 403);
    // …but as staff of Cụm VI's leader it launches for its own cluster only.
    assert_eq!(outsider.get("/movements/new").await.status, 200);
    let r = outsider
        .submit(
            "/movements/new",
            "/movements/new",
            &[
                ("name", "Phong trào của cụm khác"),
                ("kind", "thuong_xuyen"),
                ("starts_on", "01/01/2020"),
                ("cluster", &cum_ii),
            ],
        )
        .await;
    assert_eq!(r.status, 422);

    let foreign = app.login("quantri.langson").await;
    assert_eq!(foreign.get(&movement).await.status, 404);
    assert_eq!(foreign.get(&format!("{movement}/edit")).await.status, 404);
    assert!(!foreign.get("/movements").await.body.contains(name));
}

#[tokio::test]
async fn loading_the_demo_twice_changes_nothing() {
    let app = TestApp::start().await;
    let count = "SELECT (SELECT count(*) FROM award_types) + (SELECT count(*) FROM movements)
                      + (SELECT count(*) FROM movement_clusters) + (SELECT count(*) FROM pledges)
                      + (SELECT count(*) FROM pledge_items) + (SELECT count(*) FROM pledge_signatures)
                      + (SELECT count(*) FROM registrations) + (SELECT count(*) FROM registration_counts)
                      + (SELECT count(*) FROM registration_initiatives) + (SELECT count(*) FROM audit_log)";
    let before = id(&app, count).await;
    thidua::demo::load(&app.pool).await.unwrap();
    assert_eq!(id(&app, count).await, before);
    let locked = id(&app, "SELECT count(*) FROM pledges WHERE state = 'locked'").await;
    assert_eq!(locked, 3);
}
