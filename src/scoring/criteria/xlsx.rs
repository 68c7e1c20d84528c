//! A criteria table as an Excel workbook, laid out the way agencies already keep them, both
//! ways: `write` (export and the template) and `read` (import). `write` produces exactly what
//! `read` takes back.
//!
//! The layout:
//! * sheet "Tiêu chí" (or the first sheet): a header row (the first row holding the headers;
//!   title rows above it are skipped), then one row per section or criterion, in order. Columns
//!   "Mã", "Nội dung", "Điểm tối đa" (required), "Bước điểm", "Minh chứng bắt buộc",
//!   "Hướng dẫn chấm", "Loại" (optional), in any order; other columns are ignored. A row whose
//!   "Điểm tối đa" is empty is a section row ("Loại": blank or "Chấm điểm", "Điểm thưởng",
//!   "Điểm trừ"); the criteria rows under it belong to it.
//! * sheet "Xếp loại" (optional): "Xếp loại", "Từ (%)", "Không có tiêu chí 0 điểm" ("x" = yes).
//! * sheet "Thông tin" (optional): item names in column A, values in column B: "Tên bảng",
//!   "Mô tả", "Điểm thưởng tối đa", "Điểm trừ tối đa", "Phân định khi bằng điểm" ("II, I").

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError,
};

use crate::scoring::model::SectionKind;
use crate::web::vn::fold;

use super::model::{self, DEFAULT_STEP, Draft, DraftBand, DraftCriterion, DraftSection, MAX_BANDS};

pub const CRITERIA_SHEET: &str = "Tiêu chí";
pub const BANDS_SHEET: &str = "Xếp loại";
pub const INFO_SHEET: &str = "Thông tin";

/// Rows of sections and criteria a file may have.
pub const MAX_ROWS: usize = 1_000;
/// An .xlsx may unpack to at most this much (a guard against "zip bombs").
const MAX_UNPACKED: u64 = 64 * 1024 * 1024;

/// A documented column: its header, the other headers read as it (folded), and help.
pub struct Column {
    pub header: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
    pub hint: &'static str,
    pub example: &'static str,
    pub width: f64,
}

pub const COLUMNS: [Column; 7] = [
    Column {
        header: "Mã",
        aliases: &["ma", "maso", "matieuchi", "stt"],
        required: true,
        hint: "Dòng phần: mã phần (I, II, A…). Dòng tiêu chí: mã tiêu chí (1.1, 2.3…). Mỗi mã chỉ dùng một lần trong bảng; tối đa 20 ký tự, không có dấu phẩy.",
        example: "1.1",
        width: 9.0,
    },
    Column {
        header: "Nội dung",
        aliases: &["noidung", "tieuchi", "noidungtieuchi", "tenphan"],
        required: true,
        hint: "Dòng phần: tên phần. Dòng tiêu chí: nội dung tiêu chí.",
        example: "Ban hành kế hoạch, tổ chức phát động phong trào thi đua",
        width: 60.0,
    },
    Column {
        header: "Điểm tối đa",
        aliases: &["diemtoida", "diemchuan", "toida", "diem", "thangdiem"],
        required: true,
        hint: "Chỉ ghi ở dòng tiêu chí: số lớn hơn 0, viết 2,5 hay 2.5 đều được. Dòng để trống ô này là dòng phần.",
        example: "3",
        width: 11.0,
    },
    Column {
        header: "Bước điểm",
        aliases: &["buocdiem", "buoc"],
        required: false,
        hint: "Điểm chấm tăng từng bước này (0,5 → 0; 0,5; 1…). Để trống là 0,5. Điểm tối đa phải chia hết cho bước điểm.",
        example: "0,5",
        width: 10.0,
    },
    Column {
        header: "Minh chứng bắt buộc",
        aliases: &[
            "minhchungbatbuoc",
            "minhchung",
            "batbuocminhchung",
            "yeucauminhchung",
        ],
        required: false,
        hint: "Ghi “x” hoặc “có” nếu đơn vị phải nộp minh chứng cho tiêu chí; để trống là không bắt buộc.",
        example: "x",
        width: 12.0,
    },
    Column {
        header: "Hướng dẫn chấm",
        aliases: &["huongdancham", "huongdan", "cachcham", "huongdanchamdiem"],
        required: false,
        hint: "Cách chấm tiêu chí, ví dụ: Ban hành trước ngày 31/3: 3 điểm; chậm: 2 điểm; không ban hành: 0 điểm.",
        example: "Ban hành trước ngày 31/3: 3 điểm; ban hành chậm: 2 điểm; không ban hành: 0 điểm.",
        width: 50.0,
    },
    Column {
        header: "Loại",
        aliases: &["loai", "loaiphan"],
        required: false,
        hint: "Chỉ ghi ở dòng phần: để trống hoặc “Chấm điểm” (tiêu chí chấm điểm), “Điểm thưởng”, “Điểm trừ”.",
        example: "",
        width: 14.0,
    },
];

const CODE: usize = 0;
const TEXT: usize = 1;
const MAX: usize = 2;
const STEP: usize = 3;
const EVIDENCE: usize = 4;
const GUIDANCE: usize = 5;
const KIND: usize = 6;

pub const BAND_COLUMNS: [Column; 3] = [
    Column {
        header: "Xếp loại",
        aliases: &["xeploai", "muc", "mucxeploai", "ten", "tenmuc"],
        required: true,
        hint: "Tên mức xếp loại, ví dụ Xuất sắc. Mỗi tên một lần.",
        example: "Xuất sắc",
        width: 28.0,
    },
    Column {
        header: "Từ (%)",
        aliases: &["tu", "tuphantram", "nguong", "nguongphantram", "tudiem"],
        required: true,
        hint: "Tỷ lệ điểm đạt được (tổng điểm / điểm tối đa × 100) từ mức này trở lên, từ 0 đến 100, ví dụ 95.",
        example: "95",
        width: 10.0,
    },
    Column {
        header: "Không có tiêu chí 0 điểm",
        aliases: &[
            "khongcotieuchi0diem",
            "khongcotieuchinao0diem",
            "dieukien",
            "khongcotieuchinaobi0diem",
        ],
        required: false,
        hint: "“x” nếu mức này chỉ dành cho đơn vị không có tiêu chí nào bị 0 điểm.",
        example: "x",
        width: 16.0,
    },
];

/// The items of the "Thông tin" sheet: (label, help).
pub const INFO_ITEMS: [(&str, &str); 5] = [
    (
        "Tên bảng",
        "Tên bảng tiêu chí trong thư viện; để trống thì lấy tên tệp. Trùng tên bảng đã có thì thêm số (2), (3)…",
    ),
    ("Mô tả", "Không bắt buộc: căn cứ, phạm vi áp dụng."),
    (
        "Điểm thưởng tối đa",
        "Tổng điểm thưởng được cộng không vượt quá số này; để trống là 0.",
    ),
    (
        "Điểm trừ tối đa",
        "Tổng điểm trừ không vượt quá số này; để trống là 0.",
    ),
    (
        "Phân định khi bằng điểm",
        "Mã các phần, cách nhau bằng dấu phẩy, theo thứ tự so sánh khi hai đơn vị bằng tỷ lệ điểm, ví dụ: II, I.",
    ),
];

// ---- writing -------------------------------------------------------------------------------

fn number(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn headers(ws: &mut Worksheet, columns: &[Column]) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xDDE6F0))
        .set_border(FormatBorder::Thin);
    for (i, c) in columns.iter().enumerate() {
        let col = i as u16;
        ws.set_column_width(col, c.width)?;
        ws.write_string_with_format(0, col, c.header, &header)?;
        let title = if c.required {
            format!("{} (bắt buộc)", c.header)
        } else {
            c.header.to_string()
        };
        let note = Note::new(format!("{title}: {}", c.hint))
            .set_author("thidua")
            .set_width(320);
        ws.insert_note(0, col, &note)?;
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The workbook of a table: what export downloads and import reads back.
pub fn write(d: &Draft) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let text = Format::new().set_num_format("@");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let section = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF2F2F2));
    let section_text = Format::new()
        .set_bold()
        .set_num_format("@")
        .set_background_color(Color::RGB(0xF2F2F2));

    let ws = book.add_worksheet();
    ws.set_name(CRITERIA_SHEET)?;
    headers(ws, &COLUMNS)?;
    ws.set_column_format(CODE as u16, &text)?;
    let mut row: u32 = 1;
    for s in &d.sections {
        ws.write_string_with_format(row, CODE as u16, &s.code, &section_text)?;
        ws.write_string_with_format(row, TEXT as u16, &s.title, &section)?;
        for col in [MAX, STEP, EVIDENCE, GUIDANCE] {
            ws.write_blank(row, col as u16, &section)?;
        }
        ws.write_string_with_format(row, KIND as u16, model::kind_word(s.kind), &section)?;
        row += 1;
        for c in &s.criteria {
            ws.write_string_with_format(row, CODE as u16, &c.code, &text)?;
            ws.write_string_with_format(row, TEXT as u16, &c.text, &wrap)?;
            ws.write_number(row, MAX as u16, number(c.max_points))?;
            ws.write_number(row, STEP as u16, number(c.step))?;
            if c.evidence_required {
                ws.write_string(row, EVIDENCE as u16, "x")?;
            }
            if !c.guidance.is_empty() {
                ws.write_string_with_format(row, GUIDANCE as u16, &c.guidance, &wrap)?;
            }
            row += 1;
        }
    }

    let ws = book.add_worksheet();
    ws.set_name(BANDS_SHEET)?;
    headers(ws, &BAND_COLUMNS)?;
    for (i, b) in d.bands.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &b.name)?;
        ws.write_number(r, 1, number(b.min_percent))?;
        if b.requires_no_zero {
            ws.write_string(r, 2, "x")?;
        }
    }

    let ws = book.add_worksheet();
    ws.set_name(INFO_SHEET)?;
    let info_columns = [
        Column {
            header: "Mục",
            aliases: &[],
            required: true,
            hint: "Tên mục (giữ nguyên).",
            example: "",
            width: 26.0,
        },
        Column {
            header: "Giá trị",
            aliases: &[],
            required: false,
            hint: "Giá trị của mục.",
            example: "",
            width: 70.0,
        },
    ];
    headers(ws, &info_columns)?;
    for (i, (label, hint)) in INFO_ITEMS.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *label)?;
        let note = Note::new(format!("{label}: {hint}"))
            .set_author("thidua")
            .set_width(320);
        ws.insert_note(r, 0, &note)?;
        match i {
            0 => ws.write_string_with_format(r, 1, &d.name, &text)?,
            1 => ws.write_string_with_format(r, 1, &d.description, &wrap)?,
            2 => ws.write_number(r, 1, number(d.bonus_cap))?,
            3 => ws.write_number(r, 1, number(d.penalty_cap))?,
            _ => {
                ws.write_string_with_format(r, 1, model::tie_break_text(&d.tie_break_codes), &text)?
            }
        };
    }
    book.save_to_buffer()
}

/// The example the template carries: a small table of the common shape, to overwrite.
pub fn example() -> Draft {
    let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
    let c = |code: &str, text: &str, max: &str, evidence: bool, guidance: &str| DraftCriterion {
        code: code.into(),
        text: text.into(),
        max_points: d(max),
        step: DEFAULT_STEP,
        guidance: guidance.into(),
        evidence_required: evidence,
    };
    Draft {
        name: "Bảng tiêu chí mẫu (hãy đổi tên)".into(),
        description:
            "Dòng 2 trở đi của mỗi trang là ví dụ: hãy ghi đè bằng bảng tiêu chí của cụm, khối."
                .into(),
        bonus_cap: d("3"),
        penalty_cap: d("3"),
        tie_break_codes: vec!["II".into(), "I".into()],
        sections: vec![
            DraftSection {
                code: "I".into(),
                title: "Công tác chỉ đạo, tổ chức phong trào thi đua".into(),
                kind: SectionKind::Standard,
                criteria: vec![
                    c(
                        "1.1",
                        "Ban hành kế hoạch, tổ chức phát động phong trào thi đua năm",
                        "5",
                        true,
                        "Ban hành trước ngày 31/3: 5 điểm; ban hành chậm: 3 điểm; không ban hành: 0 điểm.",
                    ),
                    c(
                        "1.2",
                        "Sơ kết, tổng kết, nhân rộng điển hình tiên tiến",
                        "5",
                        false,
                        "",
                    ),
                ],
            },
            DraftSection {
                code: "II".into(),
                title: "Kết quả thực hiện nhiệm vụ chính trị, chuyên môn".into(),
                kind: SectionKind::Standard,
                criteria: vec![c(
                    "2.1",
                    "Hoàn thành các chỉ tiêu, nhiệm vụ chuyên môn được giao",
                    "90",
                    true,
                    "",
                )],
            },
            DraftSection {
                code: "III".into(),
                title: "Điểm thưởng".into(),
                kind: SectionKind::Bonus,
                criteria: vec![c(
                    "3.1",
                    "Có sáng kiến, mô hình mới được công nhận",
                    "2",
                    true,
                    "",
                )],
            },
            DraftSection {
                code: "IV".into(),
                title: "Điểm trừ".into(),
                kind: SectionKind::Penalty,
                criteria: vec![c(
                    "4.1",
                    "Gửi báo cáo, hồ sơ thi đua chậm so với thời hạn",
                    "1",
                    false,
                    "",
                )],
            },
        ],
        bands: vec![
            DraftBand {
                name: "Xuất sắc".into(),
                min_percent: d("95"),
                requires_no_zero: true,
            },
            DraftBand {
                name: "Tốt".into(),
                min_percent: d("85"),
                requires_no_zero: true,
            },
            DraftBand {
                name: "Khá".into(),
                min_percent: d("75"),
                requires_no_zero: true,
            },
            DraftBand {
                name: "Hoàn thành nhiệm vụ".into(),
                min_percent: d("0"),
                requires_no_zero: false,
            },
        ],
    }
}

pub fn template() -> Result<Vec<u8>, XlsxError> {
    write(&example())
}

// ---- reading -------------------------------------------------------------------------------

/// A non-empty row: its number as the spreadsheet shows it, and its cells as text.
struct Row {
    number: u32,
    cells: Vec<String>,
}

impl Row {
    fn get(&self, col: Option<usize>) -> &str {
        col.and_then(|c| self.cells.get(c))
            .map(|s| s.trim())
            .unwrap_or("")
    }
}

/// Cell text as a person reads it: whole numbers without ".0".
fn cell_text(d: &Data) -> String {
    match d {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn rows_of(range: &Range<Data>) -> Vec<Row> {
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
fn header(rows: &[Row], columns: &[Column]) -> Option<(usize, Vec<Option<usize>>)> {
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

fn header_names(columns: &[Column]) -> String {
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

fn read_criteria(sheet: &str, rows: &[Row], d: &mut Draft, problems: &mut Vec<String>) {
    let Some((at, cols)) = header(rows, &COLUMNS) else {
        problems.push(format!(
            "Trang “{sheet}” không có dòng tiêu đề với các cột {}. Hãy dùng tệp mẫu.",
            header_names(&COLUMNS[..3])
        ));
        return;
    };
    let data = &rows[at + 1..];
    if data.is_empty() {
        problems.push(format!(
            "Trang “{sheet}” không có dòng nào dưới dòng tiêu đề."
        ));
        return;
    }
    if data.len() > MAX_ROWS {
        problems.push(format!(
            "Trang “{sheet}” có quá {MAX_ROWS} dòng; một bảng tiêu chí không dài như vậy."
        ));
        return;
    }
    let col = |i: usize| cols[i];
    // Where each code was first used, to name both rows of a duplicate.
    let mut seen: HashMap<String, u32> = HashMap::new();
    for row in data {
        let n = row.number;
        let mut bad = |m: String| problems.push(format!("Dòng {n}: {m}"));
        let code = match model::check_code(row.get(col(CODE))) {
            Ok(c) => c,
            Err(m) => {
                bad(m);
                String::new()
            }
        };
        if !code.is_empty() {
            if let Some(first) = seen.get(&code) {
                bad(format!(
                    "mã “{code}” đã dùng ở dòng {first}; mỗi mã chỉ dùng một lần trong bảng."
                ));
            } else {
                seen.insert(code.clone(), n);
            }
        }
        let text = row.get(col(TEXT)).to_string();
        let max_cell = row.get(col(MAX));
        let kind_cell = row.get(col(KIND));
        if max_cell.is_empty() {
            // A section row.
            if text.is_empty() {
                bad("hãy ghi tên phần ở cột “Nội dung”.".into());
            } else if text.chars().count() > 500 {
                bad("tên phần dài quá 500 ký tự.".into());
            }
            let kind = model::parse_kind(kind_cell).unwrap_or_else(|| {
                bad(format!(
                    "cột “Loại” ghi “{kind_cell}”; hãy để trống hoặc ghi “Chấm điểm”, “Điểm thưởng”, “Điểm trừ”."
                ));
                SectionKind::Standard
            });
            if [STEP, EVIDENCE, GUIDANCE]
                .iter()
                .any(|&c| !row.get(col(c)).is_empty())
            {
                bad("dòng không có điểm tối đa là dòng phần, nhưng có bước điểm, minh chứng hay hướng dẫn chấm. Nếu đây là tiêu chí, hãy ghi điểm tối đa.".into());
            }
            d.sections.push(DraftSection {
                code,
                title: text,
                kind,
                criteria: Vec::new(),
            });
            continue;
        }
        // A criterion row.
        if text.is_empty() {
            bad("hãy ghi nội dung tiêu chí ở cột “Nội dung”.".into());
        } else if text.chars().count() > 2000 {
            bad("nội dung tiêu chí dài quá 2000 ký tự.".into());
        }
        let max = match model::parse_figure(max_cell) {
            Ok(m) => m,
            Err(m) => {
                bad(format!("điểm tối đa “{max_cell}”: {m}"));
                None
            }
        };
        let step_cell = row.get(col(STEP));
        let step = match model::parse_figure(step_cell) {
            Ok(s) => Some(s.unwrap_or(DEFAULT_STEP)),
            Err(m) => {
                bad(format!("bước điểm “{step_cell}”: {m}"));
                None
            }
        };
        if let (Some(max), Some(step)) = (max, step)
            && let Some((_, m)) = model::check_max_step(max, step)
        {
            bad(m);
        }
        let evidence_cell = row.get(col(EVIDENCE));
        let evidence = model::parse_yes_no(evidence_cell).unwrap_or_else(|| {
            bad(format!("cột “Minh chứng bắt buộc” ghi “{evidence_cell}”; hãy ghi “x” (bắt buộc) hoặc để trống."));
            false
        });
        let guidance = row.get(col(GUIDANCE)).to_string();
        if guidance.chars().count() > 4000 {
            bad("hướng dẫn chấm dài quá 4000 ký tự.".into());
        }
        let Some(section) = d.sections.last_mut() else {
            bad("tiêu chí chưa thuộc phần nào: hãy thêm phía trên một dòng phần (mã và tên phần, để trống điểm tối đa).".into());
            continue;
        };
        if !kind_cell.is_empty() && model::parse_kind(kind_cell) != Some(section.kind) {
            bad("cột “Loại” chỉ ghi ở dòng phần; tiêu chí theo loại của phần chứa nó.".into());
        }
        section.criteria.push(DraftCriterion {
            code,
            text,
            max_points: max.unwrap_or_default(),
            step: step.unwrap_or(DEFAULT_STEP),
            guidance,
            evidence_required: evidence,
        });
    }
}

fn read_bands(rows: &[Row], d: &mut Draft, problems: &mut Vec<String>) {
    if rows.is_empty() {
        return;
    }
    let Some((at, cols)) = header(rows, &BAND_COLUMNS) else {
        problems.push(format!(
            "Trang “{BANDS_SHEET}” không có dòng tiêu đề với các cột {}.",
            header_names(&BAND_COLUMNS[..2])
        ));
        return;
    };
    let mut numbers = Vec::new();
    for row in &rows[at + 1..] {
        let n = row.number;
        let mut bad = |m: String| problems.push(format!("Dòng {n} (trang “{BANDS_SHEET}”): {m}"));
        let name = model::check_band_name(row.get(cols[0])).unwrap_or_else(|m| {
            bad(m);
            String::new()
        });
        let min = model::check_band_min(row.get(cols[1])).unwrap_or_else(|m| {
            bad(m);
            Decimal::ZERO
        });
        let cell = row.get(cols[2]);
        let no_zero = model::parse_yes_no(cell).unwrap_or_else(|| {
            bad(format!(
                "cột “Không có tiêu chí 0 điểm” ghi “{cell}”; hãy ghi “x” hoặc để trống."
            ));
            false
        });
        d.bands.push(DraftBand {
            name,
            min_percent: min,
            requires_no_zero: no_zero,
        });
        numbers.push(n);
    }
    if d.bands.len() > MAX_BANDS {
        problems.push(format!(
            "Trang “{BANDS_SHEET}” có {} mức; tối đa {MAX_BANDS} mức.",
            d.bands.len()
        ));
        return;
    }
    for (i, _, m) in model::check_band_set(&d.bands) {
        if let Some(n) = numbers.get(i) {
            problems.push(format!("Dòng {n} (trang “{BANDS_SHEET}”): {m}"));
        }
    }
}

fn read_info(rows: &[Row], d: &mut Draft, problems: &mut Vec<String>) {
    let keys: Vec<String> = INFO_ITEMS.iter().map(|(k, _)| fold(k)).collect();
    for row in rows {
        let n = row.number;
        let key = fold(row.get(Some(0)));
        let value = row.get(Some(1));
        let mut bad = |m: String| problems.push(format!("Dòng {n} (trang “{INFO_SHEET}”): {m}"));
        let Some(i) = keys.iter().position(|k| *k == key) else {
            if key == "muc" || key.is_empty() {
                continue;
            }
            bad(format!(
                "không rõ mục “{}”; các mục là {}.",
                row.get(Some(0)),
                INFO_ITEMS
                    .iter()
                    .map(|(k, _)| format!("“{k}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            continue;
        };
        match i {
            0 => {
                let count = value.chars().count();
                if count == 1 || count > 300 {
                    bad("tên bảng phải có từ 2 đến 300 ký tự.".into());
                }
                d.name = value.to_string();
            }
            1 => {
                if value.chars().count() > 4000 {
                    bad("mô tả dài quá 4000 ký tự.".into());
                }
                d.description = value.to_string();
            }
            2 | 3 => {
                let cap = model::parse_figure(value).unwrap_or_else(|m| {
                    bad(format!("“{value}”: {m} Ghi số điểm không âm, ví dụ 3."));
                    None
                });
                let cap = cap.unwrap_or(Decimal::ZERO);
                if i == 2 {
                    d.bonus_cap = cap;
                } else {
                    d.penalty_cap = cap;
                }
            }
            _ => match model::parse_tie_break(value) {
                Ok(codes) => d.tie_break_codes = codes,
                Err(m) => bad(m),
            },
        }
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

#[cfg(test)]
mod tests {
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
}
