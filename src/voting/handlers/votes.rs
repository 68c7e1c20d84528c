//! The year's votes: the list, and a new vote with its default candidates.

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::*;
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::store::ClusterYear;
use crate::voting::forms::NewVoteForm;
use crate::voting::store::{self, Vote};
use crate::web::forms::Errors;
use crate::web::ids::Ids;
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "voting/votes.html")]
pub(super) struct VotesPage {
    l: Layout,
    y: ClusterYear,
    votes: Vec<Vote>,
    may_manage: bool,
    errors: Errors,
    title: String,
}

impl VotesPage {
    fn kind_label(&self, v: &Vote) -> &'static str {
        v.kind.label()
    }

    fn state_label(&self, v: &Vote) -> &'static str {
        v.state.label()
    }
}

pub(super) async fn votes_page(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    errors: Errors,
    title: String,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let ctx = load_year(&mut tx, u, id).await?;
    let votes = store::votes_of_year(&mut tx, ctx.y.id).await?;
    tx.commit().await?;
    let page = VotesPage {
        l: Layout::for_year(
            u,
            &format!(
                "Bình xét, bầu cử — {} năm {}",
                ctx.y.cluster_name, ctx.y.year
            ),
        ),
        may_manage: policy::may_manage_votes(u, ctx.role),
        y: ctx.y,
        votes,
        errors,
        title,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn list(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    votes_page(&u, id, StatusCode::OK, Errors::default(), String::new()).await
}

/// The default nominees of each collective award type with a quota: the best verified ranks.
pub(super) async fn default_award_candidates(
    conn: &mut TenantTx,
    ctx: &Ctx,
) -> AppResult<Vec<(i64, i64)>> {
    let today = chrono::Utc::now()
        .with_timezone(&crate::web::vn::vn_offset())
        .date_naive();
    let Some((_, results)) =
        crate::scoring::results::load(conn, &ctx.y, &ctx.members, today).await?
    else {
        return Ok(Vec::new());
    };
    let mut ranked: Vec<(usize, i64)> = results
        .iter()
        .filter_map(|r| r.rank.as_ref().map(|k| (k.rank, r.unit_id)))
        .collect();
    ranked.sort();
    // Within each award's quota; the Government flag is the council's choice, never proposed.
    let share = crate::voting::share::of_tenant(conn).await?;
    let mut out = Vec::new();
    for (award, allowed, _) in &share.lines {
        for (_, unit) in ranked.iter().take((*allowed).max(0) as usize) {
            out.push((*award, *unit));
        }
    }
    Ok(out)
}

pub async fn create(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<NewVoteForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let ctx = load_year(&mut tx, &u, id).await?;
    if !policy::may_manage_votes(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let new = match f.validate(ctx.y.year) {
        Ok(new) => new,
        Err(errors) => {
            drop(tx);
            return votes_page(&u, id, StatusCode::UNPROCESSABLE_ENTITY, errors, f.title).await;
        }
    };
    let actor = Actor::user(&u);
    let vote_id =
        store::insert_vote(&mut tx, &actor, ctx.y.id, new.kind, &new.title, new.mode).await?;
    if new.kind.is_award() {
        for (award, unit) in default_award_candidates(&mut tx, &ctx).await? {
            store::add_candidate(&mut tx, &actor, vote_id, Some(award), None, unit).await?;
        }
    } else {
        for m in ctx.members.iter().filter(|m| m.active) {
            for role in ["leader", "deputy"] {
                store::add_candidate(&mut tx, &actor, vote_id, None, Some(role), m.unit_id).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{vote_id}")).into_response())
}
