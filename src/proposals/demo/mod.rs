//! The demo years' ends, as the seed articles tell them. Cụm VI of the courts, 2019 (seed 000):
//! Vụ Tổ chức - Cán bộ and Văn phòng TANDTC proposed for the Government flag and, with Vụ Pháp
//! chế và Quản lý khoa học and Học viện Tòa án, for the courts' flag; Học viện Tòa án elected
//! leader and Ban Thanh tra deputy for 2020; the dossier is with the council. Lạng Sơn, 2023
//! (seed 003): the provincial court proposed for the provincial flag, Bộ Chỉ huy Quân sự tỉnh
//! and Tiểu đoàn Cảnh sát cơ động số 2 for the provincial certificate of merit; the enforcement
//! agency elected leader for 2024; the province has decided. Every year and date moves with the
//! demo's shift (issue 11, item 9), and the dossier's history is dated in the story: drafted after
//! the meeting, sent, received, decided. Idempotent: a year with a vote is left alone.

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::Map;
use sqlx::PgConnection;

use super::load::nominees_of_vote;
use super::model::ProposalState;
use super::store::{self, NewProposal, Texts};
use super::templates::KINDS;
use crate::audit::Actor;
use crate::cycle::demo::Shift;
use crate::db::TenantTx;
use crate::org::store as org_store;
use crate::voting::model::{Choices, VoteKind, VoteMode, VoteState};
use crate::voting::secret;
use crate::voting::store as vote_store;

mod data;
mod dates;

use data::*;
use dates::{date_vote, shifted};

fn date((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("demo dates are real")
}

/// A moment of a demo day, 09:00 in Viet Nam.
fn at(d: (i32, u32, u32), hour: u32) -> DateTime<Utc> {
    crate::web::vn::vn_offset()
        .from_local_datetime(&date(d).and_hms_opt(hour, 0, 0).expect("valid time"))
        .single()
        .expect("fixed offset")
        .with_timezone(&Utc)
}

async fn unit(conn: &mut TenantTx, code: &str) -> Result<i64> {
    Ok(org_store::unit_by_code(conn, code)
        .await?
        .with_context(|| format!("demo unit {code}"))?
        .id)
}

async fn award(conn: &mut PgConnection, t: i64, name: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT id FROM award_types WHERE tenant_id = $1 AND name = $2")
        .bind(t)
        .bind(name)
        .fetch_one(conn)
        .await
        .with_context(|| format!("demo award type {name}"))
}

pub async fn load(
    conn: &mut TenantTx,
    actor: &Actor,
    tenant_code: &str,
    shift: Shift,
) -> Result<()> {
    for p in PAST.iter().filter(|p| p.tenant == tenant_code) {
        let u = unit(conn, p.unit).await?;
        let a = crate::awards::store::NewAward {
            year: shift.year(p.year),
            award_name: p.award.to_string(),
            award_type_id: None,
            decision_number: p.number.to_string(),
            decision_date: Some(date(shift.ymd(p.signed))),
            issuer: p.issuer.to_string(),
        };
        crate::awards::store::insert_unit_award(conn, actor, u, &a).await?;
    }
    for d in YEARS.iter().filter(|d| d.tenant == tenant_code) {
        let d = &shifted(d, shift);
        let cluster = org_store::cluster_by_name(conn, d.cluster)
            .await?
            .with_context(|| format!("demo cluster {}", d.cluster))?;
        let y = org_store::year_of_cluster(conn, cluster.id, d.year)
            .await?
            .with_context(|| format!("demo year {}", d.year))?;
        if !vote_store::votes_of_year(conn, y.id).await?.is_empty() {
            continue;
        }
        year_end(conn, actor, d, y).await?;
    }
    Ok(())
}

async fn year_end(
    conn: &mut TenantTx,
    actor: &Actor,
    d: &YearEnd,
    y: org_store::ClusterYear,
) -> Result<()> {
    settings(conn, actor, d).await?;
    let members = org_store::members(conn, y.id).await?;
    let vote_id = peer_vote(conn, actor, d, y.id, &members).await?;
    let election_id = election(conn, actor, d, y.id, &members).await?;
    for id in [vote_id, election_id] {
        date_vote(conn, actor.tenant_id, id, d.meeting).await?;
    }
    let ctx = crate::org::year::YearCtx {
        y,
        members,
        role: None,
    };
    let (pid, nominees) = dossier(conn, actor, d, &ctx, (vote_id, election_id)).await?;
    send_and_decide(conn, actor, d, pid, &nominees).await
}

/// The council's deadline, the award types' quotas and the units' heads, as the seeds give
/// them.
async fn settings(conn: &mut TenantTx, actor: &Actor, d: &YearEnd) -> Result<()> {
    let t = actor.tenant_id;
    // Settings and quotas are set once, with the year's first vote; later edits stay.
    for (_, day, month) in DEADLINES.iter().filter(|x| x.0 == d.tenant) {
        let before = crate::settings::store::load(conn).await?;
        let after = crate::settings::model::Settings {
            proposal_deadline_day: *day,
            proposal_deadline_month: *month,
            ..before.clone()
        };
        crate::settings::store::save(conn, actor, &before, &after).await?;
    }
    for (name, quota) in d.quotas {
        let id = award(conn, t, name).await?;
        let mut a = crate::cycle::store::award_type(conn, id)
            .await?
            .context("award type")?;
        a.f.quota_per_cluster = Some(*quota);
        crate::cycle::store::update_award_type(conn, actor, id, &a.f).await?;
    }
    for (code, title, name) in d.heads {
        let id = unit(conn, code).await?;
        let mut u = org_store::unit(conn, id).await?.context("unit")?;
        if u.f.head_title.is_empty() {
            u.f.head_title = title.to_string();
            u.f.head_name = name.to_string();
            org_store::update_unit(conn, actor, id, &u.f).await?;
        }
    }
    Ok(())
}

/// The peer vote: every member's head votes for every nominee unless named against it.
async fn peer_vote(
    conn: &mut TenantTx,
    actor: &Actor,
    d: &YearEnd,
    year_id: i64,
    members: &[org_store::MemberRow],
) -> Result<i64> {
    let t = actor.tenant_id;
    let vote_id = vote_store::insert_vote(
        conn,
        actor,
        year_id,
        VoteKind::Award,
        &format!("Bình xét, suy tôn thi đua năm {}", d.year),
        VoteMode::Online,
    )
    .await?;
    let mut candidates = Vec::new();
    for (code, name, against) in d.nominees {
        let (u, a) = (unit(conn, code).await?, award(conn, t, name).await?);
        vote_store::add_candidate(conn, actor, vote_id, Some(a), None, u).await?;
        candidates.push((u, a, *against));
    }
    let listed = vote_store::candidates(conn, vote_id).await?;
    open(conn, actor, vote_id, members).await?;
    for m in members {
        let mut choices = Choices::new();
        for (u, a, against) in &candidates {
            let c = listed
                .iter()
                .find(|c| c.unit_id == *u && c.award_type_id == Some(*a))
                .context("candidate")?;
            let code = org_store::unit(conn, m.unit_id)
                .await?
                .map(|x| x.f.code)
                .unwrap_or_default();
            choices.insert(c.id, !against.contains(&code.as_str()));
        }
        cast(conn, actor, vote_id, m.unit_id, &choices).await?;
    }
    close(conn, actor, vote_id).await?;
    Ok(vote_id)
}

/// The election of next year's leader and deputy (next year already holds them).
async fn election(
    conn: &mut TenantTx,
    actor: &Actor,
    d: &YearEnd,
    year_id: i64,
    members: &[org_store::MemberRow],
) -> Result<i64> {
    let election_id = vote_store::insert_vote(
        conn,
        actor,
        year_id,
        VoteKind::Election,
        &format!("Bầu cụm trưởng, cụm phó năm {}", d.year + 1),
        VoteMode::Online,
    )
    .await?;
    for m in members {
        for role in ["leader", "deputy"] {
            vote_store::add_candidate(conn, actor, election_id, None, Some(role), m.unit_id)
                .await?;
        }
    }
    let listed = vote_store::candidates(conn, election_id).await?;
    let pick = |role: &str, u: i64| {
        listed
            .iter()
            .find(|c| c.role.as_deref() == Some(role) && c.unit_id == u)
            .map(|c| c.id)
    };
    let (leader, deputy) = (unit(conn, d.leader).await?, unit(conn, d.deputy).await?);
    open(conn, actor, election_id, members).await?;
    for m in members {
        let mut choices = Choices::new();
        // The leader and the deputy do not vote for themselves; they vote for each other.
        let (l, dp) = if m.unit_id == leader {
            (deputy, leader)
        } else {
            (leader, deputy)
        };
        choices.insert(pick("leader", l).context("leader")?, true);
        choices.insert(pick("deputy", dp).context("deputy")?, true);
        cast(conn, actor, election_id, m.unit_id, &choices).await?;
    }
    close(conn, actor, election_id).await?;
    Ok(election_id)
}

/// The dossier, assembled from the votes as the leader would.
async fn dossier(
    conn: &mut TenantTx,
    actor: &Actor,
    d: &YearEnd,
    ctx: &crate::org::year::YearCtx,
    (vote_id, election_id): (i64, i64),
) -> Result<(i64, Vec<store::Nominee>)> {
    store::ensure_templates(conn, actor).await?;
    let mut templates = [0i64; 4];
    for (i, kind) in KINDS.iter().enumerate() {
        templates[i] = store::latest_template(conn, kind)
            .await?
            .context("template")?
            .id;
    }
    let vote = vote_store::vote(conn, vote_id).await?.context("vote")?;
    let nominees = nominees_of_vote(conn, &vote, ctx, date(d.letter))
        .await
        .map_err(|e| anyhow::anyhow!("nominees: {e:?}"))?;
    // Drafted on the afternoon of the meeting, before its letter is sent.
    let pid = store::insert_proposal_at(
        conn,
        actor,
        &NewProposal {
            year_id: ctx.y.id,
            vote_id,
            election_vote_id: Some(election_id),
            templates,
            meeting_date: Some(date(d.meeting)),
            meeting_place: d.meeting_place,
            chair: d.chair,
        },
        Some(at(d.meeting, 16)),
    )
    .await?;
    for (i, n) in nominees.iter().enumerate() {
        store::insert_nominee(conn, pid, i as i32, n).await?;
    }
    let p = store::proposal(conn, pid, false)
        .await?
        .context("proposal")?;
    let texts = Texts {
        number: d.number.to_string(),
        letter_date: Some(date(d.letter)),
        meeting_date: Some(date(d.meeting)),
        meeting_time: d.meeting_time.to_string(),
        meeting_place: d.meeting_place.to_string(),
        chair: d.chair.to_string(),
        secretary: d.secretary.to_string(),
        cover_text: Map::new(),
        minutes_text: Map::new(),
    };
    store::save_texts(conn, actor, &p, &texts).await?;
    Ok((pid, nominees))
}

/// The reports submitted, the dossier sent and received, and the decision where the seed
/// tells one.
async fn send_and_decide(
    conn: &mut TenantTx,
    actor: &Actor,
    d: &YearEnd,
    pid: i64,
    nominees: &[store::Nominee],
) -> Result<()> {
    // One report per nominee and award form: a unit nominated twice writes two.
    for n in nominees {
        let key = (n.unit_id, n.award_type_id);
        store::save_report(conn, actor, pid, key, None, &report(d.year)).await?;
        let before = (d.letter.0, d.letter.1, d.letter.2 - 1);
        store::submit_report(conn, actor, pid, key, Some(at(before, 16))).await?;
    }
    let sent = store::proposal(conn, pid, false)
        .await?
        .context("proposal")?;
    store::set_state(
        conn,
        actor,
        &sent,
        ProposalState::Sent,
        "",
        Some(at(d.letter, 9)),
    )
    .await?;
    let sent = store::proposal(conn, pid, false)
        .await?
        .context("proposal")?;
    let next_day = (d.letter.0, d.letter.1, d.letter.2 + 1);
    store::set_state(
        conn,
        actor,
        &sent,
        ProposalState::Received,
        "",
        Some(at(next_day, 10)),
    )
    .await?;
    if let Some(decision) = d.decision {
        let received = store::proposal(conn, pid, false)
            .await?
            .context("proposal")?;
        dates::decide_and_issue(conn, actor, d.year, &received, nominees, decision).await?;
    }
    Ok(())
}

/// Opens an online vote as the leader would, with a demo counting committee and its key.
async fn open(
    conn: &mut crate::db::TenantTx,
    actor: &Actor,
    id: i64,
    members: &[org_store::MemberRow],
) -> Result<()> {
    let v = vote_store::vote(conn, id).await?.context("vote")?;
    secret::demo_prepare(conn, actor, &v, members)
        .await
        .map_err(|e| anyhow::anyhow!("vote key: {e:?}"))?;
    vote_store::set_state(conn, actor, &v, VoteState::Open).await?;
    Ok(())
}

/// A unit's ballot, encrypted as in a request.
async fn cast(
    conn: &mut crate::db::TenantTx,
    actor: &Actor,
    id: i64,
    unit: i64,
    choices: &Choices,
) -> Result<()> {
    match secret::cast(conn, actor, id, unit, "online", choices).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(_)) => anyhow::bail!("demo ballot refused"),
        Err(e) => anyhow::bail!("demo ballot: {e:?}"),
    }
}

/// Closes a vote, has the committee count it, and releases the results.
async fn close(conn: &mut crate::db::TenantTx, actor: &Actor, id: i64) -> Result<()> {
    let v = vote_store::vote(conn, id).await?.context("vote")?;
    vote_store::set_state(conn, actor, &v, VoteState::Closed).await?;
    secret::demo_count(conn, actor, id)
        .await
        .map_err(|e| anyhow::anyhow!("demo count: {e:?}"))?;
    let v = vote_store::vote(conn, id).await?.context("vote")?;
    vote_store::release(conn, actor, &v).await?;
    Ok(())
}
