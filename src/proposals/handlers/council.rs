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
use crate::proposals::model::{self, Step};
use crate::proposals::store::{self, InboxRow};
use crate::web::forms::{self, Errors};
use crate::web::forms::{Pairs, all, first};
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
    let years = store::years(&mut tx).await?;
    let year = q
        .year
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| years.contains(y))
        .or(years.first().copied())
        .unwrap_or_else(|| chrono::Datelike::year(&today()));
    let settings = crate::settings::store::load(&mut tx).await?;
    let rows = store::inbox(&mut tx, year, settings.government_flag_id).await?;
    tx.commit().await?;
    let deadline = settings.deadline(year);
    let leaders = rows.iter().filter(|r| r.leader_name.is_some()).count();
    // Nominees count once their dossier has reached the council.
    let government = rows
        .iter()
        .filter(|r| matches!(r.state.as_deref(), Some("sent" | "received" | "decided")))
        .map(|r| r.government_nominees)
        .sum();
    let lines = rows
        .into_iter()
        .map(|r| {
            let sent_on = r
                .sent_at
                .map(|t| t.with_timezone(&crate::web::vn::vn_offset()).date_naive());
            InboxLine {
                state: r
                    .state
                    .as_deref()
                    .map(model::state_label)
                    .unwrap_or("Chưa lập"),
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
            store::set_state(&mut tx, &actor, &p, to.as_str(), note, None).await?;
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
    let mut errors = Errors::default();
    let reason = forms::text(
        &mut errors,
        "reason",
        first(&f, "reason"),
        "lý do trả lại",
        5,
        2000,
    );
    if !errors.is_empty() {
        if !policy::may_review_proposals(&u) {
            return Err(AppError::Forbidden);
        }
        return render(
            &u,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            Vec::new(),
            Shown::Reason(first(&f, "reason").to_string()),
        )
        .await;
    }
    step(&u, id, Step::Return, &reason).await
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
    let actor = Actor::user(&u);
    let mut tx = u.db().await?;
    let (p, ctx) = load_proposal(&mut tx, &u, id, true).await?;
    let mut errors = Errors::default();
    let mut problems = Vec::new();
    if let Err(e) = model::transition(state_of(&p), Step::Decide) {
        problems.push(e.to_string());
    }
    let typed = (
        first(&f, "number").to_string(),
        first(&f, "signed_on").to_string(),
        first(&f, "issuer").to_string(),
    );
    let number = forms::text(&mut errors, "number", &typed.0, "số quyết định", 1, 50);
    let signed_on = forms::optional_date(&mut errors, "signed_on", &typed.1);
    if signed_on.is_none() && !errors.has("signed_on") {
        errors.add("signed_on", "Hãy nhập ngày ký quyết định.");
    }
    let issuer = forms::text(&mut errors, "issuer", &typed.2, "cơ quan ban hành", 2, 300);
    let chosen = all(&f, "award");
    let nominees = store::nominees(&mut tx, p.id).await?;
    let awarded: Vec<_> = nominees
        .iter()
        .filter(|n| chosen.contains(&format!("{}-{}", n.award_type_id, n.unit_id).as_str()))
        .collect();
    let settings = crate::settings::store::load(&mut tx).await?;
    let government_now = awarded
        .iter()
        .filter(|n| Some(n.award_type_id) == settings.government_flag_id)
        .count() as i64;
    if let (true, Some(gid)) = (government_now > 0, settings.government_flag_id) {
        store::lock_year_decisions(&mut tx, ctx.y.year).await?;
        let leaders = store::leaders_of_year(&mut tx, ctx.y.year).await? as u32;
        let limit = model::government_flag_limit(settings.government_flag_share, leaders) as i64;
        let already = store::government_flags_decided(&mut tx, ctx.y.year, gid).await?;
        if already + government_now > limit {
            errors.add(
                "awards",
                format!(
                    "Cờ thi đua của Chính phủ năm {} không được quá {}% số cụm trưởng ({} cụm): \
                     tối đa {limit}, đã quyết định {already}, quyết định này thêm {government_now}.",
                    ctx.y.year,
                    crate::web::forms::decimal_vn(settings.government_flag_share),
                    leaders
                ),
            );
        }
    }
    if !errors.is_empty() || !problems.is_empty() {
        tx.rollback().await?;
        return render(
            &u,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            problems,
            Shown::Decide(
                typed.0,
                typed.1,
                typed.2,
                chosen.iter().map(|c| c.to_string()).collect(),
            ),
        )
        .await;
    }
    let signed_on = signed_on.unwrap_or_else(today);
    let awarded: Vec<store::Nominee> = awarded.into_iter().cloned().collect();
    record_decision(
        &mut tx,
        &actor,
        &p,
        ctx.y.year,
        (&number, signed_on, &issuer),
        &awarded,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/proposals/{}", p.id)).into_response())
}

/// Writes the decision, enters each awarded nominee into its unit's history, and closes the
/// dossier; `at` dates the step when it is not now (the demo's past years).
pub async fn record_decision(
    conn: &mut sqlx::PgConnection,
    actor: &Actor,
    p: &store::Proposal,
    year: i32,
    (number, signed_on, issuer): (&str, NaiveDate, &str),
    awarded: &[store::Nominee],
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> sqlx::Result<()> {
    let id = store::insert_decision(conn, actor, p.id, number, signed_on, issuer).await?;
    let d = store::Decision {
        id,
        number: number.to_string(),
        signed_on,
        issuer: issuer.to_string(),
    };
    let mut names = Vec::new();
    for n in awarded {
        store::insert_decided_award(conn, actor, &d, year, n).await?;
        names.push(format!("{}: {}", n.unit_name, n.award_name));
    }
    let note = if names.is_empty() {
        format!("Quyết định số {number}: không khen thưởng tập thể nào trong hồ sơ")
    } else {
        format!("Quyết định số {number}: {}", names.join("; "))
    };
    store::set_state(conn, actor, p, "decided", &note, at).await
}
