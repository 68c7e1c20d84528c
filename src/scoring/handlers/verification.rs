//! Verification (thẩm định) of a unit's sheet by the leader unit (or, for the leader's own
//! sheet, the deputy), returning it, finalising it, and extending one unit's deadline.

use axum::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::auth::policy;
use crate::error::{AppError, AppResult};
use crate::scoring::forms::{FormFields, Inputs};
use crate::scoring::handlers::sheet::{Shown, load, render, sheet_url};
use crate::scoring::handlers::year_ctx;
use crate::scoring::model;
use crate::scoring::store;
use crate::web::ids::Ids;

/// The verifier's figures: accept the claim (empty field) or set a figure with a reason.
pub async fn verify(
    u: CurrentUser,
    Ids((year, unit)): Ids<(i64, i64)>,
    Form(fields): FormFields,
) -> AppResult<Response> {
    let d = load(&u, year, unit).await?;
    if !d.access.verify {
        return Err(AppError::Forbidden);
    }
    let typed = Inputs::posted(fields);
    if !d.sheet.status.verifier_may_act() {
        let msg = "Bảng điểm không ở trạng thái chờ thẩm định.";
        return render(
            &u,
            &d,
            Shown::refused(StatusCode::CONFLICT, Some(typed), msg),
        );
    }
    let table = d.ctx.table.as_ref().expect("checked");
    let lines = match typed.verifications(table, &d.entries) {
        Ok(lines) => lines,
        Err(errors) => return render(&u, &d, Shown::invalid(Some(typed), errors)),
    };
    let changes = model::sheet::verification_changes(table, &d.entries, &lines);
    let said = changes.described();
    let mut tx = u.db().await?;
    store::save_verifications(&mut tx, &Actor::user(&u), d.sheet.id, changes).await?;
    crate::notify::sheet_verified(&mut tx, &u, d.ctx.y.id, d.sheet.unit_id, &said).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("{}?verified=1", sheet_url(&d))).into_response())
}

pub async fn return_sheet(
    u: CurrentUser,
    Ids((year, unit)): Ids<(i64, i64)>,
    Form(fields): FormFields,
) -> AppResult<Response> {
    let d = load(&u, year, unit).await?;
    if !d.access.verify {
        return Err(AppError::Forbidden);
    }
    let typed = Inputs::posted(fields);
    let (reason, next) = match typed.return_reason(d.sheet.status.return_to_unit()) {
        Ok(done) => done,
        Err(errors) => return render(&u, &d, Shown::invalid(Some(typed), errors)),
    };
    let mut tx = u.db().await?;
    store::set_status(&mut tx, &Actor::user(&u), &d.sheet, next, &reason).await?;
    crate::notify::sheet_returned(&mut tx, &u, d.ctx.y.id, d.sheet.unit_id, &reason).await?;
    tx.commit().await?;
    Ok(Redirect::to(&sheet_url(&d)).into_response())
}

/// Finalises: every unverified line takes the claimed figure; the unit then sees the result.
pub async fn finalise(u: CurrentUser, Ids((year, unit)): Ids<(i64, i64)>) -> AppResult<Response> {
    let d = load(&u, year, unit).await?;
    if !d.access.verify {
        return Err(AppError::Forbidden);
    }
    let Some(next) = d.sheet.status.finalise() else {
        return Ok(Redirect::to(&sheet_url(&d)).into_response());
    };
    let mut tx = u.db().await?;
    for accepted in model::sheet::accepted_claims(&d.entries) {
        store::save_verified(&mut tx, d.sheet.id, &accepted).await?;
    }
    store::set_status(&mut tx, &Actor::user(&u), &d.sheet, next, "").await?;
    crate::notify::sheet_finalised(&mut tx, &u, d.ctx.y.id, d.sheet.unit_id).await?;
    tx.commit().await?;
    // The page then offers the next sheet waiting and the way back to the dashboard.
    Ok(Redirect::to(&format!("{}?finalised=1", sheet_url(&d))).into_response())
}

/// The leader gives one unit more time. The leader need not see the sheet (a draft is the
/// unit's own), only manage the year's scoring.
pub async fn extend(
    u: CurrentUser,
    Ids((year, unit)): Ids<(i64, i64)>,
    Form(fields): FormFields,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let ctx = year_ctx(&mut tx, &u, year).await?;
    let sheet = store::sheet(&mut tx, ctx.y.id, unit)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::may_manage_scoring(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let date = match Inputs::posted(fields).deadline() {
        Ok(date) => date,
        // Back to the dashboard, where the field is, with the message.
        Err(msg) => {
            let to = format!(
                "/years/{}/scoring?error={}",
                ctx.y.id,
                crate::web::url_encode(&msg)
            );
            return Ok(Redirect::to(&to).into_response());
        }
    };
    store::set_deadline_override(&mut tx, &Actor::user(&u), &sheet, date).await?;
    if let Some(date) = date {
        crate::notify::deadline_extended(&mut tx, &u, ctx.y.id, unit, date).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{}/scoring", ctx.y.id)).into_response())
}
