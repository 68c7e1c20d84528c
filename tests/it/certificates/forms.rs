//! The layout form and the other pages over HTTP: what was typed stays and each wrong value is
//! named beside its field; a layout is copied; another tenant's rows are not found; the links
//! from a unit's history and a decided dossier.

use super::{decision, save_layout, sets_a3_landscape};
use crate::harness::TestApp;

#[tokio::test]
async fn bad_numbers_are_named_beside_their_field_and_nothing_typed_is_lost() {
    let app = TestApp::start().await;
    let (decision_id, _, _) = decision(&app).await;
    let t: i64 =
        sqlx::query_scalar("SELECT award_type_id FROM unit_awards WHERE decision_id = $1 LIMIT 1")
            .bind(decision_id)
            .fetch_one(&app.owner)
            .await
            .unwrap();
    let c = app.login("quantri.langson").await;
    let path = format!("/council/certificates/{t}");
    // The standard layout's form as it comes, with three bad values typed over it.
    let page = c.get(&path).await;
    assert_eq!(page.status, 200);
    let mut form: Vec<(String, String)> = Vec::new();
    for input in page.body.split("<input ").skip(1) {
        let attr = |n: &str| {
            input
                .split(&format!(" {n}=\""))
                .nth(1)
                .and_then(|v| v.split('"').next())
                .map(|v| v.to_string())
        };
        let (Some(name), Some(value)) = (attr("name"), attr("value")) else {
            continue;
        };
        let checkbox = input.contains("type=\"checkbox\"") || input.contains("type=\"radio\"");
        if checkbox && !input.contains(" checked") || name == "csrf" {
            continue;
        }
        form.push((name, value));
    }
    // The selects as they come: A4, and the decision's line left-aligned.
    form.push(("paper".into(), "A4".into()));
    form.push(("decision_align".into(), "left".into()));
    let typed = [
        ("recipient_x", "bốn mươi"),
        ("award_y", "-5"),
        ("reason_width", "400"),
        ("signer_name", "Hồ Tiến Thiệu"),
    ];
    for (k, v) in typed {
        form.retain(|(n, _)| n != k);
        form.push((k.into(), v.into()));
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r = c.submit(&path, &path, &pairs).await;
    assert_eq!(r.status, 422, "{}", r.body);
    for needle in [
        "Không phải là số: hãy nhập số mi-li-mét",
        "Không được là số âm",
        "Vượt quá chiều ngang của khổ giấy A4 ngang (297 mm).",
        // What was typed, bad and good, is still in the form.
        r#"name="recipient_x" value="bốn mươi""#,
        r#"name="award_y" value="-5""#,
        r#"name="reason_width" value="400""#,
        r#"value="Hồ Tiến Thiệu""#,
    ] {
        assert!(r.body.contains(needle), "{needle}");
    }
    // Each message stands beside its own field.
    assert!(r.body.contains(r#"id="recipient_x-error""#));
    assert!(r.body.contains(r#"id="award_y-error""#));
    assert!(r.body.contains(r#"id="reason_width-error""#));
    let saved = app
        .scalar_i64("SELECT count(*) FROM certificate_layouts")
        .await;
    assert_eq!(saved, 0, "nothing is written while a value is wrong");

    // The same form, put right, is saved and read back as typed.
    form.retain(|(n, _)| !["recipient_x", "award_y", "reason_width"].contains(&n.as_str()));
    form.extend([
        ("recipient_x".into(), "40,5".into()),
        ("award_y".into(), "75".into()),
        ("reason_width".into(), "200".into()),
    ]);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let r = c.submit(&path, &path, &pairs).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let back = c.get(&path).await.body;
    assert!(back.contains(r#"name="recipient_x" value="40,5""#));
    assert!(back.contains(r#"value="Hồ Tiến Thiệu""#));
}

#[tokio::test]
async fn another_tenants_awards_decisions_and_layouts_are_not_found() {
    let app = TestApp::start().await;
    let (decision_id, _, _) = decision(&app).await;
    let (award, t): (i64, i64) =
        sqlx::query_as("SELECT id, award_type_id FROM unit_awards WHERE decision_id = $1 LIMIT 1")
            .bind(decision_id)
            .fetch_one(&app.owner)
            .await
            .unwrap();
    let own = app.login("quantri.langson").await;
    let other = app.login("quantri.toaan").await;
    for path in [
        format!("/council/certificates/award/{award}"),
        format!("/council/certificates/decision/{decision_id}"),
        format!("/council/certificates/{t}"),
        format!("/council/certificates/{t}/calibration"),
    ] {
        assert_eq!(own.get(&path).await.status, 200, "{path}");
        assert_eq!(other.get(&path).await.status, 404, "{path}");
    }
    let r = other
        .submit(
            "/council/certificates",
            &format!("/council/certificates/{t}"),
            &[],
        )
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn the_history_and_the_decided_dossier_link_to_their_certificates() {
    let app = TestApp::start().await;
    let (decision_id, _, _) = decision(&app).await;
    let (award, unit, proposal): (i64, i64, i64) = sqlx::query_as(
        "SELECT a.id, a.unit_id, d.proposal_id FROM unit_awards a
           JOIN award_decisions d ON d.id = a.decision_id WHERE d.id = $1 LIMIT 1",
    )
    .bind(decision_id)
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let c = app.login("quantri.langson").await;
    let history = c.get(&format!("/units/{unit}/history")).await.body;
    assert!(
        history.contains(&format!(
            r#"href="/council/certificates/award/{award}">In bằng/giấy</a>"#
        )),
        "{history}"
    );
    let dossier = c.get(&format!("/proposals/{proposal}")).await.body;
    assert!(dossier.contains(&format!(
        r#"href="/council/certificates/decision/{decision_id}">In bằng khen, giấy khen của quyết định</a>"#
    )));
    // The unit's own staff read the history without the council's print link.
    let staff = app.login("canbo.tand-ls").await;
    let tand: i64 = app
        .scalar_i64("SELECT id FROM units WHERE code = 'tand-ls'")
        .await;
    let own = staff.get(&format!("/units/{tand}/history")).await;
    assert_eq!(own.status, 200);
    assert!(!own.body.contains("/council/certificates/"));
}

#[tokio::test]
async fn a_layout_is_copied_to_another_award_type_and_not_onto_itself() {
    let app = TestApp::start().await;
    let (decision_id, _, _) = decision(&app).await;
    let types: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT award_type_id FROM unit_awards WHERE decision_id = $1 ORDER BY 1",
    )
    .bind(decision_id)
    .fetch_all(&app.owner)
    .await
    .unwrap();
    let (from, to) = (types[0], types[1]);
    let c = app.login("quantri.langson").await;
    save_layout(&c, from, ("A3", "landscape"), &sets_a3_landscape()).await;
    let (f, t) = (from.to_string(), to.to_string());
    let r = c
        .submit(
            "/council/certificates",
            "/council/certificates",
            &[("from", &f), ("to", &f)],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Hãy chọn một hình thức khác với hình thức chép từ.")
    );
    let r = c
        .submit(
            "/council/certificates",
            "/council/certificates",
            &[("from", &f), ("to", &t)],
        )
        .await;
    assert_eq!(r.status, 303);
    let copied = c.get(&format!("/council/certificates/{to}")).await.body;
    assert!(
        copied.contains(r#"name="recipient_y" value="125,5""#),
        "{copied}"
    );
    assert!(copied.contains(r#"<option value="A3" selected>"#));
}

#[tokio::test]
async fn an_issued_decision_links_to_its_certificates_and_a_revoked_one_has_none() {
    let app = TestApp::start().await;
    let (record, _, _) = decision(&app).await;
    let issued = app
        .scalar_i64(&format!(
            "SELECT decision_id FROM award_decisions WHERE id = {record}"
        ))
        .await;
    let c = app.login("quantri.langson").await;
    let page = format!("/council/decisions/{issued}");
    let certificates = format!("{page}/certificates");
    let body = c.get(&page).await.body;
    assert!(
        body.contains(&format!(
            r#"href="{certificates}">In bằng khen, giấy khen (3)</a>"#
        )),
        "{body}"
    );
    let all = c.get(&certificates).await;
    assert_eq!(all.status, 200);
    assert!(all.body.contains("3 bằng, giấy."), "{}", all.body);
    let r = c
        .submit(
            &page,
            &format!("{page}/revoke"),
            &[("reason", "Thu hồi để kiểm tra việc in bằng")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        c.get(&certificates).await.status,
        404,
        "a revoked decision's awards left the histories: no certificates"
    );
    assert!(!c.get(&page).await.body.contains(&certificates));
}
