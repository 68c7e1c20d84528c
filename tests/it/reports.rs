//! The council's dashboard, its .xlsx export, and units' histories with awards entered from
//! the paper record, through the pages, on the demo data.

use std::io::Cursor;

use crate::harness::{Client, TestApp};

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

async fn unit(app: &TestApp, code: &str) -> i64 {
    id(app, &format!("SELECT id FROM units WHERE code = '{code}'")).await
}

const NOI_CHINH: &str = "Cụm thi đua các cơ quan Nội chính tỉnh";

async fn year_id(app: &TestApp, year: i32) -> i64 {
    id(
        app,
        &format!(
            "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
              WHERE c.name = '{NOI_CHINH}' AND y.year = {year}"
        ),
    )
    .await
}

/// The text of a page without tags, whitespace collapsed: what a reader sees.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A dossier of the given state for a Lạng Sơn cluster year, as the proposals pages would
/// leave it, with its nominees (unit code, award type name). Returns the dossier's id.
async fn dossier(
    app: &TestApp,
    year: i32,
    state: &str,
    sent_at: Option<&str>,
    nominees: &[(&str, &str)],
) -> i64 {
    let t = id(app, "SELECT id FROM tenants WHERE code = 'langson'").await;
    let y = year_id(app, year).await;
    let mut templates = Vec::new();
    for kind in [
        "cover_letter",
        "minutes",
        "achievement_report",
        "nominee_list",
    ] {
        templates.push(
            id(
                app,
                &format!(
                    "INSERT INTO document_templates (tenant_id, kind, version, name, sections)
                     VALUES ({t}, '{kind}', {}, 'Mẫu thử', '[]') RETURNING id",
                    900 + year
                ),
            )
            .await,
        );
    }
    let vote = id(
        app,
        &format!(
            "INSERT INTO votes (tenant_id, cluster_year_id, kind, title, state, mode, opened_at, closed_at)
             VALUES ({t}, {y}, 'award', 'Bình xét năm {year}', 'closed', 'paper', now(), now()) RETURNING id"
        ),
    )
    .await;
    let sent = sent_at
        .map(|s| format!("'{s}'::timestamptz"))
        .unwrap_or("NULL".into());
    let p = id(
        app,
        &format!(
            "INSERT INTO proposals (tenant_id, cluster_year_id, vote_id, state, cover_template_id,
                 minutes_template_id, report_template_id, list_template_id, sent_at)
             VALUES ({t}, {y}, {vote}, '{state}', {}, {}, {}, {}, {sent}) RETURNING id",
            templates[0], templates[1], templates[2], templates[3]
        ),
    )
    .await;
    for (pos, (code, award)) in nominees.iter().enumerate() {
        sqlx::query(&format!(
            "INSERT INTO proposal_nominees (tenant_id, proposal_id, award_type_id, unit_id, position,
                 votes_for, votes_against, ballots, members, percent)
             SELECT {t}, {p}, a.id, u.id, {pos}, 7, 0, 7, 7, 100
               FROM award_types a, units u
              WHERE a.tenant_id = {t} AND a.name = '{award}' AND u.code = '{code}'"
        ))
        .execute(&app.owner)
        .await
        .unwrap();
    }
    p
}

#[tokio::test]
async fn the_council_follows_every_cluster_year_with_its_lateness() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    // The menu leads there; the latest year with cluster years is the default.
    let home = c.get("/").await;
    assert!(home.body.contains("href=\"/council\""), "{}", home.body);
    let r = c.get("/council").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page = text(&r.body);
    assert!(
        page.contains("Bảng theo dõi của Hội đồng — năm 2024"),
        "{page}"
    );
    assert!(r.body.contains("<option value=\"2023\">2023</option>"));
    assert!(
        r.body
            .contains("<option value=\"2024\" selected>2024</option>")
    );
    assert!(page.contains(NOI_CHINH));
    assert!(
        page.contains("Cục Thi hành án dân sự tỉnh Lạng Sơn"),
        "leader 2024"
    );
    assert!(page.contains("Chấm điểm, thẩm định"), "phase 2024");
    // 2024: five of seven sheets submitted (two waiting), three verified; the returned sheet and
    // the draft are late (deadline 05/12/2024).
    assert!(page.contains("5/7"), "{page}");
    assert!(page.contains("3/7"), "{page}");
    assert!(page.contains("Tiểu đoàn CSCĐ số 2 (trễ"), "{page}");
    assert!(page.contains("Bộ CH BĐBP tỉnh (trễ"), "{page}");
    assert!(
        !page.contains("Công an tỉnh (trễ"),
        "a finalised sheet is not late"
    );
    // No dossier yet, and the deadline (10/12/2024) has passed.
    assert!(page.contains("Chưa lập Trễ hạn"), "{page}");
    assert!(
        page.contains("Hạn gửi hồ sơ năm 2024: 10/12/2024"),
        "{page}"
    );
    // Nothing of the courts' tenant.
    assert!(!page.contains("Cụm thi đua số VI"));

    let r = c.get("/council?year=2023").await;
    assert_eq!(r.status, 200);
    let page = text(&r.body);
    assert!(page.contains("năm 2023"));
    assert!(
        page.contains("Tòa án nhân dân tỉnh Lạng Sơn"),
        "leader 2023"
    );
    assert!(
        page.contains("Cục Thi hành án dân sự tỉnh Lạng Sơn"),
        "deputy 2023"
    );
    assert!(page.contains("Đã kết thúc"), "phase 2023");
    assert!(page.contains("7/7"), "every 2023 sheet verified: {page}");
    // A year without cluster years shows an empty dashboard, not an error; nonsense is the default.
    let r = c.get("/council?year=2031").await;
    assert_eq!(r.status, 200);
    assert!(text(&r.body).contains("Năm 2031 chưa có cụm, khối thi đua nào."));
    let r = c.get("/council?year=abc").await;
    assert!(text(&r.body).contains("năm 2024"));
}

#[tokio::test]
async fn dossiers_nominees_awards_and_the_government_flag_are_counted() {
    let app = TestApp::start().await;
    // A clean slate, whatever dossiers and decisions the demo brings.
    for sql in [
        "DELETE FROM unit_awards WHERE decision_id IS NOT NULL",
        "DELETE FROM award_decisions",
        "DELETE FROM proposals",
    ] {
        sqlx::query(sql).execute(&app.owner).await.unwrap();
    }
    let flag = "Cờ thi đua của Chính phủ";
    let province = crate::voting::FLAG;
    // 2024: sent two days after the deadline (10/12/2024, Viet Nam time), with the Government
    // flag for the leader: one cluster year with a leader allows floor(20% × 1) = 0 flags.
    let p = dossier(
        &app,
        2024,
        "sent",
        Some("2024-12-12 09:00:00+07"),
        &[
            ("thads-ls", flag),
            ("thads-ls", province),
            ("ca-ls", "Bằng khen của Thủ tướng Chính phủ"),
        ],
    )
    .await;
    // 2023: decided, sent in time; the decision gave the provincial flag.
    let p23 = dossier(
        &app,
        2023,
        "decided",
        Some("2023-12-01 09:00:00+07"),
        &[("tand-ls", province)],
    )
    .await;
    let t = id(&app, "SELECT id FROM tenants WHERE code = 'langson'").await;
    let decision = id(
        &app,
        &format!(
            "INSERT INTO award_decisions (tenant_id, proposal_id, number, signed_on, issuer)
             VALUES ({t}, {p23}, '52/QĐ-UBND', '2024-01-15', 'Chủ tịch UBND tỉnh Lạng Sơn') RETURNING id"
        ),
    )
    .await;
    let tand = unit(&app, "tand-ls").await;
    sqlx::query(&format!(
        "INSERT INTO unit_awards (tenant_id, unit_id, year, award_name, award_type_id, decision_number, decision_date, issuer, decision_id)
         SELECT {t}, {tand}, 2023, name, id, '52/QĐ-UBND', '2024-01-15', 'Chủ tịch UBND tỉnh Lạng Sơn', {decision}
           FROM award_types WHERE tenant_id = {t} AND name = '{province}'"
    ))
    .execute(&app.owner)
    .await
    .unwrap();

    // The council chose the 2024 leading unit for the Government flag, which 20% of one
    // leading unit does not allow.
    let y24 = year_id(&app, 2024).await;
    let thads = unit(&app, "thads-ls").await;
    sqlx::query(&format!(
        "INSERT INTO government_flag_selections (tenant_id, year, cluster_year_id, unit_id, position)
         VALUES ({t}, 2024, {y24}, {thads}, 1)"
    ))
    .execute(&app.owner)
    .await
    .unwrap();

    let c = app.login("quantri.langson").await;
    let r = c.get("/council?year=2024").await;
    let page = text(&r.body);
    assert!(r.body.contains(&format!("href=\"/proposals/{p}\"")));
    assert!(page.contains("Đã gửi Trễ hạn 2 ngày"), "{page}");
    assert!(page.contains("Đã quyết định 0 0 1 0 0 0"), "{page}");
    // The flag check weighs the council's choice against the units leading their clusters.
    assert!(page.contains("Cờ thi đua của Chính phủ Vượt"), "{page}");
    assert!(
        page.contains(
            "Hội đồng đã chọn 1 , tối đa 0 (20% của 1 tập thể được bình xét dẫn đầu các cụm, khối thi đua năm 2024)"
        ),
        "{page}"
    );
    assert!(
        page.contains(
            "Cục Thi hành án dân sự tỉnh Lạng Sơn (dẫn đầu Cụm thi đua các cơ quan Nội chính tỉnh)"
        ),
        "{page}"
    );
    // Nominees / awards by type and cluster.
    assert!(
        page.contains(&format!(
            "{flag} {province} Bằng khen của Thủ tướng Chính phủ Cộng"
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!("{NOI_CHINH} 1 / 0 1 / 0 1 / 0 3 / 0")),
        "{page}"
    );

    let r = c.get("/council?year=2023").await;
    let page = text(&r.body);
    assert!(page.contains("Đã quyết định"), "{page}");
    assert!(
        !r.body.contains("class=\"late small\""),
        "sent in time: {page}"
    );
    assert!(page.contains(&format!("{NOI_CHINH} 1 / 1 1 / 1")), "{page}");
    assert!(page.contains("Cờ thi đua của Chính phủ Đạt"), "{page}");

    // The export has the same figures, from the same computation.
    let (status, headers, xlsx) = c.get_bytes("/council/export.xlsx?year=2024").await;
    assert_eq!(status, 200);
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''B%E1%BA%A3ng%20theo%20d%C3%B5i%20c%E1%BB%A7a%20H%E1%BB%99i%20%C4%91%E1%BB%93ng%20-%20n%C4%83m%202024.xlsx"),
        "named by its Vietnamese title and year"
    );
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let range = wb.worksheet_range("Tổng hợp").unwrap();
    let row = range
        .rows()
        .find(|r| r.iter().any(|c| *c == NOI_CHINH))
        .expect("the cluster's row");
    let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
    assert!(
        cells.contains(&"Cục Thi hành án dân sự tỉnh Lạng Sơn".to_string()),
        "{cells:?}"
    );
    // The dossier was sent, so the year's phase followed it (issue 17, item 5).
    assert!(
        cells.contains(&"Đề nghị khen thưởng".to_string()),
        "{cells:?}"
    );
    assert!(cells.contains(&"Đã gửi".to_string()));
    assert!(cells.contains(&"2".to_string()), "two days late: {cells:?}");
    assert!(cells.iter().any(|c| c.contains("Tiểu đoàn CSCĐ số 2")));
    let all: Vec<String> = range.rows().flatten().map(|c| c.to_string()).collect();
    assert!(all.contains(&"Vượt".to_string()), "{all:?}");
    let counts = wb.worksheet_range("Đề nghị, khen thưởng").unwrap();
    let cells: Vec<String> = counts.rows().flatten().map(|c| c.to_string()).collect();
    assert!(cells.contains(&flag.to_string()), "{cells:?}");
    assert!(cells.contains(&NOI_CHINH.to_string()));
    // Only the council.
    let officer = app.login("canbo.thads-ls").await;
    assert_eq!(officer.get("/council").await.status, 403);
    assert_eq!(officer.get_bytes("/council/export.xlsx").await.0, 403);
}

#[tokio::test]
async fn a_unit_sees_its_verified_results_and_rank_over_the_years() {
    let app = TestApp::start().await;
    let ca = unit(&app, "ca-ls").await;
    // The expected 2023 figures, from the scoring results themselves.
    let t = id(&app, "SELECT id FROM tenants WHERE code = 'langson'").await;
    let y23 = year_id(&app, 2023).await;
    let mut tx = thidua::db::tenant_tx(&app.pool, t).await.unwrap();
    let (year, members) = thidua::org::year::load_unchecked(&mut tx, y23)
        .await
        .unwrap()
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    let (_, res) = thidua::scoring::results::load(&mut tx, &year, &members, today)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    let mine = res.iter().find(|r| r.unit_id == ca).unwrap();
    let v = mine.verified.as_ref().unwrap();
    let total = thidua::scoring::model::fmt(v.total);
    let percent = thidua::scoring::model::fmt(v.percent);
    let rank = mine.rank.as_ref().unwrap().rank;

    let c = app.login("canbo.ca-ls").await;
    let r = c.get(&format!("/units/{ca}/history")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page = text(&r.body);
    assert!(
        page.contains(&format!("2023 {NOI_CHINH} {total} {percent}% {rank}/7")),
        "{page}"
    );
    // 2024 is verified too for Công an tỉnh (finalised in the demo).
    assert!(page.contains(&format!("2024 {NOI_CHINH}")));
    // The chart: accessible title and description, a figure on every point.
    assert!(r.body.contains("<svg class=\"chart\" role=\"img\""));
    assert!(r.body.contains("<title id=\"chart-title\">"));
    assert!(
        page.contains(&format!("năm 2023: {percent}%, hạng {rank}/7")),
        "{page}"
    );
    // The unit page links here; the officer has no form to add awards.
    let unit_page = c.get(&format!("/units/{ca}")).await;
    assert!(
        unit_page
            .body
            .contains(&format!("href=\"/units/{ca}/history\""))
    );
    assert!(!r.body.contains("Thêm khen thưởng từ hồ sơ giấy"));
}

async fn add(c: &Client, unit: i64, fields: &[(&str, &str)]) -> crate::harness::Resp {
    let path = format!("/units/{unit}/history");
    c.submit(&path, &format!("{path}/awards"), fields).await
}

#[tokio::test]
async fn the_council_enters_awards_from_the_paper_record() {
    let app = TestApp::start().await;
    let ca = unit(&app, "ca-ls").await;
    let c = app.login("quantri.langson").await;
    let page = c.get(&format!("/units/{ca}/history")).await;
    assert!(page.body.contains("<datalist id=\"award-types\">"));
    assert!(
        page.body
            .contains("<option value=\"Cờ thi đua của Chính phủ\">")
    );

    // Bad input: a message beside each field, and what was typed kept.
    let r = add(
        &c,
        ca,
        &[
            ("year", "1800"),
            ("award_name", "  "),
            ("decision_number", "88/QĐ-UBND"),
            ("decision_date", "31/02/2024"),
            ("issuer", "Chủ tịch UBND tỉnh Lạng Sơn"),
        ],
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Năm phải trong khoảng từ 1945 đến"));
    assert!(
        r.body
            .contains("Hãy nhập tên danh hiệu hoặc hình thức khen thưởng.")
    );
    assert!(
        r.body
            .contains("Ngày quyết định không hợp lệ; hãy nhập theo dạng ngày/tháng/năm")
    );
    assert!(r.body.contains("id=\"year-error\""));
    assert!(r.body.contains("value=\"1800\""));
    assert!(r.body.contains("value=\"31/02/2024\""), "typed date kept");
    assert!(r.body.contains("88/QĐ-UBND"), "typed number kept");
    assert!(r.body.contains("value=\"Chủ tịch UBND tỉnh Lạng Sơn\""));
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT count(*) FROM unit_awards WHERE unit_id = {ca}"
        ))
        .await,
        0,
        "nothing written"
    );

    // A good one.
    let r = add(
        &c,
        ca,
        &[
            ("year", "2021"),
            ("award_name", crate::voting::FLAG),
            ("decision_number", "88/QĐ-UBND"),
            ("decision_date", "15/01/2022"),
            ("issuer", "Chủ tịch UBND tỉnh Lạng Sơn"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), format!("/units/{ca}/history#khen-thuong"));
    let typed = app
        .scalar_i64(
            &format!("SELECT count(*) FROM unit_awards WHERE unit_id = {ca} AND award_type_id IS NOT NULL AND year = 2021"),
        )
        .await;
    assert_eq!(typed, 1, "the award type is found by its name");
    // The same award again in that year is refused beside the name.
    let r = add(
        &c,
        ca,
        &[("year", "2021"), ("award_name", crate::voting::FLAG)],
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(
            "Đơn vị đã có “Cờ thi đua của Ủy ban nhân dân tỉnh Lạng Sơn” trong năm 2021."
        )
    );

    // The unit's own staff see it in the history, by year, and in the list of awards.
    let officer = app.login("canbo.ca-ls").await;
    let h = text(&officer.get(&format!("/units/{ca}/history")).await.body);
    assert!(
        h.contains("2021 — Cờ thi đua của Ủy ban nhân dân tỉnh Lạng Sơn"),
        "{h}"
    );
    assert!(
        h.contains("2021 Cờ thi đua của Ủy ban nhân dân tỉnh Lạng Sơn 88/QĐ-UBND 15/01/2022 Chủ tịch UBND tỉnh Lạng Sơn Nhập từ hồ sơ giấy"),
        "{h}"
    );
    // The achievement report's source: the store and the pure selection.
    let t = id(&app, "SELECT id FROM tenants WHERE code = 'langson'").await;
    let mut tx = thidua::db::tenant_tx(&app.pool, t).await.unwrap();
    let awards = thidua::awards::store::unit_awards(&mut tx, ca)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let past = thidua::awards::model::past_awards(&awards, 2024, 5);
    assert_eq!(past.len(), 1);
    assert_eq!(
        past[0].decision_text(),
        "Quyết định số 88/QĐ-UBND ngày 15/01/2022 của Chủ tịch UBND tỉnh Lạng Sơn"
    );

    // The officer may not add or delete; another unit's history does not exist for them.
    let r = add(
        &officer,
        ca,
        &[("year", "2020"), ("award_name", "Giấy khen")],
    )
    .await;
    assert_eq!(r.status, 403);
    let award = awards[0].id;
    let r = officer
        .submit(
            &format!("/units/{ca}/history"),
            &format!("/units/{ca}/history/awards/{award}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, 403);
    let tand = unit(&app, "tand-ls").await;
    assert_eq!(
        officer.get(&format!("/units/{tand}/history")).await.status,
        404
    );

    // A decision's award cannot be deleted here; a hand-entered one can, with its audit row.
    let from_decision = dossier(&app, 2024, "decided", None, &[]).await;
    let decision = id(
        &app,
        &format!(
            "INSERT INTO award_decisions (tenant_id, proposal_id, number, signed_on, issuer)
             VALUES ({t}, {from_decision}, '52/QĐ-UBND', '2024-01-15', 'Chủ tịch UBND tỉnh') RETURNING id"
        ),
    )
    .await;
    let decided = id(
        &app,
        &format!(
            "INSERT INTO unit_awards (tenant_id, unit_id, year, award_name, decision_id)
             VALUES ({t}, {ca}, 2023, 'Bằng khen của Bộ, ban, ngành, tỉnh', {decision}) RETURNING id"
        ),
    )
    .await;
    let h = c.get(&format!("/units/{ca}/history")).await;
    assert!(
        !h.body.contains(&format!("/awards/{decided}/delete")),
        "no button for it"
    );
    let r = c
        .submit(
            &format!("/units/{ca}/history"),
            &format!("/units/{ca}/history/awards/{decided}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, 409);
    let r = c
        .submit(
            &format!("/units/{ca}/history"),
            &format!("/units/{ca}/history/awards/{award}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT count(*) FROM unit_awards WHERE unit_id = {ca}"
        ))
        .await,
        1,
        "only the decision's award is left"
    );
    let audit: Vec<String> =
        sqlx::query_scalar(&format!("SELECT action FROM audit_log WHERE entity = 'unit_award' AND (after->>'unit_id' = '{ca}' OR before->>'unit_id' = '{ca}') ORDER BY id"))
            .fetch_all(&app.owner)
            .await
            .unwrap();
    assert_eq!(audit, ["created", "deleted"]);
    // Deleting it again: gone.
    let r = c
        .submit(
            &format!("/units/{ca}/history"),
            &format!("/units/{ca}/history/awards/{award}/delete"),
            &[],
        )
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn another_tenants_units_have_no_history() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let hocvien = unit(&app, "hocvien").await;
    assert_eq!(
        c.get(&format!("/units/{hocvien}/history")).await.status,
        404
    );
    // The foreign unit's page has no form: the token comes from one of the council's own pages.
    let token = c.get("/password").await.csrf();
    let r = c
        .post(
            &format!("/units/{hocvien}/history/awards"),
            &[
                ("csrf", &token),
                ("year", "2020"),
                ("award_name", "Giấy khen"),
            ],
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(c.get("/units/abc/history").await.status, 404);
    // The courts' council sees its own unit, and anonymous visitors go to the login page.
    let toaan = app.login("quantri.toaan").await;
    let r = toaan.get(&format!("/units/{hocvien}/history")).await;
    assert_eq!(r.status, 200);
    // Cụm VI 2019 is fully scored: Học viện Tòa án ranked 4th of 12.
    assert!(text(&r.body).contains("4/12"), "{}", text(&r.body));
    let anon = app.client().get(&format!("/units/{hocvien}/history")).await;
    assert_eq!(anon.status, 303);
    assert!(anon.location().starts_with("/login"));
}
