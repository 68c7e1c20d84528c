//! The dossier page everyone concerned reads, and the leader's side of it: the letter's and the
//! minutes' words, and sending.

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::{load_proposal, state_of};
use crate::audit::Actor;
use crate::auth::{CurrentUser, Role, policy};
use crate::error::{AppError, AppResult};
use crate::org::store::ClusterYear;
use crate::proposals::model::{self, ProposalState, SendCheck, Step};
use crate::proposals::store::{self, Decision, Event, Nominee, Proposal, Texts};
use crate::proposals::templates::Section;
use crate::web::forms::{self, Errors};
use crate::web::forms::{Pairs, first};
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn::today;

pub(super) fn menu(u: &CurrentUser) -> &'static str {
    if u.role == Role::TenantAdmin {
        "proposals"
    } else {
        "units"
    }
}

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

pub struct ReportRow {
    pub unit_id: i64,
    pub unit_name: String,
    pub awards: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "proposals/dossier.html")]
pub struct DossierPage {
    pub l: Layout,
    pub y: ClusterYear,
    pub p: Proposal,
    pub state: ProposalState,
    pub nominees: Vec<Nominee>,
    pub reports: Vec<ReportRow>,
    pub form: TextsForm,
    pub errors: Errors,
    pub problems: Vec<String>,
    pub may_prepare: bool,
    pub may_send: bool,
    pub may_review: bool,
    pub events: Vec<Event>,
    pub decision: Option<Decision>,
    pub deadline: Option<NaiveDate>,
    pub late: bool,
    pub fields: &'static [(&'static str, &'static str)],
    /// The council's decision form as typed.
    pub decide: (String, String, String),
    /// The nominees ticked for the award; None: all, as the form starts.
    pub chosen: Option<Vec<String>>,
    pub reason: String,
}

impl DossierPage {
    fn editable(&self) -> bool {
        self.state.editable()
    }
    fn state_label(&self) -> &'static str {
        self.state.label()
    }
    fn pct(&self, n: &Nominee) -> String {
        model::percent_vn(n.percent)
    }
    fn when(&self, e: &Event) -> String {
        crate::web::vn::datetime(e.at)
    }
    fn step_label(&self, e: &Event) -> &'static str {
        model::state_label(&e.to_state)
    }
    fn date(&self, d: &NaiveDate) -> String {
        d.format("%d/%m/%Y").to_string()
    }
    fn is(&self, s: &str) -> bool {
        self.state.as_str() == s
    }
    fn ticked(&self, n: &Nominee) -> bool {
        let key = format!("{}-{}", n.award_type_id, n.unit_id);
        self.chosen.as_ref().is_none_or(|c| c.contains(&key))
    }
}

/// What the page shows in its forms: the saved values, or what the user just typed.
pub enum Shown {
    Saved,
    Typed(TextsForm),
    /// The decision form as typed, with the nominees ticked.
    Decide(String, String, String, Vec<String>),
    Reason(String),
}

pub async fn render(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    errors: Errors,
    problems: Vec<String>,
    shown: Shown,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (p, ctx) = load_proposal(&mut tx, u, id, false).await?;
    let nominees = store::nominees(&mut tx, p.id).await?;
    let reports = store::reports(&mut tx, p.id).await?;
    let cover = store::template(&mut tx, p.cover_template_id).await?;
    let minutes = store::template(&mut tx, p.minutes_template_id).await?;
    let events = store::events(&mut tx, p.id).await?;
    let decision = store::decision(&mut tx, p.id).await?;
    let settings = crate::settings::store::load(&mut tx).await?;
    tx.commit().await?;
    let mut report_rows: Vec<ReportRow> = Vec::new();
    for n in &nominees {
        if let Some(r) = report_rows.iter_mut().find(|r| r.unit_id == n.unit_id) {
            r.awards = format!("{}; {}", r.awards, n.award_name);
            continue;
        }
        let rep = reports.iter().find(|r| r.unit_id == n.unit_id);
        report_rows.push(ReportRow {
            unit_id: n.unit_id,
            unit_name: n.unit_name.clone(),
            awards: n.award_name.clone(),
            status: match rep {
                Some(r) if r.submitted_at.is_some() => "Thủ trưởng đã trình",
                Some(_) => "Đang viết",
                None => "Chưa viết",
            },
        });
    }
    let deadline = settings.deadline(ctx.y.year);
    let sent_on = p
        .sent_at
        .map(|t| t.with_timezone(&crate::web::vn::vn_offset()).date_naive());
    let mut chosen = None;
    let (mut decide, mut reason) = ((String::new(), String::new(), String::new()), String::new());
    let form = match shown {
        Shown::Typed(f) => f,
        other => {
            match other {
                Shown::Decide(a, b, c, ticked) => {
                    decide = (a, b, c);
                    chosen = Some(ticked);
                }
                Shown::Reason(r) => reason = r,
                _ => {}
            }
            TextsForm {
                number: p.number.clone(),
                letter_date: date_field(p.letter_date),
                meeting_date: date_field(p.meeting_date),
                meeting_time: p.meeting_time.clone(),
                meeting_place: p.meeting_place.clone(),
                chair: p.chair.clone(),
                secretary: p.secretary.clone(),
                cover: cover
                    .map(|t| user_sections(&t.sections.0, &p.cover_text.0))
                    .unwrap_or_default(),
                minutes: minutes
                    .map(|t| user_sections(&t.sections.0, &p.minutes_text.0))
                    .unwrap_or_default(),
            }
        }
    };
    let page = DossierPage {
        l: Layout::for_user(
            u,
            &format!(
                "Hồ sơ đề nghị khen thưởng — {} năm {}",
                ctx.y.cluster_name, ctx.y.year
            ),
            menu(u),
        ),
        state: state_of(&p),
        late: model::is_late(deadline, sent_on, today()),
        may_prepare: policy::may_prepare_proposal(u, ctx.role),
        may_send: policy::may_send_proposal(u, ctx.role),
        may_review: policy::may_review_proposals(u),
        y: ctx.y,
        p,
        nominees,
        reports: report_rows,
        form,
        errors,
        problems,
        events,
        decision,
        deadline,
        fields: model::FIELDS,
        decide,
        chosen,
        reason,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    render(
        &u,
        id,
        StatusCode::OK,
        Errors::default(),
        Vec::new(),
        Shown::Saved,
    )
    .await
}

/// Reads the letter's and the minutes' fields; errors beside each, the typed text kept.
/// A section left out of the form keeps its text; one sent empty is an error.
fn read_texts(
    f: &Pairs,
    p: &Proposal,
    cover: &[Section],
    minutes: &[Section],
) -> (TextsForm, Texts, Errors) {
    let mut errors = Errors::default();
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
    let form = TextsForm {
        number: first(f, "number").trim().to_string(),
        letter_date: first(f, "letter_date").trim().to_string(),
        meeting_date: first(f, "meeting_date").trim().to_string(),
        meeting_time: first(f, "meeting_time").trim().to_string(),
        meeting_place: first(f, "meeting_place").trim().to_string(),
        chair: first(f, "chair").trim().to_string(),
        secretary: first(f, "secretary").trim().to_string(),
        cover: typed("cover", cover, &p.cover_text.0),
        minutes: typed("minutes", minutes, &p.minutes_text.0),
    };
    let number = forms::optional_text(&mut errors, "number", &form.number, "Số tờ trình", 50);
    let letter_date = forms::optional_date(&mut errors, "letter_date", &form.letter_date);
    let meeting_date = forms::optional_date(&mut errors, "meeting_date", &form.meeting_date);
    let meeting_time = forms::optional_text(
        &mut errors,
        "meeting_time",
        &form.meeting_time,
        "Giờ họp",
        20,
    );
    let meeting_place = forms::optional_text(
        &mut errors,
        "meeting_place",
        &form.meeting_place,
        "Địa điểm",
        300,
    );
    let chair = forms::optional_text(&mut errors, "chair", &form.chair, "Người chủ trì", 200);
    let secretary = forms::optional_text(&mut errors, "secretary", &form.secretary, "Thư ký", 200);
    let mut texts = |prefix: &str, list: &[(Section, String)]| -> Map<String, Value> {
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
    };
    let cover_text = texts("cover", &form.cover);
    let minutes_text = texts("minutes", &form.minutes);
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

pub async fn save(u: CurrentUser, Ids(id): Ids<i64>, Form(f): Form<Pairs>) -> AppResult<Response> {
    let actor = Actor::user(&u);
    let mut tx = u.db().await?;
    let (p, ctx) = load_proposal(&mut tx, &u, id, true).await?;
    if !policy::may_prepare_proposal(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let cover = super::sections(&mut tx, p.cover_template_id).await?;
    let minutes = super::sections(&mut tx, p.minutes_template_id).await?;
    let (form, texts, mut errors) = read_texts(&f, &p, &cover, &minutes);
    if !state_of(&p).editable() {
        errors.add(
            "dossier",
            "Hồ sơ đã gửi Hội đồng nên không sửa được; chỉ sửa khi hồ sơ bị trả lại.",
        );
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        return render(
            &u,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            Vec::new(),
            Shown::Typed(form),
        )
        .await;
    }
    store::save_texts(&mut tx, &actor, &p, &texts).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/proposals/{}", p.id)).into_response())
}

/// The leader's head sends the dossier (again, after a return) when nothing is missing.
pub async fn send(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let actor = Actor::user(&u);
    let mut tx = u.db().await?;
    let (p, ctx) = load_proposal(&mut tx, &u, id, true).await?;
    if !policy::may_send_proposal(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let nominees = store::nominees(&mut tx, p.id).await?;
    let reports = store::reports(&mut tx, p.id).await?;
    let mut missing: Vec<String> = Vec::new();
    for n in &nominees {
        let done = reports
            .iter()
            .any(|r| r.unit_id == n.unit_id && r.submitted_at.is_some());
        if !done && !missing.contains(&n.unit_name) {
            missing.push(n.unit_name.clone());
        }
    }
    let mut problems = match model::transition(state_of(&p), Step::Send) {
        Ok(_) => Vec::new(),
        Err(e) => vec![e.to_string()],
    };
    if problems.is_empty() {
        problems = model::check_send(&SendCheck {
            nominees: nominees.len(),
            letter_date: p.letter_date,
            meeting_date: p.meeting_date,
            chair: &p.chair,
            secretary: &p.secretary,
            reports_missing: missing,
        });
    }
    if !problems.is_empty() {
        tx.rollback().await?;
        return render(
            &u,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            Errors::default(),
            problems,
            Shown::Saved,
        )
        .await;
    }
    let note = if p.state == "returned" {
        "Gửi lại sau khi sửa theo ý kiến của Hội đồng"
    } else {
        ""
    };
    store::set_state(&mut tx, &actor, &p, "sent", note, None).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/proposals/{}", p.id)).into_response())
}
