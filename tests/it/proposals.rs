//! Award proposal dossiers: from the closed vote to the council's decision and the unit's
//! history, through the pages alone.

use crate::harness::{Client, TestApp};
use crate::voting::{
    FLAG, LS_UNITS, NOI_CHINH, TOAAN_FLAG, TTLDXS, award_id, candidate, close_and_count,
    create_vote, open_with_committee, unit_id, year_id,
};

/// A draft online award vote in `y` whose candidates are `nominees` (unit, award) only.
pub(crate) async fn draft_vote(
    app: &TestApp,
    leader: &Client,
    y: i64,
    nominees: &[(&str, &str)],
) -> i64 {
    draft_vote_in(app, leader, y, "online", nominees).await
}

/// The same in `mode` ("online" or "paper").
pub(crate) async fn draft_vote_in(
    app: &TestApp,
    leader: &Client,
    y: i64,
    mode: &str,
    nominees: &[(&str, &str)],
) -> i64 {
    let vote = create_vote(app, leader, y, "award", mode).await;
    let page = format!("/votes/{vote}");
    sqlx::query(&format!(
        "DELETE FROM vote_candidates WHERE vote_id = {vote}"
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    for (unit, award) in nominees {
        let a = award_id(app, "langson", award).await.to_string();
        let u = unit_id(app, unit).await.to_string();
        let r = leader
            .submit(
                &page,
                &format!("{page}/candidates"),
                &[("award_type_id", &a), ("unit_id", &u)],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    vote
}

/// Runs an online award vote in `y` led by `leader`: `nominees` are (unit, award) and every
/// head of `LS_UNITS` votes for all of them, except that `against` votes against the first.
pub(crate) async fn award_vote(
    app: &TestApp,
    leader: &Client,
    y: i64,
    nominees: &[(&str, &str)],
    against: &str,
) -> i64 {
    let vote = draft_vote(app, leader, y, nominees).await;
    let no: Vec<(&str, &str)> = nominees
        .first()
        .filter(|_| !against.is_empty())
        .map(|(unit, _)| (against, *unit))
        .into_iter()
        .collect();
    run_round(app, leader, vote, &no).await;
    vote
}

pub(crate) async fn election(app: &TestApp, leader: &Client, y: i64) -> i64 {
    let vote = create_vote(app, leader, y, "election", "online").await;
    let page = format!("/votes/{vote}");
    let seats = open_with_committee(app, leader, vote).await;
    let l = candidate(app, vote, "tand-ls", "leader").await.to_string();
    let d = candidate(app, vote, "ca-ls", "deputy").await.to_string();
    for code in LS_UNITS {
        let head = app.login(&format!("thutruong.{code}")).await;
        let r = head
            .submit(
                &page,
                &format!("{page}/ballot"),
                &[("leader", &l), ("deputy", &d)],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    close_and_count(leader, vote, &seats).await;
    let r = leader.submit(&page, &format!("{page}/release"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    vote
}

async fn state(app: &TestApp, p: i64) -> String {
    sqlx::query_scalar(&format!("SELECT state FROM proposals WHERE id = {p}"))
        .fetch_one(&app.owner)
        .await
        .unwrap()
}

/// The leader's texts, with the two dates given.
pub(crate) fn texts(letter: &str, meeting: &str) -> Vec<(&'static str, String)> {
    vec![
        ("number", "07/TTr-CTĐ".into()),
        ("letter_date", letter.into()),
        ("meeting_date", meeting.into()),
        ("meeting_time", "08 giờ 00".into()),
        (
            "meeting_place",
            "Hội trường Cục Thi hành án dân sự tỉnh".into(),
        ),
        ("chair", "Hoàng Văn Chủ".into()),
        ("secretary", "Lý Thị Thư".into()),
        (
            "cover_request",
            "{cum_truong} kính trình Hội đồng xem xét đề nghị khen thưởng:".into(),
        ),
    ]
}

pub(crate) fn refs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(a, b)| (*a, b.as_str())).collect()
}

#[tokio::test]
async fn a_dossier_goes_from_the_vote_to_the_councils_decision_and_into_next_years_report() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let vote = award_vote(
        &app,
        &leader,
        y,
        &[("tand-ls", FLAG), ("ca-ls", TTLDXS)],
        "vks-ls",
    )
    .await;
    let elect = election(&app, &leader, y).await;

    // Only the leader assembles the dossier; members find that none exists yet.
    let start = format!("/years/{y}/proposal");
    let member = app.login("canbo.qs-ls").await;
    let p = member.get(&start).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("chưa lập hồ sơ"), "{}", p.body);
    let (v, e) = (vote.to_string(), elect.to_string());
    let form = [("vote_id", v.as_str()), ("election_vote_id", e.as_str())];
    assert_eq!(member.submit(&start, &start, &form).await.status, 403);
    let r = leader.submit(&start, &start, &form).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = r.location().to_string();
    let pid: i64 = page.trim_start_matches("/proposals/").parse().unwrap();
    assert_eq!(leader.get(&start).await.location(), page);

    // The nominee's home page asks for its report; the leader's asks to send.
    let home = app.login("canbo.tand-ls").await.get("/").await;
    assert!(
        home.body.contains("Viết và trình báo cáo thành tích"),
        "{}",
        home.body
    );
    assert!(
        leader
            .get("/")
            .await
            .body
            .contains("Hoàn thiện và gửi Hội đồng")
    );

    // The nominees and their figures come from the vote.
    let p = leader.get(&page).await;
    assert!(p.body.contains("Dự thảo"), "{}", p.body);
    assert!(
        p.body.contains("85,71%") && p.body.contains("6/7"),
        "{}",
        p.body
    );
    assert!(
        p.body.contains("100%") && p.body.contains("7/7"),
        "{}",
        p.body
    );

    // Bad input: messages beside the fields, the rest kept, nothing saved.
    let mut bad = texts("31/02/2024", "16/12/2024");
    bad.push(("minutes_discussion", "Thảo luận về {cumm}.".into()));
    // The whole row, to see that the refused form wrote nothing.
    let row: String = sqlx::query_scalar(&format!(
        "SELECT md5(p::text) FROM proposals p WHERE id = {pid}"
    ))
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let unchanged =
        format!("SELECT count(*) FROM proposals p WHERE id = {pid} AND md5(p::text) = '{row}'");
    let r = leader.submit(&page, &page, &refs(&bad)).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Ngày không hợp lệ"), "{}", r.body);
    assert!(r.body.contains("Không có trường {cumm}"), "{}", r.body);
    assert!(r.body.contains("Hội trường Cục Thi hành án dân sự tỉnh"));
    assert!(r.body.contains("Thảo luận về {cumm}."));
    assert_eq!(app.scalar_i64(&unchanged).await, 1);
    let good = texts("18/12/2024", "16/12/2024");
    let r = leader.submit(&page, &page, &refs(&good)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    // The page says the fields were saved; a plain visit does not.
    let after = leader.get(r.location()).await;
    assert!(after.body.contains("Đã lưu nội dung tờ trình và biên bản."));
    assert!(!leader.get(&page).await.body.contains("Đã lưu nội dung"));

    // Sending: only the leader's head, and only once every nominee's report is submitted.
    let head = app.login("thutruong.thads-ls").await;
    let send = format!("{page}/send");
    assert_eq!(leader.submit(&page, &send, &[]).await.status, 403);
    let r = head.submit(&page, &send, &[]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(&format!(
            "Tòa án nhân dân tỉnh Lạng Sơn ({FLAG}) chưa trình báo cáo thành tích"
        )),
        "{}",
        r.body
    );
    assert_eq!(state(&app, pid).await, "draft");

    // Each nominee writes its report; others may not, and a non-nominee has none.
    let (tand, ca, qs) = (
        unit_id(&app, "tand-ls").await,
        unit_id(&app, "ca-ls").await,
        unit_id(&app, "qs-ls").await,
    );
    let report = |u: i64| format!("{page}/reports/{u}");
    let sections = [
        ("s_name", "Tên tập thể đề nghị: {don_vi}"),
        (
            "s_situation",
            "Trụ sở tại thành phố Lạng Sơn; 45 cán bộ, công chức.",
        ),
        (
            "s_achievements",
            "Giải quyết 98,6% số vụ việc thụ lý, vượt chỉ tiêu.",
        ),
    ];
    assert_eq!(
        member
            .submit(&report(tand), &report(tand), &sections)
            .await
            .status,
        403
    );
    assert_eq!(member.get(&report(qs)).await.status, 404);
    for (code, u) in [("tand-ls", tand), ("ca-ls", ca)] {
        let officer = app.login(&format!("canbo.{code}")).await;
        let r = officer.submit(&report(u), &report(u), &sections).await;
        assert_eq!(r.status, 303, "{}", r.body);
        let after = officer.get(r.location()).await;
        assert!(after.body.contains("Đã lưu báo cáo thành tích."));
        let unit_head = app.login(&format!("thutruong.{code}")).await;
        assert_eq!(
            officer
                .submit(&report(u), &format!("{}/submit", report(u)), &[])
                .await
                .status,
            403,
            "only the head submits"
        );
        let r = unit_head
            .submit(&report(u), &format!("{}/submit", report(u)), &[])
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    // Other members read a report as it prints, its fields filled in.
    let read = member.get(&report(tand)).await;
    assert!(
        read.body
            .contains("Tên tập thể đề nghị: Tòa án nhân dân tỉnh Lạng Sơn"),
        "{}",
        read.body
    );
    assert!(!read.body.contains("<textarea"));
    let r = head.submit(&page, &send, &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(state(&app, pid).await, "sent");
    let r = leader.submit(&page, &page, &refs(&good)).await;
    assert_eq!(r.status, 422, "a sent dossier cannot be edited");

    // The council sees it in its inbox, returns it with a reason, gets it back, decides.
    let council = app.login("quantri.langson").await;
    let inbox = council.get("/council/proposals?year=2024").await;
    assert!(inbox.body.contains("Đã gửi"), "{}", inbox.body);
    let ret = format!("{page}/return");
    let r = council.submit(&page, &ret, &[("reason", "")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Hãy nhập lý do trả lại"), "{}", r.body);
    assert_eq!(
        head.submit(&page, &ret, &[("reason", "Tự trả")])
            .await
            .status,
        403
    );
    let reason = "Biên bản thiếu chữ ký thư ký; bổ sung giờ họp.";
    let r = council.submit(&page, &ret, &[("reason", reason)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = leader.get(&page).await;
    assert!(
        p.body.contains("Bị trả lại") && p.body.contains(reason),
        "{}",
        p.body
    );
    let mut fixed = texts("20/12/2024", "16/12/2024");
    fixed[3].1 = "14 giờ 00".into();
    let r = leader.submit(&page, &page, &refs(&fixed)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = head.submit(&page, &send, &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let decide = format!("{page}/decide");
    let decision = [
        ("number", "1234/QĐ-UBND"),
        ("signed_on", "15/01/2025"),
        ("issuer", "Ủy ban nhân dân tỉnh Lạng Sơn"),
    ];
    let r = council.submit(&page, &decide, &decision).await;
    assert_eq!(r.status, 422, "not received yet");
    let r = council.submit(&page, &format!("{page}/receive"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let flag = award_id(&app, "langson", FLAG).await;
    let ttldxs = award_id(&app, "langson", TTLDXS).await;
    let (a1, a2) = (format!("{flag}-{tand}"), format!("{ttldxs}-{ca}"));
    let mut with_awards: Vec<(&str, &str)> = decision.to_vec();
    with_awards.push(("award", &a1));
    with_awards.push(("award", &a2));
    let r = council
        .submit(
            &page,
            &decide,
            &[
                ("number", ""),
                ("signed_on", "15/01/2025"),
                ("issuer", "UBND"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Hãy nhập số quyết định"), "{}", r.body);
    let r = council.submit(&page, &decide, &with_awards).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(state(&app, pid).await, "decided");
    let steps: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT to_state FROM proposal_events WHERE proposal_id = {pid} ORDER BY at, id"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(
        steps,
        ["draft", "sent", "returned", "sent", "received", "decided"]
    );
    assert_eq!(
        app.scalar_i64(
            "SELECT count(*) FROM unit_awards WHERE year = 2024 AND decision_number = '1234/QĐ-UBND'"
        )
        .await,
        2
    );

    // The documents say what the vote and the dossier say.
    let cover = leader.get(&format!("{page}/print/to-trinh")).await;
    assert_eq!(cover.status, 200);
    for s in [
        "TỜ TRÌNH",
        "Số: 07/TTr-CTĐ",
        "Lạng Sơn, ngày 20 tháng 12 năm 2024",
        "Cục Thi hành án dân sự tỉnh Lạng Sơn kính trình Hội đồng",
        "Tòa án nhân dân tỉnh Lạng Sơn (đạt 85,71% số phiếu đồng ý: 6/7 đơn vị thành viên)",
        "Công an tỉnh Lạng Sơn (đạt 100% số phiếu đồng ý: 7/7 đơn vị thành viên)",
        "với 7/7 đơn vị thành viên tham gia bỏ phiếu",
    ] {
        assert!(
            cover.body.contains(s),
            "cover letter lacks {s}: {}",
            cover.body
        );
    }
    let minutes = leader.get(&format!("{page}/print/bien-ban")).await;
    for s in [
        "BIÊN BẢN",
        "Vào hồi 14 giờ 00, ngày 16 tháng 12 năm 2024",
        "Tham gia bỏ phiếu: 7/7 đơn vị.",
        "85,71%",
        "Đơn vị được bầu làm cụm trưởng năm 2025: Tòa án nhân dân tỉnh Lạng Sơn.",
        "Đơn vị được bầu làm cụm phó năm 2025: Công an tỉnh Lạng Sơn.",
        "Lý Thị Thư",
    ] {
        assert!(
            minutes.body.contains(s),
            "minutes lack {s}: {}",
            minutes.body
        );
    }
    // Anyone can recount from the published record (encrypted ballots, proofs, decryption
    // shares), and gets the minutes' figures.
    let rec = member.get(&format!("/votes/{vote}/record.json")).await;
    assert_eq!(rec.status, 200);
    let record: thidua::voting::record::Record = serde_json::from_str(&rec.body).unwrap();
    assert!(thidua::voting::record::verify(&record).is_ok());
    let total = |unit: &str| {
        let c = record.candidates.iter().find(|c| c.unit == unit).unwrap();
        let t = record
            .result
            .totals
            .iter()
            .find(|t| t.candidate_id == c.id)
            .unwrap();
        (t.votes_for, t.votes_against)
    };
    assert_eq!(total("Tòa án nhân dân tỉnh Lạng Sơn"), (6, 1));
    assert_eq!(total("Công an tỉnh Lạng Sơn"), (7, 0));
    assert!(
        minutes.body.contains(
            "<td class=\"num\">6</td><td class=\"num\">1</td><td class=\"num\">85,71%</td>"
        ),
        "{}",
        minutes.body
    );
    let list = member.get(&format!("{page}/print/danh-sach")).await;
    assert_eq!(list.status, 200, "members read the dossier (công khai)");
    assert!(list.body.contains("85,71% (6/7)"), "{}", list.body);
    let docx = leader.get_bytes(&format!("{page}/docx/to-trinh")).await;
    assert_eq!(docx.0, 200);
    assert!(docx.2.starts_with(b"PK"), "a .docx is a zip");
    assert_eq!(leader.get(&format!("{page}/print/khac")).await.status, 404);

    // Another tenant, and a unit of another cluster, find nothing.
    for user in ["quantri.toaan", "thutruong.hocvien"] {
        let c = app.login(user).await;
        assert_eq!(c.get(&page).await.status, 404, "{user}");
        assert_eq!(
            c.get(&format!("{page}/print/to-trinh")).await.status,
            404,
            "{user}"
        );
    }

    // Next year (created by the election, led by tand-ls), Công an's report quotes the award.
    let y2025 = year_id(&app, NOI_CHINH, 2025).await;
    let leader25 = app.login("canbo.tand-ls").await;
    let vote25 = award_vote(&app, &leader25, y2025, &[("ca-ls", TTLDXS)], "").await;
    let start25 = format!("/years/{y2025}/proposal");
    let v25 = vote25.to_string();
    let r = leader25
        .submit(
            &start25,
            &start25,
            &[("vote_id", &v25), ("election_vote_id", "")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let report25 = format!("{}/reports/{ca}/print", r.location());
    let p = app.login("canbo.ca-ls").await.get(&report25).await;
    assert_eq!(p.status, 200);
    // Part III: the decision's number, date and issuer, each in its column.
    for cell in [
        "1234/QĐ-UBND</td>",
        "15/01/2025</td>",
        "Ủy ban nhân dân tỉnh Lạng Sơn</td>",
    ] {
        assert!(p.body.contains(cell), "{cell}: {}", p.body);
    }
    assert!(p.body.contains(TTLDXS));
}

#[tokio::test]
async fn the_council_keeps_government_flags_within_its_share_and_versions_its_templates() {
    let app = TestApp::start().await;
    let council = app.login("quantri.toaan").await;
    let p: i64 = sqlx::query_scalar(
        "SELECT p.id FROM proposals p JOIN cluster_years y ON y.id = p.cluster_year_id
           JOIN clusters c ON c.id = y.cluster_id WHERE c.name = 'Cụm thi đua số VI' AND y.year = 2019",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let page = format!("/proposals/{p}");

    // The council's pages open on the year with a dossier waiting (2019), not on the newest
    // year the election created (2020) nor another cluster's year without dossiers (2023).
    let inbox = council.get("/council/proposals").await;
    assert!(
        inbox
            .body
            .contains("<h1>Hồ sơ đề nghị khen thưởng năm 2019</h1>"),
        "{}",
        inbox.body
    );
    let dashboard = council.get("/council").await;
    assert!(
        dashboard
            .body
            .contains("Bảng theo dõi của Hội đồng — năm 2019"),
        "{}",
        dashboard.body
    );

    // 2019 had one leading unit (Cụm VI's): 20% of one is none, and the council chose none.
    let inbox = council.get("/council/proposals?year=2019").await;
    assert!(
        inbox.body.contains("Đạt: Hội đồng đã chọn 0, tối đa 0"),
        "{}",
        inbox.body
    );
    assert!(
        inbox
            .body
            .contains("(20% của 1 tập thể được bình xét dẫn đầu các cụm, khối thi đua"),
        "{}",
        inbox.body
    );
    let gov = award_id(&app, "toaan", "Cờ thi đua của Chính phủ").await;
    let flag = award_id(&app, "toaan", TOAAN_FLAG).await;
    let (tccb, vanphong) = (unit_id(&app, "tccb").await, unit_id(&app, "vanphong").await);
    let choose = |pairs: &[(i64, i64)]| -> Vec<String> {
        pairs.iter().map(|(a, u)| format!("{a}-{u}")).collect()
    };
    let decide = |awards: Vec<String>| {
        let council = &council;
        let page = page.clone();
        async move {
            let mut f: Vec<(&str, &str)> = vec![
                ("number", "45/QĐ-TANDTC"),
                ("signed_on", "20/01/2020"),
                ("issuer", "Chánh án Tòa án nhân dân tối cao"),
            ];
            for a in &awards {
                f.push(("award", a));
            }
            council.submit(&page, &format!("{page}/decide"), &f).await
        }
    };
    // The decision offers no Government flag the council has not chosen, and refuses one
    // forged into the form beside the awards, keeping what was typed and ticked.
    let d = council.get(&page).await;
    assert!(!d.body.contains(&format!("value=\"{gov}-")), "{}", d.body);
    assert!(
        d.body
            .contains("Cờ thi đua của Chính phủ năm 2019: Hội đồng chưa chọn đơn vị nào"),
        "{}",
        d.body
    );
    let r = decide(choose(&[(gov, tccb), (flag, vanphong)])).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(
            "Vụ Tổ chức - Cán bộ không có trong lựa chọn Cờ thi đua của Chính phủ năm 2019 của Hội đồng"
        ),
        "{}",
        r.body
    );
    assert!(r.body.contains("45/QĐ-TANDTC"), "the typed number is kept");
    assert!(
        r.body.contains(&format!("value=\"{flag}-{tccb}\">")),
        "what was not ticked stays unticked: {}",
        r.body
    );
    assert!(
        r.body
            .contains(&format!("value=\"{flag}-{vanphong}\" checked>")),
        "and what was ticked stays ticked: {}",
        r.body
    );
    assert_eq!(
        app.scalar_i64("SELECT count(*) FROM award_decisions").await,
        1
    );

    // Settings: bad input is explained beside its field and kept.
    let settings = |share: &'static str| {
        let council = &council;
        async move {
            let g = gov.to_string();
            let f = [
                ("flag", g.as_str()),
                ("share", share),
                ("day", "15"),
                ("month", "12"),
                ("rounds", "2"),
            ];
            council
                .submit("/council/settings", "/council/settings", &f)
                .await
        }
    };
    let r = council
        .submit(
            "/council/settings",
            "/council/settings",
            &[
                ("flag", &gov.to_string()),
                ("share", "hai mươi"),
                ("day", "31"),
                ("month", "2"),
                ("rounds", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Tỷ lệ phải là số lớn hơn 0"), "{}", r.body);
    assert!(r.body.contains("Tháng 2 không có ngày 31."), "{}", r.body);
    assert!(r.body.contains("hai mươi"));
    // All of one leading unit is one flag: the council chooses Cụm VI's leading unit.
    assert_eq!(settings("100").await.status, 303);
    let vi = year_id(&app, "Cụm thi đua số VI", 2019).await;
    let lead = format!("{vi}-{tccb}");
    let flags = "/council/government-flag?year=2019";
    let r = council
        .submit(
            flags,
            "/council/government-flag",
            &[("year", "2019"), ("lead", &lead)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // A choice made under a share since lowered is over it: the decision says so.
    assert_eq!(settings("20").await.status, 303);
    let one = choose(&[(gov, tccb), (flag, tccb), (flag, vanphong)]);
    let r = decide(one.clone()).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(
            "Cờ thi đua của Chính phủ năm 2019 không được quá 20% số tập thể được bình xét dẫn đầu \
             các cụm, khối thi đua (1 tập thể): tối đa 0, Hội đồng đã chọn 1."
        ),
        "{}",
        r.body
    );
    assert_eq!(settings("100").await.status, 303);
    // The chosen unit's flag is offered, another unit's is still refused, and the choice passes.
    let d = council.get(&page).await;
    assert!(
        d.body.contains(&format!(
            "value=\"{gov}-{tccb}\" checked> Vụ Tổ chức - Cán bộ — Cờ thi đua của Chính phủ"
        )),
        "{}",
        d.body
    );
    assert!(
        d.body
            .contains("Hội đồng đã chọn Vụ Tổ chức - Cán bộ (dẫn đầu Cụm thi đua số VI)"),
        "{}",
        d.body
    );
    let r = decide(choose(&[(gov, tccb), (gov, vanphong)])).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Văn phòng Tòa án nhân dân tối cao không có trong lựa chọn"),
        "{}",
        r.body
    );
    let r = decide(one).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let awarded: Vec<String> = sqlx::query_scalar(
        "SELECT award_name FROM unit_awards WHERE year = 2019 AND decision_id IS NOT NULL ORDER BY 1",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(
        awarded,
        ["Cờ thi đua của Chính phủ", TOAAN_FLAG, TOAAN_FLAG]
    );
    // The inbox counts the council's choice against the leading units.
    let inbox = council.get("/council/proposals?year=2019").await;
    assert!(
        inbox.body.contains("Đạt: Hội đồng đã chọn 1, tối đa 1"),
        "{}",
        inbox.body
    );
    assert!(
        inbox.body.contains("<td>Vụ Tổ chức - Cán bộ</td>"),
        "{}",
        inbox.body
    );
    let dashboard = council.get("/council?year=2019").await;
    assert!(!dashboard.body.contains("Vượt"), "{}", dashboard.body);

    // A new version of the cover letter: typos in fields are caught; the new words reach new
    // dossiers, while a dossier already drafted keeps the version it began with.
    let list = council.get("/council/templates").await;
    assert_eq!(list.status, 200);
    for kind in [
        "Tờ trình đề nghị khen thưởng",
        "Biên bản họp bình xét thi đua",
        "Báo cáo thành tích (tập thể)",
        "Danh sách đề nghị khen thưởng",
    ] {
        assert!(list.body.contains(kind), "{kind}");
    }
    let v1: i64 = sqlx::query_scalar(
        "SELECT d.id FROM document_templates d JOIN tenants t ON t.id = d.tenant_id
          WHERE t.code = 'toaan' AND d.kind = 'cover_letter' AND d.version = 1",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let edit = format!("/council/templates/{v1}");
    let form = council.get(&edit).await;
    assert!(
        form.body.contains("Kính gửi: {don_vi_to_chuc}"),
        "{}",
        form.body
    );
    let mut fields: Vec<(String, String)> = vec![
        (
            "name".into(),
            "Tờ trình (Mẫu số 01, Thông tư 15/2025/TT-BNV), sửa đổi".into(),
        ),
        ("legal_basis".into(), "Nghị định số 152/2025/NĐ-CP".into()),
    ];
    for i in 0..7 {
        let at = format!("name=\"text_{i}\"");
        let text = form.body.find(&at).map(|p| {
            let rest = &form.body[p..];
            let start = rest.find('>').unwrap() + 1;
            let end = rest.find("</textarea>").unwrap();
            rest[start..end]
                .replace("&#123;", "{")
                .replace("&#125;", "}")
        });
        if let Some(t) = text {
            fields.push((format!("text_{i}"), t));
        }
        let at = format!("name=\"heading_{i}\" value=\"");
        if let Some(p) = form.body.find(&at) {
            let rest = &form.body[p + at.len()..];
            fields.push((
                format!("heading_{i}"),
                rest[..rest.find('"').unwrap()].to_string(),
            ));
        }
    }
    let request = fields
        .iter()
        .position(|(_, v)| v.contains("kính trình Hội đồng Thi đua"))
        .expect("request text");
    fields[request].1 = "{cum_truong} trân trọng đề nghị {khac}:".into();
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = council.submit(&edit, &edit, &refs).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Không có trường {khac}"), "{}", r.body);
    fields[request].1 = "{cum_truong} trân trọng đề nghị Hội đồng xét khen thưởng:".into();
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let r = council.submit(&edit, &edit, &refs).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.scalar_i64(
            "SELECT count(*) FROM document_templates d JOIN tenants t ON t.id = d.tenant_id
                         WHERE t.code = 'toaan' AND d.kind = 'cover_letter' AND d.version = 2"
        )
        .await,
        1
    );
    let old = council.get(&format!("{page}/print/to-trinh")).await;
    assert!(
        old.body.contains("kính trình Hội đồng Thi đua"),
        "{}",
        old.body
    );
    assert!(!old.body.contains("trân trọng đề nghị"));

    // Cụm VI 2020 (Học viện Tòa án leads) votes on paper and assembles a dossier under v2.
    let y = year_id(&app, "Cụm thi đua số VI", 2020).await;
    let leader = app.login("canbo.hocvien").await;
    let vote = create_vote(&app, &leader, y, "award", "paper").await;
    let vpage = format!("/votes/{vote}");
    sqlx::query(&format!(
        "DELETE FROM vote_candidates WHERE vote_id = {vote}"
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    let (f, hv) = (flag.to_string(), unit_id(&app, "hocvien").await.to_string());
    let r = leader
        .submit(
            &vpage,
            &format!("{vpage}/candidates"),
            &[("award_type_id", &f), ("unit_id", &hv)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        leader
            .submit(&vpage, &format!("{vpage}/open"), &[])
            .await
            .status,
        303
    );
    let c = candidate(&app, vote, "hocvien", TOAAN_FLAG).await;
    let (vf, va) = (format!("for{c}"), format!("against{c}"));
    let r = leader
        .submit(
            &vpage,
            &format!("{vpage}/paper"),
            &[
                ("committee", "Ông Lê Văn A, bà Trần Thị B"),
                (&vf, "11"),
                (&va, "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        leader
            .submit(&vpage, &format!("{vpage}/close"), &[])
            .await
            .status,
        303
    );
    let start = format!("/years/{y}/proposal");
    let v = vote.to_string();
    let r = leader
        .submit(&start, &start, &[("vote_id", &v), ("election_vote_id", "")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let new = leader
        .get(&format!("{}/print/to-trinh", r.location()))
        .await;
    assert!(
        new.body
            .contains("Học viện Tòa án trân trọng đề nghị Hội đồng xét khen thưởng:"),
        "{}",
        new.body
    );
    let minutes = leader
        .get(&format!("{}/print/bien-ban", r.location()))
        .await;
    assert!(
        minutes
            .body
            .contains("Ban kiểm phiếu: Ông Lê Văn A, bà Trần Thị B."),
        "{}",
        minutes.body
    );
    assert!(minutes.body.contains("91,67%"), "{}", minutes.body);
}

/// Opens `vote`, lets every head vote for all its candidates except `against` (unit, candidate
/// unit) pairs, then closes and releases it.
async fn run_round(app: &TestApp, leader: &Client, vote: i64, against: &[(&str, &str)]) {
    let page = format!("/votes/{vote}");
    let seats = open_with_committee(app, leader, vote).await;
    let cands: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT c.id, u.code FROM vote_candidates c JOIN units u ON u.id = c.unit_id
          WHERE c.vote_id = {vote} ORDER BY c.id"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    for code in LS_UNITS {
        let head = app.login(&format!("thutruong.{code}")).await;
        let f: Vec<(String, String)> = cands
            .iter()
            .map(|(c, unit)| {
                let no = against.contains(&(code, unit.as_str()));
                (
                    format!("c{c}"),
                    if no { "against" } else { "for" }.to_string(),
                )
            })
            .collect();
        let refs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let r = head.submit(&page, &format!("{page}/ballot"), &refs).await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    close_and_count(leader, vote, &seats).await;
    let r = leader.submit(&page, &format!("{page}/release"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
}

#[tokio::test]
async fn a_tie_at_the_quota_is_voted_on_again_within_the_rounds_the_council_allows() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    // The provincial flag allows one; both units get every vote: a tie at the boundary.
    let first = draft_vote(&app, &leader, y, &[("tand-ls", FLAG), ("ca-ls", FLAG)]).await;
    let page = format!("/votes/{first}");
    let r = leader
        .submit(&page, &format!("{page}/next-round"), &[])
        .await;
    assert_eq!(r.status, 409, "not before the close");
    run_round(&app, &leader, first, &[]).await;
    let p = leader.get(&page).await;
    assert!(
        p.body.contains("Bằng phiếu tại giới hạn số lượng"),
        "{}",
        p.body
    );
    assert!(p.body.contains("Bình xét lại vòng 2"), "{}", p.body);
    let member = app.login("canbo.qs-ls").await;
    assert_eq!(
        member
            .submit(&page, &format!("{page}/next-round"), &[])
            .await
            .status,
        403
    );

    // Round two: the two tied units only; they tie again, and two rounds are all the default allows.
    let r = leader
        .submit(&page, &format!("{page}/next-round"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let second: i64 = r.location().trim_start_matches("/votes/").parse().unwrap();
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT count(*) FROM vote_candidates WHERE vote_id = {second}"
        ))
        .await,
        2
    );
    let again = leader
        .submit(&page, &format!("{page}/next-round"), &[])
        .await;
    assert_eq!(
        again.location(),
        format!("/votes/{second}"),
        "one next round per vote"
    );
    run_round(&app, &leader, second, &[]).await;
    let page2 = format!("/votes/{second}");
    let r = leader
        .submit(&page2, &format!("{page2}/next-round"), &[])
        .await;
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Đã bỏ phiếu đủ 2 vòng"), "{}", r.body);

    // The council allows three rounds; in the third Công an falls below the threshold.
    let council = app.login("quantri.langson").await;
    let gov = award_id(&app, "langson", "Cờ thi đua của Chính phủ")
        .await
        .to_string();
    let r = council
        .submit(
            "/council/settings",
            "/council/settings",
            &[
                ("flag", &gov),
                ("share", "20"),
                ("day", "10"),
                ("month", "12"),
                ("rounds", "3"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = leader
        .submit(&page2, &format!("{page2}/next-round"), &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let third: i64 = r.location().trim_start_matches("/votes/").parse().unwrap();
    let against: Vec<(&str, &str)> = ["tand-ls", "qs-ls", "bp-ls"]
        .iter()
        .map(|u| (*u, "ca-ls"))
        .collect();
    run_round(&app, &leader, third, &against).await;

    // The dossier offers only the last round and names the winner of the place.
    let start = format!("/years/{y}/proposal");
    let s = leader.get(&start).await;
    assert!(s.body.contains(&format!("value=\"{third}\"")), "{}", s.body);
    assert!(!s.body.contains(&format!("value=\"{first}\"")));
    let r = leader
        .submit(
            &start,
            &start,
            &[("vote_id", &first.to_string()), ("election_vote_id", "")],
        )
        .await;
    assert_eq!(
        r.status, 422,
        "an earlier round is settled by the later one"
    );
    let r = leader
        .submit(
            &start,
            &start,
            &[("vote_id", &third.to_string()), ("election_vote_id", "999")],
        )
        .await;
    assert_eq!(r.status, 422, "no such election");
    assert!(
        r.body.contains(&format!("value=\"{third}\" selected")),
        "the chosen vote is kept: {}",
        r.body
    );
    let r = leader
        .submit(
            &start,
            &start,
            &[("vote_id", &third.to_string()), ("election_vote_id", "")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let dossier = r.location().to_string();
    let nominees: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT u.code FROM proposal_nominees n JOIN units u ON u.id = n.unit_id
          WHERE n.proposal_id = {}",
        dossier.trim_start_matches("/proposals/")
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(nominees, ["tand-ls"]);
    let minutes = leader.get(&format!("{dossier}/print/bien-ban")).await;
    for s in [
        "Vòng 1:",
        "Vòng 2:",
        "Vòng 3 (bình xét lại giữa các đơn vị bằng phiếu):",
        "57,14%",
    ] {
        assert!(
            minutes.body.contains(s),
            "minutes lack {s}: {}",
            minutes.body
        );
    }
}
