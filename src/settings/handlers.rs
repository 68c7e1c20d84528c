//! The council's settings page.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::settings::forms::SettingsForm;
use crate::settings::store;
use crate::web::forms::Errors;
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "settings/council.html")]
struct SettingsPage {
    l: Layout,
    award_types: Vec<(i64, String)>,
    f: SettingsForm,
    errors: Errors,
    saved: bool,
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn page(
    u: &CurrentUser,
    status: StatusCode,
    award_types: Vec<(i64, String)>,
    f: SettingsForm,
    errors: Errors,
    saved: bool,
) -> AppResult<Response> {
    let page = SettingsPage {
        l: Layout::for_user(u, "Quy định về hồ sơ đề nghị", "proposals"),
        award_types,
        f,
        errors,
        saved,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(u: CurrentUser, Query(q): Query<SavedQuery>) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let s = store::load(&mut tx).await?;
    let types = crate::cycle::store::active_award_types(&mut tx, "collective").await?;
    tx.commit().await?;
    let f = SettingsForm::of(&s);
    page(
        &u,
        StatusCode::OK,
        types,
        f,
        Errors::default(),
        q.saved.is_some(),
    )
}

pub async fn save(u: CurrentUser, Form(f): Form<SettingsForm>) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let types = crate::cycle::store::active_award_types(&mut tx, "collective").await?;
    let after = match f.check(&types) {
        Ok(s) => s,
        Err(errors) => {
            tx.commit().await?;
            return page(
                &u,
                StatusCode::UNPROCESSABLE_ENTITY,
                types,
                f,
                errors,
                false,
            );
        }
    };
    let before = store::load(&mut tx).await?;
    store::save(&mut tx, &Actor::user(&u), &before, &after).await?;
    tx.commit().await?;
    Ok(Redirect::to("/council/settings?saved=1").into_response())
}

#[derive(Template)]
#[template(path = "settings/reminders.html")]
struct RemindersPage {
    l: Layout,
    f: crate::settings::forms::RemindersForm,
    errors: Errors,
    saved: bool,
}

fn reminders_page(
    u: &CurrentUser,
    status: StatusCode,
    f: crate::settings::forms::RemindersForm,
    errors: Errors,
    saved: bool,
) -> AppResult<Response> {
    let page = RemindersPage {
        l: Layout::for_user(u, "Nhắc hạn", "proposals"),
        f,
        errors,
        saved,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// The days before each deadline on which units that have not acted are reminded (issue 14).
pub async fn show_reminders(u: CurrentUser, Query(q): Query<SavedQuery>) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let s = store::load_reminders(&mut tx).await?;
    tx.commit().await?;
    let f = crate::settings::forms::RemindersForm::of(&s);
    reminders_page(&u, StatusCode::OK, f, Errors::default(), q.saved.is_some())
}

pub async fn save_reminders(
    u: CurrentUser,
    Form(f): Form<crate::settings::forms::RemindersForm>,
) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let after = match f.check() {
        Ok(s) => s,
        Err(errors) => {
            return reminders_page(&u, StatusCode::UNPROCESSABLE_ENTITY, f, errors, false);
        }
    };
    let mut tx = u.db().await?;
    let before = store::load_reminders(&mut tx).await?;
    store::save_reminders(&mut tx, &Actor::user(&u), &before, &after).await?;
    tx.commit().await?;
    Ok(Redirect::to("/council/settings/reminders?saved=1").into_response())
}
