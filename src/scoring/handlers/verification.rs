//! Verification (thẩm định) of a unit's sheet by the leader unit (or, for the leader's own
//! sheet, the deputy), returning it, finalising it, and extending one unit's deadline.

use std::collections::HashMap;

use axum::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::auth::policy;
use crate::error::{AppError, AppResult};
use crate::scoring::handlers::sheet::{FormFields, Inputs, load, render, sheet_url, to_map};
use crate::scoring::handlers::year_ctx;
use crate::scoring::model::{self, SheetStatus};
use crate::scoring::store::{self, Entry};
use crate::web::forms::{self, Errors};
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
    let status = SheetStatus::parse(&d.sheet.status);
    let f = to_map(fields);
    let typed = Inputs(f.clone());
    if !status.verifier_may_act() {
        let msg = "Bảng điểm không ở trạng thái chờ thẩm định.".to_string();
        return render(
            &u,
            &d,
            StatusCode::CONFLICT,
            Some(typed),
            Errors::default(),
            vec![msg],
            String::new(),
        );
    }
    let table = d.ctx.table.as_ref().expect("checked");
    let by_criterion: HashMap<i64, &Entry> =
        d.entries.iter().map(|e| (e.criterion_id, e)).collect();
    let mut errors = Errors::default();
    let mut changes = Vec::new();
    for c in &table.criteria {
        let Some(old) = by_criterion.get(&c.id) else {
            continue;
        };
        let typed_points = f.get(&format!("v_{}", c.id)).cloned().unwrap_or_default();
        let reason = f
            .get(&format!("vr_{}", c.id))
            .cloned()
            .unwrap_or_default()
            .trim()
            .to_string();
        let points = match model::parse_points(&typed_points) {
            Ok(Some(p)) => match model::check_points(p, c.max_points, c.step) {
                None => Some(p),
                Some(msg) => {
                    errors.add(format!("v_{}", c.id), msg);
                    continue;
                }
            },
            // Empty: the claimed figure stands.
            Ok(None) => old.self_points,
            Err(msg) => {
                errors.add(format!("v_{}", c.id), msg);
                continue;
            }
        };
        if points != old.self_points && reason.is_empty() {
            errors.add(
                format!("vr_{}", c.id),
                "Điểm thẩm định khác điểm tự chấm: hãy ghi lý do.",
            );
        }
        let e = Entry {
            criterion_id: c.id,
            verified_points: points,
            verify_reason: reason,
            ..(*old).clone()
        };
        if old.verified_points != e.verified_points || old.verify_reason != e.verify_reason {
            changes.push((c.code.clone(), old.verified_points, e));
        }
    }
    if !errors.is_empty() {
        return render(
            &u,
            &d,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(typed),
            errors,
            Vec::new(),
            String::new(),
        );
    }
    let mut tx = u.db().await?;
    let (mut b, mut a) = (serde_json::Map::new(), serde_json::Map::new());
    for (code, before, e) in &changes {
        store::save_verified(&mut tx, d.sheet.id, e).await?;
        b.insert(code.clone(), serde_json::json!(before.map(model::fmt)));
        a.insert(code.clone(), serde_json::json!({ "points": e.verified_points.map(model::fmt), "reason": e.verify_reason }));
    }
    if !changes.is_empty() {
        store::audit_entries(
            &mut tx,
            &Actor::user(&u),
            d.sheet.id,
            "verified",
            b.into(),
            a.into(),
        )
        .await?;
    }
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
    let f = to_map(fields);
    let reason = f
        .get("reason")
        .cloned()
        .unwrap_or_default()
        .trim()
        .to_string();
    let mut errors = Errors::default();
    if reason.is_empty() {
        errors.add("reason", "Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.");
    }
    if !SheetStatus::parse(&d.sheet.status).verifier_may_act() {
        errors.add("reason", "Bảng điểm không ở trạng thái chờ thẩm định.");
    }
    if !errors.is_empty() {
        return render(
            &u,
            &d,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(Inputs(f)),
            errors,
            Vec::new(),
            String::new(),
        );
    }
    let mut tx = u.db().await?;
    store::set_status(
        &mut tx,
        &Actor::user(&u),
        &d.sheet,
        SheetStatus::Returned.as_str(),
        &reason,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&sheet_url(&d)).into_response())
}

/// Finalises: every unverified line takes the claimed figure; the unit then sees the result.
pub async fn finalise(u: CurrentUser, Ids((year, unit)): Ids<(i64, i64)>) -> AppResult<Response> {
    let d = load(&u, year, unit).await?;
    if !d.access.verify {
        return Err(AppError::Forbidden);
    }
    if !SheetStatus::parse(&d.sheet.status).verifier_may_act() {
        return Ok(Redirect::to(&sheet_url(&d)).into_response());
    }
    let mut tx = u.db().await?;
    for e in d.entries.iter().filter(|e| e.verified_points.is_none()) {
        let accepted = Entry {
            verified_points: e.self_points,
            ..e.clone()
        };
        store::save_verified(&mut tx, d.sheet.id, &accepted).await?;
    }
    store::set_status(
        &mut tx,
        &Actor::user(&u),
        &d.sheet,
        SheetStatus::Finalised.as_str(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&sheet_url(&d)).into_response())
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
    let unit_id = unit;
    let sheet = store::sheet(&mut tx, ctx.y.id, unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !policy::may_manage_scoring(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let f = to_map(fields);
    let mut errors = Errors::default();
    let date = forms::optional_date(
        &mut errors,
        "deadline",
        f.get("deadline").map(String::as_str).unwrap_or(""),
    );
    if !errors.is_empty() {
        // Back to the dashboard, where the field is, with the message.
        let msg = errors.get("deadline").cloned().unwrap_or_default();
        return Ok(Redirect::to(&format!(
            "/years/{}/scoring?error={}",
            ctx.y.id,
            crate::web::url_encode(&msg)
        ))
        .into_response());
    }
    store::set_deadline_override(&mut tx, &Actor::user(&u), &sheet, date).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{}/scoring", ctx.y.id)).into_response())
}
