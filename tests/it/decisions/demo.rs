//! The demo's decision: drafted and issued through the same store functions as the pages.

use crate::browser::{browser, is_a4, print_document};
use crate::harness::TestApp;

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    app.scalar_i64(sql).await
}

/// The demo's Lạng Sơn 2023 dossier decided by outcome, drafted and issued: the histories hold
/// decision 156/QĐ-UBND as before, and it prints on A4 with its annex on a page of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demos_issued_decision_prints_with_its_annex_and_fills_the_histories() {
    let app = TestApp::start().await;
    let council = app.login("quantri.langson").await;
    let id = scalar(
        &app,
        "SELECT id FROM decisions WHERE number = '156/QĐ-UBND'",
    )
    .await;
    let tand = scalar(&app, "SELECT id FROM units WHERE code = 'tand-ls'").await;
    let h = council.get(&format!("/units/{tand}/history")).await.body;
    for s in [
        "156/QĐ-UBND",
        "26/01/2024",
        "Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn",
    ] {
        assert!(h.contains(s), "{s} in {h}");
    }
    let l = council.get("/council/decisions?year=2023").await.body;
    assert!(
        l.contains("Số 156/QĐ-UBND") && l.contains("Đã ban hành"),
        "{l}"
    );
    let Some((b, _driver)) = browser().await else {
        return;
    };
    let printed = print_document(
        &b,
        &app.base,
        "quantri.langson",
        &format!("/council/decisions/{id}/print"),
        "quyet-dinh-156",
    )
    .await;
    assert!(is_a4(printed.size_mm), "{:?}", printed.size_mm);
    assert!(printed.pages >= 2, "the annex on a page of its own");
    // Lines wrap where the page decides: compare without spaces.
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let t = squash(&printed.text);
    for s in [
        "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
        "Số: 156/QĐ-UBND",
        "Lạng Sơn, ngày 26 tháng 01 năm 2024",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
        "Nghị định số 98/2023/NĐ-CP",
        "Điều 1.",
        "DANH SÁCH",
        "Kèm theo Quyết định số 156/QĐ-UBND ngày 26/01/2024",
        "I. CỜ THI ĐUA CỦA ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN (01 tập thể)",
        "Tòa án nhân dân",
    ] {
        assert!(t.contains(&squash(s)), "{s} in {}", printed.text);
    }
    assert!(!t.contains("DỰTHẢO") && !t.contains("152/2025"));
    // The annex starts the second page: its title is not on the first.
    let first = printed.text.split('\u{c}').next().unwrap_or_default();
    assert!(!first.contains("DANH SÁCH"), "{first}");
    b.close().await.unwrap();
}
