//! Checks on a whole file before anything is written: every element is checked with the same
//! rules as the forms (units and clusters go through the organisation's own form checks), and
//! every reference must name an element of the file. Each problem names its element.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use super::{Document, Unit};
use crate::org::forms::{ClusterForm, UnitForm};
use crate::org::model::Phase;
use crate::org::store::{ClusterFields, UnitFields};

/// What is wrong, and where: `at` names the element ("units[3] (mã “ca ls”)"); None for the
/// file as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub at: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn file(message: String) -> Problem {
        Problem { at: None, message }
    }

    fn at(at: String, message: impl Into<String>) -> Problem {
        Problem {
            at: Some(at),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.at {
            Some(at) => write!(f, "Lỗi: {at}: {}", self.message),
            None => write!(f, "Lỗi: {}", self.message),
        }
    }
}

const UNIT_FIELDS: [(&str, &str); 11] = [
    ("code", "code"),
    ("name", "name"),
    ("short_name", "short_name"),
    ("kind", "kind"),
    ("head_name", "head_name"),
    ("head_title", "head_title"),
    ("superior", "superior"),
    ("place_name", "place"),
    ("address", "address"),
    ("phone", "phone"),
    ("email", "email"),
];

const CLUSTER_FIELDS: [&str; 7] = [
    "name",
    "kind",
    "decision_number",
    "decision_date",
    "decision_issuer",
    "description",
    "superior",
];

pub fn unit_form(u: &Unit) -> UnitForm {
    UnitForm {
        code: u.code.clone(),
        name: u.name.clone(),
        short_name: u.short_name.clone(),
        kind: u.kind.clone(),
        head_name: u.head_name.clone(),
        head_title: u.head_title.clone(),
        superior: u.superior.clone(),
        place_name: u.place.clone(),
        address: u.address.clone(),
        phone: u.phone.clone(),
        email: u.email.clone(),
    }
}

pub fn cluster_fields(c: &super::Cluster) -> ClusterFields {
    ClusterFields {
        name: c.name.clone(),
        kind: c.kind.clone(),
        decision_number: c.decision_number.clone(),
        decision_date: c.decision_date,
        decision_issuer: c.decision_issuer.clone(),
        description: c.description.clone(),
        superior: c.superior.clone(),
    }
}

/// Every problem of the file, in the order of its sections; empty when it may be imported.
pub fn check(d: &Document) -> Vec<Problem> {
    let mut out = Vec::new();
    if crate::admin::check_code(&d.tenant.code).is_err() {
        out.push(Problem::at(
            "tenant".into(),
            format!("mã đơn vị tổ chức “{}” không hợp lệ.", d.tenant.code),
        ));
    }
    let units = check_units(d, &mut out);
    let clusters = check_clusters(d, &mut out);
    check_years(d, &units, &clusters, &mut out);
    let types = check_award_types(d, &mut out);
    let decisions = check_decisions(d, &mut out);
    check_awards(d, &units, &types, &decisions, &mut out);
    out
}

fn check_units(d: &Document, out: &mut Vec<Problem>) -> HashSet<String> {
    let mut seen = HashSet::new();
    for (i, u) in d.units.iter().enumerate() {
        let at = format!("units[{i}] (mã “{}”)", u.code);
        let (f, e) = unit_form(u).validate();
        for (field, json) in UNIT_FIELDS {
            if let Some(m) = e.get(field) {
                out.push(Problem::at(at.clone(), format!("{json}: {m}")));
            }
        }
        if e.is_empty() && f.code != u.code {
            out.push(Problem::at(
                at.clone(),
                "code: mã đơn vị viết bằng chữ thường, không có khoảng trắng ở đầu hay cuối.",
            ));
        }
        if !seen.insert(u.code.clone()) {
            out.push(Problem::at(at, "mã đơn vị này đã có ở một phần tử trước."));
        }
    }
    seen
}

/// The validated fields of a unit of the file (call only on a file without problems).
pub fn unit_fields(u: &Unit) -> UnitFields {
    unit_form(u).validate().0
}

fn check_clusters(d: &Document, out: &mut Vec<Problem>) -> HashMap<String, String> {
    let mut seen = HashMap::new();
    for (i, c) in d.clusters.iter().enumerate() {
        let at = format!("clusters[{i}] (“{}”)", c.name);
        let (_, e) = ClusterForm::from(&cluster_fields(c)).validate();
        for field in CLUSTER_FIELDS {
            if let Some(m) = e.get(field) {
                out.push(Problem::at(at.clone(), format!("{field}: {m}")));
            }
        }
        if seen.insert(c.name.clone(), c.kind.clone()).is_some() {
            out.push(Problem::at(
                at,
                "tên cụm, khối này đã có ở một phần tử trước.",
            ));
        }
    }
    seen
}

fn check_years(
    d: &Document,
    units: &HashSet<String>,
    clusters: &HashMap<String, String>,
    out: &mut Vec<Problem>,
) {
    let mut seen = HashSet::new();
    // (unit, kind, year) → the cluster that holds it: one cluster of a kind a year.
    let mut held: HashMap<(&str, &str, i32), &str> = HashMap::new();
    for (i, y) in d.cluster_years.iter().enumerate() {
        let at = format!("cluster_years[{i}] (“{}” năm {})", y.cluster, y.year);
        let kind = clusters.get(&y.cluster);
        if kind.is_none() {
            out.push(Problem::at(
                at.clone(),
                "cluster: không có cụm, khối tên này trong “clusters”.",
            ));
        }
        if !(2000..=2100).contains(&y.year) {
            out.push(Problem::at(
                at.clone(),
                "year: năm thi đua phải từ 2000 đến 2100.",
            ));
        }
        if Phase::parse(&y.phase).is_none() {
            out.push(Problem::at(
                at.clone(),
                format!("phase: giai đoạn “{}” không có.", y.phase),
            ));
        }
        if !seen.insert((y.cluster.as_str(), y.year)) {
            out.push(Problem::at(
                at.clone(),
                "năm thi đua này của cụm đã có ở một phần tử trước.",
            ));
        }
        let mut members = HashSet::new();
        for m in &y.members {
            if !units.contains(m) {
                out.push(Problem::at(
                    at.clone(),
                    format!("members: không có đơn vị mã “{m}” trong “units”."),
                ));
            }
            if !members.insert(m.as_str()) {
                out.push(Problem::at(
                    at.clone(),
                    format!("members: đơn vị “{m}” ghi hai lần."),
                ));
            }
            if let Some(kind) = kind
                && let Some(other) = held.insert((m.as_str(), kind.as_str(), y.year), &y.cluster)
                && other != y.cluster
            {
                out.push(Problem::at(
                    at.clone(),
                    format!("members: đơn vị “{m}” đã thuộc “{other}” năm {}; mỗi năm một đơn vị chỉ ở một cụm (khối).", y.year),
                ));
            }
        }
        for (field, who) in [("leader", &y.leader), ("deputy", &y.deputy)] {
            if let Some(code) = who
                && !members.contains(code.as_str())
            {
                out.push(Problem::at(
                    at.clone(),
                    format!("{field}: đơn vị “{code}” không phải thành viên của năm này."),
                ));
            }
        }
        if y.leader.is_some() && y.leader == y.deputy {
            out.push(Problem::at(
                at,
                "cụm trưởng và cụm phó phải là hai đơn vị khác nhau.",
            ));
        }
    }
}

fn check_award_types(d: &Document, out: &mut Vec<Problem>) -> HashSet<String> {
    let names: HashSet<String> = d.award_types.iter().map(|t| t.name.clone()).collect();
    let mut seen = HashSet::new();
    for (i, t) in d.award_types.iter().enumerate() {
        let at = format!("award_types[{i}] (“{}”)", t.name);
        let mut bad = |m: &str| out.push(Problem::at(at.clone(), m.to_string()));
        if !(2..=300).contains(&t.name.trim().chars().count()) {
            bad("name: tên danh hiệu, hình thức khen thưởng phải có từ 2 đến 300 ký tự.");
        }
        if !["collective", "individual"].contains(&t.target.as_str()) {
            bad("target: phải là “collective” (tập thể) hoặc “individual” (cá nhân).");
        }
        if t.level.chars().count() > 100 {
            bad("level: tối đa 100 ký tự.");
        }
        if t.quota_per_cluster
            .is_some_and(|q| !(1..=1000).contains(&q))
        {
            bad(
                "quota_per_cluster: số suất mỗi cụm phải từ 1 đến 1000, hoặc null nếu không giới hạn.",
            );
        }
        match t.vote_threshold.parse::<Decimal>() {
            Ok(v) if v > Decimal::ZERO && v <= Decimal::from(100) && v.scale() <= 2 => {}
            _ => bad(
                "vote_threshold: tỷ lệ phiếu phải lớn hơn 0 và không quá 100, tối đa hai chữ số thập phân (ví dụ “80.00”).",
            ),
        }
        if !["all_members", "present"].contains(&t.vote_denominator.as_str()) {
            bad("vote_denominator: phải là “all_members” hoặc “present”.");
        }
        match &t.prerequisite {
            Some(p) if p == &t.name => bad("prerequisite: không thể là chính nó."),
            Some(p) if !names.contains(p) => bad(&format!(
                "prerequisite: không có danh hiệu “{p}” trong “award_types”."
            )),
            _ => {}
        }
        if !seen.insert(t.name.clone()) {
            bad("tên này đã có ở một phần tử trước.");
        }
    }
    seen
}

fn check_decisions(d: &Document, out: &mut Vec<Problem>) -> HashSet<super::Decision> {
    let mut seen = HashSet::new();
    for (i, x) in d.decisions.iter().enumerate() {
        let at = format!("decisions[{i}] (số “{}”)", x.number);
        if !(1..=50).contains(&x.number.trim().chars().count()) {
            out.push(Problem::at(
                at.clone(),
                "number: số quyết định phải có từ 1 đến 50 ký tự.",
            ));
        }
        if !(2..=300).contains(&x.issuer.trim().chars().count()) {
            out.push(Problem::at(
                at.clone(),
                "issuer: cơ quan ban hành phải có từ 2 đến 300 ký tự.",
            ));
        }
        if !seen.insert(x.clone()) {
            out.push(Problem::at(
                at,
                "quyết định này (cùng số, ngày, cơ quan ban hành) đã có ở một phần tử trước.",
            ));
        }
    }
    seen
}

fn check_awards(
    d: &Document,
    units: &HashSet<String>,
    types: &HashSet<String>,
    decisions: &HashSet<super::Decision>,
    out: &mut Vec<Problem>,
) {
    let mut seen = HashSet::new();
    for (i, a) in d.awards.iter().enumerate() {
        let at = format!(
            "awards[{i}] (đơn vị “{}”, năm {}, “{}”)",
            a.unit, a.year, a.award
        );
        let mut bad = |m: String| out.push(Problem::at(at.clone(), m));
        if !units.contains(&a.unit) {
            bad(format!(
                "unit: không có đơn vị mã “{}” trong “units”.",
                a.unit
            ));
        }
        if !(1945..=2100).contains(&a.year) {
            bad("year: năm phải từ 1945 đến 2100.".into());
        }
        if !(2..=300).contains(&a.award.trim().chars().count()) {
            bad("award: tên danh hiệu, hình thức khen thưởng phải có từ 2 đến 300 ký tự.".into());
        }
        if let Some(t) = &a.award_type
            && !types.contains(t)
        {
            bad(format!("award_type: không có “{t}” trong “award_types”."));
        }
        if a.decision_number.chars().count() > 50 || a.issuer.chars().count() > 300 {
            bad("decision_number tối đa 50 ký tự, issuer tối đa 300 ký tự.".into());
        }
        if a.from_decision {
            match a.decision() {
                Some(x) if decisions.contains(&x) => {}
                _ => bad("from_decision: không có quyết định cùng số, ngày và cơ quan ban hành trong “decisions”.".into()),
            }
        }
        if !seen.insert((a.unit.clone(), a.year, a.award.clone())) {
            bad("đơn vị đã có danh hiệu này trong năm này ở một phần tử trước.".into());
        }
    }
}
