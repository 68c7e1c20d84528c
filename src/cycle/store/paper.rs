//! Signatures made on paper at the ceremony: the leader unit records them with the scanned
//! page, kept in the database beside the signature (issue 17, item 2).

use chrono::NaiveDate;

use crate::audit::{self, Actor};
use crate::db::TenantTx;

pub struct NewScan<'a> {
    pub unit_id: i64,
    pub signed_on: Option<NaiveDate>,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
    pub sha256: &'a [u8],
}

/// Records the unit's signature as made on paper, recorded by `actor`, with its scan; one
/// audit row says who recorded which unit's signature, from which file.
pub async fn sign_on_paper(
    tx: &mut TenantTx,
    actor: &Actor,
    year_id: i64,
    s: &NewScan<'_>,
) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query(
        "INSERT INTO pledge_signatures (tenant_id, cluster_year_id, unit_id, signed_by, on_paper, paper_signed_on)
         VALUES ($1, $2, $3, $4, true, $5)",
    )
    .bind(tenant_id)
    .bind(year_id)
    .bind(s.unit_id)
    .bind(actor.user_id)
    .bind(s.signed_on)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO pledge_signature_scans
             (tenant_id, cluster_year_id, unit_id, filename, content_type, size_bytes, sha256, data, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(tenant_id)
    .bind(year_id)
    .bind(s.unit_id)
    .bind(s.filename)
    .bind(s.content_type)
    .bind(s.data.len() as i32)
    .bind(s.sha256)
    .bind(s.data)
    .bind(actor.user_id)
    .execute(&mut **tx)
    .await?;
    audit::record(
        tx,
        actor,
        "pledge",
        &year_id.to_string(),
        "signed_on_paper",
        None,
        Some(serde_json::json!({
            "unit_id": s.unit_id,
            "signed_by": actor.user_id,
            "paper_signed_on": s.signed_on,
            "filename": s.filename,
            "size": s.data.len(),
        })),
    )
    .await
}

#[derive(sqlx::FromRow)]
pub struct Scan {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

pub async fn scan(tx: &mut TenantTx, year_id: i64, unit_id: i64) -> sqlx::Result<Option<Scan>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        "SELECT filename, content_type, data FROM pledge_signature_scans
          WHERE tenant_id = $1 AND cluster_year_id = $2 AND unit_id = $3",
    )
    .bind(tenant_id)
    .bind(year_id)
    .bind(unit_id)
    .fetch_optional(&mut **tx)
    .await
}

/// Members of the year with no working head account (none, or all locked): they can sign only
/// on paper until the council creates one.
pub async fn members_without_head(tx: &mut TenantTx, year_id: i64) -> sqlx::Result<Vec<i64>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_scalar(
        "SELECT m.unit_id FROM cluster_members m
          WHERE m.tenant_id = $1 AND m.cluster_year_id = $2
            AND NOT EXISTS (SELECT 1 FROM users u
                             WHERE u.tenant_id = m.tenant_id AND u.unit_id = m.unit_id
                               AND u.role = 'unit_head' AND NOT u.disabled)",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_all(&mut **tx)
    .await
}
