//! Notifications (issue 14) for the events notify.rs does not cover: a vote's results and an
//! election's, the dossier's reports asked for and submitted, the dossier sent, and a paper
//! signature that completes the pledge. Each: the right people, nobody else, and the link to
//! the page of the next step. Reminders: notify_reminders.rs.

use crate::harness::{Client, TestApp};
use crate::notify::{clear, of_kind, staff, who};
use crate::scoring::{PDF, setup};
use crate::voting::{FLAG, LS_UNITS, NOI_CHINH, TTLDXS, candidate, unit_id, year_id};

/// A vote of `kind` in paper mode, opened by the leader, with the committee's counts entered
/// and closed: the shared set-up of a vote for tests about what follows it. `only`: for an
/// award vote, its candidates (unit, award) in place of the defaults; `counts`: (unit, role or
/// award, votes for, against), the candidates not named get none.
async fn paper_vote(
    app: &TestApp,
    leader: &Client,
    y: i64,
    kind: &str,
    only: &[(&str, &str)],
    counts: &[(&str, &str, u32, u32)],
) -> i64 {
    let vote = if only.is_empty() {
        crate::voting::create_vote(app, leader, y, kind, "paper").await
    } else {
        crate::proposals::draft_vote_in(app, leader, y, "paper", only).await
    };
    let page = format!("/votes/{vote}");
    let r = leader.submit(&page, &format!("{page}/open"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut given = std::collections::HashMap::new();
    for (unit, what, f, a) in counts {
        given.insert(candidate(app, vote, unit, what).await, (*f, *a));
    }
    let all: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM vote_candidates WHERE vote_id = {vote}"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    let mut fields = vec![("committee".to_string(), "Ông A, bà B, ông C".to_string())];
    for c in all {
        let (f, a) = given.get(&c).copied().unwrap_or((0, 0));
        fields.push((format!("for{c}"), f.to_string()));
        fields.push((format!("against{c}"), a.to_string()));
    }
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = leader.submit(&page, &format!("{page}/paper"), &refs).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = leader.submit(&page, &format!("{page}/close"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    vote
}

/// Every member unit's staff but the one who acted.
async fn members_but(app: &TestApp, actor: &str) -> Vec<String> {
    let mut v = staff(app, &LS_UNITS).await;
    v.retain(|u| u != actor);
    v
}

#[tokio::test]
async fn released_results_ask_for_reports_and_a_sent_dossier_tell_who_acts_next() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let nominees = [("tand-ls", FLAG), ("ca-ls", TTLDXS)];
    let counts = [("tand-ls", FLAG, 6, 1), ("ca-ls", TTLDXS, 6, 1)];
    let vote = paper_vote(&app, &leader, y, "award", &nominees, &counts).await;
    let page = format!("/votes/{vote}");
    clear(&app).await;

    // Results released: every member's staff, but not the leader's officer who released them.
    let r = leader.submit(&page, &format!("{page}/release"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        who(&app, "results_released").await,
        members_but(&app, "canbo.thads-ls").await
    );
    let rows = of_kind(&app, "results_released").await;
    assert!(
        rows[0].1.starts_with("Đã công bố kết quả: "),
        "{}",
        rows[0].1
    );
    assert_eq!(rows[0].3, page);
    assert!(who(&app, "election_result").await.is_empty());

    // The dossier is assembled: each nominee unit is asked for its report, on its own page.
    let start = format!("/years/{y}/proposal");
    let v = vote.to_string();
    let r = leader.submit(&start, &start, &[("vote_id", &v)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let dossier = r.location().to_string();
    let pid: i64 = dossier.trim_start_matches("/proposals/").parse().unwrap();
    assert_eq!(
        who(&app, "report_requested").await,
        staff(&app, &["ca-ls", "tand-ls"]).await
    );
    let (tand, ca) = (unit_id(&app, "tand-ls").await, unit_id(&app, "ca-ls").await);
    let report = |u: i64| format!("{dossier}/reports/{u}");
    // Each link opens the report of the award the unit is nominated for (one per award form).
    let flag = crate::voting::award_id(&app, "langson", FLAG).await;
    let ttldxs = crate::voting::award_id(&app, "langson", TTLDXS).await;
    let report_of = |u: i64| {
        let a = if u == tand { flag } else { ttldxs };
        format!("{}?award={a}", report(u))
    };
    for (username, _, _, link, _) in of_kind(&app, "report_requested").await {
        let own = if username.ends_with("tand-ls") {
            tand
        } else {
            ca
        };
        assert_eq!(link, report_of(own), "{username}");
    }

    // A nominee's head submits its report: the leader unit hears, and nobody else.
    let sections = [
        ("s_name", "Tên tập thể đề nghị: {don_vi}"),
        ("s_situation", "Trụ sở tại thành phố Lạng Sơn."),
        ("s_achievements", "Giải quyết 98,6% số vụ việc thụ lý."),
    ];
    for (code, u) in [("tand-ls", tand), ("ca-ls", ca)] {
        let officer = app.login(&format!("canbo.{code}")).await;
        let r = officer.submit(&report(u), &report(u), &sections).await;
        assert_eq!(r.status, 303, "{}", r.body);
        assert!(
            who(&app, "report_submitted").await.is_empty(),
            "saving is not submitting"
        );
        let head = app.login(&format!("thutruong.{code}")).await;
        let r = head
            .submit(&report(u), &format!("{}/submit", report(u)), &[])
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        clear_after_check(&app, u, &report_of(u)).await;
    }

    // The leader's head sends the dossier: the council's staff (the tenant's admins) hear.
    let texts = [
        ("number", "07/TTr-CTĐ"),
        ("letter_date", "18/12/2024"),
        ("meeting_date", "16/12/2024"),
        ("meeting_time", "08 giờ 00"),
        ("meeting_place", "Hội trường Cục Thi hành án dân sự tỉnh"),
        ("chair", "Hoàng Văn Chủ"),
        ("secretary", "Lý Thị Thư"),
        (
            "cover_request",
            "{cum_truong} kính trình Hội đồng xem xét đề nghị khen thưởng:",
        ),
    ];
    let r = leader.submit(&dossier, &dossier, &texts).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let head = app.login("thutruong.thads-ls").await;
    let r = head.submit(&dossier, &format!("{dossier}/send"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let admins: Vec<String> = sqlx::query_scalar(
        "SELECT u.username FROM users u JOIN tenants t ON t.id = u.tenant_id
          WHERE t.code = 'langson' AND u.role = 'tenant_admin' AND NOT u.disabled
          ORDER BY u.username",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert!(!admins.is_empty());
    assert_eq!(who(&app, "dossier_sent").await, admins);
    let rows = of_kind(&app, "dossier_sent").await;
    assert_eq!(rows[0].3, format!("/proposals/{pid}"));
    assert!(rows[0].1.contains("đã được gửi"), "{}", rows[0].1);
}

/// The report just submitted told the leader unit's staff, linking to the report; then clear.
async fn clear_after_check(app: &TestApp, unit: i64, link: &str) {
    let rows = of_kind(app, "report_submitted").await;
    let told: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    assert_eq!(told, staff(app, &["thads-ls"]).await, "unit {unit}");
    assert!(rows.iter().all(|r| r.3 == link), "{rows:#?}");
    let name: String = sqlx::query_scalar(&format!("SELECT name FROM units WHERE id = {unit}"))
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(
        rows[0].1,
        format!(
            "{name} đã trình báo cáo thành tích Cụm thi đua các cơ quan Nội chính tỉnh năm 2024"
        )
    );
    clear(app).await;
}

#[tokio::test]
async fn an_election_result_goes_to_every_member() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let counts = [("tand-ls", "leader", 6, 0), ("ca-ls", "deputy", 6, 0)];
    let vote = paper_vote(&app, &leader, y, "election", &[], &counts).await;
    clear(&app).await;
    let page = format!("/votes/{vote}");
    let r = leader.submit(&page, &format!("{page}/release"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        who(&app, "election_result").await,
        members_but(&app, "canbo.thads-ls").await
    );
    let rows = of_kind(&app, "election_result").await;
    assert!(
        rows[0].1.starts_with("Kết quả bầu cụm trưởng, cụm phó: "),
        "{}",
        rows[0].1
    );
    assert_eq!(rows[0].3, page);
    assert!(who(&app, "results_released").await.is_empty());
}

#[tokio::test]
async fn a_paper_signature_that_completes_the_pledge_tells_the_leader_unit() {
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await.id;
    let page = format!("/years/{y}/pledge");
    let leader = app.login("canbo.thads-ls").await;
    let r = leader.submit(&page, &format!("{page}/copy"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let open = format!("{page}/open");
    let r = leader.submit(&open, &open, &[("confirm", "yes")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    for code in LS_UNITS.iter().filter(|c| **c != "csd2") {
        let head = app.login(&format!("thutruong.{code}")).await;
        let r = head.submit(&page, &format!("{page}/sign"), &[]).await;
        assert_eq!(r.status, 303, "{code}: {}", r.body);
    }
    clear(&app).await;
    // The leader's officer records Tiểu đoàn CSCĐ số 2's signature on paper, the last one.
    let csd2 = unit_id(&app, "csd2").await.to_string();
    let token = leader.get(&page).await.csrf();
    let r = leader
        .upload(
            &format!("{page}/paper?csrf={token}"),
            &[("unit_id", &csd2), ("signed_on", "15/01/2025")],
            "file",
            "trang-ky.pdf",
            PDF.to_vec(),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut leader_staff = staff(&app, &["thads-ls"]).await;
    leader_staff.retain(|u| u != "canbo.thads-ls");
    assert_eq!(who(&app, "pledge_signed_by_all").await, leader_staff);
    let rows = of_kind(&app, "pledge_signed_by_all").await;
    assert_eq!(rows[0].3, page);
    assert!(!rows[0].4.is_empty(), "who did it");
    assert_eq!(
        app.scalar_i64("SELECT count(*) FROM notifications").await as usize,
        leader_staff.len(),
        "nobody else"
    );
}
