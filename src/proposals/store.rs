//! The SQL of dossiers, their nominees, steps and reports, document templates, the council's
//! settings and decisions. Every change writes its audit row in the caller's transaction.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use sqlx::PgConnection;

use super::templates::{self, Section};
use crate::audit::{self, Actor};

// ---- settings ---------------------------------------------------------------------------------

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Settings {
    pub government_flag_share: Decimal,
    pub proposal_deadline_month: i16,
    pub proposal_deadline_day: i16,
    /// Rounds of a peer vote at most before the leader and deputy settle a tie.
    pub vote_rounds: i16,
    /// The award type counted against the share (resolved: the setting, else the legal name).
    pub government_flag_id: Option<i64>,
}

pub async fn settings(conn: &mut PgConnection, tenant_id: i64) -> sqlx::Result<Settings> {
    sqlx::query_as(
        "SELECT COALESCE(s.government_flag_share, 20) AS government_flag_share,
                COALESCE(s.proposal_deadline_month, 12::smallint) AS proposal_deadline_month,
                COALESCE(s.proposal_deadline_day, 10::smallint) AS proposal_deadline_day,
                COALESCE(s.vote_rounds, 2::smallint) AS vote_rounds,
                COALESCE(s.government_flag_id,
                    (SELECT id FROM award_types
                      WHERE tenant_id = $1 AND name = 'Cờ thi đua của Chính phủ')) AS government_flag_id
           FROM (SELECT $1::bigint AS tenant_id) t
           LEFT JOIN tenant_settings s ON s.tenant_id = t.tenant_id",
    )
    .bind(tenant_id)
    .fetch_one(conn)
    .await
}

pub async fn save_settings(
    conn: &mut PgConnection,
    actor: &Actor,
    before: &Settings,
    s: &Settings,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO tenant_settings (tenant_id, government_flag_share, proposal_deadline_month,
             proposal_deadline_day, government_flag_id, vote_rounds)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant_id) DO UPDATE SET government_flag_share = $2,
             proposal_deadline_month = $3, proposal_deadline_day = $4, government_flag_id = $5,
             vote_rounds = $6, updated_at = now()",
    )
    .bind(actor.tenant_id)
    .bind(s.government_flag_share)
    .bind(s.proposal_deadline_month)
    .bind(s.proposal_deadline_day)
    .bind(s.government_flag_id)
    .bind(s.vote_rounds)
    .execute(&mut *conn)
    .await?;
    let j = |s: &Settings| {
        json!({ "government_flag_share": s.government_flag_share.to_string(),
                "government_flag_id": s.government_flag_id,
                "vote_rounds": s.vote_rounds,
                "deadline": format!("{:02}/{:02}", s.proposal_deadline_day, s.proposal_deadline_month) })
    };
    let (b, a) = audit::diff(&j(before), &j(s));
    audit::record(
        conn,
        actor,
        "tenant_settings",
        "",
        "updated",
        Some(b),
        Some(a),
    )
    .await
}

// ---- templates --------------------------------------------------------------------------------

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct TemplateRow {
    pub id: i64,
    pub kind: String,
    pub version: i32,
    pub name: String,
    pub legal_basis: String,
    pub sections: sqlx::types::Json<Vec<Section>>,
    pub created_at: DateTime<Utc>,
}

const TEMPLATE_SELECT: &str =
    "SELECT id, kind, version, name, legal_basis, sections, created_at FROM document_templates";

/// Writes the shipped version 1 of every kind the tenant has no template of yet.
pub async fn ensure_templates(conn: &mut PgConnection, actor: &Actor) -> sqlx::Result<()> {
    for d in templates::defaults() {
        let exists: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM document_templates WHERE tenant_id = $1 AND kind = $2)",
        )
        .bind(actor.tenant_id)
        .bind(d.kind)
        .fetch_one(&mut *conn)
        .await?;
        if !exists {
            insert_template(conn, actor, d.kind, d.name, d.legal_basis, &d.sections).await?;
        }
    }
    Ok(())
}

pub async fn templates(conn: &mut PgConnection, tenant_id: i64) -> sqlx::Result<Vec<TemplateRow>> {
    sqlx::query_as(&format!(
        "{TEMPLATE_SELECT} WHERE tenant_id = $1 ORDER BY kind, version DESC"
    ))
    .bind(tenant_id)
    .fetch_all(conn)
    .await
}

pub async fn template(
    conn: &mut PgConnection,
    tenant_id: i64,
    id: i64,
) -> sqlx::Result<Option<TemplateRow>> {
    sqlx::query_as(&format!(
        "{TEMPLATE_SELECT} WHERE tenant_id = $1 AND id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn latest_template(
    conn: &mut PgConnection,
    tenant_id: i64,
    kind: &str,
) -> sqlx::Result<Option<TemplateRow>> {
    sqlx::query_as(&format!(
        "{TEMPLATE_SELECT} WHERE tenant_id = $1 AND kind = $2 ORDER BY version DESC LIMIT 1"
    ))
    .bind(tenant_id)
    .bind(kind)
    .fetch_optional(conn)
    .await
}

/// Writes the next version of a kind; returns its id.
pub async fn insert_template(
    conn: &mut PgConnection,
    actor: &Actor,
    kind: &str,
    name: &str,
    legal_basis: &str,
    sections: &[Section],
) -> sqlx::Result<i64> {
    // Versions of one kind are numbered in order; the lock keeps two editors from taking one.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('document_templates'), $1::int)")
        .bind(actor.tenant_id as i32)
        .execute(&mut *conn)
        .await?;
    let (id, version): (i64, i32) = sqlx::query_as(
        "INSERT INTO document_templates (tenant_id, kind, version, name, legal_basis, sections)
         SELECT $1, $2, COALESCE(max(version), 0) + 1, $3, $4, $5
           FROM document_templates WHERE tenant_id = $1 AND kind = $2
         RETURNING id, version",
    )
    .bind(actor.tenant_id)
    .bind(kind)
    .bind(name)
    .bind(legal_basis)
    .bind(sqlx::types::Json(sections))
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "document_template",
        &id.to_string(),
        "created",
        None,
        Some(json!({ "kind": kind, "version": version, "name": name })),
    )
    .await?;
    Ok(id)
}

// ---- dossiers ---------------------------------------------------------------------------------

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Proposal {
    pub id: i64,
    pub cluster_year_id: i64,
    pub vote_id: i64,
    pub election_vote_id: Option<i64>,
    pub state: String,
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

pub async fn proposal(
    conn: &mut PgConnection,
    tenant_id: i64,
    id: i64,
    lock: bool,
) -> sqlx::Result<Option<Proposal>> {
    sqlx::query_as(&format!(
        "{PROPOSAL_SELECT} WHERE tenant_id = $1 AND id = $2{}",
        if lock { " FOR UPDATE" } else { "" }
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn proposal_of_year(
    conn: &mut PgConnection,
    tenant_id: i64,
    year_id: i64,
) -> sqlx::Result<Option<Proposal>> {
    sqlx::query_as(&format!(
        "{PROPOSAL_SELECT} WHERE tenant_id = $1 AND cluster_year_id = $2"
    ))
    .bind(tenant_id)
    .bind(year_id)
    .fetch_optional(conn)
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
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO proposals (tenant_id, cluster_year_id, vote_id, election_vote_id,
             cover_template_id, minutes_template_id, report_template_id, list_template_id,
             meeting_date, meeting_place, chair)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
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
    .fetch_one(&mut *conn)
    .await?;
    event(conn, actor, id, None, "draft", "", None).await?;
    audit::record(
        conn,
        actor,
        "proposal",
        &id.to_string(),
        "created",
        None,
        Some(json!({ "cluster_year_id": p.year_id, "vote_id": p.vote_id })),
    )
    .await?;
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
    let (b, a) = audit::diff(&texts_json(&texts_of(p)), &texts_json(t));
    audit::record(
        conn,
        actor,
        "proposal",
        &p.id.to_string(),
        "updated",
        Some(b),
        Some(a),
    )
    .await
}

/// Takes a step: the new state, the step's record, and the audit row.
/// `at`: when the step was taken, if not now (the demo's past years).
pub async fn set_state(
    conn: &mut PgConnection,
    actor: &Actor,
    p: &Proposal,
    to: &str,
    note: &str,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    let reason = if to == "returned" { note } else { "" };
    sqlx::query(
        "UPDATE proposals SET state = $3, return_reason = $4, updated_at = now(),
             sent_at = CASE WHEN $3 = 'sent' THEN COALESCE($5, now()) ELSE sent_at END
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(p.id)
    .bind(to)
    .bind(reason)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    event(conn, actor, p.id, Some(&p.state), to, note, at).await?;
    audit::record(
        conn,
        actor,
        "proposal",
        &p.id.to_string(),
        to,
        Some(json!({ "state": p.state })),
        Some(json!({ "state": to, "note": note })),
    )
    .await
}

async fn event(
    conn: &mut PgConnection,
    actor: &Actor,
    proposal_id: i64,
    from: Option<&str>,
    to: &str,
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
    .bind(from)
    .bind(to)
    .bind(note)
    .bind(at)
    .execute(conn)
    .await
    .map(|_| ())
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub who: Option<String>,
    pub to_state: String,
    pub note: String,
}

pub async fn events(conn: &mut PgConnection, tenant_id: i64, id: i64) -> sqlx::Result<Vec<Event>> {
    sqlx::query_as(
        "SELECT e.at, COALESCE(u.full_name, u.username) AS who, e.to_state, e.note
           FROM proposal_events e
           LEFT JOIN users u ON u.tenant_id = e.tenant_id AND u.id = e.user_id
          WHERE e.tenant_id = $1 AND e.proposal_id = $2
          ORDER BY e.at, e.id",
    )
    .bind(tenant_id)
    .bind(id)
    .fetch_all(conn)
    .await
}

// ---- nominees ---------------------------------------------------------------------------------

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Nominee {
    pub award_type_id: i64,
    pub award_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub votes_for: i32,
    pub votes_against: i32,
    pub ballots: i32,
    pub members: i32,
    pub percent: Decimal,
    pub score: Option<Decimal>,
    pub rank: Option<i32>,
}

pub async fn insert_nominee(
    conn: &mut PgConnection,
    tenant_id: i64,
    proposal_id: i64,
    position: i32,
    n: &Nominee,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO proposal_nominees (tenant_id, proposal_id, award_type_id, unit_id, position,
             votes_for, votes_against, ballots, members, percent, score, rank)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(tenant_id)
    .bind(proposal_id)
    .bind(n.award_type_id)
    .bind(n.unit_id)
    .bind(position)
    .bind(n.votes_for)
    .bind(n.votes_against)
    .bind(n.ballots)
    .bind(n.members)
    .bind(n.percent)
    .bind(n.score)
    .bind(n.rank)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn nominees(
    conn: &mut PgConnection,
    tenant_id: i64,
    proposal_id: i64,
) -> sqlx::Result<Vec<Nominee>> {
    sqlx::query_as(
        "SELECT n.award_type_id, a.name AS award_name, n.unit_id,
                u.name AS unit_name, n.votes_for, n.votes_against, n.ballots, n.members, n.percent,
                n.score, n.rank
           FROM proposal_nominees n
           JOIN award_types a ON a.tenant_id = n.tenant_id AND a.id = n.award_type_id
           JOIN units u ON u.tenant_id = n.tenant_id AND u.id = n.unit_id
          WHERE n.tenant_id = $1 AND n.proposal_id = $2
          ORDER BY a.position, n.position",
    )
    .bind(tenant_id)
    .bind(proposal_id)
    .fetch_all(conn)
    .await
}

// ---- achievement reports ----------------------------------------------------------------------

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Report {
    pub unit_id: i64,
    pub sections: sqlx::types::Json<serde_json::Map<String, Value>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

pub async fn reports(
    conn: &mut PgConnection,
    tenant_id: i64,
    proposal_id: i64,
) -> sqlx::Result<Vec<Report>> {
    sqlx::query_as(
        "SELECT unit_id, sections, submitted_at, updated_at FROM achievement_reports
          WHERE tenant_id = $1 AND proposal_id = $2",
    )
    .bind(tenant_id)
    .bind(proposal_id)
    .fetch_all(conn)
    .await
}

/// Saves a report's texts; a saved change withdraws an earlier submission, so the head
/// submits what the dossier will carry.
pub async fn save_report(
    conn: &mut PgConnection,
    actor: &Actor,
    proposal_id: i64,
    unit_id: i64,
    before: Option<&Report>,
    sections: &serde_json::Map<String, Value>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO achievement_reports (tenant_id, proposal_id, unit_id, sections)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, proposal_id, unit_id)
         DO UPDATE SET sections = $4, submitted_at = NULL, updated_at = now()",
    )
    .bind(actor.tenant_id)
    .bind(proposal_id)
    .bind(unit_id)
    .bind(sqlx::types::Json(sections))
    .execute(&mut *conn)
    .await?;
    let old = before.map(|r| Value::Object(r.sections.0.clone()));
    let (b, a) = audit::diff(
        &old.unwrap_or_else(|| json!({})),
        &Value::Object(sections.clone()),
    );
    audit::record(
        conn,
        actor,
        "achievement_report",
        &format!("{proposal_id}/{unit_id}"),
        "updated",
        Some(b),
        Some(a),
    )
    .await
}

/// `at`: when the head submitted, if not now (the demo's past years).
pub async fn submit_report(
    conn: &mut PgConnection,
    actor: &Actor,
    proposal_id: i64,
    unit_id: i64,
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO achievement_reports (tenant_id, proposal_id, unit_id, submitted_at)
         VALUES ($1, $2, $3, COALESCE($4, now()))
         ON CONFLICT (tenant_id, proposal_id, unit_id)
         DO UPDATE SET submitted_at = COALESCE($4, now())",
    )
    .bind(actor.tenant_id)
    .bind(proposal_id)
    .bind(unit_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "achievement_report",
        &format!("{proposal_id}/{unit_id}"),
        "submitted",
        None,
        None,
    )
    .await
}

// ---- the council ------------------------------------------------------------------------------

/// One line of the council's inbox: a cluster year and its dossier, if any.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct InboxRow {
    pub year_id: i64,
    pub cluster_name: String,
    pub leader_name: Option<String>,
    pub proposal_id: Option<i64>,
    pub state: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub nominees: i64,
    pub government_nominees: i64,
}

/// `government_flag`: the award type whose nominees are counted against the share.
pub async fn inbox(
    conn: &mut PgConnection,
    tenant_id: i64,
    year: i32,
    government_flag: Option<i64>,
) -> sqlx::Result<Vec<InboxRow>> {
    sqlx::query_as(
        r#"SELECT y.id AS year_id, c.name AS cluster_name, l.name AS leader_name,
                  p.id AS proposal_id, p.state, p.sent_at,
                  (SELECT count(*) FROM proposal_nominees n
                    WHERE n.tenant_id = y.tenant_id AND n.proposal_id = p.id) AS nominees,
                  (SELECT count(*) FROM proposal_nominees n
                    WHERE n.tenant_id = y.tenant_id AND n.proposal_id = p.id
                      AND n.award_type_id = $3) AS government_nominees
             FROM cluster_years y
             JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
             LEFT JOIN units l ON l.tenant_id = y.tenant_id AND l.id = y.leader_unit_id
             LEFT JOIN proposals p ON p.tenant_id = y.tenant_id AND p.cluster_year_id = y.id
            WHERE y.tenant_id = $1 AND y.year = $2
            ORDER BY c.name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .bind(year)
    .bind(government_flag)
    .fetch_all(conn)
    .await
}

/// The years that have clusters, newest first.
pub async fn years(conn: &mut PgConnection, tenant_id: i64) -> sqlx::Result<Vec<i32>> {
    sqlx::query_scalar(
        "SELECT DISTINCT year FROM cluster_years WHERE tenant_id = $1 ORDER BY year DESC",
    )
    .bind(tenant_id)
    .fetch_all(conn)
    .await
}

/// Government flags already awarded by the council's decisions for `year`.
pub async fn government_flags_decided(
    conn: &mut PgConnection,
    tenant_id: i64,
    year: i32,
    government_flag: i64,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT count(*) FROM unit_awards
          WHERE tenant_id = $1 AND year = $2 AND award_type_id = $3 AND decision_id IS NOT NULL",
    )
    .bind(tenant_id)
    .bind(year)
    .bind(government_flag)
    .fetch_one(conn)
    .await
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Decision {
    pub id: i64,
    pub number: String,
    pub signed_on: NaiveDate,
    pub issuer: String,
}

pub async fn decision(
    conn: &mut PgConnection,
    tenant_id: i64,
    proposal_id: i64,
) -> sqlx::Result<Option<Decision>> {
    sqlx::query_as(
        "SELECT id, number, signed_on, issuer FROM award_decisions
          WHERE tenant_id = $1 AND proposal_id = $2",
    )
    .bind(tenant_id)
    .bind(proposal_id)
    .fetch_optional(conn)
    .await
}

pub async fn insert_decision(
    conn: &mut PgConnection,
    actor: &Actor,
    proposal_id: i64,
    number: &str,
    signed_on: NaiveDate,
    issuer: &str,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO award_decisions (tenant_id, proposal_id, number, signed_on, issuer)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(proposal_id)
    .bind(number)
    .bind(signed_on)
    .bind(issuer)
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        actor,
        "award_decision",
        &id.to_string(),
        "created",
        None,
        Some(json!({ "proposal_id": proposal_id, "number": number, "signed_on": signed_on, "issuer": issuer })),
    )
    .await?;
    Ok(id)
}

/// Enters an award of a decision into the unit's history; false when the unit already has
/// that award for that year (entered by hand from the paper record).
pub async fn insert_decided_award(
    conn: &mut PgConnection,
    actor: &Actor,
    d: &Decision,
    year: i32,
    n: &Nominee,
) -> sqlx::Result<bool> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO unit_awards (tenant_id, unit_id, year, award_name, award_type_id,
             decision_number, decision_date, issuer, decision_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (tenant_id, unit_id, year, award_name) DO NOTHING RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(n.unit_id)
    .bind(year)
    .bind(&n.award_name)
    .bind(n.award_type_id)
    .bind(&d.number)
    .bind(d.signed_on)
    .bind(&d.issuer)
    .bind(d.id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = id {
        audit::record(
            conn,
            actor,
            "unit_award",
            &id.to_string(),
            "created",
            None,
            Some(json!({ "unit_id": n.unit_id, "year": year, "award": n.award_name, "decision": d.number })),
        )
        .await?;
    }
    Ok(id.is_some())
}

/// What dossiers ask of a unit: (proposal, year, cluster, state, is the leader, report
/// submitted) for each dossier still with the cluster in which it leads or is a nominee.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct UnitDossier {
    pub proposal_id: i64,
    pub year: i32,
    pub cluster_name: String,
    pub state: String,
    pub leads: bool,
    pub nominee: bool,
    pub submitted: bool,
}

pub async fn dossiers_of_unit(
    conn: &mut PgConnection,
    tenant_id: i64,
    unit_id: i64,
) -> sqlx::Result<Vec<UnitDossier>> {
    sqlx::query_as(
        "SELECT p.id AS proposal_id, y.year, c.name AS cluster_name, p.state,
                y.leader_unit_id IS NOT DISTINCT FROM $2 AS leads,
                EXISTS (SELECT 1 FROM proposal_nominees n WHERE n.tenant_id = p.tenant_id
                         AND n.proposal_id = p.id AND n.unit_id = $2) AS nominee,
                EXISTS (SELECT 1 FROM achievement_reports r WHERE r.tenant_id = p.tenant_id
                         AND r.proposal_id = p.id AND r.unit_id = $2
                         AND r.submitted_at IS NOT NULL) AS submitted
           FROM proposals p
           JOIN cluster_years y ON y.tenant_id = p.tenant_id AND y.id = p.cluster_year_id
           JOIN clusters c ON c.tenant_id = y.tenant_id AND c.id = y.cluster_id
          WHERE p.tenant_id = $1 AND p.state IN ('draft', 'returned')
          ORDER BY y.year DESC",
    )
    .bind(tenant_id)
    .bind(unit_id)
    .fetch_all(conn)
    .await
}
