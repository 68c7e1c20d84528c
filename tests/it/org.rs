//! Units, clusters, cluster years, people and the audit page, through the pages.

use crate::harness::{DEMO_PASSWORD, TestApp};

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

async fn unit_id(app: &TestApp, code: &str) -> i64 {
    id(app, &format!("SELECT id FROM units WHERE code = '{code}'")).await
}

fn id_from_location(loc: &str) -> i64 {
    let path = loc.split('?').next().unwrap();
    path.rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn an_admin_sets_up_a_cluster_year_from_nothing_and_starts_the_next_in_one_step() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;

    let r = c
        .submit(
            "/clusters/new",
            "/clusters/new",
            &[
                ("name", "Khối thi đua các cơ quan tư pháp"),
                ("kind", "khoi"),
                ("decision_number", "1234/QĐ-UBND"),
                ("decision_date", "15/01/2025"),
                ("decision_issuer", "Chủ tịch Ủy ban nhân dân tỉnh"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let cluster = id_from_location(r.location());
    let page = c.get(&format!("/clusters/{cluster}")).await;
    assert!(
        page.body.contains(
            "Quyết định số 1234/QĐ-UBND ngày 15/01/2025 của Chủ tịch Ủy ban nhân dân tỉnh"
        )
    );

    let r = c
        .submit(
            &format!("/clusters/{cluster}"),
            &format!("/clusters/{cluster}/years"),
            &[("year", "2025")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let year = id_from_location(r.location());
    let (tand, vks, ca) = (
        unit_id(&app, "tand-ls").await,
        unit_id(&app, "vks-ls").await,
        unit_id(&app, "ca-ls").await,
    );
    // Three units ticked in one form (issue 17, item 10); none ticked is refused with a word.
    let r = c
        .submit(
            &format!("/years/{year}"),
            &format!("/years/{year}/members"),
            &[],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Hãy đánh dấu ít nhất một đơn vị để thêm."));
    let (t, v, a) = (tand.to_string(), vks.to_string(), ca.to_string());
    let r = c
        .submit(
            &format!("/years/{year}"),
            &format!("/years/{year}/members"),
            &[("unit_id", &t), ("unit_id", &v), ("unit_id", &a)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        id(
            &app,
            &format!("SELECT count(*) FROM cluster_members WHERE cluster_year_id = {year}")
        )
        .await,
        3
    );
    let r = c
        .submit(
            &format!("/years/{year}"),
            &format!("/years/{year}/roles"),
            &[("leader", &vks.to_string()), ("deputy", &tand.to_string())],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = c
        .submit(
            &format!("/years/{year}"),
            &format!("/years/{year}/phase"),
            &[("phase", "pledging")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = c.get(&format!("/years/{year}")).await;
    assert!(
        page.body
            .contains("Khối thi đua các cơ quan tư pháp — năm thi đua 2025")
    );
    assert!(page.body.contains("Ký giao ước"));

    // The next year in one step: members copied, leader and deputy left to choose.
    let r = c
        .submit(
            &format!("/years/{year}"),
            &format!("/years/{year}/next"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    let next = id_from_location(r.location());
    assert_ne!(next, year);
    let page = c.get(&format!("/years/{next}")).await;
    assert!(page.body.contains("năm thi đua 2026"));
    let members = id(
        &app,
        &format!("SELECT count(*) FROM cluster_members WHERE cluster_year_id = {next}"),
    )
    .await;
    assert_eq!(members, 3);
    let leader: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT leader_unit_id FROM cluster_years WHERE id = {next}"
    ))
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(leader, None);

    // Every step is in the audit trail, readable.
    let audit = c.get("/audit?entity=cluster_year").await;
    assert!(audit.body.contains("Chọn cụm trưởng, cụm phó"));
    assert!(audit.body.contains("Viện kiểm sát nhân dân tỉnh Lạng Sơn"));
    assert!(audit.body.contains("Thêm đơn vị thành viên"));
    assert!(audit.body.contains("Chuyển giai đoạn"));
    let audit = c.get("/audit?entity=cluster").await;
    assert!(audit.body.contains("Khối thi đua các cơ quan tư pháp"));
}

#[tokio::test]
async fn a_unit_is_in_one_cluster_of_a_kind_per_year_and_roles_must_be_members() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let r = c
        .submit(
            "/clusters/new",
            "/clusters/new",
            &[("name", "Cụm thi đua thử"), ("kind", "cum")],
        )
        .await;
    let cluster = id_from_location(r.location());
    let r = c
        .submit(
            &format!("/clusters/{cluster}"),
            &format!("/clusters/{cluster}/years"),
            &[("year", "2024")],
        )
        .await;
    let year = id_from_location(r.location());
    // tand-ls is in the Nội chính cluster (a cụm) in 2024 already.
    let tand = unit_id(&app, "tand-ls").await;
    let r = c
        .submit(
            &format!("/years/{year}"),
            &format!("/years/{year}/members"),
            &[("unit_id", &tand.to_string())],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(
            "Tòa án nhân dân tỉnh Lạng Sơn đã thuộc Cụm thi đua các cơ quan Nội chính tỉnh năm 2024"
        ),
        "{}",
        r.body
    );
    // The same year's khối is another matter.
    let r = c
        .submit(
            "/clusters/new",
            "/clusters/new",
            &[("name", "Khối thử"), ("kind", "khoi")],
        )
        .await;
    let khoi = id_from_location(r.location());
    let r = c
        .submit(
            &format!("/clusters/{khoi}"),
            &format!("/clusters/{khoi}/years"),
            &[("year", "2024")],
        )
        .await;
    let khoi_year = id_from_location(r.location());
    let r = c
        .submit(
            &format!("/years/{khoi_year}"),
            &format!("/years/{khoi_year}/members"),
            &[("unit_id", &tand.to_string())],
        )
        .await;
    assert_eq!(r.status, 303);

    // Leader and deputy: members, and two different units.
    let vks = unit_id(&app, "vks-ls").await;
    let r = c
        .submit(
            &format!("/years/{khoi_year}"),
            &format!("/years/{khoi_year}/roles"),
            &[("leader", &tand.to_string()), ("deputy", &tand.to_string())],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Cụm trưởng và cụm phó phải là hai đơn vị khác nhau.")
    );
    let r = c
        .submit(
            &format!("/years/{khoi_year}"),
            &format!("/years/{khoi_year}/roles"),
            &[("leader", &vks.to_string())],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Cụm trưởng phải là đơn vị thành viên"));
    // A year that exists already is refused, with the cluster page and the input kept.
    let r = c
        .submit(
            &format!("/clusters/{khoi}"),
            &format!("/clusters/{khoi}/years"),
            &[("year", "2024")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Khối thử đã có năm thi đua 2024."));
    assert!(r.body.contains("value=\"2024\""));
    // The leader cannot be removed while leading.
    c.submit(
        &format!("/years/{khoi_year}"),
        &format!("/years/{khoi_year}/roles"),
        &[("leader", &tand.to_string())],
    )
    .await;
    let r = c
        .submit(
            &format!("/years/{khoi_year}"),
            &format!("/years/{khoi_year}/members/remove"),
            &[("unit_id", &tand.to_string())],
        )
        .await;
    assert_eq!(r.status, 422);
    // And the database holds these rules even if a page forgot them.
    let mut tx = thidua::db::tenant_tx(
        &app.pool,
        id(&app, "SELECT id FROM tenants WHERE code = 'langson'").await,
    )
    .await
    .unwrap();
    let r = sqlx::query(&format!(
        "UPDATE cluster_years SET deputy_unit_id = {vks} WHERE id = {khoi_year}"
    ))
    .execute(&mut *tx)
    .await;
    let commit = match r {
        Ok(_) => tx.commit().await.map(|_| ()),
        Err(e) => Err(e),
    };
    assert!(
        commit.is_err(),
        "a deputy who is not a member is refused by the database"
    );
}

#[tokio::test]
async fn leader_powers_follow_the_year() {
    let app = TestApp::start().await;
    let year = |y: i32| {
        format!(
            "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.year = {y}"
        )
    };
    let (y2023, y2024) = (id(&app, &year(2023)).await, id(&app, &year(2024)).await);
    let tand = app.login("canbo.tand-ls").await;
    assert!(
        tand.get(&format!("/years/{y2023}"))
            .await
            .body
            .contains("Đơn vị của bạn là cụm trưởng năm này.")
    );
    assert!(
        tand.get(&format!("/years/{y2024}"))
            .await
            .body
            .contains("Đơn vị của bạn là thành viên năm này.")
    );
    let thads = app.login("thutruong.thads-ls").await;
    assert!(
        thads
            .get(&format!("/years/{y2023}"))
            .await
            .body
            .contains("cụm phó năm này")
    );
    assert!(
        thads
            .get(&format!("/years/{y2024}"))
            .await
            .body
            .contains("cụm trưởng năm này")
    );
    // Members see the year read-only: no forms that change it.
    let page = tand.get(&format!("/years/{y2024}")).await;
    assert!(!page.body.contains("/roles\""));
    assert!(!page.body.contains("Thêm vào cụm"));
    // The unit's own page shows its clusters over the years.
    let tand_id = unit_id(&app, "tand-ls").await;
    let page = tand.get(&format!("/units/{tand_id}")).await;
    assert!(page.body.contains("Cụm thi đua các cơ quan Nội chính tỉnh"));
    assert!(page.body.contains("2023") && page.body.contains("2024"));
}

#[tokio::test]
async fn units_are_created_checked_edited_deactivated_and_found_without_diacritics() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    // Bad input: messages beside the fields, what was typed is kept.
    let r = c
        .submit(
            "/units/new",
            "/units/new",
            &[
                ("code", "Sở Tư pháp"),
                ("name", ""),
                ("short_name", "STP"),
                ("email", "khong-phai-email"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Hãy nhập tên đơn vị."));
    assert!(r.body.contains("Mã đơn vị chỉ gồm chữ a-z không dấu"));
    assert!(r.body.contains("Địa chỉ thư điện tử không hợp lệ."));
    assert!(r.body.contains("value=\"STP\""));
    // A code in use.
    let r = c
        .submit(
            "/units/new",
            "/units/new",
            &[("code", "ca-ls"), ("name", "Đơn vị trùng mã")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Mã đơn vị này đã được dùng"));

    let r = c
        .submit(
            "/units/new",
            "/units/new",
            &[
                ("code", "stp-ls"),
                ("name", "Sở Tư pháp tỉnh Lạng Sơn"),
                ("kind", "Tư pháp"),
                ("place_name", "Lạng Sơn"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let stp = id_from_location(r.location());
    let r = c
        .submit(
            &format!("/units/{stp}/edit"),
            &format!("/units/{stp}/edit"),
            &[
                ("code", "stp-ls"),
                ("name", "Sở Tư pháp tỉnh Lạng Sơn"),
                ("kind", "Tư pháp"),
                ("place_name", "Lạng Sơn"),
                ("head_title", "Giám đốc"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    // The page after saving says so (issue 17, item 11).
    let shown = c.get(r.location()).await;
    assert!(
        shown.body.contains(
            "<p class=\"notice\" role=\"status\">Đã lưu thông tin đơn vị Sở Tư pháp tỉnh Lạng Sơn."
        ),
        "{}",
        shown.body
    );
    assert!(
        !c.get(&format!("/units/{stp}"))
            .await
            .body
            .contains("Đã lưu thông tin")
    );
    let audit = c.get("/audit?entity=unit").await;
    assert!(audit.body.contains("Chức vụ thủ trưởng:"));
    assert!(audit.body.contains("<ins>Giám đốc</ins>"));

    // Diacritic-blind search.
    for q in ["lang son", "LẠNG SƠN", "tu phap"] {
        let page = c
            .get(&format!("/units?q={}", thidua::web::url_encode(q)))
            .await;
        assert!(page.body.contains("Sở Tư pháp tỉnh Lạng Sơn"), "search {q}");
    }
    let page = c.get("/units?q=cong%20an").await;
    assert!(page.body.contains("Công an tỉnh Lạng Sơn"));
    assert!(!page.body.contains("Sở Tư pháp"));

    // Deactivated, never deleted.
    let r = c
        .submit(
            &format!("/units/{stp}"),
            &format!("/units/{stp}/active"),
            &[("active", "false")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = c.get(&format!("/units/{stp}")).await;
    assert!(page.body.contains("Đơn vị đã ngừng hoạt động"));
    assert_eq!(
        id(
            &app,
            &format!("SELECT count(*) FROM units WHERE id = {stp}")
        )
        .await,
        1
    );
}

#[tokio::test]
async fn the_unit_list_pages_in_vietnamese_order() {
    let app = TestApp::start().await;
    let tenant = id(&app, "SELECT id FROM tenants WHERE code = 'langson'").await;
    sqlx::query(
        "INSERT INTO units (tenant_id, code, name) SELECT $1, 'u' || g, 'Đơn vị số ' || lpad(g::text, 3, '0') FROM generate_series(1, 60) g",
    )
    .bind(tenant)
    .execute(&app.owner)
    .await
    .unwrap();
    let c = app.login("quantri.langson").await;
    let first = c.get("/units").await;
    assert!(first.body.contains("67 đơn vị"));
    assert!(first.body.contains("Trang 1 / 2"));
    // Vietnamese order (o < ô < u, d < đ < e), not code-point order, which would put every
    // "Đ" after "V": "Bộ" < "Công" < "Cục" < "Đơn" < "Tiểu" < "Tòa" < "Viện".
    let pos = |s: &str| first.body.find(s).unwrap_or(usize::MAX);
    assert!(pos("Bộ Chỉ huy Bộ đội Biên phòng") < pos("Công an tỉnh"));
    assert!(pos("Công an tỉnh") < pos("Cục Thi hành án"));
    assert!(pos("Cục Thi hành án") < pos("Đơn vị số 001"));
    let second = c.get("/units?page=2").await;
    assert!(second.body.contains("Trang 2 / 2"));
    assert!(second.body.contains("Viện kiểm sát nhân dân tỉnh Lạng Sơn"));
    // A page past the end (an old link after units were removed) shows the last one, with the
    // count, and so does a search's.
    let past = c.get("/units?page=9").await;
    assert!(past.body.contains("Trang 2 / 2"), "{}", past.body);
    assert!(past.body.contains("67 đơn vị"));
    assert!(past.body.contains("Viện kiểm sát nhân dân tỉnh Lạng Sơn"));
    let past = c.get("/units?q=don%20vi%20so&page=9").await;
    assert!(past.body.contains("Trang 2 / 2"), "{}", past.body);
    assert!(past.body.contains("Đơn vị số 060"));
}

#[tokio::test]
async fn staff_create_accounts_reset_and_disable_them() {
    let app = TestApp::start().await;
    let admin = app.login("quantri.langson").await;
    let ca = unit_id(&app, "ca-ls").await.to_string();
    // Bad input keeps what was typed.
    let r = admin
        .submit(
            "/users/new",
            "/users/new",
            &[
                ("full_name", "Hoàng Thị Mai"),
                ("username", "canbo.ca-ls"),
                ("role", "unit_officer"),
                ("unit_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Tên đăng nhập này đã được dùng"));
    assert!(
        r.body
            .contains("Thủ trưởng và cán bộ thi đua phải thuộc một đơn vị.")
    );
    assert!(r.body.contains("value=\"Hoàng Thị Mai\""));
    let r = admin
        .submit(
            "/users/new",
            "/users/new",
            &[
                ("full_name", "Hoàng Thị Mai"),
                ("username", "hoang.thi.mai"),
                ("role", "unit_officer"),
                ("unit_id", &ca),
            ],
        )
        .await;
    assert_eq!(r.status, 200);
    let otp = {
        let start = r.body.find("id=\"otp\">").unwrap() + "id=\"otp\">".len();
        r.body[start..start + 12].to_string()
    };
    let mai = app.client();
    assert_eq!(
        mai.login("hoang.thi.mai", &otp).await.location(),
        "/password"
    );

    // A reset gives a new one-time password and ends the old sessions.
    let officer = app.login("canbo.vks-ls").await;
    let vks_officer = id(&app, "SELECT id FROM users WHERE username = 'canbo.vks-ls'").await;
    let r = admin
        .submit("/users", &format!("/users/{vks_officer}/reset"), &[])
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Mật khẩu dùng một lần"));
    assert_eq!(officer.get("/").await.status, 303);
    assert_eq!(
        app.client()
            .login("canbo.vks-ls", DEMO_PASSWORD)
            .await
            .status,
        401
    );

    // Disabling ends sessions at once.
    let head = app.login("thutruong.vks-ls").await;
    let head_id = id(
        &app,
        "SELECT id FROM users WHERE username = 'thutruong.vks-ls'",
    )
    .await;
    let r = admin
        .submit(
            "/users",
            &format!("/users/{head_id}/disabled"),
            &[("disabled", "true")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(head.get("/").await.status, 303);
    let list = admin.get("/users?q=vks").await;
    assert!(list.body.contains("Đã khóa"));
    // Staff cannot lock themselves out.
    let me = id(
        &app,
        "SELECT id FROM users WHERE username = 'quantri.langson'",
    )
    .await;
    assert_eq!(
        admin
            .submit(
                "/users",
                &format!("/users/{me}/disabled"),
                &[("disabled", "true")]
            )
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn the_audit_page_filters_by_person_entity_and_dates() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let tand = unit_id(&app, "tand-ls").await;
    let form = [
        ("code", "tand-ls"),
        ("name", "Tòa án nhân dân tỉnh Lạng Sơn"),
        ("short_name", "TAND tỉnh"),
        ("place_name", "Lạng Sơn"),
        ("head_name", "Nguyễn Thị Lan"),
        ("head_title", "Phó Chánh án phụ trách"),
    ];
    assert_eq!(
        c.submit(
            &format!("/units/{tand}/edit"),
            &format!("/units/{tand}/edit"),
            &form
        )
        .await
        .status,
        303
    );
    let by_me = c.get("/audit?actor=quantri.langson").await;
    assert!(by_me.body.contains("Nguyễn Thị Lan"));
    assert!(by_me.body.contains("1 thay đổi."));
    let demo_only = c
        .get(&format!(
            "/audit?actor={}",
            thidua::web::url_encode("dòng lệnh (demo)")
        ))
        .await;
    assert!(!demo_only.body.contains("Nguyễn Thị Lan"));
    let today = chrono::Utc::now()
        .with_timezone(&thidua::web::vn::vn_offset())
        .format("%d/%m/%Y")
        .to_string();
    let r = c
        .get(&format!("/audit?from={today}&to={today}&entity=unit"))
        .await;
    assert!(r.body.contains("Nguyễn Thị Lan"));
    let r = c.get("/audit?from=01/01/2001&to=31/12/2001").await;
    assert!(r.body.contains("0 thay đổi."));
    let r = c.get("/audit?from=hôm%20qua").await;
    assert!(r.body.contains("Ngày không hợp lệ"));
    // Other tenants' changes never appear.
    let toaan = app.login("quantri.toaan").await;
    assert!(!toaan.get("/audit").await.body.contains("Nguyễn Thị Lan"));
}

/// Issue 17, item 5: each step of the work moves the year's phase in the step's transaction,
/// forward only; a council correction holds until a step of a later phase is taken.
#[tokio::test]
async fn the_phase_follows_the_work_and_a_correction_holds() {
    let app = TestApp::start().await;
    let phase = |y: i64| {
        let app = &app;
        async move {
            sqlx::query_scalar::<_, String>(&format!(
                "SELECT phase FROM cluster_years WHERE id = {y}"
            ))
            .fetch_one(&app.owner)
            .await
            .unwrap()
        }
    };
    let exec = |sql: String| {
        let app = &app;
        async move {
            sqlx::query(&sql).execute(&app.owner).await.unwrap();
        }
    };
    let y = id(
        &app,
        "INSERT INTO cluster_years (tenant_id, cluster_id, year)
         SELECT tenant_id, id, 2030 FROM clusters WHERE name = 'Cụm thi đua số VI' RETURNING id",
    )
    .await;
    let unit = unit_id(&app, "tapchi").await;
    exec(format!(
        "INSERT INTO cluster_members (tenant_id, cluster_year_id, unit_id, kind, year)
                  SELECT tenant_id, {y}, {unit}, 'cum', 2030 FROM units WHERE id = {unit}"
    ))
    .await;
    assert_eq!(phase(y).await, "setup");
    exec(format!("INSERT INTO pledges (tenant_id, cluster_year_id) SELECT tenant_id, {y} FROM cluster_years WHERE id = {y}")).await;
    assert_eq!(
        phase(y).await,
        "setup",
        "a draft pledge is still setting up"
    );
    exec(format!(
        "UPDATE pledges SET state = 'open', opened_at = now() WHERE cluster_year_id = {y}"
    ))
    .await;
    assert_eq!(phase(y).await, "pledging");
    exec(format!(
        "UPDATE pledges SET state = 'locked', locked_at = now() WHERE cluster_year_id = {y}"
    ))
    .await;
    assert_eq!(phase(y).await, "under_way");
    exec(format!(
        "INSERT INTO scoresheets (tenant_id, cluster_year_id, unit_id)
                  SELECT tenant_id, {y}, {unit} FROM cluster_years WHERE id = {y}"
    ))
    .await;
    assert_eq!(
        phase(y).await,
        "under_way",
        "a draft sheet is no submission"
    );
    exec(format!("UPDATE scoresheets SET status = 'submitted', submitted_at = now() WHERE cluster_year_id = {y}")).await;
    assert_eq!(phase(y).await, "scoring");
    let vote = id(&app, &format!("INSERT INTO votes (tenant_id, cluster_year_id, kind, title)
                  SELECT tenant_id, {y}, 'award', 'Bình xét năm 2030' FROM cluster_years WHERE id = {y} RETURNING id")).await;
    assert_eq!(phase(y).await, "scoring", "a draft vote is no vote");
    exec(format!(
        "UPDATE votes SET state = 'open', opened_at = now() WHERE id = {vote}"
    ))
    .await;
    assert_eq!(phase(y).await, "voting");
    let moved_by_work = id(
        &app,
        &format!(
            "SELECT count(*) FROM audit_log WHERE entity = 'cluster_year' AND entity_id = '{y}'
                   AND action = 'phase_set' AND actor = 'thidua (theo công việc)'"
        ),
    )
    .await;
    assert_eq!(moved_by_work, 4, "one audit row per move");

    // The council corrects the year back to scoring: closing the vote, or a sheet submitted
    // again, does not undo the correction; a new vote opening does move it on.
    let admin = app.login("quantri.toaan").await;
    let r = admin
        .submit(
            &format!("/years/{y}"),
            &format!("/years/{y}/phase"),
            &[("phase", "scoring")],
        )
        .await;
    assert_eq!(r.status, 303);
    exec(format!(
        "UPDATE votes SET state = 'closed', closed_at = now() WHERE id = {vote}"
    ))
    .await;
    exec(format!(
        "UPDATE scoresheets SET status = 'returned' WHERE cluster_year_id = {y}"
    ))
    .await;
    exec(format!(
        "UPDATE scoresheets SET status = 'submitted' WHERE cluster_year_id = {y}"
    ))
    .await;
    assert_eq!(phase(y).await, "scoring", "the correction holds");
    let page = admin.get(&format!("/years/{y}")).await;
    assert!(
        page.body.contains("Hội đồng TĐKT chọn giai đoạn"),
        "{}",
        page.body
    );
    exec(format!(
        "INSERT INTO votes (tenant_id, cluster_year_id, kind, title, state, opened_at)
                  SELECT tenant_id, {y}, 'election', 'Bầu cụm trưởng năm 2031', 'open', now()
                    FROM cluster_years WHERE id = {y}"
    ))
    .await;
    assert_eq!(phase(y).await, "voting");

    // The demo's dossier of Cụm VI 2019: sent, then decided by the council.
    let y2019 = id(
        &app,
        "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
                          WHERE c.name = 'Cụm thi đua số VI' AND y.year = 2019",
    )
    .await;
    assert_eq!(
        phase(y2019).await,
        "proposals",
        "a dossier was sent: {}",
        phase(y2019).await
    );
    exec(format!(
        "UPDATE proposals SET state = 'decided' WHERE cluster_year_id = {y2019}"
    ))
    .await;
    assert_eq!(phase(y2019).await, "closed");

    // The leader moves a year one step on, not further, and never closes it.
    let leader = app.login("canbo.hocvien").await;
    let y2020 = id(
        &app,
        "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
                          WHERE c.name = 'Cụm thi đua số VI' AND y.year = 2020",
    )
    .await;
    let now = phase(y2020).await;
    let r = leader
        .submit(
            &format!("/years/{y2020}"),
            &format!("/years/{y2020}/phase"),
            &[("phase", "closed")],
        )
        .await;
    assert_eq!(r.status, 422, "{now}");
    assert!(
        r.body
            .contains("Cụm trưởng chỉ chuyển được sang giai đoạn kế tiếp")
    );
    assert_eq!(phase(y2020).await, now);
}
