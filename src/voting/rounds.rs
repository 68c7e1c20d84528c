//! A further round of a peer vote (bình xét lại): among the candidates tied at a quota's
//! boundary, for the places the earlier rounds left, within the rounds the council allows.

use axum::response::{IntoResponse, Redirect, Response};

use super::handlers::{conflict, load_for_manage};
use super::model;
use super::store;
use super::tally::count;
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::web::ids::Ids;

pub async fn next_round(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_for_manage(&mut tx, &u, id).await?;
    if let Some(next) = store::next_round_of(&mut tx, v.id).await? {
        return Ok(Redirect::to(&format!("/votes/{next}")).into_response());
    }
    if !v.kind.is_award() || !v.state.is_closed() {
        drop(tx);
        let msg = "Chỉ bình xét lại sau khi cuộc bình xét, suy tôn đã kết thúc.";
        return conflict(&u, id, "vote", msg).await;
    }
    let candidates = store::candidates(&mut tx, v.id).await?;
    let t = count(&mut tx, &v, &candidates, ctx.members.len() as u32).await?;
    let settings = crate::settings::store::load(&mut tx).await?;
    let max = settings.vote_rounds.max(1) as u32;
    if let Err(msg) = model::check_next_round(v.round as u32, max, t.tied.len()) {
        drop(tx);
        return conflict(&u, id, "vote", &msg).await;
    }
    let base = v.title.split(" — vòng ").next().unwrap_or(&v.title);
    let title = format!("{base} — vòng {}", v.round + 1);
    let next = store::insert_next_round(&mut tx, &Actor::user(&u), &v, &title, &t.tied).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{next}")).into_response())
}
