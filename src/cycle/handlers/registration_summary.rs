//! The leader's view of registrations (đăng ký thi đua): every member's status in one table,
//! and the deadline.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{YearCtx, date, load_year, when};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::cycle::model::{self, RegistrationState};
use crate::cycle::store as cycle_store;
use crate::cycle::store::registrations as store;
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::store::ClusterYear;
use crate::web::forms::{self, Errors};
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn::today;

/// The tenant's award types split for the registration form: active collective ones (the aim),
/// active individual ones (the counts), and every name (older registrations may name a type
/// since retired).
pub struct Types {
    pub collective: Vec<(i64, String)>,
    pub individual: Vec<(i64, String)>,
    pub names: BTreeMap<i64, String>,
}

pub async fn types(conn: &mut TenantTx) -> AppResult<Types> {
    let all = cycle_store::kept_award_types(conn).await?;
    let pick = |target: &str| {
        all.iter()
            .filter(|t| t.f.active && t.f.target == target)
            .map(|t| (t.id, t.f.name.clone()))
            .collect::<Vec<_>>()
    };
    Ok(Types {
        collective: pick("collective"),
        individual: pick("individual"),
        names: all.iter().map(|t| (t.id, t.f.name.clone())).collect(),
    })
}

/// One member's line in the summary; details only where the user may read them.
pub struct SumRow {
    pub unit_id: i64,
    pub name: String,
    pub state: Option<RegistrationState>,
    pub visible: bool,
    pub award: String,
    pub counts: Vec<i32>,
    pub initiatives: i64,
    pub submitted_at: String,
}

impl SumRow {
    pub fn is_submitted(&self) -> bool {
        self.state == Some(RegistrationState::Submitted)
    }

    pub fn status(&self) -> &'static str {
        model::registration_label(self.state)
    }
}

pub async fn summary_rows(
    conn: &mut TenantTx,
    u: &CurrentUser,
    ctx: &YearCtx,
    individual: &[(i64, String)],
) -> AppResult<Vec<SumRow>> {
    let rows = store::summary(conn, ctx.y.id).await?;
    let counts = store::all_counts(conn, ctx.y.id).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let state = r.state();
            let visible = policy::may_view_registration(u, ctx.role, r.unit_id, state);
            SumRow {
                unit_id: r.unit_id,
                state,
                visible,
                award: if visible {
                    r.award_name.clone().unwrap_or_default()
                } else {
                    String::new()
                },
                counts: individual
                    .iter()
                    .map(|(t, _)| {
                        counts
                            .iter()
                            .find(|(unit, a, _)| *unit == r.unit_id && a == t)
                            .filter(|_| visible)
                            .map(|(_, _, n)| *n)
                            .unwrap_or(0)
                    })
                    .collect(),
                initiatives: if visible { r.initiatives } else { 0 },
                submitted_at: when(&r.submitted_at),
                name: r.unit_name,
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "cycle/registrations.html")]
struct SummaryPage {
    l: Layout,
    y: ClusterYear,
    rows: Vec<SumRow>,
    individual: Vec<(i64, String)>,
    deadline: String,
    deadline_input: String,
    deadline_passed: bool,
    may_manage: bool,
    submitted: usize,
    errors: Errors,
}

async fn summary_page(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    errors: Errors,
    deadline_input: Option<String>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let ctx = load_year(&mut tx, u, id).await?;
    if !policy::may_view_registration_summary(u, ctx.role) {
        // A member's staff go to their own unit's registration.
        return match u.unit_id {
            Some(unit) if policy::may_edit_registration(u, ctx.role, unit) => Ok(Redirect::to(
                &format!("/years/{}/registrations/{unit}", ctx.y.id),
            )
            .into_response()),
            _ => Err(AppError::Forbidden),
        };
    }
    let t = types(&mut tx).await?;
    let rows = summary_rows(&mut tx, u, &ctx, &t.individual).await?;
    let deadline = ctx.y.registration_deadline;
    tx.commit().await?;
    let title = format!(
        "Đăng ký thi đua năm {} — {}",
        ctx.y.year, ctx.y.cluster_name
    );
    let page = SummaryPage {
        l: Layout::for_year(u, &title),
        submitted: rows.iter().filter(|r| r.is_submitted()).count(),
        rows,
        individual: t.individual,
        deadline: date(&deadline),
        deadline_input: deadline_input.unwrap_or_else(|| date(&deadline)),
        deadline_passed: model::deadline_passed(deadline, today()),
        may_manage: policy::may_manage_registrations(u, ctx.role),
        y: ctx.y,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn summary(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    summary_page(&u, id, StatusCode::OK, Errors::default(), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeadlineForm {
    deadline: String,
}

pub async fn set_deadline(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<DeadlineForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let ctx = load_year(&mut tx, &u, id).await?;
    if !policy::may_manage_registrations(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Errors::default();
    let after = forms::optional_date(&mut errors, "deadline", &f.deadline);
    if !errors.is_empty() {
        drop(tx);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return summary_page(&u, id, status, errors, Some(f.deadline)).await;
    }
    let before = ctx.y.registration_deadline;
    store::set_deadline(&mut tx, &Actor::user(&u), ctx.y.id, before, after).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{}/registrations", ctx.y.id)).into_response())
}
