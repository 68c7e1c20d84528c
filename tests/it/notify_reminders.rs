//! Deadline reminders (issue 14) notify.rs does not cover: registration and dossier
//! reminders, and a reminder day missed while the server was down, caught up once.

use crate::harness::TestApp;
use crate::notify::{clear, of_kind, staff, who};
use crate::scoring::setup;
use crate::voting::unit_id;

/// 03:00 UTC (10:00 in Viet Nam) on the given day.
fn at(y: i32, m: u32, d: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono::Utc.with_ymd_and_hms(y, m, d, 3, 0, 0).unwrap()
}

#[tokio::test]
async fn registration_reminders_go_to_the_units_that_have_not_submitted() {
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await;
    sqlx::query(&format!(
        "UPDATE cluster_years SET registration_deadline = '2099-06-10' WHERE id = {}",
        y.id
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    // Công an tỉnh has submitted; Tòa án has a draft, which is still late.
    for (unit, state) in [
        (y.ca, "submitted"),
        (unit_id(&app, "tand-ls").await, "draft"),
    ] {
        sqlx::query(
            "INSERT INTO registrations (tenant_id, cluster_year_id, unit_id, state)
             SELECT tenant_id, $1, $2, $3 FROM units WHERE id = $2
             ON CONFLICT (tenant_id, cluster_year_id, unit_id) DO UPDATE SET state = $3",
        )
        .bind(y.id)
        .bind(unit)
        .bind(state)
        .execute(&app.owner)
        .await
        .unwrap();
    }
    clear(&app).await;
    thidua::notify::reminders::run_once(&app.pool, at(2099, 6, 7))
        .await
        .unwrap();
    let late = ["tand-ls", "thads-ls", "qs-ls", "bp-ls", "vks-ls", "csd2"];
    let mut reminded = who(&app, "reminder_registration").await;
    reminded.dedup();
    assert_eq!(reminded, staff(&app, &late).await);
    for (username, title, body, link, _) in of_kind(&app, "reminder_registration").await {
        assert!(
            title.contains("gửi đăng ký thi đua") && title.contains("còn 3 ngày"),
            "{title}"
        );
        assert!(body.contains("10/06/2099"), "{body}");
        let code = username.split_once('.').unwrap().1;
        let u = unit_id(&app, code).await;
        assert_eq!(
            link,
            format!("/years/{}/registrations/{u}", y.id),
            "{username}"
        );
    }
    let summary = of_kind(&app, "reminder_summary").await;
    assert_eq!(
        summary.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        staff(&app, &["thads-ls"]).await
    );
    assert!(
        summary[0]
            .1
            .starts_with("6 đơn vị chưa gửi đăng ký thi đua"),
        "{}",
        summary[0].1
    );
    assert!(!summary[0].2.contains("Công an"), "{}", summary[0].2);
    assert_eq!(summary[0].3, format!("/years/{}/registrations", y.id));
}

#[tokio::test]
async fn a_dossier_reminder_goes_to_the_leader_unit_and_its_summary_to_the_council() {
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await;
    // Lạng Sơn 2025 is voting; its dossier is due on the council's day, 10 December 2025.
    sqlx::query(&format!(
        "UPDATE cluster_years SET phase = 'voting' WHERE id = {}",
        y.id
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    clear(&app).await;
    thidua::notify::reminders::run_once(&app.pool, at(2025, 12, 9))
        .await
        .unwrap();
    let link = format!("/years/{}/proposal", y.id);
    let ours = |rows: Vec<(String, String, String, String, String)>| -> Vec<_> {
        rows.into_iter().filter(|r| r.3 == link).collect()
    };
    let reminded = ours(of_kind(&app, "reminder_dossier").await);
    assert_eq!(
        reminded.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        staff(&app, &["thads-ls"]).await
    );
    assert!(reminded[0].1.contains("còn 1 ngày"), "{}", reminded[0].1);
    assert!(reminded[0].2.contains("10/12/2025"), "{}", reminded[0].2);
    let summary = ours(of_kind(&app, "reminder_summary").await);
    let admins: Vec<String> = sqlx::query_scalar(
        "SELECT u.username FROM users u JOIN tenants t ON t.id = u.tenant_id
          WHERE t.code = 'langson' AND u.role = 'tenant_admin' AND NOT u.disabled
          ORDER BY u.username",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(
        summary.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        admins
    );
    assert!(
        summary[0]
            .1
            .starts_with("1 đơn vị chưa gửi hồ sơ đề nghị khen thưởng"),
        "{}",
        summary[0].1
    );
}

/// The titles of the reminders of `kind`.
async fn reminders(app: &TestApp, kind: &str) -> Vec<String> {
    of_kind(app, kind).await.into_iter().map(|r| r.1).collect()
}

#[tokio::test]
async fn a_reminder_day_missed_while_the_server_was_down_is_sent_once_the_next_day() {
    let app = TestApp::start().await;
    let y = setup(&app, "10/12/2099").await;
    let run = |now| thidua::notify::reminders::run_once(&app.pool, now);
    let late = [
        "tand-ls", "thads-ls", "qs-ls", "bp-ls", "ca-ls", "vks-ls", "csd2",
    ];
    let late_staff = staff(&app, &late).await.len();
    let leader_staff = staff(&app, &["thads-ls"]).await.len();
    assert!(y.id > 0);
    clear(&app).await;

    // Seven days before, on time.
    assert_eq!(
        run(at(2099, 12, 3)).await.unwrap() as usize,
        late_staff + leader_staff
    );
    // Down on the 7th (three days before); back on the 8th: the three-day reminder, once,
    // worded with the two days really left.
    clear(&app).await;
    assert_eq!(
        run(at(2099, 12, 8)).await.unwrap() as usize,
        late_staff + leader_staff
    );
    let titles = reminders(&app, "reminder_scoring").await;
    assert_eq!(titles.len(), late_staff, "one each, not one per missed day");
    assert!(
        titles.iter().all(|t| t.contains("còn 2 ngày")),
        "{titles:#?}"
    );
    let summary = reminders(&app, "reminder_summary").await;
    assert_eq!(summary.len(), leader_staff);
    assert!(summary[0].contains("còn 2 ngày"), "{}", summary[0]);
    assert_eq!(run(at(2099, 12, 8)).await.unwrap(), 0, "never twice");

    // Down from the 9th to the 12th (the one-day reminder and the day after both missed):
    // the 13th sends only the latest, the day after's, saying how late it is.
    clear(&app).await;
    assert_eq!(
        run(at(2099, 12, 13)).await.unwrap() as usize,
        late_staff + leader_staff
    );
    let titles = reminders(&app, "reminder_scoring").await;
    assert_eq!(titles.len(), late_staff);
    assert!(
        titles.iter().all(|t| t.contains("đã quá hạn 3 ngày")),
        "{titles:#?}"
    );
    assert_eq!(run(at(2099, 12, 14)).await.unwrap(), 0);
    assert_eq!(run(at(2099, 12, 13)).await.unwrap(), 0);
    // Only the days caught up are claimed: 7, 3 and the day after, never the one-day.
    let claimed: Vec<i16> = sqlx::query_scalar(
        "SELECT DISTINCT days_before FROM reminders_sent WHERE deadline_kind = 'scoring'
          ORDER BY 1 DESC",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(claimed, vec![7, 3, -1]);
}
