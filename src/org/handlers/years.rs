//! Cluster years (năm thi đua): members, leader and deputy, phase, and the next year.

use std::collections::BTreeSet;

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::year_members::load_for_change;
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::forms::{check_year, optional_id};
use crate::org::handlers::clusters::cluster_page;
use crate::org::model::{self, PHASES, Phase, YearRole, kind_label};
use crate::org::store::{self, ClusterYear, MemberRow};
use crate::web::forms::Errors;
use crate::web::ids::Ids;
use crate::web::layout::Layout;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewYearForm {
    year: String,
    copy_previous: String,
}

/// Adds members to a year, refusing (with the reason) any unit already in another cluster of
/// the same kind that year. Nothing is added unless all can be.
pub(super) async fn add_members(
    conn: &mut TenantTx,
    actor: &Actor,
    y: &ClusterYear,
    units: &[(i64, String)],
) -> AppResult<Result<(), String>> {
    let mut clashes = Vec::new();
    for (unit_id, name) in units {
        if let Some((other_id, other)) =
            store::conflicting_membership(conn, *unit_id, &y.kind, y.year).await?
            && other_id != y.id
        {
            clashes.push(format!("{name} đã thuộc {other} năm {}", y.year));
        }
    }
    if !clashes.is_empty() {
        return Ok(Err(format!(
            "Mỗi đơn vị chỉ thuộc một {} trong một năm: {}.",
            kind_label(&y.kind).to_lowercase(),
            clashes.join("; ")
        )));
    }
    for (unit_id, _) in units {
        store::add_member(conn, actor, y, *unit_id).await?;
    }
    Ok(Ok(()))
}

/// The members of the latest year before `year`, still active, to carry into `year`.
async fn carried_members(
    conn: &mut TenantTx,
    cluster_id: i64,
    year: i32,
) -> AppResult<Vec<(i64, String)>> {
    let years = store::years_of_cluster(conn, cluster_id).await?;
    let Some(prev) = years.iter().find(|y| y.year < year) else {
        return Ok(Vec::new());
    };
    let members = store::members(conn, prev.id).await?;
    let inactive: BTreeSet<i64> = members
        .iter()
        .filter(|m| !m.active)
        .map(|m| m.unit_id)
        .collect();
    let ids: Vec<i64> = members.iter().map(|m| m.unit_id).collect();
    let keep = model::next_year_members(&ids, &inactive);
    Ok(members
        .into_iter()
        .filter(|m| keep.contains(&m.unit_id))
        .map(|m| (m.unit_id, m.name))
        .collect())
}

pub async fn create(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<NewYearForm>,
) -> AppResult<Response> {
    let cluster_id = id;
    let mut tx = u.db().await?;
    let cluster = store::cluster(&mut tx, cluster_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::may_manage_org(&u) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Errors::default();
    let year = check_year(&mut errors, "year", &f.year);
    if errors.is_empty()
        && store::year_of_cluster(&mut tx, cluster_id, year)
            .await?
            .is_some()
    {
        errors.add(
            "year",
            format!("{} đã có năm thi đua {year}.", cluster.f.name),
        );
    }
    if errors.is_empty() {
        let actor = Actor::user(&u);
        let year_id = store::insert_year(&mut tx, &actor, cluster_id, year).await?;
        if f.copy_previous == "on" {
            let carried = carried_members(&mut tx, cluster_id, year).await?;
            let y = store::cluster_year(&mut tx, year_id)
                .await?
                .ok_or(AppError::NotFound)?;
            if let Err(msg) = add_members(&mut tx, &actor, &y, &carried).await? {
                errors.add("year", msg);
            }
        }
        if errors.is_empty() {
            tx.commit().await?;
            return Ok(Redirect::to(&format!("/years/{year_id}")).into_response());
        }
    }
    drop(tx);
    cluster_page(
        &u,
        cluster,
        StatusCode::UNPROCESSABLE_ENTITY,
        f.year,
        errors,
    )
    .await
}

#[derive(Template)]
#[template(path = "org/year.html")]
struct YearPage {
    l: Layout,
    y: ClusterYear,
    members: Vec<MemberRow>,
    candidates: Vec<(i64, String)>,
    admin: bool,
    my_role: Option<YearRole>,
    my_unit: Option<i64>,
    csrf: String,
    errors: Errors,
    phases: &'static [(&'static str, &'static str)],
    /// What last moved the phase, and when.
    phase_note: Option<(String, String)>,
    /// Units ticked in the refused add-members form.
    ticked: Vec<i64>,
}

impl YearPage {
    fn kind_label(&self) -> &'static str {
        kind_label(&self.y.kind)
    }

    fn phase_label(&self) -> &'static str {
        self.y.phase.label()
    }

    fn my_role_label(&self) -> &'static str {
        match self.my_role {
            Some(YearRole::Leader) => "Đơn vị của bạn là cụm trưởng năm này.",
            Some(YearRole::Deputy) => "Đơn vị của bạn là cụm phó năm này.",
            Some(YearRole::Member) => "Đơn vị của bạn là thành viên năm này.",
            None => "",
        }
    }

    /// The phase the leader may move the year on to, if any.
    fn leader_next(&self) -> Option<Phase> {
        let next = self.y.phase.next()?;
        (!self.admin && self.my_role == Some(YearRole::Leader) && next != Phase::Closed)
            .then_some(next)
    }

    fn leads(&self) -> bool {
        self.admin || matches!(self.my_role, Some(YearRole::Leader | YearRole::Deputy))
    }

    fn is_ticked(&self, unit_id: &i64) -> bool {
        self.ticked.contains(unit_id)
    }

    fn is_leader(&self, unit_id: &i64) -> bool {
        self.y.leader_unit_id == Some(*unit_id)
    }

    fn is_deputy(&self, unit_id: &i64) -> bool {
        self.y.deputy_unit_id == Some(*unit_id)
    }
}

/// Loads a year and decides whether this user may see it (404 outside the tenant, 403 for a
/// unit that is not a member).
pub(super) async fn load(
    conn: &mut TenantTx,
    u: &CurrentUser,
    id: i64,
) -> AppResult<(ClusterYear, Vec<MemberRow>, Option<YearRole>)> {
    let year = crate::org::year::viewable_year(conn, u, id).await?;
    Ok((year.y, year.members, year.role))
}

pub(super) async fn year_page(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    errors: Errors,
) -> AppResult<Response> {
    year_page_ticked(u, id, status, errors, Vec::new()).await
}

pub(super) async fn year_page_ticked(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    errors: Errors,
    ticked: Vec<i64>,
) -> AppResult<Response> {
    let mut tx = u.read().await?;
    let (y, members, my_role) = load(&mut tx, u, id).await?;
    let admin = policy::may_manage_org(u);
    let candidates = if admin {
        let member_ids: BTreeSet<i64> = members.iter().map(|m| m.unit_id).collect();
        store::active_units(&mut tx)
            .await?
            .into_iter()
            .filter(|(id, _)| !member_ids.contains(id))
            .collect()
    } else {
        Vec::new()
    };
    let phase_note = store::phase_note(&mut tx, y.id)
        .await?
        .map(|(note, at)| (note, crate::web::vn::datetime(at)));
    tx.commit().await?;
    let title = format!("{} — năm {}", y.cluster_name, y.year);
    let page = YearPage {
        l: Layout::for_year(u, &title),
        y,
        members,
        candidates,
        admin,
        my_role,
        my_unit: u.unit_id.filter(|_| my_role.is_some()),
        csrf: u.csrf_token.clone(),
        errors,
        phases: &PHASES,
        phase_note,
        ticked,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    year_page(&u, id, StatusCode::OK, Errors::default()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RolesForm {
    leader: String,
    deputy: String,
}

pub async fn set_roles(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<RolesForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (y, members) = load_for_change(&mut tx, &u, id).await?;
    let mut errors = Errors::default();
    let leader = optional_id(&f.leader).unwrap_or_else(|_| {
        errors.add("leader", "Hãy chọn cụm trưởng trong danh sách thành viên.");
        None
    });
    let deputy = optional_id(&f.deputy).unwrap_or_else(|_| {
        errors.add("deputy", "Hãy chọn cụm phó trong danh sách thành viên.");
        None
    });
    let ids: Vec<i64> = members.iter().map(|m| m.unit_id).collect();
    for (field, msg) in model::check_roles(leader, deputy, &ids) {
        errors.add(field, msg);
    }
    if !errors.is_empty() {
        drop(tx);
        return year_page(&u, id, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    }
    store::set_roles(&mut tx, &Actor::user(&u), &y, leader, deputy).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{}", y.id)).into_response())
}

/// Starts the next year in one step: this year's active members, leader and deputy to choose.
pub async fn start_next(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (y, _) = load_for_change(&mut tx, &u, id).await?;
    let next = y.year + 1;
    if let Some(existing) = store::year_of_cluster(&mut tx, y.cluster_id, next).await? {
        return Ok(Redirect::to(&format!("/years/{}", existing.id)).into_response());
    }
    let actor = Actor::user(&u);
    let new_id = store::insert_year(&mut tx, &actor, y.cluster_id, next).await?;
    let carried = carried_members(&mut tx, y.cluster_id, next).await?;
    let new_year = store::cluster_year(&mut tx, new_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Err(msg) = add_members(&mut tx, &actor, &new_year, &carried).await? {
        drop(tx);
        let mut errors = Errors::default();
        errors.add("next", msg);
        return year_page(&u, id, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{new_id}")).into_response())
}
