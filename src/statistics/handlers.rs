//! The yearly statistics' pages: the forms on screen with the typed cells to fill, their print
//! view and their .xlsx.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::forms::{self, Scope, StatsQuery};
use super::model::Facts;
use super::store::{self, TypedCell};
use super::view::{self, FormView};
use super::{document, xlsx};
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::auth::policy;
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::web::forms::{Errors, Pairs, first};
use crate::web::layout::Layout;

/// The year and scope asked for, with what they count.
pub struct Loaded {
    pub years: Vec<i32>,
    pub year: i32,
    pub scope: Scope,
    /// "Toàn bộ đơn vị" or the cluster's name.
    pub scope_name: String,
    pub clusters: Vec<(i64, String)>,
    pub facts: Facts,
    pub typed: Vec<TypedCell>,
}

impl Loaded {
    /// The whole tenant's scope, which alone has the council's own forms (0604, 0605).
    pub fn whole(&self) -> bool {
        self.scope == Scope::All
    }

    pub fn query(&self) -> String {
        format!("year={}&scope={}", self.year, self.scope.key())
    }

    /// The forms as saved, for the print view and the .xlsx (nothing sent back to show).
    pub fn saved_forms(&self) -> Vec<crate::statistics::view::FormView> {
        crate::statistics::view::forms(
            self.whole(),
            &self.facts,
            &self.typed,
            &Default::default(),
            &Default::default(),
        )
    }
}

async fn load(tx: &mut TenantTx, year: &str, scope: &str) -> AppResult<Loaded> {
    // A scope that is no scope, or another tenant's cluster, is not found.
    let scope = Scope::parse(scope).ok_or(AppError::NotFound)?;
    let this_year = chrono::Datelike::year(&crate::web::vn::today());
    let r = store::read(
        tx,
        forms::year(year),
        scope.cluster(),
        &scope.key(),
        this_year,
    )
    .await?;
    let mut years = r.years;
    if !years.contains(&r.year) {
        years.push(r.year);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    let scope_name = match scope.cluster() {
        None => "Toàn bộ các cụm, khối và đơn vị".to_string(),
        Some(id) => r
            .clusters
            .iter()
            .find(|(c, _)| *c == id)
            .map(|(_, n)| n.clone())
            .ok_or(AppError::NotFound)?,
    };
    Ok(Loaded {
        years,
        year: r.year,
        scope,
        scope_name,
        clusters: r.clusters,
        facts: r.facts,
        typed: r.typed,
    })
}

#[derive(Template)]
#[template(path = "statistics/forms.html")]
struct StatsPage {
    l: Layout,
    s: Loaded,
    forms: Vec<FormView>,
    uncounted: Vec<(String, usize)>,
    errors: Errors,
    refused: Vec<String>,
    saved: bool,
}

impl StatsPage {
    fn note(&self, f: &FormView) -> String {
        view::unverified_note(f.def)
    }
    fn scope_key(&self) -> String {
        self.s.scope.key()
    }
    fn scoped(&self) -> bool {
        self.s.scope != Scope::All
    }
}

fn page(
    u: &CurrentUser,
    s: Loaded,
    status: StatusCode,
    kept: &BTreeMap<String, String>,
    errors: Errors,
    refused: Vec<String>,
    saved: bool,
) -> AppResult<Response> {
    let title = format!("Báo cáo thống kê năm {}", s.year);
    let forms = view::forms(s.whole(), &s.facts, &s.typed, kept, &errors);
    let uncounted = view::uncounted(&s.facts);
    let p = StatsPage {
        l: Layout::for_user(u, &title, "council"),
        s,
        forms,
        uncounted,
        errors,
        refused,
        saved,
    };
    Ok((status, Html(p.render()?)).into_response())
}

pub async fn show(u: CurrentUser, Query(q): Query<StatsQuery>) -> AppResult<Response> {
    if !policy::may_view_council(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.read().await?;
    let s = load(&mut tx, &q.year, &q.scope).await?;
    tx.commit().await?;
    let saved = !q.saved.is_empty();
    let (kept, errors) = (BTreeMap::new(), Errors::default());
    page(&u, s, StatusCode::OK, &kept, errors, Vec::new(), saved)
}

pub async fn save(u: CurrentUser, Form(pairs): Form<Pairs>) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let s = load(&mut tx, first(&pairs, "year"), first(&pairs, "scope")).await?;
    if forms::year(first(&pairs, "year")).is_none() {
        // Saving needs the year the figures belong to; the page always sends it.
        let mut errors = Errors::default();
        errors.add("year", "Chọn năm báo cáo.");
        tx.commit().await?;
        return page(
            &u,
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            &BTreeMap::new(),
            errors,
            Vec::new(),
            false,
        );
    }
    let mut p = forms::posted(&pairs, s.whole());
    forms::check_limits(&mut p, &s.facts, &s.typed);
    if !p.errors.is_empty() {
        tx.commit().await?;
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return page(&u, s, status, &p.kept, p.errors, p.refused, false);
    }
    let scope = s.scope.key();
    store::save(
        &mut tx,
        &Actor::user(&u),
        u.user_id,
        s.year,
        &scope,
        &s.typed,
        &p.changes,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/council/statistics?{}&saved=1", s.query())).into_response())
}

async fn loaded(u: &CurrentUser, q: &StatsQuery) -> AppResult<Loaded> {
    if !policy::may_view_council(u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.read().await?;
    let s = load(&mut tx, &q.year, &q.scope).await?;
    tx.commit().await?;
    Ok(s)
}

pub async fn print(u: CurrentUser, Query(q): Query<StatsQuery>) -> AppResult<Html<String>> {
    let s = loaded(&u, &q).await?;
    Ok(Html(document::render(&u.tenant_name, &s)?))
}

pub async fn xlsx(u: CurrentUser, Query(q): Query<StatsQuery>) -> AppResult<Response> {
    let s = loaded(&u, &q).await?;
    let bytes = xlsx::workbook(&u.tenant_name, &s)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    let name = format!("Báo cáo thống kê năm {}.xlsx", s.year);
    Ok(crate::web::download::attachment(
        &name,
        crate::web::download::XLSX,
        bytes,
    ))
}
