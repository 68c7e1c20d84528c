//! The SQL of certificate layouts and of the awards a certificate prints. Reads only
//! `unit_awards` and `award_decisions` for the awards, whoever wrote them.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::types::Json;

use super::model::{AwardFacts, FieldBox, Layout, Paper, Sheet};
use crate::audit::{self, Actor};
use crate::db::TenantTx;

#[derive(sqlx::FromRow)]
struct LayoutRow {
    award_type_id: i64,
    paper: String,
    landscape: bool,
    reason: String,
    place: String,
    signer_title: String,
    signer_name: String,
    fields: Json<Vec<FieldBox>>,
}

impl LayoutRow {
    fn layout(self) -> (i64, Layout) {
        let l = Layout {
            sheet: Sheet {
                paper: Paper::parse(&self.paper).unwrap_or(Paper::A4),
                landscape: self.landscape,
            },
            reason: self.reason,
            place: self.place,
            signer_title: self.signer_title,
            signer_name: self.signer_name,
            boxes: Layout::boxes_from(&self.fields.0),
        };
        (self.award_type_id, l)
    }
}

const LAYOUT_COLUMNS: &str =
    "award_type_id, paper, landscape, reason, place, signer_title, signer_name, fields";

/// Every saved layout of the tenant, by award type.
pub async fn layouts(tx: &mut TenantTx) -> sqlx::Result<Vec<(i64, Layout)>> {
    let tenant_id = tx.tenant_id();
    let rows: Vec<LayoutRow> = sqlx::query_as(&format!(
        "SELECT {LAYOUT_COLUMNS} FROM certificate_layouts WHERE tenant_id = $1
          ORDER BY award_type_id"
    ))
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(LayoutRow::layout).collect())
}

pub async fn layout(tx: &mut TenantTx, award_type_id: i64) -> sqlx::Result<Option<Layout>> {
    let tenant_id = tx.tenant_id();
    let row: Option<LayoutRow> = sqlx::query_as(&format!(
        "SELECT {LAYOUT_COLUMNS} FROM certificate_layouts
          WHERE tenant_id = $1 AND award_type_id = $2"
    ))
    .bind(tenant_id)
    .bind(award_type_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| r.layout().1))
}

/// The layout as the audit trail keeps it.
#[derive(Serialize)]
struct Audited<'a> {
    paper: &'a str,
    landscape: bool,
    reason: &'a str,
    place: &'a str,
    signer_title: &'a str,
    signer_name: &'a str,
    fields: &'a [FieldBox],
}

fn audited(l: &Layout) -> Audited<'_> {
    Audited {
        paper: l.sheet.paper.code(),
        landscape: l.sheet.landscape,
        reason: &l.reason,
        place: &l.place,
        signer_title: &l.signer_title,
        signer_name: &l.signer_name,
        fields: &l.boxes,
    }
}

/// Writes the award type's layout and its audit row in the caller's transaction. `before` is
/// the layout that printed until now (the standard one when none was saved).
pub async fn save(
    tx: &mut TenantTx,
    actor: &Actor,
    award_type_id: i64,
    before: &Layout,
    after: &Layout,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO certificate_layouts (tenant_id, award_type_id, paper, landscape, reason,
                                          place, signer_title, signer_name, fields, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (tenant_id, award_type_id) DO UPDATE
            SET paper = $3, landscape = $4, reason = $5, place = $6, signer_title = $7,
                signer_name = $8, fields = $9, updated_by = $10, updated_at = now()",
    )
    .bind(actor.tenant_id)
    .bind(award_type_id)
    .bind(after.sheet.paper.code())
    .bind(after.sheet.landscape)
    .bind(&after.reason)
    .bind(&after.place)
    .bind(&after.signer_title)
    .bind(&after.signer_name)
    .bind(Json(&after.boxes))
    .bind(actor.user_id)
    .execute(&mut **tx)
    .await?;
    audit::changed(
        tx,
        actor,
        ("certificate_layout", award_type_id),
        "updated",
        &audited(before),
        &audited(after),
    )
    .await
}

/// One award to print: what the certificate says and which layout prints it.
#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AwardRow {
    pub id: i64,
    pub unit_id: i64,
    pub award_type_id: Option<i64>,
    pub recipient: String,
    pub award: String,
    pub year: i32,
    pub decision_number: String,
    pub decision_date: Option<NaiveDate>,
}

impl AwardRow {
    pub fn facts(&self) -> AwardFacts {
        AwardFacts {
            recipient: self.recipient.clone(),
            award: self.award.clone(),
            year: self.year,
            decision_number: self.decision_number.clone(),
            decision_date: self.decision_date,
        }
    }
}

/// An award entered by hand carries its award type by name only; the layout of the type of
/// that name prints it.
const AWARD_SELECT: &str = r#"SELECT a.id, a.unit_id, t.id AS award_type_id,
        u.name AS recipient, a.award_name AS award, a.year, a.decision_number, a.decision_date
   FROM unit_awards a
   JOIN units u ON u.tenant_id = a.tenant_id AND u.id = a.unit_id
   LEFT JOIN award_types t ON t.tenant_id = a.tenant_id
        AND t.id = coalesce(a.award_type_id, (SELECT n.id FROM award_types n
                                                WHERE n.tenant_id = a.tenant_id
                                                  AND n.name = a.award_name))"#;

pub async fn award(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<AwardRow>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{AWARD_SELECT} WHERE a.tenant_id = $1 AND a.id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The dossier's decision record's number, when it is the tenant's; and every award it made,
/// in the order of the award types and then of the units' names.
pub async fn decision_awards(
    tx: &mut TenantTx,
    decision_id: i64,
) -> sqlx::Result<Option<(String, Vec<AwardRow>)>> {
    let number = "SELECT number FROM award_decisions WHERE tenant_id = $1 AND id = $2";
    awards_of(tx, number, "a.decision_id = $2", decision_id).await
}

/// The same for a decision drafted and issued in thidua, over every dossier it decided; None
/// for a draft or a revoked one (its awards are in no history).
pub async fn issued_decision_awards(
    tx: &mut TenantTx,
    decision_id: i64,
) -> sqlx::Result<Option<(String, Vec<AwardRow>)>> {
    let number =
        "SELECT number FROM decisions WHERE tenant_id = $1 AND id = $2 AND state = 'issued'";
    let of = "a.decision_id IN (SELECT r.id FROM award_decisions r
                               WHERE r.tenant_id = $1 AND r.decision_id = $2)";
    awards_of(tx, number, of, decision_id).await
}

async fn awards_of(
    tx: &mut TenantTx,
    number: &str,
    of: &str,
    decision_id: i64,
) -> sqlx::Result<Option<(String, Vec<AwardRow>)>> {
    let tenant_id = tx.tenant_id();
    let number: Option<String> = sqlx::query_scalar(number)
        .bind(tenant_id)
        .bind(decision_id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(number) = number else {
        return Ok(None);
    };
    let awards = sqlx::query_as(&format!(
        r#"{AWARD_SELECT} WHERE a.tenant_id = $1 AND {of}
            ORDER BY t.position, a.award_name, u.name COLLATE "vi-VN-x-icu", a.id"#
    ))
    .bind(tenant_id)
    .bind(decision_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(Some((number, awards)))
}
