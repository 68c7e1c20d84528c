//! Issue 11, item 1: the Government-flag share as Công văn 5007/BNV-TĐKT says. Each cluster's
//! vote yields its leading unit; the council chooses among the leading units of all clusters of
//! the year, at most the share (20%) of them, and its list names the cluster each one leads.

use crate::rules_by_date::docx_text;

use crate::harness::{Client, TestApp};
use crate::walk::Walk;

use crate::voting::TOAAN_FLAG as FLAG;
const PAGE: &str = "/council/government-flag?year=2019";

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    app.scalar_i64(sql).await
}

async fn unit(app: &TestApp, code: &str) -> i64 {
    scalar(app, &format!("SELECT id FROM units WHERE code = '{code}'")).await
}

/// Adds a cluster of the courts' 2019 whose closed vote passed `unit` alone for the courts'
/// flag, as the dossier the cluster sent; returns the cluster year.
async fn cluster_led_by(app: &TestApp, name: &str, unit: i64) -> i64 {
    let t = scalar(app, "SELECT id FROM tenants WHERE code = 'toaan'").await;
    let c = scalar(
        app,
        &format!("INSERT INTO clusters (tenant_id, name, kind) VALUES ({t}, '{name}', 'cum') RETURNING id"),
    )
    .await;
    let y = scalar(
        app,
        &format!("INSERT INTO cluster_years (tenant_id, cluster_id, year) VALUES ({t}, {c}, 2019) RETURNING id"),
    )
    .await;
    let v = scalar(
        app,
        &format!(
            "INSERT INTO votes (tenant_id, cluster_year_id, kind, title, state, opened_at, closed_at)
             VALUES ({t}, {y}, 'award', 'Bình xét thi đua năm 2019', 'closed', now(), now()) RETURNING id"
        ),
    )
    .await;
    let p = scalar(
        app,
        &format!(
            "INSERT INTO proposals (tenant_id, cluster_year_id, vote_id, state, sent_at,
                 cover_template_id, minutes_template_id, report_template_id, list_template_id)
             SELECT {t}, {y}, {v}, 'sent', now(), cover_template_id, minutes_template_id,
                    report_template_id, list_template_id
               FROM proposals WHERE tenant_id = {t} LIMIT 1 RETURNING id"
        ),
    )
    .await;
    scalar(
        app,
        &format!(
            "INSERT INTO proposal_nominees (tenant_id, proposal_id, award_type_id, unit_id, position,
                 votes_for, votes_against, ballots, members, percent, score, rank)
             SELECT {t}, {p}, id, {unit}, 1, 9, 0, 9, 9, 100, 95, 1
               FROM award_types WHERE tenant_id = {t} AND name = '{FLAG}' RETURNING 1::bigint"
        ),
    )
    .await;
    y
}

/// Four more clusters beside the demo's Cụm VI: five leading units in 2019.
async fn five_clusters(app: &TestApp) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for (i, code) in ["tapchi", "baocongly", "htqt", "thanhtra"]
        .iter()
        .enumerate()
    {
        let u = unit(app, code).await;
        let y = cluster_led_by(app, &format!("Cụm thi đua số X{}", i + 1), u).await;
        out.push((y, u));
    }
    out
}

async fn save(council: &Client, leads: &[(i64, i64)]) -> crate::harness::Resp {
    let values: Vec<String> = leads.iter().map(|(c, u)| format!("{c}-{u}")).collect();
    let mut f: Vec<(&str, &str)> = vec![("year", "2019")];
    for v in &values {
        f.push(("lead", v));
    }
    council.submit(PAGE, "/council/government-flag", &f).await
}

#[tokio::test]
async fn five_leading_units_allow_one_flag_and_two_are_refused() {
    let app = TestApp::start().await;
    let others = five_clusters(&app).await;
    let council = app.login("quantri.toaan").await;
    let page = council.get(PAGE).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<dd>1 (20% của 5 đơn vị dẫn đầu, làm tròn xuống)</dd>"),
        "{}",
        page.body
    );
    // Cụm VI's vote passed four units for the flag; only the first of them leads it.
    assert_eq!(page.body.matches("Dẫn đầu Cụm thi đua số VI").count(), 1);

    let saved = "SELECT count(*) FROM government_flag_selections";
    let r = save(&council, &others[..2]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(
            "Chỉ được đề nghị tối đa 1 Cờ thi đua của Chính phủ năm 2019 (20% của 5 đơn vị"
        ),
        "{}",
        r.body
    );
    assert!(r.body.contains("id=\"lead-error\""), "beside the choice");
    let ticked = |(c, u): (i64, i64)| format!("value=\"{c}-{u}\" checked");
    assert!(r.body.contains(&ticked(others[1])), "the ticks are kept");
    assert_eq!(scalar(&app, saved).await, 0);

    let r = save(&council, &others[..1]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(scalar(&app, saved).await, 1);
    assert_eq!(
        scalar(
            &app,
            "SELECT count(*) FROM audit_log WHERE entity = 'government_flag_selection'"
        )
        .await,
        1
    );
    let page = council.get(r.location()).await;
    assert!(page.body.contains("Đã lưu lựa chọn của Hội đồng."));
    assert!(page.body.contains(&ticked(others[0])), "{}", page.body);

    // The council's list names the cluster the chosen unit leads, printed and in the .docx.
    let line = "1. Tạp chí Tòa án nhân dân, đơn vị được bình xét dẫn đầu Cụm thi đua số X1";
    let print = council
        .get("/council/government-flag/print?year=2019")
        .await;
    assert_eq!(print.status, 200);
    assert!(print.body.contains(line), "{}", print.body);
    let (status, _, bytes) = council
        .get_bytes("/council/government-flag/docx?year=2019")
        .await;
    assert_eq!(status, 200);
    let text = docx_text(&bytes);
    assert!(text.contains(line), "{text}");
    assert!(text.contains("Dẫn đầu Cụm thi đua số VI"), "{text}");
}

#[tokio::test]
async fn two_leading_the_same_cluster_or_a_unit_that_does_not_lead_are_refused() {
    let app = TestApp::start().await;
    let others = five_clusters(&app).await;
    // Ten leading units: two flags may be proposed.
    let mut more = Vec::new();
    for (i, code) in ["ctpn", "tonghop", "khtc", "vanphong", "hocvien"]
        .iter()
        .enumerate()
    {
        let u = unit(&app, code).await;
        more.push((
            cluster_led_by(&app, &format!("Khối thi đua số Y{}", i + 1), u).await,
            u,
        ));
    }
    let council = app.login("quantri.toaan").await;
    let page = council.get(PAGE).await;
    assert!(
        page.body.contains("<dd>2 (20% của 10 đơn vị dẫn đầu"),
        "{}",
        page.body
    );
    let (c, u) = others[0];
    let r = save(&council, &[(c, u), (c, others[1].1)]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Hai đơn vị được chọn cùng dẫn đầu Cụm thi đua số X1"),
        "{}",
        r.body
    );
    // A unit the vote passed for the flag but did not put first does not lead.
    let vi = scalar(
        &app,
        "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
          WHERE c.name = 'Cụm thi đua số VI' AND y.year = 2019",
    )
    .await;
    let mut refused = 0;
    for code in ["tccb", "vanphong", "phapche", "hocvien"] {
        let r = save(&council, &[(vi, unit(&app, code).await)]).await;
        if r.status == 422 {
            assert!(
                r.body
                    .contains("không phải đơn vị được bình xét dẫn đầu Cụm thi đua số VI"),
                "{}",
                r.body
            );
            refused += 1;
        }
    }
    assert_eq!(refused, 3, "one of the four leads Cụm VI");
    assert_eq!(
        save(&council, &[others[0], more[0]]).await.status,
        303,
        "two from two clusters are within the share"
    );
    assert_eq!(
        scalar(&app, "SELECT count(*) FROM government_flag_selections").await,
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_council_walks_to_its_choice_of_a_leading_unit() {
    let app = TestApp::start().await;
    five_clusters(&app).await;
    let Some(w) = Walk::start(&app).await else {
        return;
    };
    w.login("quantri.toaan").await;
    w.goto("/council/proposals?year=2019").await;
    w.click("Chọn trong các đơn vị dẫn đầu cụm, khối").await;
    w.tick("Tạp chí Tòa án nhân dân", true).await;
    w.tick("Báo Công lý", true).await;
    w.click("Lưu lựa chọn").await;
    let text = w.text().await;
    assert!(text.contains("Chỉ được đề nghị tối đa 1"), "{text}");
    w.tick("Báo Công lý", false).await;
    w.click("Lưu lựa chọn").await;
    let text = w.text().await;
    assert!(text.contains("Đã lưu lựa chọn của Hội đồng."), "{text}");
    w.click("Xem bản in").await;
    let text = w.text().await;
    assert!(
        text.contains("Tạp chí Tòa án nhân dân, đơn vị được bình xét dẫn đầu Cụm thi đua số X1"),
        "{text}"
    );
}

async fn proposal_of(app: &TestApp, cluster_year: i64) -> i64 {
    scalar(
        app,
        &format!("SELECT id FROM proposals WHERE cluster_year_id = {cluster_year}"),
    )
    .await
}

async fn cum_vi_2019(app: &TestApp) -> i64 {
    scalar(
        app,
        "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
          WHERE c.name = 'Cụm thi đua số VI' AND y.year = 2019",
    )
    .await
}

/// The council's decision on a cluster's dossier (`/proposals/{id}/decide`), awarding `awards`
/// as (award type, unit).
async fn decide(council: &Client, page: &str, awards: &[(i64, i64)]) -> crate::harness::Resp {
    let keys: Vec<String> = awards.iter().map(|(a, u)| format!("{a}-{u}")).collect();
    let mut f: Vec<(&str, &str)> = vec![
        ("number", "12/QĐ-TTg"),
        ("signed_on", "20/01/2020"),
        ("issuer", "Thủ tướng Chính phủ"),
    ];
    for k in &keys {
        f.push(("award", k));
    }
    council.submit(page, &format!("{page}/decide"), &f).await
}

#[tokio::test]
async fn the_decision_gives_the_government_flag_to_the_councils_choice_only() {
    let app = TestApp::start().await;
    // Five leading units: one flag; the council first chooses Cụm X1's (Tạp chí).
    let others = five_clusters(&app).await;
    let council = app.login("quantri.toaan").await;
    let vi = cum_vi_2019(&app).await;
    let page = format!("/proposals/{}", proposal_of(&app, vi).await);
    let gov = crate::voting::award_id(&app, "toaan", "Cờ thi đua của Chính phủ").await;
    let flag = crate::voting::award_id(&app, "toaan", FLAG).await;
    let (tccb, vanphong) = (unit(&app, "tccb").await, unit(&app, "vanphong").await);
    assert_eq!(save(&council, &others[..1]).await.status, 303);

    // Cụm VI's decision lists the council's choice and offers no Government flag for Cụm VI;
    // one forged into the form is refused beside the awards and nothing is recorded.
    let d = council.get(&page).await;
    assert!(
        d.body
            .contains("Hội đồng đã chọn Tạp chí Tòa án nhân dân (dẫn đầu Cụm thi đua số X1)"),
        "{}",
        d.body
    );
    assert!(!d.body.contains(&format!("value=\"{gov}-")), "{}", d.body);
    let r = decide(&council, &page, &[(gov, tccb), (flag, tccb)]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(
            "Vụ Tổ chức - Cán bộ không có trong lựa chọn Cờ thi đua của Chính phủ năm 2019 của Hội đồng"
        ),
        "{}",
        r.body
    );
    let awarded = format!("SELECT count(*) FROM unit_awards WHERE award_type_id = {gov}");
    assert_eq!(scalar(&app, &awarded).await, 0);
    assert_eq!(
        scalar(&app, "SELECT count(*) FROM award_decisions").await,
        1
    );

    // The council chooses Cụm VI's leading unit instead: the decision offers its flag, refuses
    // it for another unit of the cluster, and records it for the chosen one.
    assert_eq!(save(&council, &[(vi, tccb)]).await.status, 303);
    let d = council.get(&page).await;
    assert!(
        d.body.contains(&format!(
            "value=\"{gov}-{tccb}\" checked> Vụ Tổ chức - Cán bộ — Cờ thi đua của Chính phủ"
        )),
        "{}",
        d.body
    );
    let r = decide(&council, &page, &[(gov, vanphong), (flag, tccb)]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains(
            "Văn phòng Tòa án nhân dân tối cao không có trong lựa chọn Cờ thi đua của Chính phủ"
        ),
        "{}",
        r.body
    );
    let r = decide(&council, &page, &[(gov, tccb), (flag, tccb)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT unit_id FROM unit_awards WHERE award_type_id = {gov} AND year = 2019")
        )
        .await,
        tccb
    );
}

#[tokio::test]
async fn the_selection_page_reads_the_share_of_the_rule_set_in_force_that_year() {
    let app = TestApp::start().await;
    five_clusters(&app).await;
    // The courts keep no share of their own, so the law's applies, by the year; a rule set
    // from mid-2019 allows 40% where today's allows 20%.
    for sql in [
        "UPDATE tenant_settings SET government_flag_share = NULL",
        "INSERT INTO rule_sets (code, effective_from, title, citation, source_text,
             government_flag_share, rules)
         VALUES ('thử-2019', DATE '2019-06-01', 'Bộ quy tắc thử', 'Văn bản thử', 'Văn bản thử', 40,
                 '[]')",
    ] {
        sqlx::query(sql).execute(&app.owner).await.unwrap();
    }
    let council = app.login("quantri.toaan").await;
    let page = council.get(PAGE).await;
    assert!(
        page.body
            .contains("<dd>2 (40% của 5 đơn vị dẫn đầu, làm tròn xuống)</dd>"),
        "{}",
        page.body
    );
    let inbox = council.get("/council/proposals?year=2019").await;
    assert!(
        inbox.body.contains("Đạt: Hội đồng đã chọn 0, tối đa 2")
            && inbox
                .body
                .contains("(40% của 5 tập thể được bình xét dẫn đầu các cụm, khối thi đua"),
        "{}",
        inbox.body
    );
}
