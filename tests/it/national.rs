//! `thidua generate` at a tiny scale: the generated accounts log in with the shared password and
//! the main pages of every role answer with the generated figures.

use rust_decimal::Decimal;
use thidua::config::WebConfig;
use thidua::national::{self, Params};

use crate::harness::{Client, Template, TestApp};

/// The text of a page without tags, whitespace collapsed.
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

/// GETs a page, expects 200 and returns its text.
async fn page(c: &Client, path: &str) -> String {
    let r = c.get(path).await;
    assert_eq!(r.status, 200, "GET {path}: {}", r.body);
    text(&r.body)
}

/// A figure as the pages write it: "100,5", "96".
fn vn(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

#[tokio::test]
async fn generated_data_fills_the_pages_of_every_role() {
    let app = TestApp::start_with(Template::Empty, WebConfig::default()).await;
    let params = Params {
        last_year: Some(2024),
        ..Params::small("itnat")
    };
    let m = national::generate(&app.options, &params).await.unwrap();
    println!("{}", national::describe(&m));

    assert_eq!(m.tenant_codes, ["itnat-01", "itnat-02"]);
    assert_eq!((m.first_year, m.last_year, m.year), (2023, 2024, 2024));
    // 40 units over 4 clusters in 2 years, 5 criteria a sheet.
    assert_eq!(m.rows["units"], 40);
    assert_eq!(m.rows["users"], 200 + 2);
    assert_eq!(m.rows["cluster_years"], 8);
    assert_eq!(m.rows["scoresheets"], 80);
    assert_eq!(m.rows["sheet_entries"], 400);
    assert_eq!(m.rows["pledge_signatures"], 80);
    assert_eq!(m.rows["proposals"], 8);
    assert_eq!(m.rows["award_decisions"], 8);
    assert!(m.rows["unit_awards"] >= 8);
    assert!(m.database_bytes > 0);
    // The database agrees, and every sheet is final with a verified score on every line.
    let open: i64 = app
        .scalar_i64(
            "SELECT count(*) FROM sheet_entries e JOIN scoresheets s ON s.id = e.sheet_id
              WHERE s.status <> 'finalised' OR e.verified_points IS NULL",
        )
        .await;
    assert_eq!(open, 0);
    let users = app
        .scalar_i64("SELECT count(*) FROM users WHERE username LIKE '%itnat%'")
        .await;
    assert_eq!(users, 202);

    let (cy, unit, pid) = (m.cluster_year_id, m.unit_id, m.proposal_id);
    let unit_name: String = sqlx::query_scalar("SELECT name FROM units WHERE id = $1")
        .bind(unit)
        .fetch_one(&app.owner)
        .await
        .unwrap();
    let (score, rank, award): (Option<Decimal>, Option<i32>, String) = sqlx::query_as(
        "SELECT n.score, n.rank, a.name FROM proposal_nominees n
           JOIN award_types a ON a.id = n.award_type_id
          WHERE n.proposal_id = $1 AND n.unit_id = $2 ORDER BY a.position LIMIT 1",
    )
    .bind(pid)
    .bind(unit)
    .fetch_one(&app.owner)
    .await
    .expect("the sample unit is a nominee of the sample dossier");
    let (score, rank) = (score.expect("score"), rank.expect("rank"));
    let decision: String =
        sqlx::query_scalar("SELECT number FROM award_decisions WHERE proposal_id = $1")
            .bind(pid)
            .fetch_one(&app.owner)
            .await
            .unwrap();

    // The leader unit's officer: the dashboard ranks every member on verified totals.
    let officer = app.login(&m.leader_officer).await;
    page(&officer, "/").await;
    let dash = page(&officer, &format!("/years/{cy}/scoring")).await;
    assert!(dash.contains(&unit_name), "{dash}");
    assert!(dash.contains(&vn(score)), "{dash}");
    assert!(
        dash.contains("Xuất sắc") && dash.contains("Đã thẩm định"),
        "{dash}"
    );
    let sheet = page(&officer, &format!("/years/{cy}/sheets/{unit}")).await;
    assert!(
        sheet.contains("Hoàn thành các chỉ tiêu nhiệm vụ chuyên môn được giao trong năm"),
        "{sheet}"
    );
    assert!(sheet.contains("Minh-chung-2.1-dv"), "{sheet}");
    assert!(
        sheet.contains(&format!("Tổng thẩm định {}", vn(score))),
        "{sheet}"
    );

    // A member's head: its home, its sheet, the locked pledge, its history with the award.
    let head = app.login(&m.member_head).await;
    let home = page(&head, "/").await;
    assert!(home.contains(&unit_name), "{home}");
    page(&head, &format!("/years/{cy}/sheets/{unit}")).await;
    let pledge = page(&head, &format!("/years/{cy}/pledge")).await;
    assert!(pledge.contains("Đã ký kết đủ, đã khóa"), "{pledge}");
    assert!(
        pledge.contains("phát động phong trào thi đua năm 2024"),
        "{pledge}"
    );
    let history = page(&head, &format!("/units/{unit}/history")).await;
    assert!(history.contains(&award), "{history}");
    assert!(history.contains(&decision), "{history}");
    assert!(history.contains(&format!("{rank}/")), "{history}");

    // The tenant admin: the dossier as decided, and the council's dashboard.
    let admin = app.login(&m.tenant_admin).await;
    page(&admin, "/").await;
    let dossier = page(&admin, &format!("/proposals/{pid}")).await;
    assert!(
        dossier.contains(&unit_name) && dossier.contains(&award),
        "{dossier}"
    );
    assert!(dossier.contains(&decision), "{dossier}");
    assert!(dossier.contains("Đã quyết định"), "{dossier}");
    let council = page(&admin, "/council").await;
    assert!(council.contains("năm 2024"), "{council}");
    assert!(council.contains("Cụm thi đua số 1"), "{council}");
    assert!(council.contains("Đã quyết định"), "{council}");
    assert!(!council.contains("Vượt"), "{council}");
    page(&admin, &format!("/units/{unit}/history")).await;

    // The other tenant's admin sees none of it.
    let other = app.login("quantri.itnat-02").await;
    assert_ne!(other.get(&format!("/proposals/{pid}")).await.status, 200);
    assert_ne!(other.get(&format!("/years/{cy}/scoring")).await.status, 200);

    // The prefix keeps runs apart: the same prefix again is refused before writing anything.
    let again = national::generate(&app.options, &params).await;
    assert!(again.is_err());
}
