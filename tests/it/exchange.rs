//! Issue 15, item 4: a tenant's organisation and awards go to another thidua as JSON. The demo's
//! Lạng Sơn is exported through the page and through `thidua admin export` (same content, valid
//! against the schema in docs/), imported by `thidua admin import` into an empty database, and
//! the unit's history page there shows the same awards with the same decision number, date and
//! issuer; exporting again gives the same file; a second import changes nothing; a bad file
//! writes nothing.

use std::process::{Command, Output, Stdio};

use serde_json::Value;
use sqlx::ConnectOptions;
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use thidua::AppState;
use thidua::config::WebConfig;

use crate::harness::{Client, Template, TestApp, app_options, fresh_database, serve};

/// `thidua admin ARGS` against the database `owner`, requests as the application role.
pub async fn admin(owner: &PgConnectOptions, args: &[&str]) -> Output {
    let owner_url = owner.to_url_lossy().to_string();
    let app_url = app_options(owner).to_url_lossy().to_string();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_thidua"))
            .arg("admin")
            .args(&args)
            .env("DATABASE_URL", owner_url)
            .env("THIDUA_APP_DATABASE_URL", app_url)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn without_time(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(text).unwrap();
    v.as_object_mut().unwrap().remove("exported_at");
    v
}

fn scratch_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("thidua-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let path = dir.join(format!("exchange-{name}-{n}.json"));
    std::fs::write(&path, text).unwrap();
    path
}

/// Row counts of everything an import may write, the audit trail included.
async fn counts(pool: &PgPool) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for t in [
        "tenants",
        "units",
        "clusters",
        "cluster_years",
        "cluster_members",
        "award_types",
        "award_decisions",
        "unit_awards",
        "audit_log",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {t}"))
            .fetch_one(pool)
            .await
            .unwrap();
        out.push((t.to_string(), n));
    }
    out
}

/// The rows of the awards table of a unit's history page: year, award, decision number, date,
/// issuer and source, without the delete buttons (whose ids differ between databases).
fn award_rows(html: &str) -> Vec<Vec<String>> {
    let start = html.find("id=\"awards\"").expect("the awards table");
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    table
        .split("<tr>")
        .skip(1)
        .filter(|r| r.contains("<td>"))
        .map(|r| {
            r.split("<td>")
                .skip(1)
                .take(6)
                .map(|c| c.split("</td>").next().unwrap().trim().to_string())
                .collect()
        })
        .collect()
}

fn validate_against_schema(doc: &Value) -> Result<(), String> {
    let schema: Value = serde_json::from_str(include_str!(
        "../../docs/exchange/thidua-exchange-v1.schema.json"
    ))
    .unwrap();
    let loc = "file:///docs/exchange/thidua-exchange-v1.schema.json";
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler.add_resource(loc, schema).unwrap();
    let idx = compiler.compile(loc, &mut schemas).unwrap();
    schemas.validate(doc, idx).map_err(|e| format!("{e:#}"))
}

#[tokio::test]
async fn export_then_import_into_an_empty_database_reproduces_the_histories() {
    let source = TestApp::start().await;
    let council = source.login("quantri.langson").await;
    let dashboard = council.get("/council").await;
    assert!(
        dashboard
            .body
            .contains("<a href=\"/council/exchange\">Trao đổi dữ liệu với thidua khác (JSON)</a>"),
        "the council's dashboard leads to the page"
    );
    let page = council.get("/council/exchange").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Tải tệp thidua-langson-"),
        "{}",
        page.body
    );
    let (status, headers, bytes) = council.get_bytes("/council/exchange/export.json").await;
    assert_eq!(status, 200);
    let disposition = headers["content-disposition"].to_str().unwrap().to_string();
    assert!(
        disposition.contains("filename=\"thidua-langson-") && disposition.contains(".json\""),
        "{disposition}"
    );
    let from_page = String::from_utf8(bytes).unwrap();
    let cli = admin(&source.options, &["export", "--tenant", "langson"]).await;
    assert!(cli.status.success(), "{}", stderr(&cli));
    let first = stdout(&cli);
    assert_eq!(without_time(&from_page), without_time(&first));
    let doc: Value = serde_json::from_str(&first).unwrap();
    validate_against_schema(&doc).unwrap();
    // The page counts what the file holds, section by section, without reading it.
    let len = |section: &str| doc[section].as_array().unwrap().len();
    for section in [
        "units",
        "clusters",
        "cluster_years",
        "award_types",
        "decisions",
    ] {
        let line = format!("<code>{section}</code>)</td><td>{}</td>", len(section));
        assert!(page.body.contains(&line), "{line}\n{}", page.body);
    }
    let decided = doc["awards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["from_decision"] == true)
        .count();
    let line = format!("<td>{} ({decided} theo quyết định", len("awards"));
    assert!(page.body.contains(&line), "{line}\n{}", page.body);
    // The demo's Lạng Sơn has a decided dossier and awards from the paper record.
    let awards = doc["awards"].as_array().unwrap();
    assert!(awards.iter().any(|a| a["from_decision"] == true));
    assert!(!doc["decisions"].as_array().unwrap().is_empty());
    assert!(
        !doc["units"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["code"] == "hocvien")
    );

    // An empty database; the tenant is created by the import.
    let target = fresh_database(Template::Empty).await;
    let file = scratch_file("langson", &first);
    let tenant = &doc["tenant"];
    let name = tenant["name"].as_str().unwrap();
    let place = tenant["place"].as_str().unwrap();
    let f = file.to_str().unwrap();
    let run = admin(
        &target,
        &[
            "import", "--tenant", "langson", "--create", name, "--place", place, f,
        ],
    )
    .await;
    assert!(run.status.success(), "{}", stderr(&run));
    let report = stdout(&run);
    let n_units = doc["units"].as_array().unwrap().len();
    assert!(
        report.contains(&format!(
            "Đơn vị: {n_units} tạo mới, 0 đã có, 0 khác (giữ nguyên)"
        )),
        "{report}"
    );
    let owner = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(target.clone())
        .await
        .unwrap();
    let after_first = counts(&owner).await;

    // Again: nothing changes, and the report says so.
    let again = admin(&target, &["import", "--tenant", "langson", f]).await;
    assert!(again.status.success(), "{}", stderr(&again));
    let report = stdout(&again);
    assert!(
        report.contains(&format!(
            "Đơn vị: 0 tạo mới, {n_units} đã có, 0 khác (giữ nguyên)"
        )),
        "{report}"
    );
    assert!(report.contains("Không có gì thay đổi"), "{report}");
    assert_eq!(counts(&owner).await, after_first);

    // A council account there, and the unit's history page as the source shows it.
    let made = admin(
        &target,
        &[
            "create-user",
            "--tenant",
            "langson",
            "--username",
            "quantri.moi",
            "--full-name",
            "Quản trị mới",
            "--role",
            "tenant_admin",
        ],
    )
    .await;
    assert!(made.status.success(), "{}", stderr(&made));
    let otp = stdout(&made)
        .split("Mật khẩu dùng một lần: ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let pool = thidua::db::app_pool(app_options(&target), 4).await.unwrap();
    let addr = serve(AppState::new(pool, WebConfig::default())).await;
    let there = Client::new(&format!("http://{addr}"));
    assert_eq!(there.login("quantri.moi", &otp).await.status, 303);
    let changed = there
        .submit(
            "/password",
            "/password",
            &[
                ("current", &otp),
                ("new", "Quan-tri-moi-2026"),
                ("confirm", "Quan-tri-moi-2026"),
            ],
        )
        .await;
    assert_eq!(changed.status, 303, "{}", changed.body);
    let code: String = sqlx::query_scalar(
        "SELECT u.code FROM unit_awards w JOIN units u ON u.id = w.unit_id JOIN tenants t ON t.id = w.tenant_id
          WHERE t.code = 'langson' GROUP BY u.code
         ORDER BY bool_or(w.decision_id IS NOT NULL) DESC, count(*) DESC, u.code LIMIT 1",
    )
    .fetch_one(&source.owner)
    .await
    .unwrap();
    let id_in = |pool: PgPool, code: String| async move {
        sqlx::query_scalar::<_, i64>("SELECT id FROM units WHERE code = $1")
            .bind(code)
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    let here = award_rows(
        &council
            .get(&format!(
                "/units/{}/history",
                id_in(source.owner.clone(), code.clone()).await
            ))
            .await
            .body,
    );
    let there_rows = award_rows(
        &there
            .get(&format!(
                "/units/{}/history",
                id_in(owner.clone(), code.clone()).await
            ))
            .await
            .body,
    );
    assert!(
        here.iter()
            .any(|r| r[5].contains("Quyết định khen thưởng của Hội đồng")),
        "{here:?}"
    );
    assert!(
        here.iter()
            .all(|r| !r[2].is_empty() && !r[3].is_empty() && !r[4].is_empty()),
        "{here:?}"
    );
    assert_eq!(here, there_rows, "the history of {code}");

    // Exported again from the target: the same file.
    let back = admin(&target, &["export", "--tenant", "langson"]).await;
    assert!(back.status.success(), "{}", stderr(&back));
    assert_eq!(without_time(&stdout(&back)), without_time(&first));
}

/// The file of the demo's Lạng Sơn, as a JSON value to spoil.
async fn demo_file(app: &TestApp) -> Value {
    let out = admin(&app.options, &["export", "--tenant", "langson"]).await;
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[tokio::test]
async fn a_bad_file_is_named_by_element_and_writes_nothing() {
    let app = TestApp::start().await;
    let good = demo_file(&app).await;
    let before = counts(&app.owner).await;
    let mut cases: Vec<(String, &str)> = vec![(
        "{ \"format\": \"thidua-exchange\", ".into(),
        "Lỗi: Tệp không phải JSON hợp lệ (dòng 1",
    )];
    let mut newer = good.clone();
    newer["version"] = 2.into();
    cases.push((newer.to_string(), "phiên bản 2 của định dạng, mới hơn"));
    let mut bad_code = good.clone();
    bad_code["units"][0]["code"] = "CA LS".into();
    cases.push((
        bad_code.to_string(),
        "units[0] (mã “CA LS”): code: Mã đơn vị chỉ gồm",
    ));
    let mut orphan = good.clone();
    orphan["awards"][0]["unit"] = "khong-co".into();
    cases.push((orphan.to_string(), "awards[0] (đơn vị “khong-co”"));
    // Passes the file's checks and is refused while writing, after a new unit was written.
    let mut circle = good.clone();
    let mut unit = circle["units"][0].clone();
    unit["code"] = "moi-them".into();
    circle["units"].as_array_mut().unwrap().push(unit);
    let mut a = circle["award_types"][0].clone();
    a["name"] = "Loại A".into();
    a["prerequisite"] = "Loại B".into();
    let mut b = a.clone();
    b["name"] = "Loại B".into();
    b["prerequisite"] = "Loại A".into();
    circle["award_types"].as_array_mut().unwrap().extend([a, b]);
    cases.push((circle.to_string(), "vòng tròn"));
    // The file calls the demo's cụm a khối, which this database keeps as a cụm: a new cụm of
    // the file then holds ca-ls in the same year, which the database itself refuses.
    let mut kinds = good.clone();
    let cum = kinds["clusters"][0]["name"].as_str().unwrap().to_string();
    kinds["clusters"][0]["kind"] = "khoi".into();
    let mut other = kinds["clusters"][0].clone();
    other["name"] = "Cụm mới".into();
    other["kind"] = "cum".into();
    kinds["clusters"].as_array_mut().unwrap().push(other);
    for cluster in [cum.as_str(), "Cụm mới"] {
        let year = serde_json::json!({ "cluster": cluster, "year": 2099, "phase": "setup",
            "members": ["ca-ls"], "leader": null, "deputy": null });
        kinds["cluster_years"].as_array_mut().unwrap().push(year);
    }
    cases.push((
        kinds.to_string(),
        "cơ sở dữ liệu từ chối dữ liệu của tệp, không nhập gì: một đơn vị thuộc hai cụm",
    ));
    for (text, expected) in &cases {
        let file = scratch_file("bad", text);
        let f = file.to_str().unwrap();
        let out = admin(&app.options, &["import", "--tenant", "langson", f]).await;
        assert!(!out.status.success(), "{expected}: {}", stdout(&out));
        assert!(
            stderr(&out).contains(expected),
            "{expected}: {}",
            stderr(&out)
        );
        assert_eq!(counts(&app.owner).await, before, "{expected}");
        // Nor is a tenant created for it (the last file is bad only against this tenant).
        if expected.starts_with("cơ sở dữ liệu") {
            continue;
        }
        let out = admin(
            &app.options,
            &["import", "--tenant", "moi", "--create", "Tỉnh mới", f],
        )
        .await;
        assert!(!out.status.success(), "{expected}");
        assert_eq!(counts(&app.owner).await, before, "{expected} with --create");
    }
    let unknown = scratch_file("good", &good.to_string());
    let out = admin(
        &app.options,
        &["import", "--tenant", "khong-co", unknown.to_str().unwrap()],
    )
    .await;
    assert!(
        stderr(&out).contains("Không có đơn vị tổ chức mã 'khong-co': thêm --create"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_tenants_export_holds_its_own_data_only() {
    let app = TestApp::start().await;
    let court = app.login("quantri.toaan").await;
    let (status, _, bytes) = court.get_bytes("/council/exchange/export.json").await;
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["tenant"]["code"], "toaan");
    let codes: Vec<&str> = doc["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"hocvien") && !codes.contains(&"ca-ls"),
        "{codes:?}"
    );
    let officer = app.login("canbo.hocvien").await;
    assert_eq!(
        officer.get("/council/exchange/export.json").await.status,
        403
    );
}
