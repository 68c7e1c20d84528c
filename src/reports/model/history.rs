//! A unit's history: its verified result in each cluster year and its awards, by year.

use rust_decimal::Decimal;

use super::UnitAward;
use crate::scoring::model::{self as scoring, SheetStatus};
use crate::scoring::tasks::YearResults;

/// A unit's verified result in one cluster year.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub total: Decimal,
    pub percent: Decimal,
    pub rank: Option<usize>,
    pub tied: bool,
    /// Members of the cluster year: the "of" in "2/7".
    pub of: usize,
    pub rating: Option<String>,
}

#[derive(Debug, Clone)]
pub struct YearOutcome {
    pub year: i32,
    pub year_id: i64,
    pub cluster: String,
    /// None until the unit's sheet is final.
    pub result: Option<Outcome>,
}

/// The unit's result in each of its years, from the scoring results (final sheets only).
pub fn outcomes(unit_id: i64, years: &[YearResults<'_>]) -> Vec<YearOutcome> {
    years
        .iter()
        .map(|yr| {
            let result = yr.results.as_ref().and_then(|res| {
                let mine = res
                    .iter()
                    .find(|r| r.unit_id == unit_id && r.status == SheetStatus::Finalised)?;
                let v = mine.verified.as_ref()?;
                Some(Outcome {
                    total: v.total,
                    percent: v.percent,
                    rank: mine.rank.as_ref().map(|k| k.rank),
                    tied: mine.rank.as_ref().is_some_and(|k| k.tied),
                    of: res.len(),
                    rating: mine.rating.clone(),
                })
            });
            YearOutcome {
                year: yr.year.year,
                year_id: yr.year.id,
                cluster: yr.year.cluster_name.clone(),
                result,
            }
        })
        .collect()
}

pub struct HistoryRow {
    pub year: i32,
    pub year_id: Option<i64>,
    pub cluster: String,
    pub total: String,
    pub percent: String,
    pub rank: String,
    pub rating: String,
    /// The year's awards, shown on the year's first row only.
    pub awards: Vec<String>,
}

/// One row per cluster year (newest first), and one per year that has only awards (the years
/// before thidua, from the paper record).
pub fn history_rows(outcomes: &[YearOutcome], awards: &[UnitAward]) -> Vec<HistoryRow> {
    let mut years: Vec<i32> = outcomes
        .iter()
        .map(|o| o.year)
        .chain(awards.iter().map(|a| a.year))
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut rows = Vec::new();
    for y in years {
        let mut year_awards: Vec<&UnitAward> = awards.iter().filter(|a| a.year == y).collect();
        year_awards.sort_by(|a, b| {
            (a.decision_date, &a.award_name).cmp(&(b.decision_date, &b.award_name))
        });
        let mut names: Vec<String> = year_awards.iter().map(|a| a.award_name.clone()).collect();
        let mut of_year: Vec<&YearOutcome> = outcomes.iter().filter(|o| o.year == y).collect();
        of_year.sort_by(|a, b| a.cluster.cmp(&b.cluster));
        if of_year.is_empty() {
            rows.push(HistoryRow {
                year: y,
                year_id: None,
                cluster: String::new(),
                total: String::new(),
                percent: String::new(),
                rank: String::new(),
                rating: String::new(),
                awards: names,
            });
            continue;
        }
        for o in of_year {
            let r = o.result.as_ref();
            rows.push(HistoryRow {
                year: y,
                year_id: Some(o.year_id),
                cluster: o.cluster.clone(),
                total: r.map(|r| scoring::fmt(r.total)).unwrap_or_default(),
                percent: r
                    .map(|r| format!("{}%", scoring::fmt(r.percent)))
                    .unwrap_or_default(),
                rank: r
                    .and_then(|r| {
                        r.rank.map(|k| {
                            format!("{k}/{}{}", r.of, if r.tied { " (đồng hạng)" } else { "" })
                        })
                    })
                    .unwrap_or_default(),
                rating: r.and_then(|r| r.rating.clone()).unwrap_or_default(),
                awards: std::mem::take(&mut names),
            });
        }
    }
    rows
}
