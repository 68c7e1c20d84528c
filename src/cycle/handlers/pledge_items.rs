//! Every commitment of the draft pledge edited in one form (issue 17, item 10): the texts are
//! saved together, with a new one if typed, and a move or removal asked with the same click
//! saves the texts first, so nothing typed is lost.

use axum::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::pledge::{Retry, page};
use super::pledge_actions::draft_change;
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::cycle::model;
use crate::cycle::store::pledge as store;
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::web::forms::{self, Errors, Pairs, first};
use crate::web::ids::Ids;

/// What the click asks beside saving: move or remove one item.
enum Step {
    Save,
    Move(i64, bool),
    Remove(i64),
}

fn step(action: &str) -> Option<Step> {
    let id = |s: &str| s.parse::<i64>().ok();
    match action.split_once('-') {
        None if action.is_empty() || action == "save" => Some(Step::Save),
        Some(("up", n)) => id(n).map(|n| Step::Move(n, true)),
        Some(("down", n)) => id(n).map(|n| Step::Move(n, false)),
        Some(("remove", n)) => id(n).map(Step::Remove),
        _ => None,
    }
}

/// After the texts are saved: remove or move the item the button named (404 for an item that
/// is not this year's).
async fn take_step(tx: &mut TenantTx, actor: &Actor, year: i64, step: Step) -> AppResult<()> {
    match step {
        Step::Save => {}
        Step::Remove(item) => {
            if !store::remove_item(tx, actor, year, item).await? {
                return Err(AppError::NotFound);
            }
        }
        Step::Move(item, up) => {
            let order: Vec<i64> = store::items(tx, year).await?.iter().map(|i| i.id).collect();
            if !order.contains(&item) {
                return Err(AppError::NotFound);
            }
            if let Some(after) = model::moved(&order, item, up) {
                store::reorder(tx, actor, year, &order, &after).await?;
            }
        }
    }
    Ok(())
}

pub async fn save_items(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(pairs): Form<Pairs>,
) -> AppResult<Response> {
    let (mut tx, ctx) = match draft_change(&u, id).await? {
        Ok(go) => go,
        Err(refused) => return Ok(refused),
    };
    let step = step(first(&pairs, "action")).ok_or(AppError::NotFound)?;
    let items = store::items(&mut tx, ctx.y.id).await?;
    let mut errors = Errors::default();
    let mut texts = Vec::new();
    for item in &items {
        let typed = pairs
            .iter()
            .find(|(k, _)| *k == format!("text-{}", item.id))
            .map(|(_, v)| v.as_str())
            .unwrap_or(&item.text);
        let field = format!("item-{}", item.id);
        let label = format!("Cam kết số {}", item.position);
        let text = forms::text(&mut errors, &field, typed, &label, 5, 4000);
        texts.push((item.id, typed.to_string(), text));
    }
    let new_typed = first(&pairs, "text");
    let new_text = forms::optional_text(&mut errors, "text", new_typed, "Cam kết mới", 4000);
    if !new_text.is_empty() && new_text.chars().count() < 5 {
        errors.add("text", "Cam kết mới phải có ít nhất 5 ký tự.");
    }
    if !errors.is_empty() {
        drop(tx);
        let r = Retry {
            errors,
            text: new_typed.to_string(),
            texts: texts
                .into_iter()
                .map(|(id, typed, _)| (id, typed))
                .collect(),
            ..Retry::default()
        };
        return page(&u, id, StatusCode::UNPROCESSABLE_ENTITY, r).await;
    }
    let actor = Actor::user(&u);
    for (item, _, text) in &texts {
        store::update_item(&mut tx, &actor, ctx.y.id, *item, text).await?;
    }
    if !new_text.is_empty() {
        store::add_item(&mut tx, &actor, ctx.y.id, &new_text).await?;
    }
    take_step(&mut tx, &actor, ctx.y.id, step).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{}/pledge?saved=1", ctx.y.id)).into_response())
}
