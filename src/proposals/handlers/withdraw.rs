//! The leader withdraws a nominee from a dossier not yet with the council (a draft, or one
//! returned asking for a change of nominees), with the reason on record. The documents are
//! generated from the dossier, so they drop it at once; the minutes keep the vote as it was and
//! record the withdrawal.

use axum::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::dossier::{Shown, render};
use super::{load_proposal, state_of};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::proposals::forms;
use crate::proposals::store;
use crate::web::forms::{Errors, Pairs, first};
use crate::web::ids::Ids;

pub async fn withdraw(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (p, ctx) = load_proposal(&mut tx, &u, id, true).await?;
    if !policy::may_prepare_proposal(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let nominees = store::nominees(&mut tx, p.id).await?;
    let read = if !state_of(&p).editable() {
        let mut errors = Errors::default();
        let msg = "Hồ sơ đang ở Hội đồng nên không rút đề nghị được; chỉ sửa khi hồ sơ chưa gửi hoặc bị trả lại.";
        errors.add("dossier", msg);
        Err(errors)
    } else if nominees.len() < 2 {
        let mut errors = Errors::default();
        let msg = "Hồ sơ cần còn ít nhất một tập thể được đề nghị.";
        errors.add("nominee", msg);
        Err(errors)
    } else {
        forms::read_withdrawal(&f, &nominees)
    };
    let (nominee, reason) = match read {
        Ok(x) => x,
        Err(errors) => {
            tx.rollback().await?;
            let typed = (
                first(&f, "nominee").into(),
                first(&f, "withdraw_reason").into(),
            );
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render(&u, id, status, errors, Vec::new(), Shown::Withdraw(typed)).await;
        }
    };
    store::withdraw_nominee(&mut tx, &Actor::user(&u), p.id, nominee, &reason).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/proposals/{}", p.id)).into_response())
}
