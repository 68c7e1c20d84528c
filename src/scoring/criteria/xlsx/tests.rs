use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;

use crate::scoring::model::SectionKind;

use super::*;

/// A workbook made by hand, as a user would: sheets and rows of text.
fn book(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut b = Workbook::new();
    for (name, rows) in sheets {
        let ws = b.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, *v).unwrap();
                }
            }
        }
    }
    b.save_to_buffer().unwrap()
}

#[test]
fn what_is_written_reads_back_the_same() {
    let d = example();
    let back = read(&write(&d).unwrap()).unwrap();
    assert_eq!(back, d);
    let mut odd = d.clone();
    odd.sections[0].criteria[0].max_points = "2.25".parse().unwrap();
    odd.sections[0].criteria[0].step = "0.25".parse().unwrap();
    odd.sections[1].criteria[0].code = "2".into();
    odd.description = String::new();
    odd.tie_break_codes.clear();
    odd.bands[1].min_percent = "87.5".parse().unwrap();
    assert_eq!(read(&write(&odd).unwrap()).unwrap(), odd);
}

#[test]
fn a_hand_made_file_with_a_title_row_and_its_own_column_order_is_read() {
    let bytes = book(&[(
        "Bảng chấm",
        &[
            &["BẢNG TIÊU CHÍ CHẤM ĐIỂM NĂM 2025"],
            &[
                "STT",
                "Nội dung tiêu chí",
                "Điểm chuẩn",
                "Hướng dẫn",
                "Minh chứng",
                "Loại",
            ],
            &["A", "Tiêu chí chấm điểm", "", "", "", ""],
            &["1", "Kế hoạch", "10", "Đủ: 10", "có", ""],
            &["2", "Kết quả", "90,0", "", "", ""],
            &["B", "Cộng điểm", "", "", "", "Điểm thưởng"],
            &["3", "Sáng kiến", "2.5", "", "x", ""],
        ],
    )]);
    let d = read(&bytes).unwrap();
    assert_eq!(d.name, "");
    assert_eq!(d.sections.len(), 2);
    assert_eq!(d.sections[1].kind, SectionKind::Bonus);
    assert_eq!(d.sum_of(SectionKind::Standard), Decimal::ONE_HUNDRED);
    assert!(d.sections[0].criteria[0].evidence_required);
    assert_eq!(d.sections[0].criteria[0].guidance, "Đủ: 10");
    assert_eq!(d.sections[1].criteria[0].max_points, "2.5".parse().unwrap());
}

#[test]
fn every_bad_row_is_named() {
    let bytes = book(&[
        (
            CRITERIA_SHEET,
            &[
                &[
                    "Mã",
                    "Nội dung",
                    "Điểm tối đa",
                    "Bước điểm",
                    "Minh chứng bắt buộc",
                ],
                &["1.0", "Tiêu chí trước mọi phần", "5", "", ""],
                &["I", "Phần I", "", "", ""],
                &["1.1", "Điểm chữ", "mười", "", ""],
                &["1.2", "Bước lệch", "2,25", "0,5", ""],
                &["1.2", "Trùng mã", "2", "", "có lẽ"],
                &["1.3", "", "-1", "", ""],
            ],
        ),
        (
            BANDS_SHEET,
            &[
                &["Xếp loại", "Từ (%)"],
                &["Xuất sắc", "120"],
                &["Xuất sắc", "90"],
            ],
        ),
        (
            INFO_SHEET,
            &[
                &["Mục", "Giá trị"],
                &["Điểm thưởng tối đa", "-3"],
                &["Ghi chú", "x"],
            ],
        ),
    ]);
    let p = read(&bytes).unwrap_err();
    let has =
        |prefix: &str, word: &str| p.iter().any(|m| m.starts_with(prefix) && m.contains(word));
    assert!(has("Dòng 2:", "chưa thuộc phần nào"), "{p:#?}");
    assert!(has("Dòng 4:", "mười"), "{p:#?}");
    assert!(has("Dòng 5:", "không chia hết"), "{p:#?}");
    assert!(has("Dòng 6:", "đã dùng ở dòng 5"), "{p:#?}");
    assert!(has("Dòng 6:", "có lẽ"), "{p:#?}");
    assert!(has("Dòng 7:", "nội dung"), "{p:#?}");
    assert!(has("Dòng 7:", "âm"), "{p:#?}");
    assert!(has("Dòng 2 (trang “Xếp loại”)", "0 đến 100"), "{p:#?}");
    assert!(has("Dòng 3 (trang “Xếp loại”)", "hai lần"), "{p:#?}");
    assert!(has("Dòng 2 (trang “Thông tin”)", "âm"), "{p:#?}");
    assert!(has("Dòng 3 (trang “Thông tin”)", "Ghi chú"), "{p:#?}");
}

#[test]
fn files_that_are_no_workbook_or_lack_the_layout_are_refused() {
    assert!(read(b"").unwrap_err()[0].contains("rỗng"));
    assert!(read(b"Ma,Noi dung").unwrap_err()[0].contains(".xlsx"));
    assert!(read(b"PK\x03\x04garbage").unwrap_err()[0].contains("Không đọc được"));
    let bytes = book(&[("Sheet1", &[&["Tên", "Điểm"], &["x", "1"]])]);
    assert!(read(&bytes).unwrap_err()[0].contains("dòng tiêu đề"));
    let bytes = book(&[("Sheet1", &[&["Mã", "Nội dung", "Điểm tối đa"]])]);
    assert!(read(&bytes).unwrap_err()[0].contains("không có dòng nào"));
}
