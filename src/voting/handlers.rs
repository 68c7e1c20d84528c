//! The vote pages: the year's votes, one vote (candidates, who has voted, results, the published
//! ballots), and every change to it.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use sqlx::PgConnection;

use super::model::{self, Count, VoteState};
use super::store::{self, Candidate, Vote};
use super::tally::{Tally, count};
use crate::AppState;
use crate::audit::Actor;
use crate::auth::{CurrentUser, Role, policy};
use crate::db::tenant_tx;
use crate::error::{AppError, AppResult, error_page};
use crate::org::handlers::units::parse_id;
use crate::org::model::{self as org_model, YearRole};
use crate::org::store::{self as org_store, ClusterYear, MemberRow};
use crate::web::forms::{self, Errors};
use crate::web::layout::Layout;

pub(super) struct Ctx {
    y: ClusterYear,
    pub(super) members: Vec<MemberRow>,
    role: Option<YearRole>,
}

/// A year as this user may see it: 404 outside it, 403 when the role may not open votes.
async fn load_year(conn: &mut PgConnection, u: &CurrentUser, year_id: i64) -> AppResult<Ctx> {
    let y = org_store::cluster_year(conn, u.tenant_id, year_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let members = org_store::members(conn, u.tenant_id, y.id).await?;
    let ids: Vec<i64> = members.iter().map(|m| m.unit_id).collect();
    let role = org_model::year_role(u.unit_id, y.leader_unit_id, y.deputy_unit_id, &ids);
    if !policy::year_is_visible(u, role) {
        return Err(AppError::NotFound);
    }
    if !policy::may_view_votes(u, role) {
        return Err(AppError::Forbidden);
    }
    Ok(Ctx { y, members, role })
}

/// A vote and its year; the vote row is locked for changes when `lock`.
async fn load_vote(
    conn: &mut PgConnection,
    u: &CurrentUser,
    id: &str,
    lock: bool,
) -> AppResult<(Vote, Ctx)> {
    let id = parse_id(id)?;
    let v = if lock {
        store::vote_for_update(conn, u.tenant_id, id).await?
    } else {
        store::vote(conn, u.tenant_id, id).await?
    }
    .ok_or(AppError::NotFound)?;
    let ctx = load_year(conn, u, v.cluster_year_id).await?;
    Ok((v, ctx))
}

fn refused(message: &str) -> Response {
    error_page(StatusCode::FORBIDDEN, "Không được bỏ phiếu", message)
}

// ---- the year's votes -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "voting/votes.html")]
struct VotesPage {
    l: Layout,
    y: ClusterYear,
    votes: Vec<Vote>,
    may_manage: bool,
    errors: Errors,
    title: String,
}

impl VotesPage {
    fn kind_label(&self, v: &Vote) -> &'static str {
        model::kind_label(&v.kind)
    }

    fn state_label(&self, v: &Vote) -> &'static str {
        VoteState::parse(&v.state).label()
    }
}

async fn votes_page(
    st: &AppState,
    u: &CurrentUser,
    id: &str,
    status: StatusCode,
    errors: Errors,
    title: String,
) -> AppResult<Response> {
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    let ctx = load_year(&mut tx, u, parse_id(id)?).await?;
    let votes = store::votes_of_year(&mut tx, u.tenant_id, ctx.y.id).await?;
    tx.commit().await?;
    let page = VotesPage {
        l: Layout::for_user(
            u,
            &format!(
                "Bình xét, bầu cử — {} năm {}",
                ctx.y.cluster_name, ctx.y.year
            ),
            if u.role == Role::TenantAdmin {
                "clusters"
            } else {
                "units"
            },
        ),
        may_manage: policy::may_manage_votes(u, ctx.role),
        y: ctx.y,
        votes,
        errors,
        title,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn list(
    State(st): State<AppState>,
    u: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    votes_page(
        &st,
        &u,
        &id,
        StatusCode::OK,
        Errors::default(),
        String::new(),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewVoteForm {
    kind: String,
    title: String,
    mode: String,
}

/// The default nominees of each collective award type with a quota: the best verified ranks.
async fn default_award_candidates(
    conn: &mut PgConnection,
    u: &CurrentUser,
    ctx: &Ctx,
) -> AppResult<Vec<(i64, i64)>> {
    let today = chrono::Utc::now()
        .with_timezone(&crate::web::vn::vn_offset())
        .date_naive();
    let Some((_, results)) =
        crate::scoring::results::load(conn, u.tenant_id, ctx.y.id, &ctx.members, today).await?
    else {
        return Ok(Vec::new());
    };
    let mut ranked: Vec<(usize, i64)> = results
        .iter()
        .filter_map(|r| r.rank.as_ref().map(|k| (k.rank, r.unit_id)))
        .collect();
    ranked.sort();
    let mut out = Vec::new();
    for a in crate::cycle::store::award_types(conn, u.tenant_id).await? {
        if !a.f.active || a.f.target != "collective" {
            continue;
        }
        if let Some(q) = a.f.quota_per_cluster {
            for (_, unit) in ranked.iter().take(q.max(0) as usize) {
                out.push((a.id, *unit));
            }
        }
    }
    Ok(out)
}

pub async fn create(
    State(st): State<AppState>,
    u: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<NewVoteForm>,
) -> AppResult<Response> {
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    let ctx = load_year(&mut tx, &u, parse_id(&id)?).await?;
    if !policy::may_manage_votes(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Errors::default();
    if f.kind != "award" && f.kind != "election" {
        errors.add("kind", "Hãy chọn loại biểu quyết.");
    }
    let mode = if f.mode == "paper" { "paper" } else { "online" };
    let mut title = forms::optional_text(&mut errors, "title", &f.title, "Tiêu đề", 300);
    if title.is_empty() {
        title = format!("{} năm {}", model::kind_label(&f.kind), ctx.y.year);
    }
    if !errors.is_empty() {
        drop(tx);
        return votes_page(
            &st,
            &u,
            &id,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            f.title,
        )
        .await;
    }
    let actor = Actor::user(&u);
    let vote_id = store::insert_vote(&mut tx, &actor, ctx.y.id, &f.kind, &title, mode).await?;
    if f.kind == "award" {
        for (award, unit) in default_award_candidates(&mut tx, &u, &ctx).await? {
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

// ---- one vote ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "voting/vote.html")]
struct VotePage {
    l: Layout,
    y: ClusterYear,
    v: Vote,
    candidates: Vec<Candidate>,
    voted: Vec<(i64, String, String)>,
    members: Vec<MemberRow>,
    award_types: Vec<(i64, String)>,
    tally: Option<Tally>,
    published: Vec<(String, String)>,
    may_manage: bool,
    may_cast: bool,
    receipt: Option<String>,
    errors: Errors,
    /// The vote that continues this one in a further round, if any.
    next_round: Option<i64>,
}

impl VotePage {
    fn state_label(&self) -> &'static str {
        VoteState::parse(&self.v.state).label()
    }
    fn kind_label(&self) -> &'static str {
        model::kind_label(&self.v.kind)
    }
    fn mode_label(&self) -> &'static str {
        model::mode_label(&self.v.mode)
    }
    fn is_draft(&self) -> bool {
        self.v.state == "draft"
    }
    fn is_open(&self) -> bool {
        self.v.state == "open"
    }
    fn is_closed(&self) -> bool {
        self.v.state == "closed"
    }
    fn is_election(&self) -> bool {
        self.v.kind == "election"
    }
    fn is_paper(&self) -> bool {
        self.v.mode == "paper"
    }
    fn candidate_label(&self, c: &Candidate) -> String {
        match (&c.award_name, &c.role) {
            (Some(a), _) => a.clone(),
            (None, Some(r)) => model::role_label(r).to_string(),
            _ => String::new(),
        }
    }
    fn leaders(&self) -> Vec<&Candidate> {
        self.candidates
            .iter()
            .filter(|c| c.role.as_deref() == Some("leader"))
            .collect()
    }
    fn deputies(&self) -> Vec<&Candidate> {
        self.candidates
            .iter()
            .filter(|c| c.role.as_deref() == Some("deputy"))
            .collect()
    }
    fn how_label(&self, how: &str) -> &'static str {
        if how == "written" {
            "Ý kiến bằng văn bản của thủ trưởng (lưu hồ sơ)"
        } else {
            "Bỏ phiếu trực tuyến"
        }
    }
    fn not_voted(&self) -> Vec<&MemberRow> {
        self.members
            .iter()
            .filter(|m| !self.voted.iter().any(|(id, _, _)| *id == m.unit_id))
            .collect()
    }
    fn released(&self) -> bool {
        self.v.results_released
    }
    fn has_ties(&self) -> bool {
        self.tally.as_ref().is_some_and(|t| !t.tied.is_empty())
    }
}

async fn vote_page(
    st: &AppState,
    u: &CurrentUser,
    id: &str,
    status: StatusCode,
    errors: Errors,
    receipt: Option<String>,
) -> AppResult<Response> {
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    let (v, ctx) = load_vote(&mut tx, u, id, false).await?;
    let candidates = store::candidates(&mut tx, u.tenant_id, v.id).await?;
    let voted = store::participation(&mut tx, u.tenant_id, v.id).await?;
    let may_manage = policy::may_manage_votes(u, ctx.role);
    let state = VoteState::parse(&v.state);
    let tally = if state == VoteState::Closed && (v.results_released || may_manage) {
        Some(
            count(
                &mut tx,
                u.tenant_id,
                &v,
                &candidates,
                ctx.members.len() as u32,
            )
            .await?,
        )
    } else {
        None
    };
    let published = if state == VoteState::Closed && v.mode == "online" {
        let names: BTreeMap<i64, String> = candidates
            .iter()
            .map(|c| {
                let label = match (&c.award_name, &c.role) {
                    (Some(a), _) => a.clone(),
                    (None, Some(r)) => model::role_label(r).to_string(),
                    _ => String::new(),
                };
                (c.id, format!("{} — {}", c.unit_name, label))
            })
            .collect();
        store::ballots(&mut tx, u.tenant_id, v.id)
            .await?
            .into_iter()
            .map(|(receipt, choices)| {
                let text = choices
                    .iter()
                    .map(|(cid, yes)| {
                        let who = names.get(cid).cloned().unwrap_or_default();
                        if v.kind == "election" {
                            who
                        } else {
                            format!(
                                "{who}: {}",
                                if *yes {
                                    "Đồng ý"
                                } else {
                                    "Không đồng ý"
                                }
                            )
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                (receipt, text)
            })
            .collect()
    } else {
        Vec::new()
    };
    let award_types = if may_manage && v.kind == "award" {
        crate::cycle::store::active_award_types(&mut tx, u.tenant_id, "collective").await?
    } else {
        Vec::new()
    };
    let next_round = store::next_round_of(&mut tx, u.tenant_id, v.id).await?;
    tx.commit().await?;
    let may_cast = policy::may_cast_ballot(u, ctx.role)
        && state == VoteState::Open
        && v.mode == "online"
        && !voted.iter().any(|(id, _, _)| Some(*id) == u.unit_id);
    let page = VotePage {
        l: Layout::for_user(
            u,
            &v.title,
            if u.role == Role::TenantAdmin {
                "clusters"
            } else {
                "units"
            },
        ),
        y: ctx.y,
        v,
        candidates,
        voted,
        members: ctx.members,
        award_types,
        tally,
        published,
        may_manage,
        may_cast,
        receipt,
        errors,
        next_round,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    State(st): State<AppState>,
    u: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    vote_page(&st, &u, &id, StatusCode::OK, Errors::default(), None).await
}

/// The vote page again with a refusal: 422 for a form to correct.
async fn again(
    st: &AppState,
    u: &CurrentUser,
    id: &str,
    field: &str,
    msg: &str,
) -> AppResult<Response> {
    refuse(st, u, id, StatusCode::UNPROCESSABLE_ENTITY, field, msg).await
}

/// The vote page again with a refusal: 409 when the vote's state (or the unit's ballot already
/// cast) forbids the change.
pub(super) async fn conflict(
    st: &AppState,
    u: &CurrentUser,
    id: &str,
    field: &str,
    msg: &str,
) -> AppResult<Response> {
    refuse(st, u, id, StatusCode::CONFLICT, field, msg).await
}

async fn refuse(
    st: &AppState,
    u: &CurrentUser,
    id: &str,
    status: StatusCode,
    field: &str,
    msg: &str,
) -> AppResult<Response> {
    let mut errors = Errors::default();
    errors.add(field, msg);
    vote_page(st, u, id, status, errors, None).await
}

/// Loads a vote for a change by the leader unit's staff.
pub(super) async fn load_for_manage(
    conn: &mut PgConnection,
    u: &CurrentUser,
    id: &str,
) -> AppResult<(Vote, Ctx)> {
    let (v, ctx) = load_vote(conn, u, id, true).await?;
    if !policy::may_manage_votes(u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    Ok((v, ctx))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CandidateForm {
    award_type_id: String,
    role: String,
    unit_id: String,
}

pub async fn add_candidate(
    State(st): State<AppState>,
    u: CurrentUser,
    Path(id): Path<String>,
    Form(f): Form<CandidateForm>,
) -> AppResult<Response> {
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    let (v, ctx) = load_for_manage(&mut tx, &u, &id).await?;
    if v.state != "draft" {
        drop(tx);
        return conflict(
            &st,
            &u,
            &id,
            "candidates",
            "Chỉ thay đổi danh sách đề nghị khi biểu quyết chưa mở.",
        )
        .await;
    }
    let unit = f.unit_id.trim().parse::<i64>().ok();
    let Some(unit) = unit.filter(|x| ctx.members.iter().any(|m| m.unit_id == *x)) else {
        drop(tx);
        return again(
            &st,
            &u,
            &id,
            "candidates",
            "Hãy chọn một đơn vị thành viên của cụm năm này.",
        )
        .await;
    };
    let (award, role) = if v.kind == "award" {
        let award = f.award_type_id.trim().parse::<i64>().ok();
        let known = match award {
            Some(a) => crate::cycle::store::award_type(&mut tx, u.tenant_id, a)
                .await?
                .is_some_and(|a| a.f.active && a.f.target == "collective"),
            None => false,
        };
        if !known {
            drop(tx);
            return again(
                &st,
                &u,
                &id,
                "candidates",
                "Hãy chọn danh hiệu trong danh sách.",
            )
            .await;
        }
        (award, None)
    } else {
        if f.role != "leader" && f.role != "deputy" {
            drop(tx);
            return again(
                &st,
                &u,
                &id,
                "candidates",
                "Hãy chọn cụm trưởng hoặc cụm phó.",
            )
            .await;
        }
        (None, Some(f.role.as_str()))
    };
    store::add_candidate(&mut tx, &Actor::user(&u), v.id, award, role, unit).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}

pub async fn remove_candidate(
    State(st): State<AppState>,
    u: CurrentUser,
    Path((id, cid)): Path<(String, String)>,
) -> AppResult<Response> {
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    let (v, _) = load_for_manage(&mut tx, &u, &id).await?;
    let cid = parse_id(&cid)?;
    if v.state != "draft" {
        drop(tx);
        return conflict(
            &st,
            &u,
            &id,
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

pub async fn open(
    State(st): State<AppState>,
    u: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    let (v, _) = load_for_manage(&mut tx, &u, &id).await?;
    if v.state != "draft" {
        drop(tx);
        return conflict(&st, &u, &id, "vote", "Biểu quyết đã được mở trước đó.").await;
    }
    let candidates = store::candidates(&mut tx, u.tenant_id, v.id).await?;
    let has = |r: &str| candidates.iter().any(|c| c.role.as_deref() == Some(r));
    let ready = if v.kind == "election" {
        has("leader") && has("deputy")
    } else {
        !candidates.is_empty()
    };
    if !ready {
        drop(tx);
        return conflict(&st, &u, &id, "vote", "Hãy thêm đơn vị được đề nghị (cụm trưởng và cụm phó khi bầu cử) trước khi mở bỏ phiếu.").await;
    }
    store::set_state(&mut tx, &Actor::user(&u), &v, "open").await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}

pub async fn close(
    State(st): State<AppState>,
    u: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    let (v, _) = load_for_manage(&mut tx, &u, &id).await?;
    if v.state != "open" {
        drop(tx);
        return conflict(
            &st,
            &u,
            &id,
            "vote",
            "Chỉ kết thúc được biểu quyết đang mở.",
        )
        .await;
    }
    store::reshuffle(&mut tx, u.tenant_id, v.id).await?;
    store::set_state(&mut tx, &Actor::user(&u), &v, "closed").await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}

/// Makes the elected leader and deputy those of next year, creating next year (with this
/// year's active members) when it does not exist yet.
async fn apply_election(
    conn: &mut PgConnection,
    actor: &Actor,
    ctx: &Ctx,
    leader: i64,
    deputy: i64,
) -> AppResult<Result<i64, String>> {
    let y = &ctx.y;
    let next_year = y.year + 1;
    let next =
        match org_store::year_of_cluster(conn, actor.tenant_id, y.cluster_id, next_year).await? {
            Some(n) => n,
            None => {
                let id = org_store::insert_year(conn, actor, y.cluster_id, next_year).await?;
                org_store::cluster_year(conn, actor.tenant_id, id)
                    .await?
                    .ok_or(AppError::NotFound)?
            }
        };
    let present: Vec<i64> = org_store::members(conn, actor.tenant_id, next.id)
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
        if org_store::conflicting_membership(conn, actor.tenant_id, unit, &next.kind, next_year)
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

pub async fn release(
    State(st): State<AppState>,
    u: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    let (v, ctx) = load_for_manage(&mut tx, &u, &id).await?;
    if v.state != "closed" || v.results_released {
        drop(tx);
        return conflict(
            &st,
            &u,
            &id,
            "vote",
            "Chỉ công bố kết quả một lần, sau khi kết thúc bỏ phiếu.",
        )
        .await;
    }
    let actor = Actor::user(&u);
    if v.kind == "election" {
        let candidates = store::candidates(&mut tx, u.tenant_id, v.id).await?;
        let t = count(
            &mut tx,
            u.tenant_id,
            &v,
            &candidates,
            ctx.members.len() as u32,
        )
        .await?;
        if let (Some(l), Some(d)) = (t.leader, t.deputy)
            && let Err(msg) = apply_election(&mut tx, &actor, &ctx, l, d).await?
        {
            drop(tx);
            return again(&st, &u, &id, "vote", &msg).await;
        }
    }
    store::release(&mut tx, &actor, &v).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}

/// The choices of a ballot form: `c<candidate>` = for/against (awards), `leader`/`deputy`
/// (elections).
fn choices_of(
    v: &Vote,
    candidates: &[Candidate],
    fields: &[(String, String)],
) -> Result<model::Choices, &'static str> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.trim().parse::<i64>().ok())
    };
    if v.kind == "election" {
        let of_role = |r: &str| -> Vec<(i64, i64)> {
            candidates
                .iter()
                .filter(|c| c.role.as_deref() == Some(r))
                .map(|c| (c.id, c.unit_id))
                .collect()
        };
        model::election_choices(
            &of_role("leader"),
            &of_role("deputy"),
            field("leader"),
            field("deputy"),
        )
    } else {
        let answers: BTreeMap<i64, String> = fields
            .iter()
            .filter_map(|(k, val)| Some((k.strip_prefix('c')?.parse().ok()?, val.clone())))
            .collect();
        let ids: Vec<i64> = candidates.iter().map(|c| c.id).collect();
        model::award_choices(&ids, &answers)
    }
}

pub async fn ballot(
    State(st): State<AppState>,
    u: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    let (v, ctx) = load_vote(&mut tx, &u, &id, true).await?;
    if !policy::may_cast_ballot(&u, ctx.role) {
        return Ok(refused(
            "Chỉ thủ trưởng đơn vị thành viên mới bỏ phiếu cho đơn vị. Cán bộ thi đua chuẩn bị hồ sơ nhưng không bỏ phiếu.",
        ));
    }
    let Some(unit) = u.unit_id else {
        return Err(AppError::Forbidden);
    };
    let msg = match (v.state.as_str(), v.mode.as_str()) {
        ("draft", _) => Some("Biểu quyết chưa mở; chưa thể bỏ phiếu."),
        ("closed", _) => Some("Biểu quyết đã kết thúc; phiếu không được nhận."),
        (_, "paper") => {
            Some("Biểu quyết này bỏ phiếu giấy tại hội nghị; ban kiểm phiếu nhập kết quả.")
        }
        _ => None,
    };
    if let Some(msg) = msg {
        drop(tx);
        return conflict(&st, &u, &id, "ballot", msg).await;
    }
    let candidates = store::candidates(&mut tx, u.tenant_id, v.id).await?;
    let choices = match choices_of(&v, &candidates, &fields) {
        Ok(c) => c,
        Err(msg) => {
            drop(tx);
            return again(&st, &u, &id, "ballot", msg).await;
        }
    };
    let Some(receipt) =
        store::cast(&mut tx, &Actor::user(&u), v.id, unit, "online", &choices).await?
    else {
        drop(tx);
        return conflict(
            &st,
            &u,
            &id,
            "ballot",
            "Đơn vị của bạn đã bỏ phiếu; mỗi đơn vị chỉ có một phiếu.",
        )
        .await;
    };
    tx.commit().await?;
    vote_page(
        &st,
        &u,
        &id,
        StatusCode::OK,
        Errors::default(),
        Some(receipt),
    )
    .await
}

/// The leader records a unit whose head gave a written opinion (absent from the conference):
/// its participation and its ballot, the signed opinion kept on file.
pub async fn written(
    State(st): State<AppState>,
    u: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    let (v, ctx) = load_for_manage(&mut tx, &u, &id).await?;
    if v.state != "open" || v.mode != "online" {
        drop(tx);
        return conflict(
            &st,
            &u,
            &id,
            "written",
            "Chỉ ghi nhận ý kiến bằng văn bản khi biểu quyết trực tuyến đang mở.",
        )
        .await;
    }
    let unit = fields
        .iter()
        .find(|(k, _)| k == "unit_id")
        .and_then(|(_, x)| x.trim().parse::<i64>().ok())
        .filter(|x| ctx.members.iter().any(|m| m.unit_id == *x));
    let Some(unit) = unit else {
        drop(tx);
        return again(
            &st,
            &u,
            &id,
            "written",
            "Hãy chọn đơn vị thành viên gửi ý kiến bằng văn bản.",
        )
        .await;
    };
    let candidates = store::candidates(&mut tx, u.tenant_id, v.id).await?;
    let choices = match choices_of(&v, &candidates, &fields) {
        Ok(c) => c,
        Err(msg) => {
            drop(tx);
            return again(&st, &u, &id, "written", msg).await;
        }
    };
    let Some(receipt) =
        store::cast(&mut tx, &Actor::user(&u), v.id, unit, "written", &choices).await?
    else {
        drop(tx);
        return conflict(
            &st,
            &u,
            &id,
            "written",
            "Đơn vị này đã bỏ phiếu; mỗi đơn vị chỉ có một phiếu.",
        )
        .await;
    };
    tx.commit().await?;
    vote_page(
        &st,
        &u,
        &id,
        StatusCode::OK,
        Errors::default(),
        Some(receipt),
    )
    .await
}

/// Paper mode: the counting committee's figures per candidate, and its members.
pub async fn paper(
    State(st): State<AppState>,
    u: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut tx = tenant_tx(&st.pool, u.tenant_id).await?;
    let (v, ctx) = load_for_manage(&mut tx, &u, &id).await?;
    if v.mode != "paper" || v.state == "draft" || v.results_released {
        drop(tx);
        return conflict(
            &st,
            &u,
            &id,
            "paper",
            "Chỉ nhập kết quả kiểm phiếu cho biểu quyết phiếu giấy đã mở và chưa công bố.",
        )
        .await;
    }
    let get = |name: String| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, x)| x.trim().to_string())
            .unwrap_or_default()
    };
    let mut errors = Errors::default();
    let committee = forms::text(
        &mut errors,
        "paper",
        &get("committee".into()),
        "thành phần ban kiểm phiếu",
        2,
        2000,
    );
    let members = ctx.members.len() as u32;
    let candidates = store::candidates(&mut tx, u.tenant_id, v.id).await?;
    let mut counts = Vec::new();
    for c in &candidates {
        let f = get(format!("for{}", c.id)).parse::<u32>();
        let a = get(format!("against{}", c.id)).parse::<u32>();
        match (f, a) {
            (Ok(f), Ok(a)) if f + a <= members => counts.push(Count {
                candidate_id: c.id,
                votes_for: f,
                votes_against: a,
            }),
            _ => errors.add(
                "paper",
                format!(
                    "Số phiếu của {} phải là số nguyên không âm, tổng đồng ý và không đồng ý không quá {members} đơn vị.",
                    c.unit_name
                ),
            ),
        }
    }
    if !errors.is_empty() {
        drop(tx);
        return vote_page(&st, &u, &id, StatusCode::UNPROCESSABLE_ENTITY, errors, None).await;
    }
    store::save_paper_counts(&mut tx, &Actor::user(&u), &v, &counts, &committee).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}
