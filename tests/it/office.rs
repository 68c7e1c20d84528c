//! The .docx downloads as a person opens them: LibreOffice converts each to PDF, and poppler's
//! tools read back its pages, their size and its text (as the browser tests read printed pages).
//!
//! Needs `libreoffice` on PATH (Debian: `libreoffice-writer`). Without it these tests say so
//! loudly and pass, as the browser tests do without Chromium, so that `cargo test` works on a
//! machine with only Rust and PostgreSQL; with `CI` set they fail, and `.ci/run` checks they ran.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::browser::screenshot_dir;
use crate::harness::TestApp;

static NEXT: AtomicUsize = AtomicUsize::new(0);

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn run(cmd: &mut Command) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Converts a .docx with LibreOffice (a profile of its own per call, so parallel tests do not
/// clash) and reads the PDF back with poppler: its page count, the first page's size in points, and its text
/// as `pdftotext -layout` lays it out.
/// None when LibreOffice is not installed (and `CI` is not set).
pub async fn docx_to_pdf_text(bytes: &[u8]) -> Option<(u32, (f64, f64), String)> {
    let out = std::env::temp_dir().join(format!(
        "thidua-office-{}-{}.pdf",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    if !docx_to_pdf(bytes, &out).await {
        return None;
    }
    let (pages, size) = crate::browser::pdf_pages(&out);
    let text = run(Command::new("pdftotext").arg("-layout").arg(&out).arg("-"));
    let _ = std::fs::remove_file(&out);
    Some((pages as u32, size, text))
}

/// Converts a .docx to PDF with LibreOffice and keeps the PDF at `out`, for measuring; false
/// when LibreOffice is not installed (and `CI` is not set).
pub async fn docx_to_pdf(bytes: &[u8], out: &std::path::Path) -> bool {
    let Some(office) = on_path("libreoffice") else {
        let msg = "OFFICE TESTS DID NOT RUN: `libreoffice` is not on PATH; install it \
                   (Debian: apt-get install --no-install-recommends libreoffice-writer)";
        if std::env::var("CI").is_ok() {
            panic!("{msg}");
        }
        eprintln!("\n!!!!!!!! {msg} !!!!!!!!\n");
        return false;
    };
    let dir = std::env::temp_dir().join(format!(
        "thidua-office-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let docx = dir.join("document.docx");
    std::fs::write(&docx, bytes).unwrap();
    // LibreOffice in a process group of its own, so that all of it can be ended if it hangs.
    let child = tokio::process::Command::new(office)
        .arg("--headless")
        .arg("--norestore")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .arg(&docx)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .expect("start libreoffice");
    let group = nix::unistd::Pid::from_raw(child.id().expect("a running libreoffice") as i32);
    let done = match tokio::time::timeout(Duration::from_secs(180), child.wait_with_output()).await
    {
        Ok(out) => out.expect("libreoffice"),
        Err(_) => {
            let _ = nix::sys::signal::killpg(group, nix::sys::signal::Signal::SIGKILL);
            panic!("LibreOffice did not convert the .docx within 3 minutes");
        }
    };
    let pdf = dir.join("document.pdf");
    assert!(
        done.status.success() && pdf.is_file(),
        "LibreOffice wrote no PDF in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&done.stderr)
    );
    std::fs::copy(&pdf, out).expect("keep the PDF");
    let _ = std::fs::remove_dir_all(&dir);
    true
}

/// A4 in points within a point and a half: portrait 595 × 842, or turned.
fn a4(size: (f64, f64), landscape: bool) -> bool {
    let close = |a: f64, b: f64| (a - b).abs() < 1.5;
    let (w, h) = if landscape {
        (841.9, 595.3)
    } else {
        (595.3, 841.9)
    };
    close(size.0, w) && close(size.1, h)
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A run of text on one line of `pdftotext -layout`, between gaps of two spaces or more: a
/// line of a paragraph, or of one table cell or column.
struct Seg {
    line: usize,
    start: usize,
    end: usize,
    text: String,
}

fn segments(text: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for (line, l) in text.lines().enumerate() {
        let chars: Vec<char> = l.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && !(chars[i] == ' ' && chars.get(i + 1) == Some(&' ')) {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            out.push(Seg {
                line,
                start,
                end: i,
                text: text.trim().to_string(),
            });
        }
    }
    out
}

/// Whether `rest` goes on from the line below `s`, in a segment under it.
fn continues(segs: &[Seg], s: &Seg, rest: &str) -> bool {
    segs.iter()
        .filter(|u| u.line == s.line + 1 && u.start < s.end + 2 && u.end + 2 > s.start)
        .any(|u| {
            u.text.starts_with(rest)
                || rest
                    .strip_prefix(u.text.as_str())
                    .and_then(|r| r.strip_prefix(' '))
                    .is_some_and(|r| continues(segs, u, r))
        })
}

/// Whether `needle` is in the text, also when it wraps inside a table cell or a column of a
/// side-by-side layout (a signature block), where the text beside it breaks it up.
fn reads(text: &str, needle: &str) -> bool {
    let needle = squeeze(needle);
    if squeeze(text).contains(&needle) {
        return true;
    }
    let segs = segments(text);
    // Where a wrapped needle may break: after any of its words.
    let breaks: Vec<usize> = needle.match_indices(' ').map(|(i, _)| i).collect();
    segs.iter().any(|s| {
        breaks.iter().any(|&k| {
            let head = &needle[..k];
            (s.text == head || s.text.ends_with(&format!(" {head}")))
                && continues(&segs, s, &needle[k + 1..])
        })
    })
}

/// The text of every `<div class="{class}">` of a print view, in order.
fn divs(html: &str, class: &str) -> Vec<String> {
    let open = format!("<div class=\"{class}\">");
    html.split(&open)
        .skip(1)
        .filter_map(|s| s.split("</div>").next())
        .map(|s| s.replace("&#38;", "&").replace("&amp;", "&"))
        .collect()
}

/// The text of every table cell (`<td class="{class}">`) of a print view, tags dropped.
fn cells(html: &str, class: &str) -> Vec<String> {
    let open = format!("<td class=\"{class}\">");
    html.split(&open)
        .skip(1)
        .filter_map(|s| s.split("</td>").next())
        .map(|s| s.replace("<strong>", "").replace("</strong>", ""))
        .filter(|s| !s.trim().is_empty())
        .collect()
}

async fn lang_son_2024(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
          WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.year = 2024",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap()
}

async fn unit_names(app: &TestApp, year: i64) -> Vec<String> {
    sqlx::query_scalar(&format!(
        "SELECT u.name FROM cluster_members m JOIN units u ON u.id = m.unit_id
          WHERE m.cluster_year_id = {year} ORDER BY u.name"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_pledge_docx_converts_to_the_same_text() {
    let app = TestApp::start().await;
    let year = lang_son_2024(&app).await;
    let head = app.login("thutruong.thads-ls").await;
    let page = head.get(&format!("/years/{year}/pledge")).await.body;
    assert!(page.contains(&format!("href=\"/years/{year}/pledge/print.docx\"")));
    let html = head.get(&format!("/years/{year}/pledge/print")).await.body;
    let (status, headers, bytes) = head
        .get_bytes(&format!("/years/{year}/pledge/print.docx"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"Giao-uoc-thi-dua-nam-2024")
            && disposition.contains("filename*=UTF-8''Giao%20%C6%B0%E1%BB%9Bc"),
        "{disposition}"
    );
    std::fs::write(screenshot_dir().join("giao-uoc.docx"), &bytes).unwrap();
    let Some((pages, size, text)) = docx_to_pdf_text(&bytes).await else {
        return;
    };
    assert!(a4(size, false), "A4 portrait: {size:?}");
    assert!((1..=3).contains(&pages), "pages: {pages}");
    let place_date = divs(&html, "place-date");
    assert_eq!(place_date.len(), 1, "the print view's date line");
    assert!(place_date[0].starts_with("Lạng Sơn, ngày"));
    for t in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIAO ƯỚC THI ĐUA",
        "Năm 2024",
        "CỤM THI ĐUA CÁC CƠ QUAN NỘI CHÍNH TỈNH",
        "Số: ……/……",
        &place_date[0],
        "Thực hiện Luật Thi đua, khen thưởng năm 2022",
        "Đã ký trên thidua",
    ] {
        assert!(reads(&text, t), "the .docx lacks {t:?}:\n{text}");
    }
    // Every commitment, numbered as printed.
    let items: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT text FROM pledge_items WHERE cluster_year_id = {year} ORDER BY position"
    ))
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert!(!items.is_empty());
    for (i, item) in items.iter().enumerate() {
        let t = format!("{}. {}", i + 1, item.trim());
        assert!(reads(&text, &t), "the .docx lacks {t:?}:\n{text}");
    }
    // A signature block for every member: its name in capitals, its head's title and name.
    for name in unit_names(&app, year).await {
        let caps = name.to_uppercase();
        assert!(reads(&text, &caps), "no block of {caps:?}:\n{text}");
    }
    // Each head's title, and every member's signature recorded on thidua (the demo's pledge
    // is signed by all seven and locked).
    for title in divs(&html, "title") {
        assert!(reads(&text, &title), "the .docx lacks the title {title:?}");
    }
    assert_eq!(html.matches("Đã ký trên thidua").count(), 7);
    assert_eq!(
        text.matches("Đã ký trên thidua").count(),
        7,
        "one signature block per member:\n{text}"
    );
    for name in divs(&html, "name") {
        assert!(reads(&text, &name), "the .docx lacks the signer {name:?}");
    }
    assert!(!text.contains("Quay lại"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_summary_docx_converts_to_the_same_text() {
    let app = TestApp::start().await;
    let y = crate::scoring::finalised_year(&app).await;
    let leader = app.login("canbo.thads-ls").await;
    let page = leader.get(&format!("/years/{}/scoring", y.id)).await.body;
    assert!(page.contains(&format!("href=\"/years/{}/scoring/print.docx\"", y.id)));
    let html = leader
        .get(&format!("/years/{}/scoring/print", y.id))
        .await
        .body;
    let (status, headers, bytes) = leader
        .get_bytes(&format!("/years/{}/scoring/print.docx", y.id))
        .await;
    assert_eq!(status, 200);
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''B%E1%BA%A3ng%20t%E1%BB%95ng%20h%E1%BB%A3p")
    );
    std::fs::write(screenshot_dir().join("bang-tong-hop.docx"), &bytes).unwrap();
    let Some((pages, size, text)) = docx_to_pdf_text(&bytes).await else {
        return;
    };
    assert!(a4(size, true), "A4 landscape: {size:?}");
    assert_eq!(pages, 1, "one page, as printed:\n{text}");
    let place_date = divs(&html, "place-date");
    assert!(
        place_date[0].starts_with("Lạng Sơn, ngày"),
        "{place_date:?}"
    );
    for t in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM",
        "thi đua năm 2025",
        "CỤM THI ĐUA CÁC CƠ QUAN NỘI CHÍNH TỈNH",
        &place_date[0],
        "Tổng thẩm định",
        "Xếp loại",
        "Nơi nhận:",
        "- Lưu: VT.",
        "TM. CỤM THI ĐUA CÁC CƠ QUAN NỘI CHÍNH TỈNH",
        "Bảng tiêu chí: Bảng tiêu chí thử.",
    ] {
        assert!(reads(&text, t), "the .docx lacks {t:?}:\n{text}");
    }
    for name in unit_names(&app, y.id).await {
        assert!(reads(&text, &name), "the .docx lacks {name:?}:\n{text}");
    }
    // Every figure of the print view: 9,5 + 45 + 36 + 2 = 92,5 for Công an tỉnh Lạng Sơn.
    let figures = cells(&html, "num");
    assert!(figures.iter().any(|f| f == "92,5"), "{figures:?}");
    for f in figures {
        assert!(
            reads(&text, &f),
            "the .docx lacks the figure {f:?}:\n{text}"
        );
    }
    assert!(text.contains("92,5"));
    for name in divs(&html, "name") {
        assert!(reads(&text, &name), "the .docx lacks the signer {name:?}");
    }
}
