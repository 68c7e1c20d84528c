//! The dossier's forms: what each one reads from the request, and the Vietnamese message
//! beside each field it refuses. The typed text always comes back, so nothing is lost.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::model;
use super::store::{Nominee, Proposal, Texts};
use super::templates::Section;
use crate::voting::model::VoteKind;
use crate::voting::store::Vote;
use crate::web::forms::{self, Errors, Pairs, all, first};

/// The letter's and the minutes' fields as typed, kept when the form comes back with errors.
pub struct TextsForm {
    pub number: String,
    pub letter_date: String,
    pub meeting_date: String,
    pub meeting_time: String,
    pub meeting_place: String,
    pub chair: String,
    pub secretary: String,
    /// The user sections of the letter and the minutes with their current text.
    pub cover: Vec<(Section, String)>,
    pub minutes: Vec<(Section, String)>,
}

fn date_field(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

fn user_sections(sections: &[Section], saved: &Map<String, Value>) -> Vec<(Section, String)> {
    sections
        .iter()
        .filter(|s| s.is_user())
        .map(|s| (s.clone(), crate::proposals::documents::text_of(saved, s)))
        .collect()
}

impl TextsForm {
    /// The form as the saved dossier fills it.
    pub fn saved(p: &Proposal, cover: &[Section], minutes: &[Section]) -> TextsForm {
        TextsForm {
            number: p.number.clone(),
            letter_date: date_field(p.letter_date),
            meeting_date: date_field(p.meeting_date),
            meeting_time: p.meeting_time.clone(),
            meeting_place: p.meeting_place.clone(),
            chair: p.chair.clone(),
            secretary: p.secretary.clone(),
            cover: user_sections(cover, &p.cover_text.0),
            minutes: user_sections(minutes, &p.minutes_text.0),
        }
    }

    /// The form as typed. A section left out of the form keeps its saved text.
    fn typed(f: &Pairs, p: &Proposal, cover: &[Section], minutes: &[Section]) -> TextsForm {
        let typed = |prefix: &str, sections: &[Section], saved: &Map<String, Value>| {
            sections
                .iter()
                .filter(|s| s.is_user())
                .map(|s| {
                    let field = format!("{prefix}_{}", s.key);
                    let text = if f.iter().any(|(k, _)| *k == field) {
                        first(f, &field).to_string()
                    } else {
                        crate::proposals::documents::text_of(saved, s)
                    };
                    (s.clone(), text)
                })
                .collect::<Vec<_>>()
        };
        let field = |k: &str| first(f, k).trim().to_string();
        TextsForm {
            number: field("number"),
            letter_date: field("letter_date"),
            meeting_date: field("meeting_date"),
            meeting_time: field("meeting_time"),
            meeting_place: field("meeting_place"),
            chair: field("chair"),
            secretary: field("secretary"),
            cover: typed("cover", cover, &p.cover_text.0),
            minutes: typed("minutes", minutes, &p.minutes_text.0),
        }
    }
}

/// Checks each typed section's text; errors go beside the section's field.
fn section_texts(
    errors: &mut Errors,
    prefix: &str,
    list: &[(Section, String)],
) -> Map<String, Value> {
    let mut out = Map::new();
    for (s, text) in list {
        let field = format!("{prefix}_{}", s.key);
        let text = text.trim().to_string();
        if let Some(m) = model::section_text_problem(&text, 5000) {
            errors.add(&field, m);
        }
        out.insert(s.key.clone(), Value::String(text));
    }
    out
}

/// Reads the letter's and the minutes' fields; errors beside each, the typed text kept.
/// A section left out of the form keeps its text; one sent empty is an error.
pub fn read_texts(
    f: &Pairs,
    p: &Proposal,
    cover: &[Section],
    minutes: &[Section],
) -> (TextsForm, Texts, Errors) {
    let mut errors = Errors::default();
    let form = TextsForm::typed(f, p, cover, minutes);
    let e = &mut errors;
    let number = forms::optional_text(e, "number", &form.number, "Số tờ trình", 50);
    let letter_date = forms::optional_date(e, "letter_date", &form.letter_date);
    let meeting_date = forms::optional_date(e, "meeting_date", &form.meeting_date);
    let meeting_time = forms::optional_text(e, "meeting_time", &form.meeting_time, "Giờ họp", 20);
    let meeting_place =
        forms::optional_text(e, "meeting_place", &form.meeting_place, "Địa điểm", 300);
    let chair = forms::optional_text(e, "chair", &form.chair, "Người chủ trì", 200);
    let secretary = forms::optional_text(e, "secretary", &form.secretary, "Thư ký", 200);
    let cover_text = section_texts(e, "cover", &form.cover);
    let minutes_text = section_texts(e, "minutes", &form.minutes);
    let t = Texts {
        number,
        letter_date,
        meeting_date,
        meeting_time,
        meeting_place,
        chair,
        secretary,
        cover_text,
        minutes_text,
    };
    (form, t, errors)
}

/// The council's decision form as typed: number, signing day, issuer, and the nominees
/// ticked (as "award type-unit").
#[derive(Default)]
pub struct DecisionForm {
    pub number: String,
    pub signed_on: String,
    pub issuer: String,
    pub chosen: Vec<String>,
}

/// A decision as the council records it.
pub struct DecisionInput {
    pub number: String,
    pub signed_on: NaiveDate,
    pub issuer: String,
}

pub fn nominee_key(n: &Nominee) -> String {
    format!("{}-{}", n.award_type_id, n.unit_id)
}

impl DecisionForm {
    pub fn read(f: &Pairs) -> DecisionForm {
        DecisionForm {
            number: first(f, "number").to_string(),
            signed_on: first(f, "signed_on").to_string(),
            issuer: first(f, "issuer").to_string(),
            chosen: all(f, "award").iter().map(|c| c.to_string()).collect(),
        }
    }

    /// The council records only its outcome (the awards), leaving number, date and issuer to
    /// the decision drafted from it.
    pub fn is_outcome_only(&self) -> bool {
        [&self.number, &self.signed_on, &self.issuer]
            .iter()
            .all(|v| v.trim().is_empty())
    }

    /// The decision, or None with the errors beside the fields.
    pub fn validate(&self, errors: &mut Errors) -> Option<DecisionInput> {
        let number = forms::text(errors, "number", &self.number, "số quyết định", 1, 50);
        let signed_on = forms::optional_date(errors, "signed_on", &self.signed_on);
        if signed_on.is_none() && !errors.has("signed_on") {
            errors.add("signed_on", "Hãy nhập ngày ký quyết định.");
        }
        let issuer = forms::text(errors, "issuer", &self.issuer, "cơ quan ban hành", 2, 300);
        Some(DecisionInput {
            number,
            signed_on: signed_on?,
            issuer,
        })
        .filter(|_| errors.is_empty())
    }

    /// The nominees the council ticked.
    pub fn awarded(&self, nominees: &[Nominee]) -> Vec<Nominee> {
        nominees
            .iter()
            .filter(|n| self.chosen.contains(&nominee_key(n)))
            .cloned()
            .collect()
    }
}

/// The reason a dossier is returned with, or the errors beside it.
pub fn read_reason(f: &Pairs) -> Result<String, Errors> {
    let mut errors = Errors::default();
    let reason = forms::text(
        &mut errors,
        "reason",
        first(f, "reason"),
        "lý do trả lại",
        5,
        2000,
    );
    if errors.is_empty() {
        Ok(reason)
    } else {
        Err(errors)
    }
}

/// The nominee the leader withdraws (`award-unit`, one of `nominees`) and the reason, or the
/// errors beside the fields.
pub fn read_withdrawal(f: &Pairs, nominees: &[Nominee]) -> Result<((i64, i64), String), Errors> {
    let mut errors = Errors::default();
    let key = first(f, "nominee");
    let picked = nominees.iter().find(|n| nominee_key(n) == key);
    if picked.is_none() {
        errors.add("nominee", "Hãy chọn tập thể cần rút khỏi đề nghị.");
    }
    let reason = forms::text(
        &mut errors,
        "withdraw_reason",
        first(f, "withdraw_reason"),
        "lý do rút đề nghị",
        5,
        2000,
    );
    match picked {
        Some(n) if errors.is_empty() => Ok(((n.award_type_id, n.unit_id), reason)),
        _ => Err(errors),
    }
}

/// An achievement report's sections as typed, each checked.
pub fn read_report(f: &Pairs, sections: &[Section], errors: &mut Errors) -> Map<String, Value> {
    let mut typed = Map::new();
    for s in sections.iter().filter(|s| s.is_user()) {
        let field = format!("s_{}", s.key);
        let text = first(f, &field).trim().to_string();
        if let Some(m) = model::section_text_problem(&text, 20000) {
            errors.add(&field, m);
        }
        typed.insert(s.key.clone(), Value::String(text));
    }
    typed
}

/// A new template version as typed: name, legal basis, and the same sections in the same
/// order with their headings and texts as edited.
pub struct TemplateForm {
    pub name: String,
    pub legal_basis: String,
    pub sections: Vec<Section>,
}

pub fn read_template(f: &Pairs, kind: &str, saved: &[Section]) -> (TemplateForm, Errors) {
    let mut errors = Errors::default();
    let name = forms::text(&mut errors, "name", first(f, "name"), "tên mẫu", 2, 300);
    let legal_basis = forms::optional_text(
        &mut errors,
        "legal_basis",
        first(f, "legal_basis"),
        "Căn cứ",
        1000,
    );
    let sections: Vec<Section> = saved
        .iter()
        .enumerate()
        .map(|(i, s)| Section {
            key: s.key.clone(),
            label: s.label.clone(),
            heading: first(f, &format!("heading_{i}")).trim().to_string(),
            text: if s.is_system() {
                String::new()
            } else {
                first(f, &format!("text_{i}")).trim().to_string()
            },
            fill: s.fill.clone(),
        })
        .collect();
    for (field, message) in super::templates::validate(kind, &sections) {
        errors.add(field, message);
    }
    let name = if errors.is_empty() {
        name
    } else {
        // Shown again as typed, not as trimmed.
        first(f, "name").to_string()
    };
    (
        TemplateForm {
            name,
            legal_basis,
            sections,
        },
        errors,
    )
}

/// The votes a dossier is assembled from, as chosen: the closed award vote (required) and
/// the closed election (optional), among the year's last rounds.
pub struct AssembleForm {
    pub vote_id: String,
    pub election_vote_id: String,
}

impl AssembleForm {
    pub fn read(f: &Pairs) -> AssembleForm {
        AssembleForm {
            vote_id: first(f, "vote_id").to_string(),
            election_vote_id: first(f, "election_vote_id").to_string(),
        }
    }

    /// The chosen votes; errors beside the fields when one is not a closed vote of the year.
    pub fn votes(&self, votes: &[Vote], errors: &mut Errors) -> (Option<Vote>, Option<Vote>) {
        let vote = pick(&self.vote_id, "vote_id", VoteKind::Award, votes, errors);
        if vote.is_none() && !errors.has("vote_id") {
            errors.add("vote_id", "Hãy chọn cuộc bình xét, suy tôn đã kết thúc.");
        }
        let election = pick(
            &self.election_vote_id,
            "election_vote_id",
            VoteKind::Election,
            votes,
            errors,
        );
        (vote, election)
    }
}

fn pick(
    raw: &str,
    field: &str,
    kind: VoteKind,
    votes: &[Vote],
    errors: &mut Errors,
) -> Option<Vote> {
    if raw.is_empty() {
        return None;
    }
    let v = raw
        .parse::<i64>()
        .ok()
        .and_then(|id| votes.iter().find(|v| v.id == id))
        .filter(|v| v.kind == kind && v.state.is_closed())
        .cloned();
    if v.is_none() {
        errors.add(
            field,
            "Hãy chọn một cuộc biểu quyết đã kết thúc của năm này.",
        );
    }
    v
}
