//! The forms as the page, the print view and the .xlsx show them: one computation, every
//! figure formatted, typed cells with who typed them and when.

use std::collections::BTreeMap;

use super::defs::{self, FormDef};
use super::model::{self, Facts, Source};
use super::store::{self, TypedCell};
use crate::web::forms::Errors;
use crate::web::vn;

pub struct CellView {
    pub source: Source,
    /// The figure as printed ("1.250"), empty for a blank or unfilled cell.
    pub text: String,
    pub value: Option<i64>,
    /// A typed cell's field name and what its box holds (as typed, when the page comes back).
    pub name: String,
    pub input: String,
    pub error: Option<String>,
    /// "Nhập tay: Nguyễn Văn A, 02/12/2026 09:30".
    pub note: String,
}

impl CellView {
    pub fn typed(&self) -> bool {
        self.source == Source::Typed
    }
    pub fn class(&self) -> &'static str {
        match self.source {
            Source::Computed => "computed",
            Source::Typed => "typed",
            Source::Total => "total",
            Source::Blank => "blank",
        }
    }
}

pub struct RowView {
    pub code: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub heading: bool,
    pub total: bool,
    pub cells: Vec<CellView>,
}

pub struct FormView {
    pub def: &'static FormDef,
    pub rows: Vec<RowView>,
    /// Breakdowns that do not add up to their total, said under the form.
    pub warnings: Vec<String>,
}

impl FormView {
    /// The letters and numbers under the headers: A, B, (C), 1, 2, …
    pub fn col_marks(&self) -> Vec<String> {
        let mut v = vec!["A".to_string(), "B".to_string()];
        if self.def.has_unit_column() {
            v.push("C".into());
        }
        for c in self.def.cols {
            if c.parts.is_empty() {
                v.push(c.code.to_string());
            } else {
                v.push(format!("{}=({})", c.code, c.parts.join("+")));
            }
        }
        v
    }
}

/// The year's forms for a scope (`whole`: the whole tenant's). `kept` and `errors` come from a
/// post sent back.
pub fn forms(
    whole: bool,
    facts: &Facts,
    typed: &[TypedCell],
    kept: &BTreeMap<String, String>,
    errors: &Errors,
) -> Vec<FormView> {
    defs::in_scope(whole)
        .map(|def| {
            let filled = model::fill(def, facts, &store::of_form(typed, def.code));
            let rows = filled
                .rows
                .iter()
                .map(|r| RowView {
                    code: r.code,
                    label: r.label,
                    unit: r.unit,
                    heading: r.heading,
                    total: r.total,
                    cells: r
                        .cells
                        .iter()
                        .zip(def.cols)
                        .map(|(cell, c)| {
                            let name = model::field(def.code, r.code, c.code);
                            let stored = typed.iter().find(|t| {
                                t.form == def.code && t.row_code == r.code && t.col_code == c.code
                            });
                            let input = match kept.get(&name) {
                                Some(v) => v.clone(),
                                None => cell.value.map(vn::integer).unwrap_or_default(),
                            };
                            let note = match (cell.source, stored) {
                                (Source::Typed, Some(t)) => format!(
                                    "Nhập tay: {}, {}",
                                    t.typed_by_name,
                                    vn::datetime(t.typed_at)
                                ),
                                (Source::Typed, None) => "Nhập tay: chưa nhập".into(),
                                (Source::Computed, _) => "Tính từ dữ liệu thidua".into(),
                                _ => String::new(),
                            };
                            CellView {
                                source: cell.source,
                                text: cell.value.map(vn::integer).unwrap_or_default(),
                                value: cell.value,
                                error: errors.get(&name).cloned(),
                                name,
                                input,
                                note,
                            }
                        })
                        .collect(),
                })
                .collect();
            let warnings = model::mismatches(&filled)
                .iter()
                .map(|m| {
                    format!(
                        "{}: các dòng cộng lại ở cột {} là {}, khác dòng “Tổng số” ({}). \
                         Hãy kiểm tra lại số liệu nhập tay.",
                        m.label,
                        m.col,
                        vn::integer(m.sum),
                        vn::integer(m.total)
                    )
                })
                .collect();
            FormView {
                def,
                rows,
                warnings,
            }
        })
        .collect()
}

/// Awards of the year that no column of these forms counts (Giấy khen, titles such as Tập thể
/// lao động xuất sắc …), with how many: shown so that nothing is left out unseen.
pub fn uncounted(facts: &Facts) -> Vec<(String, usize)> {
    let mut m: BTreeMap<String, usize> = BTreeMap::new();
    for a in &facts.awards {
        if model::classify(a).is_none() {
            *m.entry(a.name.clone()).or_default() += 1;
        }
    }
    m.into_iter().collect()
}

/// What the page says under each form's title; the source could not be read in the circular.
pub fn unverified_note(def: &FormDef) -> String {
    format!(
        "Bố cục theo biểu số {} (Thông tư 02/2023/TT-BNV); chưa đối chiếu được với văn bản gốc: \
         tên dòng, mã số và cột lấy theo một bản sao công khai, chưa rõ Thông tư 15/2025/TT-BNV \
         hay Thông tư 18/2025/TT-BNV (chế độ báo cáo thống kê ngành Nội vụ) có thay đổi biểu này \
         hay không.",
        def.number
    )
}
