//! The events features report, each in the caller's transaction (before its commit): who hears
//! of it and which page holds the next step. A feature adds one call where the change is made.

use chrono::NaiveDate;

use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::notify::model::{Event, note};
use crate::notify::store::{self, To};

type Tx = TenantTx;
type Done = sqlx::Result<()>;

/// Who did it: the user (never notified of their own action, unless it is their receipt) and
/// how they are named ("Nguyễn Văn A — Công an tỉnh Lạng Sơn"); the system has no name.
#[derive(Debug, Clone, Default)]
pub struct By {
    pub user_id: Option<i64>,
    pub label: String,
}

impl By {
    pub fn system() -> By {
        By::default()
    }
}

impl From<&CurrentUser> for By {
    fn from(u: &CurrentUser) -> By {
        let place = u.unit_name.as_deref().unwrap_or(&u.tenant_name);
        By {
            user_id: Some(u.user_id),
            label: format!("{} — {}", u.full_name, place),
        }
    }
}

impl From<&By> for By {
    fn from(b: &By) -> By {
        b.clone()
    }
}

/// Words the event at its place, and writes it for `to`, leaving out the actor.
async fn emit(
    tx: &mut Tx,
    by: &By,
    year: i64,
    unit: Option<i64>,
    e: Event<'_>,
    to: &[To],
    link: &str,
) -> Done {
    let place = store::place(tx, year, unit).await?;
    store::send(tx, to, by.user_id, &by.label, link, &note(&e, &place)).await?;
    Ok(())
}

fn sheet(year: i64, unit: i64) -> String {
    format!("/years/{year}/sheets/{unit}")
}

fn registration(year: i64, unit: i64) -> String {
    format!("/years/{year}/registrations/{unit}")
}

pub async fn pledge_opened(
    tx: &mut Tx,
    by: impl Into<By>,
    year: i64,
    deadline: Option<NaiveDate>,
) -> Done {
    let e = Event::PledgeOpened { deadline };
    let link = format!("/years/{year}/pledge");
    emit(tx, &by.into(), year, None, e, &[To::Members(year)], &link).await
}

/// After the last signature, online or recorded on paper: the leader unit hears that all have
/// signed (but not the one who recorded it).
pub async fn pledge_signed_by_all(tx: &mut Tx, by: impl Into<By>, year: i64) -> Done {
    let link = format!("/years/{year}/pledge");
    let e = Event::PledgeSignedByAll;
    emit(tx, &by.into(), year, None, e, &[To::Leader(year)], &link).await
}

pub async fn registration_submitted(tx: &mut Tx, by: impl Into<By>, year: i64, unit: i64) -> Done {
    let e = Event::RegistrationSubmitted;
    let link = registration(year, unit);
    emit(
        tx,
        &by.into(),
        year,
        Some(unit),
        e,
        &[To::Leader(year)],
        &link,
    )
    .await
}

pub async fn registration_returned(
    tx: &mut Tx,
    by: impl Into<By>,
    year: i64,
    unit: i64,
    reason: &str,
) -> Done {
    let e = Event::RegistrationReturned { reason };
    let to = [To::Units(vec![unit])];
    emit(
        tx,
        &by.into(),
        year,
        Some(unit),
        e,
        &to,
        &registration(year, unit),
    )
    .await
}

/// An event about one unit's sheet, told to that unit, linking to the sheet.
async fn to_sheets_unit(tx: &mut Tx, by: By, year: i64, unit: i64, e: Event<'_>) -> Done {
    let to = [To::Units(vec![unit])];
    emit(tx, &by, year, Some(unit), e, &to, &sheet(year, unit)).await
}

/// The sheet waits for its verifier: the leader unit, or the deputy for the leader's own sheet.
pub async fn sheet_submitted(tx: &mut Tx, by: impl Into<By>, year: i64, unit: i64) -> Done {
    let e = Event::SheetSubmitted;
    let to = [To::Verifier(year, unit)];
    emit(tx, &by.into(), year, Some(unit), e, &to, &sheet(year, unit)).await
}

pub async fn sheet_returned(
    tx: &mut Tx,
    by: impl Into<By>,
    year: i64,
    unit: i64,
    reason: &str,
) -> Done {
    to_sheets_unit(tx, by.into(), year, unit, Event::SheetReturned { reason }).await
}

pub async fn sheet_verified(
    tx: &mut Tx,
    by: impl Into<By>,
    year: i64,
    unit: i64,
    changes: &[String],
) -> Done {
    to_sheets_unit(tx, by.into(), year, unit, Event::SheetVerified { changes }).await
}

pub async fn sheet_finalised(tx: &mut Tx, by: impl Into<By>, year: i64, unit: i64) -> Done {
    to_sheets_unit(tx, by.into(), year, unit, Event::SheetFinalised).await
}

pub async fn deadline_extended(
    tx: &mut Tx,
    by: impl Into<By>,
    year: i64,
    unit: i64,
    date: NaiveDate,
) -> Done {
    to_sheets_unit(tx, by.into(), year, unit, Event::DeadlineExtended { date }).await
}

/// The heads of the members hold the ballots.
pub async fn vote_opened(
    tx: &mut Tx,
    by: impl Into<By>,
    year: i64,
    vote: i64,
    title: &str,
) -> Done {
    let e = Event::VoteOpened { vote: title };
    let link = format!("/votes/{vote}");
    emit(
        tx,
        &by.into(),
        year,
        None,
        e,
        &[To::MemberHeads(year)],
        &link,
    )
    .await
}

/// The voter's own receipt: the one event told to the one who did it.
/// `vote`: its cluster year, id and title.
pub async fn ballot_recorded(
    tx: &mut Tx,
    by: impl Into<By>,
    (year, vote, title): (i64, i64, &str),
    receipt: &str,
) -> Done {
    let by = by.into();
    let Some(voter) = by.user_id else {
        return Ok(());
    };
    let e = Event::BallotRecorded {
        vote: title,
        receipt,
    };
    let place = store::place(tx, year, None).await?;
    let link = format!("/votes/{vote}");
    store::send(
        tx,
        &[To::User(voter)],
        None,
        &by.label,
        &link,
        &note(&e, &place),
    )
    .await?;
    Ok(())
}

/// Results of a vote (or, for an election, who leads next year) go to every member.
pub async fn results_released(
    tx: &mut Tx,
    by: impl Into<By>,
    year: i64,
    vote: i64,
    title: &str,
    election: bool,
) -> Done {
    let e = if election {
        Event::ElectionResult { vote: title }
    } else {
        Event::ResultsReleased { vote: title }
    };
    let link = format!("/votes/{vote}");
    emit(tx, &by.into(), year, None, e, &[To::Members(year)], &link).await
}

fn dossier(proposal: i64) -> String {
    format!("/proposals/{proposal}")
}

/// The report of `unit` for `award` (one report per award form).
fn report(proposal: i64, unit: i64, award: i64) -> String {
    format!("/proposals/{proposal}/reports/{unit}?award={award}")
}

/// The dossier is assembled: each nominee unit is asked for its achievement report, once per
/// award it is nominated for, on the page where it writes that report.
pub async fn dossier_assembled(tx: &mut Tx, by: impl Into<By>, year: i64, proposal: i64) -> Done {
    let by = by.into();
    for (unit, award) in store::nominee_reports(tx, proposal).await? {
        let link = report(proposal, unit, award);
        let to = [To::Units(vec![unit])];
        emit(
            tx,
            &by,
            year,
            Some(unit),
            Event::ReportRequested,
            &to,
            &link,
        )
        .await?;
    }
    Ok(())
}

/// A nominee unit's head submits its achievement report for `award`: the leader unit, who
/// assembles the dossier, finds it on that report's page.
pub async fn report_submitted(
    tx: &mut Tx,
    by: impl Into<By>,
    year: i64,
    proposal: i64,
    (unit, award): (i64, i64),
) -> Done {
    let link = report(proposal, unit, award);
    let to = [To::Leader(year)];
    let e = Event::ReportSubmitted;
    emit(tx, &by.into(), year, Some(unit), e, &to, &link).await
}

/// The council's staff receive the dossier.
pub async fn dossier_sent(tx: &mut Tx, by: impl Into<By>, year: i64, proposal: i64) -> Done {
    let e = Event::DossierSent;
    emit(
        tx,
        &by.into(),
        year,
        None,
        e,
        &[To::Admins],
        &dossier(proposal),
    )
    .await
}

/// The council receives the dossier, or returns it with the reason: the leader unit hears.
pub async fn dossier_reviewed(
    tx: &mut Tx,
    by: impl Into<By>,
    year: i64,
    proposal: i64,
    returned: Option<&str>,
) -> Done {
    let e = match returned {
        Some(reason) => Event::DossierReturned { reason },
        None => Event::DossierReceived,
    };
    emit(
        tx,
        &by.into(),
        year,
        None,
        e,
        &[To::Leader(year)],
        &dossier(proposal),
    )
    .await
}

/// The leader and the nominees learn of the decision.
pub async fn dossier_decided(tx: &mut Tx, by: impl Into<By>, year: i64, proposal: i64) -> Done {
    let e = Event::DossierDecided;
    let to = [To::Leader(year), To::Nominees(proposal)];
    emit(tx, &by.into(), year, None, e, &to, &dossier(proposal)).await
}

/// The admin who created or reset an account is told so (the one-time password is never
/// written anywhere).
pub async fn account_issued(tx: &mut Tx, by: impl Into<By>, username: &str, reset: bool) -> Done {
    let by = by.into();
    let Some(admin) = by.user_id else {
        return Ok(());
    };
    let e = if reset {
        Event::AccountReset { username }
    } else {
        Event::AccountCreated { username }
    };
    let n = note(&e, &Default::default());
    let link = format!("/users?q={username}");
    store::send(tx, &[To::User(admin)], None, &by.label, &link, &n).await?;
    Ok(())
}
