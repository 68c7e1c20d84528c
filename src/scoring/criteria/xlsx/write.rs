//! Writing a table as a workbook in the layout: what export downloads and import reads back.
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError,
};

use crate::scoring::model::SectionKind;

use super::super::model::{self, DEFAULT_STEP, Draft, DraftBand, DraftCriterion, DraftSection};
use super::*;

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
