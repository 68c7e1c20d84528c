//! Notifications (issue 14): each event reaches the right people and nobody else, the list
//! page and its badge, a user sees only their own, and deadline reminders go out on the chosen
//! days, once, even from two passes at the same moment.

use chrono::{TimeZone, Utc};

use crate::harness::{Client, TestApp};
use crate::scoring::{PDF, Year, save, setup, upload};

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

/// (username, title, body, link, actor) of every notification of `kind`, by username.
pub async fn of_kind(app: &TestApp, kind: &str) -> Vec<(String, String, String, String, String)> {
    sqlx::query_as(
        "SELECT u.username, n.title, n.body, n.link, n.actor
           FROM notifications n JOIN users u ON u.id = n.user_id
          WHERE n.kind = $1 ORDER BY u.username, n.id",
    )
    .bind(kind)
    .fetch_all(&app.owner)
    .await
    .unwrap()
}

pub async fn who(app: &TestApp, kind: &str) -> Vec<String> {
    of_kind(app, kind).await.into_iter().map(|r| r.0).collect()
}

/// The usernames of a unit's staff (head and officers, not disabled).
pub async fn staff(app: &TestApp, unit_codes: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = sqlx::query_scalar(
        "SELECT u.username FROM users u JOIN units n ON n.id = u.unit_id
          WHERE n.code = ANY($1) AND NOT u.disabled ORDER BY u.username",
    )
    .bind(unit_codes.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    .fetch_all(&app.owner)
    .await
    .unwrap();
    v.sort();
    v
}

pub async fn clear(app: &TestApp) {
    sqlx::query("DELETE FROM notifications")
        .execute(&app.owner)
        .await
        .unwrap();
}

/// Công an tỉnh fills in its sheet, with the evidence it needs, and its head submits it.
pub async fn submitted(app: &TestApp, y: &Year) -> Client {
    let officer = app.login("canbo.ca-ls").await;
    let full = [
        ("1.1", "9,5"),
        ("2.1", "48"),
        ("2.2", "37,5"),
        ("3.1", "2"),
        ("4.1", "0"),
    ];
    assert_eq!(save(&officer, y, y.ca, &full).await.status, 303);
    assert_eq!(
        upload(&officer, y, y.ca, "2.1", "bc.pdf", PDF.to_vec())
            .await
            .status,
        303
    );
    let head = app.login("thutruong.ca-ls").await;
    let sheet = format!("/years/{}/sheets/{}", y.id, y.ca);
    let r = head.submit(&sheet, &format!("{sheet}/submit"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    head
}

#[tokio::test]
async fn a_sheet_tells_the_leader_when_submitted_and_the_unit_when_returned_verified_and_finalised()
{
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await;
    clear(&app).await;
    let head = submitted(&app, &y).await;
    let sheet = format!("/years/{}/sheets/{}", y.id, y.ca);

    // Submitted: the leader unit's staff, nobody else.
    let rows = of_kind(&app, "sheet_submitted").await;
    assert_eq!(
        who(&app, "sheet_submitted").await,
        staff(&app, &["thads-ls"]).await
    );
    assert!(
        rows[0].1.contains("Công an tỉnh Lạng Sơn")
            && rows[0].1.contains("đã gửi bảng tự chấm điểm"),
        "{:?}",
        rows[0]
    );
    assert_eq!(rows[0].3, sheet);
    assert!(
        rows[0].4.ends_with("— Công an tỉnh Lạng Sơn"),
        "who did it: {}",
        rows[0].4
    );

    // Returned with the reason: the unit's staff only.
    let leader = app.login("canbo.thads-ls").await;
    let reason = "Thiếu minh chứng số hóa hồ sơ mục 2.2";
    let r = leader
        .submit(&sheet, &format!("{sheet}/return"), &[("reason", reason)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let rows = of_kind(&app, "sheet_returned").await;
    assert_eq!(
        who(&app, "sheet_returned").await,
        staff(&app, &["ca-ls"]).await
    );
    assert_eq!(rows[0].2, format!("Lý do: {reason}"));
    assert_eq!(rows[0].3, sheet);

    // Again, then verified with changed figures, then finalised.
    let r = head.submit(&sheet, &format!("{sheet}/submit"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        of_kind(&app, "sheet_submitted").await.len(),
        2 * staff(&app, &["thads-ls"]).await.len()
    );
    let (v21, w21) = (
        format!("v_{}", y.crit["2.1"]),
        format!("vr_{}", y.crit["2.1"]),
    );
    let r = leader
        .submit(
            &sheet,
            &format!("{sheet}/verify"),
            &[(&v21, "45"), (&w21, "Chỉ tiêu đạt 96%")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let rows = of_kind(&app, "sheet_verified").await;
    assert_eq!(
        who(&app, "sheet_verified").await,
        staff(&app, &["ca-ls"]).await
    );
    assert!(
        rows[0].2.contains("2.1: 45 điểm (Chỉ tiêu đạt 96%)"),
        "{}",
        rows[0].2
    );
    let r = leader
        .submit(&sheet, &format!("{sheet}/finalise"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        who(&app, "sheet_finalised").await,
        staff(&app, &["ca-ls"]).await
    );
    // Nobody heard of their own action.
    let own: i64 = id(
        &app,
        "SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
                              WHERE u.username = 'canbo.thads-ls' AND n.kind <> 'sheet_submitted'",
    )
    .await;
    assert_eq!(own, 0);
}

#[tokio::test]
async fn the_list_shows_ones_own_opens_them_read_and_marks_all_read() {
    let app = TestApp::start().await;
    clear(&app).await;
    let admin = app.login("quantri.langson").await;
    let r = admin.get("/").await;
    assert!(
        r.body.contains("aria-label=\"Thông báo, 0 chưa đọc\""),
        "{}",
        r.body
    );
    // Two accounts made: the admin is told of each, never with the password.
    let unit = id(&app, "SELECT id FROM units WHERE code = 'ca-ls'")
        .await
        .to_string();
    for name in ["canbo2.ca-ls", "canbo3.ca-ls"] {
        let r = admin
            .submit(
                "/users/new",
                "/users/new",
                &[
                    ("username", name),
                    ("full_name", "Nguyễn Văn Thử"),
                    ("role", "unit_officer"),
                    ("unit_id", &unit),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let rows = of_kind(&app, "account_created").await;
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.0 == "quantri.langson"));
    assert_eq!(rows[0].1, "Đã tạo tài khoản canbo2.ca-ls");

    let home = admin.get("/").await;
    assert!(
        home.body.contains("aria-label=\"Thông báo, 2 chưa đọc\""),
        "{}",
        home.body
    );
    let list = admin.get("/notifications").await;
    assert_eq!(list.status, 200);
    let (a, b) = (
        list.body.find("Đã tạo tài khoản canbo3.ca-ls").unwrap(),
        list.body.find("Đã tạo tài khoản canbo2.ca-ls").unwrap(),
    );
    assert!(a < b, "newest first");
    assert_eq!(list.body.matches("Chưa đọc").count(), 2);

    // Opening one marks it read and goes to its page.
    let first = id(
        &app,
        "SELECT min(id) FROM notifications WHERE kind = 'account_created'",
    )
    .await;
    let open = format!("/notifications/{first}/open");
    // Not another user's, nor another tenant's: 404, and it stays unread.
    let other = app.login("canbo.ca-ls").await;
    assert_eq!(other.submit("/notifications", &open, &[]).await.status, 404);
    let foreign = app.login("quantri.toaan").await;
    assert_eq!(
        foreign.submit("/notifications", &open, &[]).await.status,
        404
    );
    assert_eq!(
        id(
            &app,
            &format!("SELECT count(*) FROM notifications WHERE id = {first} AND read_at IS NULL")
        )
        .await,
        1
    );
    let r = admin.submit("/notifications", &open, &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/users?q=canbo2.ca-ls");
    let list = admin.get("/notifications").await;
    assert_eq!(list.body.matches("Chưa đọc").count(), 1);
    assert!(list.body.contains("aria-label=\"Thông báo, 1 chưa đọc\""));

    // All read: the badge is back to none.
    let r = admin
        .submit("/notifications", "/notifications/read-all", &[])
        .await;
    assert_eq!(r.status, 303);
    let list = admin.get("/notifications").await;
    assert!(
        list.body.contains("aria-label=\"Thông báo, 0 chưa đọc\""),
        "{}",
        list.body
    );
    assert_eq!(list.body.matches("Chưa đọc").count(), 0);
    assert!(
        list.body.contains("Đã tạo tài khoản canbo2.ca-ls"),
        "read ones stay listed"
    );
}

/// 03:00 UTC (10:00 in Viet Nam) on the given day.
fn at(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 3, 0, 0).unwrap()
}

#[tokio::test]
async fn reminders_go_to_late_units_on_the_chosen_days_once_even_from_two_passes() {
    let app = TestApp::start().await;
    let y = setup(&app, "10/12/2099").await;
    clear(&app).await;
    // Công an tỉnh has handed in its sheet: it is not reminded, and not on the leader's list.
    sqlx::query(
        "INSERT INTO scoresheets (tenant_id, cluster_year_id, unit_id, status)
                 SELECT tenant_id, $1, $2, 'submitted' FROM units WHERE id = $2",
    )
    .bind(y.id)
    .bind(y.ca)
    .execute(&app.owner)
    .await
    .unwrap();
    let run = |now| thidua::notify::reminders::run_once(&app.pool, now);
    let late = ["tand-ls", "thads-ls", "qs-ls", "bp-ls", "vks-ls", "csd2"];
    let late_staff = staff(&app, &late).await;

    // Nine days before: no chosen day has come.
    assert_eq!(run(at(2099, 12, 1)).await.unwrap(), 0);
    // Three days before (the seven-day reminder was missed: only the latest is sent): each
    // late unit, and the leader's list.
    let sent = run(at(2099, 12, 7)).await.unwrap();
    let leader_staff = staff(&app, &["thads-ls"]).await;
    assert_eq!(sent as usize, late_staff.len() + leader_staff.len());
    let mut reminded = who(&app, "reminder_scoring").await;
    reminded.dedup();
    assert_eq!(reminded, late_staff);
    let rows = of_kind(&app, "reminder_scoring").await;
    assert!(rows[0].1.contains("còn 3 ngày"), "{}", rows[0].1);
    assert!(rows[0].2.contains("10/12/2099"), "{}", rows[0].2);
    let summary = of_kind(&app, "reminder_summary").await;
    assert_eq!(
        summary.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
        leader_staff
    );
    assert!(
        summary[0]
            .1
            .starts_with("6 đơn vị chưa gửi bảng tự chấm điểm"),
        "{}",
        summary[0].1
    );
    assert!(!summary[0].2.contains("Công an"), "{}", summary[0].2);
    assert_eq!(summary[0].3, format!("/years/{}/scoring", y.id));
    // Again the same day, later: nothing more.
    assert_eq!(run(at(2099, 12, 7)).await.unwrap(), 0);

    // Two passes at the same moment (two app instances): one set of reminders between them.
    let (a, b) = tokio::join!(run(at(2099, 12, 9)), run(at(2099, 12, 9)));
    assert_eq!(
        (a.unwrap() + b.unwrap()) as usize,
        late_staff.len() + leader_staff.len()
    );
    let per_day: Vec<(i16, i64)> = sqlx::query_as(
        "SELECT days_before, count(*) FROM reminders_sent GROUP BY 1 ORDER BY 1 DESC",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(per_day, vec![(3, 7), (1, 7)]);
    // The day after the deadline, once more.
    assert!(run(at(2099, 12, 11)).await.unwrap() > 0);
    assert!(
        of_kind(&app, "reminder_scoring")
            .await
            .iter()
            .any(|r| r.1.contains("đã quá hạn 1 ngày"))
    );

    // The council chooses other days: 5 only, none after.
    let council = app.login("quantri.langson").await;
    let page = "/council/settings/reminders";
    let r = council
        .submit(page, page, &[("reminder_days", "5, ba")])
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("“ba” không phải số ngày hợp lệ"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"5, ba\""), "the typed days stay");
    let r = council.submit(page, page, &[("reminder_days", "5")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(council.get(page).await.body.contains("value=\"5\""));
    let y2 = id(
        &app,
        &format!(
            "UPDATE cluster_years SET scoring_deadline = '2099-11-20' WHERE id = {} RETURNING id",
            y.id
        ),
    )
    .await;
    assert!(run(at(2099, 11, 15)).await.unwrap() > 0);
    assert_eq!(
        run(at(2099, 11, 17)).await.unwrap(),
        0,
        "3 days before is no longer chosen, and the 5 days' was sent"
    );
    assert_eq!(run(at(2099, 11, 21)).await.unwrap(), 0, "no day after");
    let _ = y2;
}

#[tokio::test]
async fn a_vote_tells_the_heads_it_opened_and_each_voter_their_receipt() {
    use crate::voting::{FLAG, LS_UNITS, NOI_CHINH, open_with_committee, receipt, year_id};
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let vote = crate::proposals::draft_vote(&app, &leader, y, &[("tand-ls", FLAG)]).await;
    let page = format!("/votes/{vote}");
    clear(&app).await;
    open_with_committee(&app, &leader, vote).await;
    let heads: Vec<String> = {
        let mut h: Vec<String> = LS_UNITS.iter().map(|c| format!("thutruong.{c}")).collect();
        h.sort();
        h
    };
    assert_eq!(who(&app, "vote_opened").await, heads);
    let rows = of_kind(&app, "vote_opened").await;
    assert_eq!(rows[0].3, format!("/votes/{vote}"));

    let head = app.login("thutruong.qs-ls").await;
    let form = head.get(&page).await.body;
    // For every candidate: "for".
    let fields: Vec<(String, String)> = form
        .match_indices("name=\"c")
        .map(|(i, _)| {
            let name: String = form[i + 6..].chars().take_while(|c| *c != '"').collect();
            (name, "for".to_string())
        })
        .filter(|(name, _)| name[1..].chars().all(|c| c.is_ascii_digit()))
        .collect::<std::collections::BTreeMap<_, _>>()
        .into_iter()
        .collect();
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = head.submit(&page, &format!("{page}/ballot"), &refs).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let code = receipt(&r);
    let rows = of_kind(&app, "ballot_recorded").await;
    assert_eq!(rows.len(), 1, "the voter alone");
    assert_eq!(rows[0].0, "thutruong.qs-ls");
    assert!(rows[0].2.contains(&code), "{}", rows[0].2);
}

#[tokio::test]
async fn the_council_receiving_returning_and_deciding_a_dossier_tells_the_leader() {
    let app = TestApp::start().await;
    clear(&app).await;
    let year = id(
        &app,
        "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
                         WHERE c.name = 'Cụm thi đua số VI' AND y.year = 2019",
    )
    .await;
    let p = id(
        &app,
        &format!("SELECT id FROM proposals WHERE cluster_year_id = {year}"),
    )
    .await;
    sqlx::query(&format!(
        "UPDATE proposals SET state = 'sent', return_reason = '' WHERE id = {p}"
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    let leader_unit: String = sqlx::query_scalar(&format!(
        "SELECT n.code FROM cluster_years y JOIN units n ON n.id = y.leader_unit_id WHERE y.id = {year}"
    ))
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let leader_staff = staff(&app, &[&leader_unit]).await;
    let council = app.login("quantri.toaan").await;
    let page = format!("/proposals/{p}");
    let reason = "Biên bản thiếu chữ ký thư ký.";
    let r = council
        .submit(&page, &format!("{page}/return"), &[("reason", reason)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(who(&app, "dossier_returned").await, leader_staff);
    let rows = of_kind(&app, "dossier_returned").await;
    assert_eq!(rows[0].2, format!("Lý do: {reason}"));
    assert_eq!(rows[0].3, page);

    sqlx::query(&format!(
        "UPDATE proposals SET state = 'sent', return_reason = '' WHERE id = {p}"
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    let r = council.submit(&page, &format!("{page}/receive"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(who(&app, "dossier_received").await, leader_staff);
    let r = council
        .submit(
            &page,
            &format!("{page}/decide"),
            &[
                ("number", "12/QĐ-TANDTC"),
                ("signed_on", "15/01/2020"),
                ("issuer", "Tòa án nhân dân tối cao"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let nominees: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT DISTINCT n.code FROM proposal_nominees p JOIN units n ON n.id = p.unit_id
          WHERE p.proposal_id = {p} AND p.withdrawn_at IS NULL"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    let mut codes: Vec<&str> = nominees.iter().map(String::as_str).collect();
    codes.push(&leader_unit);
    let mut told = who(&app, "dossier_decided").await;
    told.dedup();
    assert_eq!(told, staff(&app, &codes).await);
    assert!(!told.contains(&"quantri.toaan".to_string()));
}

#[tokio::test]
async fn the_pledge_opens_with_a_signing_deadline_reminds_the_unsigned_and_tells_the_leader_when_all_signed()
 {
    use crate::voting::LS_UNITS;
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await.id;
    clear(&app).await;
    let page = format!("/years/{y}/pledge");
    let leader = app.login("canbo.thads-ls").await;
    let r = leader.submit(&page, &format!("{page}/copy"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);

    // A date that does not exist is refused beside the field, as typed; nothing opens.
    let open = format!("{page}/open");
    let r = leader
        .submit(
            &open,
            &open,
            &[("confirm", "yes"), ("deadline", "31/02/2099")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("value=\"31/02/2099\""), "{}", r.body);
    assert!(r.body.contains("deadline-error"), "{}", r.body);
    assert!(who(&app, "pledge_opened").await.is_empty());
    let r = leader
        .submit(
            &open,
            &open,
            &[("confirm", "yes"), ("deadline", "20/03/2099")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut members = staff(&app, &LS_UNITS).await;
    members.retain(|u| u != "canbo.thads-ls");
    assert_eq!(
        who(&app, "pledge_opened").await,
        members,
        "every member but the actor"
    );
    assert!(
        of_kind(&app, "pledge_opened").await[0]
            .2
            .contains("20/03/2099")
    );

    // Six heads sign; the day before the deadline only Tiểu đoàn CSCĐ số 2 is reminded.
    for code in LS_UNITS.iter().filter(|c| **c != "csd2") {
        let head = app.login(&format!("thutruong.{code}")).await;
        let r = head.submit(&page, &format!("{page}/sign"), &[]).await;
        assert_eq!(r.status, 303, "{code}: {}", r.body);
    }
    assert!(who(&app, "pledge_signed_by_all").await.is_empty());
    thidua::notify::reminders::run_once(&app.pool, at(2099, 3, 19))
        .await
        .unwrap();
    let mut reminded = who(&app, "reminder_pledge").await;
    reminded.dedup();
    assert_eq!(reminded, staff(&app, &["csd2"]).await);
    let summary = of_kind(&app, "reminder_summary").await;
    assert!(
        summary[0]
            .1
            .starts_with("1 đơn vị chưa ký giao ước thi đua"),
        "{}",
        summary[0].1
    );

    // The last signature: the leader unit hears that all have signed.
    let head = app.login("thutruong.csd2").await;
    let r = head.submit(&page, &format!("{page}/sign"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        who(&app, "pledge_signed_by_all").await,
        staff(&app, &["thads-ls"]).await
    );
}

#[tokio::test]
async fn the_demo_accounts_the_readme_names_have_unread_notifications() {
    let app = TestApp::start().await;
    let leader = app.login("canbo.thads-ls").await;
    let list = leader.get("/notifications").await;
    assert!(
        !list.body.contains("aria-label=\"Thông báo, 0 chưa đọc\""),
        "{}",
        list.body
    );
    assert!(
        list.body.contains("đã gửi bảng tự chấm điểm"),
        "{}",
        list.body
    );
    let returned = app.login("canbo.bp-ls").await;
    let list = returned.get("/notifications").await;
    assert!(
        list.body.contains("bị trả lại") && list.body.contains("Lý do: "),
        "{}",
        list.body
    );
}

#[tokio::test]
async fn an_extended_deadline_tells_the_unit_and_a_reset_tells_the_admin_who_did_it() {
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await;
    clear(&app).await;
    // Công an tỉnh needs a sheet for the leader to extend.
    sqlx::query(
        "INSERT INTO scoresheets (tenant_id, cluster_year_id, unit_id)
         SELECT tenant_id, $1, $2 FROM units WHERE id = $2",
    )
    .bind(y.id)
    .bind(y.ca)
    .execute(&app.owner)
    .await
    .unwrap();
    let leader = app.login("canbo.thads-ls").await;
    let dash = format!("/years/{}/scoring", y.id);
    let extend = format!("/years/{}/sheets/{}/extend", y.id, y.ca);
    let r = leader
        .submit(&dash, &extend, &[("deadline", "15/01/2100")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        who(&app, "deadline_extended").await,
        staff(&app, &["ca-ls"]).await
    );
    assert!(
        of_kind(&app, "deadline_extended").await[0]
            .2
            .contains("15/01/2100")
    );

    let admin = app.login("quantri.langson").await;
    let user = id(&app, "SELECT id FROM users WHERE username = 'canbo.ca-ls'").await;
    let r = admin
        .submit("/users", &format!("/users/{user}/reset"), &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let rows = of_kind(&app, "account_reset").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "quantri.langson");
    assert_eq!(rows[0].1, "Đã đặt lại mật khẩu tài khoản canbo.ca-ls");
}

#[tokio::test]
async fn a_registration_tells_the_leader_when_submitted_and_the_unit_when_returned() {
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await.id;
    clear(&app).await;
    let tand = id(&app, "SELECT id FROM units WHERE code = 'tand-ls'").await;
    let own = format!("/years/{y}/registrations/{tand}");
    let aim = id(
        &app,
        "SELECT a.id FROM award_types a JOIN tenants t ON t.id = a.tenant_id
          WHERE t.code = 'langson' AND a.name = 'Tập thể lao động xuất sắc'",
    )
    .await
    .to_string();
    let officer = app.login("canbo.tand-ls").await;
    let r = officer.submit(&own, &own, &[("award_type_id", &aim)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let head = app.login("thutruong.tand-ls").await;
    let r = head.submit(&own, &format!("{own}/submit"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        who(&app, "registration_submitted").await,
        staff(&app, &["thads-ls"]).await
    );
    assert_eq!(of_kind(&app, "registration_submitted").await[0].3, own);

    let leader = app.login("canbo.thads-ls").await;
    let reason = "Chưa ghi số người đăng ký Chiến sĩ thi đua cơ sở.";
    let r = leader
        .submit(&own, &format!("{own}/return"), &[("reason", reason)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        who(&app, "registration_returned").await,
        staff(&app, &["tand-ls"]).await
    );
    assert_eq!(
        of_kind(&app, "registration_returned").await[0].2,
        format!("Lý do: {reason}")
    );
}
