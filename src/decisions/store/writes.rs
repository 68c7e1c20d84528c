//! The writes of a decision: drafting, editing, issuing (the awards enter the histories),
//! revoking (they leave them) and deleting a draft, each with its audit rows.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::PgConnection;

use super::{Decision, Line, Texts};
use crate::audit::{self, Actor};
use crate::proposals::store::{
    Decision as DossierDecision, Nominee, insert_decided_award, insert_decision,
};

/// A new line: (proposal, unit, unit name, award type, award name, reason, amount).
pub type NewLine = (i64, i64, String, i64, String, String, Option<i64>);

/// Writes a draft with its dossiers and lines; the dossiers' unique index refuses one already
/// in a live decision.
pub async fn insert_draft(
    conn: &mut PgConnection,
    actor: &Actor,
    year: i32,
    t: &Texts,
    proposals: &[i64],
    lines: &[NewLine],
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO decisions (tenant_id, year, authority, managing_agency, signer_title,
             signer_name, place, legal_bases, considering, closing_articles, recipients, drafted_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(year)
    .bind(&t.authority)
    .bind(&t.managing_agency)
    .bind(&t.signer_title)
    .bind(&t.signer_name)
    .bind(&t.place)
    .bind(&t.legal_bases)
    .bind(&t.considering)
    .bind(&t.closing_articles)
    .bind(&t.recipients)
    .bind(actor.user_id)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO decision_dossiers (tenant_id, decision_id, proposal_id)
         SELECT $1, $2, unnest($3::bigint[])",
    )
    .bind(actor.tenant_id)
    .bind(id)
    .bind(proposals)
    .execute(&mut *conn)
    .await?;
    for (i, (p, unit, unit_name, award, award_name, reason, amount)) in lines.iter().enumerate() {
        sqlx::query(
            "INSERT INTO decision_lines (tenant_id, decision_id, proposal_id, position, unit_id,
                 unit_name, award_type_id, award_name, reason, amount)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(actor.tenant_id)
        .bind(id)
        .bind(p)
        .bind(i as i32 + 1)
        .bind(unit)
        .bind(unit_name)
        .bind(award)
        .bind(award_name)
        .bind(reason)
        .bind(amount)
        .execute(&mut *conn)
        .await?;
    }
    let after = json!({ "year": year, "dossiers": proposals, "awards": lines.len(), "texts": t });
    audit::record(
        conn,
        actor,
        "decision",
        &id.to_string(),
        "created",
        None,
        Some(after),
    )
    .await?;
    Ok(id)
}

/// Saves a draft's texts and its lines' reasons and amounts (by line id).
pub async fn update_draft(
    conn: &mut PgConnection,
    actor: &Actor,
    d: &Decision,
    t: &Texts,
    lines: &[(i64, String, Option<i64>)],
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE decisions SET authority = $3, managing_agency = $4, signer_title = $5,
             signer_name = $6, place = $7, legal_bases = $8, considering = $9,
             closing_articles = $10, recipients = $11
         WHERE tenant_id = $1 AND id = $2 AND state = 'draft'",
    )
    .bind(actor.tenant_id)
    .bind(d.id)
    .bind(&t.authority)
    .bind(&t.managing_agency)
    .bind(&t.signer_title)
    .bind(&t.signer_name)
    .bind(&t.place)
    .bind(&t.legal_bases)
    .bind(&t.considering)
    .bind(&t.closing_articles)
    .bind(&t.recipients)
    .execute(&mut *conn)
    .await?;
    for (id, reason, amount) in lines {
        sqlx::query(
            "UPDATE decision_lines SET reason = $4, amount = $5
              WHERE tenant_id = $1 AND decision_id = $2 AND id = $3",
        )
        .bind(actor.tenant_id)
        .bind(d.id)
        .bind(id)
        .bind(reason)
        .bind(amount)
        .execute(&mut *conn)
        .await?;
    }
    let before = serde_json::to_value(Texts::of(d)).unwrap_or_default();
    let mut after = serde_json::to_value(t).unwrap_or_default();
    after["lines"] = json!(lines);
    audit::changed(conn, actor, ("decision", d.id), "updated", &before, &after).await
}

/// Issues a locked draft: its number and date, a record on each dossier linked to it, and each
/// award entered into its unit's history with the decision's number, date and issuer.
pub async fn issue(
    conn: &mut PgConnection,
    actor: &Actor,
    d: &Decision,
    (number, signed_on): (&str, NaiveDate),
    (dossiers, lines): (&[i64], &[Line]),
    at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE decisions SET state = 'issued', number = $3, signed_on = $4,
             issued_at = COALESCE($5, now()), issued_by = $6
         WHERE tenant_id = $1 AND id = $2 AND state = 'draft'",
    )
    .bind(actor.tenant_id)
    .bind(d.id)
    .bind(number)
    .bind(signed_on)
    .bind(at)
    .bind(actor.user_id)
    .execute(&mut *conn)
    .await?;
    let issuer = crate::decisions::model::issuer(&d.signer_title, &d.authority);
    for p in dossiers {
        let record = insert_decision(conn, actor, *p, number, signed_on, &issuer).await?;
        sqlx::query("UPDATE award_decisions SET decision_id = $3 WHERE tenant_id = $1 AND id = $2")
            .bind(actor.tenant_id)
            .bind(record)
            .bind(d.id)
            .execute(&mut *conn)
            .await?;
        let record = DossierDecision {
            id: record,
            number: number.to_string(),
            signed_on,
            issuer: issuer.clone(),
        };
        for l in lines.iter().filter(|l| l.proposal_id == *p) {
            insert_decided_award(conn, actor, &record, d.year, &as_nominee(l)).await?;
        }
    }
    let after = json!({ "state": "issued", "number": number, "signed_on": signed_on,
        "issuer": issuer, "awards": lines.len() });
    let before = json!({ "state": "draft" });
    audit::changed(conn, actor, ("decision", d.id), "issued", &before, &after).await
}

fn as_nominee(l: &Line) -> Nominee {
    Nominee {
        award_type_id: l.award_type_id,
        award_name: l.award_name.clone(),
        unit_id: l.unit_id,
        unit_name: l.unit_name.clone(),
        votes_for: 0,
        votes_against: 0,
        ballots: 0,
        members: 0,
        percent: Default::default(),
        score: None,
        rank: None,
    }
}

/// Revokes an issued decision: its awards leave the histories (each deletion audited), its
/// dossiers' records go, the dossiers are released to be drafted again; the decision stays.
pub async fn revoke(
    conn: &mut PgConnection,
    actor: &Actor,
    d: &Decision,
    reason: &str,
) -> sqlx::Result<()> {
    let gone: Vec<(i64, i64, i32, String)> = sqlx::query_as(
        "DELETE FROM unit_awards w USING award_decisions a
          WHERE w.tenant_id = $1 AND a.tenant_id = $1 AND a.decision_id = $2
            AND w.decision_id = a.id
         RETURNING w.id, w.unit_id, w.year, w.award_name",
    )
    .bind(actor.tenant_id)
    .bind(d.id)
    .fetch_all(&mut *conn)
    .await?;
    for (id, unit, year, award) in &gone {
        let before = json!({ "unit_id": unit, "year": year, "award": award, "decision": d.number });
        audit::record(
            conn,
            actor,
            "unit_award",
            &id.to_string(),
            "deleted",
            Some(before),
            None,
        )
        .await?;
    }
    let records: Vec<(i64, i64)> = sqlx::query_as(
        "DELETE FROM award_decisions WHERE tenant_id = $1 AND decision_id = $2
         RETURNING id, proposal_id",
    )
    .bind(actor.tenant_id)
    .bind(d.id)
    .fetch_all(&mut *conn)
    .await?;
    for (id, p) in &records {
        let before = json!({ "proposal_id": p, "number": d.number, "decision_id": d.id });
        audit::record(
            conn,
            actor,
            "award_decision",
            &id.to_string(),
            "deleted",
            Some(before),
            None,
        )
        .await?;
    }
    sqlx::query(
        "UPDATE decision_dossiers SET released = true WHERE tenant_id = $1 AND decision_id = $2",
    )
    .bind(actor.tenant_id)
    .bind(d.id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE decisions SET state = 'revoked', revoked_at = now(), revoked_by = $3,
             revoke_reason = $4
         WHERE tenant_id = $1 AND id = $2 AND state = 'issued'",
    )
    .bind(actor.tenant_id)
    .bind(d.id)
    .bind(actor.user_id)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    let before = json!({ "state": "issued" });
    let after = json!({ "state": "revoked", "reason": reason, "awards_removed": gone.len() });
    audit::changed(conn, actor, ("decision", d.id), "revoked", &before, &after).await
}

/// Deletes a draft with its lines; its dossiers wait for a decision again.
pub async fn delete_draft(
    conn: &mut PgConnection,
    actor: &Actor,
    d: &Decision,
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM decisions WHERE tenant_id = $1 AND id = $2 AND state = 'draft'")
        .bind(actor.tenant_id)
        .bind(d.id)
        .execute(&mut *conn)
        .await?;
    let before = serde_json::to_value(Texts::of(d)).unwrap_or_default();
    audit::record(
        conn,
        actor,
        "decision",
        &d.id.to_string(),
        "deleted",
        Some(before),
        None,
    )
    .await
}
