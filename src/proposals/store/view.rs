//! What a dossier's page shows beside the dossier row, read in one statement: its nominees
//! (withdrawn ones with their reasons), the achievement reports, the steps so far, the
//! council's decision and outcome.

use sqlx::types::Json;

use super::nominees::{AnyNominee, split_withdrawn};
use super::{Decision, Event, Nominee, Report, Withdrawn};
use crate::db::TenantTx;

#[derive(sqlx::FromRow)]
struct Row {
    nominees: Json<Vec<AnyNominee>>,
    reports: Json<Vec<Report>>,
    events: Json<Vec<Event>>,
    decision: Option<Json<Decision>>,
    outcomes: Json<Vec<(String, String)>>,
}

pub struct DossierView {
    pub nominees: Vec<Nominee>,
    pub withdrawn: Vec<Withdrawn>,
    pub reports: Vec<Report>,
    pub events: Vec<Event>,
    pub decision: Option<Decision>,
    /// The council's outcome (unit, award), in its order.
    pub outcomes: Vec<(String, String)>,
}

/// The same rows as `nominees_and_withdrawn`, `reports`, `events`, `decision` and `outcomes`,
/// as JSON columns of one statement. Decimals travel as text: a JSON number would be read back
/// through a float.
pub async fn dossier_view(tx: &mut TenantTx, proposal_id: i64) -> sqlx::Result<DossierView> {
    let tenant_id = tx.tenant_id();
    let r: Row = sqlx::query_as(
        "SELECT
            (SELECT COALESCE(json_agg(json_build_object(
                        'award_type_id', n.award_type_id, 'award_name', a.name,
                        'unit_id', n.unit_id, 'unit_name', u.name,
                        'votes_for', n.votes_for, 'votes_against', n.votes_against,
                        'ballots', n.ballots, 'members', n.members,
                        'percent', n.percent::text, 'score', n.score::text, 'rank', n.rank,
                        'withdrawn_reason',
                        CASE WHEN n.withdrawn_at IS NOT NULL THEN n.withdrawn_reason END)
                      ORDER BY a.position, n.position), '[]')
               FROM proposal_nominees n
               JOIN award_types a ON a.tenant_id = n.tenant_id AND a.id = n.award_type_id
               JOIN units u ON u.tenant_id = n.tenant_id AND u.id = n.unit_id
              WHERE n.tenant_id = $1 AND n.proposal_id = $2) AS nominees,
            (SELECT COALESCE(json_agg(json_build_object(
                        'unit_id', r.unit_id, 'award_type_id', r.award_type_id,
                        'sections', r.sections, 'submitted_at', r.submitted_at,
                        'updated_at', r.updated_at)), '[]')
               FROM achievement_reports r
              WHERE r.tenant_id = $1 AND r.proposal_id = $2) AS reports,
            (SELECT COALESCE(json_agg(json_build_object(
                        'at', e.at, 'who', COALESCE(u.full_name, u.username),
                        'to_state', e.to_state, 'note', e.note)
                      ORDER BY e.at, e.id), '[]')
               FROM proposal_events e
               LEFT JOIN users u ON u.tenant_id = e.tenant_id AND u.id = e.user_id
              WHERE e.tenant_id = $1 AND e.proposal_id = $2) AS events,
            (SELECT json_build_object('id', d.id, 'number', d.number, 'signed_on', d.signed_on,
                                      'issuer', d.issuer)
               FROM award_decisions d
              WHERE d.tenant_id = $1 AND d.proposal_id = $2) AS decision,
            (SELECT COALESCE(json_agg(json_build_array(u.name, o.award_name)
                                      ORDER BY o.position), '[]')
               FROM proposal_outcomes o
               JOIN units u ON u.tenant_id = o.tenant_id AND u.id = o.unit_id
              WHERE o.tenant_id = $1 AND o.proposal_id = $2) AS outcomes",
    )
    .bind(tenant_id)
    .bind(proposal_id)
    .fetch_one(&mut **tx)
    .await?;
    let (nominees, withdrawn) = split_withdrawn(r.nominees.0);
    Ok(DossierView {
        nominees,
        withdrawn,
        reports: r.reports.0,
        events: r.events.0,
        decision: r.decision.map(|d| d.0),
        outcomes: r.outcomes.0,
    })
}
