//! The demo in the present (issue 11, item 9): loaded on today's date, its latest year is the
//! current one, in the phase the README gives; days late count to a sheet's hand-in; the
//! leader's dashboard links only what the leader may open; a dossier's history is dated in the
//! demo's story; the council's home shows its dossiers.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use thidua::config::WebConfig;

use crate::harness::{Client, Template, TestApp};
use crate::voting::{NOI_CHINH, year_id};
use crate::walk::Walk;

/// The demo as `thidua demo` loads it on a fresh database: anchored on today's date.
async fn demo_today() -> TestApp {
    let app = TestApp::start_with(Template::Empty, WebConfig::default()).await;
    thidua::demo::load(&app.pool).await.unwrap();
    app
}

fn this_year() -> i32 {
    thidua::web::vn::today().year()
}

/// The same-site links of a page (printouts and downloads included, the logout excluded).
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=\"/") {
        rest = &rest[i + 6..];
        let end = rest.find('"').unwrap_or(0);
        let link = rest[..end].replace("&amp;", "&");
        if !link.starts_with("/static") && !link.contains("logout") {
            out.push(link);
        }
    }
    out
}

/// The rows of the dashboard's table of members, as HTML.
fn result_rows(html: &str) -> Vec<String> {
    let start = html.find("id=\"results\"").expect("the table of members");
    let body = &html[start..];
    let body = &body[..body.find("</tbody>").unwrap()];
    body.split("<tr>").skip(2).map(str::to_string).collect()
}

/// A dashboard path's links answer 200 for `who`; a query-only link ("?sort=…") is the page's.
async fn every_link_answers(c: &Client, who: &str, page: &str) -> Vec<String> {
    let r = c.get(page).await;
    assert_eq!(r.status, 200, "{who}: {page}");
    let found = links(&r.body);
    for l in &found {
        let got = c.get(l).await;
        assert_eq!(
            got.status, 200,
            "{who}: the link {l} on {page} answers {}",
            got.status
        );
    }
    let mut sorts = 0;
    for q in ["?sort=", "?sort=rank", "?sort=name", "?sort=late"] {
        assert!(r.body.contains(&format!("href=\"{q}\"")), "{q}");
        assert_eq!(c.get(&format!("{page}{q}")).await.status, 200, "{who}: {q}");
        sorts += 1;
    }
    assert_eq!(sorts, 4);
    found
}

#[tokio::test]
async fn a_newcomer_today_finds_the_current_year_live() {
    let app = demo_today().await;
    let (now, before) = (this_year(), this_year() - 1);

    // The leader's home: the current year in the phase the README describes, and last year.
    let leader = app.login("canbo.thads-ls").await;
    let home = leader.get("/").await.body;
    let live = format!("{NOI_CHINH} — năm {now}</a>: Cụm trưởng · Chấm điểm, thẩm định");
    assert!(home.contains(&live), "{home}");
    assert!(home.contains(&format!("{NOI_CHINH} — năm {before}</a>")));
    assert!(!home.contains("năm 2024<") || now == 2024, "{home}");
    let y = year_id(&app, NOI_CHINH, now).await;
    let page = leader.get(&format!("/years/{y}")).await.body;
    assert!(page.contains("Chấm điểm, thẩm định"), "{page}");

    // The dashboard shows this year; no handed-in sheet is late (the demo handed them in
    // before the deadline of 5 December).
    let dash = leader.get(&format!("/years/{y}/scoring")).await.body;
    assert!(dash.contains(&format!("Kết quả chấm điểm năm {now}")));
    assert!(
        dash.contains(&format!("<strong>05/12/{now}</strong>")),
        "{dash}"
    );
    let rows = result_rows(&dash);
    assert_eq!(rows.len(), 7);
    let handed_in = rows
        .iter()
        .filter(|r| r.contains("Đã thẩm định") || r.contains("Đã nộp, chờ thẩm định"))
        .collect::<Vec<_>>();
    assert_eq!(handed_in.len(), 5, "{rows:?}");
    for r in handed_in {
        assert!(
            !r.contains("class=\"late\""),
            "a sheet handed in on time is late: {r}"
        );
    }
    every_link_answers(&leader, "canbo.thads-ls", &format!("/years/{y}/scoring")).await;

    // Every year and date moved together: the courts' years too, and nothing lies beyond now.
    let years: Vec<i32> = sqlx::query_scalar("SELECT DISTINCT year FROM cluster_years ORDER BY 1")
        .fetch_all(&app.owner)
        .await
        .unwrap();
    let s = now - 2024;
    assert_eq!(years, vec![2019 + s, 2020 + s, 2023 + s, 2024 + s]);
    let latest: NaiveDate = sqlx::query_scalar(
        "SELECT max(d) FROM (SELECT scoring_deadline AS d FROM cluster_years
          UNION ALL SELECT registration_deadline FROM cluster_years
          UNION ALL SELECT letter_date FROM proposals
          UNION ALL SELECT decision_date FROM unit_awards) x",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(latest, NaiveDate::from_ymd_opt(now, 12, 5).unwrap());

    // The documents still render, citing the texts in force on each dossier's (moved) date.
    for (tenant, admin) in [("toaan", "quantri.toaan"), ("langson", "quantri.langson")] {
        let (p, letter): (i64, NaiveDate) = sqlx::query_as(
            "SELECT p.id, p.letter_date FROM proposals p JOIN tenants t ON t.id = p.tenant_id
              WHERE t.code = $1",
        )
        .bind(tenant)
        .fetch_one(&app.owner)
        .await
        .unwrap();
        let citation: String = sqlx::query_scalar(
            "SELECT citation FROM rule_sets WHERE effective_from IS NULL OR effective_from <= $1
              ORDER BY effective_from DESC NULLS LAST LIMIT 1",
        )
        .bind(letter)
        .fetch_one(&app.owner)
        .await
        .unwrap();
        let council = app.login(admin).await;
        for doc in ["to-trinh", "bien-ban", "danh-sach"] {
            let t = council.get(&format!("/proposals/{p}/print/{doc}")).await;
            assert_eq!(t.status, 200, "{tenant} {doc}");
            if doc == "to-trinh" {
                assert!(t.body.contains(&citation), "{tenant} {letter}: {}", t.body);
            }
            let docx = council
                .get_bytes(&format!("/proposals/{p}/docx/{doc}"))
                .await;
            assert_eq!(docx.0, 200, "{tenant} {doc}.docx");
        }
    }

    // Loading again (the next `thidua demo`) keeps the years it was loaded with.
    let count = "SELECT (SELECT count(*) FROM cluster_years) + (SELECT count(*) FROM scoresheets)
                      + (SELECT count(*) FROM proposals) + (SELECT count(*) FROM movements)";
    let before_reload = app.scalar_i64(count).await;
    assert_eq!(thidua::demo::anchor(&app.pool).await.unwrap(), now);
    thidua::demo::load(&app.pool).await.unwrap();
    assert_eq!(app.scalar_i64(count).await, before_reload);
}

#[tokio::test]
async fn days_late_count_to_the_hand_in_and_for_the_rest_to_today() {
    // The tests' demo keeps the articles' calendar: its 2024 deadline (5/12/2024) is long past.
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let dash = leader.get(&format!("/years/{y}/scoring")).await.body;
    let deadline = NaiveDate::from_ymd_opt(2024, 12, 5).unwrap();
    let overdue = (thidua::web::vn::today() - deadline).num_days();
    let rows = result_rows(&dash);
    assert_eq!(rows.len(), 7);
    let mut counted = 0;
    for r in &rows {
        let handed_in = r.contains("Đã thẩm định") || r.contains("Đã nộp, chờ thẩm định");
        if handed_in {
            assert!(
                !r.contains("class=\"late\""),
                "handed in on time, yet late: {r}"
            );
        } else {
            // A draft or a returned sheet is still due: late from the deadline to today.
            let late = format!("<span class=\"late\">{overdue} ngày</span>");
            assert!(r.contains(&late), "{overdue} days late expected: {r}");
        }
        counted += 1;
    }
    assert_eq!(counted, 7);
    assert_eq!(dash.matches("class=\"late\"").count(), 2, "{dash}");
}

#[tokio::test]
async fn every_link_on_the_leaders_dashboard_answers_200() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let page = format!("/years/{y}/scoring");
    // The leader's staff and head, the deputy's staff, and the council.
    for who in [
        "canbo.thads-ls",
        "thutruong.thads-ls",
        "canbo.csd2",
        "quantri.langson",
    ] {
        let c = app.login(who).await;
        let found = every_link_answers(&c, who, &page).await;
        assert!(!found.is_empty(), "{who}");
    }
    // The draft of Tiểu đoàn CSCĐ số 2 is shown, with its state, but not linked for the leader;
    // its own staff still open it from their dashboard.
    let csd2: i64 = app
        .scalar_i64("SELECT id FROM units WHERE code = 'csd2'")
        .await;
    let leader = app.login("canbo.thads-ls").await;
    let dash = leader.get(&page).await.body;
    let sheet = format!("/years/{y}/sheets/{csd2}\"");
    assert!(!dash.contains(&sheet), "{dash}");
    let row = result_rows(&dash)
        .into_iter()
        .find(|r| r.contains("Tiểu đoàn Cảnh sát cơ động số 2"))
        .unwrap();
    assert!(row.contains("Đang soạn"), "{row}");
    assert_eq!(leader.get(&sheet[..sheet.len() - 1]).await.status, 403);
    let own = app.login("canbo.csd2").await;
    assert!(own.get(&page).await.body.contains(&sheet));
}

/// (when, step) of the dossier page's history.
fn steps(html: &str) -> Vec<(NaiveDateTime, String)> {
    let start = html.find("Các bước của hồ sơ").expect("the history");
    let body = &html[start..];
    let body = &body[body.find("<tbody>").unwrap()..body.find("</tbody>").unwrap()];
    body.split("<tr><td>")
        .skip(1)
        .map(|row| {
            let cells: Vec<&str> = row.split("</td><td>").collect();
            let at = NaiveDateTime::parse_from_str(cells[0], "%d/%m/%Y %H:%M").unwrap();
            (at, cells[1].to_string())
        })
        .collect()
}

#[tokio::test]
async fn a_decided_dossier_lists_its_steps_in_order_on_the_dates_of_its_story() {
    let app = TestApp::start().await;
    let council = app.login("quantri.langson").await;
    let p = app
        .scalar_i64(
            "SELECT p.id FROM proposals p JOIN cluster_years y ON y.id = p.cluster_year_id
              WHERE y.year = 2023 AND p.state = 'decided'",
        )
        .await;
    let page = council.get(&format!("/proposals/{p}")).await;
    assert_eq!(page.status, 200);
    let s = steps(&page.body);
    let names: Vec<&str> = s.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(
        names,
        ["Dự thảo", "Đã gửi", "Đã tiếp nhận", "Đã quyết định"],
        "{}",
        page.body
    );
    // Drafted on the afternoon of the meeting (9/1/2024), decided on 26/1/2024.
    let at = |d: u32, h: u32| {
        NaiveDate::from_ymd_opt(2024, 1, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    };
    assert_eq!(s[0].0, at(9, 16));
    assert_eq!(s[3].0, at(26, 15));
    assert!(s.windows(2).all(|w| w[0].0 < w[1].0), "{s:?}");

    // The courts' 2019 dossier, received and waiting: drafted at its meeting of 20/12/2019.
    let toaan = app.login("quantri.toaan").await;
    let p = app
        .scalar_i64(
            "SELECT p.id FROM proposals p JOIN cluster_years y ON y.id = p.cluster_year_id
              WHERE y.year = 2019",
        )
        .await;
    let s = steps(&toaan.get(&format!("/proposals/{p}")).await.body);
    assert_eq!(s[0].1, "Dự thảo");
    assert_eq!(
        s[0].0.date(),
        NaiveDate::from_ymd_opt(2019, 12, 20).unwrap()
    );
    assert!(s.windows(2).all(|w| w[0].0 < w[1].0), "{s:?}");
}

#[tokio::test]
async fn the_councils_home_shows_its_dossiers_not_a_promise() {
    let app = TestApp::start().await;
    let toaan = app.login("quantri.toaan").await;
    let home = toaan.get("/").await.body;
    let start = home
        .find("<h2>Hồ sơ đề nghị khen thưởng</h2>")
        .expect("the panel");
    let panel = &home[start..start + home[start..].find("</section>").unwrap()];
    // Cụm VI's 2019 dossier was received and waits for the decision.
    assert!(panel.contains("<p class=\"figure\">1</p>"), "{panel}");
    assert!(
        panel.contains("0 đã gửi, chưa tiếp nhận; 1 đã tiếp nhận"),
        "{panel}"
    );
    assert!(!home.contains("Sắp có"));
    let list = toaan.get("/council/proposals").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Cụm thi đua số VI"), "{}", list.body);
    for l in links(panel) {
        assert_eq!(toaan.get(&l).await.status, 200, "{l}");
    }
    // Lạng Sơn's only dossier is decided: nothing waits.
    let ls = app.login("quantri.langson").await;
    let home = ls.get("/").await.body;
    assert!(
        home.contains("Không có hồ sơ nào đang chờ Hội đồng."),
        "{home}"
    );
}

/// (unit name, sheet path) of the dashboard's linked sheets.
fn linked_sheets(html: &str) -> Vec<(String, String)> {
    result_rows(html)
        .iter()
        .filter_map(|r| {
            let i = r.find("<a href=\"")? + 9;
            let href = &r[i..i + r[i..].find('"')?];
            let name = &r[i + href.len() + 2..];
            Some((name[..name.find("</a>")?].to_string(), href.to_string()))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomer_walks_from_the_home_page_to_every_sheet_the_dashboard_links() {
    let app = demo_today().await;
    let Some(w) = Walk::start(&app).await else {
        return;
    };
    let now = this_year();
    w.login("canbo.thads-ls").await;
    w.click(&format!("{NOI_CHINH} — năm {now}")).await;
    assert!(w.text().await.contains("Chấm điểm, thẩm định"));
    w.click("Kết quả chấm điểm, thẩm định và xếp hạng").await;
    let dashboard = w.path().await;
    let text = w.text().await;
    assert!(
        text.contains(&format!("Kết quả chấm điểm năm {now}")),
        "{text}"
    );
    w.shot("demo-present-dashboard").await;
    let sheets = linked_sheets(&w.html().await);
    // Six members have handed in or been returned; the draft of Tiểu đoàn CSCĐ số 2 is not linked.
    assert_eq!(sheets.len(), 6, "{sheets:?}");
    assert!(sheets.iter().all(|(n, _)| !n.contains("Cảnh sát cơ động")));
    for (name, href) in sheets {
        w.click_in_row(&name, &name).await;
        assert_eq!(w.path().await, href);
        let page = w.text().await;
        assert!(!page.contains("Không có quyền truy cập"), "{name}: {page}");
        assert!(page.contains(&name), "{name}: {page}");
        w.goto(&dashboard).await;
    }
}
