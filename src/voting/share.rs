//! The council's share, shown on an award vote before anyone votes and applied to its default
//! candidates: how many of each award type a cluster may propose, and how many Government flags
//! the whole council may propose in the year (a share of the cluster leaders, rounded down).

use crate::settings::model::government_flag_limit;

use crate::cycle::store::AwardType;
use crate::db::TenantTx;
use crate::error::AppResult;

/// Per award type with a quota: (award type, how many this cluster may propose, the line the
/// vote page shows).
pub struct Share {
    pub lines: Vec<(i64, i64, String)>,
}

impl Share {
    /// How many of `award` this cluster may propose, if the award type has a quota.
    pub fn allowed(&self, award: i64) -> Option<i64> {
        self.lines.iter().find(|l| l.0 == award).map(|l| l.1)
    }
}

pub async fn of_year(conn: &mut TenantTx, year: i32) -> AppResult<Share> {
    let types = crate::cycle::store::award_types(conn).await?;
    of_year_with(conn, year, &types).await
}

/// The share, from the award types the caller has read already.
pub async fn of_year_with(conn: &mut TenantTx, year: i32, types: &[AwardType]) -> AppResult<Share> {
    let (settings, leaders) = crate::settings::store::load_with_leaders(conn, year).await?;
    let mut lines = Vec::new();
    for a in types {
        let Some(q) =
            a.f.quota_per_cluster
                .filter(|_| a.f.active && a.f.target == "collective")
        else {
            continue;
        };
        let q = i64::from(q.max(0));
        if settings.government_flag_id == Some(a.id) {
            let all = i64::from(government_flag_limit(
                settings.government_flag_share,
                u32::try_from(leaders).unwrap_or(0),
            ));
            let pct = crate::web::forms::decimal_vn(settings.government_flag_share);
            let line = format!(
                "{}: tối đa {} trong cả Hội đồng năm {year} ({pct}% của {leaders} cụm, khối có cụm trưởng, làm tròn xuống); mỗi cụm, khối tối đa {q}.",
                a.f.name, all
            );
            lines.push((a.id, q.min(all), line));
        } else {
            let line = format!("{}: mỗi cụm, khối tối đa {q}.", a.f.name);
            lines.push((a.id, q, line));
        }
    }
    Ok(Share { lines })
}
