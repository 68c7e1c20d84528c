//! What an import would do, decided from the file and what the target already has, both read
//! as exchange documents: an element missing from the target is created; one equal by every
//! field is left alone; one that differs is reported field by field and left as it is (the
//! target's own record wins; nothing is overwritten or deleted).

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

use super::Document;

#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Create,
    Same,
    /// The names of the fields that differ.
    Differs(Vec<String>),
}

/// One section of the file: a change per element, in the file's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub label: &'static str,
    pub json: &'static str,
    pub changes: Vec<(String, Change)>,
}

impl Section {
    pub fn count(&self, want: fn(&Change) -> bool) -> usize {
        self.changes.iter().filter(|(_, c)| want(c)).count()
    }

    pub fn created(&self) -> usize {
        self.count(|c| *c == Change::Create)
    }

    /// "Đơn vị: 12 tạo mới, 0 đã có, 0 khác (giữ nguyên)".
    pub fn line(&self) -> String {
        format!(
            "{}: {} tạo mới, {} đã có, {} khác (giữ nguyên)",
            self.label,
            self.created(),
            self.count(|c| *c == Change::Same),
            self.count(|c| matches!(c, Change::Differs(_)))
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub units: Section,
    pub clusters: Section,
    pub cluster_years: Section,
    pub award_types: Section,
    pub decisions: Section,
    pub awards: Section,
}

impl Plan {
    pub fn sections(&self) -> [&Section; 6] {
        [
            &self.units,
            &self.clusters,
            &self.cluster_years,
            &self.award_types,
            &self.decisions,
            &self.awards,
        ]
    }

    pub fn created(&self) -> usize {
        self.sections().iter().map(|s| s.created()).sum()
    }

    /// The row report: a count line per section, a line per differing element, and the outcome.
    pub fn report(&self, written: bool) -> Vec<String> {
        let mut out: Vec<String> = self.sections().iter().map(|s| s.line()).collect();
        for s in self.sections() {
            for (key, c) in &s.changes {
                if let Change::Differs(fields) = c {
                    out.push(format!(
                        "Khác (giữ nguyên bản đang có): {} {key}: {}",
                        s.json,
                        fields.join(", ")
                    ));
                }
            }
        }
        out.push(match (self.created(), written) {
            (0, _) => "Không có gì thay đổi: mọi phần tử của tệp đều đã có.".to_string(),
            (n, true) => format!("Đã nhập {n} phần tử mới."),
            (n, false) => format!("Sẽ nhập {n} phần tử mới."),
        });
        out
    }
}

/// The fields of two elements whose values differ.
fn diff<T: Serialize>(a: &T, b: &T) -> Vec<String> {
    let (a, b) = (serde_json::to_value(a), serde_json::to_value(b));
    match (a, b) {
        (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) => a
            .iter()
            .filter(|(k, v)| b.get(*k) != Some(v))
            .map(|(k, _)| k.clone())
            .collect(),
        _ => vec!["?".into()],
    }
}

fn section<T: Serialize, K: Eq + Hash>(
    label: &'static str,
    json: &'static str,
    file: &[T],
    target: &[T],
    key: impl Fn(&T) -> K,
    name: impl Fn(&T) -> String,
) -> Section {
    let have: HashMap<K, &T> = target.iter().map(|t| (key(t), t)).collect();
    let changes = file
        .iter()
        .map(|f| {
            let c = match have.get(&key(f)) {
                None => Change::Create,
                Some(t) => match diff(f, *t) {
                    d if d.is_empty() => Change::Same,
                    d => Change::Differs(d),
                },
            };
            (name(f), c)
        })
        .collect();
    Section {
        label,
        json,
        changes,
    }
}

/// The plan for importing `file` into a tenant whose data reads as `target`.
pub fn plan(file: &Document, target: &Document) -> Plan {
    Plan {
        units: section(
            "Đơn vị",
            "units",
            &file.units,
            &target.units,
            |u| u.code.clone(),
            |u| format!("“{}”", u.code),
        ),
        clusters: section(
            "Cụm, khối thi đua",
            "clusters",
            &file.clusters,
            &target.clusters,
            |c| c.name.clone(),
            |c| format!("“{}”", c.name),
        ),
        cluster_years: section(
            "Năm thi đua",
            "cluster_years",
            &file.cluster_years,
            &target.cluster_years,
            |y| (y.cluster.clone(), y.year),
            |y| format!("“{}” năm {}", y.cluster, y.year),
        ),
        award_types: section(
            "Danh hiệu, hình thức khen thưởng",
            "award_types",
            &file.award_types,
            &target.award_types,
            |t| t.name.clone(),
            |t| format!("“{}”", t.name),
        ),
        decisions: section(
            "Quyết định khen thưởng",
            "decisions",
            &file.decisions,
            &target.decisions,
            |d| d.clone(),
            |d| {
                format!(
                    "số {} ngày {} của {}",
                    d.number,
                    d.date.format("%d/%m/%Y"),
                    d.issuer
                )
            },
        ),
        awards: section(
            "Khen thưởng của đơn vị",
            "awards",
            &file.awards,
            &target.awards,
            |a| (a.unit.clone(), a.year, a.award.clone()),
            |a| format!("“{}” năm {} “{}”", a.unit, a.year, a.award),
        ),
    }
}
