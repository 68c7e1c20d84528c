//! The home page of each role, and the platform operator's overview.

use askama::Template;
use axum::extract::Query;
use axum::response::Html;
use serde::Deserialize;

use crate::auth::{CurrentUser, Role, policy};
use crate::error::{AppError, AppResult};
use crate::org::store::{self, ClusterYear, PlatformTenant};
use crate::scoring::tasks::{Past, Task};
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Layout,
    role: &'static str,
    unit_id: Option<i64>,
    unit_name: String,
    units: i64,
    users: i64,
    clusters: i64,
    years: Vec<ClusterYear>,
    tasks: Vec<Task>,
    history: Vec<Past>,
    password_changed: bool,
}

impl HomePage {
    fn role_in(&self, y: &ClusterYear) -> &'static str {
        match self.unit_id {
            Some(u) if y.leader_unit_id == Some(u) => "Cụm trưởng",
            Some(u) if y.deputy_unit_id == Some(u) => "Cụm phó",
            _ => "Thành viên",
        }
    }

    fn phase_label(&self, phase: &crate::org::model::Phase) -> &'static str {
        phase.label()
    }
}

#[derive(Deserialize)]
pub struct HomeQuery {
    password_changed: Option<String>,
}

pub async fn home(u: CurrentUser, Query(q): Query<HomeQuery>) -> AppResult<Html<String>> {
    let mut tx = u.db().await?;
    let (units, users, clusters) = if u.role == Role::TenantAdmin {
        store::counts(&mut tx).await?
    } else {
        (0, 0, 0)
    };
    let years = match u.unit_id {
        Some(unit) => store::years_of_unit(&mut tx, unit).await?,
        None => Vec::new(),
    };
    let today = chrono::Utc::now()
        .with_timezone(&crate::web::vn::vn_offset())
        .date_naive();
    let loaded = crate::scoring::tasks::load_years(&mut tx, &years, today).await?;
    let (mut tasks, history) = match u.unit_id {
        Some(unit) => (
            crate::scoring::tasks::for_unit(&mut tx, unit, &loaded, today).await?,
            crate::scoring::tasks::history(unit, &loaded),
        ),
        None => (Vec::new(), Vec::new()),
    };
    if let Some(unit) = u.unit_id {
        let dossiers = crate::proposals::store::dossiers_of_unit(&mut tx, unit).await?;
        tasks.extend(crate::proposals::model::tasks(unit, &dossiers));
    }
    drop(loaded);
    tx.commit().await?;
    let page = HomePage {
        l: Layout::for_user(&u, "Trang chủ", "home"),
        role: u.role.as_str(),
        unit_id: u.unit_id,
        unit_name: u.unit_name.clone().unwrap_or_default(),
        units,
        users,
        clusters,
        years,
        tasks,
        history,
        password_changed: q.password_changed.is_some(),
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "platform.html")]
struct PlatformPage {
    l: Layout,
    tenants: Vec<PlatformTenant>,
}

pub async fn platform(u: CurrentUser) -> AppResult<Html<String>> {
    if !policy::may_view_platform(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let tenants = store::platform_tenants(&mut tx).await?;
    tx.commit().await?;
    let page = PlatformPage {
        l: Layout::for_user(&u, "Đơn vị tổ chức", "platform"),
        tenants,
    };
    Ok(Html(page.render()?))
}
