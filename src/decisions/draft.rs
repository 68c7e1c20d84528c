//! Drafting a decision from decided dossiers: everything but the number, the date and the free
//! text's edits comes from the data — the authority and signer from the settings, the legal
//! bases from the rule set in force, "Xét đề nghị" from the dossiers' letters, each award with
//! its reason and the tenant's bonus amount. Used by the handlers and by the demo.

use chrono::NaiveDate;

use super::model;
use super::store::{self, NewLine, Texts};
use crate::audit::Actor;
use crate::db::TenantTx;
use crate::settings::rules;

/// The closing articles a draft starts with; the council edits them on the draft.
pub const CLOSING: &str = "Quyết định này có hiệu lực kể từ ngày ký.\nThủ trưởng các cơ quan, \
     đơn vị có liên quan và các tập thể có tên trong danh sách kèm theo chịu trách nhiệm thi \
     hành Quyết định này.";

/// The legal bases of the rule set in force on `on`.
pub fn bases_on(sets: &[rules::RuleSet], on: NaiveDate) -> String {
    rules::in_force(sets, on)
        .map(|s| model::legal_bases(&s.citation))
        .unwrap_or_default()
}

/// On issue, the legal bases follow the date signed, unless the council wrote its own: a text
/// generated for any rule set is replaced by the one in force on `signed_on`.
pub fn bases_at_issue(sets: &[rules::RuleSet], current: &str, signed_on: NaiveDate) -> String {
    let generated = sets
        .iter()
        .any(|s| model::legal_bases(&s.citation).trim() == current.trim());
    if generated {
        bases_on(sets, signed_on)
    } else {
        current.to_string()
    }
}

/// A dossier as "Xét đề nghị" names it: cluster, letter number and date.
#[derive(sqlx::FromRow)]
struct Letter {
    cluster_name: String,
    number: String,
    letter_date: Option<NaiveDate>,
}

/// The longest "Xét đề nghị" (characters; migration 0046): room for well over a thousand
/// dossiers' letters.
pub const CONSIDERING_MAX: usize = 200_000;

fn considering(letters: &[Letter]) -> String {
    let parts: Vec<String> = letters
        .iter()
        .map(|l| {
            let mut t = format!("của {}", l.cluster_name);
            if !l.number.trim().is_empty() {
                t.push_str(&format!(" tại Tờ trình số {}", l.number.trim()));
                if let Some(d) = l.letter_date {
                    t.push_str(&format!(" ngày {}", d.format("%d/%m/%Y")));
                }
            }
            t
        })
        .collect();
    format!("Xét đề nghị {}.", parts.join("; "))
}

/// Writes the draft of `year` from `proposals` (each one of `store::pending`), or says why not.
pub async fn draft(
    tx: &mut TenantTx,
    actor: &Actor,
    year: i32,
    proposals: &[i64],
    today: NaiveDate,
) -> sqlx::Result<Result<i64, String>> {
    // The dossiers are locked first, so that two drafts of one dossier wait for each other and
    // the second finds it taken.
    sqlx::query(
        "SELECT id FROM proposals WHERE tenant_id = $1 AND id = ANY($2) ORDER BY id FOR UPDATE",
    )
    .bind(tx.tenant_id())
    .bind(proposals)
    .execute(&mut **tx)
    .await?;
    let pending = store::pending(tx, year).await?;
    if proposals.is_empty() {
        return Ok(Err(
            "Hãy chọn ít nhất một hồ sơ đã có kết quả khen thưởng.".into()
        ));
    }
    if !proposals
        .iter()
        .all(|p| pending.iter().any(|x| x.proposal_id == *p))
    {
        return Ok(Err(
            "Có hồ sơ được chọn không còn chờ quyết định (đã có quyết định hoặc dự thảo khác)."
                .into(),
        ));
    }
    let settings = store::settings(tx).await?;
    let (_, place, sets) = crate::proposals::store::tenant_names(tx).await?;
    let tenant_id = tx.tenant_id();
    let letters: Vec<Letter> = sqlx::query_as(
        r#"SELECT c.name AS cluster_name, p.number, p.letter_date
             FROM proposals p
             JOIN cluster_years y ON y.tenant_id = p.tenant_id AND y.id = p.cluster_year_id
             JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
            WHERE p.tenant_id = $1 AND p.id = ANY($2)
            ORDER BY c.name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .bind(proposals)
    .fetch_all(&mut **tx)
    .await?;
    let outcome = store::outcome_lines(tx, proposals).await?;
    let lines: Vec<NewLine> = outcome
        .iter()
        .map(|o| {
            let reason = format!(
                "Đã có thành tích xuất sắc trong phong trào thi đua năm {year}, được {} bình \
                 xét, suy tôn",
                o.cluster_name
            );
            let amount = settings.bonus(o.award_type_id);
            let (unit, name) = (o.unit_id, o.unit_name.clone());
            (
                o.proposal_id,
                unit,
                name,
                o.award_type_id,
                o.award_name.clone(),
                reason,
                amount,
            )
        })
        .collect();
    let n_groups = {
        let mut ids: Vec<i64> = outcome.iter().map(|o| o.award_type_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.len()
    };
    let considering = considering(&letters);
    if considering.chars().count() > CONSIDERING_MAX {
        return Ok(Err(format!(
            "Các tờ trình của {} hồ sơ dài quá mức một quyết định ghi được ở phần “Xét đề nghị”; \
             hãy chia các hồ sơ thành nhiều quyết định.",
            proposals.len()
        )));
    }
    let texts = Texts {
        authority: settings.authority.clone(),
        managing_agency: settings.managing_agency.clone(),
        signer_title: settings.signer_title.clone(),
        signer_name: settings.signer_name.clone(),
        place,
        legal_bases: bases_on(&sets, today),
        considering,
        closing_articles: CLOSING.into(),
        recipients: format!("- Như Điều {};\n- Lưu: VT.", n_groups + 2),
    };
    let id = store::insert_draft(tx, actor, year, &texts, proposals, &lines).await?;
    Ok(Ok(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(code: &str, from: Option<NaiveDate>, citation: &str) -> rules::RuleSet {
        rules::RuleSet {
            code: code.into(),
            effective_from: from,
            title: String::new(),
            citation: citation.into(),
            source_text: String::new(),
            rules: Vec::new(),
        }
    }

    #[test]
    fn the_legal_bases_follow_the_date_signed_unless_written_by_hand() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let sets = vec![
            set(
                "98/2023",
                Some(d(2024, 1, 1)),
                "Luật 06/2022/QH15; Nghị định 98/2023/NĐ-CP",
            ),
            set(
                "152/2025",
                Some(d(2025, 7, 1)),
                "Luật 06/2022/QH15; Nghị định 152/2025/NĐ-CP",
            ),
        ];
        let drafted = bases_on(&sets, d(2026, 12, 2));
        assert!(drafted.contains("152/2025"), "{drafted}");
        let issued = bases_at_issue(&sets, &drafted, d(2024, 1, 26));
        assert!(
            issued.contains("98/2023") && !issued.contains("152/2025"),
            "{issued}"
        );
        let own = "Căn cứ Quy chế của Hội đồng;";
        assert_eq!(bases_at_issue(&sets, own, d(2024, 1, 26)), own);
    }

    /// A national council's year: a thousand clusters with long names, each with its letter.
    /// At 65 dossiers the 4,000 characters first allowed were passed and drafting failed.
    #[test]
    fn a_thousand_dossiers_letters_fit_in_considering() {
        let letters: Vec<Letter> = (1..=1000)
            .map(|i| Letter {
                cluster_name: format!("Cụm thi đua số {i} các cơ quan Nội chính tỉnh miền núi"),
                number: format!("{i:02}/TTr-CTĐ{i}"),
                letter_date: NaiveDate::from_ymd_opt(2024, 12, 31),
            })
            .collect();
        let text = considering(&letters);
        assert!(text.chars().count() > 4000 * 10, "the case is the long one");
        assert!(
            text.chars().count() <= CONSIDERING_MAX,
            "{} characters",
            text.chars().count()
        );
    }

    #[test]
    fn considering_names_each_dossiers_letter() {
        let l = [Letter {
            cluster_name: "Cụm thi đua A".into(),
            number: "01/TTr-CTĐ".into(),
            letter_date: NaiveDate::from_ymd_opt(2024, 1, 11),
        }];
        assert_eq!(
            considering(&l),
            "Xét đề nghị của Cụm thi đua A tại Tờ trình số 01/TTr-CTĐ ngày 11/01/2024."
        );
    }
}
