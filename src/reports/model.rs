//! The council's dashboard and a unit's history as plain data: what the page, the .xlsx export
//! and the achievement report show, computed once from what the stores read. The rules of
//! settings, dossiers and awards are here; the dashboard (`council`) and the history rows
//! (`history`) are in the two submodules, re-exported.

mod council;
mod history;

pub use council::*;
pub use history::*;

use chrono::{DateTime, NaiveDate, Utc};

pub use crate::awards::model::UnitAward;
use crate::org::store::ClusterYear;
use crate::scoring::model::{self as scoring, SheetStatus};

// ---- settings and dossiers -------------------------------------------------------------------

pub use crate::settings::model::Settings;

/// A cluster year's award proposal dossier, including "not made yet".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DossierState {
    Missing,
    Draft,
    Sent,
    Received,
    Returned,
    Decided,
}

impl DossierState {
    pub const ALL: [DossierState; 6] = [
        DossierState::Missing,
        DossierState::Draft,
        DossierState::Sent,
        DossierState::Received,
        DossierState::Returned,
        DossierState::Decided,
    ];

    /// The dashboard's state of a stored proposal state; proposals' model owns the stored text.
    pub fn parse(s: &str) -> DossierState {
        use crate::proposals::model::ProposalState as P;
        match P::parse(s) {
            Some(P::Draft) => DossierState::Draft,
            Some(P::Sent) => DossierState::Sent,
            Some(P::Received) => DossierState::Received,
            Some(P::Returned) => DossierState::Returned,
            Some(P::Decided) => DossierState::Decided,
            None => DossierState::Missing,
        }
    }

    pub fn label(self) -> &'static str {
        use crate::proposals::model::ProposalState as P;
        match self {
            DossierState::Missing => "Chưa lập",
            DossierState::Draft => P::Draft.label(),
            DossierState::Sent => P::Sent.label(),
            DossierState::Received => P::Received.label(),
            DossierState::Returned => P::Returned.label(),
            DossierState::Decided => P::Decided.label(),
        }
    }
}

/// Days a dossier is late: sent after the deadline, or still not sent and the deadline passed.
/// A dossier past the draft without a recorded sending day is taken as sent in time.
pub fn dossier_days_late(
    state: DossierState,
    sent_on: Option<NaiveDate>,
    deadline: Option<NaiveDate>,
    today: NaiveDate,
) -> i64 {
    let done = match (state, sent_on) {
        (_, Some(d)) => Some(d),
        (DossierState::Missing | DossierState::Draft, None) => None,
        (_, None) => deadline,
    };
    scoring::days_late(deadline, done, today)
}

// ---- the inputs the stores read --------------------------------------------------------------

/// One member's sheet as the dashboard needs it.
#[derive(Debug, Clone)]
pub struct SheetInput {
    pub unit_id: i64,
    pub name: String,
    pub status: SheetStatus,
    pub days_late: i64,
}

/// A cluster year with its members' sheets (None: no criteria table yet).
pub struct YearInput {
    pub year: ClusterYear,
    pub sheets: Option<Vec<SheetInput>>,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct DossierInput {
    pub cluster_year_id: i64,
    pub id: i64,
    pub state: String,
    pub sent_at: Option<DateTime<Utc>>,
}

impl DossierInput {
    /// The day it was sent, in Viet Nam time.
    pub fn sent_on(&self) -> Option<NaiveDate> {
        self.sent_at
            .map(|t| t.with_timezone(&crate::web::vn::vn_offset()).date_naive())
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct NomineeInput {
    pub cluster_year_id: i64,
    pub award_type_id: i64,
    pub unit_id: i64,
    pub unit_name: String,
}

/// A unit's award that came from a decision on a cluster year's dossier.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct DecidedInput {
    pub cluster_year_id: i64,
    pub unit_id: i64,
    pub award_type_id: Option<i64>,
    pub award_name: String,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AwardTypeInfo {
    pub id: i64,
    pub name: String,
    pub level: String,
    pub target: String,
    pub active: bool,
}

// ---- a unit's awards ---------------------------------------------------------------------------

#[cfg(test)]
mod tests;
