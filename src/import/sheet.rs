//! An uploaded file as rows of text cells: an Excel workbook (.xlsx, its first sheet) or a CSV
//! file (UTF-8, comma, semicolon or tab separated). The type is told by the content, not the
//! file name.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

/// Rows read beyond this many non-empty ones are not kept (the import refuses the file): the
/// most data rows, plus a header that may come below a few title rows, plus one.
const KEEP_ROWS: usize = super::model::MAX_ROWS + 12;
/// Columns beyond this are not read.
const MAX_COLUMNS: u32 = 100;
/// An .xlsx may unpack to at most this much (a guard against "zip bombs").
const MAX_UNPACKED: u64 = 64 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 2_000;

/// A non-empty row of the file: its number as the spreadsheet shows it, and its cells.
#[derive(Debug, Clone)]
pub struct SheetRow {
    pub number: u32,
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// Non-empty rows, in order (empty rows are skipped).
    pub rows: Vec<SheetRow>,
    /// The file had more rows than were kept.
    pub truncated: bool,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq)]
pub enum FileError {
    NoFile,
    BadUpload,
    Empty,
    TooLarge,
    OldExcel,
    Html,
    NotSpreadsheet,
    NotUtf8,
    BadXlsx,
    NoSheet,
    BadCsv(u64),
}

impl FileError {
    pub fn message(&self) -> String {
        match self {
            FileError::NoFile => "Chưa chọn tệp. Hãy chọn một tệp .xlsx hoặc .csv rồi bấm “Kiểm tra và nhập”.".into(),
            FileError::BadUpload => "Tệp tải lên bị gián đoạn hoặc không đúng dạng. Hãy thử tải lên lại.".into(),
            FileError::Empty => "Tệp rỗng (0 byte). Hãy chọn đúng tệp đã lưu.".into(),
            FileError::TooLarge => format!(
                "Tệp quá lớn: mỗi tệp tối đa {} MB. Hãy bỏ các trang tính, hình ảnh không cần thiết \
                 hoặc chia thành nhiều tệp.",
                crate::BODY_LIMIT / (1024 * 1024)
            ),
            FileError::OldExcel => "Đây là tệp Excel 97–2003 (.xls), chưa đọc được. Hãy mở tệp bằng Excel, \
                 chọn “Lưu thành” (Save As) kiểu “Sổ làm việc Excel (.xlsx)” rồi tải lên lại."
                .into(),
            FileError::Html => "Tệp này là một trang web (HTML), không phải bảng tính, dù có thể mang đuôi .xls \
                 (nhiều phần mềm xuất “Excel” theo cách này). Hãy mở bằng Excel rồi lưu lại kiểu .xlsx."
                .into(),
            FileError::NotSpreadsheet => "Tệp không phải bảng tính Excel (.xlsx) hay tệp CSV. Hãy dùng tệp mẫu \
                 tải về từ trang này."
                .into(),
            FileError::NotUtf8 => "Tệp CSV không ở bảng mã UTF-8 nên tiếng Việt sẽ bị lỗi. Trong Excel hãy \
                 chọn “Lưu thành” kiểu “CSV UTF-8 (Comma delimited)”, hoặc lưu kiểu .xlsx."
                .into(),
            FileError::BadXlsx => "Không đọc được tệp Excel: tệp bị hỏng, có mật khẩu, hoặc không phải \
                 sổ làm việc .xlsx. Hãy mở bằng Excel, lưu lại kiểu .xlsx rồi thử lại."
                .into(),
            FileError::NoSheet => "Tệp Excel không có trang tính nào.".into(),
            FileError::BadCsv(line) => format!(
                "Không đọc được tệp CSV ở dòng {line}: kiểm tra các dấu ngoặc kép (\")."
            ),
        }
    }
}

/// Reads an uploaded file by its content.
pub fn read(bytes: &[u8]) -> Result<Sheet, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(FileError::OldExcel);
    }
    const BINARY: [&[u8]; 5] = [b"%PDF", b"\x89PNG", b"\xFF\xD8\xFF", b"GIF8", b"PK"];
    if BINARY.iter().any(|m| bytes.starts_with(m)) {
        return Err(FileError::NotSpreadsheet);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(FileError::NotUtf8);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) if bytes.contains(&0) => return Err(FileError::NotSpreadsheet),
        Err(_) => return Err(FileError::NotUtf8),
    };
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
    {
        return Err(FileError::NotSpreadsheet);
    }
    let head = text.trim_start().get(..200).unwrap_or(text.trim_start());
    let head = head.to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with("<?xml")
    {
        return Err(FileError::Html);
    }
    read_csv(text)
}

fn push_row(sheet: &mut Sheet, number: u32, cells: Vec<String>) -> bool {
    if cells.iter().all(|c| c.trim().is_empty()) {
        return true;
    }
    if sheet.rows.len() > KEEP_ROWS {
        sheet.truncated = true;
        return false;
    }
    sheet.rows.push(SheetRow { number, cells });
    true
}

/// The delimiter of a CSV file, told from its first non-empty line.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.matches(c).count();
    let (comma, semicolon, tab) = (count(','), count(';'), count('\t'));
    if semicolon > comma && semicolon >= tab {
        b';'
    } else if tab > comma && tab > semicolon {
        b'\t'
    } else {
        b','
    }
}

fn read_csv(text: &str) -> Result<Sheet, FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut sheet = Sheet::default();
    let mut record = csv::StringRecord::new();
    // Line numbers are counted here from byte offsets (the reader's own count lags).
    let (mut counted_to, mut line) = (0usize, 1u64);
    let bytes = text.as_bytes();
    let mut line_at = |byte: u64| {
        // A position may point at the line break before the record.
        let mut byte = (byte as usize).min(bytes.len());
        while byte < bytes.len() && matches!(bytes[byte], b'\r' | b'\n') {
            byte += 1;
        }
        if byte > counted_to {
            line += bytes[counted_to..byte]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            counted_to = byte;
        }
        line
    };
    loop {
        let start = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let at = record.position().map(|p| p.byte()).unwrap_or(start);
                let number = u32::try_from(line_at(at)).unwrap_or(u32::MAX);
                let cells = record
                    .iter()
                    .take(MAX_COLUMNS as usize)
                    .map(str::to_string)
                    .collect();
                if !push_row(&mut sheet, number, cells) {
                    break;
                }
            }
            Err(e) => {
                let at = e.position().map(|p| p.byte()).unwrap_or(start);
                return Err(FileError::BadCsv(line_at(at)));
            }
        }
    }
    Ok(sheet)
}

/// Cell text as a person reads it: whole numbers without ".0" (a code or phone number typed
/// as a number), errors as Excel shows them.
fn cell_text(d: Data) -> String {
    match d {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn read_xlsx(bytes: &[u8]) -> Result<Sheet, FileError> {
    check_zip(bytes)?;
    let mut book: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| FileError::BadXlsx)?;
    let name = book
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(FileError::NoSheet)?;
    // Cells are streamed into a sparse map: a stray cell far down or right costs nothing.
    let mut cells: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    let mut truncated = false;
    {
        let mut reader = book
            .worksheet_cells_reader(&name)
            .map_err(|_| FileError::BadXlsx)?;
        while let Some(cell) = reader.next_cell().map_err(|_| FileError::BadXlsx)? {
            let (row, col) = cell.get_position();
            if col >= MAX_COLUMNS {
                continue;
            }
            let text = cell_text(Data::from(cell.get_value().clone()));
            if text.trim().is_empty() {
                continue;
            }
            if !cells.contains_key(&row) && cells.len() > KEEP_ROWS {
                truncated = true;
                continue;
            }
            cells.entry(row).or_default().push((col, text));
        }
    }
    let mut sheet = Sheet {
        rows: Vec::new(),
        truncated,
    };
    for (row, values) in cells {
        let width = values
            .iter()
            .map(|(c, _)| *c as usize + 1)
            .max()
            .unwrap_or(0);
        let mut line = vec![String::new(); width];
        for (c, v) in values {
            line[c as usize] = v;
        }
        if !push_row(&mut sheet, row + 1, line) {
            break;
        }
    }
    Ok(sheet)
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Sums the unpacked sizes the zip's central directory declares (the zip reader holds each
/// entry to its declared size) and refuses archives that would unpack to too much.
fn check_zip(b: &[u8]) -> Result<(), FileError> {
    const EOCD: u32 = 0x0605_4b50;
    const CENTRAL: u32 = 0x0201_4b50;
    let min = b.len().saturating_sub(22 + 65_535);
    let eocd = (min..=b.len().saturating_sub(22))
        .rev()
        .find(|&i| u32_at(b, i) == Some(EOCD))
        .ok_or(FileError::BadXlsx)?;
    let entries = u16_at(b, eocd + 10).ok_or(FileError::BadXlsx)? as usize;
    let mut at = u32_at(b, eocd + 16).ok_or(FileError::BadXlsx)? as usize;
    if entries == 0xFFFF || entries > MAX_ZIP_ENTRIES || at == 0xFFFF_FFFF {
        return Err(FileError::BadXlsx);
    }
    let mut total: u64 = 0;
    for _ in 0..entries {
        if u32_at(b, at) != Some(CENTRAL) {
            return Err(FileError::BadXlsx);
        }
        let size = u32_at(b, at + 24).ok_or(FileError::BadXlsx)?;
        if size == 0xFFFF_FFFF {
            return Err(FileError::TooLarge);
        }
        total += u64::from(size);
        let name = u16_at(b, at + 28).ok_or(FileError::BadXlsx)? as usize;
        let extra = u16_at(b, at + 30).ok_or(FileError::BadXlsx)? as usize;
        let comment = u16_at(b, at + 32).ok_or(FileError::BadXlsx)? as usize;
        at += 46 + name + extra + comment;
    }
    if total > MAX_UNPACKED {
        return Err(FileError::TooLarge);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_and_semicolons_is_read_with_row_numbers() {
        let text =
            "\u{feff}Mã đơn vị;Tên đơn vị\r\nvp;Văn phòng\r\n;\r\n\r\ntt;\"Ban; Thanh tra\"\r\n";
        let s = read(text.as_bytes()).unwrap();
        let rows: Vec<(u32, Vec<String>)> =
            s.rows.into_iter().map(|r| (r.number, r.cells)).collect();
        assert_eq!(
            rows,
            vec![
                (1, vec!["Mã đơn vị".to_string(), "Tên đơn vị".into()]),
                (2, vec!["vp".into(), "Văn phòng".into()]),
                (5, vec!["tt".into(), "Ban; Thanh tra".into()]),
            ]
        );
    }

    #[test]
    fn delimiters_are_told_from_the_header_line() {
        assert_eq!(delimiter("a,b,c\n1;2"), b',');
        assert_eq!(delimiter("a;b;c\n1,2,3,4"), b';');
        assert_eq!(delimiter("\n\na\tb\n"), b'\t');
        assert_eq!(delimiter("a"), b',');
    }

    #[test]
    fn other_files_are_named_for_what_they_are() {
        assert_eq!(read(b"").unwrap_err(), FileError::Empty);
        assert_eq!(
            read(b"%PDF-1.7\n...").unwrap_err(),
            FileError::NotSpreadsheet
        );
        assert_eq!(
            read(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err(),
            FileError::NotSpreadsheet
        );
        assert_eq!(
            read(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]).unwrap_err(),
            FileError::OldExcel
        );
        assert_eq!(
            read(b"<html><table><tr><td>x</td></tr></table></html>").unwrap_err(),
            FileError::Html
        );
        // Windows-1258 "Mã": not UTF-8.
        assert_eq!(
            read(b"M\xE3 \xF0\xF5n v\xD2").unwrap_err(),
            FileError::NotUtf8
        );
        assert_eq!(read(b"PK\x03\x04garbage").unwrap_err(), FileError::BadXlsx);
        assert!(FileError::TooLarge.message().contains("2 MB"));
    }

    #[test]
    fn xlsx_is_read_sparsely_with_sheet_row_numbers() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        ws.write_string(0, 0, "Mã đơn vị").unwrap();
        ws.write_string(0, 1, "Tên đơn vị").unwrap();
        ws.write_string(1, 0, "vp").unwrap();
        ws.write_string(1, 1, "Văn phòng").unwrap();
        ws.write_number(3, 0, 123.0).unwrap();
        ws.write_string(3, 1, "  ").unwrap();
        ws.write_string(3, 2, "Ba").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let s = read(&bytes).unwrap();
        let rows: Vec<(u32, Vec<String>)> =
            s.rows.into_iter().map(|r| (r.number, r.cells)).collect();
        assert_eq!(
            rows,
            vec![
                (1, vec!["Mã đơn vị".to_string(), "Tên đơn vị".into()]),
                (2, vec!["vp".into(), "Văn phòng".into()]),
                (4, vec!["123".into(), "".into(), "Ba".into()]),
            ]
        );
    }
}
