//! The sheet's forms: what the unit and the verifier post, read field by field and checked
//! against the criteria table. Fields are named by criterion: `p_7` the claimed points of
//! criterion 7, `x_7` its explanation, `na_7`/`nr_7` not applicable and why, `v_7`/`vr_7` the
//! verified points and why.

use std::collections::HashMap;

use axum::Form;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::scoring::model::{self, SheetStatus, sheet::Entry};
use crate::scoring::tables::{Criterion, TableFull};
use crate::web::forms::{self, Errors};

/// A sheet form as posted: every field, in the order sent.
pub type FormFields = Form<Vec<(String, String)>>;

/// What the form shows in each field: the stored figures, or what the user just typed.
#[derive(Default, Clone)]
pub struct Inputs(HashMap<String, String>);

impl Inputs {
    pub fn posted(fields: Vec<(String, String)>) -> Inputs {
        Inputs(fields.into_iter().collect())
    }

    pub fn get(&self, k: &str) -> &str {
        self.0.get(k).map(String::as_str).unwrap_or("")
    }

    pub fn from_entries(entries: &[Entry]) -> Inputs {
        let mut m = HashMap::new();
        let num = |d: Option<Decimal>| d.map(model::fmt).unwrap_or_default();
        for e in entries {
            let c = e.criterion_id;
            m.insert(format!("p_{c}"), num(e.self_points));
            m.insert(format!("x_{c}"), e.explanation.clone());
            if e.not_applicable {
                m.insert(format!("na_{c}"), "on".into());
            }
            m.insert(format!("nr_{c}"), e.na_reason.clone());
            m.insert(format!("v_{c}"), num(e.verified_points));
            m.insert(format!("vr_{c}"), e.verify_reason.clone());
        }
        Inputs(m)
    }

    fn trimmed(&self, k: &str) -> String {
        self.get(k).trim().to_string()
    }

    /// The sheet version the form was loaded at; -1 (never current) when missing.
    pub fn version(&self) -> i32 {
        self.get("version").parse().unwrap_or(-1)
    }

    /// The unit's figures for every criterion, or every field's error.
    pub fn claims(&self, table: &TableFull) -> Result<Vec<Entry>, Errors> {
        let mut errors = Errors::default();
        let lines = table
            .criteria
            .iter()
            .map(|c| self.claim(c, &mut errors))
            .collect();
        if errors.is_empty() {
            Ok(lines)
        } else {
            Err(errors)
        }
    }

    fn claim(&self, c: &Criterion, errors: &mut Errors) -> Entry {
        let id = c.id;
        let na = self.get(&format!("na_{id}")) == "on";
        let explanation = self.get(&format!("x_{id}"));
        let mut e = Entry {
            criterion_id: id,
            explanation: forms::optional_text(
                errors,
                &format!("x_{id}"),
                explanation,
                "Giải trình",
                4000,
            ),
            not_applicable: na,
            na_reason: self.trimmed(&format!("nr_{id}")),
            ..Default::default()
        };
        match points(self.get(&format!("p_{id}")), c) {
            Ok(p) => e.self_points = p,
            Err(msg) => errors.add(format!("p_{id}"), msg),
        }
        if na && e.na_reason.is_empty() {
            errors.add(
                format!("nr_{id}"),
                "Hãy ghi lý do tiêu chí không áp dụng với đơn vị.",
            );
        }
        e
    }

    /// The verifier's figures for every stored line: an empty field accepts the claim, another
    /// figure needs a reason.
    pub fn verifications(&self, table: &TableFull, stored: &[Entry]) -> Result<Vec<Entry>, Errors> {
        let mut errors = Errors::default();
        let mut lines = Vec::new();
        for c in &table.criteria {
            let Some(old) = stored.iter().find(|e| e.criterion_id == c.id) else {
                continue;
            };
            let verified_points = match points(self.get(&format!("v_{}", c.id)), c) {
                Ok(None) => old.self_points,
                Ok(p) => p,
                Err(msg) => {
                    errors.add(format!("v_{}", c.id), msg);
                    continue;
                }
            };
            let e = Entry {
                verified_points,
                verify_reason: self.trimmed(&format!("vr_{}", c.id)),
                ..old.clone()
            };
            if e.verification_needs_reason() {
                errors.add(
                    format!("vr_{}", c.id),
                    "Điểm thẩm định khác điểm tự chấm: hãy ghi lý do.",
                );
            }
            lines.push(e);
        }
        if errors.is_empty() {
            Ok(lines)
        } else {
            Err(errors)
        }
    }

    /// Why the sheet goes back to the unit, with the state it goes to (`next`, None when its
    /// state does not allow a return).
    pub fn return_reason(
        &self,
        next: Option<SheetStatus>,
    ) -> Result<(String, SheetStatus), Errors> {
        let reason = self.trimmed("reason");
        let mut errors = Errors::default();
        if reason.is_empty() {
            errors.add("reason", "Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.");
        }
        match next {
            Some(next) if errors.is_empty() => Ok((reason, next)),
            Some(_) => Err(errors),
            None => {
                errors.add("reason", "Bảng điểm không ở trạng thái chờ thẩm định.");
                Err(errors)
            }
        }
    }

    /// One unit's own deadline; empty clears it. The error is the field's message.
    pub fn deadline(&self) -> Result<Option<NaiveDate>, String> {
        let mut errors = Errors::default();
        let date = forms::optional_date(&mut errors, "deadline", self.get("deadline"));
        match errors.get("deadline") {
            Some(msg) => Err(msg.clone()),
            None => Ok(date),
        }
    }
}

/// A typed figure for criterion `c`: None when empty, else checked against its maximum and step.
fn points(typed: &str, c: &Criterion) -> Result<Option<Decimal>, String> {
    match model::parse_points(typed)? {
        Some(p) => match model::check_points(p, c.max_points, c.step) {
            None => Ok(Some(p)),
            Some(msg) => Err(msg),
        },
        None => Ok(None),
    }
}

/// The evidence upload: which criterion, and the file as read (kept, not copied again).
#[derive(Default)]
pub struct EvidenceForm {
    pub criterion_id: Option<i64>,
    pub file: Option<(String, axum::body::Bytes)>,
    /// The body broke off or passed the route's limit while being read.
    pub too_big: bool,
}

const TOO_BIG: &str = "Tệp lớn quá 10 MB; hãy nén hoặc chia nhỏ tệp.";

impl EvidenceForm {
    pub async fn read(
        multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
    ) -> EvidenceForm {
        let mut f = EvidenceForm::default();
        let Ok(mut multipart) = multipart else {
            return f;
        };
        while let Ok(Some(field)) = multipart.next_field().await {
            match field.name() {
                Some("criterion_id") => {
                    f.criterion_id = field.text().await.ok().and_then(|t| t.trim().parse().ok())
                }
                Some("file") => {
                    let name = field.file_name().unwrap_or("").to_string();
                    let limit = crate::web::upload::FILE_MAX;
                    match crate::web::upload::read_file(field, limit).await {
                        Ok(b) => f.file = Some((name, b.into())),
                        Err(_) => f.too_big = true,
                    }
                }
                _ => {}
            }
        }
        f
    }

    /// (criterion, file name, content, (content type, extension)), or what to tell the user.
    /// `editable`: the sheet may still take evidence.
    #[allow(clippy::type_complexity)]
    pub fn check(
        &self,
        max_bytes: usize,
        editable: bool,
    ) -> Result<(i64, String, axum::body::Bytes, (&'static str, &'static str)), String> {
        if self.too_big {
            return Err(TOO_BIG.into());
        }
        let (Some((name, data)), Some(criterion_id)) = (&self.file, self.criterion_id) else {
            return Err("Hãy chọn tiêu chí và tệp minh chứng.".into());
        };
        if data.is_empty() {
            return Err("Tệp rỗng.".into());
        }
        if data.len() > max_bytes {
            return Err(TOO_BIG.into());
        }
        let kind = crate::web::upload::sniff(data, name).map_err(str::to_string)?;
        if !editable {
            return Err("Bảng điểm đã nộp nên không thêm minh chứng được.".into());
        }
        Ok((criterion_id, name.clone(), data.clone(), kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_is_refused_with_a_reason_for_each_fault() {
        let form = |name: &str, data: &'static [u8], c: Option<i64>| EvidenceForm {
            criterion_id: c,
            file: Some((name.to_string(), axum::body::Bytes::from_static(data))),
            too_big: false,
        };
        let pdf: &'static [u8] = b"%PDF-1.7 minh chung";
        let ok = form("bao-cao.pdf", pdf, Some(7)).check(1024, true).unwrap();
        assert_eq!((ok.0, ok.3.1), (7, "pdf"));
        assert_eq!(
            form("bao-cao.pdf", pdf, None)
                .check(1024, true)
                .unwrap_err(),
            "Hãy chọn tiêu chí và tệp minh chứng."
        );
        assert_eq!(
            form("a.pdf", b"", Some(7)).check(1024, true).unwrap_err(),
            "Tệp rỗng."
        );
        assert!(
            form("a.pdf", pdf, Some(7))
                .check(4, true)
                .unwrap_err()
                .contains("10 MB")
        );
        assert!(
            form("trang.pdf", b"<html><script>", Some(7))
                .check(1024, true)
                .is_err()
        );
        assert_eq!(
            form("bao-cao.pdf", pdf, Some(7))
                .check(1024, false)
                .unwrap_err(),
            "Bảng điểm đã nộp nên không thêm minh chứng được."
        );
        let broken = EvidenceForm {
            too_big: true,
            ..EvidenceForm::default()
        };
        assert!(broken.check(1024, true).unwrap_err().contains("10 MB"));
    }
    use crate::scoring::model::sheet_tests::small_table;

    fn posted(pairs: &[(&str, &str)]) -> Inputs {
        Inputs::posted(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn claims_are_read_per_criterion_and_every_bad_field_is_named() {
        let t = small_table();
        let ok = posted(&[
            ("p_11", "8,5"),
            ("x_11", " Đủ "),
            ("na_12", "on"),
            ("nr_12", "Không có"),
        ]);
        let lines = ok.claims(&t).unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].self_points, Some("8.5".parse().unwrap()));
        assert_eq!(lines[0].explanation, "Đủ");
        assert!(lines[1].not_applicable);
        assert_eq!(lines[2].self_points, None);
        let bad = posted(&[("p_11", "11"), ("p_21", "tám"), ("na_12", "on")]);
        let errors = bad.claims(&t).unwrap_err();
        assert!(errors.get("p_11").unwrap().contains("vượt quá"));
        assert!(errors.has("p_21"));
        assert!(errors.get("nr_12").unwrap().contains("lý do"));
        assert_eq!(errors.len(), 3);
    }

    #[test]
    fn verification_accepts_an_empty_field_and_wants_a_reason_for_another_figure() {
        let t = small_table();
        let stored: Vec<Entry> = [11, 12]
            .iter()
            .map(|&c| Entry {
                criterion_id: c,
                self_points: Some("8".parse().unwrap()),
                ..Default::default()
            })
            .collect();
        let lines = posted(&[("v_12", "7"), ("vr_12", "Thiếu")])
            .verifications(&t, &stored)
            .unwrap();
        assert_eq!(lines.len(), 2, "only stored lines are verified");
        assert_eq!(lines[0].verified_points, stored[0].self_points);
        assert_eq!(lines[1].verified_points, Some("7".parse().unwrap()));
        let errors = posted(&[("v_11", "7"), ("v_12", "-1")])
            .verifications(&t, &stored)
            .unwrap_err();
        assert!(errors.has("vr_11"));
        assert!(errors.has("v_12") && !errors.has("vr_12"));
    }

    #[test]
    fn returning_needs_a_reason_and_a_sheet_waiting_for_verification() {
        let back = Some(SheetStatus::Returned);
        assert_eq!(
            posted(&[("reason", " Sửa 1.2 ")])
                .return_reason(back)
                .unwrap(),
            ("Sửa 1.2".to_string(), SheetStatus::Returned)
        );
        let e = posted(&[]).return_reason(back).unwrap_err();
        assert!(e.get("reason").unwrap().contains("lý do"));
        let e = posted(&[]).return_reason(None).unwrap_err();
        assert!(
            e.get("reason").unwrap().contains("lý do"),
            "the first message wins"
        );
        let e = posted(&[("reason", "x")]).return_reason(None).unwrap_err();
        assert!(e.get("reason").unwrap().contains("trạng thái"));
        assert_eq!(posted(&[("version", "4")]).version(), 4);
        assert_eq!(posted(&[]).version(), -1);
        assert_eq!(posted(&[("deadline", "")]).deadline(), Ok(None));
        assert!(posted(&[("deadline", "hôm qua")]).deadline().is_err());
    }
}
