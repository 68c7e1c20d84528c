//! Issue 17, walked in Chromium by labels: a ballot left incomplete keeps its choices and names
//! what is missing; the election's default candidates are trimmed in one form.

use crate::harness::TestApp;
use crate::voting::{
    FLAG, NOI_CHINH, TTLDXS, award_id, create_vote, open_with_committee, unit_id, year_id,
};
use crate::walk::Walk;

const TAND: &str = "Tòa án nhân dân tỉnh Lạng Sơn";
const CA: &str = "Công an tỉnh Lạng Sơn";
const BP: &str = "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lạng Sơn";

async fn ballots(app: &TestApp, vote: i64) -> i64 {
    app.scalar_i64(&format!(
        "SELECT count(*) FROM encrypted_ballots WHERE vote_id = {vote}"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_who_leaves_a_candidate_out_keeps_every_other_choice_and_is_told_which() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    // The vote's setup is not what this test walks: three candidates, an opened online vote.
    let vote = create_vote(&app, &leader, y, "award", "online").await;
    let page = format!("/votes/{vote}");
    sqlx::query(&format!(
        "DELETE FROM vote_candidates WHERE vote_id = {vote}"
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    let flag = award_id(&app, "langson", FLAG).await.to_string();
    let ttldxs = award_id(&app, "langson", TTLDXS).await.to_string();
    for (award, unit) in [(&flag, "tand-ls"), (&ttldxs, "ca-ls"), (&ttldxs, "bp-ls")] {
        let u = unit_id(&app, unit).await.to_string();
        let r = leader
            .submit(
                &page,
                &format!("{page}/candidates"),
                &[("award_type_id", award), ("unit_id", &u)],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let _seats = open_with_committee(&app, &leader, vote).await;

    let Some(w) = Walk::start(&app).await else {
        return;
    };
    w.login("thutruong.qs-ls").await;
    w.goto(&page).await;
    // Before anyone votes, the page shows what the council's share allows.
    let text = w.text().await;
    assert!(
        text.contains("Cờ thi đua của Chính phủ: không bình xét tại cụm, khối; Hội đồng lựa chọn trong các đơn vị được suy tôn dẫn đầu các cụm, khối."),
        "{text}"
    );
    assert!(
        text.contains(&format!("{FLAG}: mỗi cụm, khối tối đa 1; đơn vị đạt nhiều phiếu đồng ý nhất được suy tôn là đơn vị dẫn đầu cụm, khối.")),
        "{text}"
    );
    w.tick_in(TAND, "Đồng ý", true).await;
    w.tick_in(BP, "Không đồng ý", true).await;
    // Công an tỉnh is left out.
    let trail = "SELECT count(*) FROM audit_log";
    let audited = app.scalar_i64(trail).await;
    w.click("Gửi phiếu").await;
    let text = w.text().await;
    assert!(
        text.contains(&format!(
            "chưa chọn Đồng ý hoặc Không đồng ý cho {CA} ({TTLDXS})"
        )),
        "the message names the candidate left out: {text}"
    );
    assert!(
        !text.contains(&format!("cho {TAND}")) && !text.contains(&format!("cho {BP}")),
        "only the one left out is named: {text}"
    );
    assert!(
        w.ticked_in(TAND, "Đồng ý").await,
        "the choice for TAND kept"
    );
    assert!(
        w.ticked_in(BP, "Không đồng ý").await,
        "the choice for BP kept"
    );
    assert!(!w.ticked_in(CA, "Đồng ý").await && !w.ticked_in(CA, "Không đồng ý").await);
    assert_eq!(ballots(&app, vote).await, 0, "nothing cast");
    // Secrecy: the refused ballot leaves no trace; its choices went back to the voter only.
    assert_eq!(app.scalar_i64(trail).await, audited, "nothing recorded");
    w.shot("walk_voting_incomplete_ballot").await;

    w.tick_in(CA, "Đồng ý", true).await;
    w.click("Gửi phiếu").await;
    let text = w.text().await;
    assert!(text.contains("Mã phiếu"), "{text}");
    assert_eq!(ballots(&app, vote).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_leader_trims_the_elections_candidates_in_one_form() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let Some(w) = Walk::start(&app).await else {
        return;
    };
    w.login("canbo.thads-ls").await;
    w.goto(&format!("/years/{y}/votes")).await;
    w.choose("Loại", "Bầu cụm trưởng, cụm phó năm 2025").await;
    w.click("Tạo").await;
    let vote: i64 = w
        .path()
        .await
        .trim_start_matches("/votes/")
        .parse()
        .unwrap();
    let sql = format!("SELECT count(*) FROM vote_candidates WHERE vote_id = {vote}");
    assert_eq!(
        app.scalar_i64(&sql).await,
        14,
        "every member for both roles"
    );
    let page = w.text().await;
    assert!(
        page.contains("Bầu cụm trưởng, cụm phó năm 2025"),
        "the election is titled after the year it elects for: {page}"
    );
    assert!(!page.contains("năm sau năm 2024"), "{page}");
    // Keep Tòa án and Công an for each role: tick the other ten, one submit.
    let others = [
        "Cục Thi hành án dân sự tỉnh Lạng Sơn",
        "Bộ Chỉ huy Quân sự tỉnh Lạng Sơn",
        BP,
        "Viện kiểm sát nhân dân tỉnh Lạng Sơn",
        "Tiểu đoàn Cảnh sát cơ động số 2, Trung đoàn Cảnh sát cơ động Đông Bắc",
    ];
    for unit in others {
        for role in ["Cụm trưởng", "Cụm phó"] {
            w.tick(&format!("Bỏ {unit} — {role}"), true).await;
        }
    }
    w.click("Bỏ các đề nghị đã đánh dấu").await;
    let kept: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT u.name, c.role FROM vote_candidates c JOIN units u ON u.id = c.unit_id
          WHERE c.vote_id = {vote} ORDER BY u.name, c.role"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    let want = [
        (CA, "deputy"),
        (CA, "leader"),
        (TAND, "deputy"),
        (TAND, "leader"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(u, r)| (u.to_string(), r.to_string()))
        .collect();
    assert_eq!(kept, want, "one submit kept the four unticked");
    // Nothing ticked: the leader is told, and nothing changes.
    w.click("Bỏ các đề nghị đã đánh dấu").await;
    assert!(
        w.text()
            .await
            .contains("Hãy đánh dấu ít nhất một đề nghị cần bỏ.")
    );
    assert_eq!(app.scalar_i64(&sql).await, 4);
}

const VP: &str = "Văn phòng Tòa án nhân dân tối cao";
const GOV: &str = crate::voting::TOAAN_FLAG;

/// The cover letter's lines under the courts' flag, as printed.
fn government_lines(letter: &str) -> String {
    let from = letter
        .find(&format!("Đề nghị tặng {GOV}"))
        .unwrap_or_else(|| panic!("no courts' flag in the letter: {letter}"));
    let rest = &letter[from..];
    let to = rest.find("2. Đề nghị tặng").unwrap_or(rest.len());
    rest[..to].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_returned_dossier_is_corrected_by_withdrawing_a_nominee_and_sent_again() {
    let app = TestApp::start().await;
    let pid = crate::voting::id(
        &app,
        "SELECT p.id FROM proposals p JOIN cluster_years y ON y.id = p.cluster_year_id
          WHERE y.year = 2019 AND p.state = 'received'",
    )
    .await;
    let Some(w) = Walk::start(&app).await else {
        return;
    };
    // The council allows one Government flag for the one leading unit of 2019, and returns
    // the dossier for a nominee of the courts' flag.
    w.login("quantri.toaan").await;
    w.goto("/council/settings").await;
    w.fill(
        "tối đa bao nhiêu phần trăm số tập thể được bình xét dẫn đầu các cụm, khối thi đua",
        "100",
    )
    .await;
    w.click("Lưu").await;
    w.goto("/council/proposals?year=2019").await;
    let inbox = w.text().await;
    assert!(
        inbox.contains("Đạt: Hội đồng đã chọn 0, tối đa 1"),
        "{inbox}"
    );
    w.click("Đã tiếp nhận").await;
    w.fill(
        "Lý do trả lại",
        "Văn phòng chưa đủ điều kiện đề nghị Cờ thi đua của Tòa án nhân dân năm 2019.",
    )
    .await;
    w.click("Trả lại hồ sơ").await;
    assert!(w.text().await.contains("Bị trả lại"));
    w.logout().await;

    // The leader's officer withdraws that nominee, with the reason.
    w.login("canbo.khtc").await;
    w.goto(&format!("/proposals/{pid}")).await;
    let page = w.text().await;
    assert!(
        page.contains("Văn phòng chưa đủ điều kiện đề nghị"),
        "{page}"
    );
    w.choose("Tập thể rút khỏi đề nghị", &format!("{VP} — {GOV}"))
        .await;
    w.click("Rút đề nghị").await;
    assert!(
        w.text().await.contains("Hãy nhập lý do rút đề nghị."),
        "a reason is required"
    );
    assert_ne!(
        w.value("Tập thể rút khỏi đề nghị").await,
        "",
        "the choice is kept"
    );
    w.fill(
        "Lý do rút đề nghị",
        "Theo ý kiến của Hội đồng: chưa đủ điều kiện đề nghị Cờ thi đua.",
    )
    .await;
    w.click("Rút đề nghị").await;
    let page = w.text().await;
    assert!(page.contains("Đã rút khỏi đề nghị"), "{page}");
    assert!(
        page.contains("chưa đủ điều kiện đề nghị Cờ thi đua"),
        "{page}"
    );

    // The documents no longer propose it; the minutes keep the vote and record the withdrawal.
    w.click_in_row("Tờ trình", "Xem, in").await;
    let gov = government_lines(&w.text().await);
    assert!(!gov.contains(VP), "{gov}");
    assert!(gov.contains("Vụ Tổ chức - Cán bộ"), "{gov}");
    w.goto(&format!("/proposals/{pid}")).await;
    w.click_in_row("Danh sách đề nghị", "Xem, in").await;
    let list = w.text().await;
    assert!(!list.contains(VP), "{list}");
    assert!(list.contains("Vụ Tổ chức - Cán bộ"), "{list}");
    w.goto(&format!("/proposals/{pid}")).await;
    w.click_in_row("Biên bản họp bình xét", "Xem, in").await;
    let minutes = w.text().await;
    assert!(
        minutes.contains("Ghi chú bổ sung sau cuộc họp"),
        "{minutes}"
    );
    assert!(minutes.contains(&format!("- {VP} ({GOV}); lý do: Theo ý kiến của Hội đồng")));
    w.goto(&format!("/proposals/{pid}")).await;
    w.logout().await;

    // The leader's head sends it again; the council receives it within the share.
    w.login("thutruong.khtc").await;
    w.goto(&format!("/proposals/{pid}")).await;
    w.click("Gửi lại Hội đồng").await;
    assert!(w.text().await.contains("Đã gửi"), "{}", w.text().await);
    w.logout().await;
    w.login("quantri.toaan").await;
    w.goto("/council/proposals?year=2019").await;
    w.click("Đã gửi").await;
    w.click("Tiếp nhận hồ sơ").await;
    assert!(w.text().await.contains("Đã tiếp nhận"));
    w.goto("/council/proposals?year=2019").await;
    let inbox = w.text().await;
    assert!(!inbox.contains("Vượt"), "{inbox}");
    assert!(
        inbox.contains("Đạt: Hội đồng đã chọn 0, tối đa 1"),
        "{inbox}"
    );
    // The withdrawal is on the audit trail with its reason.
    assert_eq!(
        app.scalar_i64(&format!(
            "SELECT count(*) FROM audit_log WHERE entity = 'proposal' AND entity_id = '{pid}'
               AND action = 'nominee_withdrawn' AND after->>'reason' LIKE 'Theo ý kiến%'"
        ))
        .await,
        1
    );
}
