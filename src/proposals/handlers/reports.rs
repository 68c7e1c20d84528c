//! A nominee's achievement report (báo cáo thành tích): its staff write the template's sections,
//! its head submits; the scores and the table of past awards are filled by the system.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::{Map, Value};

use super::dossier::menu;
use super::{load_proposal, state_of};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::org::store::ClusterYear;
use crate::proposals::documents::text_of;
use crate::proposals::load::report_data;
use crate::proposals::model::{self, fill};
use crate::proposals::templates::Section;
use crate::proposals::{forms, store};
use crate::web::forms::Errors;
use crate::web::forms::Pairs;
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn::today;

#[derive(Template)]
#[template(path = "proposals/report.html")]
struct ReportPage {
    l: Layout,
    just_saved: bool,
    y: ClusterYear,
    proposal_id: i64,
    unit_id: i64,
    unit_name: String,
    award: String,
    /// "?award=…": this report's award, on its links and forms.
    at: String,
    /// The unit's other awards in the dossier, each with its own report.
    others: Vec<(i64, String)>,
    sections: Vec<(Section, String)>,
    /// The sections as they read, fields filled in, for those who may not edit.
    shown: Vec<(String, String)>,
    submitted: Option<String>,
    may_write: bool,
    may_submit: bool,
    errors: Errors,
    fields: &'static [(&'static str, &'static str)],
}

/// The report's sections the unit writes, as saved (for the editors) and filled in (as the
/// report will read).
type Sections = (Vec<(Section, String)>, Vec<(String, String)>);

fn user_sections(data: &crate::proposals::documents::ReportData) -> Sections {
    let values = data.values();
    let user = || data.sections.iter().filter(|s| s.is_user());
    let saved = user()
        .map(|s| (s.clone(), text_of(&data.saved, s)))
        .collect();
    let shown = user()
        .map(|s| {
            let text = text_of(&data.saved, s);
            (fill(&s.heading, &values), fill(&text, &values))
        })
        .collect();
    (saved, shown)
}

/// Which award's report: absent, the unit's first in the dossier.
#[derive(serde::Deserialize, Default)]
pub struct AwardQuery {
    pub award: Option<i64>,
    pub saved: Option<String>,
}

/// `just_saved`: the page says the report was saved.
async fn page(
    u: &CurrentUser,
    (id, unit, award): (i64, i64, Option<i64>),
    status: StatusCode,
    errors: Errors,
    typed: Option<Map<String, Value>>,
    just_saved: bool,
) -> AppResult<Response> {
    let unit_id = unit;
    let mut tx = u.db().await?;
    let (p, ctx) = load_proposal(&mut tx, u, id, false).await?;
    let mut data = report_data(&mut tx, &p, &ctx, (unit_id, award), today()).await?;
    let submitted = store::reports(&mut tx, p.id)
        .await?
        .into_iter()
        .find(|r| r.unit_id == unit_id && r.award_type_id == data.award_type_id)
        .and_then(|r| r.submitted_at)
        .map(crate::web::vn::datetime);
    tx.commit().await?;
    if let Some(t) = typed {
        data.saved = t;
    }
    let editable = state_of(&p).editable();
    let (sections, shown) = user_sections(&data);
    let page = ReportPage {
        l: Layout::for_user(
            u,
            &format!("Báo cáo thành tích — {}", data.unit_name),
            menu(u),
        ),
        y: ctx.y,
        proposal_id: p.id,
        unit_id,
        sections,
        shown,
        unit_name: data.unit_name.clone(),
        award: data.award.clone(),
        at: format!("?award={}", data.award_type_id),
        others: data
            .awards
            .iter()
            .filter(|(a, _)| *a != data.award_type_id)
            .cloned()
            .collect(),
        submitted,
        may_write: editable && policy::may_write_report(u, unit_id),
        may_submit: editable && policy::may_submit_report(u, unit_id),
        errors,
        fields: model::FIELDS,
        just_saved,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    u: CurrentUser,
    Ids((id, unit)): Ids<(i64, i64)>,
    Query(q): Query<AwardQuery>,
) -> AppResult<Response> {
    let (ok, none) = (StatusCode::OK, Errors::default());
    page(&u, (id, unit, q.award), ok, none, None, q.saved.is_some()).await
}

pub async fn save(
    u: CurrentUser,
    Ids((id, unit)): Ids<(i64, i64)>,
    Query(q): Query<AwardQuery>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let unit_id = unit;
    let actor = Actor::user(&u);
    let mut tx = u.db().await?;
    let (p, ctx) = load_proposal(&mut tx, &u, id, true).await?;
    // Only a nominee has a report for its award; anything else answers "not found".
    let data = report_data(&mut tx, &p, &ctx, (unit_id, q.award), today()).await?;
    let award = data.award_type_id;
    if !policy::may_write_report(&u, unit_id) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Errors::default();
    if !state_of(&p).editable() {
        errors.add(
            "report",
            "Hồ sơ đã gửi Hội đồng nên báo cáo không sửa được; chỉ sửa khi hồ sơ bị trả lại.",
        );
    }
    let typed = forms::read_report(&f, &data.sections, &mut errors);
    if !errors.is_empty() {
        tx.rollback().await?;
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        let at = (id, unit, Some(award));
        return page(&u, at, status, errors, Some(typed), false).await;
    }
    let before = store::reports(&mut tx, p.id)
        .await?
        .into_iter()
        .find(|r| r.unit_id == unit_id && r.award_type_id == award);
    let key = (unit_id, award);
    store::save_report(&mut tx, &actor, p.id, key, before.as_ref(), &typed).await?;
    tx.commit().await?;
    let to = format!(
        "/proposals/{}/reports/{unit_id}?award={award}&saved=1",
        p.id
    );
    Ok(Redirect::to(&to).into_response())
}

pub async fn submit(
    u: CurrentUser,
    Ids((id, unit)): Ids<(i64, i64)>,
    Query(q): Query<AwardQuery>,
) -> AppResult<Response> {
    let unit_id = unit;
    let actor = Actor::user(&u);
    let mut tx = u.db().await?;
    let (p, ctx) = load_proposal(&mut tx, &u, id, true).await?;
    let award = report_data(&mut tx, &p, &ctx, (unit_id, q.award), today())
        .await?
        .award_type_id;
    if !policy::may_submit_report(&u, unit_id) {
        return Err(AppError::Forbidden);
    }
    if !state_of(&p).editable() {
        tx.rollback().await?;
        let mut errors = Errors::default();
        errors.add(
            "report",
            "Hồ sơ đã gửi Hội đồng nên báo cáo không trình lại được.",
        );
        let at = (id, unit, Some(award));
        return page(&u, at, StatusCode::CONFLICT, errors, None, false).await;
    }
    store::submit_report(&mut tx, &actor, p.id, (unit_id, award), None).await?;
    let (cy, at) = (p.cluster_year_id, (unit_id, award));
    crate::notify::report_submitted(&mut tx, &u, cy, p.id, at).await?;
    tx.commit().await?;
    let to = format!("/proposals/{}/reports/{unit_id}?award={award}", p.id);
    Ok(Redirect::to(&to).into_response())
}
