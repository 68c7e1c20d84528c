//! The registration form: the aimed collective title, counts per individual title, and rows of
//! initiatives and topics.

use crate::cycle::store::registrations::{Initiative, RegistrationFields};
use crate::web::forms::{self, Errors};
use crate::web::forms::{Pairs, all, first};

#[derive(Default, Clone)]
pub struct InitiativeRow {
    pub kind: String,
    pub name: String,
    pub author: String,
}

#[derive(Default, Clone)]
pub struct RegistrationForm {
    pub award_type_id: String,
    pub commendation_type_id: String,
    /// (individual award type id, typed number)
    pub counts: Vec<(i64, String)>,
    pub initiatives: Vec<InitiativeRow>,
    pub notes: String,
}

/// How many empty initiative rows the form offers after the filled ones.
pub const BLANK_INITIATIVES: usize = 3;

impl RegistrationForm {
    pub fn from_pairs(p: &Pairs, individual_types: &[(i64, String)]) -> RegistrationForm {
        let kinds = all(p, "ini_kind");
        let names = all(p, "ini_name");
        let authors = all(p, "ini_author");
        let n = kinds.len().max(names.len()).max(authors.len());
        let get = |v: &Vec<&str>, i: usize| v.get(i).copied().unwrap_or("").to_string();
        RegistrationForm {
            award_type_id: first(p, "award_type_id").to_string(),
            commendation_type_id: first(p, "commendation_type_id").to_string(),
            counts: individual_types
                .iter()
                .map(|(id, _)| (*id, first(p, &format!("count_{id}")).to_string()))
                .collect(),
            initiatives: (0..n)
                .map(|i| InitiativeRow {
                    kind: get(&kinds, i),
                    name: get(&names, i),
                    author: get(&authors, i),
                })
                .collect(),
            notes: first(p, "notes").to_string(),
        }
    }

    pub fn from_fields(f: &RegistrationFields, individual_types: &[(i64, String)]) -> Self {
        RegistrationForm {
            award_type_id: f.award_type_id.map(|a| a.to_string()).unwrap_or_default(),
            commendation_type_id: f
                .commendation_type_id
                .map(|a| a.to_string())
                .unwrap_or_default(),
            counts: individual_types
                .iter()
                .map(|(id, _)| {
                    let n = f
                        .counts
                        .iter()
                        .find(|(a, _)| a == id)
                        .map(|(_, n)| n.to_string())
                        .unwrap_or_default();
                    (*id, n)
                })
                .collect(),
            initiatives: f
                .initiatives
                .iter()
                .map(|i| InitiativeRow {
                    kind: i.kind.clone(),
                    name: i.name.clone(),
                    author: i.author.clone(),
                })
                .collect(),
            notes: f.notes.clone(),
        }
    }

    /// The filled rows plus a few blank ones to type into.
    pub fn rows(&self) -> Vec<InitiativeRow> {
        let mut rows: Vec<InitiativeRow> = self
            .initiatives
            .iter()
            .filter(|r| !r.name.trim().is_empty() || !r.author.trim().is_empty())
            .cloned()
            .collect();
        rows.extend(std::iter::repeat_n(
            InitiativeRow::default(),
            BLANK_INITIATIVES,
        ));
        rows
    }

    pub fn validate(
        &self,
        collective_types: &[(i64, String)],
        individual_types: &[(i64, String)],
    ) -> (RegistrationFields, Errors) {
        let mut e = Errors::default();
        let award_type_id = match crate::org::forms::optional_id(&self.award_type_id) {
            Ok(None) => None,
            Ok(Some(id)) if collective_types.iter().any(|(a, _)| *a == id) => Some(id),
            _ => {
                e.add(
                    "award_type_id",
                    "Hãy chọn danh hiệu, hình thức khen thưởng tập thể trong danh sách.",
                );
                None
            }
        };
        // The form of commendation beside the title: only a collective form of commendation.
        let commendation_type_id = match crate::org::forms::optional_id(&self.commendation_type_id)
        {
            Ok(None) => None,
            Ok(Some(id))
                if collective_types
                    .iter()
                    .any(|(a, n)| *a == id && crate::cycle::model::is_commendation(n)) =>
            {
                Some(id)
            }
            _ => {
                e.add(
                    "commendation_type_id",
                    "Hãy chọn hình thức khen thưởng tập thể trong danh sách.",
                );
                None
            }
        };
        let mut counts = Vec::new();
        for (id, typed) in &self.counts {
            match typed.trim() {
                "" | "0" => {}
                t => match t.parse::<i32>() {
                    Ok(n) if (1..=100_000).contains(&n) && individual_types.iter().any(|(a, _)| a == id) => {
                        counts.push((*id, n))
                    }
                    _ => e.add(
                        "counts",
                        "Số người đăng ký phải là số nguyên không âm (để trống hoặc 0 nếu không có).",
                    ),
                },
            }
        }
        let mut initiatives = Vec::new();
        for r in &self.initiatives {
            let (name, author) = (r.name.trim(), r.author.trim());
            if name.is_empty() && author.is_empty() {
                continue;
            }
            let n = name.chars().count();
            if n < 2 {
                e.add(
                    "initiatives",
                    "Mỗi sáng kiến, đề tài cần có tên (ít nhất 2 ký tự); xóa cả dòng nếu không dùng.",
                );
            } else if n > 500 {
                e.add("initiatives", "Tên sáng kiến, đề tài dài quá 500 ký tự.");
            }
            if author.chars().count() > 300 {
                e.add("initiatives", "Tên tác giả, chủ nhiệm dài quá 300 ký tự.");
            }
            let kind = match r.kind.as_str() {
                "de_tai" => "de_tai",
                _ => "sang_kien",
            };
            initiatives.push(Initiative {
                kind: kind.to_string(),
                name: name.to_string(),
                author: author.to_string(),
            });
        }
        if initiatives.len() > 200 {
            e.add(
                "initiatives",
                "Mỗi đơn vị đăng ký tối đa 200 sáng kiến, đề tài.",
            );
        }
        let notes = forms::optional_text(
            &mut e,
            "notes",
            &self.notes,
            "Chỉ tiêu, nội dung đăng ký khác",
            4000,
        );
        (
            RegistrationFields {
                award_type_id,
                commendation_type_id,
                counts,
                initiatives,
                notes,
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
    fn a_registration_reads_counts_and_initiative_rows() {
        let collective = vec![(1, "Tập thể lao động xuất sắc".to_string())];
        let individual = vec![
            (5, "Chiến sĩ thi đua cơ sở".to_string()),
            (6, "Lao động tiên tiến".to_string()),
        ];
        let p = pairs(&[
            ("award_type_id", "1"),
            ("count_5", "3"),
            ("count_6", ""),
            ("ini_kind", "sang_kien"),
            ("ini_name", "Số hóa hồ sơ thi đua"),
            ("ini_author", "Nguyễn Văn A"),
            ("ini_kind", "de_tai"),
            ("ini_name", ""),
            ("ini_author", ""),
        ]);
        let form = RegistrationForm::from_pairs(&p, &individual);
        let (f, e) = form.validate(&collective, &individual);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(f.award_type_id, Some(1));
        assert_eq!(f.counts, vec![(5, 3)]);
        assert_eq!(f.initiatives.len(), 1);
        assert_eq!(form.rows().len(), 1 + BLANK_INITIATIVES);
        let p = pairs(&[
            ("award_type_id", "9"),
            ("count_5", "-2"),
            ("ini_name", "x"),
            ("ini_author", ""),
        ]);
        let (_, e) =
            RegistrationForm::from_pairs(&p, &individual).validate(&collective, &individual);
        assert!(e.has("award_type_id") && e.has("counts") && e.has("initiatives"));
    }
}
