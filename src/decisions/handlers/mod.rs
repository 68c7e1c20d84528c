//! The council's decisions (`/council/decisions`): the year's decisions and the decided
//! dossiers waiting for one, drafting, and the draft's page. Council staff only.

pub mod print;
pub mod settings;
pub mod steps;

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::forms::{self, IssueForm, LineInput};
use super::model::{self, State};
use super::store::{self, Decision, Line, Pending, Texts};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::web::forms::{Errors, Pairs, first};
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn::today;

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
    saved: Option<String>,
}

#[derive(Template)]
#[template(path = "decisions/list.html")]
struct ListPage {
    l: Layout,
    year: i32,
    years: Vec<i32>,
    pending: Vec<Pending>,
    decisions: Vec<Decision>,
    ticked: Vec<i64>,
    errors: Errors,
}

impl ListPage {
    fn state(&self, d: &Decision) -> &'static str {
        State::parse(&d.state).label()
    }

    fn is_ticked(&self, id: &i64) -> bool {
        self.ticked.contains(id)
    }

    fn drafted(&self, d: &Decision) -> String {
        crate::web::vn::datetime(d.drafted_at)
    }

    fn date(&self, d: &Option<chrono::NaiveDate>) -> String {
        d.map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default()
    }
}

pub(crate) fn deny(u: &CurrentUser) -> AppResult<()> {
    if policy::may_review_proposals(u) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn years_and_year(tx: &mut TenantTx, asked: Option<&str>) -> AppResult<(Vec<i32>, i32)> {
    Ok(crate::proposals::store::years_and_year(tx, asked, today()).await?)
}

async fn list_page(
    u: &CurrentUser,
    asked: Option<&str>,
    ticked: Vec<i64>,
    errors: Errors,
) -> AppResult<ListPage> {
    let mut tx = u.read().await?;
    let (years, year) = years_and_year(&mut tx, asked).await?;
    let pending = store::pending(&mut tx, year).await?;
    let decisions = store::of_year(&mut tx, year).await?;
    tx.commit().await?;
    Ok(ListPage {
        l: Layout::for_user(
            u,
            &format!("Quyết định khen thưởng năm {year}"),
            "proposals",
        ),
        year,
        years,
        pending,
        decisions,
        ticked,
        errors,
    })
}

pub async fn list(u: CurrentUser, Query(q): Query<YearQuery>) -> AppResult<Response> {
    deny(&u)?;
    let page = list_page(&u, q.year.as_deref(), Vec::new(), Errors::default()).await?;
    Ok(Html(page.render()?).into_response())
}

/// Drafts a decision from the dossiers ticked, or the list again with the reason and the ticks.
pub async fn create(u: CurrentUser, Form(f): Form<Pairs>) -> AppResult<Response> {
    deny(&u)?;
    let ticked = forms::read_dossiers(&f);
    let mut tx = u.db().await?;
    let (_, year) = years_and_year(&mut tx, Some(first(&f, "year"))).await?;
    if first(&f, "year").trim() != year.to_string() {
        return Err(AppError::NotFound);
    }
    let actor = Actor::user(&u);
    match super::draft::draft(&mut tx, &actor, year, &ticked, today()).await? {
        Ok(id) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/council/decisions/{id}")).into_response())
        }
        Err(message) => {
            tx.rollback().await?;
            let mut errors = Errors::default();
            errors.add("dossier", message);
            let page = list_page(&u, Some(&year.to_string()), ticked, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "decisions/show.html")]
pub(crate) struct ShowPage {
    l: Layout,
    d: Decision,
    state: State,
    lines: Vec<Line>,
    /// The texts and lines as typed (or saved).
    t: Texts,
    inputs: Vec<LineInput>,
    issue: IssueForm,
    revoke_reason: String,
    errors: Errors,
    problem: String,
    saved: bool,
    total: Option<i64>,
}

impl ShowPage {
    fn input(&self, l: &Line) -> LineInput {
        self.inputs
            .iter()
            .find(|i| i.id == l.id)
            .cloned()
            .unwrap_or_default()
    }

    fn line_error(&self, field: &str, l: &Line) -> Option<String> {
        self.errors.get(&format!("{field}-{}", l.id)).cloned()
    }

    /// The free-text areas: (name, label, value).
    fn areas(&self) -> Vec<(&'static str, &'static str, String)> {
        vec![
            (
                "legal_bases",
                "Căn cứ pháp lý (mỗi dòng một căn cứ)",
                self.t.legal_bases.clone(),
            ),
            ("considering", "Xét đề nghị", self.t.considering.clone()),
            (
                "closing_articles",
                "Các điều thi hành (mỗi dòng một điều, đánh số tiếp sau các điều khen thưởng)",
                self.t.closing_articles.clone(),
            ),
            (
                "recipients",
                "Nơi nhận (mỗi dòng một nơi)",
                self.t.recipients.clone(),
            ),
        ]
    }

    fn money(&self, n: &Option<i64>) -> String {
        n.map(crate::web::vn::integer).unwrap_or_default()
    }

    fn reference(&self) -> String {
        super::document::Printed {
            d: &self.d,
            lines: &self.lines,
        }
        .reference()
    }

    fn when(&self, t: &Option<chrono::DateTime<chrono::Utc>>) -> String {
        t.map(crate::web::vn::datetime).unwrap_or_default()
    }
}

/// What the page shows beside the saved decision, when something was typed or refused.
#[derive(Default)]
pub(crate) struct Shown {
    pub texts: Option<(Texts, Vec<LineInput>)>,
    pub issue: IssueForm,
    pub revoke_reason: String,
    pub errors: Errors,
    pub problem: String,
    pub saved: bool,
}

pub(crate) async fn render(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    shown: Shown,
) -> AppResult<Response> {
    let mut tx = u.read().await?;
    let d = store::decision(&mut tx, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let lines = store::lines(&mut tx, id).await?;
    tx.commit().await?;
    let (t, inputs) = shown
        .texts
        .unwrap_or_else(|| (Texts::of(&d), forms::lines_as_saved(&lines)));
    let title = match &d.number {
        Some(n) => format!("Quyết định số {n}"),
        None => format!("Dự thảo quyết định khen thưởng năm {}", d.year),
    };
    // The saved amounts, not what was typed: the total is what would print.
    let total = model::sum(lines.iter().map(|l| l.amount));
    let page = ShowPage {
        l: Layout::for_user(u, &title, "proposals"),
        state: State::parse(&d.state),
        d,
        lines,
        t,
        inputs,
        issue: shown.issue,
        revoke_reason: shown.revoke_reason,
        errors: shown.errors,
        problem: shown.problem,
        saved: shown.saved,
        total,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    deny(&u)?;
    let shown = Shown {
        saved: q.saved.is_some(),
        ..Shown::default()
    };
    render(&u, id, StatusCode::OK, shown).await
}

/// Saves a draft's free text and its lines' reasons and amounts.
pub async fn save(u: CurrentUser, Ids(id): Ids<i64>, Form(f): Form<Pairs>) -> AppResult<Response> {
    deny(&u)?;
    let mut tx = u.db().await?;
    let d = store::decision(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let lines = store::lines(&mut tx, id).await?;
    let texts = forms::read_texts(&f);
    let inputs = forms::read_lines(&f, &lines);
    let mut errors = Errors::default();
    forms::check_texts(&texts, &mut errors);
    let checked = forms::check_lines(&inputs, &mut errors);
    let problem = model::check_step(State::parse(&d.state), model::Step::Edit).err();
    if !errors.is_empty() || problem.is_some() {
        tx.rollback().await?;
        let status = if problem.is_some() {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let shown = Shown {
            texts: Some((texts, inputs)),
            issue: forms::IssueForm::read(&f),
            errors,
            problem: problem.unwrap_or_default().into(),
            ..Shown::default()
        };
        return render(&u, id, status, shown).await;
    }
    store::update_draft(&mut tx, &Actor::user(&u), &d, &texts, &checked).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/council/decisions/{id}?saved=1")).into_response())
}
