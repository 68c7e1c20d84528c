//! The yearly statistics, pure: which of thidua's facts a computed cell counts, and the totals
//! (a total row is the sum of its rows, a total column the sum of its columns, typed and
//! computed alike).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::defs::{FormDef, RowKind};

/// A movement launched in the year, in the scope.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct MovementFact {
    /// 'thuong_xuyen', 'theo_dot' or 'chuyen_de'.
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
    /// Launched by the council (else by a cluster's leader unit).
    pub by_council: bool,
}

/// An award in a unit's history for the year, in the scope.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct AwardFact {
    pub name: String,
    /// The award type's level ('government', 'ministry_province', 'grassroots' or the council's
    /// own wording); empty for an award entered from paper without a type.
    pub level: String,
    /// 'collective' or 'individual'; empty without a type.
    pub target: String,
}

#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub movements: Vec<MovementFact>,
    pub awards: Vec<AwardFact>,
}

/// How long a movement runs, by the rows of form 0601's second group. A regular movement with
/// no set end runs year by year: it counts as "1 năm".
pub fn duration_row(starts_on: NaiveDate, ends_on: Option<NaiveDate>) -> &'static str {
    let Some(end) = ends_on else { return "07" };
    // Calendar months touched: 1 January to 31 December is 12.
    let months =
        (end.year() - starts_on.year()) * 12 + end.month() as i32 - starts_on.month() as i32 + 1;
    match months {
        ..12 => "06",
        12 => "07",
        13..36 => "08",
        36..60 => "09",
        _ => "10",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Government,
    MinistryProvince,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Flag,
    Certificate,
    Soldier,
}

/// Where an award lands in forms 0602/0603: its level, its kind and whether it went to a
/// collective. None: no column of these forms (Giấy khen, Tập thể lao động xuất sắc …).
pub fn classify(a: &AwardFact) -> Option<(Level, Kind, bool)> {
    let name = a.name.to_lowercase();
    let kind = if name.contains("cờ thi đua") {
        Kind::Flag
    } else if name.contains("bằng khen") {
        Kind::Certificate
    } else if name.contains("chiến sĩ thi đua") {
        Kind::Soldier
    } else {
        return None;
    };
    let level = match a.level.as_str() {
        "government" => Level::Government,
        "ministry_province" => Level::MinistryProvince,
        "grassroots" => Level::Other,
        // Without a known level, the name tells it, as the paper record wrote it.
        _ if name.contains("chính phủ") || name.contains("toàn quốc") => Level::Government,
        _ if name.contains("cơ sở") => Level::Other,
        _ => Level::MinistryProvince,
    };
    if level == Level::Other {
        return None;
    }
    let collective = match a.target.as_str() {
        "collective" => true,
        "individual" => false,
        _ => kind != Kind::Soldier,
    };
    Some((level, kind, collective))
}

/// The figure thidua counts for a computed cell.
pub fn computed(form: &str, row: &str, col: &str, f: &Facts) -> i64 {
    match form {
        "0601" => {
            let by_council = col == "3";
            f.movements
                .iter()
                .filter(|m| m.by_council == by_council)
                .filter(|m| match row {
                    "03" | "04" => true,
                    "11" => m.kind == "chuyen_de",
                    "12" => m.kind == "thuong_xuyen",
                    r => duration_row(m.starts_on, m.ends_on) == r,
                })
                .count() as i64
        }
        "0602" | "0603" => {
            let level = if form == "0602" {
                Level::Government
            } else {
                Level::MinistryProvince
            };
            let collective = matches!(row, "02" | "06");
            let kind = match (form, col) {
                ("0602", "5") | ("0603", "4") => Kind::Flag,
                ("0602", "6") | ("0603", "2") => Kind::Certificate,
                _ => Kind::Soldier,
            };
            f.awards
                .iter()
                .filter(|a| classify(a) == Some((level, kind, collective)))
                .count() as i64
        }
        _ => 0,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Computed,
    Typed,
    Total,
    /// Nothing to write: the form has no figure there.
    Blank,
}

#[derive(Clone, Debug)]
pub struct Cell {
    pub source: Source,
    /// None: a typed cell nobody filled (a total counts it as 0), or a blank one.
    pub value: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct Row {
    pub code: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub heading: bool,
    pub total: bool,
    pub cells: Vec<Cell>,
}

#[derive(Clone)]
pub struct Filled {
    pub def: &'static FormDef,
    pub rows: Vec<Row>,
}

/// The source of a data row's cell in a column that is not a total.
pub fn source_of(kind: &RowKind, col: &str) -> Source {
    match kind {
        RowKind::Heading => Source::Blank,
        RowKind::Sum(_) => Source::Total,
        RowKind::Data { computed, typed } => {
            if computed.contains(&col) {
                Source::Computed
            } else if typed.contains(&col) {
                Source::Typed
            } else {
                Source::Blank
            }
        }
    }
}

/// Typed figures by (row, column).
pub type Typed = BTreeMap<(String, String), i64>;

/// The form with every figure: computed from the facts, typed as kept, totals added up.
pub fn fill(def: &'static FormDef, facts: &Facts, typed: &Typed) -> Filled {
    let mut rows: Vec<Row> = Vec::new();
    for r in def.rows {
        let mut cells: Vec<Cell> = def
            .cols
            .iter()
            .map(|c| {
                if !c.parts.is_empty() && !matches!(r.kind, RowKind::Heading) {
                    return Cell {
                        source: Source::Total,
                        value: None,
                    };
                }
                let source = source_of(&r.kind, c.code);
                let value = match source {
                    Source::Computed => Some(computed(def.code, r.code, c.code, facts)),
                    Source::Typed => typed
                        .get(&(r.code.to_string(), c.code.to_string()))
                        .copied(),
                    _ => None,
                };
                Cell { source, value }
            })
            .collect();
        // A data row's total columns: the sum of their columns.
        if let RowKind::Data { .. } = r.kind {
            for (i, c) in def.cols.iter().enumerate() {
                if !c.parts.is_empty() {
                    let sum = def
                        .cols
                        .iter()
                        .zip(&cells)
                        .filter(|(p, _)| c.parts.contains(&p.code))
                        .map(|(_, cell)| cell.value.unwrap_or(0))
                        .sum();
                    cells[i].value = Some(sum);
                }
            }
        }
        rows.push(Row {
            code: r.code,
            label: r.label,
            unit: r.unit,
            heading: matches!(r.kind, RowKind::Heading),
            total: matches!(r.kind, RowKind::Sum(_)),
            cells,
        });
    }
    // A total row: the sum of its rows, column by column (their totals included).
    for (i, r) in def.rows.iter().enumerate() {
        if let RowKind::Sum(parts) = r.kind {
            for j in 0..def.cols.len() {
                let sum = rows
                    .iter()
                    .filter(|p| parts.contains(&p.code))
                    .map(|p| p.cells[j].value.unwrap_or(0))
                    .sum();
                rows[i].cells[j].value = Some(sum);
            }
        }
    }
    Filled { def, rows }
}

/// A typed figure above the column it is part of, in its row ("Trong đó: Nữ" over "Tổng số").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverLimit {
    pub row: &'static str,
    pub col: &'static str,
    pub limit_col: &'static str,
    pub limit: i64,
}

/// Every data row's figure that exceeds the column it belongs to (an empty limit counts 0).
pub fn over_limits(f: &Filled) -> Vec<OverLimit> {
    let at = |code: &str| f.def.cols.iter().position(|c| c.code == code);
    let mut out = Vec::new();
    for &(col, limit_col) in f.def.within {
        let (Some(j), Some(k)) = (at(col), at(limit_col)) else {
            continue;
        };
        for r in f.rows.iter().filter(|r| !r.heading && !r.total) {
            let limit = r.cells[k].value.unwrap_or(0);
            if r.cells[j].value.is_some_and(|v| v > limit) {
                out.push(OverLimit {
                    row: r.code,
                    col,
                    limit_col,
                    limit,
                });
            }
        }
    }
    out
}

/// A breakdown whose rows do not add up to its total, in one column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub label: &'static str,
    pub col: &'static str,
    pub sum: i64,
    pub total: i64,
}

/// The further breakdowns that do not add up to their total. A group with no figure at all is
/// not filled yet, and says nothing.
pub fn mismatches(f: &Filled) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for b in f.def.breakdowns {
        let Some(total) = f.rows.iter().find(|r| r.code == b.total) else {
            continue;
        };
        let group: Vec<&Row> = f.rows.iter().filter(|r| b.rows.contains(&r.code)).collect();
        for (j, c) in f.def.cols.iter().enumerate() {
            if group.iter().all(|r| r.cells[j].value.is_none()) {
                continue;
            }
            let sum = group.iter().map(|r| r.cells[j].value.unwrap_or(0)).sum();
            let total = total.cells[j].value.unwrap_or(0);
            if sum != total {
                out.push(Mismatch {
                    label: b.label,
                    col: c.code,
                    sum,
                    total,
                });
            }
        }
    }
    out
}

/// The field name of a typed cell in the page's form.
pub fn field(form: &str, row: &str, col: &str) -> String {
    format!("v_{form}_{row}_{col}")
}

/// Reads a typed figure: empty clears it; otherwise a whole number from 0 to 1.000.000.000,
/// thousands may be grouped with dots or spaces as Vietnamese write them.
pub fn parse_figure(s: &str) -> Result<Option<i64>, &'static str> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.starts_with('-') {
        return Err("Số liệu không được âm.");
    }
    let digits: String = t.chars().filter(|c| *c != '.' && *c != ' ').collect();
    // "1.5" is no grouping: a group after a dot has three digits.
    let grouped_ok = t
        .split(['.', ' '])
        .skip(1)
        .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || !grouped_ok {
        return Err("Nhập một số nguyên không âm, ví dụ 12 hoặc 1.250.");
    }
    match digits.parse::<i64>() {
        Ok(v) if v <= 1_000_000_000 => Ok(Some(v)),
        _ => Err("Số quá lớn: tối đa 1.000.000.000."),
    }
}

#[cfg(test)]
mod tests;
