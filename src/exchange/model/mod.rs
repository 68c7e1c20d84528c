//! The exchange format (`thidua-exchange`, version 1): a tenant's organisation and awards as
//! JSON, for moving them to another thidua. Rows refer to each other by natural keys (unit code,
//! cluster name, award type name, decision number + date + issuer), never by database ids, so
//! the file means the same in any database. The schema is `docs/exchange/thidua-exchange-v1.schema.json`.

pub mod check;
mod plan;
#[cfg(test)]
mod tests;

pub use check::{Problem, check};
pub use plan::{Change, Plan, Section, plan};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "thidua-exchange";
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub format: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub tenant: Tenant,
    pub units: Vec<Unit>,
    pub clusters: Vec<Cluster>,
    pub cluster_years: Vec<ClusterYear>,
    pub award_types: Vec<AwardType>,
    pub decisions: Vec<Decision>,
    pub awards: Vec<Award>,
}

#[derive(Serialize, Deserialize, sqlx::FromRow, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    pub code: String,
    pub name: String,
    pub place: String,
}

#[derive(Serialize, Deserialize, sqlx::FromRow, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub code: String,
    pub name: String,
    pub short_name: String,
    pub kind: String,
    /// The managing agency (cơ quan chủ quản) printed above the unit's name.
    pub superior: String,
    pub head_name: String,
    pub head_title: String,
    pub place: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub active: bool,
}

#[derive(Serialize, Deserialize, sqlx::FromRow, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    pub name: String,
    /// "cum" or "khoi".
    pub kind: String,
    pub decision_number: String,
    pub decision_date: Option<NaiveDate>,
    pub decision_issuer: String,
    pub description: String,
    pub superior: String,
    pub archived: bool,
}

#[derive(Serialize, Deserialize, sqlx::FromRow, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClusterYear {
    /// The cluster's name.
    pub cluster: String,
    pub year: i32,
    /// The phase code (setup … closed), as `org::model::Phase` spells it.
    pub phase: String,
    /// Member units' codes, sorted.
    pub members: Vec<String>,
    pub leader: Option<String>,
    pub deputy: Option<String>,
}

#[derive(Serialize, Deserialize, sqlx::FromRow, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AwardType {
    pub name: String,
    /// "collective" or "individual".
    pub target: String,
    pub level: String,
    pub quota_per_cluster: Option<i32>,
    /// A decimal as text ("80.00"): a float would not keep it exact.
    pub vote_threshold: String,
    /// "all_members" or "present".
    pub vote_denominator: String,
    /// The name of the award type a nominee must also be proposed for.
    pub prerequisite: Option<String>,
    pub position: i32,
    pub active: bool,
}

/// A council decision as the world knows it: number, date and issuer. Several dossiers decided
/// by one decision are one entry here.
#[derive(
    Serialize, Deserialize, sqlx::FromRow, Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub number: String,
    pub date: NaiveDate,
    pub issuer: String,
}

#[derive(Serialize, Deserialize, sqlx::FromRow, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Award {
    /// The unit's code.
    pub unit: String,
    pub year: i32,
    pub award: String,
    /// The award type's name, when the award is one of the tenant's types.
    pub award_type: Option<String>,
    pub decision_number: String,
    pub decision_date: Option<NaiveDate>,
    pub issuer: String,
    /// True: given by a decision listed in `decisions` (same number, date and issuer); false:
    /// entered by hand from the paper record.
    pub from_decision: bool,
}

impl Award {
    /// The decision this award came from, when it came from one.
    pub fn decision(&self) -> Option<Decision> {
        match (self.from_decision, self.decision_date) {
            (true, Some(date)) => Some(Decision {
                number: self.decision_number.clone(),
                date,
                issuer: self.issuer.clone(),
            }),
            _ => None,
        }
    }
}

impl Document {
    /// Sorts every list by its natural key, so two exports of the same data are equal text.
    pub fn normalise(&mut self) {
        self.units.sort_by(|a, b| a.code.cmp(&b.code));
        self.clusters.sort_by(|a, b| a.name.cmp(&b.name));
        for y in &mut self.cluster_years {
            y.members.sort();
        }
        self.cluster_years
            .sort_by(|a, b| (&a.cluster, a.year).cmp(&(&b.cluster, b.year)));
        self.award_types
            .sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
        self.decisions
            .sort_by(|a, b| (a.date, &a.number, &a.issuer).cmp(&(b.date, &b.number, &b.issuer)));
        self.decisions.dedup();
        self.awards
            .sort_by(|a, b| (&a.unit, a.year, &a.award).cmp(&(&b.unit, b.year, &b.award)));
    }
}

/// Reads a file: refuses what is not JSON, another format or a newer version with a message
/// that says which, before looking at the rest.
pub fn parse(text: &str) -> Result<Document, Problem> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Problem::file(format!(
            "Tệp không phải JSON hợp lệ (dòng {}, cột {}).",
            e.line(),
            e.column()
        ))
    })?;
    let format = value.get("format").and_then(|f| f.as_str()).unwrap_or("");
    if format != FORMAT {
        return Err(Problem::file(format!(
            "Tệp không theo định dạng “{FORMAT}” (trường “format” là “{format}”): đây không phải \
             tệp trao đổi dữ liệu của thidua."
        )));
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) if v > u64::from(VERSION) => {
            return Err(Problem::file(format!(
                "Tệp ở phiên bản {v} của định dạng, mới hơn phiên bản {VERSION} mà bản thidua \
                 này đọc được: hãy cập nhật thidua rồi nhập lại."
            )));
        }
        _ => {
            return Err(Problem::file(format!(
                "Trường “version” phải là số phiên bản của định dạng ({VERSION})."
            )));
        }
    }
    // Read again from the text, so that a misplaced field is named with its line.
    serde_json::from_str(text).map_err(|e| {
        Problem::file(format!(
            "Tệp không đúng cấu trúc của định dạng phiên bản {VERSION} (dòng {}, cột {}): {}.",
            e.line(),
            e.column(),
            english_detail(&e.to_string())
        ))
    })
}

/// serde's own words ("missing field `code`"), without the position it repeats.
fn english_detail(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The file's text: pretty, so that a person can read it and a diff of two exports is short.
pub fn to_text(d: &Document) -> String {
    let mut s = serde_json::to_string_pretty(d).unwrap_or_default();
    s.push('\n');
    s
}
