//! What the home page needs beyond the years themselves, in one statement: per open year of the
//! unit, how far the leader's setting-up has come and which votes are open.

use crate::db::TenantTx;

#[derive(sqlx::FromRow, Debug, Clone, Default)]
pub struct YearProgress {
    pub cluster_year_id: i64,
    /// The year's members, as the home page has already loaded them (not read here).
    #[sqlx(skip)]
    pub members: i64,
    pub pledge_state: Option<String>,
    /// This unit's own steps: its signature and its registration's state.
    pub signed_by_unit: bool,
    pub registration_state: Option<String>,
    pub pledge_items: i64,
    pub signed: i64,
    pub finalised: i64,
    pub award_votes: i64,
    /// Open votes of the year: id, title, whether it takes ballots online, and whether this
    /// unit has already voted (participation only: nothing about its choices).
    pub open_vote_ids: Vec<i64>,
    pub open_vote_titles: Vec<String>,
    pub open_vote_online: Vec<bool>,
    pub open_vote_voted: Vec<bool>,
}

impl YearProgress {
    /// The unit's own pledge and registration steps, as the scoring tasks read them.
    pub fn steps(&self) -> crate::cycle::store::UnitSteps {
        crate::cycle::store::UnitSteps {
            cluster_year_id: self.cluster_year_id,
            pledge_state: self.pledge_state.clone(),
            signed: self.signed_by_unit,
            registration_state: self.registration_state.clone(),
        }
    }
}

pub async fn progress(
    tx: &mut TenantTx,
    unit_id: i64,
    year_ids: &[i64],
) -> sqlx::Result<Vec<YearProgress>> {
    if year_ids.is_empty() {
        return Ok(Vec::new());
    }
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT y.id AS cluster_year_id,
                p.state AS pledge_state,
                EXISTS (SELECT 1 FROM pledge_signatures s
                         WHERE s.tenant_id = $1 AND s.cluster_year_id = y.id AND s.unit_id = $2)
                  AS signed_by_unit,
                r.state AS registration_state,
                (SELECT count(*) FROM pledge_items i
                  WHERE i.tenant_id = $1 AND i.cluster_year_id = y.id) AS pledge_items,
                (SELECT count(*) FROM pledge_signatures s
                  WHERE s.tenant_id = $1 AND s.cluster_year_id = y.id) AS signed,
                (SELECT count(*) FROM scoresheets sh
                  WHERE sh.tenant_id = $1 AND sh.cluster_year_id = y.id
                    AND sh.status = 'finalised') AS finalised,
                (SELECT count(*) FROM votes v
                  WHERE v.tenant_id = $1 AND v.cluster_year_id = y.id AND v.kind = 'award')
                  AS award_votes,
                coalesce(o.ids, '{}') AS open_vote_ids,
                coalesce(o.titles, '{}') AS open_vote_titles,
                coalesce(o.online, '{}') AS open_vote_online,
                coalesce(o.voted, '{}') AS open_vote_voted
           FROM unnest($3::bigint[]) AS y(id)
           LEFT JOIN pledges p ON p.tenant_id = $1 AND p.cluster_year_id = y.id
           LEFT JOIN registrations r
                  ON r.tenant_id = $1 AND r.cluster_year_id = y.id AND r.unit_id = $2
           LEFT JOIN LATERAL (
                SELECT array_agg(v.id ORDER BY v.id) AS ids,
                       array_agg(v.title ORDER BY v.id) AS titles,
                       array_agg(v.mode = 'online' ORDER BY v.id) AS online,
                       array_agg(EXISTS (SELECT 1 FROM vote_participation vp
                                          WHERE vp.tenant_id = $1 AND vp.vote_id = v.id
                                            AND vp.unit_id = $2) ORDER BY v.id) AS voted
                  FROM votes v
                 WHERE v.tenant_id = $1 AND v.cluster_year_id = y.id AND v.state = 'open'
           ) o ON true",
    )
    .bind(tenant_id)
    .bind(unit_id)
    .bind(year_ids)
    .fetch_all(&mut **tx)
    .await
}

/// The council's home page figures: active units, enabled accounts, clusters, and the dossiers
/// its office must act on (sent and not yet received; received and not yet decided).
#[derive(sqlx::FromRow, Debug, Clone, Copy, Default)]
pub struct CouncilFigures {
    pub units: i64,
    pub users: i64,
    pub clusters: i64,
    pub sent: i64,
    pub received: i64,
}

/// Units, accounts and clusters counted once per catalog version (migrations 0038 and 0039:
/// any write that could change a count raises it, through any app instance).
#[derive(sqlx::FromRow, Debug, Clone, Copy)]
struct CatalogCounts {
    units: i64,
    users: i64,
    clusters: i64,
}

/// The council's figures: the tenant's counts, kept by its catalog version, and the dossiers
/// waiting for the council, read each time with that version in one statement.
pub async fn council_figures(tx: &mut TenantTx) -> sqlx::Result<CouncilFigures> {
    let tenant_id = tx.tenant_id();
    let (version, sent, received): (i64, i64, i64) = sqlx::query_as(
        "SELECT COALESCE((SELECT version FROM catalog_versions WHERE tenant_id = $1), 0),
                (SELECT count(*) FROM proposals WHERE tenant_id = $1 AND state = 'sent'),
                (SELECT count(*) FROM proposals WHERE tenant_id = $1 AND state = 'received')",
    )
    .bind(tenant_id)
    .fetch_one(&mut **tx)
    .await?;
    let counts = match tx.cache().get_at::<CatalogCounts>(tenant_id, 0, version) {
        Some(kept) => *kept,
        None => {
            let counts: CatalogCounts = sqlx::query_as(
                "SELECT (SELECT count(*) FROM units WHERE tenant_id = $1 AND active) AS units,
                        (SELECT count(*) FROM users WHERE tenant_id = $1 AND NOT disabled) AS users,
                        (SELECT count(*) FROM clusters WHERE tenant_id = $1) AS clusters",
            )
            .bind(tenant_id)
            .fetch_one(&mut **tx)
            .await?;
            tx.cache()
                .put_at(tenant_id, 0, version, std::sync::Arc::new(counts));
            counts
        }
    };
    Ok(CouncilFigures {
        units: counts.units,
        users: counts.users,
        clusters: counts.clusters,
        sent,
        received,
    })
}
