//! Issue 12, item 5: the evidence quota each council sets for a scoring sheet. A file that would
//! take the sheet over it is refused beside its field, saving nothing and keeping what was
//! typed; the setting is the council's own; two uploads at once cannot both squeeze under it.

use crate::harness::{Client, Resp, TestApp};
use crate::walk::Walk;

/// The demo's draft sheet of Tiểu đoàn CSCĐ số 2 (Lạng Sơn, 2024), which holds no evidence: its
/// page, its id, and its criteria (code, id) in the table's order.
struct Draft {
    path: String,
    sheet_id: i64,
    criteria: Vec<(String, i64)>,
}

async fn draft(app: &TestApp) -> Draft {
    let (year, unit, sheet_id): (i64, i64, i64) = sqlx::query_as(
        "SELECT y.id, u.id, s.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
           JOIN units u ON u.code = 'csd2'
           JOIN scoresheets s ON s.cluster_year_id = y.id AND s.unit_id = u.id AND s.status = 'draft'
          WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.year = 2024",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let criteria = sqlx::query_as(
        "SELECT c.code, c.id FROM criteria c JOIN criteria_sections s ON s.id = c.section_id
           JOIN cluster_years y ON y.criteria_table_id = c.table_id
          WHERE y.id = $1 ORDER BY s.position, c.position",
    )
    .bind(year)
    .fetch_all(&app.owner)
    .await
    .unwrap();
    Draft {
        path: format!("/years/{year}/sheets/{unit}"),
        sheet_id,
        criteria,
    }
}

/// Sets a council's quota behind the application's back (the settings page is tested below).
async fn set_quota(app: &TestApp, tenant: &str, mb: i32) {
    sqlx::query(
        "INSERT INTO tenant_settings (tenant_id, evidence_quota_mb)
         SELECT id, $2 FROM tenants WHERE code = $1
         ON CONFLICT (tenant_id) DO UPDATE SET evidence_quota_mb = $2",
    )
    .bind(tenant)
    .bind(mb)
    .execute(&app.owner)
    .await
    .unwrap();
}

async fn files_of(app: &TestApp, sheet_id: i64) -> Vec<(String, i32)> {
    sqlx::query_as("SELECT filename, size_bytes FROM evidence WHERE sheet_id = $1 ORDER BY id")
        .bind(sheet_id)
        .fetch_all(&app.owner)
        .await
        .unwrap()
}

/// What is stored for the sheet's lines: (criterion code, claimed points, explanation).
async fn stored(app: &TestApp, sheet_id: i64) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT c.code, coalesce(e.self_points::text, ''), e.explanation FROM sheet_entries e
           JOIN criteria c ON c.id = e.criterion_id WHERE e.sheet_id = $1 ORDER BY c.id",
    )
    .bind(sheet_id)
    .fetch_all(&app.owner)
    .await
    .unwrap()
}

/// A PDF by its first bytes, of `len` bytes.
fn pdf(len: usize) -> Vec<u8> {
    let mut d = b"%PDF-1.4\n".to_vec();
    d.resize(len, b'x');
    d
}

fn on_disk(name: &str, data: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("thidua-upload-quota-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p.to_string_lossy().into_owned()
}

/// With 1 MB allowed and 0.6 MB used, a second 0.6 MB file is refused beside its field with what
/// is used and what is left; every typed score and explanation stays on the page, and nothing of
/// the press is saved (neither the file nor the figures).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_over_the_quota_is_refused_beside_it_and_keeps_every_typed_score() {
    let app = TestApp::start().await;
    let Some(w) = Walk::start(&app).await else {
        return;
    };
    let d = draft(&app).await;
    set_quota(&app, "langson", 1).await;
    let (first, _) = d.criteria[0].clone();
    let upload_field = format!("Thêm minh chứng tiêu chí {first} ");
    w.login("canbo.csd2").await;
    w.goto(&d.path).await;
    assert!(
        w.text().await.contains("Đã dùng 0,0 MB / 1 MB"),
        "the quota line"
    );
    w.field(&upload_field)
        .await
        .send_keys(&on_disk("Kế hoạch.pdf", &pdf(600 * 1024)))
        .await
        .unwrap();
    w.click_in_row(&upload_field, "Tải lên").await;
    let text = w.text().await;
    assert!(
        text.contains("Đã lưu bản nháp, đã nhận 1 tệp minh chứng."),
        "{text}"
    );
    assert!(text.contains("Đã dùng 0,6 MB / 1 MB"), "{text}");
    let before = stored(&app, d.sheet_id).await;

    for (code, _) in &d.criteria {
        w.fill(&format!("Điểm tự chấm tiêu chí {code}"), "1").await;
        w.fill(
            &format!("Giải trình tiêu chí {code}"),
            &format!("Đã làm đủ ({code})"),
        )
        .await;
    }
    w.field(&upload_field)
        .await
        .send_keys(&on_disk("Báo cáo.pdf", &pdf(600 * 1024)))
        .await
        .unwrap();
    w.click_in_row(&upload_field, "Tải lên").await;
    let beside = w.row(&upload_field).await.text().await.unwrap();
    assert!(
        beside.contains("tối đa 1 MB minh chứng: đã dùng 0,6 MB, còn lại 0,4 MB"),
        "the refusal, beside the file field, says what is used and left: {beside}"
    );
    assert!(
        w.text().await.contains("chưa được lưu"),
        "and says nothing was saved"
    );
    for (code, _) in &d.criteria {
        let score = format!("Điểm tự chấm tiêu chí {code}");
        assert_eq!(w.value(&score).await, "1", "score of {code} kept");
        let said = w.value(&format!("Giải trình tiêu chí {code}")).await;
        assert_eq!(said, format!("Đã làm đủ ({code})"), "{code} kept");
    }
    assert_eq!(stored(&app, d.sheet_id).await, before, "no figure saved");
    assert_eq!(
        files_of(&app, d.sheet_id).await,
        [("Kế hoạch.pdf".to_string(), 600 * 1024)],
        "no file saved"
    );
}

/// The settings form of the Lạng Sơn council: its current values, and `quota` as given.
async fn save_settings(app: &TestApp, c: &Client, quota: &str) -> Resp {
    let flag: i64 = sqlx::query_scalar(
        "SELECT a.id FROM award_types a JOIN tenants t ON t.id = a.tenant_id
          WHERE t.code = 'langson' AND a.name = 'Cờ thi đua của Chính phủ'",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let flag = flag.to_string();
    let fields = [
        ("flag", flag.as_str()),
        ("share", "20"),
        ("day", "10"),
        ("month", "12"),
        ("rounds", "2"),
        ("quota", quota),
    ];
    c.submit("/council/settings", "/council/settings", &fields)
        .await
}

async fn send_file(c: &Client, path: &str, token: &str, criterion: &str) -> Resp {
    let fields = [("csrf", token), ("criterion_id", criterion)];
    c.upload(path, &fields, "file", "minh-chung.pdf", pdf(600 * 1024))
        .await
}

async fn upload(c: &Client, d: &Draft, criterion: i64, len: usize) -> String {
    let token = c.get(&d.path).await.csrf();
    let r = c
        .upload(
            &format!("{}/evidence", d.path),
            &[("csrf", &token), ("criterion_id", &criterion.to_string())],
            "file",
            "minh-chung.pdf",
            pdf(len),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    r.location().to_string()
}

/// The council sets its quota on its settings page (a wrong value is refused beside the field
/// and kept as typed); another council keeps its own; uploads follow the council's figure.
#[tokio::test]
async fn the_quota_is_set_by_each_council_for_its_own_sheets() {
    let app = TestApp::start().await;
    let d = draft(&app).await;
    let langson = app.login("quantri.langson").await;
    let page = langson.get("/council/settings").await;
    assert!(
        page.body
            .contains("Dung lượng minh chứng tối đa cho mỗi bảng chấm điểm (MB)"),
        "the setting is on the council's settings page"
    );
    assert!(
        page.body.contains(r#"name="quota" value="50""#),
        "50 MB unless set"
    );

    let r = save_settings(&app, &langson, "năm mươi").await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Dung lượng phải là số nguyên MB"),
        "beside the field"
    );
    assert!(r.body.contains(r#"value="năm mươi""#), "kept as typed");
    let r = save_settings(&app, &langson, "1").await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = langson.get("/council/settings").await;
    assert!(page.body.contains(r#"name="quota" value="1""#));

    let toaan = app.login("quantri.toaan").await;
    let theirs = toaan.get("/council/settings").await;
    assert!(
        theirs.body.contains(r#"name="quota" value="50""#),
        "another council's setting is untouched"
    );

    let officer = app.login("canbo.csd2").await;
    let c = d.criteria[0].1;
    let first = upload(&officer, &d, c, 600 * 1024).await;
    assert!(!first.contains("evidence_error"), "{first}");
    let second = upload(&officer, &d, c, 600 * 1024).await;
    assert!(
        second.contains("evidence_error"),
        "over the quota: {second}"
    );
    assert_eq!(files_of(&app, d.sheet_id).await.len(), 1);
    let page = officer.get(&second).await;
    assert!(page.body.contains("còn lại 0,4 MB"), "the reason is shown");
    assert!(page.body.contains("Đã dùng 0,6 MB / 1 MB"));

    // 0: no quota.
    assert_eq!(save_settings(&app, &langson, "0").await.status, 303);
    let third = upload(&officer, &d, c, 600 * 1024).await;
    assert!(!third.contains("evidence_error"), "{third}");
    assert_eq!(files_of(&app, d.sheet_id).await.len(), 2);
    assert!(
        officer
            .get(&d.path)
            .await
            .body
            .contains("Đã dùng 1,2 MB (không giới hạn)")
    );
}

/// Two uploads to one sheet at once, each of which fits alone but not both: one is stored and
/// the other refused. The test holds the sheet's row until both requests wait on it, so they
/// reach the check together; without the lock on the sheet both would count 0 MB used.
#[tokio::test]
async fn two_uploads_at_once_cannot_both_squeeze_under_the_quota() {
    let app = TestApp::start().await;
    let d = draft(&app).await;
    set_quota(&app, "langson", 1).await;
    let c = d.criteria[0].1;
    // Two sessions, so the requests do not queue behind one session's row.
    let (a, b) = (app.login("canbo.csd2").await, app.login("canbo.csd2").await);
    let (ta, tb) = (a.get(&d.path).await.csrf(), b.get(&d.path).await.csrf());

    let mut hold = app.owner.begin().await.unwrap();
    sqlx::query("SELECT 1 FROM scoresheets WHERE id = $1 FOR UPDATE")
        .bind(d.sheet_id)
        .execute(&mut *hold)
        .await
        .unwrap();
    let path = format!("{}/evidence", d.path);
    let crit = c.to_string();
    let done = std::sync::atomic::AtomicI64::new(0);
    let sent = |c, t| {
        let (path, crit, done) = (&path, &crit, &done);
        async move {
            let r = send_file(c, path, t, crit).await;
            done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            r
        }
    };
    let release = async {
        // Both requests have read their file and wait on the sheet's row (or, were nothing
        // to hold them, have already been answered).
        loop {
            let waiting: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity
                  WHERE wait_event_type = 'Lock' AND datname = current_database()",
            )
            .fetch_one(&app.owner)
            .await
            .unwrap();
            if waiting + done.load(std::sync::atomic::Ordering::SeqCst) >= 2 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        hold.commit().await.unwrap();
    };
    let (ra, rb, ()) = tokio::join!(sent(&a, &ta), sent(&b, &tb), release);
    let refused = [&ra, &rb]
        .iter()
        .filter(|r| r.location().contains("evidence_error"))
        .count();
    assert_eq!((ra.status, rb.status), (303, 303));
    assert_eq!(refused, 1, "one of the two is refused");
    let files = files_of(&app, d.sheet_id).await;
    assert_eq!(
        files.len(),
        1,
        "the sheet holds one file, within its quota: {files:?}"
    );
}
