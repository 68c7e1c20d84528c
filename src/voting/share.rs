//! The council's share, shown on an award vote before anyone votes and applied to its default
//! candidates: how many of each award type a cluster may propose. The Government flag is not
//! voted by a cluster (Công văn 5007/BNV-TĐKT, 2023): the cluster's vote of its top award — the
//! award the Government flag names as its prerequisite — makes the cluster's leading unit, and
//! the council chooses the Government-flag nominees among the leading units of all clusters.

use crate::cycle::store::AwardType;
use crate::db::TenantTx;
use crate::error::AppResult;

/// Per award type a cluster votes on with a quota: (award type, how many this cluster may
/// propose, the line the vote page shows); and the award type the cluster may not vote on.
pub struct Share {
    pub lines: Vec<(i64, i64, String)>,
    /// The Government flag, chosen by the council, never by a cluster's vote.
    pub government_flag: Option<i64>,
}

impl Share {
    /// How many of `award` this cluster may propose, if the award type has a quota.
    pub fn allowed(&self, award: i64) -> Option<i64> {
        self.lines.iter().find(|l| l.0 == award).map(|l| l.1)
    }

    /// Whether a cluster's vote may offer `award` (the Government flag it may not).
    pub fn offered(&self, award: i64) -> bool {
        self.government_flag != Some(award)
    }
}

pub async fn of_tenant(conn: &mut TenantTx) -> AppResult<Share> {
    let types = crate::cycle::store::kept_award_types(conn).await?;
    of_types(conn, &types).await
}

/// The share, from the award types the caller has read already.
pub async fn of_types(conn: &mut TenantTx, types: &[AwardType]) -> AppResult<Share> {
    let settings = crate::settings::store::kept(conn).await?;
    let government = settings
        .government_flag_id
        .and_then(|g| types.iter().find(|a| a.id == g));
    let top = government.and_then(|g| g.f.prerequisite_id);
    let mut lines = Vec::new();
    if let Some(g) = government {
        lines.push((
            g.id,
            0,
            format!(
                "{}: không bình xét tại cụm, khối; Hội đồng lựa chọn trong các đơn vị được suy \
                 tôn dẫn đầu các cụm, khối.",
                g.f.name
            ),
        ));
    }
    for a in types
        .iter()
        .filter(|a| Some(a.id) != settings.government_flag_id)
    {
        let Some(q) =
            a.f.quota_per_cluster
                .filter(|_| a.f.active && a.f.target == "collective")
        else {
            continue;
        };
        let q = i64::from(q.max(0));
        let line = if top == Some(a.id) {
            format!(
                "{}: mỗi cụm, khối tối đa {q}; đơn vị đạt nhiều phiếu đồng ý nhất được suy tôn là \
                 đơn vị dẫn đầu cụm, khối.",
                a.f.name
            )
        } else {
            format!("{}: mỗi cụm, khối tối đa {q}.", a.f.name)
        };
        lines.push((a.id, q, line));
    }
    Ok(Share {
        lines,
        government_flag: settings.government_flag_id,
    })
}
