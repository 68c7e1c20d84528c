//! One vote's page: candidates, who has voted, the results and the published ballots.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::*;
use crate::auth::{CurrentUser, Role, policy};
use crate::error::AppResult;
use crate::org::store::{ClusterYear, MemberRow};
use crate::voting::model::VoteState;
use crate::voting::secret_store::{self as sdb, Seat};
use crate::voting::store::{Candidate, Vote};
use crate::voting::tally::{Rounds, Tally};
use crate::web::forms::Errors;
use crate::web::ids::Ids;
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "voting/vote.html")]
pub(super) struct VotePage {
    l: Layout,
    y: ClusterYear,
    v: Vote,
    candidates: Vec<Candidate>,
    voted: Vec<(i64, String, String)>,
    members: Vec<MemberRow>,
    award_types: Vec<(i64, String)>,
    tally: Option<Tally>,
    published: Vec<String>,
    seats: Vec<Seat>,
    my_seat: Option<Seat>,
    eligible: Vec<(i64, String)>,
    is_admin: bool,
    may_manage: bool,
    may_cast: bool,
    receipt: Option<String>,
    errors: Errors,
    /// The vote that continues this one in a further round, if any.
    next_round: Option<i64>,
    /// The voter's own answers on a refused ballot, shown back to that voter only.
    kept: Vec<(String, String)>,
    /// The council's share for each award type with a quota (award votes).
    share: Vec<String>,
    /// Once counted: the unit the vote elected to lead the cluster (Công văn 5007/BNV-TĐKT).
    leading: Option<String>,
}

impl VotePage {
    fn state_label(&self) -> &'static str {
        self.v.state.label()
    }
    fn kind_label(&self) -> &'static str {
        self.v.kind.label()
    }
    fn mode_label(&self) -> &'static str {
        self.v.mode.label()
    }
    fn is_draft(&self) -> bool {
        self.v.state.is_draft()
    }
    fn is_open(&self) -> bool {
        self.v.state.is_open()
    }
    fn is_closed(&self) -> bool {
        self.v.state.is_closed()
    }
    fn is_election(&self) -> bool {
        self.v.kind.is_election()
    }
    fn is_paper(&self) -> bool {
        self.v.mode.is_paper()
    }
    fn candidate_label<'a>(&self, c: &'a Candidate) -> &'a str {
        crate::voting::forms::candidate_label(c)
    }
    /// Whether the refused ballot answered `c` with `answer` ("for"/"against").
    fn kept_answer(&self, c: &Candidate, answer: &str) -> bool {
        let name = format!("c{}", c.id);
        self.kept.iter().any(|(k, v)| *k == name && v == answer)
    }
    /// Whether the refused ballot chose `c` for `role` (elections).
    /// A paper count's field as typed on a refused count, else as saved.
    fn kept_or(&self, name: &str, saved: Option<i32>) -> String {
        self.kept
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .or_else(|| saved.map(|n| n.to_string()))
            .unwrap_or_default()
    }

    fn kept_received(&self) -> String {
        self.kept_or("received", self.v.ballots_received)
    }

    fn kept_invalid(&self) -> String {
        self.kept_or("invalid", Some(self.v.ballots_invalid))
    }

    fn kept_count(&self, prefix: &str, c: &Candidate) -> String {
        self.kept_or(&format!("{prefix}{}", c.id), None)
    }

    fn kept_pick(&self, role: &str, c: &Candidate) -> bool {
        let id = c.id.to_string();
        self.kept.iter().any(|(k, v)| k == role && *v == id)
    }
    /// A message for the top of the page; the ballot's own shows in the ballot's form.
    fn top_error(&self, key: &str) -> Option<&String> {
        if key == "ballot" && self.may_cast {
            return None;
        }
        self.errors.get(key)
    }
    /// The message beside a question the refused ballot left out.
    fn missing(&self, c: &Candidate) -> Option<&String> {
        self.errors.get(&format!("c{}", c.id))
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
    fn counted(&self) -> bool {
        self.v.counted_ballots.is_some()
    }
    fn in_committee(&self, user: &i64) -> bool {
        self.seats.iter().any(|s| s.user_id == *user)
    }
    fn all_registered(&self) -> bool {
        self.seats.iter().all(|s| s.public_point.is_some())
    }
    fn decrypted_seats(&self) -> usize {
        self.seats.iter().filter(|s| s.decrypted).count()
    }
    fn written_units(&self) -> Vec<&(i64, String, String)> {
        self.voted
            .iter()
            .filter(|(_, _, how)| how == "written")
            .collect()
    }
    fn may_see_scans(&self) -> bool {
        self.may_manage || self.my_seat.is_some() || self.is_admin
    }
    fn has_ties(&self) -> bool {
        self.tally.as_ref().is_some_and(|t| !t.tied.is_empty())
    }
}

/// The secret ballot's side of the page: the receipts once published, the committee's
/// seats, and who may sit on it while the leader can still name it.
type Committee = (Vec<String>, Vec<Seat>, Vec<(i64, String)>);

async fn committee_of(
    tx: &mut TenantTx,
    rounds: &Rounds,
    v: &Vote,
    ctx: &Ctx,
    may_manage: bool,
) -> AppResult<Committee> {
    if !v.mode.is_online() {
        return Ok(Default::default());
    }
    // Receipts are published with the results, not at the close (the statement reads them only
    // then).
    let published = rounds.receipts(v.id).to_vec();
    let seats = rounds.seats(v.id).to_vec();
    let eligible = if may_manage && v.state == VoteState::Draft {
        sdb::eligible_users(tx, &ctx.members).await?
    } else {
        Vec::new()
    };
    Ok((published, seats, eligible))
}

pub(super) async fn vote_page(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    errors: Errors,
    receipt: Option<String>,
) -> AppResult<Response> {
    ballot_page(u, id, status, errors, receipt, Vec::new()).await
}

/// The vote page, with the voter's `kept` answers ticked again on a refused ballot.
pub(super) async fn ballot_page(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    errors: Errors,
    receipt: Option<String>,
    kept: Vec<(String, String)>,
) -> AppResult<Response> {
    // Nothing below writes: the page reads without a transaction on a GET.
    let mut tx = u.read().await?;
    // The vote with its rounds, candidates, counts, participation and committee in one
    // statement; the year's check follows.
    let rounds = Rounds::load(&mut tx, &[id], None).await?;
    let v = rounds.vote(id).cloned().ok_or(AppError::NotFound)?;
    let ctx = load_year(&mut tx, u, v.cluster_year_id).await?;
    let candidates = rounds.candidates(v.id).to_vec();
    let voted = rounds.participation(v.id).to_vec();
    let may_manage = policy::may_manage_votes(u, ctx.role);
    let state = v.state;
    let tally = (state == VoteState::Closed && (v.results_released || may_manage)).then(|| {
        rounds
            .count_with_rounds(&v, &candidates, ctx.members.len() as u32)
            .1
    });
    let (published, seats, eligible) = committee_of(&mut tx, &rounds, &v, &ctx, may_manage).await?;
    let share = if v.kind.is_award() {
        Some(crate::voting::share::of_types(&mut tx, rounds.award_types()).await?)
    } else {
        None
    };
    // The Government flag is the council's choice among the leading units: not offered here.
    let award_types = match &share {
        Some(s) if may_manage => rounds
            .award_types()
            .iter()
            .filter(|a| a.f.active && a.f.target == "collective" && s.offered(a.id))
            .map(|a| (a.id, a.f.name.clone()))
            .collect(),
        _ => Vec::new(),
    };
    let next_round = rounds.next_round(v.id);
    let leading = match (&tally, &share) {
        (Some(t), Some(s)) => leading_unit(t, s, rounds.award_types()),
        _ => None,
    }
    .map(|unit| {
        format!(
            "{unit} được suy tôn là đơn vị dẫn đầu {} năm {}.",
            ctx.y.cluster_name, ctx.y.year
        )
    });
    let share = share
        .map(|s| s.lines.into_iter().map(|l| l.2).collect())
        .unwrap_or_default();
    tx.commit().await?;
    let may_cast = policy::may_cast_ballot(u, ctx.role)
        && state == VoteState::Open
        && v.mode.is_online()
        && !voted.iter().any(|(id, _, _)| Some(*id) == u.unit_id);
    let page = VotePage {
        l: Layout::for_year(u, &v.title),
        y: ctx.y,
        v,
        candidates,
        voted,
        members: ctx.members,
        award_types,
        tally,
        published,
        my_seat: super::committee::my_seat(u, &seats).cloned(),
        seats,
        eligible,
        is_admin: u.role == Role::TenantAdmin,
        may_manage,
        may_cast,
        receipt,
        errors,
        next_round,
        kept,
        share,
        leading,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    vote_page(&u, id, StatusCode::OK, Errors::default(), None).await
}

/// The unit that passed for the cluster's top award (the Government flag's prerequisite) with
/// the most votes for; none on a tie, which a further round or the dossier's ranks settle.
fn leading_unit(
    t: &crate::voting::tally::Tally,
    share: &crate::voting::share::Share,
    types: &[crate::cycle::store::AwardType],
) -> Option<String> {
    let top = types
        .iter()
        .find(|a| Some(a.id) == share.government_flag)
        .and_then(|a| a.f.prerequisite_id)?;
    let mut passed: Vec<_> = t
        .rows
        .iter()
        .filter(|r| r.passed && r.award_type_id == Some(top))
        .collect();
    passed.sort_by_key(|r| std::cmp::Reverse(r.votes_for));
    match passed.as_slice() {
        [a, b, ..] if a.votes_for == b.votes_for => None,
        [a, ..] => Some(a.unit_name.clone()),
        [] => None,
    }
}
