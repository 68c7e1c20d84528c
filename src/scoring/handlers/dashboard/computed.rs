//! The year's results as every view of the dashboard shows them, computed in one transaction.
use chrono::NaiveDate;

use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::scoring::handlers::{YearCtx, year_ctx};
use crate::scoring::model::{self, SheetStatus};
use crate::scoring::results::{self, UnitResult};
use crate::scoring::tables;
use crate::web::vn;

pub(super) struct Computed {
    pub(super) ctx: YearCtx,
    pub(super) results: Vec<UnitResult>,
    /// Units whose head has signed the year's pledge, and whether a pledge is open or locked.
    pub(super) signed: Vec<i64>,
    pub(super) pledge_started: bool,
    /// Each member's registration state label.
    pub(super) registrations: std::collections::HashMap<i64, &'static str>,
    pub(super) deadline: Option<NaiveDate>,
    pub(super) library: Vec<(i64, String)>,
}

impl Computed {
    /// "Mục I", "Mục II"…: the column heads of the criteria table's sections.
    pub(super) fn section_labels(&self) -> Vec<String> {
        self.ctx
            .table
            .as_ref()
            .map(|t| {
                t.sections
                    .iter()
                    .map(|s| format!("Mục {}", s.code))
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub(super) async fn compute(u: &CurrentUser, year: i64) -> AppResult<Computed> {
    let mut tx = u.read().await?;
    let c = compute_in(&mut tx, u, year, true).await?;
    tx.commit().await?;
    Ok(c)
}

/// The year's results; with `for_page`, also what only the dashboard page shows beside them
/// (the table library, pledge signatures, registrations), which the printouts do not ask for.
pub(super) async fn compute_in(
    tx: &mut TenantTx,
    u: &CurrentUser,
    year: i64,
    for_page: bool,
) -> AppResult<Computed> {
    let ctx = year_ctx(&mut *tx, u, year).await?;
    if !policy::may_view_dashboard(u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let deadline = ctx.y.scoring_deadline;
    // A frozen table cannot be exchanged, so the library to choose from is not needed then.
    let frozen = ctx
        .table
        .as_ref()
        .is_some_and(|t| t.table.frozen_at.is_some());
    let library = if for_page && policy::may_manage_scoring(u, ctx.role) && !frozen {
        tables::library(&mut *tx).await?
    } else {
        Vec::new()
    };
    let results = match results::load(tx, &ctx.y, &ctx.members, vn::today()).await? {
        Some((table, mut r)) => {
            // Drafts are the unit's own: the leader sees that they exist, not their figures.
            for x in r.iter_mut().filter(|x| x.status == SheetStatus::Draft) {
                x.claimed = model::totals(
                    &[],
                    table.sections.len(),
                    table.table.bonus_cap,
                    table.table.penalty_cap,
                );
            }
            r
        }
        None => Vec::new(),
    };
    let steps = if for_page {
        crate::cycle::store::member_steps(&mut *tx, ctx.y.id).await?
    } else {
        Vec::new()
    };
    let pledge_started = steps.iter().any(|s| {
        s.pledge_state
            .as_deref()
            .and_then(crate::cycle::model::PledgeState::parse)
            .is_some_and(|p| p != crate::cycle::model::PledgeState::Draft)
    });
    let signed: Vec<i64> = steps
        .iter()
        .filter(|s| s.signed)
        .map(|s| s.unit_id)
        .collect();
    let registrations = steps
        .iter()
        .map(|s| {
            (
                s.unit_id,
                crate::cycle::model::registration_label(s.registration()),
            )
        })
        .collect();
    Ok(Computed {
        ctx,
        results,
        signed,
        pledge_started,
        registrations,
        deadline,
        library,
    })
}

/// Units that need the leader's action first: waiting for verification, then late, then the
/// rest by rank.
pub(super) fn action_order(r: &UnitResult) -> (u8, i64, usize) {
    let need = match r.status {
        SheetStatus::Submitted => 0,
        _ if r.days_late > 0 => 1,
        SheetStatus::Draft | SheetStatus::Returned => 2,
        SheetStatus::Finalised => 3,
    };
    (
        need,
        -r.days_late,
        r.rank.as_ref().map(|k| k.rank).unwrap_or(usize::MAX),
    )
}
