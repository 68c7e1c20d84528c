use super::*;

#[derive(sqlx::FromRow, Serialize, Debug, Clone, PartialEq)]
pub struct AwardTypeFields {
    pub name: String,
    pub target: String,
    pub level: String,
    pub quota_per_cluster: Option<i32>,
    pub vote_threshold: Decimal,
    pub vote_denominator: String,
    pub prerequisite_id: Option<i64>,
    pub position: i32,
    pub active: bool,
}

impl Default for AwardTypeFields {
    fn default() -> Self {
        AwardTypeFields {
            name: String::new(),
            target: "collective".into(),
            level: String::new(),
            quota_per_cluster: None,
            vote_threshold: Decimal::from(80),
            vote_denominator: "all_members".into(),
            prerequisite_id: None,
            position: 0,
            active: true,
        }
    }
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AwardType {
    pub id: i64,
    pub prerequisite_name: Option<String>,
    #[sqlx(flatten)]
    pub f: AwardTypeFields,
}

const AWARD_SELECT: &str = r#"SELECT a.id, a.name, a.target, a.level, a.quota_per_cluster, a.vote_threshold,
        a.vote_denominator, a.prerequisite_id, a.position, a.active, p.name AS prerequisite_name
   FROM award_types a
   LEFT JOIN award_types p ON p.tenant_id = a.tenant_id AND p.id = a.prerequisite_id"#;

/// Every award type of the tenant: collectives first, then in the council's order.
pub async fn award_types(tx: &mut TenantTx) -> sqlx::Result<Vec<AwardType>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        r#"{AWARD_SELECT} WHERE a.tenant_id = $1
            ORDER BY a.target, a.position, a.name COLLATE "vi-VN-x-icu""#
    ))
    .bind(tenant_id)
    .fetch_all(&mut **tx)
    .await
}

/// [`award_types`], kept in memory under the tenant's catalog version, which the database
/// raises on every change of an award type (0038): free on a page that reads.
pub async fn kept_award_types(tx: &mut TenantTx) -> sqlx::Result<std::sync::Arc<Vec<AwardType>>> {
    let (tenant_id, version) = (tx.tenant_id(), tx.catalog_version().await?);
    if let Some(kept) = tx.cache().get_at::<Vec<AwardType>>(tenant_id, 0, version) {
        return Ok(kept);
    }
    let types = std::sync::Arc::new(award_types(tx).await?);
    tx.cache().put_at(tenant_id, 0, version, types.clone());
    Ok(types)
}

pub async fn award_type(tx: &mut TenantTx, id: i64) -> sqlx::Result<Option<AwardType>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!(
        "{AWARD_SELECT} WHERE a.tenant_id = $1 AND a.id = $2"
    ))
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// Active award types for one target, for the pickers of registrations.
pub async fn active_award_types(
    tx: &mut TenantTx,
    target: &str,
) -> sqlx::Result<Vec<(i64, String)>> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(
        r#"SELECT id, name FROM award_types WHERE tenant_id = $1 AND target = $2 AND active
            ORDER BY position, name COLLATE "vi-VN-x-icu""#,
    )
    .bind(tenant_id)
    .bind(target)
    .fetch_all(&mut **tx)
    .await
}

pub async fn insert_award_type(
    conn: &mut PgConnection,
    actor: &Actor,
    f: &AwardTypeFields,
) -> sqlx::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO award_types (tenant_id, name, target, level, quota_per_cluster, vote_threshold,
                                  vote_denominator, prerequisite_id, position, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(actor.tenant_id)
    .bind(&f.name)
    .bind(&f.target)
    .bind(&f.level)
    .bind(f.quota_per_cluster)
    .bind(f.vote_threshold)
    .bind(&f.vote_denominator)
    .bind(f.prerequisite_id)
    .bind(f.position)
    .bind(f.active)
    .fetch_one(&mut *conn)
    .await?;
    audit::created(conn, actor, "award_type", id, f).await?;
    Ok(id)
}

/// Updates an award type; false when nothing changed (and no audit row then).
pub async fn update_award_type(
    conn: &mut TenantTx,
    actor: &Actor,
    id: i64,
    f: &AwardTypeFields,
) -> sqlx::Result<bool> {
    let Some(before) = award_type(conn, id).await? else {
        return Ok(false);
    };
    // numeric(5,2) reads back as 80.00; compare values, not scales.
    let same = AwardTypeFields {
        vote_threshold: before.f.vote_threshold.normalize(),
        ..before.f.clone()
    } == AwardTypeFields {
        vote_threshold: f.vote_threshold.normalize(),
        ..f.clone()
    };
    if same {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE award_types SET name = $3, target = $4, level = $5, quota_per_cluster = $6,
                vote_threshold = $7, vote_denominator = $8, prerequisite_id = $9, position = $10,
                active = $11
          WHERE tenant_id = $1 AND id = $2",
    )
    .bind(actor.tenant_id)
    .bind(id)
    .bind(&f.name)
    .bind(&f.target)
    .bind(&f.level)
    .bind(f.quota_per_cluster)
    .bind(f.vote_threshold)
    .bind(&f.vote_denominator)
    .bind(f.prerequisite_id)
    .bind(f.position)
    .bind(f.active)
    .execute(&mut **conn)
    .await?;
    audit::changed(conn, actor, ("award_type", id), "updated", &before.f, f).await?;
    Ok(true)
}

/// The titles and forms of commendation of Law 06/2022/QH15 with the catalogue's default vote
/// thresholds (80%, 90% for emulation soldiers of a ministry or province and above; the text
/// behind them could not be checked, see the rule sets of settings::rules):
/// (name, target, level, quota per cluster, threshold %, prerequisite).
type LegalAwardType = (
    &'static str,
    &'static str,
    &'static str,
    Option<i32>,
    i64,
    Option<&'static str>,
);

const LEGAL_AWARD_TYPES: &[LegalAwardType] = &[
    // The prerequisite comes first so that it exists when the Government flag points at it.
    (
        "Cờ thi đua của Bộ, ban, ngành, tỉnh",
        "collective",
        "ministry_province",
        Some(1),
        80,
        None,
    ),
    (
        "Cờ thi đua của Chính phủ",
        "collective",
        "government",
        Some(1),
        80,
        Some("Cờ thi đua của Bộ, ban, ngành, tỉnh"),
    ),
    (
        "Tập thể lao động xuất sắc",
        "collective",
        "ministry_province",
        None,
        80,
        None,
    ),
    (
        "Tập thể lao động tiên tiến",
        "collective",
        "grassroots",
        None,
        80,
        None,
    ),
    (
        "Bằng khen của Thủ tướng Chính phủ",
        "collective",
        "government",
        None,
        80,
        None,
    ),
    (
        "Bằng khen của Bộ, ban, ngành, tỉnh",
        "collective",
        "ministry_province",
        None,
        80,
        None,
    ),
    ("Giấy khen", "collective", "grassroots", None, 80, None),
    (
        "Chiến sĩ thi đua toàn quốc",
        "individual",
        "government",
        None,
        90,
        None,
    ),
    (
        "Chiến sĩ thi đua Bộ, ngành, tỉnh",
        "individual",
        "ministry_province",
        None,
        90,
        None,
    ),
    (
        "Chiến sĩ thi đua cơ sở",
        "individual",
        "grassroots",
        None,
        80,
        None,
    ),
    (
        "Lao động tiên tiến",
        "individual",
        "grassroots",
        None,
        80,
        None,
    ),
];

/// The display order of the seeded types: flags, titles, commendations, then individuals.
fn legal_position(name: &str) -> i32 {
    const ORDER: [&str; 11] = [
        "Cờ thi đua của Chính phủ",
        "Cờ thi đua của Bộ, ban, ngành, tỉnh",
        "Tập thể lao động xuất sắc",
        "Tập thể lao động tiên tiến",
        "Bằng khen của Thủ tướng Chính phủ",
        "Bằng khen của Bộ, ban, ngành, tỉnh",
        "Giấy khen",
        "Chiến sĩ thi đua toàn quốc",
        "Chiến sĩ thi đua Bộ, ngành, tỉnh",
        "Chiến sĩ thi đua cơ sở",
        "Lao động tiên tiến",
    ];
    ORDER
        .iter()
        .position(|n| *n == name)
        .map(|p| (p as i32 + 1) * 10)
        .unwrap_or(1000)
}

/// Adds the law's award types that the tenant does not have yet (by name), so it can run on
/// every start and every new tenant; a council's own edits to existing ones are kept.
pub async fn seed_award_types(conn: &mut PgConnection, actor: &Actor) -> sqlx::Result<()> {
    for (name, target, level, quota, threshold, prerequisite) in LEGAL_AWARD_TYPES {
        let prerequisite_id: Option<i64> = match prerequisite {
            Some(p) => {
                sqlx::query_scalar("SELECT id FROM award_types WHERE tenant_id = $1 AND name = $2")
                    .bind(actor.tenant_id)
                    .bind(p)
                    .fetch_optional(&mut *conn)
                    .await?
            }
            None => None,
        };
        let f = AwardTypeFields {
            name: name.to_string(),
            target: target.to_string(),
            level: level.to_string(),
            quota_per_cluster: *quota,
            vote_threshold: Decimal::from(*threshold),
            vote_denominator: "all_members".into(),
            prerequisite_id,
            position: legal_position(name),
            active: true,
        };
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO award_types (tenant_id, name, target, level, quota_per_cluster, vote_threshold,
                                      vote_denominator, prerequisite_id, position, active)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (tenant_id, name) DO NOTHING RETURNING id",
        )
        .bind(actor.tenant_id)
        .bind(&f.name)
        .bind(&f.target)
        .bind(&f.level)
        .bind(f.quota_per_cluster)
        .bind(f.vote_threshold)
        .bind(&f.vote_denominator)
        .bind(f.prerequisite_id)
        .bind(f.position)
        .bind(f.active)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(id) = id {
            audit::created(conn, actor, "award_type", id, &f).await?;
        }
    }
    Ok(())
}
