//! A sheet as its page shows it, read in one statement.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::types::Json;

use super::{Entry, EvidenceRow, SHEET_COLUMNS, Sheet};
use crate::db::TenantTx;

/// A line as the statement gives it: points travel as text, so no figure passes through a
/// floating-point number on the way.
#[derive(serde::Deserialize)]
struct EntryJson {
    criterion_id: i64,
    self_points: Option<Decimal>,
    explanation: String,
    not_applicable: bool,
    na_reason: String,
    verified_points: Option<Decimal>,
    verify_reason: String,
}

#[derive(serde::Deserialize)]
struct EvidenceJson {
    id: i64,
    criterion_id: i64,
    filename: String,
    size_bytes: i32,
    uploaded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(flatten)]
    sheet: Sheet,
    entries: Json<Vec<EntryJson>>,
    evidence: Json<Vec<EvidenceJson>>,
    quota_mb: i32,
}

/// A unit's sheet of a year with its lines, its evidence files (metadata only) in the order
/// they came and the council's evidence quota in MB: what the sheet page shows, in one round
/// trip instead of three (issue 9). None when the unit has no sheet yet.
pub struct SheetRead {
    pub sheet: Sheet,
    pub entries: Vec<Entry>,
    pub evidence: Vec<EvidenceRow>,
    pub quota_mb: i32,
}

pub async fn sheet_with_entries_and_evidence(
    tx: &mut TenantTx,
    year_id: i64,
    unit_id: i64,
) -> sqlx::Result<Option<SheetRead>> {
    let tenant_id = tx.tenant_id();
    // The sheet's own columns need no prefix: scoresheets is the only table the outer query
    // reads, and each subquery names its own.
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {SHEET_COLUMNS},
                (SELECT COALESCE(json_agg(json_build_object(
                            'criterion_id', e.criterion_id,
                            'self_points', e.self_points::text,
                            'explanation', e.explanation,
                            'not_applicable', e.not_applicable,
                            'na_reason', e.na_reason,
                            'verified_points', e.verified_points::text,
                            'verify_reason', e.verify_reason)), '[]'::json)
                   FROM sheet_entries e
                  WHERE e.tenant_id = $1 AND e.sheet_id = s.id) AS entries,
                (SELECT COALESCE(json_agg(json_build_object(
                            'id', v.id, 'criterion_id', v.criterion_id, 'filename', v.filename,
                            'size_bytes', v.size_bytes, 'uploaded_at', v.uploaded_at)
                          ORDER BY v.uploaded_at, v.id), '[]'::json)
                   FROM evidence v
                  WHERE v.tenant_id = $1 AND v.sheet_id = s.id) AS evidence,
                {} AS quota_mb
           FROM scoresheets s
          WHERE s.tenant_id = $1 AND s.cluster_year_id = $2 AND s.unit_id = $3",
        crate::settings::store::EVIDENCE_QUOTA_MB
    ))
    .bind(tenant_id)
    .bind(year_id)
    .bind(unit_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| SheetRead {
        sheet: r.sheet,
        entries: r
            .entries
            .0
            .into_iter()
            .map(|e| Entry {
                criterion_id: e.criterion_id,
                self_points: e.self_points,
                explanation: e.explanation,
                not_applicable: e.not_applicable,
                na_reason: e.na_reason,
                verified_points: e.verified_points,
                verify_reason: e.verify_reason,
            })
            .collect(),
        evidence: r
            .evidence
            .0
            .into_iter()
            .map(|v| EvidenceRow {
                id: v.id,
                criterion_id: v.criterion_id,
                filename: v.filename,
                size_bytes: v.size_bytes,
                uploaded_at: v.uploaded_at,
            })
            .collect(),
        quota_mb: r.quota_mb,
    }))
}
