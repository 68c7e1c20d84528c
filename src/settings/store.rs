//! The SQL of the council's settings; a save writes its audit row in the caller's transaction.

use serde_json::json;
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::db::TenantTx;
use crate::notify::model::Schedule;
use crate::settings::model::Settings;
use crate::settings::rules::RuleSet;

/// The settings' columns, the defaults where the tenant has none; `$1` is the tenant. The
/// share a tenant has not chosen is the one of the rule set in force on `on` (an SQL date).
fn select(on: &str) -> String {
    format!(
        "SELECT COALESCE(s.government_flag_share,
            (SELECT r.government_flag_share FROM rule_sets r
              WHERE r.effective_from IS NULL OR r.effective_from <= {on}
              ORDER BY r.effective_from DESC NULLS LAST LIMIT 1), 20) AS government_flag_share,
        {REST}"
    )
}

/// Today in Vietnam, the day the current rules are read on.
const TODAY: &str = "(now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date";

const REST: &str = "COALESCE(s.proposal_deadline_month, 12::smallint) AS proposal_deadline_month,
        COALESCE(s.proposal_deadline_day, 10::smallint) AS proposal_deadline_day,
        COALESCE(s.vote_rounds, 2::smallint) AS vote_rounds,
        COALESCE(s.evidence_quota_mb, 50) AS evidence_quota_mb,
        COALESCE(s.government_flag_id,
            (SELECT id FROM award_types
              WHERE tenant_id = $1 AND name = 'Cờ thi đua của Chính phủ')) AS government_flag_id";

const FROM: &str = "FROM (SELECT $1::bigint AS tenant_id) t
   LEFT JOIN tenant_settings s ON s.tenant_id = t.tenant_id";

/// The tenant's settings, the defaults where it has none (the law's as of today).
pub async fn load(tx: &mut TenantTx) -> sqlx::Result<Settings> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!("{} {FROM}", select(TODAY)))
        .bind(tenant_id)
        .fetch_one(&mut **tx)
        .await
}

/// [`load`], kept in memory under the tenant's catalog version (0038 raises it on every change
/// of the settings and the award types the Government flag falls back to) and today's date (the
/// share the tenant has not chosen is the rule set's in force today; rule sets change only by
/// migration).
pub async fn kept(tx: &mut TenantTx) -> sqlx::Result<std::sync::Arc<Settings>> {
    use chrono::Datelike;
    let (tenant_id, version) = (tx.tenant_id(), tx.catalog_version().await?);
    let day = i64::from(crate::web::vn::today().num_days_from_ce());
    if let Some(kept) = tx.cache().get_at::<Settings>(tenant_id, day, version) {
        return Ok(kept);
    }
    let settings = std::sync::Arc::new(load(tx).await?);
    tx.cache().put_at(tenant_id, day, version, settings.clone());
    Ok(settings)
}

/// The tenant's settings as they apply to `year`: a share the tenant has not chosen is the one
/// of the rule set in force at the end of that year, when its dossiers are made.
pub async fn load_for_year(tx: &mut TenantTx, year: i32) -> sqlx::Result<Settings> {
    let tenant_id = tx.tenant_id();
    sqlx::query_as(&format!("{} {FROM}", select("make_date($2, 12, 31)")))
        .bind(tenant_id)
        .bind(year)
        .fetch_one(&mut **tx)
        .await
}

#[derive(sqlx::FromRow)]
struct WithLeaders {
    #[sqlx(flatten)]
    settings: Settings,
    leaders: i64,
}

/// The settings and how many cluster years of `year` have a leader — the base of the
/// Government-flag share — in one statement. A share the tenant has not chosen is the law's at
/// the end of `year`, when its dossiers are made.
pub async fn load_with_leaders(tx: &mut TenantTx, year: i32) -> sqlx::Result<(Settings, i64)> {
    let tenant_id = tx.tenant_id();
    let r: WithLeaders = sqlx::query_as(&format!(
        "{},
                (SELECT count(*) FROM cluster_years
                  WHERE tenant_id = $1 AND year = $2 AND leader_unit_id IS NOT NULL) AS leaders
           {FROM}",
        select("make_date($2, 12, 31)")
    ))
    .bind(tenant_id)
    .bind(year)
    .fetch_one(&mut **tx)
    .await?;
    Ok((r.settings, r.leaders))
}

/// Every rule set, the earliest first, as one JSON scalar subquery: for a statement that reads
/// other things to carry the law along (no statement of its own).
pub const RULE_SETS: &str = "(SELECT COALESCE(json_agg(r ORDER BY r.effective_from NULLS FIRST),
      '[]'::json) FROM rule_sets r)";

/// Every rule set, the earliest first.
pub async fn rule_sets(tx: &mut TenantTx) -> sqlx::Result<Vec<RuleSet>> {
    let sets: sqlx::types::Json<Vec<RuleSet>> = sqlx::query_scalar(&format!("SELECT {RULE_SETS}"))
        .fetch_one(&mut **tx)
        .await?;
    Ok(sets.0)
}

/// The evidence quota of the request's tenant in MB (0: none), as one scalar subquery, for the
/// scoring room's statements to read with their own data (no statement of its own).
pub const EVIDENCE_QUOTA_MB: &str = "COALESCE((SELECT evidence_quota_mb FROM tenant_settings
      WHERE tenant_id = $1), 50)";

pub async fn save(
    conn: &mut PgConnection,
    actor: &Actor,
    before: &Settings,
    s: &Settings,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO tenant_settings (tenant_id, government_flag_share, proposal_deadline_month,
             proposal_deadline_day, government_flag_id, vote_rounds, evidence_quota_mb)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (tenant_id) DO UPDATE SET government_flag_share = $2,
             proposal_deadline_month = $3, proposal_deadline_day = $4, government_flag_id = $5,
             vote_rounds = $6, evidence_quota_mb = $7, updated_at = now()",
    )
    .bind(actor.tenant_id)
    .bind(s.government_flag_share)
    .bind(s.proposal_deadline_month)
    .bind(s.proposal_deadline_day)
    .bind(s.government_flag_id)
    .bind(s.vote_rounds)
    .bind(s.evidence_quota_mb)
    .execute(&mut *conn)
    .await?;
    let j = |s: &Settings| {
        json!({ "government_flag_share": s.government_flag_share.to_string(),
                "government_flag_id": s.government_flag_id,
                "vote_rounds": s.vote_rounds,
                "evidence_quota_mb": s.evidence_quota_mb,
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

/// The reminder days; the reminders' pass reads them through notify's own store.
pub async fn load_reminders(tx: &mut TenantTx) -> sqlx::Result<Schedule> {
    crate::notify::store::deadlines::schedule(tx).await
}

pub async fn save_reminders(
    conn: &mut PgConnection,
    actor: &Actor,
    before: &Schedule,
    s: &Schedule,
) -> sqlx::Result<()> {
    let days: Vec<i16> = s.days_before.iter().map(|d| *d as i16).collect();
    sqlx::query(
        "INSERT INTO tenant_settings (tenant_id, reminder_days, reminder_day_after)
         VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id) DO UPDATE SET reminder_days = $2, reminder_day_after = $3,
             updated_at = now()",
    )
    .bind(actor.tenant_id)
    .bind(days)
    .bind(s.day_after)
    .execute(&mut *conn)
    .await?;
    let j =
        |s: &Schedule| json!({ "reminder_days": s.days_text(), "reminder_day_after": s.day_after });
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
