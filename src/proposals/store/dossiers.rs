//! Dossiers and their steps.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};
use sqlx::PgConnection;

use super::audited;
use crate::audit::Actor;
use crate::db::TenantTx;
use crate::proposals::model::ProposalState;

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Proposal {
    pub id: i64,
    pub cluster_year_id: i64,
    pub vote_id: i64,
    pub election_vote_id: Option<i64>,
    pub state: ProposalState,
    pub cover_template_id: i64,
    pub minutes_template_id: i64,
    pub report_template_id: i64,
    pub list_template_id: i64,
    pub number: String,
    pub letter_date: Option<NaiveDate>,
    pub meeting_date: Option<NaiveDate>,
    pub meeting_time: String,
    pub meeting_place: String,
    pub chair: String,
    pub secretary: String,
    pub cover_text: sqlx::types::Json<serde_json::Map<String, Value>>,
    pub minutes_text: sqlx::types::Json<serde_json::Map<String, Value>>,
    pub return_reason: String,
    pub sent_at: Option<DateTime<Utc>>,
}

const PROPOSAL_SELECT: &str = "SELECT id, cluster_year_id, vote_id, election_vote_id, state,
        cover_template_id, minutes_template_id, report_template_id, list_template_id, number,
        letter_date, meeting_date, meeting_time, meeting_place, chair, secretary, cover_text,
        minutes_text, return_reason, sent_at
   FROM proposals";

pub async fn proposal(tx: &mut TenantTx, id: i64, lock: bool) -> sqlx::Result<Option<Proposal>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{PROPOSAL_SELECT} WHERE tenant_id = $1 AND id = $2{}",
        if lock { " FOR UPDATE" } else { "" }
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

pub async fn proposal_of_year(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Option<Proposal>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{PROPOSAL_SELECT} WHERE tenant_id = $1 AND cluster_year_id = $2"
    ))
    .bind(tenant_id)
    .bind(year_id)
    .fetch_optional(&mut **tx)
    .await
}

pub struct NewProposal<'a> {
    pub year_id: i64,
    pub vote_id: i64,
    pub election_vote_id: Option<i64>,
    pub templates: [i64; 4],
    pub meeting_date: Option<NaiveDate>,
    pub meeting_place: &'a str,
    pub chair: &'a str,
}

pub async fn insert_proposal(
    conn: &mut PgConnection,
    actor: &Actor,
    p: &NewProposal<'_>,
) -> sqlx::Result<i64> {
    insert_proposal_at(conn, actor, p, None).await
}

/// A dossier drafted at `at` (None: now); the demo's history carries the dates of its story.
pub async fn insert_proposal_at(
    conn: &mut PgConnection,
    actor: &Actor,
    p: &NewProposal<'_>,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO proposals (tenant_id, cluster_year_id, vote_id, election_vote_id,
             cover_template_id, minutes_template_id, report_template_id, list_template_id,
             meeting_date, meeting_place, chair, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                 COALESCE($12, now()), COALESCE($12, now())) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(p.year_id)
    .bind(p.vote_id)
    .bind(p.election_vote_id)
    .bind(p.templates[0])
    .bind(p.templates[1])
    .bind(p.templates[2])
    .bind(p.templates[3])
    .bind(p.meeting_date)
    .bind(p.meeting_place)
    .bind(p.chair)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    event(conn, actor, id, None, ProposalState::Draft, "", at).await?;
    let after = json!({ "cluster_year_id": p.year_id, "vote_id": p.vote_id });
    audited::created(conn, actor, "proposal", &id.to_string(), after).await?;
    Ok(id)
}

/// What the leader writes: the letter's number and date, the meeting, the texts.
pub struct Texts {
    pub number: String,
    pub letter_date: Option<NaiveDate>,
    pub meeting_date: Option<NaiveDate>,
    pub meeting_time: String,
    pub meeting_place: String,
    pub chair: String,
    pub secretary: String,
    pub cover_text: serde_json::Map<String, Value>,
    pub minutes_text: serde_json::Map<String, Value>,
}

fn texts_json(t: &Texts) -> Value {
    json!({
        "number": t.number, "letter_date": t.letter_date, "meeting_date": t.meeting_date,
        "meeting_time": t.meeting_time, "meeting_place": t.meeting_place, "chair": t.chair,
        "secretary": t.secretary, "cover_text": t.cover_text, "minutes_text": t.minutes_text,
    })
}

pub fn texts_of(p: &Proposal) -> Texts {
    Texts {
        number: p.number.clone(),
        letter_date: p.letter_date,
        meeting_date: p.meeting_date,
        meeting_time: p.meeting_time.clone(),
        meeting_place: p.meeting_place.clone(),
        chair: p.chair.clone(),
        secretary: p.secretary.clone(),
        cover_text: p.cover_text.0.clone(),
        minutes_text: p.minutes_text.0.clone(),
    }
}

pub async fn save_texts(
    conn: &mut PgConnection,
    actor: &Actor,
    p: &Proposal,
    t: &Texts,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE proposals SET number = $3, letter_date = $4, meeting_date = $5, meeting_time = $6,
             meeting_place = $7, chair = $8, secretary = $9, cover_text = $10, minutes_text = $11,
             updated_at = now()
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(p.id)
    .bind(&t.number)
    .bind(t.letter_date)
    .bind(t.meeting_date)
    .bind(&t.meeting_time)
    .bind(&t.meeting_place)
    .bind(&t.chair)
    .bind(&t.secretary)
    .bind(sqlx::types::Json(&t.cover_text))
    .bind(sqlx::types::Json(&t.minutes_text))
    .execute(&mut *conn)
    .await?;
    let (before, after) = (texts_json(&texts_of(p)), texts_json(t));
    audited::updated(conn, actor, "proposal", &p.id.to_string(), &before, &after).await
}

/// Takes a step: the new state, the step's record, and the audit row.
/// `at`: when the step was taken, if not now (the demo's past years).
pub async fn set_state(
    conn: &mut PgConnection,
    actor: &Actor,
    p: &Proposal,
    to: ProposalState,
    note: &str,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    let reason = if to.is_returned() { note } else { "" };
    sqlx::query(
        "UPDATE proposals SET state = $3, return_reason = $4, updated_at = now(),
             sent_at = CASE WHEN $3 = 'sent' THEN COALESCE($5, now()) ELSE sent_at END
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(p.id)
    .bind(to.as_str())
    .bind(reason)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    event(conn, actor, p.id, Some(p.state), to, note, at).await?;
    let around = (
        json!({ "state": p.state }),
        json!({ "state": to, "note": note }),
    );
    audited::step(
        conn,
        actor,
        "proposal",
        &p.id.to_string(),
        to.as_str(),
        Some(around),
    )
    .await
}

async fn event(
    conn: &mut PgConnection,
    actor: &Actor,
    proposal_id: i64,
    from: Option<ProposalState>,
    to: ProposalState,
    note: &str,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO proposal_events (tenant_id, proposal_id, user_id, from_state, to_state, note, at)
         VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, now()))",
    )
    .bind(actor.tenant_id)
    .bind(proposal_id)
    .bind(actor.user_id)
    .bind(from.map(ProposalState::as_str))
    .bind(to.as_str())
    .bind(note)
    .bind(at)
    .execute(conn)
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow, serde::Deserialize, Debug, Clone)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub who: Option<String>,
    pub to_state: ProposalState,
    pub note: String,
}
