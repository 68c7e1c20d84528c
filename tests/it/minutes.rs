//! Issue 11, item 4: the minutes of a vote print each line's denominator, the ballots issued,
//! received, valid and invalid as the counting committee counted them, the committee, and the
//! result worded "dẫn đầu"; invalid paper ballots are recordable and a bad count is refused
//! beside its field.

use crate::harness::TestApp;
use crate::proposals::draft_vote_in;
use crate::rules_by_date::docx_text;
use crate::voting::{FLAG, NOI_CHINH, candidate, year_id};

#[tokio::test]
async fn the_minutes_print_the_denominators_the_ballot_counts_and_the_leading_unit() {
    let app = TestApp::start().await;
    let y = year_id(&app, NOI_CHINH, 2024).await;
    let leader = app.login("canbo.thads-ls").await;
    let vote = draft_vote_in(&app, &leader, y, "paper", &[("tand-ls", FLAG)]).await;
    let page = format!("/votes/{vote}");
    let r = leader.submit(&page, &format!("{page}/open"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let c = candidate(&app, vote, "tand-ls", FLAG).await;
    let (f, a) = (format!("for{c}"), format!("against{c}"));
    let committee = "Ông Hoàng Văn An, bà Lý Thị Bích";
    let paper =
        |received: &'static str, invalid: &'static str, yes: &'static str, no: &'static str| {
            let (leader, page, f, a) = (&leader, page.clone(), f.clone(), a.clone());
            async move {
                leader
                    .submit(
                        &page,
                        &format!("{page}/paper"),
                        &[
                            ("committee", committee),
                            ("received", received),
                            ("invalid", invalid),
                            (&f, yes),
                            (&a, no),
                        ],
                    )
                    .await
            }
        };
    // More invalid ballots than received: refused beside the field, everything typed kept.
    let r = paper("7", "8", "6", "0").await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("<p class=\"error\" id=\"invalid-error\">Số phiếu không hợp lệ không được lớn hơn số phiếu thu về.</p>"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("name=\"invalid\" inputmode=\"numeric\" size=\"3\" value=\"8\""),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!(
        "name=\"{f}\" inputmode=\"numeric\" size=\"3\" value=\"6\""
    )));
    // Seven received, none invalid: seven counted (the results show once the vote is closed;
    // the committee may correct its count until they are released).
    assert_eq!(paper("7", "0", "6", "1").await.status, 303);
    let r = leader.submit(&page, &format!("{page}/close"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = leader.get(&page).await.body;
    assert!(
        shown.contains("Số phiếu: 7/7 đơn vị thành viên."),
        "{shown}"
    );
    // One of them invalid: six valid, and each unit's votes are counted among those.
    assert_eq!(paper("7", "1", "6", "1").await.status, 422);
    assert_eq!(paper("7", "1", "6", "0").await.status, 303);
    let shown = leader.get(&page).await.body;
    assert!(
        shown.contains("Số phiếu: 6/7 đơn vị thành viên."),
        "{shown}"
    );
    assert!(
        shown.contains(&format!(
            "Tòa án nhân dân tỉnh Lạng Sơn được suy tôn là đơn vị dẫn đầu {NOI_CHINH} năm 2024."
        )),
        "{shown}"
    );

    let start = format!("/years/{y}/proposal");
    let r = leader
        .submit(
            &start,
            &start,
            &[("vote_id", &vote.to_string()), ("election_vote_id", "")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let print = leader
        .get(&format!("{}/print/bien-ban", r.location()))
        .await;
    assert_eq!(print.status, 200);
    let (status, _, bytes) = leader
        .get_bytes(&format!("{}/docx/bien-ban", r.location()))
        .await;
    assert_eq!(status, 200);
    let docx = docx_text(&bytes);
    let unit = "Tòa án nhân dân tỉnh Lạng Sơn";
    for text in [&print.body, &docx] {
        for expected in [
            "Số phiếu phát ra: 7; số phiếu thu về: 7; số phiếu hợp lệ: 6; số phiếu không hợp lệ: 1.",
            &format!("Ban kiểm phiếu: {committee}."),
            "Tính trên",
            "7 đơn vị thành viên",
            &format!("Kết quả: {unit} được suy tôn là đơn vị dẫn đầu {NOI_CHINH} năm 2024"),
        ] {
            assert!(text.contains(expected), "{expected:?} missing from {text}");
        }
    }
}
