//! Uploads and downloads with the S3 store: the object holds the bytes, the row holds none; the
//! download is byte-identical and only while the object matches its hash; another tenant finds
//! nothing; a store that is down refuses the upload and nothing is written.

use super::{S3Server, pdf, sha_hex};
use crate::harness::{Client, Resp, Template, TestApp};
use crate::scoring::{Year, setup};

/// The unit's sheet as its officer sends it: a score typed for `code` and a file chosen beside
/// it, "Tải lên" pressed.
pub(super) async fn sheet_upload(
    c: &Client,
    y: &Year,
    code: &str,
    points: &str,
    data: Vec<u8>,
) -> Resp {
    let sheet = format!("/years/{}/sheets/{}", y.id, y.ca);
    let page = c.get(&sheet).await;
    let version = page
        .body
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or("0")
        .to_string();
    let crit = y.crit[code].to_string();
    let (token, score) = (page.csrf(), format!("p_{crit}"));
    let fields = [
        ("csrf", token.as_str()),
        ("version", version.as_str()),
        (score.as_str(), points),
        ("upload", crit.as_str()),
    ];
    c.upload(
        &format!("{sheet}/save"),
        &fields,
        &format!("file_{crit}"),
        "bao-cao.pdf",
        data,
    )
    .await
}

#[derive(sqlx::FromRow, Debug)]
pub(super) struct Row {
    pub id: i64,
    pub tenant_id: i64,
    pub stored_in: String,
    pub object_key: Option<String>,
    pub has_data: bool,
}

pub(super) async fn last_row(app: &TestApp) -> Row {
    sqlx::query_as(
        "SELECT id, tenant_id, stored_in, object_key, data IS NOT NULL AS has_data
           FROM evidence ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap()
}

#[tokio::test]
async fn evidence_goes_to_the_s3_store_and_comes_back_only_as_uploaded() {
    let Some(s3) = S3Server::start("up") else {
        return;
    };
    let app = TestApp::start_with(Template::Demo, s3.web().await).await;
    let y = setup(&app, "31/12/2099").await;
    let officer = app.login("canbo.ca-ls").await;
    let file = pdf(300_000, 1);

    let r = sheet_upload(&officer, &y, "2.1", "8", file.clone()).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let row = last_row(&app).await;
    let key = format!("t{}/{}", row.tenant_id, sha_hex(&file));
    assert_eq!(row.stored_in, "s3");
    assert_eq!(row.object_key.as_deref(), Some(key.as_str()));
    assert!(!row.has_data, "the row keeps no bytes");
    let api = s3.api();
    let object = api.get(&key, file.len() as u64).await.unwrap();
    assert_eq!(
        object.as_deref(),
        Some(file.as_slice()),
        "the object holds the file"
    );

    let download = format!("/evidence/{}", row.id);
    let (status, _, body) = officer.get_bytes(&download).await;
    assert_eq!(status, 200);
    assert!(body == file, "the download is byte-identical");

    // The same file again (through the upload field) is a second row on the same object.
    let r = crate::scoring::upload(&officer, &y, y.ca, "2.2", "lan-2.pdf", file.clone()).await;
    assert!(!r.location().contains("evidence_error"), "{}", r.location());
    let again = last_row(&app).await;
    assert_ne!(again.id, row.id);
    assert_eq!(again.object_key.as_deref(), Some(key.as_str()));
    assert_eq!(s3.objects(&format!("t{}", row.tenant_id)).len(), 1);

    // Another council's staff cannot reach it, as before.
    let other = app.login("quantri.toaan").await;
    let (status, _, body) = other.get_bytes(&download).await;
    assert_eq!(status, 404);
    assert!(body != file);

    // Overwritten through the S3 API with other bytes of the same length: not handed out.
    let mut forged = file.clone();
    forged[1000] ^= 1;
    api.put(&key, forged.clone().into()).await.unwrap();
    let (status, _, body) = officer.get_bytes(&download).await;
    assert_eq!(status, 502);
    let page = String::from_utf8_lossy(&body);
    assert!(
        page.contains("Tệp minh chứng không còn nguyên vẹn"),
        "{page}"
    );
    assert!(body != forged && body != file);
    // Shorter bytes are refused too; gone, it says so.
    api.put(&key, file[..1000].to_vec().into()).await.unwrap();
    let (status, _, _) = officer.get_bytes(&download).await;
    assert_eq!(status, 502);
    std::fs::remove_file(s3.dir.join("root").join(super::BUCKET).join(&key)).unwrap();
    let (status, _, body) = officer.get_bytes(&download).await;
    assert_eq!(status, 502);
    let page = String::from_utf8_lossy(&body);
    assert!(
        page.contains("Không tìm thấy tệp minh chứng trong kho lưu trữ"),
        "{page}"
    );

    // The next upload of the same file puts the object again: the earlier rows read it.
    let r = crate::scoring::upload(&officer, &y, y.ca, "2.2", "lan-3.pdf", file.clone()).await;
    assert!(!r.location().contains("evidence_error"), "{}", r.location());
    let (status, _, body) = officer.get_bytes(&download).await;
    assert_eq!(status, 200);
    assert!(body == file);
}

/// The sheet form refused for the store: 422, the message beside the field, what was typed
/// still on the page, no new evidence row (of `rows_before`) and no score saved for `code`.
pub(super) async fn refused_with_nothing_saved(
    app: &TestApp,
    y: &Year,
    r: &Resp,
    code: &str,
    typed: &str,
    rows_before: i64,
) {
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("Chưa lưu được tệp vào kho lưu trữ minh chứng vì kho đang không trả lời"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(&format!("value=\"{typed}\"")),
        "what was typed stays on the page"
    );
    let rows = app.scalar_i64("SELECT count(*) FROM evidence").await;
    assert_eq!(rows, rows_before, "no row");
    let saved: Option<rust_decimal::Decimal> = sqlx::query_scalar(
        "SELECT self_points FROM sheet_entries WHERE criterion_id = $1 AND self_points IS NOT NULL",
    )
    .bind(y.crit[code])
    .fetch_optional(&app.owner)
    .await
    .unwrap();
    assert_eq!(
        saved, None,
        "the typed score was not saved without its file"
    );
}

#[tokio::test]
async fn a_store_that_is_down_refuses_the_upload_and_nothing_is_written() {
    let Some(mut s3) = S3Server::start("down") else {
        return;
    };
    let app = TestApp::start_with(Template::Demo, s3.web().await).await;
    let y = setup(&app, "31/12/2099").await;
    let officer = app.login("canbo.ca-ls").await;
    s3.stop();
    let count = "SELECT count(*) FROM evidence";
    let before = app.scalar_i64(count).await;

    let r = sheet_upload(&officer, &y, "2.1", "7,5", pdf(50_000, 2)).await;
    refused_with_nothing_saved(&app, &y, &r, "2.1", "7,5", before).await;

    // The upload field alone says the same beside the field.
    let r = crate::scoring::upload(&officer, &y, y.ca, "2.1", "a.pdf", pdf(50_000, 3)).await;
    assert!(r.location().contains("evidence_error="), "{}", r.location());
    let page = officer.get(r.location()).await;
    assert!(page.body.contains("kho đang không trả lời"));
    assert_eq!(app.scalar_i64(count).await, before, "no row");
}
