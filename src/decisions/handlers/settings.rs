//! Who issues and signs the council's decisions, and the bonus per award type
//! (`/council/decisions/settings`, linked from the council's settings page).

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::deny;
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::decisions::forms::SettingsForm;
use crate::decisions::store;
use crate::error::AppResult;
use crate::web::forms::{Errors, Pairs};
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "decisions/settings.html")]
struct SettingsPage {
    l: Layout,
    f: SettingsForm,
    award_types: Vec<(i64, String)>,
    errors: Errors,
    saved: bool,
}

impl SettingsPage {
    fn bonus(&self, id: &i64) -> String {
        self.f
            .bonuses
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

async fn award_types(tx: &mut TenantTx) -> sqlx::Result<Vec<(i64, String)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT id, name FROM award_types WHERE tenant_id = $1 AND target = 'collective'
            AND active ORDER BY position, id",
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

#[derive(serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn show(
    u: CurrentUser,
    axum::extract::Query(q): axum::extract::Query<SavedQuery>,
) -> AppResult<Response> {
    deny(&u)?;
    let mut tx = u.db().await?;
    let s = store::settings(&mut tx).await?;
    let award_types = award_types(&mut tx).await?;
    tx.commit().await?;
    let page = SettingsPage {
        l: Layout::for_user(&u, "Thiết lập quyết định khen thưởng", "settings"),
        f: SettingsForm::of(&s, &award_types),
        award_types,
        errors: Errors::default(),
        saved: q.saved.is_some(),
    };
    Ok(Html(page.render()?).into_response())
}

pub async fn save(u: CurrentUser, Form(f): Form<Pairs>) -> AppResult<Response> {
    deny(&u)?;
    let mut tx = u.db().await?;
    let award_types = award_types(&mut tx).await?;
    let form = SettingsForm::read(&f, &award_types);
    let mut errors = Errors::default();
    let Some(s) = form.check(&mut errors) else {
        tx.rollback().await?;
        let page = SettingsPage {
            l: Layout::for_user(&u, "Thiết lập quyết định khen thưởng", "settings"),
            f: form,
            award_types,
            errors,
            saved: false,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    };
    store::save_settings(&mut tx, &Actor::user(&u), &s).await?;
    tx.commit().await?;
    Ok(Redirect::to("/council/decisions/settings?saved=1").into_response())
}
