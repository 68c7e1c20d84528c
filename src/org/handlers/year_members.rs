//! A cluster year's member units: several added in one step, one removed.

use axum::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::years::{add_members, load, year_page, year_page_ticked};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::forms::optional_id;
use crate::org::store::{self, ClusterYear, MemberRow};
use crate::web::forms::Errors;
use crate::web::ids::Ids;

/// Loads a year for a change: only the tenant's staff may change one.
pub(super) async fn load_for_change(
    conn: &mut TenantTx,
    u: &CurrentUser,
    id: i64,
) -> AppResult<(ClusterYear, Vec<MemberRow>)> {
    let (y, members, _) = load(conn, u, id).await?;
    if !policy::may_manage_org(u) {
        return Err(AppError::Forbidden);
    }
    Ok((y, members))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UnitPick {
    unit_id: String,
}

/// Adds every ticked unit in one step (issue 17, item 10); nothing is added unless all can be.
pub async fn add_member(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(pairs): Form<crate::web::forms::Pairs>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (y, members) = load_for_change(&mut tx, &u, id).await?;
    let mut errors = Errors::default();
    let mut picked: Vec<(i64, String)> = Vec::new();
    for value in crate::web::forms::all(&pairs, "unit_id") {
        let unit = match optional_id(value) {
            Ok(Some(uid)) => store::unit(&mut tx, uid).await?,
            Ok(None) => continue,
            Err(_) => None,
        };
        match unit {
            None => errors.add("unit_id", "Hãy chọn đơn vị trong danh sách."),
            Some(unit) if members.iter().any(|m| m.unit_id == unit.id) => {
                errors.add("unit_id", format!("{} đã là thành viên.", unit.f.name))
            }
            Some(unit) if !unit.active => {
                errors.add("unit_id", format!("{} đã ngừng hoạt động.", unit.f.name))
            }
            Some(unit) if picked.iter().any(|(p, _)| *p == unit.id) => {}
            Some(unit) => picked.push((unit.id, unit.f.name.clone())),
        }
    }
    if picked.is_empty() && errors.is_empty() {
        errors.add("unit_id", "Hãy đánh dấu ít nhất một đơn vị để thêm.");
    }
    if errors.is_empty()
        && let Err(msg) = add_members(&mut tx, &Actor::user(&u), &y, &picked).await?
    {
        errors.add("unit_id", msg);
    }
    if !errors.is_empty() {
        drop(tx);
        // The ticks come back as they were.
        let ticked: Vec<i64> = crate::web::forms::all(&pairs, "unit_id")
            .iter()
            .filter_map(|v| v.trim().parse().ok())
            .collect();
        return year_page_ticked(&u, id, StatusCode::UNPROCESSABLE_ENTITY, errors, ticked).await;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{}", y.id)).into_response())
}

pub async fn remove_member(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<UnitPick>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (y, _) = load_for_change(&mut tx, &u, id).await?;
    let unit_id = optional_id(&f.unit_id).ok().flatten();
    if unit_id.is_some() && (unit_id == y.leader_unit_id || unit_id == y.deputy_unit_id) {
        drop(tx);
        let mut errors = Errors::default();
        errors.add("members", "Đơn vị đang là cụm trưởng hoặc cụm phó; hãy chọn đơn vị khác giữ vai trò đó trước khi bỏ khỏi danh sách.");
        return year_page(&u, id, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
    }
    if let Some(unit_id) = unit_id {
        store::remove_member(&mut tx, &Actor::user(&u), y.id, unit_id).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{}", y.id)).into_response())
}
