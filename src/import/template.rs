//! The downloadable template files: the documented columns with Vietnamese headers and one
//! example row, as an Excel workbook or a CSV file.

use rust_xlsxwriter::{
    Color, DataValidation, Format, FormatBorder, Note, Workbook, Worksheet, XlsxError,
};

use crate::auth::Role;

use super::model::{Column, Kind};

/// The file name offered for download.
pub fn file_name(kind: Kind, ext: &str) -> String {
    match kind {
        Kind::Units => format!("mau-nhap-don-vi.{ext}"),
        Kind::Users => format!("mau-nhap-nguoi-dung.{ext}"),
    }
}

fn sheet_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Units => "Đơn vị",
        Kind::Users => "Người dùng",
    }
}

/// Columns whose values must stay text in Excel (codes, phone numbers: no lost leading 0).
fn is_text(c: &Column) -> bool {
    matches!(c.field, "code" | "phone" | "username" | "unit_code")
}

pub fn xlsx(kind: Kind) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws: &mut Worksheet = book.add_worksheet();
    ws.set_name(sheet_name(kind))?;
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xDDE6F0))
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    for (i, c) in kind.columns().iter().enumerate() {
        let col = i as u16;
        ws.set_column_width(col, c.width)?;
        if is_text(c) {
            ws.set_column_format(col, &text)?;
        }
        let title = if c.required {
            format!("{} (bắt buộc)", c.header)
        } else {
            c.header.to_string()
        };
        ws.write_string_with_format(0, col, c.header, &header)?;
        let note = Note::new(format!("{title}: {}", c.hint))
            .set_author("thidua")
            .set_width(320);
        ws.insert_note(0, col, &note)?;
        if is_text(c) {
            ws.write_string_with_format(1, col, c.example, &text)?;
        } else {
            ws.write_string(1, col, c.example)?;
        }
        if c.field == "role" {
            let labels: Vec<&str> = [Role::UnitHead, Role::UnitOfficer, Role::TenantAdmin]
                .iter()
                .map(|r| r.label())
                .collect();
            let v = DataValidation::new()
                .allow_list_strings(&labels)?
                .set_input_title("Vai trò")?
                .set_input_message("Chọn trong danh sách.")?;
            ws.add_data_validation(1, col, 5_001, col, &v)?;
        }
    }
    ws.set_row_height(0, 30)?;
    ws.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

/// UTF-8 with a byte-order mark, so that Excel shows the Vietnamese letters; comma separated.
pub fn csv(kind: Kind) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let cols = kind.columns();
        // Writing to memory does not fail.
        let _ = w.write_record(cols.iter().map(|c| c.header));
        let _ = w.write_record(cols.iter().map(|c| c.example));
        let _ = w.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::model::{UNIT_COLUMNS, USER_COLUMNS, read_table};
    use crate::import::sheet;

    #[test]
    fn templates_read_back_as_their_own_layout() {
        for kind in [Kind::Units, Kind::Users] {
            for bytes in [xlsx(kind).unwrap(), csv(kind)] {
                let s = sheet::read(&bytes).unwrap();
                assert_eq!(s.rows.len(), 2);
                // The header is read as the layout's; the example row alone is no data
                // (issue 17, item 3).
                let problems = read_table(&s, kind).unwrap_err();
                assert_eq!(problems.len(), 1, "{problems:?}");
                assert!(
                    problems[0]
                        .message
                        .starts_with("Tệp chỉ có dòng ví dụ của mẫu")
                );
            }
        }
        assert!(
            csv(Kind::Units).starts_with(b"\xEF\xBB\xBFM\xC3\xA3 \xC4\x91\xC6\xA1n v\xE1\xBB\x8B,")
        );
        assert_eq!(UNIT_COLUMNS.len(), 10);
        assert_eq!(USER_COLUMNS.len(), 5);
    }
}
