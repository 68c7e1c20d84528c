//! The forms as an .xlsx workbook, one sheet a form in its layout (header, rows, the column
//! marks), from the same computation as the page. Typed figures have their own cell style (a
//! cream fill, italic), a note with who typed them and when, and the row's last column names
//! them, so the mark survives a copy that drops styles and notes.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Note, Workbook, XlsxError};

use super::handlers::Loaded;
use super::model::Source;
use super::view;

pub fn workbook(reporting: &str, s: &Loaded) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let italic = Format::new().set_italic();
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let text = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Top)
        .set_text_wrap();
    let strong = text.clone().set_bold();
    let num = Format::new().set_border(FormatBorder::Thin);
    let total = num.clone().set_bold();
    let typed = num
        .clone()
        .set_italic()
        .set_background_color(Color::RGB(0xFFF8DC));
    let blank = num.clone().set_background_color(Color::RGB(0xEEEEEE));

    let forms = s.saved_forms();
    for f in &forms {
        let ws = wb.add_worksheet();
        ws.set_name(format!("Biểu {}", f.def.code))?;
        ws.set_landscape();
        ws.set_paper_size(9);
        ws.write_with_format(0, 0, format!("Biểu số: {}", f.def.number), &bold)?;
        ws.write(
            1,
            0,
            "Theo Thông tư số 02/2023/TT-BNV (chưa đối chiếu được)",
        )?;
        ws.write(0, 4, format!("Đơn vị báo cáo: {reporting}"))?;
        ws.write(1, 4, "Đơn vị nhận báo cáo: ……………………")?;
        ws.write_with_format(3, 0, f.def.title, &title)?;
        ws.write_with_format(4, 0, format!("Năm {} — {}", s.year, s.scope_name), &italic)?;
        if !f.def.unit_of_count.is_empty() {
            ws.write_with_format(
                5,
                0,
                format!("Đơn vị tính: {}", f.def.unit_of_count),
                &italic,
            )?;
        }
        let unit_col = f.def.has_unit_column();
        let first: u16 = if unit_col { 3 } else { 2 };
        let mut headers = vec!["", "Mã số"];
        if unit_col {
            headers.push("Đơn vị tính");
        }
        headers.extend(f.def.cols.iter().map(|c| c.label));
        headers.push("Ghi chú");
        for (i, h) in headers.iter().enumerate() {
            ws.write_with_format(7, i as u16, *h, &head)?;
        }
        let marks = f.col_marks();
        for (i, m) in marks.iter().enumerate() {
            ws.write_with_format(8, i as u16, m, &head)?;
        }
        let note_col = first + f.def.cols.len() as u16;
        ws.write_with_format(8, note_col, "", &head)?;
        ws.set_column_width(0, 48)?;
        ws.set_column_width(note_col, 24)?;
        let mut row = 9u32;
        for r in &f.rows {
            let label_format = if r.total || r.heading { &strong } else { &text };
            ws.write_with_format(row, 0, r.label, label_format)?;
            ws.write_with_format(row, 1, r.code, &text)?;
            if unit_col {
                ws.write_with_format(row, 2, r.unit, &text)?;
            }
            let mut typed_cols = Vec::new();
            for (j, (c, def)) in r.cells.iter().zip(f.def.cols).enumerate() {
                let col = first + j as u16;
                let format = match c.source {
                    Source::Typed => &typed,
                    Source::Total => &total,
                    Source::Blank => &blank,
                    Source::Computed => &num,
                };
                match c.value {
                    Some(v) => ws.write_with_format(row, col, v as f64, format)?,
                    None => ws.write_blank(row, col, format)?,
                };
                if c.source == Source::Typed && c.value.is_some() {
                    typed_cols.push(def.code);
                    ws.insert_note(row, col, &Note::new(&c.note).set_author("thidua"))?;
                }
            }
            let note = if typed_cols.is_empty() {
                String::new()
            } else {
                format!("Nhập tay: cột {}", typed_cols.join(", "))
            };
            ws.write_with_format(row, note_col, note, &text)?;
            row += 1;
        }
        row += 1;
        ws.write_with_format(row, 0, "Ô nền vàng, chữ nghiêng: số liệu nhập tay", &typed)?;
        ws.write(
            row + 1,
            0,
            "Các ô khác tính từ dữ liệu thidua; dòng, cột “Tổng số” là tổng các phần.",
        )?;
        ws.write(row + 2, 0, view::unverified_note(f.def))?;
    }
    wb.save_to_buffer()
}
