//! The decision's forms as typed, and their checks: a message beside each field, in
//! Vietnamese, and nothing typed lost.

use chrono::NaiveDate;

use super::store::{Line, Settings, Texts};
use crate::web::forms::{self, Errors, Pairs, all, first};

/// The dossiers ticked to draft from.
pub fn read_dossiers(f: &Pairs) -> Vec<i64> {
    all(f, "dossier")
        .iter()
        .filter_map(|d| d.trim().parse().ok())
        .collect()
}

/// The texts of a draft as typed.
pub fn read_texts(f: &Pairs) -> Texts {
    let t = |k: &str| first(f, k).trim().replace("\r\n", "\n");
    Texts {
        authority: t("authority"),
        managing_agency: t("managing_agency"),
        signer_title: t("signer_title"),
        signer_name: t("signer_name"),
        place: t("place"),
        legal_bases: t("legal_bases"),
        considering: t("considering"),
        closing_articles: t("closing_articles"),
        recipients: t("recipients"),
    }
}

pub fn check_texts(t: &Texts, errors: &mut Errors) {
    forms::text(
        errors,
        "authority",
        &t.authority,
        "cơ quan ban hành",
        2,
        300,
    );
    forms::optional_text(
        errors,
        "managing_agency",
        &t.managing_agency,
        "cơ quan chủ quản",
        300,
    );
    forms::optional_text(
        errors,
        "signer_title",
        &t.signer_title,
        "chức vụ người ký",
        100,
    );
    forms::optional_text(
        errors,
        "signer_name",
        &t.signer_name,
        "họ tên người ký",
        200,
    );
    forms::optional_text(errors, "place", &t.place, "địa danh", 100);
    forms::text(
        errors,
        "legal_bases",
        &t.legal_bases,
        "căn cứ pháp lý",
        5,
        4000,
    );
    forms::text(
        errors,
        "considering",
        &t.considering,
        "nội dung “Xét đề nghị”",
        5,
        super::draft::CONSIDERING_MAX,
    );
    forms::optional_text(
        errors,
        "closing_articles",
        &t.closing_articles,
        "các điều thi hành",
        4000,
    );
    forms::optional_text(errors, "recipients", &t.recipients, "nơi nhận", 2000);
}

/// A line as typed: its reason and amount (đồng, digits with or without dots).
#[derive(Clone, Debug, Default)]
pub struct LineInput {
    pub id: i64,
    pub reason: String,
    pub amount: String,
}

/// The lines as typed; a line the form did not send keeps what is saved.
pub fn read_lines(f: &Pairs, lines: &[Line]) -> Vec<LineInput> {
    let sent = |k: &str| f.iter().any(|(key, _)| key == k);
    lines_as_saved(lines)
        .into_iter()
        .map(|mut l| {
            let (r, a) = (format!("reason-{}", l.id), format!("amount-{}", l.id));
            if sent(&r) {
                l.reason = first(f, &r).trim().to_string();
            }
            if sent(&a) {
                l.amount = first(f, &a).trim().to_string();
            }
            l
        })
        .collect()
}

pub fn lines_as_saved(lines: &[Line]) -> Vec<LineInput> {
    lines
        .iter()
        .map(|l| LineInput {
            id: l.id,
            reason: l.reason.clone(),
            amount: l.amount.map(crate::web::vn::integer).unwrap_or_default(),
        })
        .collect()
}

/// What a bad amount is told.
pub const BAD_AMOUNT: &str = "Số tiền thưởng phải là số đồng, ví dụ 1.500.000.";

/// "1.500.000", "1500000" or empty (no amount).
pub fn parse_amount(s: &str) -> Result<Option<i64>, &'static str> {
    let digits: String = s
        .trim()
        .trim_end_matches("đồng")
        .trim()
        .replace(['.', ' '], "");
    if digits.is_empty() {
        return Ok(None);
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 15 {
        return Err(BAD_AMOUNT);
    }
    digits.parse().map(Some).map_err(|_| BAD_AMOUNT)
}

pub fn check_lines(lines: &[LineInput], errors: &mut Errors) -> Vec<(i64, String, Option<i64>)> {
    lines
        .iter()
        .map(|l| {
            let field = format!("reason-{}", l.id);
            let reason = forms::optional_text(errors, &field, &l.reason, "lý do khen thưởng", 1000);
            let amount = parse_amount(&l.amount).unwrap_or_else(|e| {
                errors.add(format!("amount-{}", l.id), e);
                None
            });
            (l.id, reason, amount)
        })
        .collect()
}

/// The number and date typed to issue, or the errors beside them.
#[derive(Clone, Debug, Default)]
pub struct IssueForm {
    pub number: String,
    pub signed_on: String,
}

impl IssueForm {
    pub fn read(f: &Pairs) -> IssueForm {
        IssueForm {
            number: first(f, "number").to_string(),
            signed_on: first(f, "signed_on").to_string(),
        }
    }

    pub fn check(&self, errors: &mut Errors) -> Option<(String, NaiveDate)> {
        let number = super::model::tidy_number(&self.number);
        forms::text(errors, "number", &number, "số quyết định", 1, 50);
        let on = forms::optional_date(errors, "signed_on", &self.signed_on);
        if on.is_none() && !errors.has("signed_on") {
            errors.add("signed_on", "Hãy nhập ngày ký quyết định.");
        }
        Some((number, on?)).filter(|_| errors.is_empty())
    }
}

pub fn read_reason(f: &Pairs, errors: &mut Errors) -> String {
    forms::text(
        errors,
        "reason",
        first(f, "reason"),
        "lý do thu hồi",
        5,
        2000,
    )
}

/// The settings form as typed: the amounts by award type id.
#[derive(Clone, Debug, Default)]
pub struct SettingsForm {
    pub authority: String,
    pub managing_agency: String,
    pub signer_title: String,
    pub signer_name: String,
    pub records_bonuses: bool,
    pub bonuses: Vec<(i64, String)>,
}

impl SettingsForm {
    pub fn of(s: &Settings, award_types: &[(i64, String)]) -> SettingsForm {
        SettingsForm {
            authority: s.authority.clone(),
            managing_agency: s.managing_agency.clone(),
            signer_title: s.signer_title.clone(),
            signer_name: s.signer_name.clone(),
            records_bonuses: s.records_bonuses,
            bonuses: award_types
                .iter()
                .map(|(id, _)| {
                    let v = s.bonuses.0.get(&id.to_string());
                    (*id, v.map(|v| v.to_string()).unwrap_or_default())
                })
                .collect(),
        }
    }

    pub fn read(f: &Pairs, award_types: &[(i64, String)]) -> SettingsForm {
        SettingsForm {
            authority: first(f, "authority").trim().to_string(),
            managing_agency: first(f, "managing_agency").trim().to_string(),
            signer_title: first(f, "signer_title").trim().to_string(),
            signer_name: first(f, "signer_name").trim().to_string(),
            records_bonuses: !first(f, "records_bonuses").is_empty(),
            bonuses: award_types
                .iter()
                .map(|(id, _)| (*id, first(f, &format!("bonus-{id}")).trim().to_string()))
                .collect(),
        }
    }

    pub fn check(&self, errors: &mut Errors) -> Option<Settings> {
        forms::text(
            errors,
            "authority",
            &self.authority,
            "cơ quan ban hành",
            2,
            300,
        );
        forms::optional_text(
            errors,
            "managing_agency",
            &self.managing_agency,
            "cơ quan chủ quản",
            300,
        );
        forms::optional_text(
            errors,
            "signer_title",
            &self.signer_title,
            "chức vụ người ký",
            100,
        );
        forms::optional_text(
            errors,
            "signer_name",
            &self.signer_name,
            "họ tên người ký",
            200,
        );
        let mut bonuses = std::collections::BTreeMap::new();
        for (id, v) in &self.bonuses {
            match parse_amount(v) {
                Ok(Some(a)) => {
                    bonuses.insert(id.to_string(), a);
                }
                Ok(None) => {}
                Err(_) => errors.add(
                    format!("bonus-{id}"),
                    "Mức tiền thưởng phải là số đồng, ví dụ 1.500.000.",
                ),
            }
        }
        errors.is_empty().then(|| Settings {
            authority: self.authority.clone(),
            managing_agency: self.managing_agency.clone(),
            signer_title: self.signer_title.clone(),
            signer_name: self.signer_name.clone(),
            records_bonuses: self.records_bonuses,
            bonuses: sqlx::types::Json(bonuses),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_vietnamese_write_them() {
        assert_eq!(parse_amount("1.500.000"), Ok(Some(1_500_000)));
        assert_eq!(parse_amount(" 2000000 đồng"), Ok(Some(2_000_000)));
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount("1,5 triệu"), Err(BAD_AMOUNT));
        assert_eq!(parse_amount("-5"), Err(BAD_AMOUNT));
    }
}
