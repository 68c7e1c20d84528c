//! The council's dashboard and export, and a unit's history with its awards.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::auth::policy::{self, HistoryAccess};
use crate::awards;
use crate::db::TenantTx;
use crate::error::{AppError, AppResult, error_page};
use crate::org::store::{self as org_store, Unit};
use crate::reports::chart::{self, Chart};
use crate::reports::forms::AwardForm;
use crate::reports::model::{
    self, AwardRow, ClusterRow, Dashboard, DossierState, HistoryRow, UnitAward, YearInput,
};
use crate::reports::{store, xlsx};
use crate::scoring::model::SheetStatus;
use crate::scoring::{results, tasks};
use crate::web::forms::Errors;
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn;

// ---- the council's dashboard ------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    year: String,
}

/// The years to choose from and the chosen year's dashboard (None: the tenant has no cluster
/// year at all).
async fn compute(u: &CurrentUser, year: &str) -> AppResult<(Vec<i32>, Option<Arc<KeptDashboard>>)> {
    if !policy::may_view_council(u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.read().await?;
    let council_years = crate::proposals::store::council_years(&mut tx).await?;
    let mut years: Vec<i32> = council_years.iter().map(|y| y.year).collect();
    let asked = year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1945..=2100).contains(y));
    let asked = match asked {
        Some(y) => Some(y),
        // The year with work, not the empty one the election has just created.
        None => crate::proposals::model::year_with_work(&council_years),
    };
    let Some(year) = asked.or(years.first().copied()) else {
        return Ok((years, None));
    };
    if !years.contains(&year) {
        years.push(year);
        years.sort_unstable_by(|a, b| b.cmp(a));
    }
    let d = kept_dashboard(&mut tx, year).await?;
    tx.commit().await?;
    Ok((years, Some(d)))
}

/// A year's dashboard as kept, with its .xlsx once someone has asked for it.
struct KeptDashboard {
    d: Dashboard,
    xlsx: std::sync::OnceLock<Vec<u8>>,
}

/// The year's dashboard as kept in memory for the version the database gives it today (days
/// late count to today), derived again when any write changed it, through any app instance.
async fn kept_dashboard(conn: &mut TenantTx, year: i32) -> AppResult<Arc<KeptDashboard>> {
    let today = vn::today();
    let key = crate::proposals::store::council_version(conn, year)
        .await?
        .key(today);
    let tenant_id = conn.tenant_id();
    if let Some(d) = conn
        .cache()
        .get_at::<KeptDashboard>(tenant_id, year.into(), key)
    {
        return Ok(d);
    }
    let d = Arc::new(KeptDashboard {
        d: dashboard(conn, year, today).await?,
        xlsx: std::sync::OnceLock::new(),
    });
    conn.cache().put_at(tenant_id, year.into(), key, d.clone());
    Ok(d)
}

async fn dashboard(conn: &mut TenantTx, year: i32, today: NaiveDate) -> AppResult<Dashboard> {
    let mut states: std::collections::HashMap<i64, Vec<store::SheetState>> =
        std::collections::HashMap::new();
    for st in store::sheet_states(conn, year).await? {
        states.entry(st.cluster_year_id).or_default().push(st);
    }
    let mut inputs = Vec::new();
    for y in store::cluster_years(conn, year).await? {
        // A year without a criteria table has no sheets to follow yet.
        let sheets = y.criteria_table_id.map(|_| {
            states
                .remove(&y.id)
                .unwrap_or_default()
                .into_iter()
                .map(|st| {
                    let status = st
                        .status
                        .as_deref()
                        .map(SheetStatus::parse)
                        .unwrap_or(SheetStatus::Draft);
                    let (_, days_late) = results::lateness(
                        status,
                        st.deadline_override,
                        y.scoring_deadline,
                        st.submitted_at,
                        today,
                    );
                    model::SheetInput {
                        unit_id: st.unit_id,
                        name: if st.short_name.is_empty() {
                            st.name
                        } else {
                            st.short_name
                        },
                        status,
                        days_late,
                    }
                })
                .collect()
        });
        inputs.push(YearInput { year: y, sheets });
    }
    let settings = crate::settings::store::load(conn).await?;
    let dossiers = store::dossiers(conn, year).await?;
    let nominees = store::nominees(conn, year).await?;
    let decided = store::decided_awards(conn, year).await?;
    let types = store::award_types(conn).await?;
    let choice = crate::proposals::flag::of_year(conn, year).await?;
    let flag = model::FlagCheck {
        share: crate::web::forms::decimal_vn(choice.settings.government_flag_share),
        leaders: choice.leaders.len(),
        allowed: choice.limit().into(),
        nominees: choice
            .chosen()
            .map(|l| model::FlagNominee {
                unit_id: l.unit_id,
                unit: l.unit_name.clone(),
                cluster: l.cluster_name.clone(),
            })
            .collect(),
    };
    Ok(model::council(
        year, &inputs, &dossiers, &nominees, &decided, &types, &settings, flag, today,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CouncilQuery {
    year: String,
    /// Part of a cluster's name.
    q: String,
    page: String,
}

#[derive(Template)]
#[template(path = "reports/council.html")]
struct CouncilPage<'a> {
    l: Layout,
    years: Vec<i32>,
    d: Option<&'a Dashboard>,
    q: String,
    /// The clusters shown: one page of those whose name matches.
    rows: Vec<&'a ClusterRow>,
    awards: Vec<&'a AwardRow>,
    page: i64,
    last_page: i64,
    /// Clusters matching the search, and the position of the first one shown.
    matched: usize,
    first: usize,
}

impl CouncilPage<'_> {
    fn state_class(&self, s: &DossierState) -> &'static str {
        match s {
            DossierState::Returned => "late",
            _ => "",
        }
    }

    fn list_path(&self) -> &'static str {
        "/council"
    }

    fn list_year(&self) -> i32 {
        self.d.map_or(0, |d| d.year)
    }

    /// The position of the last cluster shown.
    fn last(&self) -> usize {
        (self.first + self.rows.len()).saturating_sub(1)
    }

    /// The link to another page of the list, keeping the year and the search.
    fn page_link(&self, page: i64) -> String {
        let year = self.d.map(|d| d.year.to_string()).unwrap_or_default();
        format!(
            "/council?year={year}&q={}&page={page}",
            crate::web::url_encode(&self.q)
        )
    }
}

pub async fn council(u: CurrentUser, Query(q): Query<CouncilQuery>) -> AppResult<Html<String>> {
    let (years, d) = compute(&u, &q.year).await?;
    let d = d.as_ref().map(|k| &k.d);
    let title = match d {
        Some(d) => format!("Bảng theo dõi của Hội đồng — năm {}", d.year),
        None => "Bảng theo dõi của Hội đồng".to_string(),
    };
    let search: String = q.q.trim().chars().take(100).collect();
    let (rows, awards, pages) = match d {
        Some(d) => {
            let page = q.page.trim().parse::<i64>().unwrap_or(1);
            let (rows, pages) = model::page_of_clusters(&d.rows, &search, page);
            let shown: std::collections::HashSet<&str> =
                rows.iter().map(|r| r.cluster.as_str()).collect();
            let awards = d
                .awards
                .rows
                .iter()
                .filter(|a| shown.contains(a.cluster.as_str()))
                .collect();
            (rows, awards, pages)
        }
        None => (Vec::new(), Vec::new(), model::Pages::default()),
    };
    let page = CouncilPage {
        l: Layout::for_user(&u, &title, "council"),
        years,
        d,
        q: search,
        rows,
        awards,
        page: pages.page,
        last_page: pages.last_page,
        matched: pages.matched,
        first: pages.first,
    };
    Ok(Html(page.render()?))
}

pub async fn council_xlsx(u: CurrentUser, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let (_, d) = compute(&u, &q.year).await?;
    let kept = d.ok_or(AppError::NotFound)?;
    let bytes = match kept.xlsx.get() {
        Some(b) => b.clone(),
        None => {
            let b = xlsx::council(&kept.d)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
            kept.xlsx.get_or_init(|| b).clone()
        }
    };
    let name = format!("Bảng theo dõi của Hội đồng - năm {}.xlsx", kept.d.year);
    Ok(crate::web::download::attachment(
        &name,
        crate::web::download::XLSX,
        bytes,
    ))
}

// ---- a unit's history ---------------------------------------------------------------------------

/// The unit, if this user may see it: another tenant's, another unit's (for unit staff) and
/// ids that are no number all answer "not found".
async fn visible_unit(
    conn: &mut TenantTx,
    u: &CurrentUser,
    id: i64,
) -> AppResult<(Unit, HistoryAccess)> {
    let unit = org_store::unit(conn, id).await?.ok_or(AppError::NotFound)?;
    match policy::history_access(u, unit.id) {
        HistoryAccess::Hidden => Err(AppError::NotFound),
        access => Ok((unit, access)),
    }
}

#[derive(Template)]
#[template(path = "reports/history.html")]
struct HistoryPage {
    l: Layout,
    unit: Unit,
    rows: Vec<HistoryRow>,
    chart: Option<Chart>,
    awards: Vec<UnitAward>,
    manage: bool,
    /// The tenant's active award types, offered as the award's name.
    type_names: Vec<String>,
    form: AwardForm,
    errors: Errors,
}

impl HistoryPage {
    fn date(&self, d: &Option<NaiveDate>) -> String {
        d.map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default()
    }
}

async fn history_page(
    u: &CurrentUser,
    id: i64,
    form: AwardForm,
    errors: Errors,
    status: StatusCode,
) -> AppResult<Response> {
    let mut tx = u.read().await?;
    let (unit, access) = visible_unit(&mut tx, u, id).await?;
    let (years, members_of) = crate::org::year::of_unit(&mut tx, unit.id).await?;
    let loaded = tasks::load_years(&mut tx, &years, members_of, vn::today()).await?;
    let outcomes = model::outcomes(unit.id, &loaded);
    let awards = awards::store::unit_awards(&mut tx, unit.id).await?;
    let manage = access == HistoryAccess::Manage;
    let type_names = if manage {
        store::award_types(&mut tx)
            .await?
            .into_iter()
            .filter(|t| t.active)
            .map(|t| t.name)
            .collect()
    } else {
        Vec::new()
    };
    tx.commit().await?;
    let display = if unit.f.short_name.is_empty() {
        &unit.f.name
    } else {
        &unit.f.short_name
    };
    let page = HistoryPage {
        l: Layout::for_user(
            u,
            &format!("Kết quả thi đua, khen thưởng — {}", unit.f.name),
            "units",
        ),
        rows: model::history_rows(&outcomes, &awards),
        chart: chart::chart(display, &outcomes),
        unit,
        awards,
        manage,
        type_names,
        form,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn history(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    history_page(
        &u,
        id,
        AwardForm::default(),
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

/// Enters an award from the paper record (the council's staff).
pub async fn add_award(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<AwardForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (unit, access) = visible_unit(&mut tx, &u, id).await?;
    if access != HistoryAccess::Manage {
        return Err(AppError::Forbidden);
    }
    let types = store::award_types(&mut tx).await?;
    let existing = awards::store::unit_awards(&mut tx, unit.id).await?;
    let (award, mut errors) = f.validate(&types, &existing, vn::today().year());
    if let Some(a) = award {
        if awards::store::insert_unit_award(&mut tx, &Actor::user(&u), unit.id, &a)
            .await?
            .is_some()
        {
            tx.commit().await?;
            return Ok(
                Redirect::to(&format!("/units/{}/history#khen-thuong", unit.id)).into_response(),
            );
        }
        // Entered meanwhile by someone else.
        errors.add(
            "award_name",
            format!("Đơn vị đã có “{}” trong năm {}.", a.award_name, a.year),
        );
    }
    drop(tx);
    history_page(&u, id, f, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// Deletes an award entered by hand; one from a council decision stays.
pub async fn delete_award(
    u: CurrentUser,
    Ids((id, award)): Ids<(i64, i64)>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (unit, access) = visible_unit(&mut tx, &u, id).await?;
    if access != HistoryAccess::Manage {
        return Err(AppError::Forbidden);
    }
    match awards::store::delete_unit_award(&mut tx, &Actor::user(&u), unit.id, award).await? {
        awards::store::Deleted::NotFound => Err(AppError::NotFound),
        awards::store::Deleted::FromDecision => Ok(error_page(
            StatusCode::CONFLICT,
            "Không xóa được khen thưởng này",
            "Khen thưởng này được ghi từ quyết định khen thưởng của Hội đồng nên không xóa được ở \
             đây. Chỉ xóa được các khen thưởng nhập tay từ hồ sơ giấy.",
        )),
        awards::store::Deleted::Deleted => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/units/{}/history#khen-thuong", unit.id)).into_response())
        }
    }
}
