//! The query (year and scope) and the posted typed figures, checked.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::defs::{self, FORMS, RowKind};
use super::model::{self, Facts, Source};
use super::store::{self, Change, TypedCell};
use crate::web::forms::{Errors, Pairs, first};

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct StatsQuery {
    pub year: String,
    pub scope: String,
    pub saved: String,
}

/// The part of the tenant the forms count: all of it, or one cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Cluster(i64),
}

impl Scope {
    /// "all" or "c12"; anything else is no scope.
    pub fn parse(s: &str) -> Option<Scope> {
        let s = s.trim();
        if s.is_empty() || s == "all" {
            return Some(Scope::All);
        }
        let id = s.strip_prefix('c')?.parse::<i64>().ok()?;
        (id > 0).then_some(Scope::Cluster(id))
    }

    pub fn key(self) -> String {
        match self {
            Scope::All => "all".into(),
            Scope::Cluster(id) => format!("c{id}"),
        }
    }

    pub fn cluster(self) -> Option<i64> {
        match self {
            Scope::All => None,
            Scope::Cluster(id) => Some(id),
        }
    }
}

pub fn year(s: &str) -> Option<i32> {
    s.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1945..=2100).contains(y))
}

/// What was posted: the changes to save, or the errors beside their cells; `kept` holds every
/// typed field as it came, so a page sent back loses nothing.
pub struct Posted {
    pub changes: Vec<Change>,
    pub errors: Errors,
    pub kept: BTreeMap<String, String>,
    /// Cells that may not be typed, each a sentence naming it ("… biểu 0601, dòng 03, cột 3: …")
    /// and why: said at the top of the page, since they have no box to show a message beside.
    pub refused: Vec<String>,
}

/// Reads every typed cell of the scope's forms from the post (`whole`: the whole tenant's
/// scope). A field naming a cell the council may not type (a computed one, a total, a blank, a
/// form of the whole tenant in a cluster's scope) is refused by name: a computed cell is never
/// typed over.
pub fn posted(pairs: &Pairs, whole: bool) -> Posted {
    let mut typed_fields = std::collections::BTreeSet::new();
    let mut changes = Vec::new();
    let mut errors = Errors::default();
    let mut kept = BTreeMap::new();
    for f in defs::in_scope(whole) {
        for r in f.rows {
            for c in f.cols {
                let source = if c.parts.is_empty() {
                    model::source_of(&r.kind, c.code)
                } else if matches!(r.kind, RowKind::Heading) {
                    Source::Blank
                } else {
                    Source::Total
                };
                if source != Source::Typed {
                    continue;
                }
                let name = model::field(f.code, r.code, c.code);
                typed_fields.insert(name.clone());
                // A form on the page without this field leaves the figure as it is.
                if !pairs.iter().any(|(k, _)| *k == name) {
                    continue;
                }
                let v = first(pairs, &name);
                kept.insert(name.clone(), v.to_string());
                match model::parse_figure(v) {
                    Ok(value) => changes.push(Change {
                        form: f.code,
                        row: r.code,
                        col: c.code,
                        value,
                    }),
                    Err(e) => errors.add(name, e),
                }
            }
        }
    }
    let mut refused = Vec::new();
    for (k, _) in pairs {
        if k.starts_with("v_") && !typed_fields.contains(k) {
            let parts: Vec<&str> = k.splitn(4, '_').collect();
            let (cell, form) = match parts.as_slice() {
                [_, form, row, col] => (format!("biểu {form}, dòng {row}, cột {col}"), *form),
                _ => (k.clone(), ""),
            };
            let why = if defs::form(form).is_some_and(|f| f.whole_tenant) && !whole {
                "biểu này chỉ nhập cho phạm vi “Toàn bộ các cụm, khối và đơn vị”."
            } else {
                "ô này do thidua tính từ dữ liệu hoặc là dòng, cột tổng."
            };
            refused.push(format!("Không nhập tay được {cell}: {why}"));
            errors.add(k.clone(), why);
        }
    }
    Posted {
        changes,
        errors,
        kept,
        refused,
    }
}

/// Refuses, beside its box, a figure that would exceed the column it is part of once the
/// posted changes are applied to the stored figures ("Trong đó: Nữ" above "Tổng số").
pub fn check_limits(p: &mut Posted, facts: &Facts, stored: &[TypedCell]) {
    for f in FORMS.iter().filter(|f| !f.within.is_empty()) {
        let mut typed = store::of_form(stored, f.code);
        for c in p.changes.iter().filter(|c| c.form == f.code) {
            let key = (c.row.to_string(), c.col.to_string());
            match c.value {
                Some(v) => typed.insert(key, v),
                None => typed.remove(&key),
            };
        }
        let filled = model::fill(f, facts, &typed);
        for o in model::over_limits(&filled) {
            let label = f
                .cols
                .iter()
                .find(|c| c.code == o.limit_col)
                .map_or("", |c| c.label);
            p.errors.add(
                model::field(f.code, o.row, o.col),
                format!(
                    "Không được lớn hơn “{label}” của dòng này ({}).",
                    crate::web::vn::integer(o.limit)
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::forms::pairs;

    fn posted_all(p: &Pairs) -> Posted {
        posted(p, true)
    }

    #[test]
    fn scopes_read_back_as_written() {
        assert_eq!(Scope::parse(""), Some(Scope::All));
        assert_eq!(Scope::parse("c12"), Some(Scope::Cluster(12)));
        assert_eq!(Scope::parse("c12").unwrap().key(), "c12");
        assert_eq!(Scope::parse("x"), None);
        assert_eq!(Scope::parse("c-1"), None);
    }

    #[test]
    fn a_computed_cell_is_refused_and_a_bad_figure_named_beside_its_cell() {
        let p = posted_all(&pairs(&[
            ("v_0601_02_2", "4"),
            ("v_0601_03_3", "9"),
            ("v_0603_04_5", "-1"),
        ]));
        assert_eq!(p.changes.len(), 1);
        assert_eq!(p.changes[0].value, Some(4));
        assert!(p.errors.has("v_0601_03_3"));
        assert!(p.errors.get("v_0603_04_5").unwrap().contains("âm"));
        assert_eq!(p.kept.get("v_0603_04_5").map(String::as_str), Some("-1"));
        assert_eq!(
            p.refused,
            vec![
                "Không nhập tay được biểu 0601, dòng 03, cột 3: ô này do thidua tính từ dữ liệu \
                 hoặc là dòng, cột tổng."
                    .to_string()
            ]
        );
    }

    fn stored(row: &str, col: &str, value: i64) -> TypedCell {
        TypedCell {
            form: "0605".into(),
            row_code: row.into(),
            col_code: col.into(),
            value,
            typed_by_name: "A".into(),
            typed_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn women_are_checked_against_the_people_as_they_will_be_saved() {
        // 3 people stored in row 02; 2 women posted: within.
        let mut p = posted_all(&pairs(&[("v_0605_02_2", "2")]));
        check_limits(&mut p, &Facts::default(), &[stored("02", "1", 3)]);
        assert!(p.errors.is_empty());
        // The same post lowering the people to 1: the women's box says why.
        let mut p = posted_all(&pairs(&[("v_0605_02_1", "1"), ("v_0605_02_2", "2")]));
        check_limits(&mut p, &Facts::default(), &[stored("02", "1", 3)]);
        assert_eq!(
            p.errors.get("v_0605_02_2").map(String::as_str),
            Some("Không được lớn hơn “Tổng số” của dòng này (1).")
        );
        assert!(!p.errors.has("v_0605_02_1"));
        // Clearing the people leaves stored women over an empty total.
        let mut p = posted_all(&pairs(&[("v_0605_02_1", "")]));
        check_limits(
            &mut p,
            &Facts::default(),
            &[stored("02", "1", 3), stored("02", "2", 1)],
        );
        assert!(p.errors.has("v_0605_02_2"));
    }
}
