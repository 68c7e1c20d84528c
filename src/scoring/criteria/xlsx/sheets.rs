//! Reading each sheet of the layout into the draft: criteria, rating bands, information.
use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::scoring::model::SectionKind;
use crate::web::vn::fold;

use super::super::model::{
    self, DEFAULT_STEP, Draft, DraftBand, DraftCriterion, DraftSection, MAX_BANDS,
};
use super::read::{Row, header, header_names};
use super::*;

pub(super) fn read_criteria(sheet: &str, rows: &[Row], d: &mut Draft, problems: &mut Vec<String>) {
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

pub(super) fn read_bands(rows: &[Row], d: &mut Draft, problems: &mut Vec<String>) {
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

pub(super) fn read_info(rows: &[Row], d: &mut Draft, problems: &mut Vec<String>) {
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
