//! Issue 12, items 6 and 7: every form the pages offer, sent with odd bytes (NUL, CR/LF, control
//! and direction characters), a field repeated, a field missing, and a body past the old 256 KiB
//! form limit: never a 500 and never axum's plain English, always a Vietnamese page.
//!
//! The forms are found by walking the pages each role can reach (links on the same site), so a
//! new form is fuzzed without a line here.

use std::collections::{BTreeSet, VecDeque};

use crate::harness::{Client, DEMO_PASSWORD, TestApp};

#[derive(Debug, Clone)]
struct Form {
    page: String,
    action: String,
    multipart: bool,
    fields: Vec<(String, String)>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(html_unescape(&tag[start..end]))
}

fn html_unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&#x22;", "\"")
}

/// The POST forms of a page with their fields and default values (a crude reader, enough for
/// the templates of this project).
fn forms_in(page: &str, html: &str) -> Vec<Form> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<form") {
        rest = &rest[i..];
        let end = rest.find("</form>").unwrap_or(rest.len());
        let body = &rest[..end];
        let open = &body[..body.find('>').unwrap_or(body.len())];
        rest = &rest[end.min(rest.len())..];
        if attr(open, "method").as_deref() != Some("post") {
            if !rest.is_empty() {
                rest = &rest[1..];
            }
            continue;
        }
        let action = attr(open, "action").unwrap_or_else(|| page.to_string());
        let multipart = attr(open, "enctype").is_some_and(|e| e.contains("multipart"));
        let mut fields = Vec::new();
        let mut seen_radio = BTreeSet::new();
        for tag_kind in ["<input", "<textarea", "<select"] {
            let mut r = body;
            while let Some(j) = r.find(tag_kind) {
                r = &r[j..];
                let tag = &r[..r.find('>').unwrap_or(r.len())];
                r = &r[tag.len().min(r.len())..];
                let Some(name) = attr(tag, "name") else {
                    continue;
                };
                let ty = attr(tag, "type").unwrap_or_default();
                if ty == "file" || ty == "submit" {
                    continue;
                }
                if (ty == "radio" || ty == "checkbox") && !seen_radio.insert(name.clone()) {
                    continue;
                }
                let value = match tag_kind {
                    "<select" => r
                        .find("<option")
                        .and_then(|k| attr(&r[k..k + r[k..].find('>').unwrap_or(0)], "value"))
                        .unwrap_or_default(),
                    "<textarea" => r[1..]
                        .split("</textarea>")
                        .next()
                        .map(html_unescape)
                        .unwrap_or_default(),
                    _ => attr(tag, "value").unwrap_or_else(|| {
                        if ty == "checkbox" || ty == "radio" {
                            "on".into()
                        } else {
                            "Kiểm tra".into()
                        }
                    }),
                };
                fields.push((name, value));
            }
        }
        out.push(Form {
            page: page.to_string(),
            action,
            multipart,
            fields,
        });
        if !rest.is_empty() {
            rest = &rest[1..];
        }
    }
    out
}

fn links_in(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("href=\"/") {
        rest = &rest[i + 6..];
        let end = rest.find('"').unwrap_or(0);
        out.push(html_unescape(&rest[..end]));
    }
    out
}

/// Pages (and their forms) a client reaches from `/`, at most `limit` pages.
async fn crawl(c: &Client, limit: usize) -> Vec<Form> {
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut seen = BTreeSet::new();
    let mut forms = Vec::new();
    let mut actions = BTreeSet::new();
    while let Some(p) = queue.pop_front() {
        if seen.len() >= limit || !seen.insert(p.clone()) {
            continue;
        }
        // Downloads and printouts carry no forms; logging out would end the walk.
        if p.starts_with("/static")
            || p.contains("export")
            || p.contains(".xlsx")
            || p.contains(".docx")
            || p.contains("download")
        {
            continue;
        }
        let r = c.get(&p).await;
        assert_ne!(r.status, 500, "GET {p} answered 500");
        if r.status != 200
            || !r
                .headers
                .get("content-type")
                .is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html"))
        {
            continue;
        }
        for f in forms_in(&p, &r.body) {
            let path_only = f.action.split('?').next().unwrap_or("").to_string();
            if f.action == "/logout"
                || f.action == "/password"
                || !actions.insert((
                    path_only,
                    f.fields.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
                ))
            {
                continue;
            }
            forms.push(f);
        }
        for l in links_in(&r.body) {
            let l = l.split('#').next().unwrap_or("").to_string();
            if !l.is_empty() && !seen.contains(&l) {
                queue.push_back(l);
            }
        }
    }
    forms
}

/// The variants of one form: each field with odd bytes, each field twice, each field missing,
/// and one field past 256 KiB.
fn variants(f: &Form) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let fuzzable: Vec<usize> = (0..f.fields.len())
        .filter(|&i| f.fields[i].0 != "csrf")
        .take(10)
        .collect();
    for &i in &fuzzable {
        for (label, odd) in [
            ("NUL", "a\u{0}b"),
            ("CR/LF", "a\r\nSet-Cookie: x=1\r\n"),
            ("controls", "\u{1}\u{1b}[31m\u{7f}\u{85}"),
            ("bidi", "bao-cao\u{202e}fdp.exe"),
        ] {
            let mut v = f.fields.clone();
            v[i].1 = format!("{}{odd}", v[i].1);
            out.push((format!("{label} in {}", f.fields[i].0), v));
        }
        let mut twice = f.fields.clone();
        twice.push(f.fields[i].clone());
        out.push((format!("{} twice", f.fields[i].0), twice));
        let mut missing = f.fields.clone();
        missing.remove(i);
        out.push((format!("{} missing", f.fields[i].0), missing));
    }
    if let Some(&i) = fuzzable.first() {
        let mut big = f.fields.clone();
        big[i].1 = "Dữ liệu dài ".repeat(20_000);
        out.push((format!("300 KiB in {}", f.fields[i].0), big));
    }
    out
}

fn is_plain_english(r: &crate::harness::Resp) -> bool {
    let ct = r
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    r.status >= 400 && ct.starts_with("text/plain")
}

async fn fuzz_as(app: &TestApp, who: Option<&str>) -> (usize, Vec<String>) {
    let c = match who {
        Some(u) => app.login(u).await,
        None => app.client(),
    };
    let forms = match who {
        Some(_) => crawl(&c, 120).await,
        None => crawl_login(&c).await,
    };
    let mut sent = 0;
    let mut bad = Vec::new();
    for f in &forms {
        for (label, fields) in variants(f) {
            // A fresh token from the form's page, as a browser would have.
            let page = c.get(&f.page).await;
            let token = crate::harness::csrf_in(&page.body).unwrap_or_default();
            let fields: Vec<(String, String)> = fields
                .into_iter()
                .map(|(k, v)| {
                    if k == "csrf" {
                        (k, token.clone())
                    } else {
                        (k, v)
                    }
                })
                .collect();
            let pairs: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let r = if f.multipart {
                c.upload(&f.action, &pairs, "file", "a.pdf", b"%PDF-1.4\n".to_vec())
                    .await
            } else {
                c.post(&f.action, &pairs).await
            };
            sent += 1;
            if r.status >= 500 || is_plain_english(&r) {
                bad.push(format!(
                    "{:?} POST {} ({label}) from {}: {} {}",
                    who,
                    f.action,
                    f.page,
                    r.status,
                    r.body.chars().take(200).collect::<String>()
                ));
            }
            // A successful login variant logs the client in; log out to keep fuzzing the form.
            if f.action == "/login" && r.status == 303 {
                let home = c.get("/").await;
                if let Some(t) = crate::harness::csrf_in(&home.body) {
                    c.post("/logout", &[("csrf", t.as_str())]).await;
                }
            }
        }
    }
    (sent, bad)
}

async fn crawl_login(c: &Client) -> Vec<Form> {
    let r = c.get("/login").await;
    forms_in("/login", &r.body)
        .into_iter()
        .map(|mut f| {
            for (k, v) in &mut f.fields {
                if k == "username" {
                    *v = "canbo.hocvien".into();
                } else if k == "password" {
                    *v = DEMO_PASSWORD.into();
                }
            }
            f
        })
        .collect()
}

#[tokio::test]
async fn every_form_survives_odd_bytes_repeated_and_missing_fields_and_big_bodies() {
    let app = TestApp::start().await;
    let mut total = 0;
    let mut bad = Vec::new();
    // Anonymous (the login form) last: its failed logins lock the test's address.
    for who in [
        Some("quantri.toaan"),
        Some("thutruong.hocvien"),
        Some("canbo.hocvien"),
        None,
    ] {
        let (sent, b) = fuzz_as(&app, who).await;
        total += sent;
        bad.extend(b);
    }
    assert!(
        total > 200,
        "the walk found too few forms ({total} requests)"
    );
    assert!(
        bad.is_empty(),
        "{} of {total} answers were a 500 or plain English:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

#[tokio::test]
async fn next_after_login_stays_on_this_site() {
    let app = TestApp::start().await;
    for (next, expected) in [
        ("/units", "/units"),
        ("/\t/evil.example", "/"),
        ("/\n/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/ /evil.example", "/"),
        ("/%09/evil.example", "/%09/evil.example"),
    ] {
        let c = app.client();
        let page = c.get("/login").await;
        let r = c
            .post(
                "/login",
                &[
                    ("csrf", page.csrf().as_str()),
                    ("username", "quantri.toaan"),
                    ("password", DEMO_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{next:?}");
        assert_eq!(r.location(), expected, "next = {next:?}");
    }
}
