//! A real headless Chromium logs in through the form and sees the home page.
//!
//! Needs the Debian packages `chromium` and `chromium-driver`. Without them the test says so
//! loudly; under CI (CI=true) it fails instead, so a run without a browser never looks green.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};

use crate::harness::{DEMO_PASSWORD, TestApp};

pub struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
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
        .spawn()
        .expect("start chromedriver");
    let guard = Driver(child);
    let profile =
        std::env::temp_dir().join(format!("thidua-chromium-{}-{port}", std::process::id()));
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
