//! Clusters and blocs (cụm, khối thi đua): list, create, edit, archive, and a cluster's years.

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::org::forms::ClusterForm;
use crate::org::model::{Phase, kind_label};
use crate::org::store::{self, Cluster, ClusterListRow, ClusterYear};
use crate::web::forms::Errors;
use crate::web::ids::Ids;
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "org/clusters.html")]
struct ClustersPage {
    l: Layout,
    clusters: Vec<ClusterListRow>,
}

impl ClustersPage {
    fn kind_label(&self, kind: &str) -> &'static str {
        kind_label(kind)
    }
}

pub async fn list(u: CurrentUser) -> AppResult<Html<String>> {
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let clusters = store::list_clusters(&mut tx).await?;
    tx.commit().await?;
    let page = ClustersPage {
        l: Layout::for_user(&u, "Cụm, khối thi đua", "clusters"),
        clusters,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "org/cluster_form.html")]
struct ClusterFormPage {
    l: Layout,
    action: String,
    form: ClusterForm,
    errors: Errors,
}

fn form_page(
    u: &CurrentUser,
    status: StatusCode,
    id: Option<i64>,
    form: ClusterForm,
    errors: Errors,
) -> AppResult<Response> {
    let (title, action) = match id {
        Some(id) => ("Sửa cụm, khối thi đua", format!("/clusters/{id}/edit")),
        None => ("Lập cụm, khối thi đua", "/clusters/new".to_string()),
    };
    let page = ClusterFormPage {
        l: Layout::for_user(u, title, "clusters"),
        action,
        form,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn new_form(u: CurrentUser) -> AppResult<Response> {
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    let form = ClusterForm {
        kind: "cum".into(),
        ..Default::default()
    };
    form_page(&u, StatusCode::OK, None, form, Errors::default())
}

fn duplicate_name(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.constraint())
        .is_some_and(|c| c == "clusters_tenant_id_name_key")
}

pub async fn create(u: CurrentUser, Form(form): Form<ClusterForm>) -> AppResult<Response> {
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    let (fields, mut errors) = form.validate();
    if errors.is_empty() {
        let mut tx = u.db().await?;
        match store::insert_cluster(&mut tx, &Actor::user(&u), &fields).await {
            Ok(id) => {
                tx.commit().await?;
                return Ok(Redirect::to(&format!("/clusters/{id}")).into_response());
            }
            Err(e) if duplicate_name(&e) => {
                errors.add("name", "Đã có cụm, khối thi đua mang tên này.")
            }
            Err(e) => return Err(e.into()),
        }
    }
    form_page(&u, StatusCode::UNPROCESSABLE_ENTITY, None, form, errors)
}

async fn load(u: &CurrentUser, id: i64) -> AppResult<Cluster> {
    let mut tx = u.db().await?;
    let c = store::cluster(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    if !policy::may_manage_org(u) {
        return Err(AppError::Forbidden);
    }
    Ok(c)
}

pub async fn edit_form(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let c = load(&u, id).await?;
    form_page(
        &u,
        StatusCode::OK,
        Some(c.id),
        ClusterForm::from(&c.f),
        Errors::default(),
    )
}

pub async fn update(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(form): Form<ClusterForm>,
) -> AppResult<Response> {
    let c = load(&u, id).await?;
    let (fields, mut errors) = form.validate();
    let mut tx = u.db().await?;
    // Memberships record the kind, so that a unit is in one cluster of a kind per year; a
    // cluster that has years keeps its kind.
    if errors.is_empty()
        && fields.kind != c.f.kind
        && store::cluster_has_years(&mut tx, c.id).await?
    {
        errors.add(
            "kind",
            "Cụm, khối đã có năm thi đua nên không đổi được loại. Hãy lập cụm, khối mới.",
        );
    }
    if errors.is_empty() {
        match store::update_cluster(&mut tx, &Actor::user(&u), c.id, &fields).await {
            Ok(_) => {
                tx.commit().await?;
                return Ok(Redirect::to(&format!("/clusters/{}", c.id)).into_response());
            }
            Err(e) if duplicate_name(&e) => {
                errors.add("name", "Đã có cụm, khối thi đua mang tên này.")
            }
            Err(e) => return Err(e.into()),
        }
    }
    form_page(
        &u,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some(c.id),
        form,
        errors,
    )
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    archived: String,
}

pub async fn set_archived(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<ArchiveForm>,
) -> AppResult<Response> {
    let c = load(&u, id).await?;
    let mut tx = u.db().await?;
    store::set_cluster_archived(&mut tx, &Actor::user(&u), c.id, f.archived == "true").await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/clusters/{}", c.id)).into_response())
}

#[derive(Template)]
#[template(path = "org/cluster.html")]
pub struct ClusterPage {
    pub l: Layout,
    pub cluster: Cluster,
    pub years: Vec<ClusterYear>,
    pub csrf: String,
    pub year_input: String,
    pub errors: Errors,
}

impl ClusterPage {
    fn kind_label(&self, kind: &str) -> &'static str {
        kind_label(kind)
    }

    fn phase_label(&self, phase: &Phase) -> &'static str {
        phase.label()
    }
}

pub async fn cluster_page(
    u: &CurrentUser,
    cluster: Cluster,
    status: StatusCode,
    year_input: String,
    errors: Errors,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let years = store::years_of_cluster(&mut tx, cluster.id).await?;
    tx.commit().await?;
    let page = ClusterPage {
        l: Layout::for_user(u, &cluster.f.name, "clusters"),
        cluster,
        years,
        csrf: u.csrf_token.clone(),
        year_input,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let c = load(&u, id).await?;
    cluster_page(&u, c, StatusCode::OK, String::new(), Errors::default()).await
}
