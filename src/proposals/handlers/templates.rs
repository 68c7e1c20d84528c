//! The council's document templates: every version of every kind, and a new version written
//! from an old one. Versions are never edited, so a dossier always prints as it was drafted.

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::proposals::forms;
use crate::proposals::model;
use crate::proposals::store::{self, TemplateRow};
use crate::proposals::templates::{self, Section};
use crate::web::forms::{Errors, Pairs};
use crate::web::ids::Ids;
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "proposals/templates.html")]
struct ListPage {
    l: Layout,
    rows: Vec<TemplateRow>,
}

impl ListPage {
    fn kind_label(&self, k: &str) -> &'static str {
        templates::kind_label(k)
    }
    fn when(&self, t: &TemplateRow) -> String {
        crate::web::vn::datetime(t.created_at)
    }
}

pub async fn list(u: CurrentUser) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    store::ensure_templates(&mut tx, &Actor::user(&u)).await?;
    let rows = store::templates(&mut tx).await?;
    tx.commit().await?;
    let page = ListPage {
        l: Layout::for_user(&u, "Mẫu văn bản", "proposals"),
        rows,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "proposals/template.html")]
struct EditPage {
    l: Layout,
    t: TemplateRow,
    latest: bool,
    name: String,
    legal_basis: String,
    sections: Vec<Section>,
    errors: Errors,
    fields: &'static [(&'static str, &'static str)],
}

impl EditPage {
    fn kind_label(&self) -> &'static str {
        templates::kind_label(&self.t.kind)
    }
    fn text_field(&self, i: &usize) -> String {
        format!("text_{i}")
    }
}

async fn edit_page(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    typed: Option<(String, String, Vec<Section>)>,
    errors: Errors,
) -> AppResult<Response> {
    if !policy::may_review_proposals(u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let t = store::template(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let latest = store::latest_template(&mut tx, &t.kind)
        .await?
        .is_some_and(|l| l.id == t.id);
    tx.commit().await?;
    let (name, legal_basis, sections) =
        typed.unwrap_or_else(|| (t.name.clone(), t.legal_basis.clone(), t.sections.0.clone()));
    let page = EditPage {
        l: Layout::for_user(u, &format!("Mẫu văn bản — {}", t.name), "proposals"),
        t,
        latest,
        name,
        legal_basis,
        sections,
        errors,
        fields: model::FIELDS,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    edit_page(&u, id, StatusCode::OK, None, Errors::default()).await
}

/// Writes a new version from the form: the same sections in the same order, with their
/// headings and texts as edited.
pub async fn new_version(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let actor = Actor::user(&u);
    let mut tx = u.db().await?;
    let t = store::template(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (form, errors) = forms::read_template(&f, &t.kind, &t.sections.0);
    if !errors.is_empty() {
        tx.rollback().await?;
        let typed = (form.name, form.legal_basis, form.sections);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return edit_page(&u, id, status, Some(typed), errors).await;
    }
    let (name, basis, sections) = (&form.name, &form.legal_basis, &form.sections);
    let new_id = store::insert_template(&mut tx, &actor, &t.kind, name, basis, sections).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/council/templates/{new_id}")).into_response())
}
