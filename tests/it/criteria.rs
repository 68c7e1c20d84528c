//! The criteria table builder, its Excel import and export.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::Workbook;
use thidua::audit::Actor;
use thidua::scoring::criteria::demo;
use thidua::scoring::criteria::model::Draft;
use thidua::scoring::model::SectionKind;
use thidua::scoring::tables;

use crate::harness::{Client, Resp, TestApp};

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

async fn tenant(app: &TestApp, code: &str) -> i64 {
    id(
        app,
        &format!("SELECT id FROM tenants WHERE code = '{code}'"),
    )
    .await
}

/// The id in a redirect to /criteria/{id}, /criteria/{id}#… or /criteria/{id}?….
fn id_from_location(loc: &str) -> i64 {
    let path = loc.split(['#', '?']).next().unwrap();
    path.rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no id in {loc}"))
}

/// A table as stored, without ids.
async fn draft(app: &TestApp, tenant_id: i64, table: i64) -> Draft {
    let mut tx = thidua::db::tenant_tx(&app.pool, tenant_id).await.unwrap();
    let full = tables::load_full(&mut tx, table)
        .await
        .unwrap()
        .expect("table");
    Draft::from_full(&full)
}

/// The demo table in a tenant's library, loaded as the demo loader does.
async fn demo_table(app: &TestApp, code: &str) -> i64 {
    let t = tenant(app, code).await;
    let mut tx = thidua::db::tenant_tx(&app.owner, t).await.unwrap();
    let id = demo::load(&mut tx, &Actor::cli(t, "test")).await.unwrap();
    tx.commit().await.unwrap();
    id
}

/// A reqwest client sharing the test client's cookies, not following redirects.
fn raw(c: &Client) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_provider(c.jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn download(c: &Client, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let r = raw(c)
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.bytes().await.unwrap().to_vec())
}

/// Uploads as the browser's form does: multipart, the token field first, then field `file`.
async fn upload(c: &Client, file_name: &str, bytes: Vec<u8>) -> Resp {
    let token = c.get("/").await.csrf();
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(file_name.to_string())
        .mime_str("application/octet-stream")
        .unwrap();
    let r = raw(c)
        .post(format!("{}/criteria/import", c.base))
        .multipart(
            reqwest::multipart::Form::new()
                .text("csrf", token)
                .part("file", part),
        )
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.text().await.unwrap();
    Resp {
        status,
        headers,
        body,
    }
}

/// A workbook of text cells, sheet by sheet, as a user fills one in.
fn workbook(sheets: &[(&str, Vec<Vec<&str>>)]) -> Vec<u8> {
    let mut b = Workbook::new();
    for (name, rows) in sheets {
        let ws = b.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, *v).unwrap();
                }
            }
        }
    }
    b.save_to_buffer().unwrap()
}

async fn audit_rows(app: &TestApp, table: i64) -> i64 {
    id(
        app,
        &format!("SELECT count(*) FROM audit_log WHERE entity = 'criteria_table' AND entity_id = '{table}'"),
    )
    .await
}

#[tokio::test]
async fn an_admin_builds_a_table_through_the_pages_and_sees_its_totals() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let home = c.get("/").await;
    assert!(
        home.body.contains("href=\"/criteria\""),
        "the menu offers the criteria tables"
    );

    let r = c
        .submit(
            "/criteria/new",
            "/criteria/new",
            &[
                ("name", "Bảng tiêu chí năm 2025 của Cụm Nội chính"),
                ("description", "Theo Quy chế hoạt động của Cụm"),
                ("bonus_cap", "3"),
                ("penalty_cap", "2,5"),
                ("tie_break_codes", "II, I"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let table = id_from_location(r.location());
    let page = format!("/criteria/{table}");

    let mut sections = std::collections::HashMap::new();
    for (code, title, kind) in [
        (
            "I",
            "Công tác chỉ đạo, tổ chức phong trào thi đua",
            "standard",
        ),
        (
            "II",
            "Kết quả thực hiện nhiệm vụ chính trị, chuyên môn",
            "standard",
        ),
        ("III", "Điểm thưởng", "bonus"),
        ("IV", "Điểm trừ", "penalty"),
    ] {
        let r = c
            .submit(
                &page,
                &format!("{page}/sections"),
                &[("code", code), ("title", title), ("kind", kind)],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let sid: i64 = r
            .location()
            .rsplit("#section-")
            .next()
            .unwrap()
            .parse()
            .unwrap();
        sections.insert(code, sid.to_string());
    }
    for (section, code, text, max, step, evidence, guidance) in [
        (
            "I",
            "1.1",
            "Ban hành kế hoạch, phát động phong trào thi đua",
            "4",
            "0,5",
            true,
            "Trước 31/3: 4 điểm",
        ),
        (
            "I",
            "1.2",
            "Sơ kết, tổng kết phong trào",
            "6",
            "",
            false,
            "",
        ),
        (
            "II",
            "2.1",
            "Hoàn thành chỉ tiêu chuyên môn",
            "90",
            "1",
            true,
            "",
        ),
        ("III", "3.1", "Sáng kiến được công nhận", "2", "", false, ""),
        ("III", "3.2", "Khen thưởng đột xuất", "2", "", false, ""),
        ("IV", "4.1", "Vi phạm kỷ luật", "1", "0.5", false, ""),
    ] {
        let mut fields = vec![
            ("section_id", sections[section].as_str()),
            ("code", code),
            ("text", text),
            ("max_points", max),
            ("step", step),
            ("guidance", guidance),
        ];
        if evidence {
            fields.push(("evidence_required", "on"));
        }
        let r = c.submit(&page, &format!("{page}/criteria"), &fields).await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert!(r.location().contains("#criterion-"));
    }
    let r = c
        .submit(
            &page,
            &format!("{page}/bands"),
            &[
                ("name_0", "Xuất sắc"),
                ("min_0", "95"),
                ("no_zero_0", "on"),
                ("name_1", "Tốt"),
                ("min_1", "85"),
                ("no_zero_1", "on"),
                ("name_2", "Hoàn thành nhiệm vụ"),
                ("min_2", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    // The table as it will be scored: totals per section, 100 points, caps, bands.
    let p = c.get(&page).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("100 điểm"), "{}", p.body);
    assert!(
        p.body
            .contains("100 điểm (tổng của 3 tiêu chí chấm điểm; bảng có 6 tiêu chí"),
        "the count is of the criteria that make the 100 (issue 17, item 11)"
    );
    assert!(
        p.body.contains("<th class=\"num\">10</th>"),
        "section I totals 10"
    );
    assert!(
        p.body.contains("<th class=\"num\">90</th>"),
        "section II totals 90"
    );
    assert!(
        p.body
            .contains("tối đa 3 điểm (các tiêu chí thưởng cộng lại 4 điểm)")
    );
    assert!(p.body.contains("tối đa 2,5 điểm"));
    assert!(p.body.contains("Điểm thưởng</span>") || p.body.contains("· Điểm thưởng"));
    assert!(p.body.contains("Không có tiêu chí nào 0 điểm"));
    assert!(p.body.contains("so sánh lần lượt điểm các phần II, I"));
    assert!(
        !p.body.contains("Cần xem lại"),
        "a complete table has nothing to review"
    );
    let t = tenant(&app, "langson").await;
    let d = draft(&app, t, table).await;
    assert_eq!(d.sum_of(SectionKind::Standard), "100".parse().unwrap());
    assert_eq!(d.sections[0].criteria[0].step, "0.5".parse().unwrap());
    assert!(d.sections[0].criteria[0].evidence_required);
    assert_eq!(d.sections[1].criteria[0].step, "1".parse().unwrap());
    assert_eq!(d.bands.len(), 3);
    assert_eq!(d.penalty_cap, "2.5".parse().unwrap());

    // The library lists it with its figures.
    let list = c.get("/criteria").await;
    assert!(
        list.body
            .contains("Bảng tiêu chí năm 2025 của Cụm Nội chính")
    );
    assert!(list.body.contains("<td class=\"num\">6</td>"), "6 criteria");
    assert!(list.body.contains("Dùng được"));

    // Edits: a section's code (the tie-break list follows), a criterion, a deletion.
    let r = c
        .submit(
            &page,
            &format!("{page}/sections/{}/edit", sections["II"]),
            &[
                ("code", "B"),
                ("title", "Kết quả thực hiện nhiệm vụ"),
                ("kind", "standard"),
                ("position", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let d = draft(&app, t, table).await;
    assert_eq!(d.tie_break_codes, vec!["B".to_string(), "I".into()]);
    let c12 = id(
        &app,
        &format!("SELECT id FROM criteria WHERE table_id = {table} AND code = '1.2'"),
    )
    .await;
    let r = c
        .submit(
            &page,
            &format!("{page}/criteria/{c12}/edit"),
            &[
                ("section_id", sections["I"].as_str()),
                ("code", "1.2"),
                ("text", "Sơ kết 6 tháng, tổng kết năm"),
                ("max_points", "6"),
                ("step", "0,5"),
                ("guidance", "Đủ hai báo cáo: 6 điểm"),
                ("evidence_required", "on"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let c41 = id(
        &app,
        &format!("SELECT id FROM criteria WHERE table_id = {table} AND code = '4.1'"),
    )
    .await;
    let r = c
        .submit(&page, &format!("{page}/criteria/{c41}/delete"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let d = draft(&app, t, table).await;
    assert_eq!(
        d.sections[0].criteria[1].text,
        "Sơ kết 6 tháng, tổng kết năm"
    );
    assert!(d.sections[0].criteria[1].evidence_required);
    assert!(d.sections[3].criteria.is_empty());
    let p = c.get(&page).await;
    assert!(
        p.body.contains("Phần IV chưa có tiêu chí nào."),
        "an empty section is reported, not refused"
    );

    // Every change is in the audit trail.
    assert_eq!(audit_rows(&app, table).await, 1 + 4 + 6 + 1 + 3);

    // Saving what is already there changes nothing and writes no audit row.
    let section_i = sections["I"].clone();
    let unchanged: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("{page}/edit"),
            vec![
                ("name", "Bảng tiêu chí năm 2025 của Cụm Nội chính"),
                ("description", "Theo Quy chế hoạt động của Cụm"),
                ("bonus_cap", "3,00"),
                ("penalty_cap", "2.5"),
                ("tie_break_codes", "B,I"),
            ],
        ),
        (
            format!("{page}/criteria/{c12}/edit"),
            vec![
                ("section_id", section_i.as_str()),
                ("code", "1.2"),
                ("text", "Sơ kết 6 tháng, tổng kết năm"),
                ("max_points", "6,0"),
                ("step", "0.5"),
                ("guidance", "Đủ hai báo cáo: 6 điểm"),
                ("evidence_required", "on"),
            ],
        ),
        (
            format!("{page}/bands"),
            vec![
                ("name_0", "Xuất sắc"),
                ("min_0", "95"),
                ("no_zero_0", "on"),
                ("name_1", "Tốt"),
                ("min_1", "85"),
                ("no_zero_1", "on"),
                ("name_2", "Hoàn thành nhiệm vụ"),
                ("min_2", "0"),
            ],
        ),
    ];
    for (path, fields) in unchanged {
        let r = c.submit(&page, &path, &fields).await;
        assert_eq!(r.status, 303, "{path}: {}", r.body);
    }
    assert_eq!(audit_rows(&app, table).await, 1 + 4 + 6 + 1 + 3);

    // A copy under a new name has the same content.
    let r = c
        .submit(
            &page,
            &format!("{page}/copy"),
            &[("name", "Bảng tiêu chí năm 2026")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let copy = id_from_location(r.location());
    assert_ne!(copy, table);
    let mut copied = draft(&app, t, copy).await;
    assert_eq!(copied.name, "Bảng tiêu chí năm 2026");
    copied.name = d.name.clone();
    assert_eq!(copied, d);
    // …and a second table of the same name is refused.
    let r = c
        .submit(
            &page,
            &format!("{page}/copy"),
            &[("name", "bảng tiêu chí năm 2026 ")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Thư viện đã có bảng tiêu chí mang tên này"));
}

#[tokio::test]
async fn bad_input_is_refused_with_the_message_beside_the_field_and_the_input_kept() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let table = demo_table(&app, "langson").await;
    let page = format!("/criteria/{table}");
    let section = id(
        &app,
        &format!("SELECT id FROM criteria_sections WHERE table_id = {table} AND code = 'I'"),
    )
    .await;
    let section = section.to_string();
    let before = id(&app, "SELECT count(*) FROM criteria").await;
    let audit_before = audit_rows(&app, table).await;

    let add = |code: &'static str, max: &'static str, step: &'static str| {
        vec![
            ("section_id", section.clone()),
            ("code", code.to_string()),
            ("text", "Tiêu chí thử nghiệm".to_string()),
            ("max_points", max.to_string()),
            ("step", step.to_string()),
        ]
    };
    for (fields, message, kept) in [
        (
            add("1.9", "abc", ""),
            "Hãy nhập một số",
            "id=\"nc-max_points\" name=\"max_points\" type=\"text\" value=\"abc\"",
        ),
        (
            add("1.9", "-2", ""),
            "Không được là số âm",
            "id=\"nc-max_points\" name=\"max_points\" type=\"text\" value=\"-2\"",
        ),
        (
            add("1.9", "2,25", "0,5"),
            "không chia hết cho bước điểm",
            "id=\"nc-step\" name=\"step\" type=\"text\" value=\"0,5\"",
        ),
        (
            add("1.1", "2", ""),
            "Mã “1.1” đã được dùng trong bảng này",
            "id=\"nc-code\" name=\"code\" type=\"text\" value=\"1.1\"",
        ),
        (
            add("II", "2", ""),
            "Mã “II” đã được dùng trong bảng này",
            "id=\"nc-code\" name=\"code\" type=\"text\" value=\"II\"",
        ),
    ] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = c.submit(&page, &format!("{page}/criteria"), &fields).await;
        assert_eq!(r.status, 422, "{message}");
        assert!(r.body.contains(message), "{message}: {}", r.body);
        assert!(r.body.contains(kept), "input kept: {kept}");
        assert!(
            r.body.contains(">Tiêu chí thử nghiệm</textarea>"),
            "the text is kept too"
        );
        assert!(r.body.contains("aria-invalid=\"true\""));
    }
    // The message stands beside the field: the error paragraph names the field it belongs to.
    let r = c
        .submit(
            &page,
            &format!("{page}/criteria"),
            &[
                ("section_id", section.as_str()),
                ("code", "1.9"),
                ("text", "X"),
                ("max_points", "abc"),
            ],
        )
        .await;
    assert!(
        r.body
            .contains("<p class=\"error\" id=\"nc-max_points-error\">"),
        "{}",
        r.body
    );

    // Editing an existing criterion: the failed form opens again with what was typed.
    let c11 = id(
        &app,
        &format!("SELECT id FROM criteria WHERE table_id = {table} AND code = '1.1'"),
    )
    .await;
    let r = c
        .submit(
            &page,
            &format!("{page}/criteria/{c11}/edit"),
            &[
                ("section_id", section.as_str()),
                ("code", "1.2"),
                ("text", "Kế hoạch"),
                ("max_points", "3"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(&format!(
        "<p class=\"error\" id=\"criterion-{c11}-code-error\">Mã “1.2” đã được dùng"
    )));

    // Sections, the table's own fields, bands.
    let r = c
        .submit(
            &page,
            &format!("{page}/sections"),
            &[("code", "I"), ("title", "Trùng"), ("kind", "standard")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Mã “I” đã được dùng"));
    let r = c
        .submit(
            &page,
            &format!("{page}/sections"),
            &[("code", "V"), ("title", "Lạ"), ("kind", "other")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Hãy chọn loại phần"));
    let r = c
        .submit(
            &page,
            &format!("{page}/edit"),
            &[
                ("name", "Bảng"),
                ("bonus_cap", "-1"),
                ("penalty_cap", "ba"),
                ("tie_break_codes", "I, I"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("id=\"t-bonus_cap-error\">Không được là số âm")
    );
    assert!(
        r.body
            .contains("id=\"t-penalty_cap-error\">Hãy nhập một số")
    );
    assert!(r.body.contains("được ghi hai lần"));
    assert!(r.body.contains("value=\"ba\""));
    let r = c
        .submit(
            &page,
            &format!("{page}/bands"),
            &[
                ("name_0", "Xuất sắc"),
                ("min_0", "120"),
                ("name_1", "xuất sắc"),
                ("min_1", "90"),
                ("name_2", "Khá"),
                ("min_2", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Ngưỡng phải là số phần trăm từ 0 đến 100"));
    assert!(r.body.contains("Hãy nhập ngưỡng"));
    assert!(r.body.contains("value=\"120\""));
    let r = c
        .submit("/criteria/new", "/criteria/new", &[("name", demo::NAME)])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Thư viện đã có bảng tiêu chí mang tên này"));

    // Nothing was written.
    assert_eq!(id(&app, "SELECT count(*) FROM criteria").await, before);
    assert_eq!(audit_rows(&app, table).await, audit_before);
    assert_eq!(
        draft(&app, tenant(&app, "langson").await, table).await,
        demo::can_tho_2025()
    );
}

#[tokio::test]
async fn the_template_downloads_and_a_filled_in_copy_imports_as_a_table() {
    let app = TestApp::start().await;
    let c = app.login("quantri.toaan").await;
    let page = c.get("/criteria/import").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("action=\"/criteria/import\""));
    assert!(
        !page.body.contains("csrf="),
        "no token in a URL (issue 17, item 11)"
    );
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    assert!(
        page.body.contains("Minh chứng bắt buộc") && page.body.contains("Phân định khi bằng điểm")
    );

    let (status, headers, bytes) = download(&c, "/criteria/template.xlsx").await;
    assert_eq!(status, 200);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename=\"Mau-bang-tieu-chi-thi-dua.xlsx\"")
    );
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["Tiêu chí", "Xếp loại", "Thông tin"]
    );
    let range = book.worksheet_range("Tiêu chí").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(Data::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "Mã",
            "Nội dung",
            "Điểm tối đa",
            "Bước điểm",
            "Minh chứng bắt buộc",
            "Hướng dẫn chấm",
            "Loại"
        ]
    );
    // The template itself imports (its example rows make a small table).
    let r = upload(&c, "mau-bang-tieu-chi.xlsx", bytes).await;
    assert_eq!(r.status, 303, "{}", r.body);

    // Filled in by hand, with the headers of the template.
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let file = workbook(&[
        (
            "Tiêu chí",
            vec![
                header.clone(),
                vec![
                    "I",
                    "Công tác chỉ đạo, tổ chức phong trào thi đua",
                    "",
                    "",
                    "",
                    "",
                    "Chấm điểm",
                ],
                vec![
                    "1.1",
                    "Ban hành kế hoạch thi đua",
                    "5",
                    "0,5",
                    "x",
                    "Trước 31/3: 5 điểm",
                    "",
                ],
                vec![
                    "1.2",
                    "Tổ chức ký kết giao ước thi đua",
                    "5",
                    "1",
                    "",
                    "",
                    "",
                ],
                vec!["II", "Kết quả thực hiện nhiệm vụ", "", "", "", "", ""],
                vec![
                    "2.1",
                    "Giải quyết, xét xử các loại án",
                    "60",
                    "",
                    "có",
                    "Đạt chỉ tiêu: 60 điểm",
                    "",
                ],
                vec![
                    "2.2",
                    "Cải cách tư pháp, cải cách hành chính",
                    "30",
                    "0.5",
                    "",
                    "",
                    "",
                ],
                vec!["III", "Điểm thưởng", "", "", "", "", "Điểm thưởng"],
                vec!["3.1", "Sáng kiến được công nhận", "1,5", "0,5", "x", "", ""],
                vec!["IV", "Điểm trừ", "", "", "", "", "Điểm trừ"],
                vec!["4.1", "Bị kỷ luật", "2", "", "", "", ""],
            ],
        ),
        (
            "Xếp loại",
            vec![
                vec!["Xếp loại", "Từ (%)", "Không có tiêu chí 0 điểm"],
                vec!["Xuất sắc", "95", "x"],
                vec!["Tốt", "85", "x"],
                vec!["Hoàn thành nhiệm vụ", "0", ""],
            ],
        ),
        (
            "Thông tin",
            vec![
                vec!["Mục", "Giá trị"],
                vec!["Tên bảng", "Bảng tiêu chí Cụm thi đua số VI năm 2025"],
                vec!["Điểm thưởng tối đa", "1,5"],
                vec!["Điểm trừ tối đa", "2"],
                vec!["Phân định khi bằng điểm", "II, I"],
            ],
        ),
    ]);
    let r = upload(&c, "cum-vi-2025.xlsx", file).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.location().ends_with("?imported=1"));
    let table = id_from_location(r.location());
    let p = c.get(r.location()).await;
    assert!(
        p.body
            .contains("Đã nhập bảng tiêu chí từ tệp Excel: 4 phần, 6 tiêu chí, 3 mức xếp loại")
    );
    let d = draft(&app, tenant(&app, "toaan").await, table).await;
    assert_eq!(d.name, "Bảng tiêu chí Cụm thi đua số VI năm 2025");
    assert_eq!(d.bonus_cap, "1.5".parse().unwrap());
    assert_eq!(d.tie_break_codes, vec!["II".to_string(), "I".into()]);
    let kinds: Vec<SectionKind> = d.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Standard,
            SectionKind::Standard,
            SectionKind::Bonus,
            SectionKind::Penalty
        ]
    );
    let rows: Vec<(String, String, String, bool)> = d
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .map(|c| {
            (
                c.code.clone(),
                c.max_points.to_string(),
                c.step.normalize().to_string(),
                c.evidence_required,
            )
        })
        .collect();
    let expected = [
        ("1.1", "5", "0.5", true),
        ("1.2", "5", "1", false),
        ("2.1", "60", "0.5", true),
        ("2.2", "30", "0.5", false),
        ("3.1", "1.5", "0.5", true),
        ("4.1", "2", "0.5", false),
    ];
    let expected: Vec<(String, String, String, bool)> = expected
        .iter()
        .map(|(a, b, c, e)| (a.to_string(), b.to_string(), c.to_string(), *e))
        .collect();
    let rows: Vec<(String, String, String, bool)> = rows
        .into_iter()
        .map(|(a, b, c, e)| {
            (
                a,
                b.parse::<rust_decimal::Decimal>()
                    .unwrap()
                    .normalize()
                    .to_string(),
                c,
                e,
            )
        })
        .collect();
    assert_eq!(rows, expected);
    assert_eq!(d.sections[1].criteria[0].guidance, "Đạt chỉ tiêu: 60 điểm");
    assert_eq!(
        d.bands.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
        ["Xuất sắc", "Tốt", "Hoàn thành nhiệm vụ"]
    );
    assert_eq!(audit_rows(&app, table).await, 1);
    let action: String = sqlx::query_scalar(&format!(
        "SELECT action FROM audit_log WHERE entity = 'criteria_table' AND entity_id = '{table}'"
    ))
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(action, "imported");
}

#[tokio::test]
async fn export_then_import_gives_the_same_table() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let table = demo_table(&app, "langson").await;
    let (status, headers, bytes) = download(&c, &format!("/criteria/{table}/export.xlsx")).await;
    assert_eq!(status, 200);
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''B%E1%BA%A3ng%20ti%C3%AAu%20ch%C3%AD%20-%20"),
        "named by its title, not its id"
    );
    let r = upload(&c, "export.xlsx", bytes).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let back = id_from_location(r.location());
    assert_ne!(back, table);
    let t = tenant(&app, "langson").await;
    let original = draft(&app, t, table).await;
    let mut imported = draft(&app, t, back).await;
    assert_eq!(
        imported.name,
        format!("{} (2)", demo::NAME),
        "the name is kept, made unique in the library"
    );
    imported.name = original.name.clone();
    assert_eq!(imported, original);
    assert_eq!(imported.criteria_count(), 16);
}

#[tokio::test]
async fn a_file_with_bad_rows_imports_nothing_and_names_each_row() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let tables_before = id(&app, "SELECT count(*) FROM criteria_tables").await;
    let audit_before = id(&app, "SELECT count(*) FROM audit_log").await;
    let header = vec![
        "Mã",
        "Nội dung",
        "Điểm tối đa",
        "Bước điểm",
        "Minh chứng bắt buộc",
        "Hướng dẫn chấm",
        "Loại",
    ];
    let file = workbook(&[
        (
            "Tiêu chí",
            vec![
                header,
                vec!["I", "Công tác chỉ đạo", "", "", "", "", ""],
                vec!["1.1", "Kế hoạch", "abc", "", "", "", ""],
                vec!["1.2", "Sơ kết", "2,25", "0,5", "", "", ""],
                vec!["1.1", "Trùng mã", "2", "", "", "", ""],
                vec!["1.3", "Âm", "-1", "", "", "", ""],
                vec!["1.4", "Đúng", "5", "", "", "", ""],
                vec!["II", "Phần lạ", "", "", "", "", "Phần khác"],
            ],
        ),
        (
            "Xếp loại",
            vec![vec!["Xếp loại", "Từ (%)"], vec!["Xuất sắc", "105"]],
        ),
    ]);
    let r = upload(&c, "sai.xlsx", file).await;
    assert_eq!(r.status, 422, "{}", r.body);
    for expected in [
        "Dòng 3: điểm tối đa “abc”",
        "Dòng 4: Điểm tối đa 2,25 không chia hết cho bước điểm 0,5",
        "Dòng 5: mã “1.1” đã dùng ở dòng 3",
        "Dòng 6: điểm tối đa “-1”: Không được là số âm.",
        "Dòng 8: cột “Loại” ghi “Phần khác”",
        "Dòng 2 (trang “Xếp loại”): Ngưỡng phải là số phần trăm từ 0 đến 100",
    ] {
        assert!(r.body.contains(expected), "{expected}\n{}", r.body);
    }
    assert!(!r.body.contains("Dòng 7"), "the good row is not named");
    assert!(r.body.contains("chưa có gì được ghi"));
    // Not a workbook at all.
    let r = upload(&c, "bang.csv", b"Ma,Noi dung\n1,x\n".to_vec()).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("không phải sổ làm việc Excel"));
    // No file.
    let r = upload(&c, "", Vec::new()).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Chưa chọn tệp"));
    assert_eq!(
        id(&app, "SELECT count(*) FROM criteria_tables").await,
        tables_before
    );
    assert_eq!(
        id(&app, "SELECT count(*) FROM audit_log").await,
        audit_before
    );
}

#[tokio::test]
async fn a_year_copy_is_editable_until_frozen_then_refuses_every_edit() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let t = tenant(&app, "langson").await;
    let library = demo_table(&app, "langson").await;
    // A year of its own (the demo years may already score against a frozen copy).
    let r = c
        .submit(
            "/clusters/new",
            "/clusters/new",
            &[("name", "Khối thi đua thử bảng tiêu chí"), ("kind", "khoi")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let cluster = id_from_location(r.location());
    let r = c
        .submit(
            &format!("/clusters/{cluster}"),
            &format!("/clusters/{cluster}/years"),
            &[("year", "2025")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let year = id_from_location(r.location());
    let copy = {
        let mut conn = app.owner.acquire().await.unwrap();
        tables::copy_to_year(&mut conn, &Actor::cli(t, "test"), library, year)
            .await
            .unwrap()
    };
    let page = format!("/criteria/{copy}");
    let list = c.get("/criteria").await;
    assert!(
        list.body
            .contains("Khối thi đua thử bảng tiêu chí — năm 2025")
    );
    assert!(list.body.contains("Chưa khóa — còn sửa được"));

    // Before the first submission the year's copy can still be changed; the library is not.
    let s2 = id(
        &app,
        &format!("SELECT id FROM criteria_sections WHERE table_id = {copy} AND code = 'II'"),
    )
    .await;
    let s2 = s2.to_string();
    let r = c
        .submit(
            &page,
            &format!("{page}/criteria"),
            &[
                ("section_id", s2.as_str()),
                ("code", "2.7"),
                ("text", "Tiêu chí riêng của năm"),
                ("max_points", "5"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(draft(&app, t, library).await, demo::can_tho_2025());

    // A criterion a unit has already scored (in a draft) cannot be deleted.
    let unit = id(&app, "SELECT id FROM units WHERE code = 'ca-ls'").await;
    let sheet = id(
        &app,
        &format!(
            "INSERT INTO scoresheets (tenant_id, cluster_year_id, unit_id) VALUES ({t}, {year}, {unit})
             ON CONFLICT (tenant_id, cluster_year_id, unit_id) DO UPDATE SET updated_at = now() RETURNING id"
        ),
    )
    .await;
    let c21 = id(
        &app,
        &format!("SELECT id FROM criteria WHERE table_id = {copy} AND code = '2.1'"),
    )
    .await;
    sqlx::query(&format!(
        "INSERT INTO sheet_entries (tenant_id, sheet_id, criterion_id, self_points) VALUES ({t}, {sheet}, {c21}, 38)
         ON CONFLICT (tenant_id, sheet_id, criterion_id) DO UPDATE SET self_points = 38"
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    let r = c
        .submit(&page, &format!("{page}/criteria/{c21}/delete"), &[])
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Không xóa được tiêu chí 2.1"));
    let r = c
        .submit(&page, &format!("{page}/sections/{s2}/delete"), &[])
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Không xóa được phần II"));

    // The first unit submits: the copy freezes.
    sqlx::query(&format!(
        "UPDATE criteria_tables SET frozen_at = now() WHERE id = {copy}"
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    let p = c.get(&page).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("<strong>Đã khóa</strong>"));
    assert!(
        !p.body.contains(&format!("action=\"{page}/edit\"")),
        "no edit forms on a frozen table"
    );
    let token = p.csrf();
    let before = draft(&app, t, copy).await;
    let audit_before = audit_rows(&app, copy).await;
    let c11 = id(
        &app,
        &format!("SELECT id FROM criteria WHERE table_id = {copy} AND code = '1.1'"),
    )
    .await;
    let s1 = id(
        &app,
        &format!("SELECT id FROM criteria_sections WHERE table_id = {copy} AND code = 'I'"),
    )
    .await;
    let s1s = s1.to_string();
    let edits: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("{page}/edit"),
            vec![("name", "Đổi tên"), ("bonus_cap", "5")],
        ),
        (
            format!("{page}/sections"),
            vec![("code", "V"), ("title", "Phần mới"), ("kind", "standard")],
        ),
        (
            format!("{page}/sections/{s1}/edit"),
            vec![("code", "I"), ("title", "Đổi"), ("kind", "standard")],
        ),
        (format!("{page}/sections/{s1}/delete"), vec![]),
        (
            format!("{page}/criteria"),
            vec![
                ("section_id", s1s.as_str()),
                ("code", "1.9"),
                ("text", "Mới"),
                ("max_points", "1"),
            ],
        ),
        (
            format!("{page}/criteria/{c11}/edit"),
            vec![
                ("section_id", s1s.as_str()),
                ("code", "1.1"),
                ("text", "Đổi"),
                ("max_points", "3"),
            ],
        ),
        (format!("{page}/criteria/{c11}/delete"), vec![]),
        (
            format!("{page}/bands"),
            vec![("name_0", "Xuất sắc"), ("min_0", "90")],
        ),
    ];
    for (path, fields) in edits {
        let mut form = vec![("csrf", token.as_str())];
        form.extend(fields);
        let r = c.post(&path, &form).await;
        assert_eq!(r.status, 409, "{path}");
        assert!(
            r.body.contains("Bảng tiêu chí này đã khóa từ"),
            "{path}: {}",
            r.body
        );
    }
    assert_eq!(draft(&app, t, copy).await, before);
    assert_eq!(audit_rows(&app, copy).await, audit_before);
    let list = c.get("/criteria").await;
    assert!(list.body.contains("Đã khóa từ"));

    // A frozen table can still be copied into the library, and the copy is editable.
    let r = c
        .submit(
            &page,
            &format!("{page}/copy"),
            &[("name", "Bảng năm 2025 dựa trên năm 2024")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let fresh = id_from_location(r.location());
    let mut d = draft(&app, t, fresh).await;
    d.name = before.name.clone();
    assert_eq!(d, before);
    let p = c.get(&format!("/criteria/{fresh}")).await;
    assert!(
        p.body
            .contains(&format!("action=\"/criteria/{fresh}/edit\""))
    );
}

#[tokio::test]
async fn unit_staff_are_refused_every_criteria_route_and_other_tenants_tables_are_not_found() {
    let app = TestApp::start().await;
    let own = demo_table(&app, "toaan").await;
    let foreign = demo_table(&app, "langson").await;
    let tables_before = id(&app, "SELECT count(*) FROM criteria_tables").await;
    let section =
        |t: i64| format!("(SELECT id FROM criteria_sections WHERE table_id = {t} AND code = 'I')");
    let criterion =
        |t: i64| format!("(SELECT id FROM criteria WHERE table_id = {t} AND code = '1.1')");
    let own_s = id(&app, &format!("SELECT {}", section(own))).await;
    let own_c = id(&app, &format!("SELECT {}", criterion(own))).await;
    let foreign_s = id(&app, &format!("SELECT {}", section(foreign))).await;
    let foreign_c = id(&app, &format!("SELECT {}", criterion(foreign))).await;
    let routes = |t: i64, s: i64, c: i64| -> Vec<(&'static str, String)> {
        vec![
            ("GET", format!("/criteria/{t}")),
            ("GET", format!("/criteria/{t}/export.xlsx")),
            ("POST", format!("/criteria/{t}/edit")),
            ("POST", format!("/criteria/{t}/copy")),
            ("POST", format!("/criteria/{t}/bands")),
            ("POST", format!("/criteria/{t}/sections")),
            ("POST", format!("/criteria/{t}/sections/{s}/edit")),
            ("POST", format!("/criteria/{t}/sections/{s}/delete")),
            ("POST", format!("/criteria/{t}/criteria")),
            ("POST", format!("/criteria/{t}/criteria/{c}/edit")),
            ("POST", format!("/criteria/{t}/criteria/{c}/delete")),
        ]
    };
    let fields = [
        ("name", "Bảng lạ"),
        ("code", "Z"),
        ("title", "Z"),
        ("kind", "standard"),
        ("max_points", "1"),
    ];
    async fn call(c: &Client, method: &str, path: &str, fields: &[(&str, &str)]) -> u16 {
        if method == "GET" {
            return c.get(path).await.status;
        }
        let token = c.get("/").await.csrf();
        let mut form = vec![("csrf", token.as_str())];
        form.extend_from_slice(fields);
        c.post(path, &form).await.status
    }

    for who in ["canbo.hocvien", "thutruong.hocvien"] {
        let c = app.login(who).await;
        let home = c.get("/").await;
        assert!(
            !home.body.contains("href=\"/criteria\""),
            "{who} has no criteria menu"
        );
        for path in [
            "/criteria",
            "/criteria/new",
            "/criteria/template.xlsx",
            "/criteria/import",
        ] {
            assert_eq!(call(&c, "GET", path, &[]).await, 403, "{who} GET {path}");
        }
        assert_eq!(
            call(&c, "POST", "/criteria/new", &fields).await,
            403,
            "{who} POST /criteria/new"
        );
        let r = upload(&c, "x.xlsx", demo_export()).await;
        assert_eq!(r.status, 403, "{who} POST /criteria/import");
        for (method, path) in routes(own, own_s, own_c) {
            assert_eq!(
                call(&c, method, &path, &fields).await,
                403,
                "{who} {method} {path}"
            );
        }
        for (method, path) in routes(foreign, foreign_s, foreign_c) {
            assert_eq!(
                call(&c, method, &path, &fields).await,
                404,
                "{who} {method} {path}"
            );
        }
    }
    let admin = app.login("quantri.toaan").await;
    for (method, path) in routes(foreign, foreign_s, foreign_c) {
        assert_eq!(
            call(&admin, method, &path, &fields).await,
            404,
            "admin of another tenant: {method} {path}"
        );
    }
    // A section or criterion of another table is not found through this one.
    for (method, path) in [
        ("POST", format!("/criteria/{own}/sections/{foreign_s}/edit")),
        (
            "POST",
            format!("/criteria/{own}/criteria/{foreign_c}/delete"),
        ),
        ("GET", "/criteria/abc".to_string()),
    ] {
        assert_eq!(
            call(&admin, method, &path, &fields).await,
            404,
            "{method} {path}"
        );
    }
    // Nothing changed anywhere.
    assert_eq!(
        draft(&app, tenant(&app, "langson").await, foreign).await,
        demo::can_tho_2025()
    );
    assert_eq!(
        draft(&app, tenant(&app, "toaan").await, own).await,
        demo::can_tho_2025()
    );
    assert_eq!(
        id(&app, "SELECT count(*) FROM criteria_tables").await,
        tables_before
    );
    // Not logged in: to the login page.
    let anonymous = app.client();
    let r = anonymous.get(&format!("/criteria/{own}")).await;
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("/login"));
}

fn demo_export() -> Vec<u8> {
    thidua::scoring::criteria::xlsx::write(&demo::can_tho_2025()).unwrap()
}

#[tokio::test]
async fn the_demo_loader_run_twice_makes_one_table() {
    let app = TestApp::start().await;
    let t = tenant(&app, "toaan").await;
    let first = demo_table(&app, "toaan").await;
    let second = demo_table(&app, "toaan").await;
    assert_eq!(first, second);
    let n = id(
        &app,
        &format!(
            "SELECT count(*) FROM criteria_tables
              WHERE tenant_id = {t} AND name = '{}' AND cluster_year_id IS NULL",
            demo::NAME
        ),
    )
    .await;
    assert_eq!(n, 1);
    let d = draft(&app, t, first).await;
    assert_eq!(d.sum_of(SectionKind::Standard), "100".parse().unwrap());
    assert_eq!(
        (d.bonus_cap, d.penalty_cap),
        ("3".parse().unwrap(), "3".parse().unwrap())
    );
    assert_eq!(d.tie_break_codes, vec!["II".to_string(), "I".into()]);
    assert_eq!(d.bands.len(), 4);
    assert_eq!(audit_rows(&app, first).await, 1);
    // The page of the demo table shows the Cần Thơ shape.
    let c = app.login("quantri.toaan").await;
    let p = c.get(&format!("/criteria/{first}")).await;
    assert!(
        p.body
            .contains("Công tác chỉ đạo, tổ chức phong trào thi đua")
    );
    assert!(p.body.contains("Hoàn thành nhiệm vụ"));
}
