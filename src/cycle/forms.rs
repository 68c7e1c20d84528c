//! Input of award types, movements and registrations, and its validation. Forms with repeated
//! fields (clusters, initiatives) arrive as the raw list of pairs.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::cycle::model::{self, LEVELS, Target};
use crate::cycle::store::AwardType;
use crate::cycle::store::AwardTypeFields;
use crate::cycle::store::movements::MovementFields;
use crate::web::forms::{self, Errors};

pub mod paper;
pub mod registration;

pub use registration::{InitiativeRow, RegistrationForm};

use crate::web::forms::{Pairs, all, decimal_vn, first, parse_decimal};

// ---- award types ------------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AwardTypeForm {
    pub name: String,
    pub target: String,
    pub level: String,
    pub level_other: String,
    pub quota: String,
    pub threshold: String,
    pub denominator: String,
    pub prerequisite_id: String,
    pub position: String,
    pub active: String,
}

impl From<&AwardTypeFields> for AwardTypeForm {
    fn from(f: &AwardTypeFields) -> Self {
        let known = LEVELS.iter().any(|(k, _)| *k == f.level) || f.level.is_empty();
        AwardTypeForm {
            name: f.name.clone(),
            target: f.target.clone(),
            level: if known {
                f.level.clone()
            } else {
                "other".into()
            },
            level_other: if known {
                String::new()
            } else {
                f.level.clone()
            },
            quota: f
                .quota_per_cluster
                .map(|q| q.to_string())
                .unwrap_or_default(),
            threshold: decimal_vn(f.vote_threshold),
            denominator: f.vote_denominator.clone(),
            prerequisite_id: f.prerequisite_id.map(|p| p.to_string()).unwrap_or_default(),
            position: f.position.to_string(),
            active: if f.active { "on".into() } else { String::new() },
        }
    }
}

impl AwardTypeForm {
    /// Checks the form against the tenant's other award types (`id` is the one being edited).
    pub fn validate(&self, id: Option<i64>, types: &[AwardType]) -> (AwardTypeFields, Errors) {
        let mut e = Errors::default();
        let name = forms::text(&mut e, "name", &self.name, "tên danh hiệu", 2, 300);
        let target = match Target::parse(&self.target) {
            Some(t) => t,
            None => {
                e.add("target", "Hãy chọn danh hiệu dành cho tập thể hay cá nhân.");
                Target::Collective
            }
        };
        let level = if self.level == "other" {
            forms::text(
                &mut e,
                "level_other",
                &self.level_other,
                "cấp khen thưởng",
                1,
                100,
            )
        } else if self.level.is_empty() || LEVELS.iter().any(|(k, _)| *k == self.level) {
            self.level.clone()
        } else {
            e.add("level", "Hãy chọn cấp khen thưởng trong danh sách.");
            String::new()
        };
        let quota = match self.quota.trim() {
            "" => None,
            q => match q.parse::<i32>() {
                Ok(n) if (1..=1000).contains(&n) => Some(n),
                _ => {
                    e.add(
                        "quota",
                        "Số lượng tối đa mỗi cụm phải là số nguyên từ 1 trở lên; để trống nếu không giới hạn.",
                    );
                    None
                }
            },
        };
        let threshold = match parse_decimal(&self.threshold) {
            Some(t) if model::threshold_ok(t) && t.scale() <= 2 => t,
            _ => {
                e.add(
                    "threshold",
                    "Tỷ lệ phiếu đồng ý tối thiểu phải là số phần trăm từ 50 đến 100 (ví dụ 80 hoặc 90), tối đa hai chữ số thập phân.",
                );
                Decimal::from(80)
            }
        };
        let denominator = if model::DENOMINATORS
            .iter()
            .any(|(k, _)| *k == self.denominator)
        {
            self.denominator.clone()
        } else {
            e.add("denominator", "Hãy chọn cách tính tỷ lệ phiếu.");
            "all_members".into()
        };
        let prerequisite_id = match crate::org::forms::optional_id(&self.prerequisite_id) {
            Ok(None) => None,
            Ok(Some(p)) => match types.iter().find(|t| t.id == p) {
                None => {
                    e.add(
                        "prerequisite_id",
                        "Hãy chọn điều kiện trong danh sách danh hiệu.",
                    );
                    None
                }
                Some(t) if Some(t.id) == id => {
                    e.add(
                        "prerequisite_id",
                        "Một danh hiệu không thể là điều kiện của chính nó.",
                    );
                    None
                }
                Some(t) if t.f.target != target.as_str() => {
                    e.add(
                        "prerequisite_id",
                        "Danh hiệu điều kiện phải cùng dành cho tập thể hoặc cùng dành cho cá nhân.",
                    );
                    None
                }
                Some(t) => {
                    let chain: BTreeMap<i64, Option<i64>> =
                        types.iter().map(|t| (t.id, t.f.prerequisite_id)).collect();
                    if model::prerequisite_loops(id, t.id, &chain) {
                        e.add(
                            "prerequisite_id",
                            "Chọn điều kiện này sẽ tạo vòng lặp (danh hiệu này đang là điều kiện của danh hiệu được chọn).",
                        );
                        None
                    } else {
                        Some(t.id)
                    }
                }
            },
            Err(_) => {
                e.add(
                    "prerequisite_id",
                    "Hãy chọn điều kiện trong danh sách danh hiệu.",
                );
                None
            }
        };
        let position = match self.position.trim() {
            "" => 0,
            p => match p.parse::<i32>() {
                Ok(n) if (0..=10_000).contains(&n) => n,
                _ => {
                    e.add(
                        "position",
                        "Thứ tự hiển thị phải là số nguyên từ 0 đến 10000.",
                    );
                    0
                }
            },
        };
        let f = AwardTypeFields {
            name,
            target: target.as_str().to_string(),
            level,
            quota_per_cluster: quota,
            vote_threshold: threshold,
            vote_denominator: denominator,
            prerequisite_id,
            position,
            active: self.active == "on",
        };
        (f, e)
    }
}

// ---- movements --------------------------------------------------------------------------------

#[derive(Default, Clone)]
pub struct MovementForm {
    pub name: String,
    pub kind: String,
    pub starts_on: String,
    pub ends_on: String,
    pub content: String,
    pub clusters: Vec<String>,
}

impl MovementForm {
    pub fn from_pairs(p: &Pairs) -> MovementForm {
        MovementForm {
            name: first(p, "name").to_string(),
            kind: first(p, "kind").to_string(),
            starts_on: first(p, "starts_on").to_string(),
            ends_on: first(p, "ends_on").to_string(),
            content: first(p, "content").to_string(),
            clusters: all(p, "cluster").into_iter().map(String::from).collect(),
        }
    }

    pub fn from_fields(f: &MovementFields) -> MovementForm {
        let date = |d: Option<chrono::NaiveDate>| {
            d.map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default()
        };
        MovementForm {
            name: f.name.clone(),
            kind: f.kind.clone(),
            starts_on: date(f.starts_on),
            ends_on: date(f.ends_on),
            content: f.content.clone(),
            clusters: f.cluster_ids.iter().map(|c| c.to_string()).collect(),
        }
    }

    pub fn has_cluster(&self, id: &i64) -> bool {
        self.clusters.iter().any(|c| c == &id.to_string())
    }

    /// `allowed`: the clusters this user may launch a movement for.
    pub fn validate(&self, allowed: &[(i64, String)]) -> (MovementFields, Errors) {
        let mut e = Errors::default();
        let name = forms::text(&mut e, "name", &self.name, "tên phong trào", 2, 300);
        let kind = if model::is_movement_kind(&self.kind) {
            self.kind.clone()
        } else {
            e.add("kind", "Hãy chọn hình thức phong trào.");
            String::new()
        };
        let starts_on = forms::optional_date(&mut e, "starts_on", &self.starts_on);
        let ends_on = forms::optional_date(&mut e, "ends_on", &self.ends_on);
        if !e.has("starts_on")
            && !e.has("ends_on")
            && !e.has("kind")
            && let Some((field, msg)) = model::check_period(&kind, starts_on, ends_on)
        {
            e.add(field, msg);
        }
        let content = forms::optional_text(&mut e, "content", &self.content, "Nội dung", 20_000);
        let mut cluster_ids = Vec::new();
        for c in &self.clusters {
            match c.trim().parse::<i64>() {
                Ok(id) if allowed.iter().any(|(a, _)| *a == id) => {
                    if !cluster_ids.contains(&id) {
                        cluster_ids.push(id)
                    }
                }
                _ => e.add(
                    "clusters",
                    "Chỉ chọn được các cụm, khối trong danh sách bên dưới.",
                ),
            }
        }
        if cluster_ids.is_empty() {
            e.add(
                "clusters",
                "Hãy chọn ít nhất một cụm, khối thi đua mà phong trào hướng tới.",
            );
        }
        cluster_ids.sort_unstable();
        (
            MovementFields {
                name,
                kind,
                starts_on,
                ends_on,
                content,
                cluster_ids,
            },
            e,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::forms::pairs;

    #[test]
    fn decimals_read_and_print_the_vietnamese_way() {
        assert_eq!(parse_decimal("80,5"), Some(Decimal::new(805, 1)));
        assert_eq!(parse_decimal(" 90 "), Some(Decimal::from(90)));
        assert_eq!(parse_decimal("tám mươi"), None);
        assert_eq!(decimal_vn(Decimal::new(8000, 2)), "80");
        assert_eq!(decimal_vn(Decimal::new(8050, 2)), "80,5");
    }

    #[test]
    fn an_award_type_needs_a_sane_threshold_and_quota() {
        let form = AwardTypeForm {
            name: "Cờ thi đua của Tòa án nhân dân tối cao".into(),
            target: "collective".into(),
            level: "ministry_province".into(),
            quota: "1".into(),
            threshold: "80".into(),
            denominator: "all_members".into(),
            active: "on".into(),
            ..Default::default()
        };
        let (f, e) = form.validate(None, &[]);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(f.quota_per_cluster, Some(1));
        assert!(f.active);
        let bad = AwardTypeForm {
            threshold: "120".into(),
            quota: "-1".into(),
            target: "both".into(),
            ..form.clone()
        };
        let (_, e) = bad.validate(None, &[]);
        assert!(e.has("threshold") && e.has("quota") && e.has("target"));
        let other = AwardTypeForm {
            level: "other".into(),
            level_other: "Cấp huyện".into(),
            ..form
        };
        assert_eq!(other.validate(None, &[]).0.level, "Cấp huyện");
    }

    #[test]
    fn a_movement_needs_clusters_it_may_concern() {
        let allowed = vec![(7, "Cụm thi đua số VI".to_string())];
        let p = pairs(&[
            ("name", "Phong trào thi đua “Vì công lý”"),
            ("kind", "thuong_xuyen"),
            ("starts_on", "01/01/2020"),
            ("cluster", "7"),
        ]);
        let (f, e) = MovementForm::from_pairs(&p).validate(&allowed);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(f.cluster_ids, vec![7]);
        let p = pairs(&[
            ("name", "X phong trào"),
            ("kind", "theo_dot"),
            ("starts_on", "01/01/2020"),
            ("cluster", "8"),
        ]);
        let (_, e) = MovementForm::from_pairs(&p).validate(&allowed);
        assert!(e.has("clusters") && e.has("ends_on"));
    }
}
