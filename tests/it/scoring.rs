//! Criteria tables in a year, self-scoring with evidence, verification, ranking and the
//! leader's dashboard, through the pages.

use std::io::Cursor;

use crate::harness::{Client, TestApp};

async fn id(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.owner).await.unwrap()
}

/// A small table of the Cần Thơ shape: I (10) + II (90) = 100, bonus up to 3, penalty up to 3.
pub async fn make_table(app: &TestApp, tenant: &str) -> i64 {
    let t = id(
        app,
        &format!("SELECT id FROM tenants WHERE code = '{tenant}'"),
    )
    .await;
    let table = id(
        app,
        &format!(
            "INSERT INTO criteria_tables (tenant_id, name, bonus_cap, penalty_cap, tie_break_codes)
             VALUES ({t}, 'Bảng tiêu chí thử', 3, 3, ARRAY['II','I']) RETURNING id"
        ),
    )
    .await;
    let section = |code: &str, title: &str, kind: &str, pos: i32| {
        format!(
            "INSERT INTO criteria_sections (tenant_id, table_id, position, code, title, kind)
             VALUES ({t}, {table}, {pos}, '{code}', '{title}', '{kind}') RETURNING id"
        )
    };
    let s1 = id(
        app,
        &section("I", "Công tác chỉ đạo, tổ chức phong trào", "standard", 1),
    )
    .await;
    let s2 = id(
        app,
        &section("II", "Kết quả thực hiện nhiệm vụ", "standard", 2),
    )
    .await;
    let s3 = id(app, &section("III", "Điểm thưởng", "bonus", 3)).await;
    let s4 = id(app, &section("IV", "Điểm trừ", "penalty", 4)).await;
    let crit = |s: i64, code: &str, text: &str, max: &str, ev: bool, pos: i32| {
        format!(
            "INSERT INTO criteria (tenant_id, table_id, section_id, position, code, text, max_points, step, evidence_required)
             VALUES ({t}, {table}, {s}, {pos}, '{code}', '{text}', {max}, 0.5, {ev}) RETURNING id"
        )
    };
    for sql in [
        crit(s1, "1.1", "Ban hành kế hoạch thi đua", "10", false, 1),
        crit(s2, "2.1", "Hoàn thành chỉ tiêu chuyên môn", "50", true, 1),
        crit(
            s2,
            "2.2",
            "Cải cách hành chính, ứng dụng công nghệ thông tin",
            "40",
            false,
            2,
        ),
        crit(s3, "3.1", "Sáng kiến được công nhận", "3", false, 1),
        crit(s4, "4.1", "Vi phạm kỷ luật", "3", false, 1),
    ] {
        id(app, &sql).await;
    }
    for (pos, name, min, nz) in [
        (1, "Xuất sắc", "95", true),
        (2, "Tốt", "85", true),
        (3, "Khá", "75", true),
        (4, "Hoàn thành nhiệm vụ", "0", false),
    ] {
        sqlx::query("INSERT INTO rating_bands (tenant_id, table_id, position, name, min_percent, requires_no_zero) VALUES ($1, $2, $3, $4, $5::numeric, $6)")
            .bind(t)
            .bind(table)
            .bind(pos)
            .bind(name)
            .bind(min)
            .bind(nz)
            .execute(&app.owner)
            .await
            .unwrap();
    }
    table
}

pub struct Year {
    pub id: i64,
    pub ca: i64,
    pub thads: i64,
    pub csd2: i64,
    pub crit: std::collections::HashMap<String, i64>,
}

/// Lạng Sơn 2025, started from 2024 in one step, led by Cục THADS with Tiểu đoàn CSCĐ số 2 as
/// deputy, scoring against the test table. (The demo's 2024 already has its own table.)
pub async fn setup(app: &TestApp, deadline: &str) -> Year {
    let table = make_table(app, "langson").await;
    let y2024 = id(
        app,
        "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
          WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.year = 2024",
    )
    .await;
    let admin = app.login("quantri.langson").await;
    let r = admin
        .submit(
            &format!("/years/{y2024}"),
            &format!("/years/{y2024}/next"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    let year: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    let (thads, csd2) = (
        id(app, "SELECT id FROM units WHERE code = 'thads-ls'").await,
        id(app, "SELECT id FROM units WHERE code = 'csd2'").await,
    );
    let r = admin
        .submit(
            &format!("/years/{year}"),
            &format!("/years/{year}/roles"),
            &[
                ("leader", &thads.to_string()),
                ("deputy", &csd2.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let admin = app.login("quantri.langson").await;
    let r = admin
        .submit(
            &format!("/years/{year}/scoring"),
            &format!("/years/{year}/scoring/setup"),
            &[("table_id", &table.to_string()), ("deadline", deadline)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let unit = |code: &'static str| async move {
        id(app, &format!("SELECT id FROM units WHERE code = '{code}'")).await
    };
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT c.code, c.id FROM criteria c JOIN cluster_years y ON y.criteria_table_id = c.table_id WHERE y.id = $1",
    )
    .bind(year)
    .fetch_all(&app.owner)
    .await
    .unwrap();
    Year {
        id: year,
        ca: unit("ca-ls").await,
        thads: unit("thads-ls").await,
        csd2: unit("csd2").await,
        crit: rows.into_iter().collect(),
    }
}

fn scores(y: &Year, values: &[(&str, &str)]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|(code, v)| (format!("p_{}", y.crit[*code]), v.to_string()))
        .collect()
}

pub async fn save(
    c: &Client,
    y: &Year,
    unit: i64,
    values: &[(&str, &str)],
) -> crate::harness::Resp {
    let page = c.get(&format!("/years/{}/sheets/{unit}", y.id)).await;
    // A sheet that is no longer editable has no form: post what a stale page would.
    let version = match page.body.find("name=\"version\" value=\"") {
        Some(i) => page.body[i + "name=\"version\" value=\"".len()..]
            .split('"')
            .next()
            .unwrap()
            .to_string(),
        None => "0".to_string(),
    };
    let fields = scores(y, values);
    let mut form: Vec<(&str, &str)> = vec![("csrf", ""), ("version", &version)];
    let token = page.csrf();
    form[0].1 = &token;
    for (k, v) in &fields {
        form.push((k, v));
    }
    c.post(&format!("/years/{}/sheets/{unit}/save", y.id), &form)
        .await
}

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

pub async fn upload(
    c: &Client,
    y: &Year,
    unit: i64,
    code: &str,
    name: &str,
    data: Vec<u8>,
) -> crate::harness::Resp {
    let token = c
        .get(&format!("/years/{}/sheets/{unit}", y.id))
        .await
        .csrf();
    let crit = y.crit[code].to_string();
    c.upload(
        &format!("/years/{}/sheets/{unit}/evidence?csrf={token}", y.id),
        &[("criterion_id", &crit)],
        "file",
        name,
        data,
    )
    .await
}

#[tokio::test]
async fn a_unit_scores_itself_with_evidence_and_the_leader_verifies_and_ranks() {
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await;
    let officer = app.login("canbo.ca-ls").await;

    // Bad input: above the maximum, negative, text. Nothing is saved, the input stays.
    let r = save(
        &officer,
        &y,
        y.ca,
        &[("1.1", "11"), ("2.1", "-2"), ("2.2", "ba mươi")],
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Điểm vượt quá mức tối đa 10."));
    assert!(r.body.contains("Điểm không được âm."));
    assert!(r.body.contains("Hãy nhập một số"));
    assert!(r.body.contains("value=\"ba mươi\""));
    let saved = id(&app, &format!("SELECT count(*) FROM sheet_entries e JOIN scoresheets s ON s.id = e.sheet_id WHERE s.cluster_year_id = {} AND s.unit_id = {} AND e.self_points IS NOT NULL", y.id, y.ca)).await;
    assert_eq!(saved, 0);

    let r = save(
        &officer,
        &y,
        y.ca,
        &[
            ("1.1", "9,5"),
            ("2.1", "48"),
            ("2.2", "37,5"),
            ("3.1", "2"),
            ("4.1", "0"),
        ],
    )
    .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = officer
        .get(&format!("/years/{}/sheets/{}", y.id, y.ca))
        .await;
    assert!(
        page.body.contains("97") && page.body.contains("/ 100 điểm"),
        "running total 9,5 + 48 + 37,5 + 2 = 97"
    );

    // Evidence: the type is judged by content, and size is limited.
    let r = upload(
        &officer,
        &y,
        y.ca,
        "2.1",
        "bao-cao.pdf",
        b"MZ\x90\x00not a pdf".to_vec(),
    )
    .await;
    assert_eq!(r.status, 303);
    assert!(r.location().contains("evidence_error="));
    let page = officer.get(r.location()).await;
    assert!(
        page.body
            .contains("Tệp minh chứng chưa được nhận: Chỉ nhận tệp PDF, ảnh (JPG, PNG), Word")
    );
    assert!(
        page.body
            .contains("-error\" role=\"alert\">Chỉ nhận tệp PDF"),
        "the message also stands beside the criterion's upload field"
    );
    let r = upload(
        &officer,
        &y,
        y.ca,
        "2.1",
        "to.pdf",
        [PDF, &vec![b' '; 11 * 1024 * 1024]].concat(),
    )
    .await;
    assert!(
        r.status == 413 || r.location().contains("evidence_error="),
        "too large: {}",
        r.status
    );

    // Submission: officers cannot; the head cannot while required evidence is missing.
    let r = officer
        .submit(
            &format!("/years/{}/sheets/{}", y.id, y.ca),
            &format!("/years/{}/sheets/{}/submit", y.id, y.ca),
            &[],
        )
        .await;
    assert_eq!(r.status, 403);
    let head = app.login("thutruong.ca-ls").await;
    let r = head
        .submit(
            &format!("/years/{}/sheets/{}", y.id, y.ca),
            &format!("/years/{}/sheets/{}/submit", y.id, y.ca),
            &[],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Tiêu chí 2.1 bắt buộc có minh chứng"));
    let r = upload(
        &officer,
        &y,
        y.ca,
        "2.1",
        "Báo cáo kết quả.pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(r.status, 303);
    let r = head
        .submit(
            &format!("/years/{}/sheets/{}", y.id, y.ca),
            &format!("/years/{}/sheets/{}/submit", y.id, y.ca),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    // Read-only now, and the table is frozen.
    let r = save(&officer, &y, y.ca, &[("1.1", "10")]).await;
    assert_eq!(r.status, 409);
    assert_eq!(id(&app, &format!("SELECT count(*) FROM criteria_tables WHERE cluster_year_id = {} AND frozen_at IS NOT NULL", y.id)).await, 1);

    // Another member sees neither the unfinished sheet nor its evidence.
    let other = app.login("canbo.vks-ls").await;
    assert_eq!(
        other
            .get(&format!("/years/{}/sheets/{}", y.id, y.ca))
            .await
            .status,
        403
    );
    let evidence = id(&app, "SELECT max(id) FROM evidence").await;
    assert_eq!(
        other.get(&format!("/evidence/{evidence}")).await.status,
        403
    );
    // Another tenant: not found.
    let foreign = app.login("canbo.hocvien").await;
    assert_eq!(
        foreign
            .get(&format!("/years/{}/sheets/{}", y.id, y.ca))
            .await
            .status,
        404
    );
    assert_eq!(
        foreign.get(&format!("/evidence/{evidence}")).await.status,
        404
    );
    // The leader downloads the evidence as an attachment.
    let leader = app.login("canbo.thads-ls").await;
    let (status, headers, bytes) = leader.get_bytes(&format!("/evidence/{evidence}")).await;
    assert_eq!(status, 200);
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(bytes, PDF);

    // Verification: two scores changed, each needs a reason.
    let sheet = format!("/years/{}/sheets/{}", y.id, y.ca);
    let v = |code: &str| format!("v_{}", y.crit[code]);
    let w = |code: &str| format!("vr_{}", y.crit[code]);
    let (v21, w21, v22, w22) = (v("2.1"), w("2.1"), v("2.2"), w("2.2"));
    let r = leader
        .submit(
            &sheet,
            &format!("{sheet}/verify"),
            &[(&v21, "45"), (&v22, "36")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Điểm thẩm định khác điểm tự chấm: hãy ghi lý do.")
    );
    let r = leader
        .submit(
            &sheet,
            &format!("{sheet}/verify"),
            &[
                (&v21, "45"),
                (&w21, "Chỉ tiêu giải quyết án đạt 96%, chưa đủ 98%"),
                (&v22, "36"),
                (&w22, "Chưa có minh chứng số hóa hồ sơ"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = leader
        .submit(&sheet, &format!("{sheet}/finalise"), &[])
        .await;
    assert_eq!(r.status, 303);

    // The unit now sees verified figures and reasons, beside its own.
    let page = head.get(&sheet).await;
    assert!(page.body.contains("Chỉ tiêu giải quyết án đạt 96%"));
    assert!(page.body.contains("(đã điều chỉnh)"));
    // 9,5 + 45 + 36 + 2 − 0 = 92,5 → 92,5% → "Tốt".
    let dash = leader.get(&format!("/years/{}/scoring", y.id)).await;
    assert_eq!(dash.status, 200);
    assert!(dash.body.contains("92,5"), "{}", dash.body);
    assert!(dash.body.contains("Tốt"));
    assert!(dash.body.contains("<svg"));
    // A verified sheet needs no more time: "Gia hạn" only on rows still with the unit.
    let row_of = |name: &str| {
        let at = dash.body.find(&format!(">{name}</a>")).unwrap();
        let end = dash.body[at..].find("</tr>").unwrap();
        dash.body[at..at + end].to_string()
    };
    assert!(!row_of("Công an tỉnh Lạng Sơn").contains("Gia hạn"));
    // The export and the printout agree with the dashboard to the last decimal.
    let (status, headers, xlsx) = leader
        .get_bytes(&format!("/years/{}/scoring/export.xlsx", y.id))
        .await;
    assert_eq!(status, 200);
    // Named by its title, cluster and year (issue 17, item 11).
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains(
            "filename*=UTF-8''B%E1%BA%A3ng%20t%E1%BB%95ng%20h%E1%BB%A3p%20%C4%91i%E1%BB%83m%20-%20C%E1%BB%A5m"
        ) && disposition.ends_with("-%202025.xlsx"),
        "{disposition}"
    );
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let range = wb.worksheet_range("Tổng hợp").unwrap();
    let row = range
        .rows()
        .find(|r| r.iter().any(|c| *c == "Công an tỉnh Lạng Sơn"))
        .unwrap();
    let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
    assert!(cells.contains(&"92.5".to_string()), "{cells:?}");
    assert!(cells.contains(&"Tốt".to_string()));
    assert!(cells.contains(&"1".to_string()), "ranked first: {cells:?}");
    // The rank is stored as a number, so Excel sorts and computes on it.
    let header = range
        .rows()
        .find(|r| r.iter().any(|c| *c == "Xếp hạng"))
        .unwrap();
    let at = header.iter().position(|c| *c == "Xếp hạng").unwrap();
    assert!(
        matches!(row[at], calamine::Data::Float(_) | calamine::Data::Int(_)),
        "rank as a number: {:?}",
        row[at]
    );
    let print = leader.get(&format!("/years/{}/scoring/print", y.id)).await;
    assert!(print.body.contains("BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM"));
    assert!(print.body.contains("Độc lập - Tự do - Hạnh phúc"));
    assert!(print.body.contains("<strong>92,5</strong>"));
    // Every step left an audit row.
    let actions: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM audit_log WHERE entity IN ('scoresheet', 'evidence') AND actor NOT LIKE 'dòng lệnh%' ORDER BY id",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(
        actions,
        [
            "self_scored",
            "uploaded",
            "status_changed",
            "verified",
            "status_changed"
        ]
    );
}

#[tokio::test]
async fn nobody_verifies_their_own_unit() {
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await;
    let officer = app.login("canbo.thads-ls").await;
    let r = save(
        &officer,
        &y,
        y.thads,
        &[("1.1", "10"), ("2.1", "50"), ("2.2", "40")],
    )
    .await;
    assert_eq!(r.status, 303);
    upload(&officer, &y, y.thads, "2.1", "a.pdf", PDF.to_vec()).await;
    let head = app.login("thutruong.thads-ls").await;
    let sheet = format!("/years/{}/sheets/{}", y.id, y.thads);
    assert_eq!(
        head.submit(&sheet, &format!("{sheet}/submit"), &[])
            .await
            .status,
        303
    );
    // The leader unit may not verify itself …
    assert_eq!(
        head.submit(&sheet, &format!("{sheet}/finalise"), &[])
            .await
            .status,
        403
    );
    assert_eq!(
        officer
            .submit(&sheet, &format!("{sheet}/verify"), &[])
            .await
            .status,
        403
    );
    // … the deputy does.
    let deputy = app.login("canbo.csd2").await;
    assert_eq!(
        deputy
            .submit(&sheet, &format!("{sheet}/return"), &[("reason", "")])
            .await
            .status,
        422
    );
    let r = deputy
        .submit(
            &sheet,
            &format!("{sheet}/return"),
            &[("reason", "Thiếu giải trình mục 2.2")],
        )
        .await;
    assert_eq!(r.status, 303);
    let page = officer.get(&sheet).await;
    assert!(
        page.body
            .contains("Cụm trưởng đã trả lại bảng điểm: Thiếu giải trình mục 2.2")
    );
    // Returned: the unit may edit again.
    assert_eq!(
        save(&officer, &y, y.thads, &[("2.2", "39")]).await.status,
        303
    );
    // The deputy does not verify other members.
    let _ = y.csd2;
    let ca_sheet = format!("/years/{}/sheets/{}", y.id, y.ca);
    let ca = app.login("canbo.ca-ls").await;
    ca.get(&ca_sheet).await;
    let token = deputy.get("/password").await.csrf();
    assert_eq!(
        deputy.get(&ca_sheet).await.status,
        403,
        "a draft is the unit's own"
    );
    assert_eq!(
        deputy
            .post(&format!("{ca_sheet}/finalise"), &[("csrf", &token)])
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn two_officers_saving_at_once_do_not_overwrite_each_other_unseen() {
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await;
    let first = app.login("canbo.ca-ls").await;
    let second = app.login("thutruong.ca-ls").await;
    let sheet = format!("/years/{}/sheets/{}", y.id, y.ca);
    // Both open the sheet at the same version.
    let p1 = first.get(&sheet).await;
    let p2 = second.get(&sheet).await;
    let version = |body: &str| {
        let start =
            body.find("name=\"version\" value=\"").unwrap() + "name=\"version\" value=\"".len();
        body[start..].split('"').next().unwrap().to_string()
    };
    let (v1, v2) = (version(&p1.body), version(&p2.body));
    assert_eq!(v1, v2);
    let k = format!("p_{}", y.crit["1.1"]);
    let (t1, t2) = (p1.csrf(), p2.csrf());
    let r = first
        .post(
            &format!("{sheet}/save"),
            &[("csrf", &t1), ("version", &v1), (&k, "8")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = second
        .post(
            &format!("{sheet}/save"),
            &[("csrf", &t2), ("version", &v2), (&k, "6")],
        )
        .await;
    assert_eq!(r.status, 409);
    assert!(
        r.body
            .contains("Một cán bộ khác của đơn vị vừa lưu bảng điểm này")
    );
    let field = r.body.split(&format!("name=\"{k}\"")).nth(1).unwrap();
    assert!(
        field[..field.find('>').unwrap()].contains("value=\"8\""),
        "shown the current value"
    );
    let stored: rust_decimal::Decimal = sqlx::query_scalar(&format!(
        "SELECT self_points FROM sheet_entries e JOIN scoresheets s ON s.id = e.sheet_id WHERE s.unit_id = {} AND e.criterion_id = {}",
        y.ca, y.crit["1.1"]
    ))
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(stored.to_string(), "8.00");
}

#[tokio::test]
async fn a_submission_after_the_deadline_is_refused_until_the_leader_extends_it() {
    let app = TestApp::start().await;
    let y = setup(&app, "01/01/2020").await;
    let officer = app.login("canbo.ca-ls").await;
    assert_eq!(
        save(
            &officer,
            &y,
            y.ca,
            &[("1.1", "10"), ("2.1", "50"), ("2.2", "40")]
        )
        .await
        .status,
        303
    );
    upload(&officer, &y, y.ca, "2.1", "a.pdf", PDF.to_vec()).await;
    let head = app.login("thutruong.ca-ls").await;
    let sheet = format!("/years/{}/sheets/{}", y.id, y.ca);
    let r = head.submit(&sheet, &format!("{sheet}/submit"), &[]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Đã quá hạn nộp (01/01/2020)"));
    // The dashboard shows the unit late.
    let leader = app.login("thutruong.thads-ls").await;
    let dash = leader.get(&format!("/years/{}/scoring", y.id)).await;
    assert!(dash.body.contains("class=\"late\""));
    // An officer of the leader unit may not extend; the leader's head may… (leader powers
    // belong to the unit's staff).
    let r = leader
        .submit(
            &format!("/years/{}/scoring", y.id),
            &format!("{sheet}/extend"),
            &[("deadline", "31/12/2099")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        head.submit(&sheet, &format!("{sheet}/submit"), &[])
            .await
            .status,
        303
    );
    // A member unit cannot open the dashboard or extend anything.
    assert_eq!(
        officer
            .get(&format!("/years/{}/scoring", y.id))
            .await
            .status,
        403
    );
    assert_eq!(
        officer
            .submit(
                &sheet,
                &format!("{sheet}/extend"),
                &[("deadline", "31/12/2099")]
            )
            .await
            .status,
        403
    );
}

/// A year where Công an tỉnh Lạng Sơn's sheet is verified and final: 9,5 + 45 + 36 + 2 = 92,5.
pub async fn finalised_year(app: &TestApp) -> Year {
    let y = setup(app, "31/12/2099").await;
    let officer = app.login("canbo.ca-ls").await;
    save(
        &officer,
        &y,
        y.ca,
        &[
            ("1.1", "9,5"),
            ("2.1", "48"),
            ("2.2", "37,5"),
            ("3.1", "2"),
            ("4.1", "0"),
        ],
    )
    .await;
    upload(&officer, &y, y.ca, "2.1", "bao-cao.pdf", PDF.to_vec()).await;
    let head = app.login("thutruong.ca-ls").await;
    let sheet = format!("/years/{}/sheets/{}", y.id, y.ca);
    assert_eq!(
        head.submit(&sheet, &format!("{sheet}/submit"), &[])
            .await
            .status,
        303
    );
    let leader = app.login("canbo.thads-ls").await;
    let (v21, w21) = (
        format!("v_{}", y.crit["2.1"]),
        format!("vr_{}", y.crit["2.1"]),
    );
    let (v22, w22) = (
        format!("v_{}", y.crit["2.2"]),
        format!("vr_{}", y.crit["2.2"]),
    );
    let r = leader
        .submit(
            &sheet,
            &format!("{sheet}/verify"),
            &[
                (&v21, "45"),
                (&w21, "Chưa đạt chỉ tiêu"),
                (&v22, "36"),
                (&w22, "Thiếu minh chứng"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        leader
            .submit(&sheet, &format!("{sheet}/finalise"), &[])
            .await
            .status,
        303
    );
    y
}

#[tokio::test]
async fn home_pages_say_what_scoring_asks_next_and_show_the_result() {
    let app = TestApp::start().await;
    let y = setup(&app, "01/01/2020").await;
    let officer = app.login("canbo.ca-ls").await;
    // Opening the sheet makes it; the home page then asks for it, overdue.
    officer
        .get(&format!("/years/{}/sheets/{}", y.id, y.ca))
        .await;
    let home = officer.get("/").await;
    assert!(home.body.contains("Tự chấm điểm và nộp bảng điểm — Cụm thi đua các cơ quan Nội chính tỉnh năm 2025 — hạn 01/01/2020 (đã trễ"), "{}", home.body);
    assert!(home.body.contains("class=\"urgent\""));

    let app = TestApp::start().await;
    let y = finalised_year(&app).await;
    let head = app.login("thutruong.ca-ls").await;
    let home = head.get("/").await;
    assert!(
        home.body
            .contains("92,5 điểm (92,5%), xếp loại Tốt, xếp hạng 1/7"),
        "{}",
        home.body
    );
    // Its history: the verified result of each year, with the rank.
    assert!(home.body.contains("Kết quả chấm điểm qua các năm"));
    assert!(home.body.contains("<td class=\"num\">92,5</td><td class=\"num\">92,5%</td><td class=\"num\">1/7</td><td>Tốt</td>"), "{}", home.body);
    let _ = y;
}
