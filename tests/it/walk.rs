//! Walking the pages in a real Chromium as a person would: by the words on labels, buttons and
//! links, never by ids or CSS classes. Each dead-end test (issue 17) is written with these.
//!
//! `click` expects the click to load a new page and waits for it; `click_here` is for a control
//! that changes the current page only.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

use crate::browser::{Driver, browser, screenshot_dir};
use crate::harness::{DEMO_PASSWORD, TestApp};

pub struct Walk {
    pub b: Client,
    pub base: String,
    _driver: Driver,
}

/// An XPath string literal for any text (XPath 1.0 has no escapes).
fn lit(s: &str) -> String {
    if !s.contains('"') {
        format!("\"{s}\"")
    } else if !s.contains('\'') {
        format!("'{s}'")
    } else {
        let parts: Vec<String> = s.split('"').map(|p| format!("\"{p}\"")).collect();
        format!("concat({})", parts.join(", '\"', "))
    }
}

/// Controls a person can click whose visible words contain `text`.
fn clickable(text: &str) -> String {
    let t = lit(text);
    format!(
        "(.//button[contains(normalize-space(.), {t})] \
         | .//a[contains(normalize-space(.), {t})] \
         | .//input[(@type='submit' or @type='button') and contains(@value, {t})] \
         | .//summary[contains(normalize-space(.), {t})])"
    )
}

impl Walk {
    /// A browser on the test app, or None (said loudly) when Chromium is not installed.
    pub async fn start(app: &TestApp) -> Option<Walk> {
        let (b, driver) = browser().await?;
        Some(Walk {
            b,
            base: app.base.clone(),
            _driver: driver,
        })
    }

    pub async fn goto(&self, path: &str) {
        self.b.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    /// Logs in through the form with the demo password; ends on the home page.
    pub async fn login(&self, username: &str) {
        self.login_with(username, DEMO_PASSWORD).await
    }

    pub async fn login_with(&self, username: &str, password: &str) {
        self.goto("/login").await;
        self.fill("Tên đăng nhập", username).await;
        self.fill("Mật khẩu", password).await;
        self.click("Đăng nhập").await;
        assert_ne!(self.path().await, "/login", "login of {username} failed");
    }

    /// Logs out through the header's button.
    pub async fn logout(&self) {
        self.click("Đăng xuất").await;
    }

    pub async fn path(&self) -> String {
        self.b.current_url().await.unwrap().path().to_string()
    }

    /// The page's visible text.
    pub async fn text(&self) -> String {
        self.b
            .find(Locator::Css("body"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The page's HTML, for what text does not show (attributes, hidden inputs).
    pub async fn html(&self) -> String {
        self.b.source().await.unwrap()
    }

    pub async fn shot(&self, name: &str) {
        let png = self.b.screenshot().await.unwrap();
        std::fs::write(screenshot_dir().join(format!("{name}.png")), png).unwrap();
    }

    /// The form field a person finds by `label`: a `<label>` whose words contain it (by its
    /// `for`, or the field inside it), else a field whose aria-label or placeholder contains it.
    pub async fn field(&self, label: &str) -> Element {
        self.field_in(None, label).await
    }

    async fn field_in(&self, scope: Option<&Element>, label: &str) -> Element {
        let t = lit(label);
        let xp_label = format!(".//label[contains(normalize-space(.), {t})]");
        let xp_named = format!(
            ".//*[(self::input or self::textarea or self::select) and \
             (contains(@aria-label, {t}) or contains(@placeholder, {t}))]"
        );
        let found = match scope {
            Some(s) => s.find(Locator::XPath(&xp_label)).await,
            None => self.b.find(Locator::XPath(&xp_label)).await,
        };
        if let Ok(l) = found {
            if let Some(id) = l.attr("for").await.unwrap()
                && let Ok(f) = self.b.find(Locator::Id(&id)).await
            {
                return f;
            }
            if let Ok(f) = l
                .find(Locator::XPath(".//input|.//textarea|.//select"))
                .await
            {
                return f;
            }
        }
        let found = match scope {
            Some(s) => s.find(Locator::XPath(&xp_named)).await,
            None => self.b.find(Locator::XPath(&xp_named)).await,
        };
        found.unwrap_or_else(|_| panic!("no field labelled {label:?}"))
    }

    /// Clears the field labelled `label` and types `value`.
    pub async fn fill(&self, label: &str, value: &str) {
        let f = self.field(label).await;
        f.clear().await.unwrap();
        f.send_keys(value).await.unwrap();
    }

    /// Like `fill`, for the field labelled `label` inside the table row that contains `row`.
    pub async fn fill_in_row(&self, row: &str, label: &str, value: &str) {
        let r = self.row(row).await;
        let f = self.field_in(Some(&r), label).await;
        f.clear().await.unwrap();
        f.send_keys(value).await.unwrap();
    }

    /// The current value of the field labelled `label`.
    pub async fn value(&self, label: &str) -> String {
        let f = self.field(label).await;
        f.prop("value").await.unwrap().unwrap_or_default()
    }

    /// Picks the option whose words are `option` in the select labelled `label`.
    pub async fn choose(&self, label: &str, option: &str) {
        let f = self.field(label).await;
        f.select_by_label(option).await.unwrap();
    }

    /// Ticks (or unticks) the checkbox or radio button labelled `label`.
    pub async fn tick(&self, label: &str, on: bool) {
        let f = self.field(label).await;
        let checked = f.prop("checked").await.unwrap().as_deref() == Some("true");
        if checked != on {
            f.click().await.unwrap();
        }
    }

    /// The first table row whose text contains `text`.
    pub async fn row(&self, text: &str) -> Element {
        let xp = format!("//tr[contains(normalize-space(.), {})]", lit(text));
        self.b
            .find(Locator::XPath(&xp))
            .await
            .unwrap_or_else(|_| panic!("no table row with {text:?}"))
    }

    /// The first control (button, link, submit) with `text`, for a test to inspect.
    pub async fn control(&self, text: &str) -> Option<Element> {
        // Evaluated from the document, `.//` reaches the whole page.
        self.b.find(Locator::XPath(&clickable(text))).await.ok()
    }

    /// Whether any control with `text` is on the page.
    pub async fn has_control(&self, text: &str) -> bool {
        self.control(text).await.is_some()
    }

    /// Clicks the first control with `text` and waits for the next page to load.
    pub async fn click(&self, text: &str) {
        let c = self
            .control(text)
            .await
            .unwrap_or_else(|| panic!("no button or link {text:?}"));
        self.click_and_wait(c).await;
    }

    /// Clicks the control with `text` inside the table row that contains `row`; waits for the
    /// next page.
    pub async fn click_in_row(&self, row: &str, text: &str) {
        let r = self.row(row).await;
        let c = r
            .find(Locator::XPath(&clickable(text)))
            .await
            .unwrap_or_else(|_| panic!("no {text:?} in the row with {row:?}"));
        self.click_and_wait(c).await;
    }

    /// Clicks the control with `text` without expecting a new page.
    pub async fn click_here(&self, text: &str) {
        let c = self
            .control(text)
            .await
            .unwrap_or_else(|| panic!("no button or link {text:?}"));
        c.click().await.unwrap();
    }

    async fn click_and_wait(&self, c: Element) {
        // A mark on the old document: gone once the next one has loaded.
        self.b
            .execute("window.__walk_mark = 1; return 0;", vec![])
            .await
            .unwrap();
        c.click().await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let gone = self
                .b
                .execute(
                    "return window.__walk_mark === undefined && document.readyState === 'complete';",
                    vec![],
                )
                .await
                .map(|v| v.as_bool() == Some(true))
                .unwrap_or(false);
            if gone {
                return;
            }
            assert!(Instant::now() < deadline, "the click led to no new page");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Chooses the file at `path` in the file field labelled `label`.
    pub async fn attach(&self, label: &str, path: &std::path::Path) {
        let f = self.field(label).await;
        f.send_keys(&path.display().to_string()).await.unwrap();
    }

    /// The first group of fields (fieldset) whose legend contains `legend`.
    pub async fn group(&self, legend: &str) -> Element {
        let xp = format!(
            "//fieldset[legend[contains(normalize-space(.), {})]]",
            lit(legend)
        );
        self.b
            .find(Locator::XPath(&xp))
            .await
            .unwrap_or_else(|_| panic!("no group of fields titled {legend:?}"))
    }

    /// Like `tick`, for the checkbox or radio button labelled `label` in the group titled
    /// `legend` (a question on a ballot, where every group has the same answers).
    pub async fn tick_in(&self, legend: &str, label: &str, on: bool) {
        let g = self.group(legend).await;
        let f = self.field_in(Some(&g), label).await;
        let checked = f.prop("checked").await.unwrap().as_deref() == Some("true");
        if checked != on {
            f.click().await.unwrap();
        }
    }

    /// Whether the checkbox or radio button labelled `label` in the group titled `legend` is
    /// ticked.
    pub async fn ticked_in(&self, legend: &str, label: &str) -> bool {
        let g = self.group(legend).await;
        let f = self.field_in(Some(&g), label).await;
        f.prop("checked").await.unwrap().as_deref() == Some("true")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_finds_fields_and_buttons_by_their_words() {
    let app = TestApp::start().await;
    let Some(w) = Walk::start(&app).await else {
        return;
    };
    w.login("thutruong.hocvien").await;
    assert_eq!(w.path().await, "/");
    assert!(w.text().await.contains("Học viện Tòa án"));
    w.logout().await;
    assert!(w.path().await.starts_with("/login"));
}
