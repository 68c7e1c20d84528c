//! Issue 12, item 5: bodies sent chunked that exceed a limit get 413 (a Vietnamese page), like
//! bodies that say their length.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::{Client, TestApp};
use crate::scoring::setup;

/// Sends `len` bytes of `filler` chunked (64 KiB a chunk, as a streaming client does) after
/// `prefix`, and returns the status and the start of the answer. The server may answer and
/// close before the body is sent; writing then fails, and the answer is read all the same.
async fn chunked(
    base: &str,
    path: &str,
    cookie: &str,
    content_type: &str,
    prefix: &[u8],
    len: usize,
) -> (u16, String) {
    let addr = base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nContent-Type: {content_type}\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let mut body = prefix.to_vec();
    body.resize(prefix.len() + len, b'a');
    for chunk in body.chunks(64 * 1024) {
        let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
        frame.extend_from_slice(chunk);
        frame.extend_from_slice(b"\r\n");
        if s.write_all(&frame).await.is_err() {
            break;
        }
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = s.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no answer: {text:?}"));
    (status, text)
}

fn cookies(c: &Client) -> String {
    let mut out = Vec::new();
    for name in ["thidua_session", "thidua_csrf"] {
        if let Some(v) = c.cookie(name) {
            out.push(format!("{name}={v}"));
        }
    }
    out.join("; ")
}

const MB: usize = 1024 * 1024;

#[tokio::test]
async fn chunked_bodies_over_a_limit_get_413() {
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await;
    let officer = app.login("canbo.ca-ls").await;
    let token = officer
        .get(&format!("/years/{}/sheets/{}", y.id, y.ca))
        .await
        .csrf();
    let crit = y.crit["2.1"];
    let boundary = "ranh-gioi-thidua";
    let part = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"criterion_id\"\r\n\r\n{crit}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"to.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    );
    // Evidence: over the 11 MiB request limit.
    let (status, text) = chunked(
        &app.base,
        &format!("/years/{}/sheets/{}/evidence?csrf={token}", y.id, y.ca),
        &cookies(&officer),
        &format!("multipart/form-data; boundary={boundary}"),
        part.as_bytes(),
        12 * MB,
    )
    .await;
    assert_eq!(status, 413, "{}", &text[..text.len().min(600)]);
    assert!(text.contains("vượt quá giới hạn"), "a Vietnamese page");

    // A form over the 2 MiB form limit, logged in and not.
    let form = format!("csrf={}&current=", officer.get("/password").await.csrf());
    let (status, _) = chunked(
        &app.base,
        "/password",
        &cookies(&officer),
        "application/x-www-form-urlencoded",
        form.as_bytes(),
        3 * MB,
    )
    .await;
    assert_eq!(status, 413);
    let anonymous = app.client();
    let login_token = anonymous.get("/login").await.csrf();
    let form = format!("csrf={login_token}&username=a&password=");
    let (status, _) = chunked(
        &app.base,
        "/login",
        &cookies(&anonymous),
        "application/x-www-form-urlencoded",
        form.as_bytes(),
        3 * MB,
    )
    .await;
    assert_eq!(status, 413);

    // An import sheet over its 2 MiB limit.
    let admin = app.login("quantri.langson").await;
    let token = admin.get("/import").await.csrf();
    let part = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.xlsx\"\r\n\
         Content-Type: application/octet-stream\r\n\r\nPK"
    );
    let (status, text) = chunked(
        &app.base,
        &format!("/import/units?csrf={token}"),
        &cookies(&admin),
        &format!("multipart/form-data; boundary={boundary}"),
        part.as_bytes(),
        3 * MB,
    )
    .await;
    assert_eq!(status, 413, "{}", &text[..text.len().min(600)]);
}

/// Uploads read at once are bounded: while one slow upload holds the only place, another gets a
/// fast Vietnamese "busy" page (503, Retry-After) and other pages still open; once it ends, the
/// next upload goes through.
#[tokio::test]
async fn uploads_beyond_the_gate_get_a_busy_page() {
    let web = thidua::config::WebConfig {
        uploads: thidua::web::upload::UploadGate::new(1),
        ..thidua::config::WebConfig::default()
    };
    let app = TestApp::start_with(crate::harness::Template::Demo, web).await;
    let y = setup(&app, "31/12/2099").await;
    let officer = app.login("canbo.ca-ls").await;
    let sheet = format!("/years/{}/sheets/{}", y.id, y.ca);
    let token = officer.get(&sheet).await.csrf();
    let crit = y.crit["2.1"];
    let boundary = "ranh-gioi-thidua";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"criterion_id\"\r\n\r\n{crit}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cham.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--{boundary}--\r\n"
    );
    // The slow upload: its header and half its body, then nothing for now.
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST {sheet}/evidence?csrf={token} HTTP/1.1\r\nHost: {addr}\r\nCookie: {}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        cookies(&officer),
        body.len()
    );
    let half = body.len() / 2;
    slow.write_all(head.as_bytes()).await.unwrap();
    slow.write_all(&body.as_bytes()[..half]).await.unwrap();

    // Another upload: busy, once the slow one has its place (at most 200 tries).
    let mut busy = None;
    for _ in 0..200 {
        let r = crate::scoring::upload(
            &officer,
            &y,
            y.ca,
            "2.1",
            "nhanh.pdf",
            crate::scoring::PDF.to_vec(),
        )
        .await;
        if r.status == 503 {
            busy = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let busy = busy.expect("a second upload while the only place is taken is refused");
    assert!(
        busy.body.contains("Hệ thống đang bận nhận tệp"),
        "{}",
        busy.body
    );
    assert_eq!(busy.headers["retry-after"], "5");
    assert_eq!(officer.get(&sheet).await.status, 200, "pages still open");

    // The slow upload finishes and is stored; then uploads go through again.
    slow.write_all(&body.as_bytes()[half..]).await.unwrap();
    let mut answer = Vec::new();
    slow.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    let r = crate::scoring::upload(
        &officer,
        &y,
        y.ca,
        "2.1",
        "sau.pdf",
        crate::scoring::PDF.to_vec(),
    )
    .await;
    assert_eq!(r.status, 303);
    assert!(!r.location().contains("evidence_error"), "{}", r.location());
}

/// Issue 17, item 11: the sheet's upload carries its anti-forgery token in the form's body, so
/// it never lands in a URL or the browser's history; without it the upload is refused.
#[tokio::test]
async fn the_sheet_upload_carries_its_token_in_the_body() {
    let app = TestApp::start().await;
    let y = setup(&app, "31/12/2099").await;
    let officer = app.login("canbo.ca-ls").await;
    let sheet = format!("/years/{}/sheets/{}", y.id, y.ca);
    let page = officer.get(&sheet).await;
    assert!(
        !page.body.contains("csrf="),
        "no token in any URL of the page"
    );
    let token = page.csrf();
    let crit = y.crit["2.1"];
    let file_field = format!("file_{crit}");
    let post = |token: Option<String>| {
        let mut fields = vec![("version", "0".to_string())];
        if let Some(t) = token {
            fields.insert(0, ("csrf", t));
        }
        let fields: Vec<(&str, String)> = fields;
        let officer = &officer;
        let (file_field, path) = (file_field.clone(), format!("{sheet}/save"));
        async move {
            let borrowed: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            officer
                .upload(
                    &path,
                    &borrowed,
                    &file_field,
                    "bang.pdf",
                    crate::scoring::PDF.to_vec(),
                )
                .await
        }
    };
    let refused = post(None).await;
    assert_eq!(refused.status, 403, "no token, no upload");
    let r = post(Some(token)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = officer.get(r.location()).await;
    assert!(page.body.contains("bang.pdf"));
    assert!(page.body.contains("đã nhận 1 tệp minh chứng"));
}
