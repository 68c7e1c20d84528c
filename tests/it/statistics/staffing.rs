//! Forms 0604 and 0605 (the organisations and civil servants doing emulation work): thidua
//! counts no staff, so every figure is typed; the totals add them, women are checked against
//! the row's people, and a breakdown that does not add up is said under the form.

use std::io::Cursor;

use super::{YEAR, page_path, shown, typed_box};
use crate::browser::screenshot_dir;
use crate::harness::TestApp;

async fn stored(app: &TestApp, form: &str, row: &str, col: &str) -> i64 {
    app.scalar_i64(&format!(
        "SELECT coalesce(sum(value), -1)::bigint FROM statistics_typed
          WHERE form = '{form}' AND row_code = '{row}' AND col_code = '{col}'"
    ))
    .await
}

#[tokio::test]
async fn staff_figures_are_typed_kept_and_checked_against_their_row() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let path = page_path();
    let year = YEAR.to_string();
    let p = c.get(&path).await.body;
    // Every figure of both forms is a box to type in: none is counted.
    for name in ["v_0604_02_1", "v_0604_05_1", "v_0605_02_1", "v_0605_15_2"] {
        assert_eq!(typed_box(&p, name), "", "{name}");
    }
    assert_eq!(shown(&p, "v_0604_01_1"), "0");
    assert!(p.contains("Biểu số 0605.N/BNV-TĐKT"));

    let r = c
        .submit(
            &path,
            "/council/statistics",
            &[
                ("year", &year),
                ("scope", "all"),
                ("v_0604_02_1", "1"),
                ("v_0604_03_1", "3"),
                ("v_0605_02_1", "2"),
                ("v_0605_02_2", "1"),
                ("v_0605_04_1", "3"),
                ("v_0605_04_2", "3"),
                ("v_0605_11_1", "4"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let p = c.get(r.location()).await.body;
    assert_eq!(typed_box(&p, "v_0605_04_2"), "3");
    let cell = &p[p.find("name=\"v_0605_04_2\"").unwrap() - 200..];
    assert!(cell.contains("class=\"num typed"), "{cell}");
    assert_eq!(shown(&p, "v_0604_01_1"), "4");
    // The total is the ages' rows; the women's total theirs.
    assert_eq!(shown(&p, "v_0605_01_1"), "5");
    assert_eq!(shown(&p, "v_0605_01_2"), "4");
    // Training says 4 people of the 5: said under the form, not refused.
    assert!(
        p.contains(
            "2. Chia theo trình độ đào tạo: các dòng cộng lại ở cột 1 là 4, khác dòng “Tổng số” (5)."
        ),
        "no breakdown warning"
    );

    // More women than people in a row, and a word: both named beside their boxes, everything
    // typed kept, nothing saved (the good figure in the same post neither).
    let r = c
        .submit(
            &path,
            "/council/statistics",
            &[
                ("year", &year),
                ("scope", "all"),
                ("v_0604_02_1", "2"),
                ("v_0605_02_1", "1"),
                ("v_0605_02_2", "1"),
                ("v_0605_04_2", "5"),
                ("v_0604_05_1", "hai"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"v_0605_04_2-error\""));
    assert!(
        r.body
            .contains("Không được lớn hơn “Tổng số” của dòng này (3).")
    );
    assert!(r.body.contains("id=\"v_0604_05_1-error\""));
    assert!(
        !r.body.contains("id=\"v_0605_02_2-error\""),
        "1 of 1 is fine"
    );
    assert_eq!(typed_box(&r.body, "v_0605_04_2"), "5");
    assert_eq!(typed_box(&r.body, "v_0604_05_1"), "hai");
    assert_eq!(typed_box(&r.body, "v_0604_02_1"), "2");
    assert_eq!(stored(&app, "0604", "02", "1").await, 1);
    assert_eq!(stored(&app, "0605", "04", "2").await, 3);
    assert_eq!(stored(&app, "0605", "02", "1").await, 2);

    // The .xlsx: the same figures, typed ones named in the row's last column.
    let (status, _, xlsx) = c
        .get_bytes(&format!("/council/statistics/xlsx?year={YEAR}"))
        .await;
    assert_eq!(status, 200);
    std::fs::write(screenshot_dir().join("statistics-staff-2023.xlsx"), &xlsx).unwrap();
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    let row = |sheet: &calamine::Range<calamine::Data>, code: &str| -> Vec<String> {
        sheet
            .rows()
            .find(|r| r.get(1).map(|c| c.to_string()) == Some(code.into()))
            .unwrap_or_else(|| panic!("row {code}"))
            .iter()
            .map(|c| c.to_string())
            .collect()
    };
    let s0604 = wb.worksheet_range("Biểu 0604").unwrap();
    // Mã số, Đơn vị tính, Số lượng, Ghi chú.
    assert_eq!(row(&s0604, "03")[2..], ["Phòng", "3", "Nhập tay: cột 1"]);
    assert_eq!(row(&s0604, "01")[2..4], ["Tổ chức", "4"]);
    let s0605 = wb.worksheet_range("Biểu 0605").unwrap();
    assert_eq!(row(&s0605, "04")[2..], ["3", "3", "Nhập tay: cột 1, 2"]);
    assert_eq!(row(&s0605, "01")[2..4], ["5", "4"]);
}

#[tokio::test]
async fn a_clusters_scope_has_no_staff_forms_and_refuses_their_figures() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let cluster = app
        .scalar_i64("SELECT id FROM clusters WHERE name = 'Cụm thi đua các cơ quan Nội chính tỉnh'")
        .await;
    let scoped = format!("/council/statistics?year={YEAR}&scope=c{cluster}");
    let p = c.get(&scoped).await.body;
    assert!(p.contains("Biểu số 0603.N/BNV-TĐKT"));
    assert!(
        !p.contains("0604.N") && !p.contains("0605.N"),
        "staff forms in a cluster"
    );
    let print = c
        .get(&format!(
            "/council/statistics/print?year={YEAR}&scope=c{cluster}"
        ))
        .await
        .body;
    assert!(print.contains("Biểu số: 0603.N/BNV-TĐKT") && !print.contains("0604.N"));
    let (_, _, xlsx) = c
        .get_bytes(&format!(
            "/council/statistics/xlsx?year={YEAR}&scope=c{cluster}"
        ))
        .await;
    use calamine::{Reader, Xlsx};
    let wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).unwrap();
    assert_eq!(
        wb.sheet_names(),
        ["Biểu 0601", "Biểu 0602", "Biểu 0603"],
        "the cluster's workbook"
    );

    // A post that types a staff figure for the cluster is refused by name, nothing saved.
    let year = YEAR.to_string();
    let scope = format!("c{cluster}");
    let r = c
        .submit(
            &scoped,
            "/council/statistics",
            &[("year", &year), ("scope", &scope), ("v_0604_02_1", "1")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(
        "Không nhập tay được biểu 0604, dòng 02, cột 1: biểu này chỉ nhập cho phạm vi “Toàn bộ \
         các cụm, khối và đơn vị”."
    ));
    assert_eq!(stored(&app, "0604", "02", "1").await, -1);
}
