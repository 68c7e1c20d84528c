//! Input of the criteria table pages and its validation into the fields the store writes.

mod bands;
#[cfg(test)]
mod tests;

pub use bands::{
    BAND_MIN, BAND_NAME, BAND_NO_ZERO, BandInput, band_inputs, band_rows, band_rows_again,
    validate_bands,
};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::scoring::model::{SectionKind, fmt};
use crate::scoring::tables::{Criterion, Section, Table};
use crate::web::forms::{self, Errors};

use super::model::{self, DEFAULT_STEP};

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
    pub kind: SectionKind,
    pub position: Option<i32>,
}

impl From<&Section> for SectionForm {
    fn from(s: &Section) -> Self {
        SectionForm {
            code: s.code.clone(),
            title: s.title.clone(),
            kind: s.kind.as_str().into(),
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
        let kind = SectionKind::parse(&self.kind).unwrap_or_else(|| {
            e.add(
                "kind",
                "Hãy chọn loại phần: tiêu chí chấm điểm, điểm thưởng hoặc điểm trừ.",
            );
            SectionKind::Standard
        });
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

// ---- copy ----------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct CopyForm {
    pub name: String,
}
