//! What the dossier's pages and documents read, gathered from this feature's store, the vote
//! and the year's verified scores: kept apart from the handlers so that the demo loader
//! assembles its dossiers exactly as a leader's request does.

use chrono::NaiveDate;

use super::documents::{Dossier, Election, ReportData, ScoreLine, VoteLine};
use super::store::{self, Proposal};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::store::{self as org_store};
use crate::org::year::YearCtx as Ctx;
use crate::settings::rules;
use crate::voting::store as vote_store;
use crate::voting::tally::{self, Rounds};

/// A unit's name, head's title and name, and its own place (else the council's).
pub async fn unit_head(
    conn: &mut TenantTx,
    unit_id: Option<i64>,
    fallback_place: &str,
) -> AppResult<(String, String, String, String)> {
    let unit = match unit_id {
        Some(id) => org_store::kept_unit(conn, id).await?,
        None => None,
    };
    Ok(match unit {
        Some(u) => {
            let place = if u.f.place_name.trim().is_empty() {
                fallback_place.to_string()
            } else {
                u.f.place_name.clone()
            };
            (
                u.f.name.clone(),
                u.f.head_title.clone(),
                u.f.head_name.clone(),
                place,
            )
        }
        None => (
            String::new(),
            String::new(),
            String::new(),
            fallback_place.to_string(),
        ),
    })
}

/// The legal basis the documents of a dossier dated `on` cite: the rule set's then in force.
fn citation(laws: &[rules::RuleSet], on: NaiveDate) -> String {
    rules::in_force(laws, on)
        .map(|s| s.citation.clone())
        .unwrap_or_default()
}

/// A template version's sections. Versions are insert-only, so each is read once and kept.
pub async fn sections(tx: &mut TenantTx, id: i64) -> AppResult<Vec<super::templates::Section>> {
    let tenant_id = tx.tenant_id();
    type Sections = Vec<super::templates::Section>;
    if let Some(s) = tx.cache().get::<Sections>(tenant_id, id) {
        return Ok(Sections::clone(&s));
    }
    let sections = store::template(tx, id)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("template {id} missing")))?
        .sections
        .0;
    tx.cache()
        .put(tenant_id, id, std::sync::Arc::new(sections.clone()));
    Ok(sections)
}

fn vote_lines(t: &tally::Tally) -> Vec<VoteLine> {
    t.rows
        .iter()
        .map(|r| VoteLine {
            unit_name: r.unit_name.clone(),
            award: r.label.clone(),
            votes_for: r.votes_for,
            votes_against: r.votes_against,
            percent: r.percent_value,
            outcome: r.outcome.clone(),
            denominator: r.denominator,
            of_all_members: r.of_all_members,
        })
        .collect()
}

/// The unit the vote elected to lead the cluster: the first nominee of the award the Government
/// flag names as its prerequisite (Công văn 5007/BNV-TĐKT), with that award's name.
async fn leading_unit(
    conn: &mut TenantTx,
    rounds: &Rounds,
    nominees: &[store::Nominee],
) -> AppResult<Option<(String, String)>> {
    let government = crate::settings::store::kept(conn).await?.government_flag_id;
    let top = rounds
        .award_types()
        .iter()
        .find(|a| Some(a.id) == government)
        .and_then(|a| a.f.prerequisite_id);
    let passed: Vec<crate::proposals::flag::model::Passed> = nominees
        .iter()
        .filter(|n| Some(n.award_type_id) == top)
        .map(|n| crate::proposals::flag::model::Passed {
            cluster_year_id: 0,
            cluster_name: String::new(),
            unit_id: n.unit_id,
            unit_name: n.unit_name.clone(),
            votes_for: n.votes_for,
            rank: n.rank,
        })
        .collect();
    let (leaders, _) = crate::proposals::flag::model::leading_units(&passed);
    Ok(leaders.first().and_then(|l| {
        let award = nominees.iter().find(|n| Some(n.award_type_id) == top)?;
        Some((l.unit_name.clone(), award.award_name.clone()))
    }))
}

/// Everything the tờ trình, biên bản and danh sách print, read from the vote and the dossier.
/// `minutes`: also what only the biên bản prints (the online committee, the leading unit), two
/// statements the other documents do without.
pub async fn dossier(
    conn: &mut TenantTx,
    p: &Proposal,
    ctx: &Ctx,
    minutes: bool,
) -> AppResult<Dossier> {
    let names = store::kept_tenant_names(conn).await?;
    let (tenant_name, tenant_place, laws) = (&names.0, &names.1, &names.2);
    let (leader_unit, leader_head_title, leader_head_name, place) =
        unit_head(conn, ctx.y.leader_unit_id, tenant_place).await?;
    let members = ctx.members.len() as u32;
    // The award vote and the election, with their rounds, candidates and counts, read at once.
    let ids: Vec<i64> = std::iter::once(p.vote_id)
        .chain(p.election_vote_id)
        .collect();
    let rounds = Rounds::load(conn, &ids, None).await?;
    let vote = rounds.vote(p.vote_id).ok_or(AppError::NotFound)?;
    let (earlier, counted) = rounds.count_with_rounds(vote, rounds.candidates(vote.id), members);
    // Who voted is recorded for the first round, the meeting's roll call.
    let first_round = earlier.first().map(|(v, _)| v.id).unwrap_or(vote.id);
    let (nominees, withdrawn) = store::nominees_and_withdrawn(conn, p.id).await?;
    let voted = rounds.participation(first_round);
    let leading_unit = if minutes {
        leading_unit(conn, &rounds, &nominees).await?
    } else {
        None
    };
    // Online, the counting committee is the vote's key holders, named with their units.
    let committee = if minutes && vote.mode.is_online() {
        rounds
            .seats(first_round)
            .iter()
            .map(|s| {
                let unit = s
                    .unit_id
                    .and_then(|u| ctx.members.iter().find(|m| m.unit_id == u))
                    .map(|m| format!(" ({})", m.name))
                    .unwrap_or_default();
                format!("{}{unit}", s.full_name)
            })
            .collect()
    } else {
        Vec::new()
    };
    let election = match p.election_vote_id {
        Some(eid) => {
            let ev = rounds.vote(eid).ok_or(AppError::NotFound)?;
            let ec = rounds.candidates(eid);
            let et = rounds.count_with_rounds(ev, ec, members).1;
            let name = |id: Option<i64>| {
                id.and_then(|id| ec.iter().find(|c| c.unit_id == id))
                    .map(|c| c.unit_name.clone())
            };
            Some(Election {
                leader: name(et.leader),
                deputy: name(et.deputy),
                lines: vote_lines(&et),
                ballots: et.ballots,
            })
        }
        None => None,
    };
    let on = rules::dossier_date(p.letter_date, p.meeting_date, ctx.y.year);
    Ok(Dossier {
        id: p.id,
        citation: citation(laws, on),
        tenant_name: tenant_name.clone(),
        superior: ctx.y.cluster_superior.clone(),
        place,
        cluster: ctx.y.cluster_name.clone(),
        year: ctx.y.year,
        leader_unit,
        leader_head_title,
        leader_head_name,
        number: p.number.clone(),
        letter_date: p.letter_date,
        meeting_date: p.meeting_date,
        meeting_time: p.meeting_time.clone(),
        meeting_place: p.meeting_place.clone(),
        chair: p.chair.clone(),
        secretary: p.secretary.clone(),
        cover_text: p.cover_text.0.clone(),
        minutes_text: p.minutes_text.0.clone(),
        nominees,
        withdrawn,
        members: ctx.members.iter().map(|m| m.name.clone()).collect(),
        voted_online: voted
            .iter()
            .filter(|(_, _, how)| how == "online")
            .map(|(_, n, _)| n.clone())
            .collect(),
        voted_written: voted
            .iter()
            .filter(|(_, _, how)| how == "written")
            .map(|(_, n, _)| n.clone())
            .collect(),
        paper: vote.mode.is_paper(),
        counting_committee: vote.counting_committee.clone(),
        committee,
        leading_unit,
        ballots: counted.ballots,
        received: vote
            .ballots_received
            .filter(|_| vote.mode.is_paper())
            .map(|r| r.max(0) as u32)
            .unwrap_or(counted.ballots),
        invalid: if vote.mode.is_paper() {
            vote.ballots_invalid.max(0) as u32
        } else {
            0
        },
        lines: vote_lines(&counted),
        earlier_rounds: earlier.iter().map(|(_, t)| vote_lines(t)).collect(),
        election,
        cover: sections(conn, p.cover_template_id).await?,
        minutes: sections(conn, p.minutes_template_id).await?,
        list: sections(conn, p.list_template_id).await?,
    })
}

/// Everything one nominee's achievement report for one award prints: `award`, else the
/// unit's first award in the dossier (one report per award form).
pub async fn report_data(
    conn: &mut TenantTx,
    p: &Proposal,
    ctx: &Ctx,
    (unit_id, award): (i64, Option<i64>),
    today: NaiveDate,
) -> AppResult<ReportData> {
    // The nominees and their reports in one statement.
    let store::DossierView {
        nominees, reports, ..
    } = store::dossier_view(conn, p.id).await?;
    let awards: Vec<(i64, String)> = nominees
        .iter()
        .filter(|n| n.unit_id == unit_id)
        .map(|n| (n.award_type_id, n.award_name.clone()))
        .collect();
    let (award_type_id, award_name) = awards
        .iter()
        .find(|(id, _)| award.is_none_or(|a| a == *id))
        .cloned()
        .ok_or(AppError::NotFound)?;
    let names = store::kept_tenant_names(conn).await?;
    let (tenant_name, tenant_place, laws) = (&names.0, &names.1, &names.2);
    let unit = org_store::kept_unit(conn, unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = crate::org::store::Unit::clone(&unit);
    let place = Some(unit.f.place_name.trim())
        .filter(|p| !p.is_empty())
        .unwrap_or(tenant_place)
        .to_string();
    let report = reports
        .into_iter()
        .find(|r| r.unit_id == unit_id && r.award_type_id == award_type_id);
    let results = crate::scoring::results::load(conn, &ctx.y, &ctx.members, today).await?;
    let score = results.and_then(|(_, rs)| {
        let of = rs.iter().filter(|r| r.rank.is_some()).count();
        rs.into_iter()
            .find(|r| r.unit_id == unit_id)
            .map(|r| ScoreLine {
                claimed: r.claimed.total,
                verified: r.verified.as_ref().map(|v| v.total),
                percent: r.verified.as_ref().map(|v| v.percent),
                rank: r.rank.map(|k| k.rank),
                of,
                rating: r.rating.unwrap_or_default(),
            })
    });
    let on = rules::dossier_date(p.letter_date, p.meeting_date, ctx.y.year);
    Ok(ReportData {
        proposal_id: p.id,
        citation: citation(laws, on),
        tenant_name: tenant_name.clone(),
        superior: unit.f.superior,
        place,
        date: report
            .as_ref()
            .and_then(|r| r.submitted_at)
            .map(|t| t.with_timezone(&crate::web::vn::vn_offset()).date_naive()),
        cluster: ctx.y.cluster_name.clone(),
        year: ctx.y.year,
        unit_id,
        unit_name: unit.f.name,
        head_title: unit.f.head_title,
        head_name: unit.f.head_name,
        award_type_id,
        award: award_name,
        awards,
        saved: report.map(|r| r.sections.0).unwrap_or_default(),
        sections: sections(conn, p.report_template_id).await?,
        score,
        past: crate::awards::model::past_awards(
            &crate::awards::store::unit_awards(conn, unit_id).await?,
            ctx.y.year,
            5,
        ),
    })
}

/// The nominees a closed award vote passed, with the vote's figures and the verified scores
/// and ranks of the year: what a dossier is assembled from.
pub async fn nominees_of_vote(
    conn: &mut TenantTx,
    v: &vote_store::Vote,
    ctx: &Ctx,
    today: NaiveDate,
) -> AppResult<Vec<store::Nominee>> {
    let members = ctx.members.len() as u32;
    let counted = Rounds::load(conn, &[v.id], None).await?;
    // Nominees of earlier rounds first: a later round only fills the places they left.
    let (mut rounds, last) = counted.count_with_rounds(v, counted.candidates(v.id), members);
    rounds.push((v.clone(), last));
    let results = crate::scoring::results::load(conn, &ctx.y, &ctx.members, today)
        .await?
        .map(|(_, r)| r)
        .unwrap_or_default();
    let mut out: Vec<store::Nominee> = Vec::new();
    for (r, counted) in rounds
        .iter()
        .flat_map(|(_, t)| t.rows.iter().filter(|r| r.passed).map(move |r| (r, t)))
    {
        let Some(award_type_id) = r.award_type_id else {
            continue;
        };
        let scored = results.iter().find(|x| x.unit_id == r.unit_id);
        out.push(store::Nominee {
            award_type_id,
            award_name: r.label.clone(),
            unit_id: r.unit_id,
            unit_name: r.unit_name.clone(),
            votes_for: r.votes_for as i32,
            votes_against: r.votes_against as i32,
            ballots: counted.ballots as i32,
            members: members as i32,
            percent: r.percent_value,
            score: scored.and_then(|x| x.verified.as_ref()).map(|v| v.total),
            rank: scored.and_then(|x| x.rank.as_ref()).map(|k| k.rank as i32),
        });
    }
    Ok(out)
}
