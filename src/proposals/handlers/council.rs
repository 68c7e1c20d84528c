//! The council's side: the inbox of every cluster's dossier with deadlines and the
//! Government-flag share, receiving, returning with reasons, recording the decision (which
//! enters each unit's history), and the settings those rules read.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::dossier::{Shown, render};
use super::{load_proposal, state_of};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::proposals::forms::{self, DecisionForm};
use crate::proposals::model::{self, ProposalState, Step};
use crate::proposals::store::{self, InboxRow};
use crate::web::forms::{Errors, Pairs, first};
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn::today;

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

pub struct InboxLine {
    pub r: InboxRow,
    pub state: &'static str,
    pub sent: String,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "proposals/inbox.html")]
struct InboxPage {
    l: Layout,
    year: i32,
    years: Vec<i32>,
    lines: Vec<InboxLine>,
    deadline: Option<NaiveDate>,
    government: i64,
    limit: u32,
    leaders: usize,
    share: String,
}

impl InboxPage {
    fn deadline_text(&self) -> String {
        self.deadline
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default()
    }
}

pub async fn inbox(u: CurrentUser, Query(q): Query<YearQuery>) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let council_years = store::council_years(&mut tx).await?;
    let years: Vec<i32> = council_years.iter().map(|y| y.year).collect();
    let asked = q
        .year
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| years.contains(y));
    let year = match asked {
        Some(y) => Some(y),
        None => crate::proposals::model::year_with_work(&council_years),
    }
    .unwrap_or_else(|| chrono::Datelike::year(&today()));
    let settings = crate::settings::store::load(&mut tx).await?;
    let rows = store::inbox(&mut tx, year, settings.government_flag_id).await?;
    tx.commit().await?;
    let deadline = settings.deadline(year);
    let leaders = rows.iter().filter(|r| r.leader_name.is_some()).count();
    // Nominees count once their dossier has reached the council.
    let government = rows
        .iter()
        .filter(|r| r.state.is_some_and(ProposalState::reached_council))
        .map(|r| r.government_nominees)
        .sum();
    let lines = rows
        .into_iter()
        .map(|r| {
            let sent_on = r
                .sent_at
                .map(|t| t.with_timezone(&crate::web::vn::vn_offset()).date_naive());
            InboxLine {
                state: r.state.map(ProposalState::label).unwrap_or("Chưa lập"),
                sent: r.sent_at.map(crate::web::vn::datetime).unwrap_or_default(),
                late: model::is_late(deadline, sent_on, today()),
                r,
            }
        })
        .collect();
    let page = InboxPage {
        l: Layout::for_user(
            &u,
            &format!("Hồ sơ đề nghị khen thưởng năm {year}"),
            "proposals",
        ),
        year,
        years,
        lines,
        deadline,
        government,
        limit: model::government_flag_limit(settings.government_flag_share, leaders as u32),
        leaders,
        share: crate::web::forms::decimal_vn(settings.government_flag_share),
    };
    Ok(Html(page.render()?).into_response())
}

/// Takes a council step on a dossier, if it is possible now: back to the dossier, or the
/// dossier with the reason it is not.
async fn step(u: &CurrentUser, id: i64, s: Step, note: &str) -> AppResult<Response> {
    if !policy::may_review_proposals(u) {
        return Err(AppError::Forbidden);
    }
    let actor = Actor::user(u);
    let mut tx = u.db().await?;
    let (p, _) = load_proposal(&mut tx, u, id, true).await?;
    match model::transition(state_of(&p), s) {
        Ok(to) => {
            store::set_state(&mut tx, &actor, &p, to, note, None).await?;
            let returned = (s == Step::Return).then_some(note);
            crate::notify::dossier_reviewed(&mut tx, u, p.cluster_year_id, p.id, returned).await?;
            tx.commit().await?;
            Ok(Redirect::to(&format!("/proposals/{}", p.id)).into_response())
        }
        Err(e) => {
            drop(tx);
            let problems = vec![e.to_string()];
            render(
                u,
                id,
                StatusCode::CONFLICT,
                Errors::default(),
                problems,
                Shown::Saved,
            )
            .await
        }
    }
}

pub async fn receive(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    step(&u, id, Step::Receive, "").await
}

pub async fn return_(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    match forms::read_reason(&f) {
        Ok(reason) => step(&u, id, Step::Return, &reason).await,
        Err(errors) => {
            if !policy::may_review_proposals(&u) {
                return Err(AppError::Forbidden);
            }
            let shown = Shown::Reason(first(&f, "reason").to_string());
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&u, id, status, errors, Vec::new(), shown).await
        }
    }
}

/// Records the decision and enters each awarded nominee into its unit's history. The council
/// may award fewer than proposed; the Government flags of the year stay within the share.
pub async fn decide(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let (p, ctx) = load_proposal(&mut tx, &u, id, true).await?;
    let form = DecisionForm::read(&f);
    let mut errors = Errors::default();
    let problems: Vec<String> = model::transition(state_of(&p), Step::Decide)
        .err()
        .map(|e| e.to_string())
        .into_iter()
        .collect();
    let decision = form.validate(&mut errors);
    let awarded = form.awarded(&store::nominees(&mut tx, p.id).await?);
    check_flags(&mut tx, ctx.y.year, &awarded, &mut errors).await?;
    let Some(d) = decision.filter(|_| errors.is_empty() && problems.is_empty()) else {
        tx.rollback().await?;
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render(&u, id, status, errors, problems, Shown::Decide(form)).await;
    };
    let what = (d.number.as_str(), d.signed_on, d.issuer.as_str());
    let actor = Actor::user(&u);
    store::record_decision(&mut tx, &actor, &p, ctx.y.year, what, &awarded, None).await?;
    crate::notify::dossier_decided(&mut tx, &u, p.cluster_year_id, p.id).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/proposals/{}", p.id)).into_response())
}

/// Adds the error beside the awards when they would take the year's Government flags past
/// the share; the count is locked until the transaction ends.
async fn check_flags(
    tx: &mut TenantTx,
    year: i32,
    awarded: &[store::Nominee],
    errors: &mut Errors,
) -> AppResult<()> {
    let settings = crate::settings::store::load(tx).await?;
    let (Some(gid), share) = (settings.government_flag_id, settings.government_flag_share) else {
        return Ok(());
    };
    let adding = model::government_flags_among(awarded.iter().map(|n| n.award_type_id), Some(gid));
    if adding == 0 {
        return Ok(());
    }
    let (leaders, already) = store::government_flags_of_year(tx, year, gid).await?;
    if let Err(e) = model::check_government_flags(share, leaders, already, adding) {
        errors.add("awards", e.message(year, share, leaders));
    }
    Ok(())
}
