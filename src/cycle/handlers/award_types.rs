//! Award types (danh hiệu thi đua, hình thức khen thưởng): the council's list, edited by its
//! staff.

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::cycle::forms::AwardTypeForm;
use crate::cycle::model::{self, DENOMINATORS, LEVELS};
use crate::cycle::store::{self, AwardType};
use crate::error::{AppError, AppResult};
use crate::web::forms::Errors;
use crate::web::forms::decimal_vn;
use crate::web::ids::Ids;
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "cycle/award_types.html")]
struct ListPage {
    l: Layout,
    types: Vec<AwardType>,
}

impl ListPage {
    fn target_label(&self, t: &str) -> &'static str {
        model::target_label(t)
    }

    fn level_label<'a>(&self, l: &'a str) -> &'a str {
        model::level_label(l)
    }

    fn denominator_label(&self, d: &str) -> &'static str {
        model::denominator_label(d)
    }

    fn threshold(&self, t: &AwardType) -> String {
        decimal_vn(t.f.vote_threshold)
    }
}

pub async fn list(u: CurrentUser) -> AppResult<Html<String>> {
    if !policy::may_manage_award_types(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let types = store::award_types(&mut tx).await?;
    tx.commit().await?;
    let page = ListPage {
        l: Layout::for_user(&u, "Danh hiệu thi đua, hình thức khen thưởng", "movements"),
        types,
    };
    Ok(Html(page.render()?))
}

/// Adds back any of the law's award types the tenant lacks (a tenant created before the list
/// existed, or one that renamed a seeded type and wants the legal name again).
pub async fn seed(u: CurrentUser) -> AppResult<Response> {
    if !policy::may_manage_award_types(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    store::seed_award_types(&mut tx, &Actor::user(&u)).await?;
    tx.commit().await?;
    Ok(Redirect::to("/award-types").into_response())
}

#[derive(Template)]
#[template(path = "cycle/award_type_form.html")]
struct FormPage {
    l: Layout,
    action: String,
    form: AwardTypeForm,
    errors: Errors,
    /// Candidates for the prerequisite: every other type.
    others: Vec<(i64, String)>,
    levels: &'static [(&'static str, &'static str)],
    denominators: &'static [(&'static str, &'static str)],
    is_new: bool,
}

async fn form_page(
    u: &CurrentUser,
    status: StatusCode,
    id: Option<i64>,
    form: AwardTypeForm,
    errors: Errors,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let others = store::award_types(&mut tx)
        .await?
        .into_iter()
        .filter(|t| Some(t.id) != id)
        .map(|t| (t.id, t.f.name))
        .collect();
    tx.commit().await?;
    let (title, action) = match id {
        Some(id) => (
            "Sửa danh hiệu, hình thức khen thưởng",
            format!("/award-types/{id}/edit"),
        ),
        None => (
            "Thêm danh hiệu, hình thức khen thưởng",
            "/award-types/new".to_string(),
        ),
    };
    let page = FormPage {
        l: Layout::for_user(u, title, "movements"),
        action,
        form,
        errors,
        others,
        levels: &LEVELS,
        denominators: &DENOMINATORS,
        is_new: id.is_none(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn new_form(u: CurrentUser) -> AppResult<Response> {
    if !policy::may_manage_award_types(&u) {
        return Err(AppError::Forbidden);
    }
    let form = AwardTypeForm::from(&store::AwardTypeFields::default());
    form_page(&u, StatusCode::OK, None, form, Errors::default()).await
}

fn duplicate_name(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.constraint())
        .is_some_and(|c| c == "award_types_tenant_id_name_key")
}

/// Saves a new (id None) or existing award type, or shows the form again with the reasons.
async fn save(u: &CurrentUser, id: Option<i64>, form: AwardTypeForm) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let types = store::award_types(&mut tx).await?;
    let (fields, mut errors) = form.validate(id, &types);
    if errors.is_empty() {
        let actor = Actor::user(u);
        let result = match id {
            Some(id) => store::update_award_type(&mut tx, &actor, id, &fields)
                .await
                .map(|_| id),
            None => store::insert_award_type(&mut tx, &actor, &fields).await,
        };
        match result {
            Ok(_) => {
                tx.commit().await?;
                return Ok(Redirect::to("/award-types").into_response());
            }
            Err(e) if duplicate_name(&e) => errors.add(
                "name",
                "Đã có danh hiệu, hình thức khen thưởng mang tên này.",
            ),
            Err(e) => return Err(e.into()),
        }
    }
    drop(tx);
    form_page(u, StatusCode::UNPROCESSABLE_ENTITY, id, form, errors).await
}

pub async fn create(u: CurrentUser, Form(form): Form<AwardTypeForm>) -> AppResult<Response> {
    if !policy::may_manage_award_types(&u) {
        return Err(AppError::Forbidden);
    }
    save(&u, None, form).await
}

async fn load(u: &CurrentUser, id: i64) -> AppResult<AwardType> {
    let mut tx = u.db().await?;
    let t = store::award_type(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    if !policy::may_manage_award_types(u) {
        return Err(AppError::Forbidden);
    }
    Ok(t)
}

pub async fn edit_form(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let t = load(&u, id).await?;
    let form = AwardTypeForm::from(&t.f);
    form_page(&u, StatusCode::OK, Some(t.id), form, Errors::default()).await
}

pub async fn update(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(form): Form<AwardTypeForm>,
) -> AppResult<Response> {
    let t = load(&u, id).await?;
    save(&u, Some(t.id), form).await
}
