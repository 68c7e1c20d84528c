//! Unit pages: the list with search, create, edit, deactivate, and a unit's own page.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::audit::Actor;
use crate::auth::{CurrentUser, Role, policy};
use crate::error::{AppError, AppResult};
use crate::org::forms::UnitForm;
use crate::org::model::{Phase, kind_label};
use crate::org::store::{self, ClusterYear, StaffRow, Unit, UnitListRow};
use crate::web::forms::Errors;
use crate::web::ids::Ids;
use crate::web::layout::Layout;

pub const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "org/units.html")]
struct UnitsPage {
    l: Layout,
    units: Vec<UnitListRow>,
    q: String,
    page: i64,
    last_page: i64,
    total: i64,
}

impl UnitsPage {
    fn page_link(&self, page: i64) -> String {
        format!("/units?q={}&page={page}", crate::web::url_encode(&self.q))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    page: String,
}

pub async fn list(u: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Html<String>> {
    if !policy::may_list_units(&u) {
        return Err(AppError::Forbidden);
    }
    let query: String = q.q.trim().chars().take(100).collect();
    let mut tx = u.read().await?;
    let (units, paged) =
        store::search_units(&mut tx, &query, q.page.parse().unwrap_or(1), PAGE_SIZE).await?;
    tx.commit().await?;
    let page = UnitsPage {
        l: Layout::for_user(&u, "Đơn vị", "units"),
        units,
        q: query,
        page: paged.page,
        last_page: paged.last_page,
        total: paged.total,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "org/unit_form.html")]
struct UnitFormPage {
    l: Layout,
    action: String,
    form: UnitForm,
    errors: Errors,
    kinds: Vec<String>,
    is_new: bool,
}

async fn form_page(
    u: &CurrentUser,
    status: StatusCode,
    unit_id: Option<i64>,
    form: UnitForm,
    errors: Errors,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let kinds = store::unit_kinds(&mut tx).await?;
    tx.commit().await?;
    let (title, action) = match unit_id {
        Some(id) => ("Sửa thông tin đơn vị", format!("/units/{id}/edit")),
        None => ("Thêm đơn vị", "/units/new".to_string()),
    };
    let page = UnitFormPage {
        l: Layout::for_user(u, title, "units"),
        action,
        form,
        errors,
        kinds,
        is_new: unit_id.is_none(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn new_form(u: CurrentUser) -> AppResult<Response> {
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    form_page(
        &u,
        StatusCode::OK,
        None,
        UnitForm::default(),
        Errors::default(),
    )
    .await
}

fn duplicate_code(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.constraint())
        .is_some_and(|c| c == "units_tenant_id_code_key")
}

pub async fn create(u: CurrentUser, Form(form): Form<UnitForm>) -> AppResult<Response> {
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    let (fields, mut errors) = form.validate();
    if errors.is_empty() {
        let mut tx = u.db().await?;
        match store::insert_unit(&mut tx, &Actor::user(&u), &fields).await {
            Ok(id) => {
                tx.commit().await?;
                return Ok(Redirect::to(&format!("/units/{id}?saved=1")).into_response());
            }
            Err(e) if duplicate_code(&e) => {
                errors.add("code", "Mã đơn vị này đã được dùng cho đơn vị khác.")
            }
            Err(e) => return Err(e.into()),
        }
    }
    form_page(&u, StatusCode::UNPROCESSABLE_ENTITY, None, form, errors).await
}

pub async fn edit_form(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let unit = store::unit(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    form_page(
        &u,
        StatusCode::OK,
        Some(id),
        UnitForm::from(&unit.f),
        Errors::default(),
    )
    .await
}

pub async fn update(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(form): Form<UnitForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    store::unit(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    let (fields, mut errors) = form.validate();
    if errors.is_empty() {
        match store::update_unit(&mut tx, &Actor::user(&u), id, &fields).await {
            Ok(_) => {
                tx.commit().await?;
                return Ok(Redirect::to(&format!("/units/{id}?saved=1")).into_response());
            }
            Err(e) if duplicate_code(&e) => {
                errors.add("code", "Mã đơn vị này đã được dùng cho đơn vị khác.")
            }
            Err(e) => return Err(e.into()),
        }
    }
    drop(tx);
    form_page(&u, StatusCode::UNPROCESSABLE_ENTITY, Some(id), form, errors).await
}

#[derive(Deserialize)]
pub struct ActiveForm {
    active: String,
}

/// Units with history are never deleted: they are deactivated, and can come back.
pub async fn set_active(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<ActiveForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    store::unit(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    store::set_unit_active(&mut tx, &Actor::user(&u), id, f.active == "true").await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/units/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "org/unit.html")]
struct UnitPage {
    l: Layout,
    unit: Unit,
    staff: Vec<StaffRow>,
    years: Vec<ClusterYear>,
    admin: bool,
    csrf: String,
    /// Just saved: the page says so (issue 17, item 11).
    saved: bool,
}

impl UnitPage {
    fn role_label(&self, role: &str) -> &'static str {
        Role::parse(role).map(Role::label).unwrap_or("")
    }

    fn kind_label(&self, kind: &str) -> &'static str {
        kind_label(kind)
    }

    fn phase_label(&self, phase: &Phase) -> &'static str {
        phase.label()
    }

    fn role_in(&self, y: &ClusterYear) -> &'static str {
        if y.leader_unit_id == Some(self.unit.id) {
            "Cụm trưởng"
        } else if y.deputy_unit_id == Some(self.unit.id) {
            "Cụm phó"
        } else {
            "Thành viên"
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Shown {
    saved: String,
}

pub async fn show(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Query(q): Query<Shown>,
) -> AppResult<Html<String>> {
    let mut tx = u.db().await?;
    // Another tenant's id is simply not found; a unit of one's own tenant that one may not see
    // is forbidden.
    let unit = store::unit(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if !policy::may_view_unit(&u, unit.id) {
        return Err(AppError::Forbidden);
    }
    let staff = store::unit_staff(&mut tx, unit.id).await?;
    let years = store::years_of_unit(&mut tx, unit.id).await?;
    tx.commit().await?;
    let page = UnitPage {
        l: Layout::for_user(&u, &unit.f.name, "units"),
        unit,
        staff,
        years,
        admin: policy::may_manage_org(&u),
        csrf: u.csrf_token.clone(),
        saved: !q.saved.is_empty(),
    };
    Ok(Html(page.render()?))
}
