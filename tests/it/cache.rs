//! Results kept in memory stay right when the database changes underneath: the key is a
//! version the database bumps itself (migration 0012), read in each request's transaction, so
//! a write that went through another app instance, or none, is seen at once.

use crate::harness::{Client, TestApp, serve};

/// A client of another instance that carries the same session cookies.
fn same_session(from: &Client, base: &str) -> Client {
    let to = Client::new(base);
    let url = reqwest::Url::parse(&from.base).unwrap();
    use reqwest::cookie::CookieStore;
    if let Some(h) = from.jar.cookies(&url) {
        for kv in h.to_str().unwrap().split(';') {
            if let Some((k, v)) = kv.trim().split_once('=') {
                to.set_cookie(k, v);
            }
        }
    }
    to
}

#[tokio::test]
async fn results_cached_by_one_instance_follow_a_write_made_elsewhere() {
    let app = TestApp::start().await;
    let second = serve(thidua::AppState::new(
        app.pool.clone(),
        thidua::config::WebConfig::default(),
    ))
    .await;
    let year = app
        .scalar_i64(
            "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
              WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.year = 2023",
        )
        .await;
    let a = app.login("canbo.thads-ls").await;
    let b = same_session(&a, &format!("http://{second}"));
    let page = format!("/years/{year}/scoring");

    // Both instances have computed and kept the year's results.
    let before_a = a.get(&page).await;
    let before_b = b.get(&page).await;
    assert_eq!(before_a.status, 200);
    assert_eq!(before_a.body, before_b.body);

    // A verified figure changes behind both instances' backs, as a write through a third
    // instance would: one point less on one criterion of a finalised sheet.
    let changed = sqlx::query(
        "UPDATE sheet_entries e SET verified_points = e.verified_points - 1
           FROM scoresheets s
          WHERE s.tenant_id = e.tenant_id AND s.id = e.sheet_id
            AND s.cluster_year_id = $1 AND s.status = 'finalised'
            AND (e.tenant_id, e.sheet_id, e.criterion_id) = (
                SELECT e2.tenant_id, e2.sheet_id, e2.criterion_id
                  FROM sheet_entries e2 JOIN scoresheets s2
                    ON s2.tenant_id = e2.tenant_id AND s2.id = e2.sheet_id
                 WHERE s2.cluster_year_id = $1 AND s2.status = 'finalised'
                   AND e2.verified_points >= 1
                 ORDER BY e2.sheet_id, e2.criterion_id LIMIT 1)",
    )
    .bind(year)
    .execute(&app.owner)
    .await
    .unwrap()
    .rows_affected();
    assert_eq!(
        changed, 1,
        "the demo has a finalised sheet with verified points"
    );

    let after_a = a.get(&page).await;
    let after_b = b.get(&page).await;
    assert_ne!(
        after_a.body, before_a.body,
        "the first instance still shows the results it kept before the write"
    );
    assert_ne!(
        after_b.body, before_b.body,
        "the second instance still shows the results it kept before the write"
    );
    // And what they show is what an instance that kept nothing computes.
    let third = serve(thidua::AppState::new(
        app.pool.clone(),
        thidua::config::WebConfig::default(),
    ))
    .await;
    let cold = same_session(&a, &format!("http://{third}"))
        .get(&page)
        .await;
    assert_eq!(after_a.body, cold.body);
    assert_eq!(after_b.body, cold.body);
}
