//! A criteria table as plain data (`Draft`, what a form, an Excel file or a copy makes) and the
//! rules its parts must keep, as pure functions with Vietnamese messages.
//!
//! The scoring rules themselves (points in steps, totals, bands) are in `scoring::model`; the
//! table as stored is `scoring::tables::TableFull`.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::scoring::model::{Band, SectionKind, fmt, parse_points};
use crate::scoring::tables::TableFull;
use crate::web::vn::fold;

/// Codes of sections and criteria: at most this many characters (the database says so too).
pub const MAX_CODE: usize = 20;
/// numeric(6,2): the largest figure a column holds.
pub const MAX_FIGURE: Decimal = Decimal::from_parts(999_999, 0, 0, false, 2);
/// The step of a criterion when none is given: half a point.
pub const DEFAULT_STEP: Decimal = Decimal::from_parts(5, 0, 0, false, 1);
/// Rating bands a table may have.
pub const MAX_BANDS: usize = 10;

/// The section kinds, in the order the forms offer them.
pub const KINDS: [SectionKind; 3] = [
    SectionKind::Standard,
    SectionKind::Bonus,
    SectionKind::Penalty,
];

/// A rating band as typed or read: like `scoring::model::Band`, comparable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftBand {
    pub name: String,
    pub min_percent: Decimal,
    pub requires_no_zero: bool,
}

impl From<&DraftBand> for Band {
    fn from(b: &DraftBand) -> Band {
        Band {
            name: b.name.clone(),
            min_percent: b.min_percent,
            requires_no_zero: b.requires_no_zero,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DraftCriterion {
    pub code: String,
    pub text: String,
    pub max_points: Decimal,
    pub step: Decimal,
    pub guidance: String,
    pub evidence_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftSection {
    pub code: String,
    pub title: String,
    pub kind: SectionKind,
    pub criteria: Vec<DraftCriterion>,
}

/// A whole table without database ids, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub name: String,
    pub description: String,
    pub bonus_cap: Decimal,
    pub penalty_cap: Decimal,
    pub tie_break_codes: Vec<String>,
    pub sections: Vec<DraftSection>,
    pub bands: Vec<DraftBand>,
}

impl Draft {
    pub fn from_full(f: &TableFull) -> Draft {
        Draft {
            name: f.table.name.clone(),
            description: f.table.description.clone(),
            bonus_cap: f.table.bonus_cap.normalize(),
            penalty_cap: f.table.penalty_cap.normalize(),
            tie_break_codes: f.table.tie_break_codes.clone(),
            sections: f
                .sections
                .iter()
                .map(|s| DraftSection {
                    code: s.code.clone(),
                    title: s.title.clone(),
                    kind: s.kind(),
                    criteria: f
                        .criteria
                        .iter()
                        .filter(|c| c.section_id == s.id)
                        .map(|c| DraftCriterion {
                            code: c.code.clone(),
                            text: c.text.clone(),
                            max_points: c.max_points.normalize(),
                            step: c.step.normalize(),
                            guidance: c.guidance.clone(),
                            evidence_required: c.evidence_required,
                        })
                        .collect(),
                })
                .collect(),
            bands: f
                .bands
                .iter()
                .map(|b| DraftBand {
                    name: b.name.clone(),
                    min_percent: b.min_percent.normalize(),
                    requires_no_zero: b.requires_no_zero,
                })
                .collect(),
        }
    }

    /// The sum of a kind's criteria maxima ("100" for the standard part of a 100-point table).
    pub fn sum_of(&self, kind: SectionKind) -> Decimal {
        self.sections
            .iter()
            .filter(|s| s.kind == kind)
            .flat_map(|s| &s.criteria)
            .map(|c| c.max_points)
            .sum()
    }

    pub fn criteria_count(&self) -> usize {
        self.sections.iter().map(|s| s.criteria.len()).sum()
    }
}

/// Why a table cannot be used for scoring yet, or will score differently than its author
/// probably means. Saving is never blocked by these; the pages show them.
pub fn usability_problems(d: &Draft) -> Vec<String> {
    let mut p = Vec::new();
    let standard_with_criteria = d
        .sections
        .iter()
        .any(|s| s.kind == SectionKind::Standard && !s.criteria.is_empty());
    if !standard_with_criteria {
        p.push(
            "Bảng chưa có phần “Tiêu chí chấm điểm” nào có tiêu chí, nên chưa dùng để chấm điểm được."
                .to_string(),
        );
    }
    for s in d.sections.iter().filter(|s| s.criteria.is_empty()) {
        p.push(format!("Phần {} chưa có tiêu chí nào.", s.code));
    }
    for code in &d.tie_break_codes {
        if !d.sections.iter().any(|s| &s.code == code) {
            p.push(format!(
                "Mã phần “{code}” dùng để phân định khi bằng điểm không có trong bảng."
            ));
        }
    }
    if d.bands.is_empty() {
        p.push("Bảng chưa có mức xếp loại nào.".to_string());
    }
    if d.bonus_cap.is_zero() && !d.sum_of(SectionKind::Bonus).is_zero() {
        p.push("Bảng có tiêu chí điểm thưởng nhưng điểm thưởng tối đa là 0, nên điểm thưởng sẽ không được cộng.".into());
    }
    if d.penalty_cap.is_zero() && !d.sum_of(SectionKind::Penalty).is_zero() {
        p.push(
            "Bảng có tiêu chí điểm trừ nhưng điểm trừ tối đa là 0, nên điểm trừ sẽ không bị trừ."
                .into(),
        );
    }
    p
}

/// The same problems for a stored table.
pub fn usability(f: &TableFull) -> Vec<String> {
    usability_problems(&Draft::from_full(f))
}

/// A section or criterion code: "I", "II", "A", "1.1", "2.3.a".
pub fn check_code(value: &str) -> Result<String, String> {
    let v = value.trim().to_string();
    if v.is_empty() {
        return Err("Hãy nhập mã, ví dụ I, II hoặc 1.1.".into());
    }
    if v.chars().count() > MAX_CODE {
        return Err(format!("Mã dài quá {MAX_CODE} ký tự."));
    }
    if v.contains([',', ';']) {
        return Err("Mã không được chứa dấu phẩy hay dấu chấm phẩy.".into());
    }
    Ok(v)
}

/// A figure of a table (points, caps, percentages): the Vietnamese or the other decimal
/// separator, at most 2 decimal places, not negative, at most 9 999,99. `None` when empty.
pub fn parse_figure(value: &str) -> Result<Option<Decimal>, String> {
    let v = value.trim().trim_end_matches('%').trim();
    let Some(d) = parse_points(v)? else {
        return Ok(None);
    };
    if d < Decimal::ZERO {
        return Err("Không được là số âm.".into());
    }
    if d.normalize().scale() > 2 {
        return Err("Chỉ ghi tối đa 2 chữ số thập phân, ví dụ 0,25.".into());
    }
    if d > MAX_FIGURE {
        return Err(format!("Số quá lớn (tối đa {}).", fmt(MAX_FIGURE)));
    }
    Ok(Some(d.normalize()))
}

/// A criterion's maximum and step: both above 0, the step no larger than the maximum, and the
/// maximum a whole number of steps. Returns (field, message) for the field to mark.
pub fn check_max_step(max: Decimal, step: Decimal) -> Option<(&'static str, String)> {
    if max <= Decimal::ZERO {
        return Some(("max_points", "Điểm tối đa phải lớn hơn 0.".into()));
    }
    if step <= Decimal::ZERO {
        return Some(("step", "Bước điểm phải lớn hơn 0, ví dụ 0,5 hoặc 1.".into()));
    }
    if step > max {
        return Some((
            "step",
            format!("Bước điểm không được lớn hơn điểm tối đa ({}).", fmt(max)),
        ));
    }
    if !(max / step).fract().is_zero() {
        return Some((
            "step",
            format!(
                "Điểm tối đa {} không chia hết cho bước điểm {}: điểm chấm đi từng bước {} sẽ không đạt được mức tối đa.",
                fmt(max),
                fmt(step),
                fmt(step)
            ),
        ));
    }
    None
}

/// The sections compared, in order, when two units have the same percentage: "II, I".
pub fn parse_tie_break(value: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for part in value.split([',', ';']) {
        let code = part.trim();
        if code.is_empty() {
            continue;
        }
        if code.chars().count() > MAX_CODE {
            return Err(format!("Mã phần “{code}” dài quá {MAX_CODE} ký tự."));
        }
        if out.iter().any(|c| c == code) {
            return Err(format!("Mã phần “{code}” được ghi hai lần."));
        }
        out.push(code.to_string());
    }
    Ok(out)
}

pub fn tie_break_text(codes: &[String]) -> String {
    codes.join(", ")
}

/// "Loại" of a section row: blank or "Chấm điểm" → standard, "Điểm thưởng", "Điểm trừ".
pub fn parse_kind(value: &str) -> Option<SectionKind> {
    match fold(value).as_str() {
        "" | "chamdiem" | "tieuchichamdiem" | "tieuchi" | "standard" => Some(SectionKind::Standard),
        "diemthuong" | "thuong" | "cong" | "diemcong" | "bonus" => Some(SectionKind::Bonus),
        "diemtru" | "tru" | "penalty" => Some(SectionKind::Penalty),
        _ => None,
    }
}

/// The words the Excel layout uses for a kind.
pub fn kind_word(kind: SectionKind) -> &'static str {
    match kind {
        SectionKind::Standard => "Chấm điểm",
        SectionKind::Bonus => "Điểm thưởng",
        SectionKind::Penalty => "Điểm trừ",
    }
}

/// A yes/no cell: "x", "có", "1" mean yes; blank, "không", "0" mean no.
pub fn parse_yes_no(value: &str) -> Option<bool> {
    match fold(value).as_str() {
        "" | "khong" | "k" | "0" | "no" | "false" => Some(false),
        "x" | "co" | "c" | "1" | "yes" | "true" | "batbuoc" | "v" => Some(true),
        _ => None,
    }
}

/// A band's name: 1 to 100 characters.
pub fn check_band_name(value: &str) -> Result<String, String> {
    let v = value.trim().to_string();
    match v.chars().count() {
        0 => Err("Hãy nhập tên mức xếp loại, ví dụ Xuất sắc.".into()),
        n if n > 100 => Err("Tên mức xếp loại dài quá 100 ký tự.".into()),
        _ => Ok(v),
    }
}

/// A band's threshold: a percentage from 0 to 100.
pub fn check_band_min(value: &str) -> Result<Decimal, String> {
    let bad = || "Ngưỡng phải là số phần trăm từ 0 đến 100, ví dụ 95.".to_string();
    match parse_figure(value).map_err(|e| format!("{} {}", bad(), e))? {
        None => Err("Hãy nhập ngưỡng (%), ví dụ 95.".into()),
        Some(d) if d > Decimal::ONE_HUNDRED => Err(bad()),
        Some(d) => Ok(d),
    }
}

/// Problems of a set of bands as a whole, by band index: names unique, thresholds distinct.
pub fn check_band_set(bands: &[DraftBand]) -> Vec<(usize, &'static str, String)> {
    let mut out = Vec::new();
    if bands.len() > MAX_BANDS {
        out.push((
            MAX_BANDS,
            "name",
            format!("Một bảng có tối đa {MAX_BANDS} mức xếp loại."),
        ));
    }
    for (i, b) in bands.iter().enumerate() {
        let same = |o: &DraftBand| o.name.to_lowercase() == b.name.to_lowercase();
        if bands[..i].iter().any(same) {
            out.push((i, "name", format!("Mức “{}” được ghi hai lần.", b.name)));
        }
        if let Some(o) = bands[..i].iter().find(|o| o.min_percent == b.min_percent) {
            out.push((
                i,
                "min",
                format!(
                    "Mức “{}” có cùng ngưỡng {}% với mức “{}”.",
                    b.name,
                    fmt(b.min_percent),
                    o.name
                ),
            ));
        }
    }
    out
}

/// Codes used twice within one table (sections and criteria together): each code once.
pub fn duplicate_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut dup = Vec::new();
    for c in codes {
        if !seen.insert(c) && !dup.iter().any(|d: &String| d == c) {
            dup.push(c.to_string());
        }
    }
    dup
}

/// Checks a whole draft as import and copy do: every code once, figures and bands valid.
/// Returns messages (empty when good).
pub fn check_draft(d: &Draft) -> Vec<String> {
    let mut p = Vec::new();
    let codes = d.sections.iter().flat_map(|s| {
        std::iter::once(s.code.as_str()).chain(s.criteria.iter().map(|c| c.code.as_str()))
    });
    for c in duplicate_codes(codes) {
        p.push(format!("Mã “{c}” được dùng hai lần trong bảng."));
    }
    for c in d.sections.iter().flat_map(|s| &s.criteria) {
        if let Some((_, m)) = check_max_step(c.max_points, c.step) {
            p.push(format!("Tiêu chí {}: {m}", c.code));
        }
    }
    for (_, _, m) in check_band_set(&d.bands) {
        p.push(m);
    }
    p
}

#[cfg(test)]
mod tests;
