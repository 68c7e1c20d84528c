//! People of the tenant: list, create with a one-time password, reset, disable.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::admin;
use crate::audit::Actor;
use crate::auth::store::{self as auth_store, UserListRow};
use crate::auth::{CurrentUser, Role, policy};
use crate::error::{AppError, AppResult};
use crate::org::forms::UserForm;
use crate::org::handlers::units::PAGE_SIZE;
use crate::org::store;
use crate::web::forms::Errors;
use crate::web::ids::Ids;
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "org/users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<UserListRow>,
    q: String,
    page: i64,
    last_page: i64,
    total: i64,
    csrf: String,
}

impl UsersPage {
    fn role_label(&self, role: &str) -> &'static str {
        Role::parse(role).map(Role::label).unwrap_or("")
    }

    fn page_link(&self, page: i64) -> String {
        format!("/users?q={}&page={page}", crate::web::url_encode(&self.q))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    page: String,
}

pub async fn list(u: CurrentUser, Query(q): Query<ListQuery>) -> AppResult<Html<String>> {
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    let query: String = q.q.trim().chars().take(100).collect();
    let page_no: i64 = q.page.parse().unwrap_or(1);
    let mut tx = u.read().await?;
    let (users, paged) = auth_store::search_users(&mut tx, &query, page_no, PAGE_SIZE).await?;
    tx.commit().await?;
    let page = UsersPage {
        l: Layout::for_user(&u, "Người dùng", "users"),
        users,
        q: query,
        page: paged.page,
        last_page: paged.last_page,
        total: paged.total,
        csrf: u.csrf_token.clone(),
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "org/user_form.html")]
struct UserFormPage {
    l: Layout,
    form: UserForm,
    errors: Errors,
    units: Vec<(i64, String)>,
}

impl UserFormPage {
    fn unit_selected(&self, id: &i64) -> bool {
        self.form.unit_id == id.to_string()
    }
}

async fn form_page(
    u: &CurrentUser,
    status: StatusCode,
    form: UserForm,
    errors: Errors,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let units = store::active_units(&mut tx).await?;
    tx.commit().await?;
    let page = UserFormPage {
        l: Layout::for_user(u, "Thêm người dùng", "users"),
        form,
        errors,
        units,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn new_form(u: CurrentUser) -> AppResult<Response> {
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    let form = UserForm {
        role: "unit_officer".into(),
        ..Default::default()
    };
    form_page(&u, StatusCode::OK, form, Errors::default()).await
}

#[derive(Template)]
#[template(path = "org/one_time_password.html")]
struct OneTimePasswordPage {
    l: Layout,
    full_name: String,
    username: String,
    otp: String,
    created: bool,
}

pub async fn create(u: CurrentUser, Form(form): Form<UserForm>) -> AppResult<Response> {
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    let mut e = Errors::default();
    let c = form.check(&mut e);
    let mut tx = u.db().await?;
    if let Some(id) = c.unit_id
        && !store::unit(&mut tx, id)
            .await?
            .is_some_and(|unit| unit.active)
    {
        e.add("unit_id", "Hãy chọn một đơn vị đang hoạt động.");
    }
    if !e.has("username") && auth_store::username_taken(&mut tx, &c.username).await? {
        e.add(
            "username",
            "Tên đăng nhập này đã được dùng; hãy chọn tên khác.",
        );
    }
    let (true, Some(role)) = (e.is_empty(), c.role) else {
        drop(tx);
        return form_page(&u, StatusCode::UNPROCESSABLE_ENTITY, form, e).await;
    };
    let otp = admin::issue_account(
        &mut tx,
        &Actor::user(&u),
        &c.username,
        &c.full_name,
        role,
        c.unit_id,
    )
    .await?;
    crate::notify::account_issued(&mut tx, &u, &c.username, false).await?;
    if let Some(email) = &c.email {
        store::set_user_email(&mut tx, &Actor::user(&u), &c.username, email).await?;
    }
    tx.commit().await?;
    let page = OneTimePasswordPage {
        l: Layout::for_user(&u, "Đã tạo tài khoản", "users"),
        full_name: c.full_name,
        username: c.username,
        otp,
        created: true,
    };
    Ok(Html(page.render()?).into_response())
}

async fn load(u: &CurrentUser, id: i64) -> AppResult<UserListRow> {
    let mut tx = u.db().await?;
    let row = auth_store::user_row(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    if !policy::may_manage_org(u) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

pub async fn reset_password(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let target = load(&u, id).await?;
    let mut tx = u.db().await?;
    let otp = admin::reset_account(&mut tx, &Actor::user(&u), target.id).await?;
    crate::notify::account_issued(&mut tx, &u, &target.username, true).await?;
    tx.commit().await?;
    let page = OneTimePasswordPage {
        l: Layout::for_user(&u, "Đã cấp lại mật khẩu", "users"),
        full_name: target.full_name,
        username: target.username,
        otp,
        created: false,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Deserialize)]
pub struct DisabledForm {
    disabled: String,
}

pub async fn set_disabled(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<DisabledForm>,
) -> AppResult<Response> {
    let target = load(&u, id).await?;
    if target.id == u.user_id {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    auth_store::set_disabled(&mut tx, &Actor::user(&u), target.id, f.disabled == "true").await?;
    tx.commit().await?;
    Ok(Redirect::to("/users").into_response())
}
