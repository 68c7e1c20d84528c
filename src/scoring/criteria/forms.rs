//! Input of the criteria table pages and its validation into the fields the store writes.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::scoring::model::{SectionKind, fmt};
use crate::scoring::tables::{BandRow, Criterion, Section, Table};
use crate::web::forms::{self, Errors};

use super::model::{self, DEFAULT_STEP, DraftBand, MAX_BANDS};

// ---- the table itself --------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct TableForm {
    pub name: String,
    pub description: String,
    pub bonus_cap: String,
    pub penalty_cap: String,
    pub tie_break_codes: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct TableFields {
    pub name: String,
    pub description: String,
    pub bonus_cap: Decimal,
    pub penalty_cap: Decimal,
    pub tie_break_codes: Vec<String>,
}

impl From<&Table> for TableFields {
    fn from(t: &Table) -> Self {
        TableFields {
            name: t.name.clone(),
            description: t.description.clone(),
            bonus_cap: t.bonus_cap.normalize(),
            penalty_cap: t.penalty_cap.normalize(),
            tie_break_codes: t.tie_break_codes.clone(),
        }
    }
}

impl From<&Table> for TableForm {
    fn from(t: &Table) -> Self {
        TableForm {
            name: t.name.clone(),
            description: t.description.clone(),
            bonus_cap: fmt(t.bonus_cap),
            penalty_cap: fmt(t.penalty_cap),
            tie_break_codes: model::tie_break_text(&t.tie_break_codes),
        }
    }
}

/// A cap: empty means 0.
fn cap(errors: &mut Errors, field: &'static str, value: &str) -> Decimal {
    match model::parse_figure(value) {
        Ok(d) => d.unwrap_or(Decimal::ZERO),
        Err(e) => {
            errors.add(
                field,
                format!("{e} Ghi số điểm không âm, ví dụ 3 hoặc 2,5; để trống là 0."),
            );
            Decimal::ZERO
        }
    }
}

impl TableForm {
    pub fn new_table() -> TableForm {
        TableForm {
            bonus_cap: "0".into(),
            penalty_cap: "0".into(),
            ..Default::default()
        }
    }

    pub fn validate(&self) -> (TableFields, Errors) {
        let mut e = Errors::default();
        let name = forms::text(&mut e, "name", &self.name, "tên bảng tiêu chí", 2, 300);
        let description =
            forms::optional_text(&mut e, "description", &self.description, "Mô tả", 4000);
        let bonus_cap = cap(&mut e, "bonus_cap", &self.bonus_cap);
        let penalty_cap = cap(&mut e, "penalty_cap", &self.penalty_cap);
        let tie_break_codes = model::parse_tie_break(&self.tie_break_codes).unwrap_or_else(|m| {
            e.add("tie_break_codes", m);
            Vec::new()
        });
        (
            TableFields {
                name,
                description,
                bonus_cap,
                penalty_cap,
                tie_break_codes,
            },
            e,
        )
    }
}

// ---- sections ------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct SectionForm {
    pub code: String,
    pub title: String,
    pub kind: String,
    pub position: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct SectionFields {
    pub code: String,
    pub title: String,
    pub kind: String,
    pub position: Option<i32>,
}

impl From<&Section> for SectionForm {
    fn from(s: &Section) -> Self {
        SectionForm {
            code: s.code.clone(),
            title: s.title.clone(),
            kind: s.kind.clone(),
            position: s.position.to_string(),
        }
    }
}

impl SectionForm {
    pub fn new_section() -> SectionForm {
        SectionForm {
            kind: SectionKind::Standard.as_str().into(),
            ..Default::default()
        }
    }

    pub fn validate(&self) -> (SectionFields, Errors) {
        let mut e = Errors::default();
        let code = model::check_code(&self.code).unwrap_or_else(|m| {
            e.add("code", m);
            String::new()
        });
        let title = forms::text(&mut e, "title", &self.title, "tên phần", 1, 500);
        let kind = match SectionKind::parse(&self.kind) {
            Some(k) => k.as_str().to_string(),
            None => {
                e.add(
                    "kind",
                    "Hãy chọn loại phần: tiêu chí chấm điểm, điểm thưởng hoặc điểm trừ.",
                );
                String::new()
            }
        };
        let position = position(&mut e, &self.position);
        (
            SectionFields {
                code,
                title,
                kind,
                position,
            },
            e,
        )
    }
}

/// The order of a section or criterion: empty keeps it (or puts a new one last).
fn position(errors: &mut Errors, value: &str) -> Option<i32> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<i32>() {
        Ok(p) if (1..=9999).contains(&p) => Some(p),
        _ => {
            errors.add("position", "Thứ tự là một số nguyên từ 1 đến 9999.");
            None
        }
    }
}

// ---- criteria ------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct CriterionForm {
    pub section_id: String,
    pub code: String,
    pub text: String,
    pub max_points: String,
    pub step: String,
    pub guidance: String,
    /// A checkbox: present ("on") when ticked.
    pub evidence_required: String,
    pub position: String,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct CriterionFields {
    pub section_id: i64,
    pub code: String,
    pub text: String,
    pub max_points: Decimal,
    pub step: Decimal,
    pub guidance: String,
    pub evidence_required: bool,
    pub position: Option<i32>,
}

impl From<&Criterion> for CriterionForm {
    fn from(c: &Criterion) -> Self {
        CriterionForm {
            section_id: c.section_id.to_string(),
            code: c.code.clone(),
            text: c.text.clone(),
            max_points: fmt(c.max_points),
            step: fmt(c.step),
            guidance: c.guidance.clone(),
            evidence_required: if c.evidence_required {
                "on".into()
            } else {
                String::new()
            },
            position: c.position.to_string(),
        }
    }
}

impl CriterionForm {
    pub fn new_criterion(section_id: Option<i64>) -> CriterionForm {
        CriterionForm {
            section_id: section_id.map(|s| s.to_string()).unwrap_or_default(),
            step: fmt(DEFAULT_STEP),
            ..Default::default()
        }
    }

    pub fn evidence(&self) -> bool {
        !self.evidence_required.is_empty()
    }

    /// Checks the fields; `sections` are the ids of the table's sections.
    pub fn validate(&self, sections: &[i64]) -> (CriterionFields, Errors) {
        let mut e = Errors::default();
        let section_id = match self.section_id.trim().parse::<i64>() {
            Ok(id) if sections.contains(&id) => id,
            _ => {
                e.add("section_id", "Hãy chọn phần của bảng mà tiêu chí thuộc về.");
                0
            }
        };
        let code = model::check_code(&self.code).unwrap_or_else(|m| {
            e.add("code", m);
            String::new()
        });
        let text = forms::text(&mut e, "text", &self.text, "nội dung tiêu chí", 1, 2000);
        let max_points = match model::parse_figure(&self.max_points) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                e.add("max_points", "Hãy nhập điểm tối đa, ví dụ 10 hoặc 2,5.");
                None
            }
            Err(m) => {
                e.add(
                    "max_points",
                    format!("{m} Ghi điểm tối đa là một số lớn hơn 0, ví dụ 10 hoặc 2,5."),
                );
                None
            }
        };
        let step = match model::parse_figure(&self.step) {
            Ok(d) => Some(d.unwrap_or(DEFAULT_STEP)),
            Err(m) => {
                e.add(
                    "step",
                    format!("{m} Ghi bước điểm, ví dụ 0,5 hoặc 1; để trống là 0,5."),
                );
                None
            }
        };
        if let (Some(max), Some(step)) = (max_points, step)
            && let Some((field, m)) = model::check_max_step(max, step)
        {
            e.add(field, m);
        }
        let guidance =
            forms::optional_text(&mut e, "guidance", &self.guidance, "Hướng dẫn chấm", 4000);
        let position = position(&mut e, &self.position);
        let f = CriterionFields {
            section_id,
            code,
            text,
            max_points: max_points.unwrap_or_default(),
            step: step.unwrap_or(DEFAULT_STEP),
            guidance,
            evidence_required: self.evidence(),
            position,
        };
        (f, e)
    }
}

// ---- rating bands --------------------------------------------------------------------------

/// One row of the bands form.
#[derive(Debug, Clone, Default)]
pub struct BandInput {
    pub name: String,
    pub min: String,
    pub no_zero: bool,
}

impl From<&BandRow> for BandInput {
    fn from(b: &BandRow) -> Self {
        BandInput {
            name: b.name.clone(),
            min: fmt(b.min_percent),
            no_zero: b.requires_no_zero,
        }
    }
}

/// Field names of the bands form, row by row (Errors keys are static).
pub const BAND_NAME: [&str; MAX_BANDS] = [
    "name_0", "name_1", "name_2", "name_3", "name_4", "name_5", "name_6", "name_7", "name_8",
    "name_9",
];
pub const BAND_MIN: [&str; MAX_BANDS] = [
    "min_0", "min_1", "min_2", "min_3", "min_4", "min_5", "min_6", "min_7", "min_8", "min_9",
];
pub const BAND_NO_ZERO: [&str; MAX_BANDS] = [
    "no_zero_0",
    "no_zero_1",
    "no_zero_2",
    "no_zero_3",
    "no_zero_4",
    "no_zero_5",
    "no_zero_6",
    "no_zero_7",
    "no_zero_8",
    "no_zero_9",
];

/// The rows of a posted bands form, in order (fields beyond `MAX_BANDS` rows are ignored).
pub fn band_inputs(fields: &[(String, String)]) -> Vec<BandInput> {
    let mut rows = vec![BandInput::default(); MAX_BANDS];
    for (k, v) in fields {
        for i in 0..MAX_BANDS {
            if k == BAND_NAME[i] {
                rows[i].name = v.clone();
            } else if k == BAND_MIN[i] {
                rows[i].min = v.clone();
            } else if k == BAND_NO_ZERO[i] {
                rows[i].no_zero = !v.is_empty();
            }
        }
    }
    rows
}

/// The bands of the filled rows (a row with neither name nor threshold is left out), or the
/// errors beside the fields.
pub fn validate_bands(rows: &[BandInput]) -> (Vec<DraftBand>, Errors) {
    let mut e = Errors::default();
    let mut bands = Vec::new();
    let mut index = Vec::new();
    for (i, r) in rows.iter().enumerate().take(MAX_BANDS) {
        if r.name.trim().is_empty() && r.min.trim().is_empty() {
            continue;
        }
        let name = model::check_band_name(&r.name).unwrap_or_else(|m| {
            e.add(BAND_NAME[i], m);
            String::new()
        });
        let min = model::check_band_min(&r.min).unwrap_or_else(|m| {
            e.add(BAND_MIN[i], m);
            Decimal::ZERO
        });
        bands.push(DraftBand {
            name,
            min_percent: min,
            requires_no_zero: r.no_zero,
        });
        index.push(i);
    }
    if e.is_empty() {
        for (b, field, m) in model::check_band_set(&bands) {
            let row = index.get(b).copied().unwrap_or(0);
            e.add(
                if field == "name" {
                    BAND_NAME[row]
                } else {
                    BAND_MIN[row]
                },
                m,
            );
        }
    }
    (bands, e)
}

/// The rows the bands form shows: the bands, then empty rows to add more (at least 4 rows).
pub fn band_rows(bands: &[BandRow]) -> Vec<BandInput> {
    let mut rows: Vec<BandInput> = bands.iter().map(BandInput::from).collect();
    let want = (rows.len() + 2).clamp(4, MAX_BANDS);
    while rows.len() < want {
        rows.push(BandInput {
            no_zero: true,
            ..Default::default()
        });
    }
    rows.truncate(MAX_BANDS);
    rows
}

/// Posted rows shown again after an error: as many as were filled, plus one, at least 4.
pub fn band_rows_again(mut rows: Vec<BandInput>) -> Vec<BandInput> {
    let last = rows
        .iter()
        .rposition(|r| !r.name.trim().is_empty() || !r.min.trim().is_empty());
    let want = last.map(|l| l + 2).unwrap_or(0).clamp(4, MAX_BANDS);
    rows.truncate(want);
    rows
}

// ---- copy ----------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct CopyForm {
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_table_needs_a_name_and_caps_that_are_not_negative() {
        let (_, e) = TableForm::default().validate();
        assert!(e.has("name"));
        let form = TableForm {
            name: "Bảng 2025".into(),
            bonus_cap: "3".into(),
            penalty_cap: "".into(),
            tie_break_codes: "II, I".into(),
            ..Default::default()
        };
        let (f, e) = form.validate();
        assert!(e.is_empty(), "{e:?}");
        assert_eq!((f.bonus_cap, f.penalty_cap), (dec("3"), Decimal::ZERO));
        assert_eq!(f.tie_break_codes, vec!["II".to_string(), "I".into()]);
        let form = TableForm {
            name: "Bảng".into(),
            bonus_cap: "-1".into(),
            penalty_cap: "x".into(),
            ..Default::default()
        };
        let (_, e) = form.validate();
        assert!(e.has("bonus_cap") && e.has("penalty_cap"));
    }

    #[test]
    fn a_criterion_is_checked_field_by_field() {
        let ok = CriterionForm {
            section_id: "7".into(),
            code: "1.1".into(),
            text: "Ban hành kế hoạch".into(),
            max_points: "2,5".into(),
            step: "".into(),
            evidence_required: "on".into(),
            ..Default::default()
        };
        let (f, e) = ok.validate(&[7]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(
            (f.max_points, f.step, f.evidence_required),
            (dec("2.5"), dec("0.5"), true)
        );
        let (_, e) = CriterionForm {
            max_points: "abc".into(),
            ..ok.clone()
        }
        .validate(&[7]);
        assert!(e.get("max_points").unwrap().contains("Hãy nhập một số"));
        let (_, e) = CriterionForm {
            max_points: "-3".into(),
            ..ok.clone()
        }
        .validate(&[7]);
        assert!(e.get("max_points").unwrap().contains("âm"));
        let (_, e) = CriterionForm {
            max_points: "2,25".into(),
            ..ok.clone()
        }
        .validate(&[7]);
        assert!(e.get("step").unwrap().contains("không chia hết"));
        let (_, e) = ok.validate(&[8]);
        assert!(e.has("section_id"));
    }

    #[test]
    fn bands_come_from_numbered_rows() {
        let posted: Vec<(String, String)> = [
            ("csrf", "t"),
            ("name_0", "Xuất sắc"),
            ("min_0", "95"),
            ("no_zero_0", "on"),
            ("name_1", ""),
            ("min_1", ""),
            ("name_2", "Hoàn thành nhiệm vụ"),
            ("min_2", "0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let rows = band_inputs(&posted);
        let (bands, e) = validate_bands(&rows);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(bands.len(), 2);
        assert!(bands[0].requires_no_zero && !bands[1].requires_no_zero);
        assert_eq!(band_rows_again(rows).len(), 4);
        let mut rows = band_inputs(&posted);
        rows[2].min = "120".into();
        rows[1] = BandInput {
            name: "xuất sắc".into(),
            min: "90".into(),
            no_zero: true,
        };
        let (_, e) = validate_bands(&rows);
        assert!(e.has("min_2"));
        rows[2].min = "50".into();
        let (_, e) = validate_bands(&rows);
        assert!(e.get("name_1").unwrap().contains("hai lần"));
    }
}
