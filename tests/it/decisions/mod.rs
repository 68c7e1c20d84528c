//! Issue 15, item 1: the council's decision drafted from the data. Through HTTP as the council's
//! staff: the outcome recorded without a number, a draft from it, a reason edited, the print
//! view (Chromium) and the .docx (LibreOffice), issue (the histories), the number's uniqueness,
//! revoke (the histories again, the audit trail), drafting again; two issues at once.

mod demo;

use crate::browser::is_a4;
use crate::harness::{Client, TestApp};
use crate::office::docx_to_pdf_text;

const NUMBER: &str = "15/QĐ-TANDTC";

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    app.scalar_i64(sql).await
}

/// The courts' 2019 dossier of Cụm VI, received and waiting for the council in the demo.
async fn dossier(app: &TestApp) -> i64 {
    scalar(
        app,
        "SELECT p.id FROM proposals p JOIN cluster_years y ON y.id = p.cluster_year_id
           JOIN clusters c ON c.id = y.cluster_id
          WHERE c.name = 'Cụm thi đua số VI' AND y.year = 2019",
    )
    .await
}

/// Two of the dossier's nominees as the decide form ticks them, with their units.
async fn two_nominees(app: &TestApp, p: i64) -> Vec<(String, i64)> {
    sqlx::query_as::<_, (String, i64)>(&format!(
        "SELECT award_type_id || '-' || unit_id, unit_id FROM proposal_nominees
          WHERE proposal_id = {p} ORDER BY position LIMIT 2"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap()
}

/// Records the outcome (no number) and drafts a decision from it; returns its page.
async fn outcome_and_draft(app: &TestApp, council: &Client, p: i64) -> String {
    let page = format!("/proposals/{p}");
    let picks = two_nominees(app, p).await;
    let awards: Vec<(&str, &str)> = picks.iter().map(|(k, _)| ("award", k.as_str())).collect();
    let r = council
        .submit(&page, &format!("{page}/decide"), &awards)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let list = "/council/decisions?year=2019";
    let p_s = p.to_string();
    let r = council
        .submit(
            list,
            "/council/decisions",
            &[("year", "2019"), ("dossier", &p_s)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    r.location().to_string()
}

/// The draft's texts as saved, to post back with changes.
async fn texts(app: &TestApp, id: i64) -> Vec<(&'static str, String)> {
    let row: (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    ) = sqlx::query_as(&format!(
        "SELECT authority, managing_agency, signer_title, signer_name, place, legal_bases,
                    considering, closing_articles, recipients FROM decisions WHERE id = {id}"
    ))
    .fetch_one(&app.owner)
    .await
    .unwrap();
    vec![
        ("authority", row.0),
        ("managing_agency", row.1),
        ("signer_title", row.2),
        ("signer_name", row.3),
        ("place", row.4),
        ("legal_bases", row.5),
        ("considering", row.6),
        ("closing_articles", row.7),
        ("recipients", row.8),
    ]
}

fn id_of(page: &str) -> i64 {
    page.rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn the_council_drafts_issues_revokes_and_drafts_again_a_decision_from_its_outcome() {
    let app = TestApp::start().await;
    let council = app.login("quantri.toaan").await;
    // Who signs, and a bonus for the courts' flag, from the settings page.
    let flag = scalar(
        &app,
        "SELECT a.id FROM award_types a JOIN tenants t ON t.id = a.tenant_id
        WHERE t.code = 'toaan' AND a.name = 'Cờ thi đua của Tòa án nhân dân'",
    )
    .await;
    let s = "/council/decisions/settings";
    let bonus_field = format!("bonus-{flag}");
    let mut settings = vec![
        ("authority", "Tòa án nhân dân tối cao"),
        ("signer_title", "Chánh án"),
        ("signer_name", "Nguyễn Hòa Bình"),
        ("records_bonuses", "1"),
        (bonus_field.as_str(), "năm triệu"),
    ];
    let r = council.submit(s, s, &settings).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Mức tiền thưởng phải là số đồng") && r.body.contains("Nguyễn Hòa Bình")
    );
    settings[4].1 = "5.000.000";
    assert_eq!(council.submit(s, s, &settings).await.status, 303);

    // The outcome without a number: nothing ticked is refused beside the awards.
    let p = dossier(&app).await;
    let page = format!("/proposals/{p}");
    let r = council.submit(&page, &format!("{page}/decide"), &[]).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Hãy chọn tập thể được khen thưởng"),
        "{}",
        r.body
    );
    let picks = two_nominees(&app, p).await;
    let awards: Vec<(&str, &str)> = picks.iter().map(|(k, _)| ("award", k.as_str())).collect();
    let r = council
        .submit(&page, &format!("{page}/decide"), &awards)
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = council.get(&page).await.body;
    assert!(
        shown.contains("Đã quyết định") && shown.contains("quyết định cần được dự thảo"),
        "{shown}"
    );
    assert!(shown.contains("/council/decisions?year=2019"));
    let unit = picks[0].1;
    let history = format!("/units/{unit}/history");
    assert!(!council.get(&history).await.body.contains(NUMBER));

    // The list offers the dossier; drafting without a tick is refused.
    let list = "/council/decisions?year=2019";
    let l = council.get(list).await;
    assert!(l.body.contains("Cụm thi đua số VI"), "{}", l.body);
    let r = council
        .submit(list, "/council/decisions", &[("year", "2019")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Hãy chọn ít nhất một hồ sơ"));
    let p_s = p.to_string();
    let r = council
        .submit(
            list,
            "/council/decisions",
            &[("year", "2019"), ("dossier", &p_s)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let draft = r.location().to_string();
    let id = id_of(&draft);
    let d = council.get(&draft).await.body;
    for s in [
        "Căn cứ Luật Thi đua, khen thưởng",
        "Xét đề nghị của Cụm thi đua số VI",
        "Chánh án",
        "5.000.000",
    ] {
        assert!(d.contains(s), "{s} in {d}");
    }

    // Edit a reason: a bad amount comes back beside its field with everything typed kept.
    let line = scalar(
        &app,
        &format!("SELECT min(id) FROM decision_lines WHERE decision_id = {id}"),
    )
    .await;
    let mut form = texts(&app, id).await;
    let (reason_f, amount_f) = (format!("reason-{line}"), format!("amount-{line}"));
    let reason = "Dẫn đầu phong trào thi đua “Vì công lý” năm 2019";
    form.push((
        "considering",
        "Xét đề nghị của Cụm thi đua số VI (sửa tay).".into(),
    ));
    form.swap_remove(6);
    let mut fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    fields.push((&reason_f, reason));
    fields.push((&amount_f, "nhiều"));
    let r = council.submit(&draft, &draft, &fields).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Số tiền thưởng phải là số đồng") && r.body.contains(reason));
    assert!(r.body.contains("(sửa tay)"));
    fields.pop();
    fields.push((&amount_f, "4.000.000"));
    let r = council.submit(&draft, &draft, &fields).await;
    assert_eq!(r.status, 303, "{}", r.body);

    // The draft prints with its mark, dotted number and date, the articles and the annex.
    let print = council.get(&format!("{draft}/print")).await.body;
    for s in [
        "DỰ THẢO",
        "Số: ……/……",
        "ngày …… tháng …… năm ……",
        "CHÁNH ÁN TÒA ÁN NHÂN DÂN TỐI CAO",
        "Điều 1. Tặng Cờ thi đua của Tòa án nhân dân cho 02 tập thể",
        "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
        "DANH SÁCH",
        "Kèm theo Quyết định số ……/…… ngày …/…/……",
        reason,
        "4.000.000",
        "9.000.000",
    ] {
        assert!(print.contains(s), "{s} in {print}");
    }
    let (status, _, bytes) = council.get_bytes(&format!("{draft}/docx")).await;
    assert_eq!(status, 200);
    if let Some((pages, size, text)) = docx_to_pdf_text(&bytes).await {
        assert!(pages >= 2, "the annex on a page of its own");
        assert!(is_a4((size.0 * 25.4 / 72.0, size.1 * 25.4 / 72.0)));
        for s in [
            "DỰ THẢO",
            "QUYẾT ĐỊNH",
            "DANH SÁCH",
            "Kèm theo Quyết định",
            "Dẫn đầu phong trào",
        ] {
            assert!(text.contains(s), "{s} in {text}");
        }
    }

    // Issue: locked, and the awards enter the histories with number, date and issuer.
    let issue = format!("{draft}/issue");
    let r = council
        .submit(
            &draft,
            &issue,
            &[("number", NUMBER), ("signed_on", "31/02/2020")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(NUMBER), "what was typed is kept");
    let r = council
        .submit(
            &draft,
            &issue,
            &[("number", NUMBER), ("signed_on", "20/01/2020")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let h = council.get(&history).await.body;
    for s in [NUMBER, "20/01/2020", "Chánh án Tòa án nhân dân tối cao"] {
        assert!(h.contains(s), "{s} in the history {h}");
    }
    let r = council
        .submit(
            &draft,
            &issue,
            &[("number", "16/QĐ-TANDTC"), ("signed_on", "21/01/2020")],
        )
        .await;
    assert_eq!(r.status, 409, "issued once");
    let r = council.submit(&draft, &draft, &fields).await;
    assert_eq!(r.status, 409, "an issued decision is locked");
    let print = council.get(&format!("{draft}/print")).await.body;
    assert!(!print.contains("DỰ THẢO") && print.contains("Số: 15/QĐ-TANDTC"));
    assert!(print.contains("ngày 20 tháng 01 năm 2020"));

    // Revoke: a reason is required; the awards leave the histories, the decision stays.
    let revoke = format!("{draft}/revoke");
    let r = council.submit(&draft, &revoke, &[("reason", "")]).await;
    assert_eq!(r.status, 422);
    let why = "Nhầm đối tượng khen thưởng";
    let r = council.submit(&draft, &revoke, &[("reason", why)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(!council.get(&history).await.body.contains(NUMBER));
    let l = council.get(list).await.body;
    assert!(l.contains("Đã thu hồi") && l.contains(why), "{l}");
    let audit = scalar(
        &app,
        &format!(
            "SELECT count(*) FROM audit_log WHERE entity = 'decision' AND entity_id = '{id}'
            AND action IN ('issued', 'revoked')"
        ),
    )
    .await;
    assert_eq!(audit, 2);
    let gone = scalar(
        &app,
        "SELECT count(*) FROM audit_log WHERE entity = 'unit_award' AND action = 'deleted'",
    )
    .await;
    assert_eq!(gone, 2);
    let trail = council.get("/audit?entity=decision").await.body;
    assert!(
        trail.contains("Ban hành quyết định") && trail.contains("Thu hồi quyết định"),
        "{trail}"
    );

    // Drafted again; the revoked number is not given again, and what was typed stays.
    let r = council
        .submit(
            list,
            "/council/decisions",
            &[("year", "2019"), ("dossier", &p_s)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let again = r.location().to_string();
    let issue = format!("{again}/issue");
    let r = council
        .submit(
            &again,
            &issue,
            &[("number", " 15/qđ-tandtc "), ("signed_on", "05/02/2020")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("đã được dùng trong năm 2020") && r.body.contains("05/02/2020"),
        "{}",
        r.body
    );
    let r = council
        .submit(
            &again,
            &issue,
            &[("number", "17/QĐ-TANDTC"), ("signed_on", "05/02/2020")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(council.get(&history).await.body.contains("17/QĐ-TANDTC"));
}

#[tokio::test]
async fn two_issues_of_one_draft_at_once_issue_it_once() {
    let app = TestApp::start().await;
    let council = app.login("quantri.toaan").await;
    let p = dossier(&app).await;
    let draft = outcome_and_draft(&app, &council, p).await;
    let issue = format!("{draft}/issue");
    let token = council.get(&draft).await.csrf();
    let a = [
        ("csrf", token.as_str()),
        ("number", "20/QĐ"),
        ("signed_on", "20/01/2020"),
    ];
    let b = [
        ("csrf", token.as_str()),
        ("number", "21/QĐ"),
        ("signed_on", "20/01/2020"),
    ];
    let (ra, rb) = tokio::join!(council.post(&issue, &a), council.post(&issue, &b));
    let mut got = [ra.status, rb.status];
    got.sort();
    assert_eq!(got, [303, 409], "{} / {}", ra.body, rb.body);
    let entered = scalar(
        &app,
        &format!(
            "SELECT count(*) FROM unit_awards w JOIN award_decisions a ON a.id = w.decision_id
          WHERE a.proposal_id = {p}"
        ),
    )
    .await;
    assert_eq!(entered, 2, "each award entered once");
}

/// The draft's edits and its number are one form: pressing "Ban hành" after editing a reason
/// saves the reason with the issue, and a refused number keeps the edited reason on the page.
#[tokio::test]
async fn issuing_keeps_the_edits_typed_above_it() {
    let app = TestApp::start().await;
    let council = app.login("quantri.toaan").await;
    let p = dossier(&app).await;
    let draft = outcome_and_draft(&app, &council, p).await;
    let id = id_of(&draft);
    let line = scalar(
        &app,
        &format!("SELECT min(id) FROM decision_lines WHERE decision_id = {id}"),
    )
    .await;
    let reason = "Hoàn thành xuất sắc nhiệm vụ xét xử năm 2019";
    let mut fields: Vec<(String, String)> = texts(&app, id)
        .await
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    fields.push((format!("reason-{line}"), reason.to_string()));
    let with = |number: &str| {
        let mut f = fields.clone();
        f.push(("number".into(), number.into()));
        f.push(("signed_on".into(), "20/01/2020".into()));
        f
    };
    let issue = format!("{draft}/issue");
    // A number the form refuses (blank): the edited reason is still on the page.
    let bad = with(" ");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r = council.submit(&draft, &issue, &bad).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains(reason),
        "the edited reason is kept: {}",
        r.body
    );
    let good = with("30/QĐ-TANDTC");
    let good: Vec<(&str, &str)> = good.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r = council.submit(&draft, &issue, &good).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let kept: String = sqlx::query_scalar(&format!(
        "SELECT reason FROM decision_lines WHERE id = {line}"
    ))
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(
        kept, reason,
        "the reason edited with the issue is the decision's"
    );
    let state: String = sqlx::query_scalar(&format!("SELECT state FROM decisions WHERE id = {id}"))
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(state, "issued");
}
