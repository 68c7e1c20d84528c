//! A scoresheet's rules: its states and who may act in each, what a save changes (and so
//! what the audit records), and what stops a submission.

use std::collections::HashMap;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::{SectionKind, UnknownValue, fmt};
use crate::scoring::tables::{Section, TableFull};

/// The life of a scoresheet: the unit drafts and submits it; the verifier returns it to the
/// unit (which drafts again) or finalises it. Stored as its `as_str` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetStatus {
    Draft,
    Submitted,
    Returned,
    Finalised,
}

impl TryFrom<String> for SheetStatus {
    type Error = UnknownValue;

    fn try_from(s: String) -> Result<SheetStatus, UnknownValue> {
        SheetStatus::from_db(&s).ok_or(UnknownValue(s))
    }
}

impl SheetStatus {
    pub const ALL: [SheetStatus; 4] = [
        SheetStatus::Draft,
        SheetStatus::Submitted,
        SheetStatus::Returned,
        SheetStatus::Finalised,
    ];

    /// The state stored as `s`, if it is one.
    pub fn from_db(s: &str) -> Option<SheetStatus> {
        SheetStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The state of a status column read as text (a unit without a sheet reads as a draft).
    pub fn parse(s: &str) -> SheetStatus {
        SheetStatus::from_db(s).unwrap_or(SheetStatus::Draft)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SheetStatus::Draft => "draft",
            SheetStatus::Submitted => "submitted",
            SheetStatus::Returned => "returned",
            SheetStatus::Finalised => "finalised",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SheetStatus::Draft => "Đang soạn",
            SheetStatus::Submitted => "Đã nộp, chờ thẩm định",
            SheetStatus::Returned => "Bị trả lại",
            SheetStatus::Finalised => "Đã thẩm định",
        }
    }

    /// The unit may change its own figures.
    pub fn unit_may_edit(self) -> bool {
        matches!(self, SheetStatus::Draft | SheetStatus::Returned)
    }

    /// The verifier may change verified figures, return or finalise.
    pub fn verifier_may_act(self) -> bool {
        self == SheetStatus::Submitted
    }

    pub fn is_draft(self) -> bool {
        self == SheetStatus::Draft
    }

    pub fn is_finalised(self) -> bool {
        self == SheetStatus::Finalised
    }

    /// The unit hands the sheet in: from a draft or a returned sheet.
    pub fn submit(self) -> Option<SheetStatus> {
        self.unit_may_edit().then_some(SheetStatus::Submitted)
    }

    /// The verifier sends the sheet back to the unit.
    pub fn return_to_unit(self) -> Option<SheetStatus> {
        self.verifier_may_act().then_some(SheetStatus::Returned)
    }

    /// The verifier closes the sheet; its verified figures then count.
    pub fn finalise(self) -> Option<SheetStatus> {
        self.verifier_may_act().then_some(SheetStatus::Finalised)
    }
}

/// Why a submission is refused: criteria that need evidence and have none, and the deadline.
pub fn submission_problems(
    missing_evidence: &[String],
    unscored: &[String],
    today: chrono::NaiveDate,
    deadline: Option<chrono::NaiveDate>,
) -> Vec<String> {
    let mut p = Vec::new();
    if let Some(d) = deadline
        && today > d
    {
        p.push(format!(
            "Đã quá hạn nộp ({}). Hãy đề nghị cụm trưởng gia hạn cho đơn vị.",
            d.format("%d/%m/%Y")
        ));
    }
    for c in unscored {
        p.push(format!("Tiêu chí {c} chưa có điểm tự chấm."));
    }
    for c in missing_evidence {
        p.push(format!(
            "Tiêu chí {c} bắt buộc có minh chứng nhưng chưa có tệp nào."
        ));
    }
    p
}

/// One criterion's line on a sheet: the unit's claim and the verifier's figure.
#[derive(sqlx::FromRow, Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub criterion_id: i64,
    pub self_points: Option<Decimal>,
    pub explanation: String,
    pub not_applicable: bool,
    pub na_reason: String,
    pub verified_points: Option<Decimal>,
    pub verify_reason: String,
}

impl Entry {
    /// The unit's part of the line differs from `other`'s.
    pub fn claim_differs(&self, other: &Entry) -> bool {
        self.self_points != other.self_points
            || self.explanation != other.explanation
            || self.not_applicable != other.not_applicable
            || self.na_reason != other.na_reason
    }

    /// The verifier's part of the line differs from `other`'s.
    pub fn verification_differs(&self, other: &Entry) -> bool {
        self.verified_points != other.verified_points || self.verify_reason != other.verify_reason
    }

    /// A verified figure other than the claim must say why, so the unit can see the reason.
    pub fn verification_needs_reason(&self) -> bool {
        self.verified_points != self.self_points && self.verify_reason.is_empty()
    }
}

/// The lines a save changes, with what the audit records before and after, keyed by the
/// criterion's code.
#[derive(Debug)]
pub struct Changes<'a> {
    pub lines: Vec<&'a Entry>,
    pub before: Map<String, Value>,
    pub after: Map<String, Value>,
}

impl Changes<'_> {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// "2.1: 45 điểm (thiếu minh chứng)" for each changed line, for the unit's notification.
    pub fn described(&self) -> Vec<String> {
        self.after
            .iter()
            .map(|(code, v)| {
                let points = v["points"].as_str().unwrap_or("—");
                match v["reason"].as_str().filter(|r| !r.is_empty()) {
                    Some(r) => format!("{code}: {points} điểm ({r})"),
                    None => format!("{code}: {points} điểm"),
                }
            })
            .collect()
    }
}

fn code_of(table: &TableFull, criterion_id: i64) -> String {
    table
        .criteria
        .iter()
        .find(|c| c.id == criterion_id)
        .map(|c| c.code.clone())
        .unwrap_or_default()
}

fn by_criterion(entries: &[Entry]) -> HashMap<i64, &Entry> {
    entries.iter().map(|e| (e.criterion_id, e)).collect()
}

/// The unit's new figures against the stored ones: a line counts as changed when it is new or
/// any of its claim differs; the audit keeps the claimed points.
pub fn claim_changes<'a>(table: &TableFull, stored: &[Entry], typed: &'a [Entry]) -> Changes<'a> {
    let before = by_criterion(stored);
    let mut c = Changes {
        lines: Vec::new(),
        before: Map::new(),
        after: Map::new(),
    };
    for e in typed {
        let old = before.get(&e.criterion_id);
        if old.is_none_or(|o| o.claim_differs(e)) {
            let code = code_of(table, e.criterion_id);
            let was = old.and_then(|o| o.self_points).map(fmt);
            c.before.insert(code.clone(), json!(was));
            c.after.insert(code, json!(e.self_points.map(fmt)));
            c.lines.push(e);
        }
    }
    c
}

/// The verifier's figures against the stored ones; the audit keeps points and reason.
pub fn verification_changes<'a>(
    table: &TableFull,
    stored: &[Entry],
    typed: &'a [Entry],
) -> Changes<'a> {
    let before = by_criterion(stored);
    let mut c = Changes {
        lines: Vec::new(),
        before: Map::new(),
        after: Map::new(),
    };
    for e in typed {
        let Some(old) = before.get(&e.criterion_id) else {
            continue;
        };
        if old.verification_differs(e) {
            let code = code_of(table, e.criterion_id);
            c.before
                .insert(code.clone(), json!(old.verified_points.map(fmt)));
            c.after.insert(
                code,
                json!({ "points": e.verified_points.map(fmt), "reason": e.verify_reason }),
            );
            c.lines.push(e);
        }
    }
    c
}

/// At finalising, every line the verifier left alone takes the claimed figure.
pub fn accepted_claims(entries: &[Entry]) -> Vec<Entry> {
    entries
        .iter()
        .filter(|e| e.verified_points.is_none())
        .map(|e| Entry {
            verified_points: e.self_points,
            ..e.clone()
        })
        .collect()
}

fn applies(entries: &HashMap<i64, &Entry>, criterion_id: i64) -> bool {
    !entries.get(&criterion_id).is_some_and(|e| e.not_applicable)
}

/// Codes of the standard criteria that apply and have no claimed figure yet.
pub fn unscored(table: &TableFull, entries: &[Entry]) -> Vec<String> {
    let by = by_criterion(entries);
    table
        .criteria
        .iter()
        .filter(|c| applies(&by, c.id))
        .filter(|c| table.section(c.section_id).map(Section::kind) == Some(SectionKind::Standard))
        .filter(|c| by.get(&c.id).and_then(|e| e.self_points).is_none())
        .map(|c| c.code.clone())
        .collect()
}

/// Codes of the criteria that apply, require evidence and have no file among `with_files`
/// (the criterion ids that have one).
pub fn missing_evidence(table: &TableFull, entries: &[Entry], with_files: &[i64]) -> Vec<String> {
    let by = by_criterion(entries);
    table
        .criteria
        .iter()
        .filter(|c| applies(&by, c.id))
        .filter(|c| c.evidence_required && !with_files.contains(&c.id))
        .map(|c| c.code.clone())
        .collect()
}
