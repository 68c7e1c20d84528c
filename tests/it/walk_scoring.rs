//! Issue 17 in scoring, walked in Chromium by the words on the page: typed scores survive
//! every evidence button, whatever the order.

use crate::harness::TestApp;
use crate::walk::Walk;

/// The demo's draft sheet: Tiểu đoàn CSCĐ số 2 in Lạng Sơn's 2024 cluster year.
struct DraftSheet {
    path: String,
    sheet_id: i64,
    /// Criterion codes in the table's order.
    codes: Vec<String>,
}

async fn draft_sheet(app: &TestApp) -> DraftSheet {
    let (year, unit): (i64, i64) = sqlx::query_as(
        "SELECT y.id, u.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id, units u
          WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.year = 2024
            AND u.code = 'csd2'",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let sheet_id: i64 = sqlx::query_scalar(
        "SELECT id FROM scoresheets WHERE cluster_year_id = $1 AND unit_id = $2 AND status = 'draft'",
    )
    .bind(year)
    .bind(unit)
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT c.code FROM criteria c JOIN criteria_sections s ON s.id = c.section_id
           JOIN cluster_years y ON y.criteria_table_id = c.table_id
          WHERE y.id = $1 ORDER BY s.position, c.position",
    )
    .bind(year)
    .fetch_all(&app.owner)
    .await
    .unwrap();
    DraftSheet {
        path: format!("/years/{year}/sheets/{unit}"),
        sheet_id,
        codes,
    }
}

/// What is stored for a criterion: (claimed points, explanation).
async fn stored(app: &TestApp, sheet_id: i64, code: &str) -> (String, String) {
    sqlx::query_as(
        "SELECT coalesce(e.self_points::text, ''), e.explanation FROM sheet_entries e
           JOIN criteria c ON c.id = e.criterion_id WHERE e.sheet_id = $1 AND c.code = $2",
    )
    .bind(sheet_id)
    .bind(code)
    .fetch_one(&app.owner)
    .await
    .unwrap()
}

async fn files_of(app: &TestApp, sheet_id: i64) -> Vec<String> {
    sqlx::query_scalar("SELECT filename FROM evidence WHERE sheet_id = $1 ORDER BY id")
        .bind(sheet_id)
        .fetch_all(&app.owner)
        .await
        .unwrap()
}

fn score(code: &str) -> String {
    format!("Điểm tự chấm tiêu chí {code}")
}

fn explanation(code: &str) -> String {
    format!("Giải trình tiêu chí {code}")
}

/// A file on disk for the browser to pick.
fn file(name: &str, data: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("thidua-walk-scoring-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p.to_string_lossy().into_owned()
}

/// The sheet's "Tổng tự chấm" as the page shows it: "x / y điểm (z%)".
async fn claimed_total(w: &Walk) -> String {
    let text = w.text().await;
    let at = text
        .find("Tổng tự chấm")
        .expect("the sheet shows its total")
        + "Tổng tự chấm".len();
    let rest = &text[at..];
    rest[..rest.find("%)").expect("a percentage") + 2]
        .trim()
        .to_string()
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

/// Item 1: type every score and explanation, then upload a PDF for the first criterion: the
/// file is listed and every typed value is still there, and saved. Then the other orders: a
/// refused file keeps what was typed (unsaved, and said so), and "Xóa" saves too. Item 11: the
/// anti-forgery token of uploads is not in any URL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploading_evidence_keeps_and_saves_every_typed_score() {
    let app = TestApp::start().await;
    let Some(w) = Walk::start(&app).await else {
        return;
    };
    let s = draft_sheet(&app).await;
    let first = s.codes[0].clone();
    w.login("canbo.csd2").await;
    w.goto(&s.path).await;
    assert!(
        !w.html().await.contains("csrf="),
        "no anti-forgery token in a URL of the sheet"
    );
    let saved_total = claimed_total(&w).await;
    for code in &s.codes {
        w.fill(&score(code), "1").await;
        w.fill(
            &explanation(code),
            &format!("Đã làm theo kế hoạch ({code})"),
        )
        .await;
    }
    // Item 11: the running total follows the typing, before anything is saved.
    let typed_total = claimed_total(&w).await;
    assert_ne!(
        typed_total, saved_total,
        "the total moved as scores were typed"
    );
    assert!(w.text().await.contains("(theo số vừa nhập, chưa lưu)"));
    w.field(&format!("Thêm minh chứng tiêu chí {first} "))
        .await
        .send_keys(&file("Báo cáo tổng kết.pdf", PDF))
        .await
        .unwrap();
    w.click_in_row(&format!("Thêm minh chứng tiêu chí {first} "), "Tải lên")
        .await;
    let text = w.text().await;
    assert!(text.contains("Báo cáo tổng kết.pdf"), "the file is listed");
    assert!(
        text.contains("Đã lưu bản nháp, đã nhận 1 tệp minh chứng."),
        "the page says what happened"
    );
    for code in &s.codes {
        assert_eq!(w.value(&score(code)).await, "1", "score of {code} kept");
        let said = format!("Đã làm theo kế hoạch ({code})");
        assert_eq!(w.value(&explanation(code)).await, said, "{code} kept");
        assert_eq!(stored(&app, s.sheet_id, code).await, ("1.00".into(), said));
    }
    assert_eq!(files_of(&app, s.sheet_id).await, ["Báo cáo tổng kết.pdf"]);
    assert_eq!(
        claimed_total(&w).await,
        typed_total,
        "the server, which stays the truth, agrees with the running total"
    );

    // A refused file: what was typed stays on the page, nothing is saved, and the page says so.
    w.fill(&score(&first), "0,5").await;
    w.fill(&explanation(&first), "Sửa lại sau khi rà soát")
        .await;
    w.field(&format!("Thêm minh chứng tiêu chí {first} "))
        .await
        .send_keys(&file("ghi-chu.txt", b"chi la van ban"))
        .await
        .unwrap();
    w.click_in_row(&format!("Thêm minh chứng tiêu chí {first} "), "Tải lên")
        .await;
    let text = w.text().await;
    assert!(
        text.contains("Chỉ nhận tệp PDF"),
        "the reason beside the field"
    );
    assert!(text.contains("chưa được tải lên và bảng điểm chưa được lưu"));
    assert_eq!(w.value(&score(&first)).await, "0,5");
    assert_eq!(
        w.value(&explanation(&first)).await,
        "Sửa lại sau khi rà soát"
    );
    assert_eq!(
        stored(&app, s.sheet_id, &first).await.0,
        "1.00",
        "nothing saved"
    );
    assert_eq!(files_of(&app, s.sheet_id).await.len(), 1);

    // Removing a file with a change typed: the change is saved with the removal.
    w.click_in_row("Báo cáo tổng kết.pdf", "Xóa").await;
    assert!(w.text().await.contains("đã xóa tệp minh chứng"));
    assert!(files_of(&app, s.sheet_id).await.is_empty());
    assert_eq!(
        stored(&app, s.sheet_id, &first).await,
        ("0.50".into(), "Sửa lại sau khi rà soát".into())
    );

    // Upload first, then type and save: both stay.
    let second = s.codes[1].clone();
    w.field(&format!("Thêm minh chứng tiêu chí {second} "))
        .await
        .send_keys(&file("Kế hoạch.pdf", PDF))
        .await
        .unwrap();
    w.click_in_row(&format!("Thêm minh chứng tiêu chí {second} "), "Tải lên")
        .await;
    w.fill(&score(&second), "0").await;
    w.click("Lưu bản nháp").await;
    assert_eq!(stored(&app, s.sheet_id, &second).await.0, "0.00");
    assert_eq!(files_of(&app, s.sheet_id).await, ["Kế hoạch.pdf"]);
    assert!(w.text().await.contains("Kế hoạch.pdf"));
}

/// Saves, attaches the required evidence to and hands in `code`'s sheet (as its head).
async fn handed_in(app: &TestApp, y: &crate::scoring::Year, code: &str, unit: i64) {
    use crate::scoring::{PDF, save, upload};
    let officer = app.login(&format!("canbo.{code}")).await;
    let values = [
        ("1.1", "9"),
        ("2.1", "48"),
        ("2.2", "37,5"),
        ("3.1", "2"),
        ("4.1", "0"),
    ];
    assert_eq!(save(&officer, y, unit, &values).await.status, 303);
    upload(&officer, y, unit, "2.1", "bao-cao.pdf", PDF.to_vec()).await;
    let head = app.login(&format!("thutruong.{code}")).await;
    let sheet = format!("/years/{}/sheets/{unit}", y.id);
    let r = head.submit(&sheet, &format!("{sheet}/submit"), &[]).await;
    assert_eq!(r.status, 303);
}

/// Item 10: after "Hoàn tất thẩm định" the verifier is offered the next sheet waiting and the
/// way back to the dashboard, each one click away.
#[tokio::test]
async fn after_finalising_the_next_sheet_and_the_dashboard_are_one_click_away() {
    let app = TestApp::start().await;
    let y = crate::scoring::setup(&app, "31/12/2099").await;
    let vks: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = 'vks-ls'")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    handed_in(&app, &y, "ca-ls", y.ca).await;
    handed_in(&app, &y, "vks-ls", vks).await;
    let leader = app.login("canbo.thads-ls").await;
    let ca_sheet = format!("/years/{}/sheets/{}", y.id, y.ca);
    let r = leader
        .submit(&ca_sheet, &format!("{ca_sheet}/finalise"), &[])
        .await;
    assert_eq!(r.status, 303);
    let page = leader.get(r.location()).await;
    assert!(page.body.contains("Đã hoàn tất thẩm định bảng điểm này."));
    let next = format!(
        "<a href=\"/years/{}/sheets/{vks}\">Bảng điểm tiếp theo chờ thẩm định: Viện",
        y.id
    );
    assert!(page.body.contains(&next), "{}", page.body);
    let back = format!(
        "<a href=\"/years/{}/scoring\">Về kết quả chấm điểm của cụm</a>",
        y.id
    );
    assert!(page.body.contains(&back));

    let vks_sheet = format!("/years/{}/sheets/{vks}", y.id);
    let r = leader
        .submit(&vks_sheet, &format!("{vks_sheet}/finalise"), &[])
        .await;
    let page = leader.get(r.location()).await;
    assert!(
        page.body
            .contains("Không còn bảng điểm nào khác chờ bạn thẩm định.")
    );
    assert!(page.body.contains(&back));
}

/// Item 11: with no criteria table yet, the table select says so instead of "giữ nguyên".
#[tokio::test]
async fn the_table_select_of_a_year_without_a_table_reads_true() {
    let app = TestApp::start().await;
    let y2024: i64 = sqlx::query_scalar(
        "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
          WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.year = 2024",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let admin = app.login("quantri.langson").await;
    let r = admin
        .submit(
            &format!("/years/{y2024}"),
            &format!("/years/{y2024}/next"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = admin.get(&format!("{}/scoring", r.location())).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("<option value=\"\">— chưa chọn bảng —</option>")
    );
    assert!(!page.body.contains("giữ nguyên"));
}

/// Item 1, the last button: "Lưu và nộp" hands in what was just typed, not the last save.
#[tokio::test]
async fn handing_in_saves_what_was_typed_first() {
    use crate::scoring::{PDF, save, upload};
    let app = TestApp::start().await;
    let y = crate::scoring::setup(&app, "31/12/2099").await;
    let officer = app.login("canbo.ca-ls").await;
    let values = [
        ("1.1", "9"),
        ("2.1", "48"),
        ("2.2", "37,5"),
        ("3.1", "2"),
        ("4.1", "0"),
    ];
    assert_eq!(save(&officer, &y, y.ca, &values).await.status, 303);
    upload(&officer, &y, y.ca, "2.1", "bao-cao.pdf", PDF.to_vec()).await;
    let head = app.login("thutruong.ca-ls").await;
    let sheet = format!("/years/{}/sheets/{}", y.id, y.ca);
    let page = head.get(&sheet).await;
    assert!(page.body.contains("Lưu và nộp bảng điểm cho cụm trưởng"));
    let version = page.body.split("name=\"version\" value=\"").nth(1).unwrap();
    let version = version.split('"').next().unwrap().to_string();
    let mut form: Vec<(String, String)> = vec![
        ("csrf".into(), page.csrf()),
        ("version".into(), version),
        ("then_submit".into(), "1".into()),
    ];
    for (code, v) in values {
        let v = if code == "1.1" { "8,5" } else { v };
        form.push((format!("p_{}", y.crit[code]), v.to_string()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = head.post(&format!("{sheet}/save"), &form).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (status, points): (String, String) = sqlx::query_as(
        "SELECT s.status, e.self_points::text FROM scoresheets s
           JOIN sheet_entries e ON e.sheet_id = s.id WHERE s.id = (SELECT id FROM scoresheets
          WHERE cluster_year_id = $1 AND unit_id = $2) AND e.criterion_id = $3",
    )
    .bind(y.id)
    .bind(y.ca)
    .bind(y.crit["1.1"])
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!((status.as_str(), points.as_str()), ("submitted", "8.50"));
}
