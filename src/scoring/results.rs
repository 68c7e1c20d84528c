//! A cluster year's results: every member's claimed and verified totals, rank and rating,
//! computed once and shown alike on the dashboard, in the .xlsx export and on the printout.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::db::TenantTx;
use crate::scoring::model::{self, Entry as RankEntry, Line, Ranked, SheetStatus, Totals};
use crate::scoring::store::{Entry, Sheet};
use crate::scoring::tables::TableFull;

pub struct Member {
    pub unit_id: i64,
    pub name: String,
    pub short_name: String,
}

#[derive(Clone)]
pub struct UnitResult {
    pub unit_id: i64,
    pub name: String,
    pub short_name: String,
    pub status: SheetStatus,
    pub sheet_id: Option<i64>,
    pub claimed: Totals,
    /// Verified figures, once the verifier has entered any.
    pub verified: Option<Totals>,
    pub rank: Option<Ranked>,
    pub rating: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub days_late: i64,
}

impl UnitResult {
    /// Claimed minus verified: how much the verification took off (or added).
    pub fn difference(&self) -> Option<rust_decimal::Decimal> {
        self.verified.as_ref().map(|v| self.claimed.total - v.total)
    }
}

fn lines(table: &TableFull, entries: &HashMap<i64, &Entry>, verified: bool) -> Vec<Line> {
    table
        .criteria
        .iter()
        .map(|c| {
            let e = entries.get(&c.id);
            let points = e.and_then(|e| {
                if verified {
                    e.verified_points.or(e.self_points)
                } else {
                    e.self_points
                }
            });
            Line {
                section: table.section_index(c.section_id),
                kind: table
                    .section(c.section_id)
                    .map(|s| s.kind())
                    .unwrap_or(model::SectionKind::Standard),
                max: c.max_points,
                points,
                not_applicable: e.is_some_and(|e| e.not_applicable),
            }
        })
        .collect()
}

/// Totals of one sheet: claimed, and verified (unverified lines count as claimed).
pub fn sheet_totals(table: &TableFull, entries: &[Entry]) -> (Totals, Option<Totals>) {
    let by_criterion: HashMap<i64, &Entry> = entries.iter().map(|e| (e.criterion_id, e)).collect();
    let n = table.sections.len();
    let (b, p) = (table.table.bonus_cap, table.table.penalty_cap);
    let claimed = model::totals(&lines(table, &by_criterion, false), n, b, p);
    let any_verified = entries.iter().any(|e| e.verified_points.is_some());
    let verified = any_verified.then(|| model::totals(&lines(table, &by_criterion, true), n, b, p));
    (claimed, verified)
}

/// A sheet's deadline (its own extension, or the year's) and the days it is late: up to its
/// submission, or up to today while it is a draft or returned (a returned sheet is due again).
pub fn lateness(
    status: SheetStatus,
    own_deadline: Option<NaiveDate>,
    year_deadline: Option<NaiveDate>,
    submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    today: NaiveDate,
) -> (Option<NaiveDate>, i64) {
    let deadline = own_deadline.or(year_deadline);
    let on = submitted_at.map(|t| t.with_timezone(&crate::web::vn::vn_offset()).date_naive());
    (
        deadline,
        model::sheet_days_late(status, deadline, on, today),
    )
}

pub fn compute(
    table: &TableFull,
    members: &[Member],
    sheets: &[Sheet],
    entries: &[(i64, Entry)],
    deadline: Option<NaiveDate>,
    today: NaiveDate,
) -> Vec<UnitResult> {
    let mut by_sheet: HashMap<i64, Vec<Entry>> = HashMap::new();
    for (sheet_id, e) in entries {
        by_sheet.entry(*sheet_id).or_default().push(e.clone());
    }
    let bands = table.bands();
    let mut out: Vec<UnitResult> = members
        .iter()
        .map(|m| {
            let sheet = sheets.iter().find(|s| s.unit_id == m.unit_id);
            let status = sheet.map(|s| s.status).unwrap_or(SheetStatus::Draft);
            let empty = Vec::new();
            let es = sheet.and_then(|s| by_sheet.get(&s.id)).unwrap_or(&empty);
            let (claimed, verified) = sheet_totals(table, es);
            let (unit_deadline, days_late) = lateness(
                status,
                sheet.and_then(|s| s.deadline_override),
                deadline,
                sheet.and_then(|s| s.submitted_at),
                today,
            );
            let rating = (status == SheetStatus::Finalised)
                .then(|| {
                    verified
                        .as_ref()
                        .and_then(|v| model::rating(v.percent, v.has_zero, &bands))
                        .map(str::to_string)
                })
                .flatten();
            UnitResult {
                unit_id: m.unit_id,
                name: m.name.clone(),
                short_name: m.short_name.clone(),
                status,
                sheet_id: sheet.map(|s| s.id),
                claimed,
                verified,
                rank: None,
                rating,
                deadline: unit_deadline,
                days_late,
            }
        })
        .collect();
    // Units are ranked on verified totals, once their sheets are final.
    let ranked: Vec<RankEntry> = out
        .iter()
        .filter(|r| r.status == SheetStatus::Finalised)
        .filter_map(|r| {
            r.verified.as_ref().map(|v| RankEntry {
                unit_id: r.unit_id,
                percent: v.percent,
                total: v.total,
                by_section: v.by_section.clone(),
            })
        })
        .collect();
    for rk in model::rank(&ranked, &table.tie_sections()) {
        if let Some(r) = out.iter_mut().find(|r| r.unit_id == rk.unit_id) {
            r.rank = Some(rk);
        }
    }
    out
}

/// Results kept in memory for one version of a year's rows and one day (days late count to
/// today).
struct KeptResults {
    today: NaiveDate,
    results: Vec<UnitResult>,
}

/// The year's results from the database: None when the year has no criteria table yet.
///
/// Results of a year whose table is frozen are kept in memory under the year's
/// `results_version`, which the database changes on every write to its members, sheets, entries,
/// table choice or deadline (migration 0012). `y` must therefore have been read in this
/// transaction after any such write, as the year context of a request always is.
pub async fn load(
    conn: &mut TenantTx,
    y: &crate::org::store::ClusterYear,
    members: &[crate::org::store::MemberRow],
    today: NaiveDate,
) -> sqlx::Result<Option<(TableFull, Vec<UnitResult>)>> {
    let tenant_id = conn.tenant_id();
    let Some(table) = crate::scoring::tables::of_year(conn, y).await? else {
        return Ok(None);
    };
    let frozen = table.table.frozen_at.is_some();
    if frozen
        && let Some(kept) = conn
            .cache()
            .get_at::<KeptResults>(tenant_id, y.id, y.results_version)
        && kept.today == today
        && let Some(results) = renamed(&kept.results, members)
    {
        return Ok(Some((table, results)));
    }
    let (year_id, deadline) = (y.id, y.scoring_deadline);
    let sheets = crate::scoring::store::sheets_of_year(conn, year_id).await?;
    let entries = crate::scoring::store::entries_of_year(conn, year_id).await?;
    let members: Vec<Member> = members
        .iter()
        .map(|m| Member {
            unit_id: m.unit_id,
            name: m.name.clone(),
            short_name: m.short_name.clone(),
        })
        .collect();
    let results = compute(&table, &members, &sheets, &entries, deadline, today);
    if frozen {
        let kept = KeptResults {
            today,
            results: results.clone(),
        };
        conn.cache().put_at(
            tenant_id,
            y.id,
            y.results_version,
            std::sync::Arc::new(kept),
        );
    }
    Ok(Some((table, results)))
}

/// Kept results with the members' current names (a renamed unit does not change the version);
/// None when the members are not the ones the results were computed for.
fn renamed(
    kept: &[UnitResult],
    members: &[crate::org::store::MemberRow],
) -> Option<Vec<UnitResult>> {
    if kept.len() != members.len() {
        return None;
    }
    members
        .iter()
        .map(|m| {
            let r = kept.iter().find(|r| r.unit_id == m.unit_id)?;
            Some(UnitResult {
                name: m.name.clone(),
                short_name: m.short_name.clone(),
                ..r.clone()
            })
        })
        .collect()
}
