//! The council's dashboard of one year: every cluster's year, the dossiers by state, nominees
//! and awards by award type and cluster, and the Government-flag check.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::{
    AwardTypeInfo, DecidedInput, DossierInput, DossierState, NomineeInput, Settings, SheetInput,
    YearInput, dossier_days_late,
};
use crate::org::model::kind_label;
use crate::scoring::model::SheetStatus;

pub struct LateUnit {
    pub unit_id: i64,
    pub name: String,
    pub days: i64,
}

pub struct ScoringSummary {
    pub members: usize,
    pub submitted: usize,
    pub verified: usize,
    /// The scoring deadline passed without a submitted sheet (a returned one is due again).
    pub late: Vec<LateUnit>,
}

pub struct ClusterRow {
    pub year_id: i64,
    pub cluster: String,
    pub kind: &'static str,
    pub leader: Option<(i64, String)>,
    pub deputy: Option<(i64, String)>,
    pub phase: &'static str,
    /// None: the year has no criteria table yet.
    pub scoring: Option<ScoringSummary>,
    pub dossier: DossierState,
    pub dossier_id: Option<i64>,
    pub dossier_days_late: i64,
}

/// Nominees and awards of one cell of the table by award type and cluster.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub nominees: usize,
    pub awards: usize,
}

impl Count {
    fn add(&mut self, other: Count) {
        self.nominees += other.nominees;
        self.awards += other.awards;
    }
}

pub struct AwardRow {
    pub cluster: String,
    pub cells: Vec<Count>,
    pub total: Count,
}

/// Award types (columns, those with any nominee or award) by cluster (rows).
pub struct AwardTable {
    pub columns: Vec<String>,
    pub rows: Vec<AwardRow>,
    pub totals: Vec<Count>,
    pub total: Count,
}

pub struct FlagNominee {
    pub unit_id: i64,
    pub unit: String,
    pub cluster: String,
}

/// The council's choice of Government flags (Công văn 5007/BNV-TĐKT): at most the share of the
/// units voted to lead their cluster or bloc, as `proposals::flag` reads it for the year.
pub struct FlagCheck {
    pub share: String,
    /// The units voted to lead a cluster or bloc of the year.
    pub leaders: usize,
    pub allowed: i64,
    /// The council's choice, each with the cluster it leads.
    pub nominees: Vec<FlagNominee>,
}

impl FlagCheck {
    pub fn within(&self) -> bool {
        self.nominees.len() as i64 <= self.allowed
    }

    /// "Đạt" within the share, "Vượt" above it.
    pub fn verdict(&self) -> &'static str {
        if self.within() { "Đạt" } else { "Vượt" }
    }
}

pub struct Dashboard {
    pub year: i32,
    pub deadline: Option<NaiveDate>,
    pub rows: Vec<ClusterRow>,
    /// Every dossier state, "Chưa lập" first, with how many cluster years are in it.
    pub states: Vec<(DossierState, usize)>,
    pub awards: AwardTable,
    pub flag: FlagCheck,
}

fn scoring_summary(sheets: &[SheetInput]) -> ScoringSummary {
    let late = sheets
        .iter()
        .filter(|s| matches!(s.status, SheetStatus::Draft | SheetStatus::Returned))
        .filter(|s| s.days_late > 0)
        .map(|s| LateUnit {
            unit_id: s.unit_id,
            name: s.name.clone(),
            days: s.days_late,
        })
        .collect();
    ScoringSummary {
        members: sheets.len(),
        submitted: sheets
            .iter()
            .filter(|s| matches!(s.status, SheetStatus::Submitted | SheetStatus::Finalised))
            .count(),
        verified: sheets
            .iter()
            .filter(|s| s.status == SheetStatus::Finalised)
            .count(),
        late,
    }
}

/// Everything the council's dashboard and its export show for one year.
#[allow(clippy::too_many_arguments)]
pub fn council(
    year: i32,
    years: &[YearInput],
    dossiers: &[DossierInput],
    nominees: &[NomineeInput],
    decided: &[DecidedInput],
    types: &[AwardTypeInfo],
    settings: &Settings,
    flag: FlagCheck,
    today: NaiveDate,
) -> Dashboard {
    let deadline = settings.deadline(year);
    let rows: Vec<ClusterRow> = years
        .iter()
        .map(|yi| {
            let y = &yi.year;
            let d = dossiers.iter().find(|d| d.cluster_year_id == y.id);
            let state = d
                .map(|d| DossierState::parse(&d.state))
                .unwrap_or(DossierState::Missing);
            ClusterRow {
                year_id: y.id,
                cluster: y.cluster_name.clone(),
                kind: kind_label(&y.kind),
                leader: y.leader_unit_id.zip(y.leader_name.clone()),
                deputy: y.deputy_unit_id.zip(y.deputy_name.clone()),
                phase: y.phase.label(),
                scoring: yi.sheets.as_deref().map(scoring_summary),
                dossier: state,
                dossier_id: d.map(|d| d.id),
                dossier_days_late: dossier_days_late(
                    state,
                    d.and_then(|d| d.sent_on()),
                    deadline,
                    today,
                ),
            }
        })
        .collect();
    let states = DossierState::ALL
        .iter()
        .map(|s| (*s, rows.iter().filter(|r| r.dossier == *s).count()))
        .collect();
    let awards = award_table(years, nominees, decided, types);
    Dashboard {
        year,
        deadline,
        rows,
        states,
        awards,
        flag,
    }
}

fn award_table(
    years: &[YearInput],
    nominees: &[NomineeInput],
    decided: &[DecidedInput],
    types: &[AwardTypeInfo],
) -> AwardTable {
    // Columns: award types in the council's order, then names entered without a type.
    let type_name: HashMap<i64, &str> = types.iter().map(|t| (t.id, t.name.as_str())).collect();
    let position: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let column = |type_id: Option<i64>, name: &str| -> String {
        type_id
            .and_then(|id| type_name.get(&id).map(|n| n.to_string()))
            .unwrap_or_else(|| name.to_string())
    };
    let mut cells: BTreeMap<(i64, String), Count> = BTreeMap::new();
    for n in nominees {
        let key = (n.cluster_year_id, column(Some(n.award_type_id), ""));
        cells.entry(key).or_default().nominees += 1;
    }
    for a in decided {
        let key = (a.cluster_year_id, column(a.award_type_id, &a.award_name));
        cells.entry(key).or_default().awards += 1;
    }
    let mut columns: Vec<String> = cells.keys().map(|(_, c)| c.clone()).collect();
    columns.sort_by(|a, b| {
        let pa = position.get(a.as_str()).copied().unwrap_or(usize::MAX);
        let pb = position.get(b.as_str()).copied().unwrap_or(usize::MAX);
        pa.cmp(&pb).then_with(|| a.cmp(b))
    });
    columns.dedup();
    let mut totals = vec![Count::default(); columns.len()];
    let mut total = Count::default();
    let rows = years
        .iter()
        .map(|y| {
            let row: Vec<Count> = columns
                .iter()
                .map(|c| {
                    cells
                        .get(&(y.year.id, c.clone()))
                        .copied()
                        .unwrap_or_default()
                })
                .collect();
            let mut sum = Count::default();
            for (i, c) in row.iter().enumerate() {
                sum.add(*c);
                totals[i].add(*c);
            }
            total.add(sum);
            AwardRow {
                cluster: y.year.cluster_name.clone(),
                cells: row,
                total: sum,
            }
        })
        .collect();
    AwardTable {
        columns,
        rows,
        totals,
        total,
    }
}

/// Clusters on one page of the council's dashboard: at national scale a year has a thousand.
pub const CLUSTERS_PER_PAGE: i64 = 50;

pub use crate::web::paging::Pages;

/// Page `page` of the rows whose cluster's name contains `q`, ignoring case, diacritics and
/// spaces (an empty `q` matches all); a page past the end shows the last one.
pub fn page_of_clusters<'a>(
    rows: &'a [ClusterRow],
    q: &str,
    page: i64,
) -> (Vec<&'a ClusterRow>, Pages) {
    crate::web::paging::page_by_name(rows, |r| &r.cluster, q, page, CLUSTERS_PER_PAGE)
}
