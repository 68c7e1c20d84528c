//! A unit's registration (đăng ký thi đua): its staff prepare it, its head submits it before
//! the leader's deadline, and the leader may return it with a reason.

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::registration_summary::types;
use super::{YearCtx, date, load_year, when};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::cycle::forms::RegistrationForm;
use crate::cycle::model::{self, RegistrationState};
use crate::cycle::store::registrations::{self as store, Initiative, Registration};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::store::ClusterYear;
use crate::web::forms::Errors;
use crate::web::forms::Pairs;
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn::today;

#[derive(Template)]
#[template(path = "cycle/registration.html")]
struct UnitPage {
    l: Layout,
    y: ClusterYear,
    unit_id: i64,
    unit_name: String,
    reg: Option<Registration>,
    form: RegistrationForm,
    collective: Vec<(i64, String)>,
    individual: Vec<(i64, String)>,
    counts: Vec<(String, i32)>,
    initiatives: Vec<Initiative>,
    may_edit: bool,
    may_submit: bool,
    may_return: bool,
    may_summary: bool,
    deadline: String,
    deadline_passed: bool,
    reason: String,
    errors: Errors,
    /// The draft was just saved: the page says so (issue 17, item 11).
    saved: bool,
}

impl UnitPage {
    fn state_label(&self) -> &'static str {
        model::registration_label(self.reg.as_ref().map(Registration::state))
    }

    fn is_returned(&self) -> bool {
        self.reg.as_ref().map(Registration::state) == Some(RegistrationState::Returned)
    }

    fn submitted_at(&self) -> String {
        when(&self.reg.as_ref().and_then(|r| r.submitted_at))
    }

    fn returned_at(&self) -> String {
        when(&self.reg.as_ref().and_then(|r| r.returned_at))
    }

    fn kind_label(&self, k: &str) -> &'static str {
        if k == "de_tai" {
            "Đề tài"
        } else {
            "Sáng kiến"
        }
    }

    /// The titles to register (a form of commendation chosen before they were told apart
    /// stays offered, so that saving again keeps it).
    fn titles(&self) -> Vec<(i64, String)> {
        self.collective
            .iter()
            .filter(|(id, n)| {
                !model::is_commendation(n) || self.form.award_type_id == id.to_string()
            })
            .cloned()
            .collect()
    }

    fn commendations(&self) -> Vec<(i64, String)> {
        self.collective
            .iter()
            .filter(|(_, n)| model::is_commendation(n))
            .cloned()
            .collect()
    }

    fn aim(&self) -> String {
        self.reg
            .as_ref()
            .and_then(|r| r.award_name.clone())
            .unwrap_or_default()
    }
}

/// Loads the year and the member unit, and checks the user may read its registration.
pub(super) async fn load_unit(
    conn: &mut TenantTx,
    u: &CurrentUser,
    id: i64,
    unit: i64,
    for_update: bool,
) -> AppResult<(YearCtx, i64, String, Option<Registration>)> {
    let ctx = load_year(conn, u, id).await?;
    if !policy::may_view_year(u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let unit_id = unit;
    let name = ctx
        .members
        .iter()
        .find(|m| m.unit_id == unit_id)
        .map(|m| m.name.clone())
        .ok_or(AppError::NotFound)?;
    let reg = store::registration(conn, ctx.y.id, unit_id, for_update).await?;
    if !policy::may_view_registration(u, ctx.role, unit_id, reg.as_ref().map(|r| r.state())) {
        return Err(AppError::Forbidden);
    }
    Ok((ctx, unit_id, name, reg))
}

/// What to show again after a refusal: the typed form and the typed reason.
#[derive(Default)]
struct Retry {
    errors: Errors,
    form: Option<RegistrationForm>,
    reason: String,
    saved: bool,
}

async fn unit_page(
    u: &CurrentUser,
    id: i64,
    unit: i64,
    status: StatusCode,
    r: Retry,
) -> AppResult<Response> {
    let mut tx = u.read().await?;
    let (ctx, unit_id, unit_name, reg) = load_unit(&mut tx, u, id, unit, false).await?;
    let t = types(&mut tx).await?;
    let fields = store::fields(&mut tx, ctx.y.id, unit_id).await?;
    let deadline = ctx.y.registration_deadline;
    tx.commit().await?;
    let state = reg.as_ref().map(|r| r.state());
    let editable = model::check_registration_editable(state).is_ok();
    let counts = fields
        .counts
        .iter()
        .map(|(a, n)| (t.names.get(a).cloned().unwrap_or_default(), *n))
        .collect();
    let title = format!("Đăng ký thi đua năm {} — {unit_name}", ctx.y.year);
    let page = UnitPage {
        l: Layout::for_year(u, &title),
        unit_id,
        unit_name,
        form: r
            .form
            .unwrap_or_else(|| RegistrationForm::from_fields(&fields, &t.individual)),
        collective: t.collective,
        individual: t.individual,
        counts,
        initiatives: fields.initiatives,
        may_edit: editable && policy::may_edit_registration(u, ctx.role, unit_id),
        may_submit: editable && policy::may_submit_registration(u, ctx.role, unit_id),
        may_return: state == Some(RegistrationState::Submitted)
            && policy::may_manage_registrations(u, ctx.role),
        may_summary: policy::may_view_registration_summary(u, ctx.role),
        deadline: date(&deadline),
        deadline_passed: model::deadline_passed(deadline, today()),
        reason: r.reason,
        errors: r.errors,
        saved: r.saved,
        reg,
        y: ctx.y,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Shown {
    saved: String,
}

pub async fn show(
    u: CurrentUser,
    Ids((id, unit)): Ids<(i64, i64)>,
    axum::extract::Query(q): axum::extract::Query<Shown>,
) -> AppResult<Response> {
    let r = Retry {
        saved: !q.saved.is_empty(),
        ..Retry::default()
    };
    unit_page(&u, id, unit, StatusCode::OK, r).await
}

fn back_to_unit(ctx: &YearCtx, unit_id: i64) -> Response {
    Redirect::to(&format!("/years/{}/registrations/{unit_id}", ctx.y.id)).into_response()
}

async fn refuse(
    u: &CurrentUser,
    (id, unit): (i64, i64),
    status: StatusCode,
    field: &'static str,
    msg: String,
    form: Option<RegistrationForm>,
) -> AppResult<Response> {
    let mut errors = Errors::default();
    errors.add(field, msg);
    let r = Retry {
        errors,
        form,
        ..Retry::default()
    };
    unit_page(u, id, unit, status, r).await
}

/// Saves the unit's draft (officers and the head).
pub async fn save(
    u: CurrentUser,
    Ids((id, unit)): Ids<(i64, i64)>,
    Form(pairs): Form<Pairs>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (ctx, unit_id, _, reg) = load_unit(&mut tx, &u, id, unit, true).await?;
    if !policy::may_edit_registration(&u, ctx.role, unit_id) {
        return Err(AppError::Forbidden);
    }
    let t = types(&mut tx).await?;
    let form = RegistrationForm::from_pairs(&pairs, &t.individual);
    if let Err(msg) = model::check_registration_editable(reg.as_ref().map(|r| r.state())) {
        drop(tx);
        let (s, m) = (StatusCode::CONFLICT, msg.to_string());
        return refuse(&u, (id, unit), s, "form", m, Some(form)).await;
    }
    let (fields, errors) = form.validate(&t.collective, &t.individual);
    if !errors.is_empty() {
        drop(tx);
        let r = Retry {
            errors,
            form: Some(form),
            ..Retry::default()
        };
        return unit_page(&u, id, unit, StatusCode::UNPROCESSABLE_ENTITY, r).await;
    }
    store::save(&mut tx, &Actor::user(&u), ctx.y.id, unit_id, &fields).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/years/{}/registrations/{unit_id}?saved=1",
        ctx.y.id
    ))
    .into_response())
}

/// The head submits; with the form's fields ("save" = 1) what is on screen is saved first, in
/// the same transaction, so nothing typed is lost and nothing half-submitted remains.
pub async fn submit(
    u: CurrentUser,
    Ids((id, unit)): Ids<(i64, i64)>,
    Form(pairs): Form<Pairs>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (ctx, unit_id, _, reg) = load_unit(&mut tx, &u, id, unit, true).await?;
    if !policy::may_submit_registration(&u, ctx.role, unit_id) {
        return Err(AppError::Forbidden);
    }
    let state = reg.as_ref().map(|r| r.state());
    let actor = Actor::user(&u);
    let with_fields = pairs.iter().any(|(k, v)| k == "save" && v == "1");
    let t = types(&mut tx).await?;
    let form = with_fields.then(|| RegistrationForm::from_pairs(&pairs, &t.individual));
    if let Some(form) = &form {
        if let Err(msg) = model::check_registration_editable(state) {
            drop(tx);
            let (s, m) = (StatusCode::CONFLICT, msg.to_string());
            return refuse(&u, (id, unit), s, "submit", m, Some(form.clone())).await;
        }
        let (fields, errors) = form.validate(&t.collective, &t.individual);
        if !errors.is_empty() {
            drop(tx);
            let r = Retry {
                errors,
                form: Some(form.clone()),
                ..Retry::default()
            };
            return unit_page(&u, id, unit, StatusCode::UNPROCESSABLE_ENTITY, r).await;
        }
        store::save(&mut tx, &actor, ctx.y.id, unit_id, &fields).await?;
    }
    let aim = store::fields(&mut tx, ctx.y.id, unit_id)
        .await?
        .award_type_id
        .is_some();
    let deadline = ctx.y.registration_deadline;
    if let Err((field, msg)) = model::check_submit(state, deadline, today(), aim) {
        // A refused submission changes nothing, the save above included; the typed form stays.
        drop(tx);
        let status = if state == Some(RegistrationState::Submitted) {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return refuse(&u, (id, unit), status, field, msg, form).await;
    }
    let from = state.unwrap_or(RegistrationState::Draft);
    store::submit(&mut tx, &actor, ctx.y.id, unit_id, from, None).await?;
    crate::notify::registration_submitted(&mut tx, &u, ctx.y.id, unit_id).await?;
    tx.commit().await?;
    Ok(back_to_unit(&ctx, unit_id))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReturnForm {
    reason: String,
}

/// The leader returns a submitted registration, always with the reason.
pub async fn return_to_unit(
    u: CurrentUser,
    Ids((id, unit)): Ids<(i64, i64)>,
    Form(f): Form<ReturnForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (ctx, unit_id, _, reg) = load_unit(&mut tx, &u, id, unit, true).await?;
    if !policy::may_manage_registrations(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let state = reg.as_ref().map(|r| r.state());
    if let Err((field, msg)) = model::check_return(state, &f.reason) {
        drop(tx);
        let status = if state == Some(RegistrationState::Submitted) {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::CONFLICT
        };
        let mut errors = Errors::default();
        errors.add(field, msg);
        let r = Retry {
            errors,
            form: None,
            reason: f.reason,
            saved: false,
        };
        return unit_page(&u, id, unit, status, r).await;
    }
    let reason = f.reason.trim();
    store::return_to_unit(&mut tx, &Actor::user(&u), ctx.y.id, unit_id, reason, None).await?;
    crate::notify::registration_returned(&mut tx, &u, ctx.y.id, unit_id, reason).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{}/registrations", ctx.y.id)).into_response())
}
