//! Reading a criteria table whole, and the copy a cluster year scores against.

use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::db::TenantTx;
use crate::scoring::model::{Band, SectionKind};

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Table {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub bonus_cap: Decimal,
    pub penalty_cap: Decimal,
    pub tie_break_codes: Vec<String>,
    pub cluster_year_id: Option<i64>,
    pub copied_from: Option<i64>,
    pub frozen_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Section {
    pub id: i64,
    pub position: i32,
    pub code: String,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub kind: SectionKind,
}

impl Section {
    pub fn kind(&self) -> SectionKind {
        self.kind
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct Criterion {
    pub id: i64,
    pub section_id: i64,
    pub position: i32,
    pub code: String,
    pub text: String,
    pub max_points: Decimal,
    pub step: Decimal,
    pub guidance: String,
    pub evidence_required: bool,
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct BandRow {
    pub id: i64,
    pub position: i32,
    pub name: String,
    pub min_percent: Decimal,
    pub requires_no_zero: bool,
}

/// A table with its sections, criteria (in section then position order) and rating bands.
#[derive(Debug, Clone)]
pub struct TableFull {
    pub table: Table,
    pub sections: Vec<Section>,
    pub criteria: Vec<Criterion>,
    pub bands: Vec<BandRow>,
}

impl TableFull {
    /// The index of a section in `sections`, as totals and ranking count them.
    pub fn section_index(&self, section_id: i64) -> usize {
        self.sections
            .iter()
            .position(|s| s.id == section_id)
            .unwrap_or(0)
    }

    pub fn section(&self, section_id: i64) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == section_id)
    }

    /// Indexes of the tie-break sections, in order.
    pub fn tie_sections(&self) -> Vec<usize> {
        self.table
            .tie_break_codes
            .iter()
            .filter_map(|code| self.sections.iter().position(|s| &s.code == code))
            .collect()
    }

    pub fn bands(&self) -> Vec<Band> {
        self.bands
            .iter()
            .map(|b| Band {
                name: b.name.clone(),
                min_percent: b.min_percent,
                requires_no_zero: b.requires_no_zero,
            })
            .collect()
    }

    /// How many criteria make `standard_max` (bonus and penalty criteria do not).
    pub fn standard_count(&self) -> usize {
        self.criteria
            .iter()
            .filter(|c| {
                self.section(c.section_id).map(Section::kind) == Some(SectionKind::Standard)
            })
            .count()
    }

    /// The maximum of the standard criteria (the "100 points" of a 100-point table).
    pub fn standard_max(&self) -> Decimal {
        self.criteria
            .iter()
            .filter(|c| {
                self.section(c.section_id).map(Section::kind) == Some(SectionKind::Standard)
            })
            .map(|c| c.max_points)
            .sum()
    }
}

/// A table whole. Frozen tables never change (a year's copy freezes at its first submitted
/// sheet), so they are read from the database once and then kept in memory.
pub async fn load_full(tx: &mut TenantTx, table_id: i64) -> sqlx::Result<Option<TableFull>> {
    let tenant_id = tx.tenant_id();
    if let Some(t) = tx.cache().get::<TableFull>(tenant_id, table_id) {
        return Ok(Some(TableFull::clone(&t)));
    }
    let t = load_full_uncached(tx, table_id).await?;
    if let Some(t) = t.as_ref().filter(|t| t.table.frozen_at.is_some()) {
        tx.cache()
            .put(tenant_id, table_id, std::sync::Arc::new(t.clone()));
    }
    Ok(t)
}

async fn load_full_uncached(tx: &mut TenantTx, table_id: i64) -> sqlx::Result<Option<TableFull>> {
    let tenant_id = tx.tenant_id();
    let table: Option<Table> = sqlx::query_as(
        "SELECT id, name, description, bonus_cap, penalty_cap, tie_break_codes, cluster_year_id, copied_from, frozen_at
           FROM criteria_tables WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant_id)
    .bind(table_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(table) = table else { return Ok(None) };
    let sections: Vec<Section> = sqlx::query_as(
        "SELECT id, position, code, title, kind FROM criteria_sections
          WHERE tenant_id = $1 AND table_id = $2 ORDER BY position, id",
    )
    .bind(tenant_id)
    .bind(table_id)
    .fetch_all(&mut **tx)
    .await?;
    let criteria: Vec<Criterion> = sqlx::query_as(
        "SELECT c.id, c.section_id, c.position, c.code, c.text, c.max_points, c.step, c.guidance, c.evidence_required
           FROM criteria c JOIN criteria_sections s ON s.tenant_id = c.tenant_id AND s.id = c.section_id
          WHERE c.tenant_id = $1 AND c.table_id = $2 ORDER BY s.position, s.id, c.position, c.id",
    )
    .bind(tenant_id)
    .bind(table_id)
    .fetch_all(&mut **tx)
    .await?;
    let bands: Vec<BandRow> = sqlx::query_as(
        "SELECT id, position, name, min_percent, requires_no_zero FROM rating_bands
          WHERE tenant_id = $1 AND table_id = $2 ORDER BY min_percent DESC, position",
    )
    .bind(tenant_id)
    .bind(table_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(Some(TableFull {
        table,
        sections,
        criteria,
        bands,
    }))
}

/// The table a cluster year scores against, if one was chosen.
pub async fn year_table(conn: &mut TenantTx, year_id: i64) -> sqlx::Result<Option<TableFull>> {
    let tenant_id = conn.tenant_id();
    let id: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT criteria_table_id FROM cluster_years WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant_id)
    .bind(year_id)
    .fetch_optional(&mut **conn)
    .await?;
    match id.flatten() {
        Some(t) => load_full(conn, t).await,
        None => Ok(None),
    }
}

/// The table of a year already loaded with its `criteria_table_id`.
pub async fn of_year(
    conn: &mut TenantTx,
    y: &crate::org::store::ClusterYear,
) -> sqlx::Result<Option<TableFull>> {
    match y.criteria_table_id {
        Some(t) => load_full(conn, t).await,
        None => Ok(None),
    }
}

/// Library tables (not copies), for choosing one for a year.
pub async fn library(tx: &mut TenantTx) -> sqlx::Result<Vec<(i64, String)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT id, name FROM criteria_tables WHERE tenant_id = $1 AND cluster_year_id IS NULL
            ORDER BY name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

/// Copies a library table into a cluster year and makes it the year's table. A year whose copy
/// is frozen (a unit has submitted) keeps it.
pub async fn copy_to_year(
    conn: &mut PgConnection,
    actor: &Actor,
    source_id: i64,
    year_id: i64,
) -> sqlx::Result<i64> {
    let t = actor.tenant_id;
    // Replace an unfrozen earlier copy.
    let old: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM criteria_tables WHERE tenant_id = $1 AND cluster_year_id = $2 AND frozen_at IS NULL",
    )
    .bind(t)
    .bind(year_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(old) = old {
        sqlx::query(
            "UPDATE cluster_years SET criteria_table_id = NULL WHERE tenant_id = $1 AND id = $2",
        )
        .bind(t)
        .bind(year_id)
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM criteria_tables WHERE tenant_id = $1 AND id = $2")
            .bind(t)
            .bind(old)
            .execute(&mut *conn)
            .await?;
    }
    let new_id: i64 = sqlx::query_scalar(
        "INSERT INTO criteria_tables (tenant_id, name, description, bonus_cap, penalty_cap, tie_break_codes, cluster_year_id, copied_from)
         SELECT tenant_id, name, description, bonus_cap, penalty_cap, tie_break_codes, $3, id FROM criteria_tables
          WHERE tenant_id = $1 AND id = $2 RETURNING id",
    )
    .bind(t)
    .bind(source_id)
    .bind(year_id)
    .fetch_one(&mut *conn)
    .await?;
    // Sections first, remembering which new section each old one became.
    sqlx::query(
        "WITH src AS (SELECT * FROM criteria_sections WHERE tenant_id = $1 AND table_id = $2),
              ins AS (INSERT INTO criteria_sections (tenant_id, table_id, position, code, title, kind)
                      SELECT tenant_id, $3, position, code, title, kind FROM src RETURNING id, code)
         INSERT INTO criteria (tenant_id, table_id, section_id, position, code, text, max_points, step, guidance, evidence_required)
         SELECT c.tenant_id, $3, ins.id, c.position, c.code, c.text, c.max_points, c.step, c.guidance, c.evidence_required
           FROM criteria c JOIN src ON src.id = c.section_id JOIN ins ON ins.code = src.code
          WHERE c.tenant_id = $1 AND c.table_id = $2",
    )
    .bind(t)
    .bind(source_id)
    .bind(new_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO rating_bands (tenant_id, table_id, position, name, min_percent, requires_no_zero)
         SELECT tenant_id, $3, position, name, min_percent, requires_no_zero FROM rating_bands
          WHERE tenant_id = $1 AND table_id = $2",
    )
    .bind(t)
    .bind(source_id)
    .bind(new_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE cluster_years SET criteria_table_id = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(t)
        .bind(year_id)
        .bind(new_id)
        .execute(&mut *conn)
        .await?;
    audit::record(
        conn,
        actor,
        "cluster_year",
        &year_id.to_string(),
        "criteria_table_set",
        None,
        Some(serde_json::json!({ "criteria_table_id": new_id, "copied_from": source_id })),
    )
    .await?;
    Ok(new_id)
}

/// Freezes a year's table when its first sheet is submitted; later submissions change nothing.
pub async fn freeze(tx: &mut TenantTx, table_id: i64) -> sqlx::Result<()> {
    let tenant_id = tx.tenant_id();
    sqlx::query("UPDATE criteria_tables SET frozen_at = now() WHERE tenant_id = $1 AND id = $2 AND frozen_at IS NULL")
        .bind(tenant_id)
        .bind(table_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
