//! The council's Government-flag page (`/council/government-flag`): the leading units of every
//! cluster of a year, the share, and the council's choice among them; its printed list.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::document::Selection;
use super::{model, store};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::web::document::render_html;
use crate::web::docx;
use crate::web::forms::{Errors, Pairs, all, first};
use crate::web::layout::Layout;
use crate::web::vn::today;

#[derive(Deserialize)]
pub struct FlagQuery {
    year: Option<String>,
    saved: Option<String>,
}

#[derive(Template)]
#[template(path = "proposals/government_flag.html")]
struct FlagPage {
    l: Layout,
    years: Vec<i32>,
    s: Selection,
    /// The award whose vote makes a cluster's leading unit, if the settings name one.
    top_award: Option<String>,
    /// What is ticked: as saved, or as sent back with an error.
    ticked: Vec<String>,
    errors: Errors,
    saved: bool,
}

impl FlagPage {
    fn is_ticked(&self, l: &store::LeadRow) -> bool {
        self.ticked
            .contains(&format!("{}-{}", l.cluster_year_id, l.unit_id))
    }
}

/// The year's leading units and the council's choice, as the page and the documents show them.
async fn selection(tx: &mut TenantTx, year: i32) -> AppResult<(Selection, Option<String>)> {
    let y = super::of_year(tx, year).await?;
    let (council, place, _) = crate::proposals::store::tenant_names(tx).await?;
    let limit = y.limit();
    let s = Selection {
        council,
        place,
        year,
        share: y.settings.government_flag_share,
        limit,
        date: y
            .leaders
            .iter()
            .filter_map(|l| l.selected_at)
            .max()
            .map(|t| t.with_timezone(&crate::web::vn::vn_offset()).date_naive())
            .unwrap_or_else(today),
        leaders: y.leaders,
        tied: y.tied,
    };
    Ok((s, y.top_award))
}

async fn years_and_year(tx: &mut TenantTx, asked: Option<&str>) -> AppResult<(Vec<i32>, i32)> {
    Ok(crate::proposals::store::years_and_year(tx, asked, today()).await?)
}

fn page(status: StatusCode, p: FlagPage) -> AppResult<Response> {
    Ok((status, Html(p.render()?)).into_response())
}

pub async fn show(u: CurrentUser, Query(q): Query<FlagQuery>) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.read().await?;
    let (years, year) = years_and_year(&mut tx, q.year.as_deref()).await?;
    let (s, top_award) = selection(&mut tx, year).await?;
    tx.commit().await?;
    let ticked = s
        .chosen()
        .map(|l| format!("{}-{}", l.cluster_year_id, l.unit_id))
        .collect();
    let l = Layout::for_user(
        &u,
        &format!("Đề nghị Cờ thi đua của Chính phủ năm {year}"),
        "proposals",
    );
    let p = FlagPage {
        l,
        years,
        s,
        top_award,
        ticked,
        errors: Errors::default(),
        saved: q.saved.is_some(),
    };
    page(StatusCode::OK, p)
}

/// Saves the council's choice for the year in one transaction, or shows the page again with
/// the reason beside the choice and the ticks as they were.
pub async fn save(u: CurrentUser, Form(f): Form<Pairs>) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let (years, year) = years_and_year(&mut tx, Some(first(&f, "year"))).await?;
    if first(&f, "year").trim() != year.to_string() {
        return Err(AppError::NotFound);
    }
    store::lock_year(&mut tx, year).await?;
    let (s, top_award) = selection(&mut tx, year).await?;
    let ticked: Vec<&str> = all(&f, "lead");
    let leaders: Vec<model::Passed> = s.leaders.iter().map(|l| l.passed()).collect();
    let checked = model::parse_choices(&ticked)
        .and_then(|c| model::check_selection(&leaders, &c, s.limit, s.share, year).map(|_| c));
    match checked {
        Ok(chosen) => {
            let before: Vec<(i64, i64)> =
                s.chosen().map(|l| (l.cluster_year_id, l.unit_id)).collect();
            store::replace(&mut tx, &Actor::user(&u), year, &before, &chosen).await?;
            tx.commit().await?;
            Ok(
                Redirect::to(&format!("/council/government-flag?year={year}&saved=1"))
                    .into_response(),
            )
        }
        Err(e) => {
            tx.rollback().await?;
            let mut errors = Errors::default();
            errors.add("lead", e);
            let ticked = ticked.iter().map(|t| t.to_string()).collect();
            let l = Layout::for_user(
                &u,
                &format!("Đề nghị Cờ thi đua của Chính phủ năm {year}"),
                "proposals",
            );
            let p = FlagPage {
                l,
                years,
                s,
                top_award,
                ticked,
                errors,
                saved: false,
            };
            page(StatusCode::UNPROCESSABLE_ENTITY, p)
        }
    }
}

async fn document(u: &CurrentUser, asked: Option<&str>) -> AppResult<Selection> {
    if !policy::may_review_proposals(u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let (_, year) = years_and_year(&mut tx, asked).await?;
    let (s, _) = selection(&mut tx, year).await?;
    tx.commit().await?;
    Ok(s)
}

pub async fn print(u: CurrentUser, Query(q): Query<FlagQuery>) -> AppResult<Html<String>> {
    let s = document(&u, q.year.as_deref()).await?;
    Ok(Html(render_html(&s.document())?))
}

pub async fn download(u: CurrentUser, Query(q): Query<FlagQuery>) -> AppResult<Response> {
    let s = document(&u, q.year.as_deref()).await?;
    let name = format!(
        "Danh sách đề nghị Cờ thi đua của Chính phủ - {}.docx",
        s.year
    );
    Ok(docx::response(&name, docx::render(&s.document())?))
}
