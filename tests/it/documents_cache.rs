//! The vote page and the dossier's documents keep the tenant's names (its units, award types,
//! its own row) in memory under the catalog version the database raises on every change of them
//! (migrations 0038, 0047); every year page keeps the year and its members under the year's
//! council version and the catalog version (org::year). Each write below is made straight in the
//! database, as another app instance would make it: the next view must show it.

use crate::harness::{Client, TestApp};
use crate::statements::{id, noi_chinh_2023};

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(&app.owner).await.unwrap();
}

async fn page(c: &Client, path: &str) -> String {
    let r = c.get(path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

#[tokio::test]
async fn a_unit_award_type_or_council_changed_elsewhere_shows_on_the_next_view() {
    let app = TestApp::start().await;
    let (year, proposal) = noi_chinh_2023(&app).await;
    let vote = id(
        &app,
        &format!("SELECT vote_id FROM proposals WHERE id = {proposal}"),
    )
    .await;
    let tenant = "(SELECT tenant_id FROM units WHERE code = 'thads-ls')";
    let leader = format!("(SELECT leader_unit_id FROM cluster_years WHERE id = {year})");
    let c = app.login("canbo.thads-ls").await;
    let letter = format!("/proposals/{proposal}/print/to-trinh");
    let vote_page = format!("/votes/{vote}");

    // Read once, so that what follows is served from memory unless the version moved.
    let before = page(&c, &letter).await;
    assert!(!before.contains("Nguyễn Văn Mới"), "{before}");
    assert_eq!(page(&c, &letter).await, before, "nothing changed");

    // The leading unit's head signs the letter.
    exec(
        &app,
        &format!("UPDATE units SET head_name = 'Nguyễn Văn Mới' WHERE id = {leader}"),
    )
    .await;
    let now = page(&c, &letter).await;
    assert!(now.contains("Nguyễn Văn Mới"), "a new head: {now}");

    // Without a place of its own, the letter is dated at the council's place.
    exec(
        &app,
        &format!("UPDATE units SET place_name = '' WHERE id = {leader}"),
    )
    .await;
    page(&c, &letter).await;
    exec(
        &app,
        &format!("UPDATE tenants SET place_name = 'Mẫu Sơn' WHERE id = {tenant}"),
    )
    .await;
    let now = page(&c, &letter).await;
    assert!(now.contains("Mẫu Sơn"), "the council's new place: {now}");

    // The council's share on the vote page names the award types.
    let share = page(&c, &vote_page).await;
    assert!(share.contains("mỗi cụm, khối tối đa"), "{share}");
    exec(
        &app,
        &format!(
            "UPDATE award_types SET name = name || ' (tên mới)'
              WHERE tenant_id = {tenant} AND quota_per_cluster IS NOT NULL
                AND target = 'collective' AND active"
        ),
    )
    .await;
    let now = page(&c, &vote_page).await;
    assert!(
        now.contains(" (tên mới): mỗi cụm, khối tối đa"),
        "an award type renamed: {now}"
    );
}

#[tokio::test]
async fn a_year_its_members_and_their_names_changed_elsewhere_show_on_the_next_view() {
    let app = TestApp::start().await;
    let (year, _) = noi_chinh_2023(&app).await;
    let tenant = "(SELECT tenant_id FROM units WHERE code = 'thads-ls')";
    let c = app.login("canbo.thads-ls").await;
    let path = format!("/years/{year}");
    let members = |body: &str| {
        let m = body
            .split("<dt>Số thành viên</dt><dd>")
            .nth(1)
            .unwrap_or("");
        m.split('<').next().unwrap_or("").to_string()
    };
    let before = page(&c, &path).await;
    let count: usize = members(&before).parse().expect("the member count");
    assert!(!before.contains("(tên mới)"), "{before}");

    // A member's name: the tenant's catalog version.
    exec(
        &app,
        "UPDATE units SET name = name || ' (tên mới)' WHERE code = 'thads-ls'",
    )
    .await;
    let now = page(&c, &path).await;
    assert!(
        now.contains("Lạng Sơn (tên mới)"),
        "a member renamed: {now}"
    );

    // The cluster's name: the catalog version too.
    exec(
        &app,
        &format!(
            "UPDATE clusters SET name = name || ' (đổi tên)'
              WHERE id = (SELECT cluster_id FROM cluster_years WHERE id = {year})"
        ),
    )
    .await;
    let now = page(&c, &path).await;
    assert!(now.contains("tỉnh (đổi tên) — năm thi đua 2023"), "{now}");

    // A new unit, seen once so that only the year's own version moves next.
    exec(
        &app,
        &format!(
            "INSERT INTO units (tenant_id, code, name) VALUES ({tenant}, 'moi-ls', 'Đơn vị Mới Thêm')"
        ),
    )
    .await;
    page(&c, &path).await;
    // A member added: the year's council version, through its results version.
    exec(
        &app,
        &format!(
            "INSERT INTO cluster_members (tenant_id, cluster_year_id, unit_id, kind, year)
             SELECT y.tenant_id, y.id, (SELECT id FROM units WHERE code = 'moi-ls'), c.kind, y.year
               FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id WHERE y.id = {year}"
        ),
    )
    .await;
    let now = page(&c, &path).await;
    assert_eq!(
        members(&now),
        (count + 1).to_string(),
        "a member added: {now}"
    );
    assert!(now.contains("Đơn vị Mới Thêm"), "{now}");

    // The year's own row: its deputy.
    exec(
        &app,
        &format!(
            "UPDATE cluster_years SET deputy_unit_id = (SELECT id FROM units WHERE code = 'moi-ls')
              WHERE id = {year}"
        ),
    )
    .await;
    let now = page(&c, &path).await;
    assert!(
        now.contains("<dt>Cụm phó</dt><dd>Đơn vị Mới Thêm</dd>"),
        "a new deputy: {now}"
    );
}

#[tokio::test]
async fn a_units_new_year_and_renamed_cluster_show_on_its_home_page() {
    let app = TestApp::start().await;
    let (year, _) = noi_chinh_2023(&app).await;
    let c = app.login("canbo.thads-ls").await;
    let cluster = format!("(SELECT cluster_id FROM cluster_years WHERE id = {year})");
    let before = page(&c, "/").await;
    assert!(
        before.contains("Cụm thi đua các cơ quan Nội chính tỉnh — năm 2023"),
        "{before}"
    );
    assert!(!before.contains("— năm 2031"), "{before}");

    // The unit in a year it was not in: that year's own versions are unknown to the page.
    exec(
        &app,
        &format!(
            "INSERT INTO cluster_years (tenant_id, cluster_id, year)
             SELECT tenant_id, id, 2031 FROM clusters WHERE id = {cluster}"
        ),
    )
    .await;
    exec(
        &app,
        &format!(
            "INSERT INTO cluster_members (tenant_id, cluster_year_id, unit_id, kind, year)
             SELECT y.tenant_id, y.id, u.id, c.kind, y.year
               FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
               JOIN units u ON u.code = 'thads-ls'
              WHERE y.cluster_id = {cluster} AND y.year = 2031"
        ),
    )
    .await;
    let now = page(&c, "/").await;
    assert!(
        now.contains("Cụm thi đua các cơ quan Nội chính tỉnh — năm 2031"),
        "a new year: {now}"
    );

    // A year's phase (its own row) and the cluster's name (the catalog).
    exec(
        &app,
        &format!("UPDATE clusters SET name = name || ' (đổi tên)' WHERE id = {cluster}"),
    )
    .await;
    let now = page(&c, "/").await;
    assert!(
        now.contains("Nội chính tỉnh (đổi tên) — năm 2031"),
        "a cluster renamed: {now}"
    );
    let line = |body: &str| {
        let rest = body.split("— năm 2031</a>").nth(1).unwrap_or("");
        rest.split("</li>").next().unwrap_or("").to_string()
    };
    assert!(!line(&now).contains("Ký giao ước"), "{now}");
    exec(
        &app,
        "UPDATE cluster_years SET phase = 'pledging' WHERE year = 2031",
    )
    .await;
    let now = page(&c, "/").await;
    assert!(line(&now).contains("Ký giao ước"), "a new phase: {now}");
}
