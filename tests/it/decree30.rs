//! The printed documents measured against Decree 30/2020/NĐ-CP, Appendix I, to the millimetre:
//! Chromium prints each print view to PDF, LibreOffice converts each .docx to PDF, and both
//! PDFs are measured the same way.
//!
//! How: `pdftotext -bbox` gives every word's box (margins, lines, the baseline of "Số:" and
//! of the date, paragraph spacing, what stands on each page). Rules have no word box, so they
//! are measured on the page itself: `pdftoppm -gray` renders the page at 144 dpi and the
//! longest run of dark pixels in the band under a line of text is its rule.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::browser::{browser, print_document, screenshot_dir};
use crate::harness::TestApp;
use crate::office::docx_to_pdf;

const MM: f64 = 72.0 / 25.4;

#[derive(Debug, Clone)]
pub struct Word {
    pub page: usize,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub text: String,
}

impl Word {
    fn height(&self) -> f64 {
        self.y1 - self.y0
    }
}

fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let at = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
    tag[at..].split('"').next().unwrap().parse().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

/// A PDF's pages (width, height in points) and every word on them.
pub struct Pdf {
    path: PathBuf,
    pub pages: Vec<(f64, f64)>,
    pub words: Vec<Word>,
}

impl Pdf {
    pub fn read(path: &Path) -> Pdf {
        let out = Command::new("pdftotext")
            .arg("-bbox")
            .arg(path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)");
        let html = String::from_utf8_lossy(&out.stdout).to_string();
        let mut pages = Vec::new();
        let mut words = Vec::new();
        for chunk in html.split("<page ").skip(1) {
            let tag = chunk.split('>').next().unwrap();
            pages.push((attr(tag, "width"), attr(tag, "height")));
            for w in chunk.split("<word ").skip(1) {
                let (tag, rest) = w.split_once('>').unwrap();
                let text = rest.split("</word>").next().unwrap();
                words.push(Word {
                    page: pages.len(),
                    x0: attr(tag, "xMin"),
                    y0: attr(tag, "yMin"),
                    x1: attr(tag, "xMax"),
                    y1: attr(tag, "yMax"),
                    text: unescape(text),
                });
            }
        }
        Pdf {
            path: path.to_path_buf(),
            pages,
            words,
        }
    }

    /// The words of the page's text, leaving out the page number in the top margin.
    fn body(&self, page: usize) -> Vec<&Word> {
        self.words
            .iter()
            .filter(|w| w.page == page && !(page > 1 && w.y1 < 20.0 * MM))
            .collect()
    }

    /// The page's lines: words whose boxes share a row, left to right, top to bottom.
    fn lines(&self, page: usize) -> Vec<Vec<&Word>> {
        let mut words = self.body(page);
        words.sort_by(|a, b| a.y1.total_cmp(&b.y1).then(a.x0.total_cmp(&b.x0)));
        let mut lines: Vec<Vec<&Word>> = Vec::new();
        for w in words {
            match lines
                .iter_mut()
                .find(|l| (l[0].y1 - w.y1).abs() < 2.0 && (l[0].y0 - w.y0).abs() < 4.0)
            {
                Some(l) => l.push(w),
                None => lines.push(vec![w]),
            }
        }
        for l in &mut lines {
            l.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        }
        lines.sort_by(|a, b| a[0].y1.total_cmp(&b[0].y1));
        lines
    }

    /// The first line on `page` whose text contains `needle`, with its box.
    pub fn line_with(&self, page: usize, needle: &str) -> Option<Line> {
        self.lines(page).into_iter().find_map(|l| {
            let text = l
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            let at = text.find(needle)?;
            // Only the words of the needle: a line may hold two columns.
            let before = text[..at].split_whitespace().count();
            let n = needle.split_whitespace().count();
            let ws = &l[before..before + n];
            Some(Line {
                x0: ws.iter().map(|w| w.x0).fold(f64::MAX, f64::min),
                x1: ws.iter().map(|w| w.x1).fold(f64::MIN, f64::max),
                y0: ws.iter().map(|w| w.y0).fold(f64::MAX, f64::min),
                y1: ws.iter().map(|w| w.y1).fold(f64::MIN, f64::max),
            })
        })
    }

    /// The page's grey levels at 144 dpi: (width, height, pixels, pixels per point).
    fn raster(&self, page: usize) -> (usize, usize, Vec<u8>, f64) {
        let prefix = self.path.with_extension(format!("p{page}"));
        let ok = Command::new("pdftoppm")
            .args(["-gray", "-r", "144", "-singlefile"])
            .args(["-f", &page.to_string(), "-l", &page.to_string()])
            .arg(&self.path)
            .arg(&prefix)
            .status()
            .expect("pdftoppm (poppler-utils)");
        assert!(ok.success());
        let pgm = std::fs::read(prefix.with_extension(format!("p{page}.pgm"))).unwrap();
        // "P5\n<w> <h>\n255\n" and the grey bytes.
        let mut fields = Vec::new();
        let mut at = 0;
        while fields.len() < 4 {
            while pgm[at].is_ascii_whitespace() {
                at += 1;
            }
            let start = at;
            while !pgm[at].is_ascii_whitespace() {
                at += 1;
            }
            fields.push(String::from_utf8_lossy(&pgm[start..at]).to_string());
        }
        let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
        (w, h, pgm[at + 1..].to_vec(), 144.0 / 72.0)
    }

    /// The longest horizontal dark run (a rule) between `top` and `bottom` (points), as
    /// (start, end) in points.
    fn rule_between(&self, page: usize, top: f64, bottom: f64) -> Option<(f64, f64)> {
        let (w, h, px, k) = self.raster(page);
        let mut best: Option<(usize, usize)> = None;
        let rows = ((top * k) as usize).min(h)..((bottom * k) as usize).min(h);
        for y in rows {
            let row = &px[y * w..(y + 1) * w];
            let mut x = 0;
            while x < w {
                if row[x] < 160 {
                    let s = x;
                    while x < w && row[x] < 160 {
                        x += 1;
                    }
                    if best.is_none_or(|(a, b)| x - s > b - a) {
                        best = Some((s, x));
                    }
                }
                x += 1;
            }
        }
        best.map(|(a, b)| (a as f64 / k, b as f64 / k))
            // Text strokes are short; a rule is several millimetres long.
            .filter(|(a, b)| b - a > 5.0 * MM)
    }

    /// The leftmost and rightmost dark pixel of the page (points): table rules included.
    fn ink_sides(&self, page: usize) -> (f64, f64) {
        let (w, h, px, k) = self.raster(page);
        // Below the top margin: the page number stands in it.
        let first = (18.0 * MM * k) as usize;
        let (mut left, mut right) = (w, 0);
        for y in first..h {
            for x in 0..w {
                if px[y * w + x] < 160 {
                    left = left.min(x);
                    right = right.max(x);
                }
            }
        }
        (left as f64 / k, (right + 1) as f64 / k)
    }
}

pub struct Line {
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
}

/// What one document is checked for.
struct Expect {
    name: &'static str,
    landscape: bool,
    /// The subject (trích yếu) line, when the document has one.
    subject: Option<&'static str>,
    /// The first title of the (first) signature block.
    signature: &'static str,
    /// Whether the body has paragraphs (first-line indents) to measure the spacing of.
    paragraphs: bool,
}

fn mm(pt: f64) -> f64 {
    pt / MM
}

/// Every measure of the Decree on one PDF; `what` names it in messages.
fn check(what: &str, e: &Expect, pdf: &Pdf) -> Vec<String> {
    let mut bad = Vec::new();
    let n = pdf.pages.len();
    assert!(n >= 1, "{what}: no page");
    let (pw, ph) = pdf.pages[0];
    assert_eq!(pw > ph, e.landscape, "{what}: orientation {pw}×{ph}");
    // Margins: left 30-35 mm, right 15-20 mm, top 20-25 mm, bottom at least 20 mm; the same on
    // landscape pages.
    let words = |p| pdf.body(p);
    let left = (1..=n)
        .flat_map(words)
        .map(|w| w.x0)
        .fold(f64::MAX, f64::min);
    if !(29.5..=35.5).contains(&mm(left)) {
        bad.push(format!("left margin of the text {:.1} mm", mm(left)));
    }
    let (ink_left, ink_right) = (1..=n)
        .map(|p| pdf.ink_sides(p))
        .fold((f64::MAX, 0.0f64), |(l, r), (a, b)| (l.min(a), r.max(b)));
    if !(29.5..=35.5).contains(&mm(ink_left)) {
        bad.push(format!("left margin of the ink {:.1} mm", mm(ink_left)));
    }
    let right = mm(pw - ink_right);
    if !(14.5..=20.5).contains(&right) {
        bad.push(format!("right margin {right:.1} mm"));
    }
    let top = pdf.body(1).iter().map(|w| w.y0).fold(f64::MAX, f64::min);
    if !(19.5..=25.5).contains(&mm(top)) {
        bad.push(format!("top margin {:.1} mm", mm(top)));
    }
    for p in 1..=n {
        let bottom = pdf.body(p).iter().map(|w| w.y1).fold(0.0, f64::max);
        if mm(ph - bottom) < 19.5 {
            bad.push(format!("page {p}: bottom margin {:.1} mm", mm(ph - bottom)));
        }
        // Page numbers: none on page 1, a number in the top margin on the others.
        let numbers: Vec<&Word> = pdf
            .words
            .iter()
            .filter(|w| w.page == p && w.y1 < 20.0 * MM)
            .collect();
        if p == 1 && !numbers.is_empty() {
            bad.push("a page number on page 1".into());
        }
        if p > 1 && !numbers.iter().any(|w| w.text == p.to_string()) {
            bad.push(format!("page {p}: no page number at the top"));
        }
    }
    // The motto's rule as long as the motto.
    match pdf.line_with(1, "Độc lập - Tự do - Hạnh phúc") {
        Some(m) => match pdf.rule_between(1, m.y1, m.y1 + 4.0 * MM) {
            Some((a, b)) if (mm(b - a) - mm(m.x1 - m.x0)).abs() <= 1.5 => {}
            r => bad.push(format!(
                "motto {:.1} mm, its rule {:?} mm",
                mm(m.x1 - m.x0),
                r.map(|(a, b)| mm(b - a))
            )),
        },
        None => bad.push("no motto".into()),
    }
    // The subject's rule: centred, 1/3 to 1/2 of the subject's line.
    if let Some(subject) = e.subject {
        match pdf.line_with(1, subject) {
            Some(s) => match pdf.rule_between(1, s.y1, s.y1 + 5.0 * MM) {
                Some((a, b)) => {
                    let share = (b - a) / (s.x1 - s.x0);
                    let off = mm(((a + b) - (s.x0 + s.x1)) / 2.0).abs();
                    if !(0.32..=0.51).contains(&share) || off > 1.5 {
                        bad.push(format!(
                            "subject's rule {:.1} mm = {share:.2} of the line, {off:.1} mm off centre",
                            mm(b - a)
                        ));
                    }
                }
                None => bad.push("no rule under the subject".into()),
            },
            None => bad.push(format!("no subject {subject:?}")),
        }
    }
    // "Số:" and the place-date line on one baseline (the bottoms of their boxes, same font).
    let so = pdf.words.iter().find(|w| w.page == 1 && w.text == "Số:");
    // The header's date: the topmost "ngày" in the right column.
    let date = pdf
        .words
        .iter()
        .filter(|w| w.page == 1 && w.text == "ngày" && w.x0 > pw * 0.45)
        .min_by(|a, b| a.y1.total_cmp(&b.y1));
    match (so, date) {
        (Some(s), Some(d)) if (s.y1 - d.y1).abs() <= 1.0 => {}
        (s, d) => bad.push(format!(
            "\"Số:\" at {:?}, the date at {:?} (bottoms, pt)",
            s.map(|w| w.y1),
            d.map(|w| w.y1)
        )),
    }
    // And at one size: a box's height follows its font size (13 pt against 13.5 pt differs by
    // about 0.6 pt).
    if let (Some(s), Some(d)) = (so, date) {
        let (hs, hd) = (s.y1 - s.y0, d.y1 - d.y0);
        if (hs - hd).abs() > 0.25 {
            bad.push(format!(
                "\"Số:\" {hs:.2} pt high, the date {hd:.2} pt: not one size"
            ));
        }
    }
    // Where the (first) signature block is: body text is what stands before it.
    let sig = (1..=n).find_map(|p| pdf.line_with(p, e.signature).map(|l| (p, l)));
    let before_signature = |p: usize, y: f64| match &sig {
        Some((sp, l)) => p < *sp || (p == *sp && y < l.y0),
        None => true,
    };
    // Paragraph spacing of at least 6 pt: a paragraph's first line (indented) lies one line
    // pitch plus the spacing below the line before it.
    if e.paragraphs {
        // Body text is the commonest size: its words' box height, to half a point.
        let mut heights = std::collections::HashMap::new();
        for w in &pdf.words {
            *heights
                .entry((w.height() * 2.0).round() as i64)
                .or_insert(0) += 1;
        }
        let body_height = heights
            .iter()
            .max_by_key(|(_, n)| **n)
            .map(|(h, _)| *h as f64 / 2.0);
        let body_height = body_height.unwrap_or_default();
        let mut pitch = f64::MAX;
        let mut gaps = Vec::new();
        for p in 1..=n {
            let lines = pdf.lines(p);
            let body: Vec<&Vec<&Word>> = lines
                .iter()
                .filter(|l| (l[0].height() - body_height).abs() < 0.6)
                .filter(|l| before_signature(p, l[0].y1))
                .collect();
            for pair in body.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let d = b[0].y1 - a[0].y1;
                let start = mm(b[0].x0 - left);
                if start.abs() < 0.5 && d < 2.0 * b[0].height() {
                    // A paragraph's second line: one pitch.
                    pitch = pitch.min(d);
                } else if (start - 10.0).abs() < 0.8 && d < 3.0 * b[0].height() {
                    gaps.push((d, b[0].text.clone()));
                }
            }
        }
        if gaps.is_empty() || pitch == f64::MAX {
            bad.push(format!("no paragraphs to measure (pitch {pitch})"));
        }
        for (d, at) in gaps {
            if d - pitch < 5.8 {
                bad.push(format!(
                    "{:.1} pt before the paragraph at {at:?} (line pitch {pitch:.1} pt)",
                    d - pitch
                ));
            }
        }
    }
    // No signature block alone on a page: text stands above it on its page.
    match sig {
        Some((p, l)) => {
            let above = pdf.body(p).iter().any(|w| w.y1 < l.y0 - 1.0);
            if !above {
                bad.push(format!("the signature block stands alone on page {p}"));
            }
        }
        None => bad.push(format!("no signature {:?}", e.signature)),
    }
    bad
}

fn report(what: &str, failures: Vec<(String, Vec<String>)>) {
    let bad: Vec<String> = failures
        .into_iter()
        .filter(|(_, b)| !b.is_empty())
        .map(|(n, b)| format!("{n}: {}", b.join("; ")))
        .collect();
    assert!(bad.is_empty(), "{what}:\n{}", bad.join("\n"));
}

/// The documents measured: the dossier's four (Cụm VI 2019), the pledge (Lạng Sơn 2024) and
/// the landscape score summary; (who prints it, print path, .docx path, expectations).
async fn documents(app: &TestApp) -> Vec<(&'static str, String, String, Expect)> {
    let p = app
        .scalar_i64(
            "SELECT p.id FROM proposals p JOIN cluster_years y ON y.id = p.cluster_year_id
               JOIN clusters c ON c.id = y.cluster_id
              WHERE c.name = 'Cụm thi đua số VI' AND y.year = 2019",
        )
        .await;
    let tccb = app
        .scalar_i64("SELECT id FROM units WHERE code = 'tccb'")
        .await;
    let pledge = app
        .scalar_i64(
            "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
              WHERE c.name = 'Cụm thi đua các cơ quan Nội chính tỉnh' AND y.year = 2024",
        )
        .await;
    let summary = crate::scoring::finalised_year(app).await.id;
    let decision = app
        .scalar_i64("SELECT id FROM decisions WHERE number = '156/QĐ-UBND'")
        .await;
    let dossier = |doc: &str| {
        (
            format!("/proposals/{p}/print/{doc}"),
            format!("/proposals/{p}/docx/{doc}"),
        )
    };
    let mut out = Vec::new();
    let mut add = |who, (print, docx): (String, String), e| out.push((who, print, docx, e));
    add(
        "quantri.toaan",
        dossier("to-trinh"),
        Expect {
            name: "to-trinh",
            landscape: false,
            subject: Some("Về việc đề nghị khen thưởng năm 2019"),
            signature: "TM. CỤM THI ĐUA SỐ VI",
            paragraphs: true,
        },
    );
    add(
        "quantri.toaan",
        dossier("bien-ban"),
        Expect {
            name: "bien-ban",
            landscape: false,
            subject: Some("Họp bình xét thi đua năm 2019 của Cụm thi đua số VI"),
            signature: "THƯ KÝ",
            paragraphs: true,
        },
    );
    add(
        "quantri.toaan",
        dossier("danh-sach"),
        Expect {
            name: "danh-sach",
            landscape: false,
            subject: None,
            signature: "TM. CỤM THI ĐUA SỐ VI",
            paragraphs: false,
        },
    );
    add(
        "quantri.toaan",
        (
            format!("/proposals/{p}/reports/{tccb}/print"),
            format!("/proposals/{p}/reports/{tccb}/docx"),
        ),
        Expect {
            name: "bao-cao-thanh-tich",
            landscape: false,
            subject: None,
            signature: "VỤ TRƯỞNG",
            paragraphs: true,
        },
    );
    add(
        "thutruong.thads-ls",
        (
            format!("/years/{pledge}/pledge/print"),
            format!("/years/{pledge}/pledge/print.docx"),
        ),
        Expect {
            name: "giao-uoc",
            landscape: false,
            subject: Some("Năm 2024"),
            signature: "TM. BỘ",
            paragraphs: true,
        },
    );
    add(
        "canbo.thads-ls",
        (
            format!("/years/{summary}/scoring/print"),
            format!("/years/{summary}/scoring/print.docx"),
        ),
        Expect {
            name: "bang-tong-hop",
            landscape: true,
            subject: Some("thi đua năm 2025"),
            signature: "TM. CỤM THI ĐUA",
            paragraphs: false,
        },
    );
    // The council's decision with its annexed list on a page of its own (decisions.rs).
    add(
        "quantri.langson",
        (
            format!("/council/decisions/{decision}/print"),
            format!("/council/decisions/{decision}/docx"),
        ),
        Expect {
            name: "quyet-dinh",
            landscape: false,
            subject: Some("Về việc khen thưởng các tập thể năm 2023"),
            // "CHỦ TỊCH" also opens the line of who decides: the signature's row is found by
            // "Nơi nhận:" beside it.
            signature: "Nơi nhận:",
            paragraphs: true,
        },
    );
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn browser_printed_documents_keep_the_decree_30_layout_to_the_millimetre() {
    let app = TestApp::start().await;
    let docs = documents(&app).await;
    let Some((b, _driver)) = browser().await else {
        return;
    };
    let mut results = Vec::new();
    for (who, print, _, e) in &docs {
        let name = format!("decree30-{}", e.name);
        print_document(&b, &app.base, who, print, &name).await;
        let pdf = Pdf::read(&screenshot_dir().join(format!("{name}.pdf")));
        results.push((
            e.name.to_string(),
            check(&format!("printed {}", e.name), e, &pdf),
        ));
        // A fresh login for the next user.
        b.delete_all_cookies().await.unwrap();
    }
    b.close().await.unwrap();
    report("printed by Chromium", results);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn office_docx_documents_keep_the_decree_30_layout_to_the_millimetre() {
    let app = TestApp::start().await;
    let docs = documents(&app).await;
    let mut results = Vec::new();
    for (who, _, docx, e) in &docs {
        let c = app.login(who).await;
        let (status, _, bytes) = c.get_bytes(docx).await;
        assert_eq!(status, 200, "{docx}");
        let path = screenshot_dir().join(format!("decree30-{}-docx.pdf", e.name));
        if !docx_to_pdf(&bytes, &path).await {
            return;
        }
        let pdf = Pdf::read(&path);
        results.push((
            e.name.to_string(),
            check(&format!("docx {}", e.name), e, &pdf),
        ));
    }
    report("converted by LibreOffice", results);
}

/// Item 5: the line above the issuer is the issuer's own managing agency, set on the cluster's
/// (and the unit's) page; empty prints no line; never the council the document goes to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_managing_agency_is_set_per_cluster_and_unit_and_printed_above_the_issuer() {
    let app = TestApp::start().await;
    let cluster = app
        .scalar_i64("SELECT id FROM clusters WHERE name = 'Cụm thi đua các cơ quan Nội chính tỉnh'")
        .await;
    let year = app
        .scalar_i64(&format!(
            "SELECT id FROM cluster_years WHERE cluster_id = {cluster} AND year = 2024"
        ))
        .await;
    let thads = app
        .scalar_i64("SELECT id FROM units WHERE code = 'thads-ls'")
        .await;
    let head = app.login("thutruong.thads-ls").await;
    let pledge = format!("/years/{year}/pledge/print");
    let superior = |html: &str| {
        html.split("<div class=\"superior\">")
            .nth(1)
            .map(|s| s.split("</div>").next().unwrap().to_string())
    };
    // The demo's value, from the cluster: the province, not the council.
    let html = head.get(&pledge).await.body;
    assert_eq!(superior(&html).as_deref(), Some("UBND TỈNH LẠNG SƠN"));
    assert!(!html.contains("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG TỈNH"));
    // The unit's registration: the unit's own agency.
    let reg = head
        .get(&format!("/years/{year}/registrations/{thads}/print"))
        .await
        .body;
    assert_eq!(
        superior(&reg).as_deref(),
        Some("TỔNG CỤC THI HÀNH ÁN DÂN SỰ")
    );

    let admin = app.login("quantri.langson").await;
    let edit = format!("/clusters/{cluster}/edit");
    let form = admin.get(&edit).await.body;
    assert!(
        form.contains("<label for=\"superior\">Cơ quan chủ quản (dòng trên tên cụm trong văn bản)")
    );
    let name = "Cụm thi đua các cơ quan Nội chính tỉnh";
    // Too long: a message beside the field, what was typed kept.
    let long = "Ủy ban ".repeat(50);
    let r = admin
        .submit(
            &edit,
            &edit,
            &[("name", name), ("kind", "cum"), ("superior", &long)],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"superior-error\""), "{}", r.body);
    assert!(r.body.contains(long.trim()));
    // Emptied: no line at all, not a wrong one.
    let r = admin
        .submit(
            &edit,
            &edit,
            &[("name", name), ("kind", "cum"), ("superior", "")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let html = head.get(&pledge).await.body;
    assert_eq!(superior(&html), None, "no managing agency line");
    // Set again, on the cluster's page.
    let r = admin
        .submit(
            &edit,
            &edit,
            &[
                ("name", name),
                ("kind", "cum"),
                ("superior", "Ủy ban nhân dân tỉnh Lạng Sơn"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        admin
            .get(&format!("/clusters/{cluster}"))
            .await
            .body
            .contains("Ủy ban nhân dân tỉnh Lạng Sơn")
    );
    let html = head.get(&pledge).await.body;
    assert_eq!(
        superior(&html).as_deref(),
        Some("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN")
    );
    // The unit form has its field too.
    let form = admin.get(&format!("/units/{thads}/edit")).await.body;
    assert!(
        form.contains(
            "<label for=\"superior\">Cơ quan chủ quản (dòng trên tên đơn vị trong văn bản)"
        )
    );
    assert!(form.contains("value=\"Tổng cục Thi hành án dân sự\""));
}

/// Item 8: a year without a pledge prints none dated today; it says there is none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_without_a_pledge_answers_that_there_is_none() {
    let app = TestApp::start().await;
    let year = app
        .scalar_i64(
            "SELECT y.id FROM cluster_years y JOIN clusters c ON c.id = y.cluster_id
              WHERE c.name = 'Cụm thi đua số II' AND y.year = 2023",
        )
        .await;
    let sql = format!(
        "DELETE FROM pledge_signature_scans WHERE cluster_year_id = {year};
         DELETE FROM pledge_signatures WHERE cluster_year_id = {year};
         DELETE FROM pledge_items WHERE cluster_year_id = {year};
         DELETE FROM pledges WHERE cluster_year_id = {year};"
    );
    sqlx::raw_sql(&sql).execute(&app.owner).await.unwrap();
    let c = app.login("quantri.toaan").await;
    for path in [
        format!("/years/{year}/pledge/print"),
        format!("/years/{year}/pledge/print.docx"),
    ] {
        let r = c.get(&path).await;
        assert_eq!(r.status, 404, "{path}");
        assert!(
            r.body
                .contains("Cụm thi đua số II năm 2023 chưa có giao ước thi đua"),
            "{path}: {}",
            r.body
        );
        assert!(!r.body.contains("GIAO ƯỚC THI ĐUA</h1>"), "{path}");
    }
}

/// Item 6: a dossier is not sent without its signer's name; the message stands by the button.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dossier_is_not_sent_without_the_signers_name() {
    let app = TestApp::start().await;
    let p = app
        .scalar_i64(
            "SELECT p.id FROM proposals p JOIN cluster_years y ON y.id = p.cluster_year_id
               JOIN clusters c ON c.id = y.cluster_id
              WHERE c.name = 'Cụm thi đua số VI' AND y.year = 2019",
        )
        .await;
    // The council returned it; the leader unit's head has no name on record.
    let sql = format!(
        "UPDATE proposals SET state = 'returned', return_reason = 'Bổ sung' WHERE id = {p};
         UPDATE units SET head_name = '' WHERE code = 'khtc';"
    );
    sqlx::raw_sql(&sql).execute(&app.owner).await.unwrap();
    let head = app.login("thutruong.khtc").await;
    let page = format!("/proposals/{p}");
    let r = head.submit(&page, &format!("{page}/send"), &[]).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let form = r.body.split("/send\"").nth(1).expect("the send form");
    let form = form.split("</form>").next().unwrap();
    assert!(
        form.contains("Chưa có họ tên người ký tờ trình"),
        "beside the send button: {form}"
    );
    let state: String = sqlx::query_scalar(&format!("SELECT state FROM proposals WHERE id = {p}"))
        .fetch_one(&app.owner)
        .await
        .unwrap();
    assert_eq!(state, "returned", "not sent");
    // With the name, it goes.
    sqlx::query("UPDATE units SET head_name = 'Nguyễn Văn Bình' WHERE code = 'khtc'")
        .execute(&app.owner)
        .await
        .unwrap();
    let r = head.submit(&page, &format!("{page}/send"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
}
