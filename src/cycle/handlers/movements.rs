//! Movements (phong trào thi đua): launched by the council for any cluster, or by a cluster's
//! leader unit for its own cluster; read by the units they concern.

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::audit::Actor;
use crate::auth::{CurrentUser, Role, policy};
use crate::cycle::forms::MovementForm;
use crate::cycle::model::{MOVEMENT_KINDS, movement_kind_label};
use crate::cycle::store::movements::{self as store, Movement};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::web::forms::Errors;
use crate::web::forms::Pairs;
use crate::web::ids::Ids;
use crate::web::layout::Layout;

/// The clusters this user may launch a movement for.
async fn launchable(conn: &mut TenantTx, u: &CurrentUser) -> AppResult<Vec<(i64, String)>> {
    Ok(match (u.role, u.unit_id) {
        (Role::TenantAdmin, _) => store::open_clusters(conn).await?,
        (Role::UnitHead | Role::UnitOfficer, Some(unit)) => {
            store::clusters_led_by(conn, unit).await?
        }
        _ => Vec::new(),
    })
}

fn period(m: &Movement) -> String {
    match m.ends_on {
        Some(e) => format!(
            "{} – {}",
            m.starts_on.format("%d/%m/%Y"),
            e.format("%d/%m/%Y")
        ),
        None => format!("Từ {}", m.starts_on.format("%d/%m/%Y")),
    }
}

#[derive(Template)]
#[template(path = "cycle/movements.html")]
struct ListPage {
    l: Layout,
    movements: Vec<Movement>,
    may_launch: bool,
    admin: bool,
}

impl ListPage {
    fn kind_label(&self, k: &str) -> &'static str {
        movement_kind_label(k)
    }

    fn period(&self, m: &Movement) -> String {
        period(m)
    }
}

pub async fn list(u: CurrentUser) -> AppResult<Html<String>> {
    if !policy::may_list_movements(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let movements = match (u.role, u.unit_id) {
        (Role::TenantAdmin, _) => store::all(&mut tx).await?,
        (_, Some(unit)) => store::for_unit(&mut tx, unit).await?,
        _ => Vec::new(),
    };
    let leads = !launchable(&mut tx, &u).await?.is_empty();
    tx.commit().await?;
    let page = ListPage {
        l: Layout::for_user(&u, "Phong trào thi đua", "movements"),
        movements,
        may_launch: policy::may_launch_movement(&u, leads),
        admin: policy::may_manage_award_types(&u),
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "cycle/movement.html")]
struct ShowPage {
    l: Layout,
    m: Movement,
    may_edit: bool,
}

impl ShowPage {
    fn kind_label(&self) -> &'static str {
        movement_kind_label(&self.m.kind)
    }

    fn period(&self) -> String {
        period(&self.m)
    }

    fn paragraphs(&self) -> Vec<&str> {
        self.m
            .content
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

/// Loads a movement of the tenant (404 otherwise) and whether this user may edit it.
async fn load(
    conn: &mut TenantTx,
    u: &CurrentUser,
    id: i64,
) -> AppResult<(Movement, bool, Vec<(i64, String)>)> {
    let m = store::movement(conn, id).await?.ok_or(AppError::NotFound)?;
    let concerns = match u.unit_id {
        Some(unit) => store::concerns_unit(conn, m.id, unit).await?,
        None => false,
    };
    if !policy::may_view_movement(u, concerns) {
        return Err(AppError::Forbidden);
    }
    let allowed = launchable(conn, u).await?;
    let its_clusters = store::cluster_ids(conn, m.id).await?;
    let leads_all = its_clusters
        .iter()
        .all(|c| allowed.iter().any(|(a, _)| a == c));
    let may_edit = policy::may_edit_movement(u, m.launched_by_unit_id, leads_all);
    Ok((m, may_edit, allowed))
}

pub async fn show(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Html<String>> {
    let mut tx = u.db().await?;
    let (m, may_edit, _) = load(&mut tx, &u, id).await?;
    tx.commit().await?;
    let page = ShowPage {
        l: Layout::for_user(&u, &m.name, "movements"),
        m,
        may_edit,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "cycle/movement_form.html")]
struct FormPage {
    l: Layout,
    action: String,
    form: MovementForm,
    errors: Errors,
    clusters: Vec<(i64, String)>,
    kinds: &'static [(&'static str, &'static str)],
    is_new: bool,
}

fn form_page(
    u: &CurrentUser,
    status: StatusCode,
    id: Option<i64>,
    form: MovementForm,
    errors: Errors,
    clusters: Vec<(i64, String)>,
) -> AppResult<Response> {
    let (title, action) = match id {
        Some(id) => ("Sửa phong trào thi đua", format!("/movements/{id}/edit")),
        None => ("Phát động phong trào thi đua", "/movements/new".to_string()),
    };
    let page = FormPage {
        l: Layout::for_user(u, title, "movements"),
        action,
        form,
        errors,
        clusters,
        kinds: &MOVEMENT_KINDS,
        is_new: id.is_none(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn new_form(u: CurrentUser) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let clusters = launchable(&mut tx, &u).await?;
    tx.commit().await?;
    if !policy::may_launch_movement(&u, !clusters.is_empty()) {
        return Err(AppError::Forbidden);
    }
    let form = MovementForm {
        kind: "thuong_xuyen".into(),
        // A leader unit of a single cluster launches for that cluster: tick it already.
        clusters: if clusters.len() == 1 {
            vec![clusters[0].0.to_string()]
        } else {
            Vec::new()
        },
        ..MovementForm::default()
    };
    form_page(&u, StatusCode::OK, None, form, Errors::default(), clusters)
}

pub async fn create(u: CurrentUser, Form(pairs): Form<Pairs>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let clusters = launchable(&mut tx, &u).await?;
    if !policy::may_launch_movement(&u, !clusters.is_empty()) {
        return Err(AppError::Forbidden);
    }
    let form = MovementForm::from_pairs(&pairs);
    let (fields, errors) = form.validate(&clusters);
    if !errors.is_empty() {
        drop(tx);
        return form_page(
            &u,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            form,
            errors,
            clusters,
        );
    }
    let launched_by = if u.role.needs_unit() { u.unit_id } else { None };
    let id = store::insert(&mut tx, &Actor::user(&u), launched_by, &fields).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/movements/{id}")).into_response())
}

pub async fn edit_form(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (m, may_edit, clusters) = load(&mut tx, &u, id).await?;
    if !may_edit {
        return Err(AppError::Forbidden);
    }
    let cluster_ids = store::cluster_ids(&mut tx, m.id).await?;
    tx.commit().await?;
    let form = MovementForm::from_fields(&store::MovementFields {
        name: m.name.clone(),
        kind: m.kind.clone(),
        starts_on: Some(m.starts_on),
        ends_on: m.ends_on,
        content: m.content.clone(),
        cluster_ids,
    });
    form_page(
        &u,
        StatusCode::OK,
        Some(m.id),
        form,
        Errors::default(),
        clusters,
    )
}

pub async fn update(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(pairs): Form<Pairs>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (m, may_edit, clusters) = load(&mut tx, &u, id).await?;
    if !may_edit {
        return Err(AppError::Forbidden);
    }
    let form = MovementForm::from_pairs(&pairs);
    let (fields, errors) = form.validate(&clusters);
    if !errors.is_empty() {
        drop(tx);
        return form_page(
            &u,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(m.id),
            form,
            errors,
            clusters,
        );
    }
    store::update(&mut tx, &Actor::user(&u), &m, &fields).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/movements/{}", m.id)).into_response())
}
