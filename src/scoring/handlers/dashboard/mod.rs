//! The leader's dashboard for a cluster year, its .xlsx export and the printed summary
//! (Bảng tổng hợp kết quả chấm điểm, also as .docx). All show the same computed results.

mod computed;
mod export;
mod print;

pub use export::export_xlsx;
pub use print::{print, print_docx};

use computed::{Computed, action_order, compute, compute_in};

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::scoring::handlers::year_ctx;
use crate::scoring::model::{self, SheetStatus};
use crate::scoring::results::UnitResult;
use crate::scoring::{store, tables};
use crate::web::forms::{self, Errors};
use crate::web::ids::Ids;
use crate::web::layout::Layout;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SortQuery {
    sort: String,
    /// A message from an action that answered with a redirect (e.g. a bad extension date).
    error: String,
}

pub struct Bar {
    pub label: String,
    pub value: String,
    pub y: usize,
    pub width: String,
    /// Where the figure goes: inside the bar, at its end, so it can never fall off the chart.
    pub text_x: String,
}

#[derive(Template)]
#[template(path = "scoring/dashboard.html")]
struct DashboardPage {
    l: Layout,
    c: Computed,
    may_manage: bool,
    flash: String,
    errors: Errors,
    deadline_input: String,
    bars: Vec<Bar>,
    chart_height: usize,
    csrf: String,
    /// Units whose sheet this user may open: a draft is its unit's own (issue 11, item 9), so
    /// the leader sees that it exists without a link that would answer 403.
    openable: Vec<i64>,
}

impl DashboardPage {
    fn fmt(&self, d: &rust_decimal::Decimal) -> String {
        model::fmt(*d)
    }

    fn pledge(&self, unit: &i64) -> &'static str {
        if self.c.signed.contains(unit) {
            "Đã ký"
        } else if self.c.pledge_started {
            "Chưa ký"
        } else {
            "—"
        }
    }

    fn opens(&self, unit: &i64) -> bool {
        self.openable.contains(unit)
    }

    fn registration(&self, unit: &i64) -> &'static str {
        self.c.registrations.get(unit).copied().unwrap_or("—")
    }
}

/// Horizontal bars of the verified percentage, drawn on the server so they print too. The
/// percentage is what ranks (a criterion "không áp dụng" lowers the maximum a unit is measured
/// against), so in rank order no bar is longer than the one above it (issue 17, item 9).
fn bars(results: &[UnitResult]) -> Vec<Bar> {
    use rust_decimal::Decimal;
    let finalised: Vec<(&UnitResult, &model::Totals)> = results
        .iter()
        .filter(|r| r.status == SheetStatus::Finalised)
        .filter_map(|r| Some((r, r.verified.as_ref()?)))
        .collect();
    // Bonus points can take a unit past 100%; the longest bar then fills the width.
    let max = finalised
        .iter()
        .map(|(_, v)| v.percent)
        .max()
        .unwrap_or(Decimal::ONE_HUNDRED)
        .max(Decimal::ONE_HUNDRED);
    finalised
        .into_iter()
        .enumerate()
        .map(|(i, (r, v))| {
            let w = (v.percent.max(Decimal::ZERO) * Decimal::from(400) / max).round_dp(1);
            Bar {
                label: if r.short_name.is_empty() {
                    r.name.clone()
                } else {
                    r.short_name.clone()
                },
                value: format!("{}%", model::fmt(v.percent)),
                y: i * 26,
                width: w.to_string(),
                text_x: (w + Decimal::from(136)).to_string(),
            }
        })
        .collect()
}

struct View {
    sort: String,
    flash: String,
    status: StatusCode,
    errors: Errors,
    deadline_input: Option<String>,
}

impl View {
    fn ok(sort: String, flash: String) -> View {
        View {
            sort,
            flash,
            status: StatusCode::OK,
            errors: Errors::default(),
            deadline_input: None,
        }
    }
}

async fn page(u: &CurrentUser, year: i64, v: View) -> AppResult<Response> {
    let View {
        sort,
        flash,
        status,
        errors,
        deadline_input,
    } = v;
    let mut c = compute(u, year).await?;
    match sort.as_str() {
        "rank" => c.results.sort_by_key(|r| {
            (
                r.rank.as_ref().map(|k| k.rank).unwrap_or(usize::MAX),
                r.name.clone(),
            )
        }),
        "name" => {}
        "late" => c.results.sort_by_key(|r| -r.days_late),
        _ => c.results.sort_by_key(action_order),
    }
    let mut for_chart: Vec<&UnitResult> = c.results.iter().collect();
    for_chart.sort_by_key(|r| r.rank.as_ref().map(|k| k.rank).unwrap_or(usize::MAX));
    let bars = bars(&for_chart.into_iter().cloned().collect::<Vec<_>>());
    let chart_height = bars.len() * 26 + 10;
    let deadline_input = deadline_input.unwrap_or_else(|| {
        c.deadline
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default()
    });
    let title = format!(
        "Kết quả chấm điểm — {} năm {}",
        c.ctx.y.cluster_name, c.ctx.y.year
    );
    let y = &c.ctx.y;
    let openable = c
        .results
        .iter()
        .filter(|r| r.sheet_id.is_some())
        .filter(|r| {
            let (draft, done) = (r.status.is_draft(), r.status.is_finalised());
            let (l, d) = (y.leader_unit_id, y.deputy_unit_id);
            policy::sheet_access(u, c.ctx.role, r.unit_id, l, d, draft, done).view
        })
        .map(|r| r.unit_id)
        .collect();
    let p = DashboardPage {
        l: Layout::for_year(u, &title),
        openable,
        may_manage: policy::may_manage_scoring(u, c.ctx.role),
        flash: flash.chars().take(300).collect(),
        c,
        errors,
        deadline_input,
        bars,
        chart_height,
        csrf: u.csrf_token.clone(),
    };
    Ok((status, Html(p.render()?)).into_response())
}

pub async fn show(
    u: CurrentUser,
    Ids(year): Ids<i64>,
    Query(q): Query<SortQuery>,
) -> AppResult<Response> {
    page(&u, year, View::ok(q.sort, q.error)).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SetupForm {
    table_id: String,
    deadline: String,
}

/// Chooses the year's criteria table (a copy of a library table) and the submission deadline.
pub async fn setup(
    u: CurrentUser,
    Ids(year): Ids<i64>,
    Form(f): Form<SetupForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let ctx = year_ctx(&mut tx, &u, year).await?;
    if !policy::may_manage_scoring(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Errors::default();
    let deadline = forms::optional_date(&mut errors, "deadline", &f.deadline);
    let frozen = ctx
        .table
        .as_ref()
        .is_some_and(|t| t.table.frozen_at.is_some());
    let source = crate::org::forms::optional_id(&f.table_id).ok().flatten();
    if let Some(src) = source {
        let library = tables::library(&mut tx).await?;
        if !library.iter().any(|(id, _)| *id == src) {
            errors.add("table_id", "Hãy chọn một bảng tiêu chí trong danh sách.");
        } else if frozen && ctx.table.as_ref().and_then(|t| t.table.copied_from) != Some(src) {
            errors.add(
                "table_id",
                "Đã có đơn vị nộp bảng điểm nên bảng tiêu chí của năm không đổi được nữa.",
            );
        }
    }
    if !errors.is_empty() {
        drop(tx);
        let v = View {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            deadline_input: Some(f.deadline),
            ..View::ok(String::new(), String::new())
        };
        return page(&u, year, v).await;
    }
    let actor = Actor::user(&u);
    if let Some(src) = source
        && ctx.table.as_ref().and_then(|t| t.table.copied_from) != Some(src)
    {
        tables::copy_to_year(&mut tx, &actor, src, ctx.y.id).await?;
    }
    store::set_scoring_deadline(&mut tx, &actor, ctx.y.id, deadline).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{}/scoring", ctx.y.id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn finalised(unit_id: i64, total: &str, max: &str, rank: usize) -> UnitResult {
        let total: Decimal = total.parse().unwrap();
        let max: Decimal = max.parse().unwrap();
        let t = model::Totals {
            standard: total,
            bonus: Decimal::ZERO,
            penalty: Decimal::ZERO,
            total,
            applicable_max: max,
            percent: (total * Decimal::ONE_HUNDRED / max).round_dp(2),
            by_section: Vec::new(),
            has_zero: false,
        };
        UnitResult {
            unit_id,
            name: format!("Đơn vị {unit_id}"),
            short_name: String::new(),
            status: SheetStatus::Finalised,
            sheet_id: Some(unit_id),
            claimed: t.clone(),
            verified: Some(t),
            rank: Some(model::Ranked {
                unit_id,
                rank,
                tied: false,
            }),
            rating: None,
            deadline: None,
            days_late: 0,
        }
    }

    #[test]
    fn bars_in_rank_order_never_grow_even_with_a_criterion_not_applicable() {
        // Unit 1 has a 10-point criterion "không áp dụng": 85 of 90 (94,44%) ranks above
        // 90 of 100 (90%), though its total is lower.
        let results = vec![
            finalised(1, "85", "90", 1),
            finalised(2, "90", "100", 2),
            finalised(3, "60", "100", 3),
        ];
        let b = bars(&results);
        let widths: Vec<Decimal> = b.iter().map(|b| b.width.parse().unwrap()).collect();
        assert!(
            widths.windows(2).all(|w| w[0] >= w[1]),
            "rank order, never a longer bar below: {widths:?}"
        );
        assert_eq!(b[0].value, "94,44%");
        assert_eq!(b[1].value, "90%");
        assert_eq!(widths[1], Decimal::from(360), "90% of the 400 wide chart");
    }
}
