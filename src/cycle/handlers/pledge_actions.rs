//! Changes to the pledge (giao ước thi đua): the leader unit writes the commitments and opens
//! them for signing, every member's head signs, and the pledge locks itself when all have
//! signed.

use axum::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use askama::Template;
use axum::response::Html;

use super::pledge::{Retry, page, refuse};
use super::{YearCtx, load_year};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::cycle::model::{self, PledgeState};
use crate::cycle::store::pledge as store;
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::store::ClusterYear;
use crate::web::forms::{self, Errors};
use crate::web::ids::Ids;
use crate::web::layout::Layout;

type Tx = TenantTx;

/// Opens a change to the draft: the leader unit's staff only, and only while it is a draft.
/// The pledge row is held until the change commits, so it cannot open under the change.
pub(super) async fn draft_change(
    u: &CurrentUser,
    id: i64,
) -> AppResult<Result<(Tx, YearCtx), Response>> {
    let mut tx = u.db().await?;
    let ctx = load_year(&mut tx, u, id).await?;
    if !policy::may_draft_pledge(u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let state = store::pledge(&mut tx, ctx.y.id, true)
        .await?
        .map(|p| p.state());
    if let Err(msg) = model::check_pledge_editable(state) {
        drop(tx);
        return Ok(Err(
            refuse(u, id, StatusCode::CONFLICT, "pledge", msg).await?
        ));
    }
    store::ensure(&mut tx, &Actor::user(u), ctx.y.id).await?;
    Ok(Ok((tx, ctx)))
}

pub(super) fn back(ctx: &YearCtx) -> Response {
    Redirect::to(&format!("/years/{}/pledge", ctx.y.id)).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TextForm {
    text: String,
}

pub async fn add_item(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<TextForm>,
) -> AppResult<Response> {
    let (mut tx, ctx) = match draft_change(&u, id).await? {
        Ok(go) => go,
        Err(refused) => return Ok(refused),
    };
    let mut errors = Errors::default();
    let text = forms::text(&mut errors, "text", &f.text, "nội dung cam kết", 5, 4000);
    if !errors.is_empty() {
        drop(tx);
        let r = Retry {
            errors,
            item: None,
            text: f.text,
            ..Retry::default()
        };
        return page(&u, id, StatusCode::UNPROCESSABLE_ENTITY, r).await;
    }
    store::add_item(&mut tx, &Actor::user(&u), ctx.y.id, &text).await?;
    tx.commit().await?;
    Ok(back(&ctx))
}

pub async fn edit_item(
    u: CurrentUser,
    Ids((id, item)): Ids<(i64, i64)>,
    Form(f): Form<TextForm>,
) -> AppResult<Response> {
    let (mut tx, ctx) = match draft_change(&u, id).await? {
        Ok(go) => go,
        Err(refused) => return Ok(refused),
    };
    if !store::items(&mut tx, ctx.y.id)
        .await?
        .iter()
        .any(|i| i.id == item)
    {
        return Err(AppError::NotFound);
    }
    let mut errors = Errors::default();
    let text = forms::text(&mut errors, "item", &f.text, "nội dung cam kết", 5, 4000);
    if !errors.is_empty() {
        drop(tx);
        let r = Retry {
            errors,
            item: Some(item),
            text: f.text,
            ..Retry::default()
        };
        return page(&u, id, StatusCode::UNPROCESSABLE_ENTITY, r).await;
    }
    store::update_item(&mut tx, &Actor::user(&u), ctx.y.id, item, &text).await?;
    tx.commit().await?;
    Ok(back(&ctx))
}

pub async fn remove_item(u: CurrentUser, Ids((id, item)): Ids<(i64, i64)>) -> AppResult<Response> {
    let (mut tx, ctx) = match draft_change(&u, id).await? {
        Ok(go) => go,
        Err(refused) => return Ok(refused),
    };
    if !store::remove_item(&mut tx, &Actor::user(&u), ctx.y.id, item).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(back(&ctx))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    direction: String,
}

pub async fn move_item(
    u: CurrentUser,
    Ids((id, item)): Ids<(i64, i64)>,
    Form(f): Form<MoveForm>,
) -> AppResult<Response> {
    let (mut tx, ctx) = match draft_change(&u, id).await? {
        Ok(go) => go,
        Err(refused) => return Ok(refused),
    };
    let order: Vec<i64> = store::items(&mut tx, ctx.y.id)
        .await?
        .iter()
        .map(|i| i.id)
        .collect();
    if !order.contains(&item) {
        return Err(AppError::NotFound);
    }
    // At the top or bottom already: nothing to do.
    if let Some(after) = model::moved(&order, item, f.direction == "up") {
        store::reorder(&mut tx, &Actor::user(&u), ctx.y.id, &order, &after).await?;
    }
    tx.commit().await?;
    Ok(back(&ctx))
}

/// Starts this year's text from last year's in one step.
pub async fn copy_previous(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let (mut tx, ctx) = match draft_change(&u, id).await? {
        Ok(go) => go,
        Err(refused) => return Ok(refused),
    };
    let refusal = if !store::items(&mut tx, ctx.y.id).await?.is_empty() {
        Some("Giao ước năm nay đã có nội dung; chỉ chép được từ năm trước khi chưa có cam kết nào.")
    } else {
        None
    };
    let prev = store::previous_with_items(&mut tx, ctx.y.cluster_id, ctx.y.year).await?;
    let msg = match (refusal, prev) {
        (Some(msg), _) => msg,
        (None, None) => "Các năm trước của cụm chưa có giao ước để chép.",
        (None, Some((prev_id, prev_year))) => {
            let texts: Vec<String> = store::items(&mut tx, prev_id)
                .await?
                .iter()
                .map(|i| model::carry_text(&i.text, prev_year, ctx.y.year))
                .collect();
            store::copy_items(&mut tx, &Actor::user(&u), ctx.y.id, prev_id, &texts).await?;
            tx.commit().await?;
            return Ok(back(&ctx));
        }
    };
    drop(tx);
    refuse(&u, id, StatusCode::UNPROCESSABLE_ENTITY, "copy", msg).await
}

#[derive(Template)]
#[template(path = "cycle/pledge_open.html")]
struct OpenPage {
    l: Layout,
    y: ClusterYear,
    items: Vec<store::Item>,
    members: usize,
    /// "Hạn ký giao ước" as typed, and why it is refused.
    deadline: String,
    errors: Errors,
}

/// The step before opening (issue 17, item 10): the text as it will be locked, and the word
/// that it locks for good; nothing changes until the leader confirms.
pub async fn confirm_open(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    confirm_page(&u, id, String::new(), Errors::default()).await
}

async fn confirm_page(
    u: &CurrentUser,
    id: i64,
    deadline: String,
    errors: Errors,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let ctx = load_year(&mut tx, u, id).await?;
    if !policy::may_draft_pledge(u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let state = store::pledge(&mut tx, ctx.y.id, false)
        .await?
        .map(|p| p.state());
    let items = store::items(&mut tx, ctx.y.id).await?;
    tx.commit().await?;
    if let Err(msg) = model::check_pledge_editable(state) {
        return refuse(u, id, StatusCode::CONFLICT, "pledge", msg).await;
    }
    if let Err(msg) = model::check_open(state, items.len(), ctx.members.len()) {
        return refuse(u, id, StatusCode::UNPROCESSABLE_ENTITY, "open", msg).await;
    }
    let title = format!("Mở ký giao ước thi đua năm {}", ctx.y.year);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = OpenPage {
        l: Layout::for_year(u, &title),
        members: ctx.members.len(),
        y: ctx.y,
        items,
        deadline,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OpenForm {
    confirm: String,
    deadline: String,
}

/// Opens the pledge for signing: the text is fixed from now on. Without the confirmation the
/// leader is sent to the confirmation step.
pub async fn open(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<OpenForm>,
) -> AppResult<Response> {
    let (mut tx, ctx) = match draft_change(&u, id).await? {
        Ok(go) => go,
        Err(refused) => return Ok(refused),
    };
    if f.confirm != "yes" {
        drop(tx);
        return Ok(Redirect::to(&format!("/years/{}/pledge/open", ctx.y.id)).into_response());
    }
    let mut errors = Errors::default();
    let deadline = forms::optional_date(&mut errors, "deadline", &f.deadline);
    if !errors.is_empty() {
        drop(tx);
        return confirm_page(&u, id, f.deadline, errors).await;
    }
    let items = store::items(&mut tx, ctx.y.id).await?.len();
    if let Err(msg) = model::check_open(Some(PledgeState::Draft), items, ctx.members.len()) {
        drop(tx);
        return refuse(&u, id, StatusCode::UNPROCESSABLE_ENTITY, "open", msg).await;
    }
    store::set_state(
        &mut tx,
        &Actor::user(&u),
        ctx.y.id,
        PledgeState::Draft,
        PledgeState::Open,
        None,
    )
    .await?;
    if let Some(d) = deadline {
        store::set_signing_deadline(&mut tx, &Actor::user(&u), ctx.y.id, d).await?;
    }
    crate::notify::pledge_opened(&mut tx, &u, ctx.y.id, deadline).await?;
    tx.commit().await?;
    Ok(back(&ctx))
}

/// The head signs for their unit; the last signature locks the pledge.
pub async fn sign(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let ctx = load_year(&mut tx, &u, id).await?;
    let unit = match u.unit_id {
        Some(unit) if policy::may_sign_pledge(&u, ctx.role) => unit,
        _ => return Err(AppError::Forbidden),
    };
    // Held until commit: two heads signing at once are taken one after the other, so the
    // second sees the first's signature and the pledge locks exactly once.
    let state = store::pledge(&mut tx, ctx.y.id, true)
        .await?
        .map(|p| p.state());
    let mut signed: Vec<i64> = store::signatures(&mut tx, ctx.y.id)
        .await?
        .iter()
        .map(|s| s.unit_id)
        .collect();
    if let Err(msg) = model::check_sign(state, ctx.is_member(unit), signed.contains(&unit)) {
        drop(tx);
        return refuse(&u, id, StatusCode::CONFLICT, "sign", msg).await;
    }
    let actor = Actor::user(&u);
    store::sign(&mut tx, &actor, ctx.y.id, unit, u.user_id, None).await?;
    signed.push(unit);
    if model::all_signed(&ctx.member_ids(), &signed) {
        store::set_state(
            &mut tx,
            &actor,
            ctx.y.id,
            PledgeState::Open,
            PledgeState::Locked,
            None,
        )
        .await?;
        crate::notify::pledge_signed_by_all(&mut tx, &u, ctx.y.id).await?;
    }
    tx.commit().await?;
    Ok(back(&ctx))
}
