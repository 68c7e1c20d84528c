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
use crate::settings::rules::{self, RuleSet};
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
    laws: Vec<LawView>,
    unverified: &'static str,
}

/// A rule set as the page lists it: its dates, its texts, each rule with its source or the
/// words saying it could not be checked.
struct LawView {
    set: RuleSet,
    from: String,
    until: String,
    in_force: bool,
}

fn laws(sets: Vec<RuleSet>) -> Vec<LawView> {
    let today = crate::web::vn::today();
    let current = rules::in_force(&sets, today).map(|s| s.code.clone());
    sets.iter()
        .map(|s| LawView {
            from: rules::from_words(s),
            until: rules::last_day(&sets, s)
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            in_force: current.as_ref() == Some(&s.code),
            set: s.clone(),
        })
        .collect()
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `loaded`: the collective award types and the rule sets.
fn page(
    u: &CurrentUser,
    status: StatusCode,
    (award_types, sets): (Vec<(i64, String)>, Vec<RuleSet>),
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
        laws: laws(sets),
        unverified: rules::UNVERIFIED,
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
    let sets = store::rule_sets(&mut tx).await?;
    tx.commit().await?;
    let f = SettingsForm::of(&s);
    page(
        &u,
        StatusCode::OK,
        (types, sets),
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
            let sets = store::rule_sets(&mut tx).await?;
            tx.commit().await?;
            return page(
                &u,
                StatusCode::UNPROCESSABLE_ENTITY,
                (types, sets),
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
