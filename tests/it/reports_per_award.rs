//! One achievement report per nominee per award form (issue 11, item 3): a unit nominated for
//! two awards writes two reports, each naming its award as the tenant names it, and Part III
//! lists past titles and past commendations as two tables.

use crate::harness::TestApp;
use crate::rules_by_date::{docx_text, dossier_2024};
use crate::voting::{FLAG, TTLDXS, award_id, unit_id};

/// The tenant's own name for its flag, as a council renames it (the demo already names it
/// "Cờ thi đua của Ủy ban nhân dân tỉnh Lạng Sơn", the name of the unit's 2023 award).
const OWN_FLAG: &str = "Cờ thi đua của UBND tỉnh Lạng Sơn";

#[tokio::test]
async fn a_unit_nominated_for_two_awards_writes_two_reports_each_naming_its_award() {
    let app = TestApp::start().await;
    let flag = award_id(&app, "langson", FLAG).await;
    let ttldxs = award_id(&app, "langson", TTLDXS).await;
    let (leader, page) = dossier_2024(&app, &[("tand-ls", FLAG), ("tand-ls", TTLDXS)]).await;
    sqlx::query("UPDATE award_types SET name = $1 WHERE id = $2")
        .bind(OWN_FLAG)
        .bind(flag)
        .execute(&app.owner)
        .await
        .unwrap();
    let tand = unit_id(&app, "tand-ls").await;
    let report = |a: i64| format!("{page}/reports/{tand}?award={a}");

    // The dossier lists two reports for the unit, one per award.
    let d = leader.get(&page).await;
    for a in [flag, ttldxs] {
        assert!(d.body.contains(&report(a)), "{}", d.body);
    }
    assert!(d.body.contains(&format!("Đề nghị tặng {OWN_FLAG}")));
    assert!(d.body.contains(&format!("Đề nghị tặng {TTLDXS}")));

    // The unit writes the flag's report; the other keeps its own words.
    let officer = app.login("canbo.tand-ls").await;
    let words = [
        ("s_name", "Tên tập thể đề nghị: {don_vi}"),
        ("s_situation", "Trụ sở tại thành phố Lạng Sơn."),
        (
            "s_achievements",
            "Thành tích dẫn đầu cụm, đề nghị {danh_hieu}.",
        ),
    ];
    let r = officer.submit(&report(flag), &report(flag), &words).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let own = officer.get(&report(flag)).await.body;
    assert!(own.contains("Thành tích dẫn đầu cụm"), "{own}");
    assert!(
        own.contains(&report(ttldxs)),
        "links the unit's other report: {own}"
    );
    let other = officer.get(&report(ttldxs)).await.body;
    assert!(!other.contains("Thành tích dẫn đầu cụm"), "{other}");

    // The head submits one: the dossier cannot be sent while the other is missing.
    let head = app.login("thutruong.tand-ls").await;
    let submit = |a: i64| format!("{page}/reports/{tand}/submit?award={a}");
    let r = head.submit(&report(flag), &submit(flag), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let ok = texts_saved(&leader, &page).await;
    assert_eq!(ok, 303);
    let sender = app.login("thutruong.thads-ls").await;
    let r = sender.submit(&page, &format!("{page}/send"), &[]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains(&format!("Tòa án nhân dân tỉnh Lạng Sơn ({TTLDXS})")),
        "{}",
        r.body
    );
    assert!(
        !r.body
            .contains(&format!("Tòa án nhân dân tỉnh Lạng Sơn ({OWN_FLAG})"))
    );

    // Each report prints its own award, by the tenant's name, never the category.
    let print = |a: i64| format!("{page}/reports/{tand}/print?award={a}");
    let p = leader.get(&print(flag)).await.body;
    assert!(
        p.contains(&format!("Đề nghị tặng {OWN_FLAG} năm 2024")),
        "{p}"
    );
    assert!(p.contains(&format!("đề nghị {OWN_FLAG}.")), "{p}");
    assert!(!p.contains(&format!("Đề nghị tặng {TTLDXS}")), "{p}");
    let p = leader.get(&print(ttldxs)).await.body;
    assert!(
        p.contains(&format!("Đề nghị tặng {TTLDXS} năm 2024")),
        "{p}"
    );
    assert!(!p.contains(OWN_FLAG), "{p}");
    // The letter and the list name the tenant's award too.
    for doc in ["to-trinh", "danh-sach"] {
        let t = leader.get(&format!("{page}/print/{doc}")).await.body;
        assert!(
            t.contains(OWN_FLAG) && !t.contains("Bộ, ban, ngành, tỉnh"),
            "{doc}: {t}"
        );
    }
    // The .docx of each report names its award.
    let (status, headers, bytes) = leader
        .get_bytes(&format!("{page}/reports/{tand}/docx?award={ttldxs}"))
        .await;
    assert_eq!(status, 200);
    let disposition = format!("{:?}", headers.get("content-disposition"));
    assert!(disposition.contains("docx"), "{disposition}");
    let text = docx_text(&bytes);
    assert!(
        text.contains(&format!("Đề nghị tặng {TTLDXS} năm 2024")),
        "{text}"
    );
}

async fn texts_saved(leader: &crate::harness::Client, page: &str) -> u16 {
    let t = crate::proposals::texts("18/12/2024", "16/12/2024");
    leader
        .submit(page, page, &crate::proposals::refs(&t))
        .await
        .status
}

#[tokio::test]
async fn part_three_lists_past_titles_and_past_commendations_in_two_tables() {
    let app = TestApp::start().await;
    let (leader, page) = dossier_2024(&app, &[("tand-ls", TTLDXS)]).await;
    let tand = unit_id(&app, "tand-ls").await;
    let print = leader
        .get(&format!("{page}/reports/{tand}/print"))
        .await
        .body;
    // The demo's history of tand-ls: a 2022 title and a 2021 certificate of merit.
    let at = |s: &str| {
        print
            .find(s)
            .unwrap_or_else(|| panic!("lacks {s:?}: {print}"))
    };
    let part = at("III. CÁC HÌNH THỨC KHEN THƯỞNG ĐÃ ĐƯỢC GHI NHẬN");
    let titles = at("1. Danh hiệu thi đua");
    let title = at("Tập thể lao động xuất sắc</td>");
    let commendations = at("2. Hình thức khen thưởng");
    let merit = at("188/QĐ-UBND");
    assert!(part < titles && titles < title && title < commendations && commendations < merit);
    for head in ["Số quyết định", "Ngày", "Cơ quan ban hành"] {
        assert_eq!(print.matches(&format!(">{head}<")).count(), 2, "{head}");
    }
    assert!(
        print.contains("27/01/2022"),
        "the decision's date in its own column"
    );
    assert!(print.contains("Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn"));
}
