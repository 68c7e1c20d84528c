//! Importing units and users from Excel and CSV files: templates, the all-or-nothing check
//! with a report naming each bad row, idempotent re-imports, one-time passwords, access.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use crate::harness::{Client, Resp, TestApp};

/// The 12 units of Cụm thi đua số VI (the Supreme People's Court apparatus), under new codes.
const CLUSTER_VI: [(&str, &str, &str); 12] = [
    (
        "c6-vanphong",
        "Văn phòng Tòa án nhân dân tối cao",
        "Văn phòng TANDTC",
    ),
    ("c6-tccb", "Vụ Tổ chức - Cán bộ", "Vụ TC-CB"),
    ("c6-tonghop", "Vụ Tổng hợp", "Vụ TH"),
    (
        "c6-phapche",
        "Vụ Pháp chế và Quản lý khoa học",
        "Vụ PC&QLKH",
    ),
    ("c6-khtc", "Cục Kế hoạch - Tài chính", "Cục KH-TC"),
    ("c6-thanhtra", "Ban Thanh tra", "Ban TT"),
    ("c6-tdkt", "Vụ Thi đua - Khen thưởng", "Vụ TĐ-KT"),
    ("c6-htqt", "Vụ Hợp tác quốc tế", "Vụ HTQT"),
    ("c6-ctpn", "Vụ Công tác phía Nam", "Vụ CTPN"),
    ("c6-hocvien", "Học viện Tòa án", "Học viện TA"),
    ("c6-baocongly", "Báo Công lý", "Báo Công lý"),
    ("c6-tapchi", "Tạp chí Tòa án nhân dân", "Tạp chí TAND"),
];

/// A reqwest client sharing the test client's cookies (so its session), not following
/// redirects.
fn raw(c: &Client) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_provider(c.jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Downloads a file as bytes, with its status and headers.
async fn download(c: &Client, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let r = raw(c)
        .get(format!("{}{path}", c.base))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    (status, headers, r.bytes().await.unwrap().to_vec())
}

/// Uploads a file as the browser's form does: multipart, the anti-forgery token as a field,
/// then the field `file`.
async fn upload(c: &Client, path: &str, file_name: &str, bytes: Vec<u8>) -> Resp {
    let token = c.get("/").await.csrf();
    let part = reqwest::multipart::Part::bytes(bytes)
        .file_name(file_name.to_string())
        .mime_str("application/octet-stream")
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("csrf", token)
        .part("file", part);
    let r = raw(c)
        .post(format!("{}{path}", c.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let body = r.text().await.unwrap();
    Resp {
        status,
        headers,
        body,
    }
}

/// A workbook with one sheet holding these rows, all as text.
fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, v.as_str()).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// The first row of a workbook's first sheet.
fn header_row(bytes: &[u8]) -> Vec<String> {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|d| match d {
            Data::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// The units template, downloaded and filled with rows (by header) as a person would.
async fn filled_units_template(c: &Client, rows: &[(&str, &str, &str)]) -> Vec<u8> {
    let (status, _, bytes) = download(c, "/import/template/units.xlsx").await;
    assert_eq!(status, 200);
    let header = header_row(&bytes);
    let mut out = vec![header.clone()];
    for (code, name, short) in rows {
        out.push(
            header
                .iter()
                .map(|h| match h.as_str() {
                    "Mã đơn vị" => code.to_string(),
                    "Tên đơn vị" => name.to_string(),
                    "Tên viết tắt" => short.to_string(),
                    "Loại đơn vị" => "Cơ quan Tòa án nhân dân tối cao".to_string(),
                    _ => String::new(),
                })
                .collect(),
        );
    }
    xlsx(&out)
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.scalar_i64(sql).await
}

const LANGSON_UNITS: &str =
    "SELECT count(*) FROM units WHERE tenant_id = (SELECT id FROM tenants WHERE code = 'langson')";
const LANGSON_USERS: &str =
    "SELECT count(*) FROM users WHERE tenant_id = (SELECT id FROM tenants WHERE code = 'langson')";
const AUDIT: &str = "SELECT count(*) FROM audit_log";

#[tokio::test]
async fn the_templates_download_with_vietnamese_headers() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let page = c.get("/import").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Nhập danh sách từ Excel"));
    // The anti-forgery token rides in the form's body, not in the URL and the browser history.
    assert!(page.body.contains("action=\"/import/units\""));
    assert!(!page.body.contains("?csrf="));
    assert!(page.body.contains("enctype=\"multipart/form-data\""));

    let (status, h, bytes) = download(&c, "/import/template/units.xlsx").await;
    assert_eq!(status, 200);
    assert_eq!(
        h["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = h["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains(".xlsx"));
    assert_eq!(
        header_row(&bytes),
        vec![
            "Mã đơn vị",
            "Tên đơn vị",
            "Tên viết tắt",
            "Loại đơn vị",
            "Họ tên thủ trưởng",
            "Chức vụ thủ trưởng",
            "Địa danh",
            "Địa chỉ",
            "Điện thoại",
            "Thư điện tử"
        ]
    );
    let (status, _, bytes) = download(&c, "/import/template/users.xlsx").await;
    assert_eq!(status, 200);
    assert_eq!(
        header_row(&bytes),
        vec![
            "Tên đăng nhập",
            "Họ và tên",
            "Vai trò",
            "Mã đơn vị",
            "Thư điện tử"
        ]
    );

    let (status, h, bytes) = download(&c, "/import/template/users.csv").await;
    assert_eq!(status, 200);
    assert_eq!(h["content-type"], "text/csv; charset=utf-8");
    assert!(
        h["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert!(bytes.starts_with(
        "\u{feff}Tên đăng nhập,Họ và tên,Vai trò,Mã đơn vị,Thư điện tử\r\n".as_bytes()
    ));
    let (status, _, bytes) = download(&c, "/import/template/units.csv").await;
    assert_eq!(status, 200);
    assert!(bytes.starts_with("\u{feff}Mã đơn vị,Tên đơn vị,".as_bytes()));

    assert_eq!(c.get("/import/template/units.pdf").await.status, 404);
    assert_eq!(c.get("/import/template/other.xlsx").await.status, 404);
}

#[tokio::test]
async fn the_filled_units_template_imports_the_twelve_units_of_cluster_vi() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let units_before = count(&app, LANGSON_UNITS).await;
    let file = filled_units_template(&c, &CLUSTER_VI).await;

    let r = upload(&c, "/import/units", "cum-vi.xlsx", file).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body
            .contains("Đã thêm 12 đơn vị, cập nhật 0 đơn vị; 0 đơn vị không thay đổi."),
        "{}",
        r.body
    );
    assert!(r.body.contains("Tạp chí Tòa án nhân dân"));
    assert_eq!(count(&app, LANGSON_UNITS).await, units_before + 12);
    let names: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT code, name, short_name FROM units
          WHERE tenant_id = (SELECT id FROM tenants WHERE code = 'langson') AND code LIKE 'c6-%'
          ORDER BY id",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    let expected: Vec<(String, String, String)> = CLUSTER_VI
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(names, expected);
    // One audit row per unit, by the admin who imported.
    let audited: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.actor, a.after->>'code' FROM audit_log a
          WHERE a.entity = 'unit' AND a.action = 'created' AND a.after->>'code' LIKE 'c6-%'
          ORDER BY a.id",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(audited.len(), 12);
    assert!(audited.iter().all(|(who, _)| who == "quantri.langson"));
    // The other tenant is untouched.
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM units WHERE code LIKE 'c6-%' AND tenant_id = (SELECT id FROM tenants WHERE code = 'toaan')"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn importing_the_same_file_twice_changes_nothing() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let file = filled_units_template(&c, &CLUSTER_VI).await;
    let r = upload(&c, "/import/units", "cum-vi.xlsx", file.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let (units, audit) = (count(&app, LANGSON_UNITS).await, count(&app, AUDIT).await);

    let r = upload(&c, "/import/units", "cum-vi.xlsx", file).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body
            .contains("Đã thêm 0 đơn vị, cập nhật 0 đơn vị; 12 đơn vị không thay đổi."),
        "{}",
        r.body
    );
    assert_eq!(count(&app, LANGSON_UNITS).await, units);
    assert_eq!(
        count(&app, AUDIT).await,
        audit,
        "no audit row: nothing changed"
    );

    // A changed detail updates that one unit, and says what changed.
    let mut rows = CLUSTER_VI.to_vec();
    rows[5].2 = "Ban Thanh tra TANDTC";
    let file = filled_units_template(&c, &rows).await;
    let r = upload(&c, "/import/units", "cum-vi-sua.xlsx", file).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body
            .contains("Đã thêm 0 đơn vị, cập nhật 1 đơn vị; 11 đơn vị không thay đổi."),
        "{}",
        r.body
    );
    assert!(r.body.contains("Tên viết tắt"));
    assert_eq!(count(&app, LANGSON_UNITS).await, units);
    assert_eq!(count(&app, AUDIT).await, audit + 1);
    let short: String =
        sqlx::query_scalar("SELECT short_name FROM units WHERE code = 'c6-thanhtra'")
            .fetch_one(&app.owner)
            .await
            .unwrap();
    assert_eq!(short, "Ban Thanh tra TANDTC");
}

#[tokio::test]
async fn a_file_with_bad_rows_imports_nothing_and_names_each_row() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let (units, audit) = (count(&app, LANGSON_UNITS).await, count(&app, AUDIT).await);
    let mut rows = CLUSTER_VI[..9].to_vec();
    rows[3].1 = ""; // row 5: no name
    rows[7].0 = rows[5].0; // rows 7 and 9: the same code
    let file = filled_units_template(&c, &rows).await;

    let r = upload(&c, "/import/units", "co-loi.xlsx", file).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Chưa nhập dòng nào"), "{}", r.body);
    assert!(
        r.body
            .contains("<strong>Dòng 5</strong>, cột “Tên đơn vị”: Hãy nhập tên đơn vị."),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(
            "<strong>Dòng 9</strong>, cột “Mã đơn vị”: Mã đơn vị “c6-thanhtra” trùng với dòng 7."
        ),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("2 trong 9 dòng dữ liệu có lỗi"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Dòng 2<"), "good rows are not listed");
    assert_eq!(count(&app, LANGSON_UNITS).await, units, "nothing imported");
    assert_eq!(count(&app, AUDIT).await, audit);
    // The report offers the upload again.
    assert!(r.body.contains("action=\"/import/units\""));

    // A missing required column is named too.
    let file = xlsx(&[
        vec!["Mã đơn vị".into(), "Địa chỉ".into()],
        vec!["c6-x".into(), "Hà Nội".into()],
    ]);
    let r = upload(&c, "/import/units", "thieu-cot.xlsx", file).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Dòng tiêu đề thiếu cột “Tên đơn vị”."),
        "{}",
        r.body
    );
    assert_eq!(count(&app, LANGSON_UNITS).await, units);
}

fn users_file(rows: &[[&str; 4]]) -> Vec<u8> {
    let mut out = vec![vec![
        "Tên đăng nhập".to_string(),
        "Họ và tên".into(),
        "Vai trò".into(),
        "Mã đơn vị".into(),
    ]];
    out.extend(
        rows.iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect()),
    );
    xlsx(&out)
}

/// The one-time password the result page shows beside a username.
fn otp_of(body: &str, username: &str) -> String {
    let at = body
        .find(&format!("<td>{username}</td>"))
        .unwrap_or_else(|| panic!("{username} not listed:\n{body}"));
    let rest = &body[at..];
    let start = rest.find("<code>").unwrap() + "<code>".len();
    let end = rest[start..].find("</code>").unwrap() + start;
    rest[start..end].to_string()
}

#[tokio::test]
async fn users_are_imported_with_one_time_passwords_and_bad_rows_are_named() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let (users, audit) = (count(&app, LANGSON_USERS).await, count(&app, AUDIT).await);

    let bad = users_file(&[
        ["nguyen.van.an", "Nguyễn Văn An", "Cán bộ thi đua", "ca-ls"],
        [
            "tran.thi.binh",
            "Trần Thị Bình",
            "Thủ trưởng đơn vị",
            "khong-co",
        ],
        ["nguyen.van.an", "Nguyễn Văn An", "Cán bộ thi đua", "ca-ls"],
        ["quantri.toaan", "Người khác", "Quản trị", ""],
    ]);
    let r = upload(&c, "/import/users", "nguoi-dung.xlsx", bad).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("<strong>Dòng 3</strong>, cột “Mã đơn vị”: Không có đơn vị mã “khong-co”."),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(
            "<strong>Dòng 4</strong>, cột “Tên đăng nhập”: Tên đăng nhập “nguyen.van.an” trùng với dòng 2."
        ),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(
            "<strong>Dòng 5</strong>, cột “Tên đăng nhập”: Tên đăng nhập “quantri.toaan” đã được dùng"
        ),
        "{}",
        r.body
    );
    assert_eq!(count(&app, LANGSON_USERS).await, users, "nothing imported");
    assert_eq!(count(&app, AUDIT).await, audit);

    let good = users_file(&[
        ["nguyen.van.an", "Nguyễn Văn An", "Cán bộ thi đua", "ca-ls"],
        [
            "Tran.Thi.Binh",
            "Trần Thị Bình",
            "thủ trưởng đơn vị",
            "TAND-LS",
        ],
        ["le.van.cuong", "Lê Văn Cường", "Quản trị", ""],
        // An existing account with the same details is left alone.
        [
            "quantri.langson",
            "Cán bộ Phòng Thi đua - Khen thưởng, Sở Nội vụ",
            "Cán bộ Hội đồng TĐKT (quản trị)",
            "",
        ],
    ]);
    let r = upload(&c, "/import/users", "nguoi-dung.xlsx", good.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body
            .contains("Đã tạo 3 tài khoản mới; 1 tài khoản đã có, giữ nguyên."),
        "{}",
        r.body
    );
    assert!(r.body.contains("chỉ hiện một lần"));
    assert_eq!(count(&app, LANGSON_USERS).await, users + 3);
    assert_eq!(
        count(&app, AUDIT).await,
        audit + 3,
        "one audit row per account"
    );
    let stored: Vec<(String, String, Option<String>, bool)> = sqlx::query_as(
        "SELECT u.username, u.role, un.code, u.must_change_password FROM users u
           LEFT JOIN units un ON un.tenant_id = u.tenant_id AND un.id = u.unit_id
          WHERE u.username IN ('nguyen.van.an', 'tran.thi.binh', 'le.van.cuong') ORDER BY u.username",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(
        stored,
        vec![
            ("le.van.cuong".into(), "tenant_admin".into(), None, true),
            (
                "nguyen.van.an".into(),
                "unit_officer".into(),
                Some("ca-ls".into()),
                true
            ),
            (
                "tran.thi.binh".into(),
                "unit_head".into(),
                Some("tand-ls".into()),
                true
            ),
        ]
    );

    // The one-time password works once: the new user must choose a password.
    let otp = otp_of(&r.body, "tran.thi.binh");
    let newcomer = app.client();
    let login = newcomer.login("tran.thi.binh", &otp).await;
    assert_eq!(login.status, 303, "{}", login.body);
    assert_eq!(login.location(), "/password");

    // The same file again creates nothing and shows no password.
    let audit = count(&app, AUDIT).await;
    let r = upload(&c, "/import/users", "nguoi-dung.xlsx", good).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body
            .contains("Đã tạo 0 tài khoản mới; 4 tài khoản đã có, giữ nguyên."),
        "{}",
        r.body
    );
    assert!(!r.body.contains("<code>"));
    assert_eq!(count(&app, AUDIT).await, audit);

    // An existing account with other details is not changed but refused.
    let changed = users_file(&[[
        "nguyen.van.an",
        "Nguyễn Văn An",
        "Cán bộ thi đua",
        "tand-ls",
    ]]);
    let r = upload(&c, "/import/users", "nguoi-dung.xlsx", changed).await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Đã có tài khoản “nguyen.van.an” với thông tin khác (đơn vị mã “ca-ls”)"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_csv_with_semicolons_and_a_byte_order_mark_is_imported() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let units = count(&app, LANGSON_UNITS).await;
    let csv = "\u{feff}STT;Mã đơn vị;Tên đơn vị;Tên viết tắt;Điện thoại\r\n\
               1;ubnd-ls;Ủy ban nhân dân tỉnh Lạng Sơn;UBND tỉnh;0205 3812 345\r\n\
               ;;;;\r\n\
               2;snv-ls;\"Sở Nội vụ; Ban Thi đua - Khen thưởng\";SNV;\r\n";
    let r = upload(&c, "/import/units", "don-vi.csv", csv.as_bytes().to_vec()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Đã thêm 2 đơn vị"), "{}", r.body);
    assert!(
        r.body.contains("“STT”"),
        "the extra column is said to be left out"
    );
    let stored: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT code, name, phone FROM units WHERE code IN ('ubnd-ls', 'snv-ls') ORDER BY code",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(
        stored,
        vec![
            (
                "snv-ls".into(),
                "Sở Nội vụ; Ban Thi đua - Khen thưởng".into(),
                "".into()
            ),
            (
                "ubnd-ls".into(),
                "Ủy ban nhân dân tỉnh Lạng Sơn".into(),
                "0205 3812 345".into()
            ),
        ]
    );
    assert_eq!(count(&app, LANGSON_UNITS).await, units + 2);

    // The downloaded CSV template, filled in, imports too.
    let (_, _, template) = download(&c, "/import/template/units.csv").await;
    let mut text = String::from_utf8(template).unwrap();
    let header_end = text.find("\r\n").unwrap() + 2;
    text.truncate(header_end);
    text.push_str("kbnn-ls,Kho bạc Nhà nước Lạng Sơn,KBNN,,,,,,,\r\n");
    let r = upload(&c, "/import/units", "mau.csv", text.into_bytes()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Đã thêm 1 đơn vị"), "{}", r.body);
}

#[tokio::test]
async fn only_the_tenant_admin_may_import() {
    let app = TestApp::start().await;
    let units = count(&app, LANGSON_UNITS).await;
    let file = xlsx(&[
        vec!["Mã đơn vị".into(), "Tên đơn vị".into()],
        vec!["c6-x".into(), "Đơn vị X".into()],
    ]);

    let officer = app.login("canbo.ca-ls").await;
    assert_eq!(officer.get("/import").await.status, 403);
    assert_eq!(officer.get("/import/template/units.xlsx").await.status, 403);
    let r = upload(&officer, "/import/units", "x.xlsx", file.clone()).await;
    assert_eq!(r.status, 403);
    let r = upload(&officer, "/import/users", "x.xlsx", file.clone()).await;
    assert_eq!(r.status, 403);
    let home = officer.get("/").await;
    assert!(!home.body.contains("href=\"/import\""), "not in the menu");

    let head = app.login("thutruong.ca-ls").await;
    assert_eq!(head.get("/import").await.status, 403);

    let anonymous = app.client();
    for path in ["/import", "/import/template/units.xlsx"] {
        let r = anonymous.get(path).await;
        assert_eq!(r.status, 303, "{path}");
        assert!(
            r.location().starts_with("/login"),
            "{path}: {}",
            r.location()
        );
    }
    // Without a session there is no anti-forgery token: the POST is refused before any handler.
    let part = reqwest::multipart::Part::bytes(file).file_name("x.xlsx");
    let r = raw(&anonymous)
        .post(format!("{}/import/units?csrf=x", anonymous.base))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);

    // An admin without the token in the query string is refused too.
    let admin = app.login("quantri.langson").await;
    let part = reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("x.csv");
    let r = raw(&admin)
        .post(format!("{}/import/units", admin.base))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(count(&app, LANGSON_UNITS).await, units);
}

#[tokio::test]
async fn a_file_that_is_not_a_spreadsheet_gets_a_clear_message() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let (units, audit) = (count(&app, LANGSON_UNITS).await, count(&app, AUDIT).await);

    let r = upload(
        &c,
        "/import/units",
        "quyet-dinh.pdf",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n".to_vec(),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("Tệp không phải bảng tính Excel (.xlsx) hay tệp CSV."),
        "{}",
        r.body
    );

    let r = upload(
        &c,
        "/import/units",
        "cu.xls",
        vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0],
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Excel 97–2003 (.xls)"), "{}", r.body);

    let r = upload(&c, "/import/units", "hong.xlsx", b"PK\x03\x04hong".to_vec()).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Không đọc được tệp Excel"), "{}", r.body);

    let r = upload(&c, "/import/users", "rong.csv", Vec::new()).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Tệp rỗng"), "{}", r.body);

    // Windows-1258 text: "Mã đơn vị" in the old Vietnamese code page.
    let r = upload(
        &c,
        "/import/units",
        "ansi.csv",
        b"M\xE3 \xF0\xF5n v\xD2,T\xEAn\r\n".to_vec(),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("UTF-8"), "{}", r.body);

    // Text that is not in the layout.
    let r = upload(
        &c,
        "/import/units",
        "thu.csv",
        "Kính gửi,Ban Thi đua\r\n".as_bytes().to_vec(),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Không nhận ra dòng tiêu đề"), "{}", r.body);

    // A users file offered as units is recognised as such.
    let file = users_file(&[["a.b.c", "Nguyễn A", "Cán bộ thi đua", "ca-ls"]]);
    let r = upload(&c, "/import/units", "nguoi-dung.xlsx", file).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("danh sách người dùng"), "{}", r.body);

    // Over the 2 MiB form and import limit (but under the router's outer upload limit): the
    // page says so in Vietnamese.
    let r = upload(&c, "/import/units", "lon.csv", vec![b'a'; 3 * 1024 * 1024]).await;
    assert_eq!(r.status, 413);
    assert!(
        r.body.contains("Tệp quá lớn: mỗi tệp tối đa 2 MB."),
        "{}",
        r.body
    );

    assert_eq!(count(&app, LANGSON_UNITS).await, units);
    assert_eq!(count(&app, AUDIT).await, audit);
}

/// Issue 17, item 3: the template's example row left in place is not imported, and a phone
/// number Excel stored as a number gets its leading 0 back, both said on the result page.
#[tokio::test]
async fn the_example_row_is_skipped_and_a_lost_leading_zero_is_restored() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let units_before = count(&app, LANGSON_UNITS).await;
    let (_, _, bytes) = download(&c, "/import/template/units.xlsx").await;
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(|d| d.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 2, "a header and one example row");
    let example = &rows[1];
    assert!(example[1].starts_with("VÍ DỤ"), "{example:?}");
    assert!(!example.iter().any(|v| v.contains("Tòa án")), "{example:?}");
    // The person keeps the example and adds a row below, the phone typed as a number.
    let phone = rows[0].iter().position(|h| h == "Điện thoại").unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    let ws = out.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (col, v) in row.iter().enumerate() {
            ws.write_string(r as u32, col as u16, v.as_str()).unwrap();
        }
    }
    ws.write_string(2, 0, "sotp-hp").unwrap();
    ws.write_string(2, 1, "Sở Tư pháp thành phố Hải Phòng")
        .unwrap();
    ws.write_number(2, phone as u16, 912345678.0).unwrap();
    let file = out.save_to_buffer().unwrap();

    let r = upload(&c, "/import/units", "don-vi.xlsx", file).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Đã thêm 1 đơn vị"), "{}", r.body);
    assert!(
        r.body
            .contains("Dòng 2: là dòng ví dụ của mẫu nên được bỏ qua, không nhập.")
    );
    assert!(
        r.body.contains("“912345678” thiếu số 0 ở đầu"),
        "{}",
        r.body
    );
    assert!(r.body.contains("đã ghi thành “0912345678”"));
    assert_eq!(count(&app, LANGSON_UNITS).await, units_before + 1);
    assert_eq!(
        count(&app, "SELECT count(*) FROM units WHERE code = 'vi-du'").await,
        0
    );
    let stored: String = sqlx::query_scalar("SELECT phone FROM units WHERE code = 'sotp-hp'")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(stored, "0912345678");

    // A file with nothing but the example row is refused with that reason.
    let mut only = rust_xlsxwriter::Workbook::new();
    let ws = only.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (col, v) in row.iter().enumerate() {
            ws.write_string(r as u32, col as u16, v.as_str()).unwrap();
        }
    }
    let r = upload(
        &c,
        "/import/units",
        "mau.xlsx",
        only.save_to_buffer().unwrap(),
    )
    .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Tệp chỉ có dòng ví dụ của mẫu"),
        "{}",
        r.body
    );
}
