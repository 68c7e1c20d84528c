//! The Government-flag share as Công văn 5007 says: each cluster's vote yields its
//! leading unit, and the council chooses among the leading units of all clusters of the year,
//! at most the share of them, naming the cluster each leads.

pub mod document;
pub mod handlers;
pub mod model;
pub mod store;

use crate::db::TenantTx;
use crate::proposals::store::Nominee;
use crate::settings::model::Settings;

/// A year's leading units (one per cluster, clusters by name) with the council's choice among
/// them, read under the settings of that year: what the selection page, the inbox and the
/// decision all count, so that they agree.
pub struct FlagYear {
    pub settings: Settings,
    pub leaders: Vec<store::LeadRow>,
    /// Clusters whose vote left two units equal at the top.
    pub tied: Vec<String>,
    /// The award whose vote makes a cluster's leading unit, if the settings name one.
    pub top_award: Option<String>,
}

impl FlagYear {
    /// How many the council may choose: the year's share of the leading units.
    pub fn limit(&self) -> u32 {
        model::limit(self.settings.government_flag_share, self.leaders.len())
    }

    pub fn chosen(&self) -> impl Iterator<Item = &store::LeadRow> {
        self.leaders.iter().filter(|l| l.selected)
    }

    /// The choice as (cluster year, unit) pairs.
    pub fn chosen_pairs(&self) -> Vec<(i64, i64)> {
        self.chosen()
            .map(|l| (l.cluster_year_id, l.unit_id))
            .collect()
    }

    /// What a decision on a cluster's dossier may award: its nominees, and the Government flag
    /// for the unit the council chose as leading that cluster (a cluster no longer votes it).
    pub fn decision_choices(&self, cluster_year_id: i64, nominees: &[Nominee]) -> Vec<Nominee> {
        let mut out = nominees.to_vec();
        let Some(gid) = self.settings.government_flag_id else {
            return out;
        };
        for l in self
            .chosen()
            .filter(|l| l.cluster_year_id == cluster_year_id)
        {
            if !out
                .iter()
                .any(|n| n.award_type_id == gid && n.unit_id == l.unit_id)
            {
                out.push(Nominee {
                    award_type_id: gid,
                    award_name: l.government_flag_name.clone(),
                    unit_id: l.unit_id,
                    unit_name: l.unit_name.clone(),
                    votes_for: l.votes_for,
                    votes_against: l.votes_against,
                    ballots: l.ballots,
                    members: l.members,
                    percent: l.percent,
                    score: l.score,
                    rank: l.rank,
                });
            }
        }
        out
    }

    /// The year's choice as the decision form shows it: each unit with the cluster it leads.
    pub fn chosen_lines(&self) -> Vec<String> {
        self.chosen()
            .map(|l| format!("{} (dẫn đầu {})", l.unit_name, l.cluster_name))
            .collect()
    }
}

/// The year's leading units and the council's choice, under the rule set in force that year.
pub async fn of_year(tx: &mut TenantTx, year: i32) -> sqlx::Result<FlagYear> {
    let settings = crate::settings::store::load_for_year(tx, year).await?;
    let rows = store::passed_top_award(tx, year, settings.government_flag_id).await?;
    let top_award = rows.first().map(|r| r.award_name.clone());
    let (lead, tied) = model::leading_units(&rows.iter().map(|r| r.passed()).collect::<Vec<_>>());
    let leaders = rows
        .into_iter()
        .filter(|r| {
            lead.iter()
                .any(|l| l.cluster_year_id == r.cluster_year_id && l.unit_id == r.unit_id)
        })
        .collect();
    Ok(FlagYear {
        settings,
        leaders,
        tied,
        top_award,
    })
}
