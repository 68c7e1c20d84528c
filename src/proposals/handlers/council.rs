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
    /// Part of a cluster's name, and the page of the list (the inbox).
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: String,
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
    q: String,
    page: i64,
    last_page: i64,
    /// Clusters matching the search, and the position of the first one shown.
    matched: usize,
    first: usize,
}

impl InboxPage {
    fn list_path(&self) -> &'static str {
        "/council/proposals"
    }

    fn list_year(&self) -> i32 {
        self.year
    }

    /// The position of the last cluster shown.
    fn last(&self) -> usize {
        (self.first + self.lines.len()).saturating_sub(1)
    }

    fn page_link(&self, page: i64) -> String {
        format!(
            "/council/proposals?year={}&q={}&page={page}",
            self.year,
            crate::web::url_encode(&self.q)
        )
    }

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
    let mut tx = u.read().await?;
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
    let kept = kept_inbox(&mut tx, year).await?;
    tx.commit().await?;
    let search: String = q.q.trim().chars().take(100).collect();
    let (shown, pages) = crate::web::paging::page_by_name(
        &kept.rows,
        |r| &r.cluster_name,
        &search,
        q.page.trim().parse().unwrap_or(1),
        INBOX_PAGE,
    );
    let lines = shown
        .into_iter()
        .map(|r| {
            let sent_on = r
                .sent_at
                .map(|t| t.with_timezone(&crate::web::vn::vn_offset()).date_naive());
            InboxLine {
                flag: kept.chosen.get(&r.year_id).cloned().unwrap_or_default(),
                state: r.state.map(ProposalState::label).unwrap_or("Chưa lập"),
                sent: r.sent_at.map(crate::web::vn::datetime).unwrap_or_default(),
                late: model::is_late(kept.deadline, sent_on, today()),
                r: r.clone(),
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
        deadline: kept.deadline,
        government: kept.government,
        limit: kept.limit,
        leaders: kept.leaders,
        share: kept.share.clone(),
        q: search,
        page: pages.page,
        last_page: pages.last_page,
        matched: pages.matched,
        first: pages.first,
    };
    Ok(Html(page.render()?).into_response())
}

/// Clusters on one page of the inbox: at national scale a year has a thousand.
const INBOX_PAGE: i64 = 50;

/// A year's inbox as kept in memory under the version the database gives the year's cluster
/// years and the tenant's names (migration 0038), so a step taken through any app instance
/// shows on the next view.
struct KeptInbox {
    rows: Vec<InboxRow>,
    /// The unit the council chose for the Government flag, by the cluster year it leads.
    chosen: std::collections::HashMap<i64, String>,
    deadline: Option<NaiveDate>,
    government: usize,
    limit: u32,
    leaders: usize,
    share: String,
}

async fn kept_inbox(
    tx: &mut crate::db::TenantTx,
    year: i32,
) -> AppResult<std::sync::Arc<KeptInbox>> {
    let key = store::council_version(tx, year).await?.key(());
    let tenant_id = tx.tenant_id();
    if let Some(kept) = tx.cache().get_at::<KeptInbox>(tenant_id, year.into(), key) {
        return Ok(kept);
    }
    // The council's choice among the year's leading units, as its selection page counts it.
    let flags = crate::proposals::flag::of_year(tx, year).await?;
    let rows = store::inbox(tx, year).await?;
    let mut chosen: std::collections::HashMap<i64, String> = Default::default();
    for l in flags.chosen() {
        let names = chosen.entry(l.cluster_year_id).or_default();
        if !names.is_empty() {
            names.push_str(", ");
        }
        names.push_str(&l.unit_name);
    }
    let kept = std::sync::Arc::new(KeptInbox {
        rows,
        chosen,
        deadline: flags.settings.deadline(year),
        government: flags.chosen().count(),
        limit: flags.limit(),
        leaders: flags.leaders.len(),
        share: crate::web::forms::decimal_vn(flags.settings.government_flag_share),
    });
    tx.cache().put_at(tenant_id, year.into(), key, kept.clone());
    Ok(kept)
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
    let outcome_only = form.is_outcome_only();
    let decision = if outcome_only {
        None
    } else {
        form.validate(&mut errors)
    };
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
    if outcome_only && awarded.is_empty() {
        errors.add(
            "awards",
            "Hãy chọn tập thể được khen thưởng (quyết định sẽ được dự thảo từ đó), hoặc nhập số, \
             ngày ký và cơ quan ban hành của quyết định đã ký.",
        );
    }
    let actor = Actor::user(&u);
    if outcome_only && errors.is_empty() && problems.is_empty() {
        store::record_outcome(&mut tx, &actor, &p, &awarded, None).await?;
        crate::notify::dossier_decided(&mut tx, &u, p.cluster_year_id, p.id).await?;
        tx.commit().await?;
        return Ok(Redirect::to(&format!("/proposals/{}", p.id)).into_response());
    }
    let Some(d) = decision.filter(|_| errors.is_empty() && problems.is_empty()) else {
        tx.rollback().await?;
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return render(&u, id, status, errors, problems, Shown::Decide(form)).await;
    };
    let what = (d.number.as_str(), d.signed_on, d.issuer.as_str());
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
