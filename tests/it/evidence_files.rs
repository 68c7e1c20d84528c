//! Issue 12, item 8: evidence is named by the type its content has, loses the format
//! characters that disguise a name, and an Office file must be a real archive with its parts.

use std::io::Write;

use crate::harness::TestApp;
use crate::scoring::{PDF, setup, upload};

fn docx() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for part in ["[Content_Types].xml", "_rels/.rels", "word/document.xml"] {
        w.start_file(part, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"<?xml version=\"1.0\"?><x/>").unwrap();
    }
    w.finish().unwrap().into_inner()
}

async fn stored(app: &TestApp) -> (String, String) {
    sqlx::query_as("SELECT filename, content_type FROM evidence ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.owner)
        .await
        .unwrap()
}

#[tokio::test]
async fn evidence_is_named_by_its_content_and_fake_office_files_are_refused() {
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await;
    let officer = app.login("canbo.ca-ls").await;

    // A right-to-left override (U+202E) made "bao-cao<RLO>fdp.exe" look like "bao-caoexe.pdf".
    let r = upload(
        &officer,
        &y,
        y.ca,
        "2.1",
        "bao-cao\u{202e}fdp.exe",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(r.status, 303);
    assert!(!r.location().contains("evidence_error"), "{}", r.location());
    assert_eq!(
        stored(&app).await,
        ("bao-caofdp.pdf".to_string(), "application/pdf".to_string())
    );
    // A PDF called .html is kept as .pdf; the download says so too.
    upload(&officer, &y, y.ca, "2.1", "trang.html", PDF.to_vec()).await;
    assert_eq!(stored(&app).await.0, "trang.pdf");
    let id: i64 = sqlx::query_scalar("SELECT max(id) FROM evidence")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    let (status, headers, _) = officer.get_bytes(&format!("/evidence/{id}")).await;
    assert_eq!(status, 200);
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.ends_with("''trang.pdf"), "{disposition}");
    // Named by the user's file only, never by an internal id (issue 17, item 11).
    assert_eq!(
        disposition,
        "attachment; filename=\"trang.pdf\"; filename*=UTF-8''trang.pdf"
    );

    // A real .docx is accepted, under its own extension.
    let r = upload(&officer, &y, y.ca, "2.1", "ke-hoach.docx", docx()).await;
    assert!(!r.location().contains("evidence_error"), "{}", r.location());
    assert_eq!(
        stored(&app).await,
        (
            "ke-hoach.docx".to_string(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document".to_string()
        )
    );

    // A fake one (zip magic and the right part names, but no archive) is refused, clearly.
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM evidence")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    let fake = b"PK\x03\x04 [Content_Types].xml word/document.xml".to_vec();
    let r = upload(&officer, &y, y.ca, "2.1", "gia.docx", fake).await;
    assert_eq!(r.status, 303);
    assert!(r.location().contains("evidence_error="));
    let page = officer.get(r.location()).await;
    assert!(
        page.body.contains("bị hỏng hoặc không đúng cấu trúc"),
        "a clear Vietnamese message"
    );
    // A real archive cut short is refused too.
    let mut cut = docx();
    cut.truncate(cut.len() - 10);
    let r = upload(&officer, &y, y.ca, "2.1", "cut.docx", cut).await;
    assert!(r.location().contains("evidence_error="));
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM evidence")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(after, before, "nothing was stored");
}
