//! Assembling a year's dossier from its closed vote (the last round), under the newest
//! template versions.

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::dossier::menu;
use super::{Ctx, load_year};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::store::ClusterYear;
use crate::proposals::forms::AssembleForm;
use crate::proposals::load;
use crate::proposals::store::{self, Nominee};
use crate::voting::model::VoteKind;
use crate::voting::store::{self as vote_store, Vote};
use crate::web::forms::Errors;
use crate::web::forms::Pairs;
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn::today;

#[derive(Template)]
#[template(path = "proposals/start.html")]
struct StartPage {
    l: Layout,
    y: ClusterYear,
    award_votes: Vec<Vote>,
    election_votes: Vec<Vote>,
    may_prepare: bool,
    errors: Errors,
    /// The votes chosen in the form, kept when it comes back with an error.
    chosen: (String, String),
}

async fn start_page(
    u: &CurrentUser,
    ctx: Ctx,
    status: StatusCode,
    errors: Errors,
    chosen: (String, String),
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let votes = vote_store::votes_of_year(&mut tx, ctx.y.id).await?;
    tx.commit().await?;
    // A vote continued by a further round is settled by that round.
    let continued: Vec<i64> = votes.iter().filter_map(|v| v.previous_vote_id).collect();
    let closed = |kind: VoteKind| -> Vec<Vote> {
        let mut v: Vec<Vote> = votes
            .iter()
            .filter(|v| v.kind == kind && v.state.is_closed() && !continued.contains(&v.id))
            .cloned()
            .collect();
        v.reverse();
        v
    };
    let page = StartPage {
        l: Layout::for_user(
            u,
            &format!("Hồ sơ đề nghị khen thưởng năm {}", ctx.y.year),
            menu(u),
        ),
        award_votes: closed(VoteKind::Award),
        election_votes: closed(VoteKind::Election),
        may_prepare: policy::may_prepare_proposal(u, ctx.role),
        y: ctx.y,
        errors,
        chosen,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn year(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let ctx = load_year(&mut tx, &u, id).await?;
    let existing = store::proposal_of_year(&mut tx, ctx.y.id).await?;
    tx.commit().await?;
    if let Some(p) = existing {
        return Ok(Redirect::to(&format!("/proposals/{}", p.id)).into_response());
    }
    start_page(
        &u,
        ctx,
        StatusCode::OK,
        Errors::default(),
        Default::default(),
    )
    .await
}

/// The year's votes without those continued by a further round: that round settles them.
fn last_rounds(all: Vec<Vote>) -> Vec<Vote> {
    let continued: Vec<i64> = all.iter().filter_map(|v| v.previous_vote_id).collect();
    all.into_iter()
        .filter(|v| !continued.contains(&v.id))
        .collect()
}

/// The newest version of each kind of template, made first if the council has none.
async fn latest_templates(tx: &mut TenantTx, actor: &Actor) -> AppResult<[i64; 4]> {
    store::ensure_templates(tx, actor).await?;
    let mut templates = [0i64; 4];
    for (i, kind) in crate::proposals::templates::KINDS.iter().enumerate() {
        templates[i] = store::latest_template(tx, kind)
            .await?
            .map(|t| t.id)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no {kind} template")))?;
    }
    Ok(templates)
}

/// Assembles the dossier: the nominees the closed vote passed, with their figures of that
/// moment and their verified scores and ranks, under the latest template versions.
pub async fn create(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    let actor = Actor::user(&u);
    let mut tx = u.db().await?;
    let ctx = load_year(&mut tx, &u, id).await?;
    if !policy::may_prepare_proposal(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    if let Some(p) = store::proposal_of_year(&mut tx, ctx.y.id).await? {
        return Ok(Redirect::to(&format!("/proposals/{}", p.id)).into_response());
    }
    let form = AssembleForm::read(&f);
    let mut errors = Errors::default();
    let votes = last_rounds(vote_store::votes_of_year(&mut tx, ctx.y.id).await?);
    let (vote, election) = form.votes(&votes, &mut errors);
    let mut nominees: Vec<Nominee> = Vec::new();
    if let Some(v) = &vote {
        nominees = load::nominees_of_vote(&mut tx, v, &ctx, today()).await?;
        if nominees.is_empty() {
            errors.add(
                "vote_id",
                "Cuộc bình xét này không có đơn vị nào đạt tỷ lệ phiếu đồng ý theo quy định, nên \
                 chưa có ai để đề nghị. Có thể tổ chức bình xét lại.",
            );
        }
    }
    let Some(vote) = vote.filter(|_| errors.is_empty()) else {
        tx.rollback().await?;
        let chosen = (form.vote_id, form.election_vote_id);
        return start_page(&u, ctx, StatusCode::UNPROCESSABLE_ENTITY, errors, chosen).await;
    };
    let templates = latest_templates(&mut tx, &actor).await?;
    let (_, _, chair, place) = load::unit_head(&mut tx, ctx.y.leader_unit_id, "").await?;
    let pid = store::insert_proposal(
        &mut tx,
        &actor,
        &store::NewProposal {
            year_id: ctx.y.id,
            vote_id: vote.id,
            election_vote_id: election.map(|e| e.id),
            templates,
            meeting_date: vote
                .closed_at
                .map(|t| t.with_timezone(&crate::web::vn::vn_offset()).date_naive()),
            meeting_place: &place,
            chair: &chair,
        },
    )
    .await?;
    for (i, n) in nominees.iter().enumerate() {
        store::insert_nominee(&mut tx, pid, i as i32, n).await?;
    }
    crate::notify::dossier_assembled(&mut tx, &u, ctx.y.id, pid).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/proposals/{pid}")).into_response())
}
