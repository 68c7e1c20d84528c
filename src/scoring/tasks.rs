//! What the year asks of a unit next — sign the pledge, register, score and submit, answer a
//! return — and its results, for the unit's home page.

use chrono::NaiveDate;

use crate::db::TenantTx;
use crate::org::model::YearRole;
use crate::org::store::{self as org_store, ClusterYear};
use crate::scoring::model::{self, SheetStatus};
use crate::scoring::results;

/// One line on the home page: what, where to do it, and whether it is overdue or waiting on us.
pub struct Task {
    pub text: String,
    pub href: String,
    pub urgent: bool,
}

/// A year of the unit with its members and, once it has a criteria table, its results:
/// loaded once and used by both the tasks and the history.
pub struct YearResults<'a> {
    pub year: &'a ClusterYear,
    pub members: Vec<org_store::MemberRow>,
    pub results: Option<Vec<results::UnitResult>>,
}

/// `members_of`: each year's members, as `org::year::of_unit` reads them with the years.
pub async fn load_years<'a>(
    conn: &mut TenantTx,
    years: &'a [ClusterYear],
    mut members_of: std::collections::HashMap<i64, Vec<org_store::MemberRow>>,
    today: NaiveDate,
) -> sqlx::Result<Vec<YearResults<'a>>> {
    let mut out = Vec::with_capacity(years.len());
    for y in years {
        let members = members_of.remove(&y.id).unwrap_or_default();
        let results = results::load(conn, y, &members, today)
            .await?
            .map(|(_, r)| r);
        out.push(YearResults {
            year: y,
            members,
            results,
        });
    }
    Ok(out)
}

/// `steps` are the unit's pledge and registration in each open year.
pub fn for_unit(
    unit_id: i64,
    years: &[YearResults<'_>],
    steps: &[crate::cycle::store::UnitSteps],
    today: NaiveDate,
) -> Vec<Task> {
    let mut tasks = Vec::new();
    for yr in years.iter().filter(|yr| !yr.year.phase.is_closed()) {
        let (y, members) = (yr.year, &yr.members);
        if let Some(st) = steps.iter().find(|s| s.cluster_year_id == y.id) {
            cycle_tasks(st, unit_id, y, today, &mut tasks);
        }
        let Some(res) = yr.results.as_ref() else {
            continue;
        };
        let label = format!("{} năm {}", y.cluster_name, y.year);
        let sheet_href = format!("/years/{}/sheets/{unit_id}", y.id);
        if let Some(task) = res
            .iter()
            .find(|r| r.unit_id == unit_id)
            .and_then(|mine| sheet_task(mine, res.len(), &label, sheet_href))
        {
            tasks.push(task);
        }
        // The verifying unit's work: sheets waiting for it.
        let ids: Vec<i64> = members.iter().map(|m| m.unit_id).collect();
        let role =
            crate::org::model::year_role(Some(unit_id), y.leader_unit_id, y.deputy_unit_id, &ids);
        let waiting = res
            .iter()
            .filter(|r| r.status == SheetStatus::Submitted)
            .filter(|r| match role {
                Some(YearRole::Leader) => r.unit_id != unit_id,
                Some(YearRole::Deputy) => Some(r.unit_id) == y.leader_unit_id,
                _ => false,
            })
            .count();
        if waiting > 0 {
            tasks.push(Task {
                text: format!("{waiting} bảng điểm chờ đơn vị thẩm định — {label}"),
                href: format!("/years/{}/scoring", y.id),
                urgent: true,
            });
        }
    }
    tasks
}

/// What the unit's own sheet asks of it: to score and submit (urgent when late or returned),
/// to wait, or, once final, its result among `ranked` units.
fn sheet_task(
    mine: &results::UnitResult,
    ranked: usize,
    label: &str,
    sheet_href: String,
) -> Option<Task> {
    let due = mine
        .deadline
        .map(|d| format!(" — hạn {}", d.format("%d/%m/%Y")))
        .unwrap_or_default();
    let late = if mine.days_late > 0 {
        format!(" (đã trễ {} ngày)", mine.days_late)
    } else {
        String::new()
    };
    let text = match mine.status {
        SheetStatus::Draft => Some(format!(
            "Tự chấm điểm và nộp bảng điểm — {label}{due}{late}"
        )),
        SheetStatus::Returned => Some(format!(
            "Bảng điểm bị cụm trưởng trả lại: sửa và nộp lại — {label}{due}{late}"
        )),
        SheetStatus::Submitted => Some(format!("Đã nộp bảng điểm, chờ thẩm định — {label}")),
        SheetStatus::Finalised => mine.verified.as_ref().map(|v| {
            let rank = mine
                .rank
                .as_ref()
                .map(|k| format!(", xếp hạng {}/{}", k.rank, ranked))
                .unwrap_or_default();
            let rating = mine
                .rating
                .as_ref()
                .map(|r| format!(", xếp loại {r}"))
                .unwrap_or_default();
            format!(
                "Kết quả thẩm định — {label}: {} điểm ({}%){rating}{rank}",
                model::fmt(v.total),
                model::fmt(v.percent)
            )
        }),
    };
    let urgent = matches!(mine.status, SheetStatus::Draft | SheetStatus::Returned)
        && mine.days_late > 0
        || mine.status == SheetStatus::Returned;
    text.map(|text| Task {
        text,
        href: sheet_href,
        urgent,
    })
}

/// The pledge to sign and the registration to make, while they are due.
fn cycle_tasks(
    st: &crate::cycle::store::UnitSteps,
    unit_id: i64,
    y: &ClusterYear,
    today: NaiveDate,
    tasks: &mut Vec<Task>,
) {
    use crate::cycle::model::{PledgeState, RegistrationState};
    let label = format!("{} năm {}", y.cluster_name, y.year);
    if st.pledge() == Some(PledgeState::Open) && !st.signed {
        tasks.push(Task {
            text: format!("Thủ trưởng đơn vị ký giao ước thi đua — {label}"),
            href: format!("/years/{}/pledge", y.id),
            urgent: false,
        });
    }
    let deadline = y.registration_deadline;
    // A registration row without a valid state reads as a draft, as the registration page does.
    let state = st
        .registration_state
        .as_ref()
        .map(|_| st.registration().unwrap_or(RegistrationState::Draft));
    if deadline.is_some() && state != Some(RegistrationState::Submitted) {
        let due = deadline
            .map(|d| format!(" — hạn {}", d.format("%d/%m/%Y")))
            .unwrap_or_default();
        let returned = state == Some(RegistrationState::Returned);
        let text = if returned {
            format!("Đăng ký thi đua bị trả lại: sửa và nộp lại — {label}{due}")
        } else {
            format!("Đăng ký thi đua (danh hiệu, sáng kiến) — {label}{due}")
        };
        tasks.push(Task {
            text,
            href: format!("/years/{}/registrations/{unit_id}", y.id),
            urgent: returned || deadline.is_some_and(|d| today > d),
        });
    }
}

/// One year's verified result of a unit, for its history.
pub struct Past {
    pub year: i32,
    pub cluster: String,
    pub year_id: i64,
    pub total: String,
    pub percent: String,
    pub rank: String,
    pub rating: String,
}

/// The unit's verified results over the years, newest first.
pub fn history(unit_id: i64, years: &[YearResults<'_>]) -> Vec<Past> {
    let mut out = Vec::new();
    for yr in years {
        let y = yr.year;
        let Some(res) = yr.results.as_ref() else {
            continue;
        };
        let Some(mine) = res
            .iter()
            .find(|r| r.unit_id == unit_id && r.status == SheetStatus::Finalised)
        else {
            continue;
        };
        let Some(v) = mine.verified.as_ref() else {
            continue;
        };
        out.push(Past {
            year: y.year,
            cluster: y.cluster_name.clone(),
            year_id: y.id,
            total: model::fmt(v.total),
            percent: model::fmt(v.percent),
            rank: mine
                .rank
                .as_ref()
                .map(|k| format!("{}/{}", k.rank, res.len()))
                .unwrap_or_default(),
            rating: mine.rating.clone().unwrap_or_default(),
        });
    }
    out
}
