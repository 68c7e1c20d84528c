//! The phase of a cluster year set by hand: the council's correction, the leader moving on.
//! The work itself moves the phase in the database (migration 0020).

use axum::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::years::{load, year_page};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::org::model::{self, Phase, YearRole};
use crate::org::store;
use crate::web::forms::Errors;
use crate::web::ids::Ids;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PhaseForm {
    phase: String,
}

/// The council sets any phase (a correction that holds until a later step of the work); the
/// leader unit's staff move it one step on (issue 17, item 5).
pub async fn set_phase(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<PhaseForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (y, _, my_role) = load(&mut tx, &u, id).await?;
    let council = policy::may_manage_org(&u);
    // The leader's power follows from the year, like the pledge's and the dossier's.
    let leader = u.role.needs_unit() && my_role == Some(YearRole::Leader);
    if !(council || leader) {
        return Err(AppError::Forbidden);
    }
    let checked = match Phase::parse(&f.phase) {
        None => Err("Hãy chọn một giai đoạn trong danh sách."),
        Some(phase) => model::check_phase_change(y.phase, phase, council).map(|_| phase),
    };
    let phase = match checked {
        Ok(phase) => phase,
        Err(msg) => {
            drop(tx);
            let mut errors = Errors::default();
            errors.add("phase", msg);
            return year_page(&u, id, StatusCode::UNPROCESSABLE_ENTITY, errors).await;
        }
    };
    let note = if council {
        store::COUNCIL_SET_PHASE
    } else {
        store::LEADER_SET_PHASE
    };
    store::set_phase_by(&mut tx, &Actor::user(&u), &y, phase, note).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{}", y.id)).into_response())
}
