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
    /// The unit the council chose for the Government flag as leading this cluster, if any.
    pub flag: String,
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
    /// The units the council chose for the Government flag.
    government: usize,
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
    // The council's choice among the year's leading units, as its selection page counts it.
    let flags = crate::proposals::flag::of_year(&mut tx, year).await?;
    let settings = &flags.settings;
    let rows = store::inbox(&mut tx, year).await?;
    tx.commit().await?;
    let deadline = settings.deadline(year);
    let lines = rows
        .into_iter()
        .map(|r| {
            let sent_on = r
                .sent_at
                .map(|t| t.with_timezone(&crate::web::vn::vn_offset()).date_naive());
            let flag = flags
                .chosen()
                .filter(|l| l.cluster_year_id == r.year_id)
                .map(|l| l.unit_name.clone())
                .collect::<Vec<_>>()
                .join(", ");
            InboxLine {
                flag,
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
        government: flags.chosen().count(),
        limit: flags.limit(),
        leaders: flags.leaders.len(),
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
    // The year's choice is read under its lock, so that it stays as checked until the end.
    crate::proposals::flag::store::lock_year(&mut tx, ctx.y.year).await?;
    let flags = crate::proposals::flag::of_year(&mut tx, ctx.y.year).await?;
    let nominees = store::nominees(&mut tx, p.id).await?;
    let choices = flags.decision_choices(p.cluster_year_id, &nominees);
    let awarded = form.awarded(&choices);
    check_flags(
        &flags,
        (ctx.y.year, p.cluster_year_id),
        &form,
        &choices,
        &mut errors,
    );
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

/// Adds the error beside the awards when they give the Government flag to a unit the council
/// did not choose as leading this cluster (ticked, or forged into the form), or when its choice
/// is over the year's share.
fn check_flags(
    flags: &crate::proposals::flag::FlagYear,
    (year, cluster_year_id): (i32, i64),
    form: &DecisionForm,
    choices: &[store::Nominee],
    errors: &mut Errors,
) {
    let Some(gid) = flags.settings.government_flag_id else {
        return;
    };
    let name = |u: i64| {
        choices
            .iter()
            .map(|n| (n.unit_id, &n.unit_name))
            .chain(flags.leaders.iter().map(|l| (l.unit_id, &l.unit_name)))
            .find(|(id, _)| *id == u)
            .map(|(_, n)| n.as_str())
            .unwrap_or("Đơn vị được đánh dấu")
    };
    let awarding: Vec<(i64, &str)> = form
        .chosen
        .iter()
        .filter_map(|k| k.split_once('-'))
        .filter_map(|(a, u)| Some((a.parse::<i64>().ok()?, u.parse::<i64>().ok()?)))
        .filter(|(a, _)| *a == gid)
        .map(|(_, u)| (u, name(u)))
        .collect();
    let share = flags.settings.government_flag_share;
    let chosen = flags.chosen_pairs();
    let leading = flags.leaders.len();
    if let Err(e) =
        model::check_government_flags(share, leading, &chosen, cluster_year_id, &awarding)
    {
        errors.add("awards", e.message(year, share));
    }
}
