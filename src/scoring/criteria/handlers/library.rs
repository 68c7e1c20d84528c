//! The library of tables and a new table.
use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::scoring::model::fmt;
use crate::scoring::tables::{self};
use crate::web::forms::Errors;
use crate::web::layout::Layout;
use crate::web::vn;

use super::super::forms::TableForm;
use super::super::model::{self};
use super::super::store::{self};

use super::*;

// ---- the library -----------------------------------------------------------------------------

pub struct LibraryRow {
    pub id: i64,
    pub name: String,
    pub criteria: usize,
    pub standard_max: String,
    pub bonus_cap: String,
    pub penalty_cap: String,
    pub usable: bool,
}

pub struct CopyRow {
    pub id: i64,
    pub name: String,
    pub year_id: i64,
    pub year: String,
    pub criteria: i64,
    pub frozen: Option<String>,
    pub in_use: bool,
}

#[derive(Template)]
#[template(path = "scoring/criteria/list.html")]
struct ListPage {
    l: Layout,
    library: Vec<LibraryRow>,
    copies: Vec<CopyRow>,
}

pub async fn list(u: CurrentUser) -> AppResult<Html<String>> {
    require_admin(&u)?;
    let mut tx = u.db().await?;
    let mut library = Vec::new();
    for (id, _) in tables::library(&mut tx).await? {
        let Some(full) = tables::load_full(&mut tx, id).await? else {
            continue;
        };
        library.push(LibraryRow {
            id,
            name: full.table.name.clone(),
            criteria: full.criteria.len(),
            standard_max: fmt(full.standard_max()),
            bonus_cap: fmt(full.table.bonus_cap),
            penalty_cap: fmt(full.table.penalty_cap),
            usable: model::usability(&full).is_empty(),
        });
    }
    let copies = store::year_copies(&mut tx)
        .await?
        .into_iter()
        .map(|c| CopyRow {
            id: c.id,
            name: c.name,
            year_id: c.year_id,
            year: format!("{} — năm {}", c.cluster_name, c.year),
            criteria: c.criteria,
            frozen: c.frozen_at.map(vn::datetime),
            in_use: c.in_use,
        })
        .collect();
    tx.commit().await?;
    let page = ListPage {
        l: Layout::for_user(&u, "Bảng tiêu chí chấm điểm", "criteria"),
        library,
        copies,
    };
    Ok(Html(page.render()?))
}

// ---- a new table ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "scoring/criteria/new.html")]
struct NewPage {
    l: Layout,
    form: TableForm,
    errors: Errors,
}

fn new_page(
    u: &CurrentUser,
    status: StatusCode,
    form: TableForm,
    errors: Errors,
) -> AppResult<Response> {
    let page = NewPage {
        l: Layout::for_user(u, "Lập bảng tiêu chí chấm điểm", "criteria"),
        form,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn new_form(u: CurrentUser) -> AppResult<Response> {
    require_admin(&u)?;
    new_page(
        &u,
        StatusCode::OK,
        TableForm::new_table(),
        Errors::default(),
    )
}

pub async fn create(u: CurrentUser, Form(form): Form<TableForm>) -> AppResult<Response> {
    require_admin(&u)?;
    let (fields, mut errors) = form.validate();
    if errors.is_empty() {
        let mut tx = u.db().await?;
        if store::library_table_named(&mut tx, &fields.name, None)
            .await?
            .is_some()
        {
            errors.add("name", NAME_TAKEN);
        } else {
            let id = store::insert_table(&mut tx, &Actor::user(&u), &fields).await?;
            return done(tx, id, "").await;
        }
    }
    new_page(&u, StatusCode::UNPROCESSABLE_ENTITY, form, errors)
}
