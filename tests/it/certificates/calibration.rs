//! The calibration sheet in Chromium: the layout's paper, the millimetre grid's labels, and each
//! field's name within a millimetre of its place; and the pages a person sees around it.

use super::{Set, about, check_page, decision, save_layout, sets_a3_landscape};
use crate::browser::{browser, print_document, screenshot_dir};
use crate::decree30::Pdf;
use crate::harness::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_the_calibration_sheet_has_the_grid_and_each_field_name_at_its_place() {
    let app = TestApp::start().await;
    let (decision_id, _, _) = decision(&app).await;
    let flag: i64 = sqlx::query_scalar(
        "SELECT a.award_type_id FROM unit_awards a JOIN award_types t ON t.id = a.award_type_id
          WHERE a.decision_id = $1 ORDER BY t.position LIMIT 1",
    )
    .bind(decision_id)
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let c = app.login("quantri.langson").await;
    save_layout(&c, flag, ("A3", "landscape"), &sets_a3_landscape()).await;
    let Some((b, _driver)) = browser().await else {
        return;
    };
    let p = print_document(
        &b,
        &app.base,
        "quantri.langson",
        &format!("/council/certificates/{flag}/calibration"),
        "certificate-calibration",
    )
    .await;
    assert_eq!(p.pages, 1);
    assert!(about(p.size_mm, (420.0, 297.0)), "{:?}", p.size_mm);
    let pdf = Pdf::read(&screenshot_dir().join("certificate-calibration.pdf"));
    // The grid's labels every 10 mm along both edges.
    for label in ["10", "200", "410", "290"] {
        assert!(
            pdf.words.iter().any(|w| w.text == label),
            "grid label {label}"
        );
    }
    let names = [
        ("award", "[Hình thức khen thưởng]"),
        ("recipient", "[Tên tập thể được khen thưởng]"),
        ("reason", "[Dòng thành tích]"),
        ("decision", "[Số, ngày quyết định]"),
        ("place_date", "[Địa danh, ngày tháng]"),
        ("signer_title", "[Chức vụ người ký]"),
        ("signer_name", "[Họ tên người ký]"),
    ];
    let sets = sets_a3_landscape();
    let placed: Vec<(&Set, String)> = sets
        .iter()
        .map(|s| {
            (
                s,
                names.iter().find(|n| n.0 == s.key).unwrap().1.to_string(),
            )
        })
        .collect();
    let mut failures = Vec::new();
    check_page(&pdf, 1, &placed, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The list and the layout's form, as the council's staff see them (for a person to look at).
    for (path, name) in [
        ("/council/certificates".to_string(), "certificates-list"),
        (
            format!("/council/certificates/{flag}"),
            "certificate-layout-form",
        ),
    ] {
        b.goto(&format!("{}{path}", app.base)).await.unwrap();
        let png = b.screenshot().await.unwrap();
        std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
    }
}
