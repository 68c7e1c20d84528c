//! A real headless Chromium logs in through the form and sees the home page.
//!
//! Needs the Debian packages `chromium` and `chromium-driver`. Without them the test says so
//! loudly; under CI (CI=true) it fails instead, so a run without a browser never looks green.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};

use crate::harness::{DEMO_PASSWORD, TestApp};

/// chromedriver and every Chromium process it started; all of them end with the test.
pub struct Driver {
    child: Child,
    profile: std::path::PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // chromedriver runs in a process group of its own; Chromium's helpers may leave it, so
        // they are also found by the profile folder on their command line.
        let pgid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGKILL);
        let _ = self.child.wait();
        let needle = self.profile.to_string_lossy().to_string();
        for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
                continue;
            };
            if let Ok(cmd) = std::fs::read(e.path().join("cmdline"))
                && String::from_utf8_lossy(&cmd).contains(&needle)
            {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(pid),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn find(paths: &[&str]) -> Option<String> {
    paths
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| p.to_string())
}

/// Starts chromedriver and a browser session, or explains why not.
pub async fn browser() -> Option<(fantoccini::Client, Driver)> {
    let chromium = find(&[
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]);
    let driver = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]);
    let (Some(chromium), Some(driver)) = (chromium, driver) else {
        let msg =
            "BROWSER TESTS DID NOT RUN: install the Debian packages chromium and chromium-driver";
        if std::env::var("CI").is_ok() {
            panic!("{msg}");
        }
        eprintln!("\n!!!!!!!! {msg} !!!!!!!!\n");
        return None;
    };
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("start chromedriver");
    let profile =
        std::env::temp_dir().join(format!("thidua-chromium-{}-{port}", std::process::id()));
    let guard = Driver {
        child,
        profile: profile.clone(),
    };
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let caps: serde_json::Map<String, serde_json::Value> = caps.as_object().unwrap().clone();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(c) => return Some((c, guard)),
            Err(e) if Instant::now() > deadline => panic!("cannot start a browser session: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

pub fn screenshot_dir() -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_logs_in_through_the_form_and_sees_the_home_page() {
    let app = TestApp::start().await;
    let Some((b, _driver)) = browser().await else {
        return;
    };

    b.goto(&format!("{}/", app.base)).await.unwrap();
    // Not logged in: the login page.
    assert!(b.current_url().await.unwrap().path().starts_with("/login"));
    b.find(Locator::Css("#username"))
        .await
        .unwrap()
        .send_keys("thutruong.hocvien")
        .await
        .unwrap();
    b.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(DEMO_PASSWORD)
        .await
        .unwrap();
    b.find(Locator::Css("button[type=submit].primary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let deadline = Instant::now() + Duration::from_secs(10);
    while b.current_url().await.unwrap().path() != "/" {
        assert!(Instant::now() < deadline, "login did not lead home");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let text = b
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains("Hội đồng Thi đua - Khen thưởng Tòa án nhân dân"),
        "{text}"
    );
    assert!(text.contains("Thủ trưởng đơn vị"));
    assert!(text.contains("Học viện Tòa án"));
    let png = b.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join("home-unit-head.png"), png).unwrap();

    // Log out through the button; the home page is closed again.
    b.find(Locator::Css("header form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !b.current_url().await.unwrap().path().starts_with("/login") {
        assert!(
            Instant::now() < deadline,
            "logout did not lead to the login page"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let png = b.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join("login.png"), png).unwrap();
    b.close().await.unwrap();
}

/// Chrome's own "print to PDF" through chromedriver, honouring the page's CSS @page size, as a
/// person printing from the browser would get.
#[derive(Debug)]
struct PrintToPdf;

impl fantoccini::wd::WebDriverCompatibleCommand for PrintToPdf {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({
            "cmd": "Page.printToPDF",
            "params": { "preferCSSPageSize": true, "printBackground": true, "displayHeaderFooter": false }
        });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// A printed document as a person sees it: its pages, their size, and its text.
pub struct Printed {
    pub pages: usize,
    /// Width × height in millimetres of the first page.
    pub size_mm: (f64, f64),
    pub text: String,
}

/// Logs in through the form, opens `path`, prints it to PDF, saves the PDF and a PNG of its
/// first page under target/screenshots/, and reads it back with poppler's tools.
pub async fn print_document(
    b: &fantoccini::Client,
    base: &str,
    username: &str,
    path: &str,
    name: &str,
) -> Printed {
    b.goto(&format!("{base}/login")).await.unwrap();
    if b.find(Locator::Css("#username")).await.is_ok() {
        b.find(Locator::Css("#username"))
            .await
            .unwrap()
            .send_keys(username)
            .await
            .unwrap();
        b.find(Locator::Css("#password"))
            .await
            .unwrap()
            .send_keys(DEMO_PASSWORD)
            .await
            .unwrap();
        b.find(Locator::Css("button[type=submit].primary"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while b.current_url().await.unwrap().path() == "/login" {
            assert!(Instant::now() < deadline, "login failed");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    b.goto(&format!("{base}{path}")).await.unwrap();
    let json = b.issue_cmd(PrintToPdf).await.expect("print to PDF");
    let data = json["data"].as_str().expect("PDF data");
    use base64::Engine;
    let pdf = base64::engine::general_purpose::STANDARD
        .decode(data)
        .expect("base64");
    let dir = screenshot_dir();
    let pdf_path = dir.join(format!("{name}.pdf"));
    std::fs::write(&pdf_path, &pdf).unwrap();
    let (pages, (w, h)) = pdf_pages(&pdf_path);
    let size = (w * 25.4 / 72.0, h * 25.4 / 72.0);
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf_path)
        .arg("-")
        .output()
        .expect("pdftotext");
    let _ = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf_path)
        .arg(dir.join(name))
        .status();
    Printed {
        pages,
        size_mm: size,
        text: String::from_utf8_lossy(&text.stdout).to_string(),
    }
}

/// A PDF's page count and its first page's size in points, as poppler's `pdfinfo` reads them.
pub fn pdf_pages(pdf: &std::path::Path) -> (usize, (f64, f64)) {
    let info = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    // "Page size:      595.92 x 842.88 pts (A4)"
    let size = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .map(|v| {
            let n: Vec<f64> = v
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (n[0], n[1])
        })
        .unwrap_or((0.0, 0.0));
    (pages, size)
}

/// A4 within a millimetre, either way round.
pub fn is_a4(size: (f64, f64)) -> bool {
    let (w, h) = size;
    let close = |a: f64, b: f64| (a - b).abs() < 1.5;
    (close(w, 210.0) && close(h, 297.0)) || (close(w, 297.0) && close(h, 210.0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_score_summary_prints_on_one_a4_landscape_page_in_the_official_layout() {
    let app = TestApp::start().await;
    let y = crate::scoring::finalised_year(&app).await;
    let Some((b, _driver)) = browser().await else {
        return;
    };
    let p = print_document(
        &b,
        &app.base,
        "canbo.thads-ls",
        &format!("/years/{}/scoring/print", y.id),
        "bang-tong-hop",
    )
    .await;
    assert!(is_a4(p.size_mm), "A4: {:?}", p.size_mm);
    assert!(p.size_mm.0 > p.size_mm.1, "landscape");
    assert_eq!(p.pages, 1);
    for text in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM",
        "CỤM THI ĐUA CÁC CƠ QUAN NỘI CHÍNH TỈNH",
        "Công an tỉnh Lạng Sơn",
        "Viện kiểm sát nhân dân tỉnh Lạng Sơn",
        "92,5",
        "Nơi nhận:",
    ] {
        assert!(
            p.text.contains(text),
            "printed text lacks {text:?}:\n{}",
            p.text
        );
    }
    // Nothing of the app's chrome is printed.
    assert!(!p.text.contains("Quay lại"));
    assert!(!p.text.contains("Đăng xuất"));
    // The pages behind it, as the leader sees them.
    for (path, name) in [
        (format!("/years/{}/scoring", y.id), "dashboard"),
        (format!("/years/{}/sheets/{}", y.id, y.ca), "sheet-verified"),
    ] {
        b.goto(&format!("{}{path}", app.base)).await.unwrap();
        let text = b
            .find(Locator::Css("main"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(text.contains("92,5"), "{name}: {text}");
        std::fs::write(
            screenshot_dir().join(format!("{name}.png")),
            b.screenshot().await.unwrap(),
        )
        .unwrap();
    }
    b.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pledge_and_the_registration_summary_print_on_a4_in_the_official_layout() {
    let app = TestApp::start().await;
    let year: i64 = sqlx::query_scalar(
        "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
          WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.year = 2024",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    let Some((b, _driver)) = browser().await else {
        return;
    };
    let p = print_document(
        &b,
        &app.base,
        "thutruong.thads-ls",
        &format!("/years/{year}/pledge/print"),
        "giao-uoc",
    )
    .await;
    assert!(
        is_a4(p.size_mm) && p.size_mm.0 < p.size_mm.1,
        "A4 portrait: {:?}",
        p.size_mm
    );
    assert!(p.pages >= 1 && p.pages <= 3, "pages: {}", p.pages);
    for text in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIAO ƯỚC THI ĐUA",
        "Lạng Sơn, ngày",
        // A signature block for every member: "TM." and its name in capitals (long names
        // wrap).
        "TM. TÒA ÁN NHÂN DÂN TỈNH",
        "TM. CỤC THI HÀNH ÁN DÂN SỰ",
        "TM. CÔNG AN TỈNH LẠNG SƠN",
        "TM. VIỆN KIỂM SÁT NHÂN DÂN",
        "TM. BỘ CHỈ HUY QUÂN SỰ TỈNH",
        "TM. BỘ CHỈ HUY BỘ ĐỘI BIÊN",
        "TM. TIỂU ĐOÀN CẢNH SÁT CƠ",
    ] {
        assert!(
            p.text.contains(text),
            "printed pledge lacks {text:?}:\n{}",
            p.text
        );
    }
    // One signature block per member, under its head's title (the demo gives three units theirs).
    let titles = [
        "THỦ TRƯỞNG ĐƠN VỊ",
        "CHÁNH ÁN",
        "CHỈ HUY TRƯỞNG",
        "TIỂU ĐOÀN TRƯỞNG",
    ];
    assert_eq!(
        titles
            .iter()
            .map(|t| p.text.matches(t).count())
            .sum::<usize>(),
        7,
        "one signature block per member:\n{}",
        p.text
    );
    assert!(!p.text.contains("Đăng xuất"));
    let p = print_document(
        &b,
        &app.base,
        "thutruong.thads-ls",
        &format!("/years/{year}/registrations/print"),
        "dang-ky-tong-hop",
    )
    .await;
    assert!(is_a4(p.size_mm), "A4: {:?}", p.size_mm);
    assert!(p.text.contains("Độc lập - Tự do - Hạnh phúc"));
    assert!(p.text.contains("Công an tỉnh Lạng Sơn"));
    b.close().await.unwrap();
}
