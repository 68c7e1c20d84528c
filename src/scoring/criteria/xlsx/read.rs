//! Reading a workbook: the file checked as a zip within bounds, its sheets found, their rows
//! and header rows read as text.
use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use rust_decimal::Decimal;

use crate::web::vn::fold;

use super::super::model::Draft;
use super::sheets::{read_bands, read_criteria, read_info};
use super::*;

/// A non-empty row: its number as the spreadsheet shows it, and its cells as text.
pub(super) struct Row {
    pub(super) number: u32,
    pub(super) cells: Vec<String>,
}

impl Row {
    pub(super) fn get(&self, col: Option<usize>) -> &str {
        col.and_then(|c| self.cells.get(c))
            .map(|s| s.trim())
            .unwrap_or("")
    }
}

/// Cell text as a person reads it: whole numbers without ".0".
pub(super) fn cell_text(d: &Data) -> String {
    match d {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

pub(super) fn rows_of(range: &Range<Data>) -> Vec<Row> {
    let first = range.start().map(|(r, _)| r).unwrap_or(0);
    let col0 = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut out = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        let mut texts: Vec<String> = vec![String::new(); col0];
        texts.extend(cells.iter().map(cell_text));
        if texts.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.push(Row {
            number: first + i as u32 + 1,
            cells: texts,
        });
        if out.len() > MAX_ROWS + 20 {
            break;
        }
    }
    out
}

/// Finds the header row among the first rows: the first holding every required header.
/// Returns (index of the row in `rows`, column of each documented column).
pub(super) fn header(rows: &[Row], columns: &[Column]) -> Option<(usize, Vec<Option<usize>>)> {
    for (i, row) in rows.iter().enumerate().take(10) {
        let folded: Vec<String> = row.cells.iter().map(|c| fold(c)).collect();
        let find = |c: &Column| {
            let own = fold(c.header);
            folded
                .iter()
                .position(|f| *f == own || c.aliases.contains(&f.as_str()))
        };
        let cols: Vec<Option<usize>> = columns.iter().map(find).collect();
        if columns
            .iter()
            .zip(&cols)
            .all(|(c, at)| !c.required || at.is_some())
        {
            return Some((i, cols));
        }
    }
    None
}

pub(super) fn header_names(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| format!("“{}”", c.header))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads a workbook in the layout. The name is empty when the file gives none. Every problem
/// is reported, as "Dòng N: …" for a row; nothing is returned unless the whole file is good.
pub fn read(bytes: &[u8]) -> Result<Draft, Vec<String>> {
    let one = |m: &str| vec![m.to_string()];
    if bytes.is_empty() {
        return Err(one("Tệp rỗng (0 byte). Hãy chọn đúng tệp đã lưu."));
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(one(
            "Tệp không phải sổ làm việc Excel (.xlsx). Với tệp .xls cũ, hãy mở bằng Excel và chọn “Lưu thành” kiểu .xlsx.",
        ));
    }
    let bad =
        "Không đọc được tệp Excel: tệp bị hỏng, có mật khẩu, hoặc không phải sổ làm việc .xlsx.";
    match unpacked_size(bytes) {
        Some(n) if n <= MAX_UNPACKED => {}
        Some(_) => {
            return Err(one(
                "Tệp Excel quá lớn khi giải nén. Hãy chỉ giữ các trang tính của bảng tiêu chí.",
            ));
        }
        None => return Err(one(bad)),
    }
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| one(bad))?;
    let names = book.sheet_names();
    let is = |n: &str, want: &str| fold(n) == fold(want);
    let main = names
        .iter()
        .find(|n| is(n, CRITERIA_SHEET))
        .or_else(|| {
            names
                .iter()
                .find(|n| !is(n, BANDS_SHEET) && !is(n, INFO_SHEET))
        })
        .cloned()
        .ok_or_else(|| one("Tệp không có trang tính “Tiêu chí”."))?;
    let mut load = |name: &str| {
        book.worksheet_range(name)
            .map(|r| rows_of(&r))
            .map_err(|_| one(bad))
    };
    let main_rows = load(&main)?;
    let band_rows = match names.iter().find(|n| is(n, BANDS_SHEET)) {
        Some(n) => Some(load(n)?),
        None => None,
    };
    let info_rows = match names.iter().find(|n| is(n, INFO_SHEET)) {
        Some(n) => Some(load(n)?),
        None => None,
    };

    let mut problems = Vec::new();
    let mut draft = Draft {
        name: String::new(),
        description: String::new(),
        bonus_cap: Decimal::ZERO,
        penalty_cap: Decimal::ZERO,
        tie_break_codes: Vec::new(),
        sections: Vec::new(),
        bands: Vec::new(),
    };
    read_criteria(&main, &main_rows, &mut draft, &mut problems);
    if let Some(rows) = band_rows {
        read_bands(&rows, &mut draft, &mut problems);
    }
    if let Some(rows) = info_rows {
        read_info(&rows, &mut draft, &mut problems);
    }
    if problems.is_empty() {
        Ok(draft)
    } else {
        Err(problems)
    }
}
/// The unpacked size a zip's central directory declares, or None when it is no readable zip.
fn unpacked_size(b: &[u8]) -> Option<u64> {
    let u16_at = |at: usize| Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?));
    let u32_at = |at: usize| Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?));
    let min = b.len().saturating_sub(22 + 65_535);
    let eocd = (min..=b.len().saturating_sub(22))
        .rev()
        .find(|&i| u32_at(i) == Some(0x0605_4b50))?;
    let entries = u16_at(eocd + 10)? as usize;
    let mut at = u32_at(eocd + 16)? as usize;
    if entries == 0xFFFF || entries > 2_000 || at == 0xFFFF_FFFF {
        return None;
    }
    let mut total: u64 = 0;
    for _ in 0..entries {
        if u32_at(at)? != 0x0201_4b50 {
            return None;
        }
        let size = u32_at(at + 24)?;
        if size == 0xFFFF_FFFF {
            return Some(u64::MAX);
        }
        total += u64::from(size);
        at +=
            46 + u16_at(at + 28)? as usize + u16_at(at + 30)? as usize + u16_at(at + 32)? as usize;
    }
    Some(total)
}
