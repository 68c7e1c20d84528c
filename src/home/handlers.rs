//! The home page of each role, and the platform operator's overview.

use askama::Template;
use axum::extract::Query;
use axum::response::Html;

use super::forms::HomeQuery;
use super::model::{self, YearFacts};
use super::store::{self as home_store, CouncilFigures, YearProgress};
use crate::auth::{CurrentUser, Role, policy};
use crate::cycle::store::UnitSteps;
use crate::error::{AppError, AppResult};
use crate::org::store::{self, ClusterYear, PlatformTenant};
use crate::scoring::tasks::{Past, Task, YearResults};
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Layout,
    role: &'static str,
    unit_id: Option<i64>,
    unit_name: String,
    council: CouncilFigures,
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

pub async fn home(u: CurrentUser, Query(q): Query<HomeQuery>) -> AppResult<Html<String>> {
    let mut tx = u.read().await?;
    let council = if u.role == Role::TenantAdmin {
        home_store::council_figures(&mut tx).await?
    } else {
        CouncilFigures::default()
    };
    let (years, members_of) = match u.unit_id {
        Some(unit) => crate::org::year::of_unit(&mut tx, unit).await?,
        None => Default::default(),
    };
    let today = crate::web::vn::today();
    let loaded = crate::scoring::tasks::load_years(&mut tx, &years, members_of, today).await?;
    let (tasks, history) = match u.unit_id {
        Some(unit) => (
            unit_tasks(&mut tx, &u, unit, &loaded, today).await?,
            crate::scoring::tasks::history(unit, &loaded),
        ),
        None => (Vec::new(), Vec::new()),
    };
    drop(loaded);
    tx.commit().await?;
    let page = HomePage {
        l: Layout::for_user(&u, "Trang chủ", "home"),
        role: u.role.as_str(),
        unit_id: u.unit_id,
        unit_name: u.unit_name.clone().unwrap_or_default(),
        council,
        years,
        tasks,
        history,
        password_changed: q.password_changed.is_some(),
    };
    Ok(Html(page.render()?))
}

/// Everything the unit's open years ask of the user: votes, the leader's setting-up, the pledge,
/// the registration and the sheet, the dossier.
async fn unit_tasks(
    tx: &mut crate::db::TenantTx,
    u: &CurrentUser,
    unit: i64,
    loaded: &[YearResults<'_>],
    today: chrono::NaiveDate,
) -> AppResult<Vec<Task>> {
    let open: Vec<&ClusterYear> = loaded
        .iter()
        .map(|yr| yr.year)
        .filter(|y| !y.phase.is_closed())
        .collect();
    let ids: Vec<i64> = open.iter().map(|y| y.id).collect();
    let mut progress = home_store::progress(tx, unit, &ids).await?;
    for p in &mut progress {
        p.members = loaded
            .iter()
            .find(|yr| yr.year.id == p.cluster_year_id)
            .map_or(0, |yr| yr.members.len() as i64);
    }
    let mut tasks = Vec::new();
    for (y, p) in open.iter().filter_map(|y| {
        progress
            .iter()
            .find(|p| p.cluster_year_id == y.id)
            .map(|p| (y, p))
    }) {
        let f = YearFacts {
            id: y.id,
            label: format!("{} năm {}", y.cluster_name, y.year),
            leads: y.leader_unit_id == Some(unit),
            head: u.role == Role::UnitHead,
            criteria_table: y.criteria_table_id.is_some(),
            scoring_deadline: y.scoring_deadline,
            registration_deadline: y.registration_deadline,
            progress: p,
        };
        tasks.extend(model::vote_tasks(&f));
        tasks.extend(model::leader_tasks(&f));
    }
    let steps: Vec<UnitSteps> = progress.iter().map(YearProgress::steps).collect();
    tasks.extend(crate::scoring::tasks::for_unit(unit, loaded, &steps, today));
    let dossiers = crate::proposals::store::dossiers_of_unit(tx, unit).await?;
    tasks.extend(crate::proposals::model::tasks(unit, &dossiers));
    Ok(tasks)
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
