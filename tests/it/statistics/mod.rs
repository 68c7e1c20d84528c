//! The yearly statistical forms (issue 15, item 3) on the demo: the Lạng Sơn council's year of
//! its decided 2023 dossier. The figures are counted here again from the tables, the typed
//! cells go through the page's form, the print view through Chromium and the .xlsx through
//! calamine.

use std::io::Cursor;

mod staffing;

use crate::browser::{browser, is_a4, print_document, screenshot_dir};
use crate::harness::TestApp;

const YEAR: i32 = 2023;

fn page_path() -> String {
    format!("/council/statistics?year={YEAR}")
}

/// The figure a page shows in a computed or total cell, as text ("" when empty).
fn shown(html: &str, name: &str) -> String {
    let key = format!("data-cell=\"{name}\">");
    let start = html
        .find(&key)
        .unwrap_or_else(|| panic!("no cell {name} on the page"))
        + key.len();
    html[start..start + html[start..].find("</td>").unwrap()]
        .trim()
        .to_string()
}

/// The value in a typed cell's box.
fn typed_box(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" id=\"{name}\" value=\"");
    let start = html
        .find(&key)
        .unwrap_or_else(|| panic!("no typed box {name}"))
        + key.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// Counted straight from the tables: the Lạng Sơn tenant's awards for the year, by the words
/// of their name, level and target.
async fn awards(app: &TestApp, level: &str, target: &str, words: &str) -> i64 {
    app.scalar_i64(&format!(
        "SELECT count(*) FROM unit_awards a
           JOIN tenants te ON te.id = a.tenant_id AND te.code = 'langson'
           JOIN award_types t ON t.tenant_id = a.tenant_id AND t.id = a.award_type_id
          WHERE a.year = {YEAR} AND t.level = '{level}' AND t.target = '{target}'
            AND lower(a.award_name) LIKE '%{words}%'"
    ))
    .await
}

async fn movements(app: &TestApp, by_council: bool) -> i64 {
    let launcher = if by_council { "IS NULL" } else { "IS NOT NULL" };
    app.scalar_i64(&format!(
        "SELECT count(*) FROM movements m JOIN tenants te ON te.id = m.tenant_id
          WHERE te.code = 'langson' AND extract(year FROM m.starts_on) = {YEAR}
            AND m.launched_by_unit_id {launcher}"
    ))
    .await
}

#[tokio::test]
async fn the_forms_count_the_demo_year_from_its_awards_and_movements() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let r = c.get(&page_path()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let p = &r.body;

    let flags = awards(&app, "ministry_province", "collective", "cờ thi đua").await;
    let certificates = awards(&app, "ministry_province", "collective", "bằng khen").await;
    let government_flags = awards(&app, "government", "collective", "cờ thi đua").await;
    // The demo's decided dossier put awards in the histories: the test counts something.
    assert!(flags + certificates > 0, "the demo has awards for {YEAR}");
    assert_eq!(shown(p, "v_0603_02_4"), flags.to_string());
    assert_eq!(shown(p, "v_0603_02_2"), certificates.to_string());
    assert_eq!(shown(p, "v_0603_02_1"), (flags + certificates).to_string());
    assert_eq!(shown(p, "v_0603_01_1"), (flags + certificates).to_string());
    assert_eq!(shown(p, "v_0602_06_5"), government_flags.to_string());

    let council = movements(&app, true).await;
    let clusters = movements(&app, false).await;
    assert_eq!(shown(p, "v_0601_03_3"), council.to_string());
    assert_eq!(shown(p, "v_0601_04_4"), clusters.to_string());
    assert_eq!(shown(p, "v_0601_01_1"), (council + clusters).to_string());

    // The page says which cells are typed and that the layout is not checked against the
    // circular.
    assert!(p.contains("số liệu nhập tay"));
    assert!(p.contains("chưa đối chiếu được với văn bản gốc"));

    // Another tenant sees its own figures, and none of Lạng Sơn's clusters.
    let courts = app.login("quantri.toaan").await;
    let own = courts.get(&page_path()).await;
    assert_eq!(own.status, 200);
    assert!(!own.body.contains("Nội chính"), "no Lạng Sơn cluster");
    let cluster = app
        .scalar_i64("SELECT id FROM clusters WHERE name = 'Cụm thi đua các cơ quan Nội chính tỉnh'")
        .await;
    let foreign = courts
        .get(&format!("/council/statistics?year={YEAR}&scope=c{cluster}"))
        .await;
    assert_eq!(foreign.status, 404);
    // Scoped to the cluster, Lạng Sơn's council sees the same awards (all are its members').
    let scoped = c
        .get(&format!("/council/statistics?year={YEAR}&scope=c{cluster}"))
        .await;
    assert_eq!(scoped.status, 200);
    assert_eq!(shown(&scoped.body, "v_0603_02_4"), flags.to_string());

    // Without a year, the latest year with an award in a unit's history is the one reported.
    let latest = app
        .scalar_i64(
            "SELECT max(a.year)::bigint FROM unit_awards a
               JOIN tenants te ON te.id = a.tenant_id AND te.code = 'langson'",
        )
        .await;
    let r = c.get("/council/statistics").await;
    assert_eq!(r.status, 200);
    assert!(
        r.body
            .contains(&format!("<option value=\"{latest}\" selected>")),
        "year {latest} chosen"
    );
}

#[tokio::test]
async fn typed_figures_are_saved_shown_as_typed_and_kept_when_one_is_wrong() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let path = page_path();
    let before_total: i64 = shown(&c.get(&path).await.body, "v_0601_01_1")
        .replace('.', "")
        .parse()
        .unwrap();
    let year = YEAR.to_string();
    let r = c
        .submit(
            &path,
            "/council/statistics",
            &[
                ("year", &year),
                ("scope", "all"),
                ("v_0601_02_2", "5"),
                ("v_0603_04_5", "1.250"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = c.get(r.location()).await.body;
    assert!(p.contains("Đã lưu số liệu nhập tay"));
    assert_eq!(typed_box(&p, "v_0601_02_2"), "5");
    assert_eq!(typed_box(&p, "v_0603_04_5"), "1.250");
    // Marked as typed, with who typed it.
    let cell = &p[p.find("name=\"v_0601_02_2\"").unwrap() - 200..];
    assert!(cell.contains("class=\"num typed"), "{cell}");
    assert!(p.contains("title=\"Nhập tay: "), "who typed it");
    // Totals add the typed figure to the counted ones.
    assert_eq!(shown(&p, "v_0601_01_1"), (before_total + 5).to_string());
    assert_eq!(shown(&p, "v_0603_04_1"), "1.250");

    // A negative figure and a word: named beside their cells, everything typed kept, nothing
    // saved (the good figure beside them neither).
    let r = c
        .submit(
            &path,
            "/council/statistics",
            &[
                ("year", &year),
                ("scope", "all"),
                ("v_0601_02_2", "7"),
                ("v_0603_05_5", "-2"),
                ("v_0602_08_2", "mười"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Số liệu không được âm."));
    assert!(r.body.contains("id=\"v_0603_05_5-error\""));
    assert!(r.body.contains("id=\"v_0602_08_2-error\""));
    assert_eq!(typed_box(&r.body, "v_0601_02_2"), "7");
    assert_eq!(typed_box(&r.body, "v_0603_05_5"), "-2");
    assert_eq!(typed_box(&r.body, "v_0602_08_2"), "mười");
    let kept = app
        .scalar_i64(
            "SELECT value FROM statistics_typed WHERE form = '0601' AND row_code = '02'
                AND col_code = '2'",
        )
        .await;
    assert_eq!(kept, 5);

    // A computed cell is never typed over.
    let r = c
        .submit(
            &path,
            "/council/statistics",
            &[("year", &year), ("scope", "all"), ("v_0601_03_3", "99")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Không nhập tay được biểu 0601, dòng 03, cột 3")
    );
    let n = app
        .scalar_i64("SELECT count(*) FROM statistics_typed WHERE row_code = '03'")
        .await;
    assert_eq!(n, 0);

    // The .xlsx has the same figures and marks the typed ones.
    let (status, _, xlsx) = c
        .get_bytes(&format!("/council/statistics/xlsx?year={YEAR}"))
        .await;
    assert_eq!(status, 200);
    std::fs::write(screenshot_dir().join("statistics-2023.xlsx"), &xlsx).unwrap();
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let sheet = wb.worksheet_range("Biểu 0601").unwrap();
    let row = sheet
        .rows()
        .find(|r| r.get(1).map(|c| c.to_string()) == Some("02".into()))
        .expect("row 02");
    let cells: Vec<String> = row.iter().map(|c| c.to_string()).collect();
    assert_eq!(cells[2], "5", "{cells:?}");
    assert_eq!(cells.last().unwrap(), "Nhập tay: cột 2", "{cells:?}");
    let total = sheet
        .rows()
        .find(|r| r.get(1).map(|c| c.to_string()) == Some("01".into()))
        .unwrap();
    assert_eq!(total[2].to_string(), (before_total + 5).to_string());
    let all: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(all.iter().any(|c| c.contains("số liệu nhập tay")));

    // The other tenant does not see the typed figure.
    let courts = app.login("quantri.toaan").await;
    let theirs = courts.get(&path).await.body;
    assert_eq!(typed_box(&theirs, "v_0601_02_2"), "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_print_view_prints_each_form_on_a_landscape_a4_page() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let year = YEAR.to_string();
    let r = c
        .submit(
            &page_path(),
            "/council/statistics",
            &[
                ("year", &year),
                ("scope", "all"),
                ("v_0601_02_2", "4"),
                ("v_0604_04_1", "1"),
                ("v_0605_03_1", "6"),
                ("v_0605_03_2", "4"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let Some((b, _driver)) = browser().await else {
        return;
    };
    let p = print_document(
        &b,
        &app.base,
        "quantri.langson",
        &format!("/council/statistics/print?year={YEAR}"),
        "statistics-2023",
    )
    .await;
    assert!(is_a4(p.size_mm), "{:?}", p.size_mm);
    assert!(p.size_mm.0 > p.size_mm.1, "landscape: {:?}", p.size_mm);
    assert_eq!(p.pages, 5, "one page a form:\n{}", p.text);
    for words in [
        "Biểu số: 0601.N/BNV-TĐKT",
        "Biểu số: 0602.N/BNV-TĐKT",
        "Biểu số: 0603.N/BNV-TĐKT",
        "Biểu số: 0604.N/BNV-TĐKT",
        "Biểu số: 0605.N/BNV-TĐKT",
        "SỐ PHONG TRÀO THI ĐUA",
        "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC",
        "SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA",
        "SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA",
        "Trong đó: Nữ",
        "Đơn vị báo cáo:",
        "Đơn vị nhận báo cáo:",
        "Lạng Sơn",
        "Năm 2023",
        "Số liệu nhập tay",
        "chưa đối chiếu được",
    ] {
        assert!(p.text.contains(words), "{words} missing:\n{}", p.text);
    }
    // The typed figure carries its star on its row.
    let row = p
        .text
        .lines()
        .find(|l| l.contains("- Toàn quốc"))
        .expect("row 02 of 0601");
    let row: String = row.split_whitespace().collect();
    assert!(row.ends_with("0244*"), "{row}");
    // 0604's typed row and its total; 0605's people and women, starred, and their total.
    let row = |label: &str| -> String {
        p.text
            .lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("{label} missing:\n{}", p.text))
            .split_whitespace()
            .collect()
    };
    assert!(row("Cấp ban thuộc Sở Nội vụ").ends_with("04Ban1*"));
    assert!(row("Từ 31 đến 40").ends_with("036*4*"));
    let totals: Vec<String> = p
        .text
        .lines()
        .filter(|l| l.trim_start().starts_with("Tổng số"))
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(
        totals.contains(&"Tổngsố01Tổchức1".to_string()),
        "{totals:?}"
    );
    assert!(totals.contains(&"Tổngsố0164".to_string()), "{totals:?}");

    // The page on screen, kept beside the PDF for a person to look at.
    b.goto(&format!("{}{}", app.base, page_path()))
        .await
        .unwrap();
    let png = b.screenshot().await.unwrap();
    std::fs::write(screenshot_dir().join("statistics-2023-page.png"), png).unwrap();
}
