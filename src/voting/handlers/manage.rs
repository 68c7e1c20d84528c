//! The leader's changes to a vote: candidates, opening, closing, releasing the results.

use axum::Form;
use axum::response::{IntoResponse, Redirect, Response};

use super::*;
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::model::{self as org_model};
use crate::org::store::{self as org_store};
use crate::voting::forms::CandidateForm;
use crate::voting::model::VoteState;
use crate::voting::store::Vote;
use crate::voting::tally::count;
use crate::voting::{secret, store};
use crate::web::ids::Ids;

/// What a candidate is proposed for: an active collective award type (award votes), or
/// leader or deputy (elections).
async fn candidate_of<'a>(
    tx: &mut TenantTx,
    v: &Vote,
    f: &'a CandidateForm,
) -> AppResult<Result<(Option<i64>, Option<&'a str>), &'static str>> {
    if !v.kind.is_award() {
        return Ok(f.role().map(|r| (None, Some(r))));
    }
    let award = f.award_type();
    let known = match award {
        Some(a) => crate::cycle::store::award_type(tx, a)
            .await?
            .is_some_and(|a| a.f.active && a.f.target == "collective"),
        None => false,
    };
    if !known {
        return Ok(Err("Hãy chọn danh hiệu trong danh sách."));
    }
    // Công văn 5007/BNV-TĐKT: the council chooses the Government flag among the units the
    // clusters voted to lead them; a cluster does not vote on it.
    let government = crate::settings::store::load(tx).await?.government_flag_id;
    Ok(if award.is_some() && award == government {
        Err(
            "Cờ thi đua của Chính phủ không bình xét tại cụm, khối: Hội đồng Thi đua - Khen \
             thưởng lựa chọn trong các đơn vị được suy tôn dẫn đầu các cụm, khối.",
        )
    } else {
        Ok((award, None))
    })
}

pub async fn add_candidate(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<CandidateForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_for_manage(&mut tx, &u, id).await?;
    if !v.state.is_draft() {
        drop(tx);
        return conflict(
            &u,
            id,
            "candidates",
            "Chỉ thay đổi danh sách đề nghị khi biểu quyết chưa mở.",
        )
        .await;
    }
    let members: Vec<i64> = ctx.members.iter().map(|m| m.unit_id).collect();
    let picked = match f.unit(&members) {
        Err(msg) => Err(msg),
        Ok(unit) => candidate_of(&mut tx, &v, &f)
            .await?
            .map(|(award, role)| (unit, award, role)),
    };
    let (unit, award, role) = match picked {
        Ok(x) => x,
        Err(msg) => {
            drop(tx);
            return again(&u, id, "candidates", msg).await;
        }
    };
    store::add_candidate(&mut tx, &Actor::user(&u), v.id, award, role, unit).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}

pub async fn remove_candidate(
    u: CurrentUser,
    Ids((id, cid)): Ids<(i64, i64)>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, _) = load_for_manage(&mut tx, &u, id).await?;
    if !v.state.is_draft() {
        drop(tx);
        return conflict(
            &u,
            id,
            "candidates",
            "Chỉ thay đổi danh sách đề nghị khi biểu quyết chưa mở.",
        )
        .await;
    }
    if !store::remove_candidate(&mut tx, &Actor::user(&u), v.id, cid).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}

/// Removes every candidate ticked in the list, in one step: trimming an election's default
/// candidates (every member for both roles) to the few the conference proposes.
pub async fn remove_candidates(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, _) = load_for_manage(&mut tx, &u, id).await?;
    if !v.state.is_draft() {
        drop(tx);
        let msg = "Chỉ thay đổi danh sách đề nghị khi biểu quyết chưa mở.";
        return conflict(&u, id, "candidates", msg).await;
    }
    let known: Vec<i64> = store::candidates(&mut tx, v.id)
        .await?
        .iter()
        .map(|c| c.id)
        .collect();
    let ticked = match crate::voting::forms::ticked_candidates(&fields, &known) {
        Ok(t) => t,
        Err(msg) => {
            drop(tx);
            return again(&u, id, "candidates", msg).await;
        }
    };
    let actor = Actor::user(&u);
    for cid in ticked {
        store::remove_candidate(&mut tx, &actor, v.id, cid).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}

pub async fn open(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_for_manage(&mut tx, &u, id).await?;
    if !v.state.is_draft() {
        drop(tx);
        return conflict(&u, id, "vote", "Biểu quyết đã được mở trước đó.").await;
    }
    let candidates = store::candidates(&mut tx, v.id).await?;
    let has = |r: &str| candidates.iter().any(|c| c.role.as_deref() == Some(r));
    let ready = if v.kind.is_election() {
        has("leader") && has("deputy")
    } else {
        !candidates.is_empty()
    };
    if !ready {
        drop(tx);
        return conflict(&u, id, "vote", "Hãy thêm đơn vị được đề nghị (cụm trưởng và cụm phó khi bầu cử) trước khi mở bỏ phiếu.").await;
    }
    if v.mode.is_online() {
        let spec = secret::spec_of(&mut tx, &v, &candidates, ctx.members.len() as u32).await?;
        if let Err(msg) = secret::deal(&mut tx, &v, &spec).await? {
            drop(tx);
            return conflict(&u, id, "vote", &msg).await;
        }
    }
    store::set_state(&mut tx, &Actor::user(&u), &v, VoteState::Open).await?;
    crate::notify::vote_opened(&mut tx, &u, v.cluster_year_id, v.id, &v.title).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}

pub async fn close(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, _) = load_for_manage(&mut tx, &u, id).await?;
    if !v.state.is_open() {
        drop(tx);
        return conflict(&u, id, "vote", "Chỉ kết thúc được biểu quyết đang mở.").await;
    }
    store::set_state(&mut tx, &Actor::user(&u), &v, VoteState::Closed).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}

/// Makes the elected leader and deputy those of next year, creating next year (with this
/// year's active members) when it does not exist yet.
pub(super) async fn apply_election(
    conn: &mut TenantTx,
    actor: &Actor,
    ctx: &Ctx,
    leader: i64,
    deputy: i64,
) -> AppResult<Result<i64, String>> {
    let y = &ctx.y;
    let next_year = y.year + 1;
    let next = match org_store::year_of_cluster(conn, y.cluster_id, next_year).await? {
        Some(n) => n,
        None => {
            let id = org_store::insert_year(conn, actor, y.cluster_id, next_year).await?;
            org_store::cluster_year(conn, id)
                .await?
                .ok_or(AppError::NotFound)?
        }
    };
    let present: Vec<i64> = org_store::members(conn, next.id)
        .await?
        .iter()
        .map(|m| m.unit_id)
        .collect();
    let mut wanted: Vec<i64> = if present.is_empty() {
        ctx.members
            .iter()
            .filter(|m| m.active)
            .map(|m| m.unit_id)
            .collect()
    } else {
        Vec::new()
    };
    wanted.extend([leader, deputy]);
    let mut members = present.clone();
    for unit in wanted {
        if members.contains(&unit) {
            continue;
        }
        if org_store::conflicting_membership(conn, unit, &next.kind, next_year)
            .await?
            .is_some()
        {
            continue;
        }
        org_store::add_member(conn, actor, &next, unit).await?;
        members.push(unit);
    }
    if let Some((_, msg)) = org_model::check_roles(Some(leader), Some(deputy), &members)
        .into_iter()
        .next()
    {
        return Ok(Err(msg.to_string()));
    }
    org_store::set_roles(conn, actor, &next, Some(leader), Some(deputy)).await?;
    Ok(Ok(next.id))
}

pub async fn release(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_for_manage(&mut tx, &u, id).await?;
    if !v.state.is_closed() || v.results_released {
        drop(tx);
        return conflict(
            &u,
            id,
            "vote",
            "Chỉ công bố kết quả một lần, sau khi kết thúc bỏ phiếu.",
        )
        .await;
    }
    if v.mode.is_online() && v.counted_ballots.is_none() {
        drop(tx);
        let msg = "Ban kiểm phiếu chưa góp đủ khóa để kiểm phiếu; chưa có kết quả để công bố.";
        return conflict(&u, id, "vote", msg).await;
    }
    let actor = Actor::user(&u);
    if v.kind.is_election() {
        let candidates = store::candidates(&mut tx, v.id).await?;
        let t = count(&mut tx, &v, &candidates, ctx.members.len() as u32).await?;
        if let (Some(l), Some(d)) = (t.leader, t.deputy)
            && let Err(msg) = apply_election(&mut tx, &actor, &ctx, l, d).await?
        {
            drop(tx);
            return again(&u, id, "vote", &msg).await;
        }
    }
    store::release(&mut tx, &actor, &v).await?;
    let election = v.kind.is_election();
    crate::notify::results_released(&mut tx, &u, v.cluster_year_id, v.id, &v.title, election)
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}
