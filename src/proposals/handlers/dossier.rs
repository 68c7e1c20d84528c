//! The dossier page everyone concerned reads, and the leader's side of it: the letter's and the
//! minutes' words, and sending.

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;

use super::{load_proposal, state_of};
use crate::audit::Actor;
use crate::auth::{CurrentUser, Role, policy};
use crate::error::{AppError, AppResult};
use crate::org::store::ClusterYear;
use crate::proposals::forms::{self, DecisionForm, TextsForm};
use crate::proposals::model::{self, ProposalState, ReportStatus, SendCheck, Step};
use crate::proposals::store::{self, Decision, Event, Nominee, Proposal};
use crate::proposals::templates::Section;
use crate::web::forms::{Errors, Pairs};
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn::today;

pub(super) fn menu(u: &CurrentUser) -> &'static str {
    if u.role == Role::TenantAdmin {
        "proposals"
    } else {
        crate::web::layout::year_menu(u)
    }
}

pub struct ReportRow {
    pub unit_id: i64,
    pub unit_name: String,
    pub award_type_id: i64,
    pub award: String,
    pub status: ReportStatus,
}

/// One line per nominee and award (one report per award form), with where its report stands.
fn report_rows(nominees: &[Nominee], reports: &[store::Report]) -> Vec<ReportRow> {
    nominees
        .iter()
        .map(|n| {
            let rep = reports
                .iter()
                .find(|r| r.unit_id == n.unit_id && r.award_type_id == n.award_type_id);
            ReportRow {
                unit_id: n.unit_id,
                unit_name: n.unit_name.clone(),
                award_type_id: n.award_type_id,
                award: n.award_name.clone(),
                status: ReportStatus::of(rep.map(|r| r.submitted_at.is_some())),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "proposals/dossier.html")]
pub struct DossierPage {
    pub l: Layout,
    /// "Đã lưu …" after a save of the letter and minutes fields.
    pub just_saved: bool,
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
    /// The council's outcome (unit, award) while its decision is not yet issued.
    pub outcome: Vec<(String, String)>,
    pub deadline: Option<NaiveDate>,
    pub late: bool,
    pub fields: &'static [(&'static str, &'static str)],
    /// The council's decision form as typed.
    pub decide: (String, String, String),
    /// The nominees ticked for the award; None: all, as the form starts.
    pub chosen: Option<Vec<String>>,
    /// What the decision may award: the nominees and the Government flag the council chose
    /// for the unit leading this cluster.
    pub decide_choices: Vec<Nominee>,
    /// The council's Government-flag choice of the year, each unit with the cluster it leads;
    /// read only for the council's decision form.
    pub flag_chosen: Option<Vec<String>>,
    pub reason: String,
    /// Nominees the leader withdrew, with the reasons.
    pub withdrawn: Vec<store::Withdrawn>,
    /// The withdrawal form as typed: the nominee's key and the reason.
    pub withdraw: (String, String),
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
        e.to_state.label()
    }
    fn date(&self, d: &NaiveDate) -> String {
        d.format("%d/%m/%Y").to_string()
    }
    fn withdraw_picked(&self, n: &Nominee) -> bool {
        self.withdraw.0 == forms::nominee_key(n)
    }
    fn ticked(&self, n: &Nominee) -> bool {
        let key = forms::nominee_key(n);
        self.chosen.as_ref().is_none_or(|c| c.contains(&key))
    }
}

/// What the page shows in its forms: the saved values, or what the user just typed.
pub enum Shown {
    Saved,
    /// As stored, right after the letter and minutes fields were saved: the page says so.
    JustSaved,
    Typed(TextsForm),
    /// The decision form as typed, with the nominees ticked.
    Decide(DecisionForm),
    Reason(String),
    /// The withdrawal form as typed.
    Withdraw((String, String)),
}

impl Shown {
    /// The texts form, the decision form (when typed) and the return reason, as shown.
    fn forms(
        self,
        p: &Proposal,
        cover: &[Section],
        minutes: &[Section],
    ) -> (TextsForm, Option<DecisionForm>, String, (String, String)) {
        let saved = || TextsForm::saved(p, cover, minutes);
        let none = String::new;
        match self {
            Shown::Typed(f) => (f, None, none(), Default::default()),
            Shown::Decide(d) => (saved(), Some(d), none(), Default::default()),
            Shown::Reason(r) => (saved(), None, r, Default::default()),
            Shown::Withdraw(w) => (saved(), None, none(), w),
            Shown::Saved | Shown::JustSaved => (saved(), None, none(), Default::default()),
        }
    }
}

pub async fn render(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    errors: Errors,
    problems: Vec<String>,
    shown: Shown,
) -> AppResult<Response> {
    // Nothing below writes: the page reads without a transaction on a GET.
    let mut tx = u.read().await?;
    let (p, ctx) = load_proposal(&mut tx, u, id, false).await?;
    // The nominees, reports, steps, decision and outcome in one statement.
    let store::DossierView {
        nominees,
        withdrawn,
        reports,
        events,
        decision,
        outcomes,
    } = store::dossier_view(&mut tx, p.id).await?;
    // Template versions never change once written: their sections come from memory.
    let cover = crate::proposals::load::sections(&mut tx, p.cover_template_id).await?;
    let minutes = crate::proposals::load::sections(&mut tx, p.minutes_template_id).await?;
    let outcome = if decision.is_none() && state_of(&p).is_decided() {
        outcomes
    } else {
        Vec::new()
    };
    // Kept under the catalog version: no statement on a page that reads.
    let settings = crate::settings::store::kept(&mut tx).await?;
    let flags = if policy::may_review_proposals(u) && state_of(&p).is_received() {
        Some(crate::proposals::flag::of_year(&mut tx, ctx.y.year).await?)
    } else {
        None
    };
    tx.commit().await?;
    let decide_choices = match &flags {
        Some(f) => f.decision_choices(p.cluster_year_id, &nominees),
        None => nominees.clone(),
    };
    let flag_chosen = flags.as_ref().map(|f| f.chosen_lines());
    let deadline = settings.deadline(ctx.y.year);
    let sent_on = p
        .sent_at
        .map(|t| t.with_timezone(&crate::web::vn::vn_offset()).date_naive());
    let just_saved = matches!(shown, Shown::JustSaved);
    let (form, decide, reason, withdraw) = shown.forms(&p, &cover, &minutes);
    let chosen = decide.as_ref().map(|d| d.chosen.clone());
    let decide = decide.unwrap_or_default();
    let title = format!(
        "Hồ sơ đề nghị khen thưởng — {} năm {}",
        ctx.y.cluster_name, ctx.y.year
    );
    let page = DossierPage {
        l: Layout::for_user(u, &title, menu(u)),
        just_saved,
        state: state_of(&p),
        late: model::is_late(deadline, sent_on, today()),
        may_prepare: policy::may_prepare_proposal(u, ctx.role),
        may_send: policy::may_send_proposal(u, ctx.role),
        may_review: policy::may_review_proposals(u),
        y: ctx.y,
        p,
        reports: report_rows(&nominees, &reports),
        nominees,
        form,
        errors,
        problems,
        events,
        decision,
        outcome,
        deadline,
        fields: model::FIELDS,
        decide: (decide.number, decide.signed_on, decide.issuer),
        chosen,
        decide_choices,
        flag_chosen,
        reason,
        withdrawn,
        withdraw,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(serde::Deserialize)]
pub struct SavedQuery {
    pub saved: Option<String>,
}

pub async fn show(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> AppResult<Response> {
    let shown = if q.saved.is_some() {
        Shown::JustSaved
    } else {
        Shown::Saved
    };
    render(&u, id, StatusCode::OK, Errors::default(), Vec::new(), shown).await
}

pub async fn save(u: CurrentUser, Ids(id): Ids<i64>, Form(f): Form<Pairs>) -> AppResult<Response> {
    let actor = Actor::user(&u);
    let mut tx = u.db().await?;
    let (p, ctx) = load_proposal(&mut tx, &u, id, true).await?;
    if !policy::may_prepare_proposal(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let cover = crate::proposals::load::sections(&mut tx, p.cover_template_id).await?;
    let minutes = crate::proposals::load::sections(&mut tx, p.minutes_template_id).await?;
    let (form, texts, mut errors) = forms::read_texts(&f, &p, &cover, &minutes);
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
    Ok(Redirect::to(&format!("/proposals/{}?saved=1", p.id)).into_response())
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
        let done = reports.iter().any(|r| {
            r.unit_id == n.unit_id && r.award_type_id == n.award_type_id && r.submitted_at.is_some()
        });
        if !done {
            missing.push(format!("{} ({})", n.unit_name, n.award_name));
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
    // The tờ trình prints its signer's name: the leader unit's head, kept on the unit's page.
    let mut errors = Errors::default();
    let (_, _, signer, _) =
        crate::proposals::load::unit_head(&mut tx, ctx.y.leader_unit_id, "").await?;
    if signer.trim().is_empty() {
        errors.add("signer", "Chưa có họ tên người ký tờ trình (thủ trưởng đơn vị cụm trưởng): Hội đồng nhập ở trang của đơn vị, mục “Họ tên thủ trưởng”, rồi gửi lại.");
    }
    if !problems.is_empty() || !errors.is_empty() {
        tx.rollback().await?;
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render(&u, id, status, errors, problems, Shown::Saved).await;
    }
    let note = if p.state.is_returned() {
        "Gửi lại sau khi sửa theo ý kiến của Hội đồng"
    } else {
        ""
    };
    store::set_state(&mut tx, &actor, &p, ProposalState::Sent, note, None).await?;
    crate::notify::dossier_sent(&mut tx, &u, p.cluster_year_id, p.id).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/proposals/{}", p.id)).into_response())
}
