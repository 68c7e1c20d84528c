//! The leader's dashboard for a cluster year, its .xlsx export and the printed summary
//! (Bảng tổng hợp kết quả chấm điểm, also as .docx). All show the same computed results.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::scoring::handlers::{YearCtx, year_ctx};
use crate::scoring::model::{self, SheetStatus};
use crate::scoring::results::{self, UnitResult};
use crate::scoring::{store, tables};
use crate::web::document::{self, Block, Cell, Document, Signature};
use crate::web::docx;
use crate::web::forms::{self, Errors};
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::print::{DocHeader, caps};
use crate::web::vn;

struct Computed {
    ctx: YearCtx,
    results: Vec<UnitResult>,
    /// Units whose head has signed the year's pledge, and whether a pledge is open or locked.
    signed: Vec<i64>,
    pledge_started: bool,
    /// Each member's registration state label.
    registrations: std::collections::HashMap<i64, &'static str>,
    deadline: Option<NaiveDate>,
    library: Vec<(i64, String)>,
    tenant_name: String,
}

impl Computed {
    /// "Mục I", "Mục II"…: the column heads of the criteria table's sections.
    fn section_labels(&self) -> Vec<String> {
        self.ctx
            .table
            .as_ref()
            .map(|t| {
                t.sections
                    .iter()
                    .map(|s| format!("Mục {}", s.code))
                    .collect()
            })
            .unwrap_or_default()
    }
}

async fn compute(u: &CurrentUser, year: i64) -> AppResult<Computed> {
    let mut tx = u.db().await?;
    let c = compute_in(&mut tx, u, year, true).await?;
    tx.commit().await?;
    Ok(c)
}

/// The year's results; with `for_page`, also what only the dashboard page shows beside them
/// (the table library, pledge signatures, registrations), which the printouts do not ask for.
async fn compute_in(
    tx: &mut TenantTx,
    u: &CurrentUser,
    year: i64,
    for_page: bool,
) -> AppResult<Computed> {
    let ctx = year_ctx(&mut *tx, u, year).await?;
    if !policy::may_view_dashboard(u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let deadline = ctx.y.scoring_deadline;
    // A frozen table cannot be exchanged, so the library to choose from is not needed then.
    let frozen = ctx
        .table
        .as_ref()
        .is_some_and(|t| t.table.frozen_at.is_some());
    let library = if for_page && policy::may_manage_scoring(u, ctx.role) && !frozen {
        tables::library(&mut *tx).await?
    } else {
        Vec::new()
    };
    let results = match results::load(tx, &ctx.y, &ctx.members, vn::today()).await? {
        Some((table, mut r)) => {
            // Drafts are the unit's own: the leader sees that they exist, not their figures.
            for x in r.iter_mut().filter(|x| x.status == SheetStatus::Draft) {
                x.claimed = model::totals(
                    &[],
                    table.sections.len(),
                    table.table.bonus_cap,
                    table.table.penalty_cap,
                );
            }
            r
        }
        None => Vec::new(),
    };
    let steps = if for_page {
        crate::cycle::store::member_steps(&mut *tx, ctx.y.id).await?
    } else {
        Vec::new()
    };
    let pledge_started = steps.iter().any(|s| {
        s.pledge_state
            .as_deref()
            .and_then(crate::cycle::model::PledgeState::parse)
            .is_some_and(|p| p != crate::cycle::model::PledgeState::Draft)
    });
    let signed: Vec<i64> = steps
        .iter()
        .filter(|s| s.signed)
        .map(|s| s.unit_id)
        .collect();
    let registrations = steps
        .iter()
        .map(|s| {
            (
                s.unit_id,
                crate::cycle::model::registration_label(s.registration()),
            )
        })
        .collect();
    let tenant_name = u.tenant_name.clone();
    Ok(Computed {
        ctx,
        results,
        signed,
        pledge_started,
        registrations,
        deadline,
        library,
        tenant_name,
    })
}

/// Units that need the leader's action first: waiting for verification, then late, then the
/// rest by rank.
fn action_order(r: &UnitResult) -> (u8, i64, usize) {
    let need = match r.status {
        SheetStatus::Submitted => 0,
        _ if r.days_late > 0 => 1,
        SheetStatus::Draft | SheetStatus::Returned => 2,
        SheetStatus::Finalised => 3,
    };
    (
        need,
        -r.days_late,
        r.rank.as_ref().map(|k| k.rank).unwrap_or(usize::MAX),
    )
}

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

    fn registration(&self, unit: &i64) -> &'static str {
        self.c.registrations.get(unit).copied().unwrap_or("—")
    }
}

/// Horizontal bars of verified totals, drawn on the server so they print too.
fn bars(results: &[UnitResult]) -> Vec<Bar> {
    let max = results
        .iter()
        .filter_map(|r| r.verified.as_ref().map(|v| v.total))
        .max()
        .unwrap_or(rust_decimal::Decimal::ONE_HUNDRED)
        .max(rust_decimal::Decimal::ONE);
    results
        .iter()
        .filter(|r| r.status == SheetStatus::Finalised)
        .enumerate()
        .filter_map(|(i, r)| {
            let v = r.verified.as_ref()?;
            let w = (v.total.max(rust_decimal::Decimal::ZERO) * rust_decimal::Decimal::from(400)
                / max)
                .round_dp(1);
            Some(Bar {
                label: if r.short_name.is_empty() {
                    r.name.clone()
                } else {
                    r.short_name.clone()
                },
                value: model::fmt(v.total),
                y: i * 26,
                width: w.to_string(),
                text_x: (w + rust_decimal::Decimal::from(136)).to_string(),
            })
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
    let p = DashboardPage {
        l: Layout::for_user(
            u,
            &title,
            if u.role == crate::auth::Role::TenantAdmin {
                "clusters"
            } else {
                "units"
            },
        ),
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

pub async fn export_xlsx(u: CurrentUser, Ids(year): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let c = compute_in(&mut tx, &u, year, false).await?;
    tx.commit().await?;
    let bytes = xlsx(&c).map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    let name = format!(
        "bang-tong-hop-diem-{}-{}.xlsx",
        c.ctx.y.cluster_id, c.ctx.y.year
    );
    let mut resp = (StatusCode::OK, bytes).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).expect("ascii"),
    );
    Ok(resp)
}

fn xlsx(c: &Computed) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Tổng hợp")?;
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    let num = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.00");
    ws.write_with_format(
        0,
        0,
        format!(
            "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {}",
            c.ctx.y.year
        ),
        &bold,
    )?;
    ws.write(1, 0, &c.ctx.y.cluster_name)?;
    let sections = c.section_labels();
    let mut headers = vec!["STT".to_string(), "Đơn vị".into(), "Tự chấm".into()];
    headers.extend(sections.iter().map(|s| format!("{s} (thẩm định)")));
    headers.extend([
        "Tổng thẩm định".into(),
        "Tỷ lệ (%)".into(),
        "Xếp hạng".into(),
        "Xếp loại".into(),
        "Trạng thái".into(),
    ]);
    for (i, h) in headers.iter().enumerate() {
        ws.write_with_format(3, i as u16, h, &head)?;
    }
    let mut rows: Vec<&UnitResult> = c.results.iter().collect();
    rows.sort_by_key(|r| {
        (
            r.rank.as_ref().map(|k| k.rank).unwrap_or(usize::MAX),
            r.name.clone(),
        )
    });
    let dec = |d: rust_decimal::Decimal| d.to_string().parse::<f64>().unwrap_or(0.0);
    for (i, r) in rows.iter().enumerate() {
        let row = 4 + i as u32;
        ws.write_with_format(row, 0, (i + 1) as u32, &cell)?;
        ws.write_with_format(row, 1, &r.name, &cell)?;
        if r.status != SheetStatus::Draft {
            ws.write_with_format(row, 2, dec(r.claimed.total), &num)?;
        } else {
            ws.write_with_format(row, 2, "", &cell)?;
        }
        let mut col = 3u16;
        for s in 0..sections.len() {
            match (&r.verified, r.status) {
                (Some(v), SheetStatus::Finalised) => {
                    ws.write_with_format(row, col, dec(v.by_section[s]), &num)?
                }
                _ => ws.write_with_format(row, col, "", &cell)?,
            };
            col += 1;
        }
        match (&r.verified, r.status) {
            (Some(v), SheetStatus::Finalised) => {
                ws.write_with_format(row, col, dec(v.total), &num)?;
                ws.write_with_format(row, col + 1, dec(v.percent), &num)?;
            }
            _ => {
                ws.write_with_format(row, col, "", &cell)?;
                ws.write_with_format(row, col + 1, "", &cell)?;
            }
        }
        let rank = r
            .rank
            .as_ref()
            .map(|k| format!("{}{}", k.rank, if k.tied { " (đồng hạng)" } else { "" }))
            .unwrap_or_default();
        ws.write_with_format(row, col + 2, rank, &cell)?;
        ws.write_with_format(row, col + 3, r.rating.clone().unwrap_or_default(), &cell)?;
        ws.write_with_format(row, col + 4, r.status.label(), &cell)?;
    }
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 42)?;
    for col in 2..headers.len() as u16 {
        ws.set_column_width(col, 13)?;
    }
    wb.save_to_buffer()
}

/// The printed summary (Bảng tổng hợp kết quả chấm điểm): the print view and the .docx both
/// render it.
async fn summary_document(u: &CurrentUser, year: i64) -> AppResult<Document> {
    let mut tx = u.db().await?;
    let c = compute_in(&mut tx, u, year, false).await?;
    let mut rows: Vec<&UnitResult> = c.results.iter().collect();
    rows.sort_by_key(|r| {
        (
            r.rank.as_ref().map(|k| k.rank).unwrap_or(usize::MAX),
            r.name.clone(),
        )
    });
    let leader = match c.ctx.y.leader_unit_id {
        Some(id) => crate::org::store::unit(&mut tx, id).await?,
        None => None,
    };
    tx.commit().await?;
    let place = leader
        .as_ref()
        .map(|l| l.f.place_name.clone())
        .unwrap_or_default();
    let h = DocHeader {
        superior: caps(&c.tenant_name),
        issuer: caps(&c.ctx.y.cluster_name),
        number: String::new(),
        place_date: DocHeader::place_date(&place, vn::today()),
        doc_type: "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM".into(),
        subject: format!("thi đua năm {}", c.ctx.y.year),
        title: format!(
            "Bảng tổng hợp kết quả chấm điểm năm {} — {}",
            c.ctx.y.year, c.ctx.y.cluster_name
        ),
        back: format!("/years/{}/scoring", c.ctx.y.id),
        orientation: "landscape",
    };
    let sections = c.section_labels();
    let mut head = vec!["STT".to_string(), "Đơn vị".into(), "Tự chấm".into()];
    head.extend(sections.iter().cloned());
    head.extend(["Tổng thẩm định", "Tỷ lệ (%)", "Xếp hạng", "Xếp loại"].map(String::from));
    // Widths in percent: the section columns share about a quarter, the unit's name the rest.
    let n = sections.len() as u16;
    let each = 24u16.checked_div(n).map_or(0, |e| e.clamp(3, 7));
    let mut widths = vec![4, 55u16.saturating_sub(each * n).max(15), 7];
    widths.extend(sections.iter().map(|_| each));
    widths.extend([9, 8, 8, 9]);
    let fmt = model::fmt;
    let table_rows = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut cells = vec![
                Cell::center((i + 1).to_string()),
                Cell::left(&r.name),
                Cell::right(if r.status == SheetStatus::Draft {
                    String::new()
                } else {
                    fmt(r.claimed.total)
                }),
            ];
            match (&r.verified, r.status) {
                (Some(v), SheetStatus::Finalised) => {
                    cells.extend(v.by_section.iter().map(|x| Cell::right(fmt(*x))));
                    cells.push(Cell::right(fmt(v.total)).bold());
                    cells.push(Cell::right(fmt(v.percent)));
                }
                _ => {
                    cells.extend(sections.iter().map(|_| Cell::left("")));
                    cells.push(Cell::center(r.status.label()));
                    cells.push(Cell::left(""));
                }
            }
            cells.push(Cell::center(
                r.rank
                    .as_ref()
                    .map(|k| format!("{}{}", k.rank, if k.tied { " (đồng hạng)" } else { "" }))
                    .unwrap_or_default(),
            ));
            cells.push(Cell::left(r.rating.clone().unwrap_or_default()));
            cells
        })
        .collect();
    let table_name = c
        .ctx
        .table
        .as_ref()
        .map(|t| t.table.name.clone())
        .unwrap_or_default();
    Ok(Document {
        h,
        blocks: vec![
            Block::Table {
                widths,
                head,
                rows: table_rows,
            },
            Block::Note(format!(
                "Bảng tiêu chí: {table_name}. Điểm thẩm định do đơn vị cụm trưởng (với bảng điểm \
                 của đơn vị cụm trưởng: đơn vị cụm phó) thẩm định; xếp hạng theo tỷ lệ điểm trên \
                 tổng điểm tối đa áp dụng với đơn vị."
            )),
        ],
        recipients: [
            "- Các đơn vị trong cụm;",
            "- Hội đồng Thi đua - Khen thưởng;",
            "- Lưu: VT.",
        ]
        .map(String::from)
        .to_vec(),
        signatures: vec![Signature {
            titles: vec!["Đại diện đơn vị cụm trưởng".into()],
            note: "(Ký, ghi rõ họ tên, đóng dấu)".into(),
            name: c.ctx.y.leader_name.clone().unwrap_or_default(),
        }],
    })
}

pub async fn print(u: CurrentUser, Ids(year): Ids<i64>) -> AppResult<Html<String>> {
    let d = summary_document(&u, year).await?;
    Ok(Html(document::render_html(&d)?))
}

/// The same summary as a Word file.
pub async fn print_docx(u: CurrentUser, Ids(year): Ids<i64>) -> AppResult<Response> {
    let d = summary_document(&u, year).await?;
    let bytes = docx::render(&d).map_err(AppError::Internal)?;
    Ok(docx::response(&format!("{}.docx", d.h.title), bytes))
}
