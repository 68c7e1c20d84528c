//! The council's dashboard is kept in memory under a version the database changes (migration
//! 0038), and shows its clusters a page at a time. Each write below is made straight in the
//! database, as another app instance would make it: the next view must show it.

use crate::harness::{Client, TestApp};

const NOI_CHINH: &str = "Cụm thi đua các cơ quan Nội chính tỉnh";

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.owner).await.unwrap();
}

async fn view(c: &Client) -> String {
    let r = c.get("/council?year=2023").await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

/// The dashboard after `sql`: it must differ from `before`, and is returned.
async fn after(app: &TestApp, c: &Client, before: &str, what: &str, sql: &str) -> String {
    exec(app, sql).await;
    let now = view(c).await;
    assert_ne!(now, before, "the dashboard did not show: {what}");
    now
}

#[tokio::test]
async fn a_write_through_any_instance_shows_on_the_next_view_of_the_dashboard() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let first = view(&c).await;
    assert!(first.contains(NOI_CHINH), "{first}");
    // Nothing changed: the kept dashboard is served, the same page.
    assert_eq!(view(&c).await, first);

    let year = format!(
        "(SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
           WHERE c.name = '{NOI_CHINH}' AND y.year = 2023)"
    );
    let now = after(
        &app,
        &c,
        &first,
        "a unit renamed",
        &format!(
            "UPDATE units SET name = 'Tòa án nhân dân tỉnh Lạng Sơn (tên mới)'
              WHERE id = (SELECT leader_unit_id FROM cluster_years WHERE id = {year})"
        ),
    )
    .await;
    assert!(now.contains("Tòa án nhân dân tỉnh Lạng Sơn (tên mới)"));
    let now = after(
        &app,
        &c,
        &now,
        "the cluster year's deputy removed",
        &format!("UPDATE cluster_years SET deputy_unit_id = NULL WHERE id = {year}"),
    )
    .await;
    let now = after(
        &app,
        &c,
        &now,
        "a sheet sent back",
        &format!(
            "UPDATE scoresheets SET status = 'returned'
              WHERE id = (SELECT min(id) FROM scoresheets WHERE cluster_year_id = {year})"
        ),
    )
    .await;
    let now = after(
        &app,
        &c,
        &now,
        "a nominee withdrawn",
        &format!(
            "UPDATE proposal_nominees SET withdrawn_at = now(), withdrawn_reason = 'Đơn vị xin rút'
              WHERE (proposal_id, unit_id, award_type_id) =
                    (SELECT proposal_id, unit_id, award_type_id FROM proposal_nominees
                      WHERE proposal_id = (SELECT id FROM proposals WHERE cluster_year_id = {year})
                        AND withdrawn_at IS NULL
                      ORDER BY unit_id, award_type_id LIMIT 1)"
        ),
    )
    .await;
    let now = after(
        &app,
        &c,
        &now,
        "a decided award removed",
        &format!(
            "DELETE FROM unit_awards WHERE id = (SELECT min(w.id) FROM unit_awards w
               JOIN award_decisions d ON d.id = w.decision_id
               JOIN proposals p ON p.id = d.proposal_id WHERE p.cluster_year_id = {year})"
        ),
    )
    .await;
    let inbox = c.get("/council/proposals?year=2023").await.body;
    assert_eq!(c.get("/council/proposals?year=2023").await.body, inbox);
    let now = after(
        &app,
        &c,
        &now,
        "the dossier returned",
        &format!("UPDATE proposals SET state = 'returned', return_reason = 'Thiếu biên bản' WHERE cluster_year_id = {year}"),
    )
    .await;
    assert!(now.contains("Trả lại") || now.contains("trả lại"), "{now}");
    let inbox_now = c.get("/council/proposals?year=2023").await.body;
    assert_ne!(
        inbox_now, inbox,
        "the inbox did not show the dossier returned"
    );
    let now = after(
        &app,
        &c,
        &now,
        "an award type renamed",
        "UPDATE award_types SET name = name || ' (đổi tên)'
          WHERE id IN (SELECT award_type_id FROM proposal_nominees WHERE withdrawn_at IS NULL)",
    )
    .await;
    assert!(now.contains("(đổi tên)"), "{now}");
    let now = after(
        &app,
        &c,
        &now,
        "the cluster renamed",
        &format!("UPDATE clusters SET name = '{NOI_CHINH} (đổi tên)' WHERE name = '{NOI_CHINH}'"),
    )
    .await;
    assert!(now.contains(&format!("{NOI_CHINH} (đổi tên)")));
}

#[tokio::test]
async fn a_thousand_clusters_show_fifty_to_a_page_with_a_search_by_name() {
    let app = TestApp::start().await;
    let tenant = app
        .scalar_i64("SELECT id FROM tenants WHERE code = 'langson'")
        .await;
    exec(
        &app,
        &format!(
            "WITH c AS (INSERT INTO clusters (tenant_id, name, kind)
                         SELECT {tenant}, 'Khối thi đua thử số ' || lpad(i::text, 3, '0'), 'khoi'
                           FROM generate_series(1, 120) i RETURNING id)
             INSERT INTO cluster_years (tenant_id, cluster_id, year)
             SELECT {tenant}, id, 2023 FROM c"
        ),
    )
    .await;
    let c = app.login("quantri.langson").await;
    let r = c.get("/council?year=2023").await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Rows of the clusters' table (the awards' table below names the same clusters).
    let rows = |body: &str| {
        let table = &body[body.find("id=\"clusters\"").unwrap()..];
        table[..table.find("</table>").unwrap()]
            .matches("\">Khối thi đua thử số")
            .count()
    };
    // 121 clusters: one page of 50, and the way to the next.
    assert!(
        r.body.contains("Cụm, khối thứ 1–50 trong 121"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Trang 1 / 3"), "{}", r.body);
    let last = c.get("/council?year=2023&page=3").await;
    assert!(
        last.body.contains("Cụm, khối thứ 101–121 trong 121"),
        "{}",
        last.body
    );
    // Every cluster is on one page; the .xlsx has them all.
    let mut seen = 0;
    for page in 1..=3 {
        let body = c.get(&format!("/council?year=2023&page={page}")).await.body;
        seen += rows(&body);
    }
    assert_eq!(seen, 120, "every test cluster once over the three pages");
    let found = c.get("/council?year=2023&q=thu+so+07").await;
    assert!(
        found
            .body
            .contains("Cụm, khối thứ 1–10 trong 10 có tên chứa “thu so 07”"),
        "{}",
        found.body
    );
    assert!(found.body.contains("Khối thi đua thử số 070"));
    assert!(!found.body.contains("Khối thi đua thử số 080"));
    let none = c.get("/council?year=2023&q=%3Cscript%3E").await;
    assert_eq!(none.status, 200);
    assert!(
        none.body
            .contains("Không có cụm, khối nào có tên chứa “&#60;script&#62;”"),
        "{}",
        none.body
    );
    // The inbox lists them the same way.
    let inbox = c.get("/council/proposals?year=2023&page=3").await;
    assert_eq!(inbox.status, 200);
    assert!(
        inbox.body.contains("Cụm, khối thứ 101–121 trong 121"),
        "{}",
        inbox.body
    );
    let inbox = c.get("/council/proposals?year=2023&q=thu+so+07").await;
    assert!(
        inbox
            .body
            .contains("Cụm, khối thứ 1–10 trong 10 có tên chứa “thu so 07”"),
        "{}",
        inbox.body
    );
    assert!(inbox.body.contains("Khối thi đua thử số 079"));
    let odd = c.get("/council?year=2023&page=abc").await;
    assert_eq!(odd.status, 200);
    assert!(odd.body.contains("Trang 1 / 3"));
}

/// The council's home: "N đơn vị đang hoạt động, M tài khoản" and the clusters' count.
async fn home_counts(c: &Client) -> (i64, i64) {
    let r = c.get("/").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let i = r
        .body
        .find("đơn vị đang hoạt động")
        .expect("the council's figures");
    let units = r.body[..i]
        .rsplit("<p class=\"figure\">")
        .next()
        .and_then(|s| s.split('<').next())
        .and_then(|s| s.trim().parse().ok())
        .expect("units figure");
    let users = r.body[i..]
        .split("hoạt động, ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .expect("accounts figure");
    (units, users)
}

#[tokio::test]
async fn the_councils_home_counts_follow_units_and_accounts_written_anywhere() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let (units, users) = home_counts(&c).await;
    assert!(units > 0 && users > 0);
    assert_eq!(home_counts(&c).await, (units, users));
    exec(&app, "UPDATE units SET active = false WHERE code = 'csd2'").await;
    assert_eq!(home_counts(&c).await, (units - 1, users));
    exec(
        &app,
        "UPDATE users SET disabled = true WHERE username = 'canbo.thads-ls'",
    )
    .await;
    assert_eq!(home_counts(&c).await, (units - 1, users - 1));
    exec(
        &app,
        "INSERT INTO users (tenant_id, username, full_name, role, password_hash)
         SELECT tenant_id, 'moi.langson', 'Cán bộ mới', role, password_hash
           FROM users WHERE username = 'quantri.langson'",
    )
    .await;
    assert_eq!(home_counts(&c).await, (units - 1, users));
    // A login is not a change of the counts.
    let before = app.scalar_i64("SELECT version FROM catalog_versions WHERE tenant_id = (SELECT id FROM tenants WHERE code = 'langson')").await;
    app.login("thutruong.tand-ls").await;
    let after = app.scalar_i64("SELECT version FROM catalog_versions WHERE tenant_id = (SELECT id FROM tenants WHERE code = 'langson')").await;
    assert_eq!(before, after, "a login raised the catalog version");
}

#[tokio::test]
async fn the_councils_year_list_follows_cluster_years_added_and_removed_anywhere() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let has_2031 = |body: &str| body.contains("<option value=\"2031\"");
    assert!(!has_2031(&c.get("/council").await.body));
    let tenant = app
        .scalar_i64("SELECT id FROM tenants WHERE code = 'langson'")
        .await;
    exec(
        &app,
        &format!(
            "INSERT INTO cluster_years (tenant_id, cluster_id, year)
             SELECT {tenant}, id, 2031 FROM clusters WHERE name = '{NOI_CHINH}'"
        ),
    )
    .await;
    assert!(has_2031(&c.get("/council").await.body));
    assert!(has_2031(&c.get("/council/proposals").await.body));
    exec(&app, "DELETE FROM cluster_years WHERE year = 2031").await;
    assert!(!has_2031(&c.get("/council").await.body));
    assert!(!has_2031(&c.get("/council/proposals").await.body));
}
