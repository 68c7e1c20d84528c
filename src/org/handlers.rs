//! Unit pages.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;

use crate::AppState;
use crate::auth::{CurrentUser, Role, policy};
use crate::db::tenant_tx;
use crate::error::{AppError, AppResult};
use crate::org::store::{self, StaffRow, Unit, UnitListRow};
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "org/units.html")]
struct UnitsPage {
    l: Layout,
    units: Vec<UnitListRow>,
}

pub async fn list(State(st): State<AppState>, u: CurrentUser) -> AppResult<Html<String>> {
    if !policy::may_list_units(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    let units = store::list_units(&mut tx, u.tenant_id).await?;
    tx.commit().await?;
    let page = UnitsPage {
        l: Layout::for_user(&u, "Đơn vị", "units"),
        units,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "org/unit.html")]
struct UnitPage {
    l: Layout,
    unit: Unit,
    staff: Vec<StaffRow>,
}

impl UnitPage {
    fn role_label(&self, role: &str) -> &'static str {
        Role::parse(role).map(Role::label).unwrap_or("")
    }
}

pub async fn show(
    State(st): State<AppState>,
    u: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Html<String>> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    // Another tenant's id is simply not found; a unit of one's own tenant that one may not see
    // is forbidden.
    let unit = store::unit(&mut tx, u.tenant_id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::may_view_unit(&u, unit.id) {
        return Err(AppError::Forbidden);
    }
    let staff = store::unit_staff(&mut tx, u.tenant_id, unit.id).await?;
    tx.commit().await?;
    let page = UnitPage {
        l: Layout::for_user(&u, &unit.name, "units"),
        unit,
        staff,
    };
    Ok(Html(page.render()?))
}
