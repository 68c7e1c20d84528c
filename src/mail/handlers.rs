//! The user's own mail settings, and the tenant admin's page of the outbox.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::forms::AccountForm;
use super::model::Mode;
use super::store::{self, Account, Counts, Failure};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::web::forms::Errors;
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn;

#[derive(Template)]
#[template(path = "mail/account.html")]
struct AccountPage {
    l: Layout,
    form: AccountForm,
    errors: Errors,
    modes: [Mode; 3],
    saved: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Saved {
    saved: String,
}

fn account_page(u: &CurrentUser, form: AccountForm, errors: Errors, saved: bool) -> AccountPage {
    AccountPage {
        l: Layout::for_user(u, "Nhận thông báo qua thư", "password"),
        form,
        errors,
        modes: Mode::ALL,
        saved,
    }
}

pub async fn account_form(u: CurrentUser, Query(q): Query<Saved>) -> AppResult<Response> {
    let mut tx = u.read().await?;
    let a = store::account(&mut tx, u.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let form = AccountForm {
        email: a.email.unwrap_or_default(),
        mode: a.mail_mode,
    };
    let page = account_page(&u, form, Errors::default(), q.saved == "1");
    Ok(Html(page.render()?).into_response())
}

pub async fn account_save(u: CurrentUser, Form(form): Form<AccountForm>) -> AppResult<Response> {
    let mut e = Errors::default();
    let c = form.check(&mut e);
    if !e.is_empty() {
        let page = account_page(&u, form, e, false);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let after = Account {
        email: c.email,
        mail_mode: c.mode.as_str().to_string(),
    };
    let mut tx = u.db().await?;
    store::set_account(&mut tx, &Actor::user(&u), u.user_id, &after).await?;
    tx.commit().await?;
    Ok(Redirect::to("/account/notifications?saved=1").into_response())
}

/// Failed messages the page lists at most (the count above says how many there are).
const FAILURES_SHOWN: i64 = 200;

struct FailureView {
    id: i64,
    to: String,
    subject: String,
    attempts: i32,
    last_error: String,
    queued_at: String,
}

#[derive(Template)]
#[template(path = "mail/outbox.html")]
struct OutboxPage {
    l: Layout,
    counts: Counts,
    failures: Vec<FailureView>,
    resent: bool,
}

pub async fn outbox(u: CurrentUser, Query(q): Query<Saved>) -> AppResult<Response> {
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.read().await?;
    let counts = store::counts(&mut tx).await?;
    let rows = store::failures(&mut tx, FAILURES_SHOWN).await?;
    tx.commit().await?;
    let failures = rows
        .into_iter()
        .map(|f: Failure| FailureView {
            id: f.id,
            to: format!("{} <{}>", f.to_name, f.to_addr),
            subject: f.subject,
            attempts: f.attempts,
            last_error: f.last_error,
            queued_at: vn::datetime(f.created_at),
        })
        .collect();
    let page = OutboxPage {
        l: Layout::for_user(&u, "Thư điện tử", "mail"),
        counts,
        failures,
        resent: q.saved == "1",
    };
    Ok(Html(page.render()?).into_response())
}

/// "Gửi lại": a failed message goes back in the queue. Another tenant's id, or one that has
/// not failed, is not found.
pub async fn resend(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    if !store::resend(&mut tx, &Actor::user(&u), id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(Redirect::to("/mail?saved=1").into_response())
}
