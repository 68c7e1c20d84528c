//! A unit's scoresheet: self-scoring by the unit, verification by the leader (or deputy).

use std::collections::HashMap;

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::auth::policy::{self, SheetAccess};
use crate::error::{AppError, AppResult};
use crate::scoring::forms::Inputs;
use crate::scoring::handlers::{YearCtx, year_ctx};
use crate::scoring::model::{self, SheetStatus, Totals};
use crate::scoring::results;
use crate::scoring::store::{self, Entry, EvidenceRow, Sheet};
use crate::scoring::tables::{self, Criterion, Section, TableFull};
use crate::web::forms::Errors;
use crate::web::ids::Ids;
use crate::web::layout::Layout;

pub struct Row<'a> {
    pub section: Option<&'a Section>,
    pub c: Option<&'a Criterion>,
    pub entry: Option<&'a Entry>,
    pub evidence: Vec<&'a EvidenceRow>,
    /// The criterion's section kind, for the running total in the browser.
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "scoring/sheet.html")]
pub struct SheetPage<'a> {
    pub l: Layout,
    pub ctx: &'a YearCtx,
    pub table: &'a TableFull,
    pub unit_id: i64,
    pub unit_name: String,
    pub sheet: &'a Sheet,
    pub status: SheetStatus,
    pub access: SheetAccess,
    pub rows: Vec<Row<'a>>,
    pub inputs: Inputs,
    pub errors: Errors,
    pub claimed: Totals,
    pub verified: Option<Totals>,
    pub show_verified: bool,
    pub deadline: Option<NaiveDate>,
    pub next_to_verify: Option<(i64, String)>,
    pub problems: Vec<String>,
    pub notice: String,
    pub csrf: String,
    /// "Đã dùng X MB / Y MB" of the sheet's evidence quota, to those who see its files.
    pub quota_line: Option<String>,
}

impl SheetPage<'_> {
    fn fmt(&self, d: &Decimal) -> String {
        model::fmt(*d)
    }

    fn kind_label(&self, s: &Section) -> &'static str {
        s.kind().label()
    }

    fn err(&self, k: &str) -> String {
        self.errors.get(k).cloned().unwrap_or_default()
    }

    fn checked(&self, k: &str) -> bool {
        self.inputs.get(k) == "on"
    }

    fn size(&self, bytes: &i32) -> String {
        if *bytes >= 1024 * 1024 {
            format!("{:.1} MB", *bytes as f64 / 1048576.0).replace('.', ",")
        } else {
            format!("{} KB", (*bytes + 1023) / 1024)
        }
    }
}

/// Everything a sheet page needs, loaded in one transaction.
pub(super) struct Loaded {
    pub(super) ctx: YearCtx,
    pub(super) sheet: Sheet,
    pub(super) entries: Vec<Entry>,
    pub(super) evidence: Vec<EvidenceRow>,
    /// The council's evidence quota per sheet, MB (0: none).
    pub(super) quota_mb: i32,
    pub(super) access: SheetAccess,
    pub(super) deadline: Option<NaiveDate>,
    pub(super) unit_name: String,
    /// For the verifier: the next member's sheet waiting for them (unit, name).
    pub(super) next_to_verify: Option<(i64, String)>,
}

pub(super) async fn load(u: &CurrentUser, year: i64, unit: i64) -> AppResult<Loaded> {
    let mut tx = u.read().await?;
    let ctx = year_ctx(&mut tx, u, year).await?;
    let unit_id = unit;
    let unit_name = ctx
        .member(unit_id)
        .map(|m| m.name.clone())
        .ok_or(AppError::NotFound)?;
    let Some(table) = ctx.table.as_ref() else {
        return Err(AppError::NotFound);
    };
    // Only the unit itself makes its sheet; others see it once it exists.
    let read = match store::sheet_with_entries_and_evidence(&mut tx, ctx.y.id, unit_id).await? {
        Some(r) => r,
        // Made on the unit's first visit: the page then goes on in that transaction.
        None if u.unit_id == Some(unit_id) => {
            tx = tx.into_transaction().await?;
            store::sheet_or_new(&mut tx, ctx.y.id, unit_id, table.table.id).await?;
            store::sheet_with_entries_and_evidence(&mut tx, ctx.y.id, unit_id)
                .await?
                .ok_or(AppError::NotFound)?
        }
        None => return Err(AppError::NotFound),
    };
    let store::SheetRead {
        sheet,
        entries,
        evidence,
        quota_mb,
    } = read;
    let status = sheet.status;
    let access = policy::sheet_access(
        u,
        ctx.role,
        unit_id,
        ctx.y.leader_unit_id,
        ctx.y.deputy_unit_id,
        status.is_draft(),
        status.is_finalised(),
    );
    if !access.view {
        return Err(AppError::Forbidden);
    }
    // Read with the sheet, shown only to whom may see the files.
    let (evidence, quota_mb) = if access.evidence {
        (evidence, quota_mb)
    } else {
        (Vec::new(), 0)
    };
    let deadline = sheet.deadline_override.or(ctx.y.scoring_deadline);
    let next_to_verify = if access.verify {
        next_to_verify(&mut tx, u, &ctx, unit_id).await?
    } else {
        None
    };
    tx.commit().await?;
    Ok(Loaded {
        ctx,
        sheet,
        entries,
        evidence,
        quota_mb,
        access,
        deadline,
        unit_name,
        next_to_verify,
    })
}

/// The first member after `unit` (in the members' order, round to the start) whose sheet waits
/// for this user's verification, so the verifier goes on in one click (issue 17, item 10).
async fn next_to_verify(
    tx: &mut crate::db::TenantTx,
    u: &CurrentUser,
    ctx: &YearCtx,
    unit: i64,
) -> AppResult<Option<(i64, String)>> {
    let waiting: Vec<i64> = store::sheets_of_year(tx, ctx.y.id)
        .await?
        .into_iter()
        .filter(|s| s.unit_id != unit && s.status.verifier_may_act())
        .filter(|s| {
            let (y, role) = (&ctx.y, ctx.role);
            policy::sheet_access(
                u,
                role,
                s.unit_id,
                y.leader_unit_id,
                y.deputy_unit_id,
                false,
                false,
            )
            .verify
        })
        .map(|s| s.unit_id)
        .collect();
    let at = ctx
        .members
        .iter()
        .position(|m| m.unit_id == unit)
        .unwrap_or(0);
    let (before, after) = ctx.members.split_at(at);
    Ok(after
        .iter()
        .chain(before)
        .find(|m| waiting.contains(&m.unit_id))
        .map(|m| (m.unit_id, m.name.clone())))
}

/// How the page is shown: its status code, the fields as typed (or as stored when None), their
/// errors, the problems listed on top, and a notice.
pub(super) struct Shown {
    pub(super) code: StatusCode,
    pub(super) inputs: Option<Inputs>,
    pub(super) errors: Errors,
    pub(super) problems: Vec<String>,
    pub(super) notice: String,
}

impl Shown {
    /// A refused action: the page with one problem on top.
    pub(super) fn refused(code: StatusCode, inputs: Option<Inputs>, problem: &str) -> Shown {
        Shown {
            code,
            inputs,
            errors: Errors::default(),
            problems: vec![problem.to_string()],
            notice: String::new(),
        }
    }

    /// Bad input: the form again with what was typed and the messages beside the fields.
    pub(super) fn invalid(inputs: Option<Inputs>, errors: Errors) -> Shown {
        Shown {
            code: StatusCode::UNPROCESSABLE_ENTITY,
            inputs,
            errors,
            problems: Vec::new(),
            notice: String::new(),
        }
    }
}

/// The table's sections, each followed by its criteria with their lines and files.
fn rows<'a>(table: &'a TableFull, d: &'a Loaded) -> Vec<Row<'a>> {
    let by_criterion: HashMap<i64, &Entry> =
        d.entries.iter().map(|e| (e.criterion_id, e)).collect();
    let mut rows = Vec::new();
    for s in &table.sections {
        rows.push(Row {
            section: Some(s),
            c: None,
            entry: None,
            evidence: Vec::new(),
            kind: s.kind().as_str(),
        });
        for c in table.criteria.iter().filter(|c| c.section_id == s.id) {
            rows.push(Row {
                section: None,
                c: Some(c),
                entry: by_criterion.get(&c.id).copied(),
                evidence: d
                    .evidence
                    .iter()
                    .filter(|e| e.criterion_id == c.id)
                    .collect(),
                kind: s.kind().as_str(),
            });
        }
    }
    rows
}

pub(super) fn render(u: &CurrentUser, d: &Loaded, shown: Shown) -> AppResult<Response> {
    let table = d.ctx.table.as_ref().expect("checked by load");
    let status = d.sheet.status;
    let (claimed, verified) = results::sheet_totals(table, &d.entries);
    // The unit sees the verified figures once final; the verifier and the council as they go.
    let show_verified =
        status.is_finalised() || d.access.verify || u.role == crate::auth::Role::TenantAdmin;
    let page = SheetPage {
        l: Layout::for_year(u, &format!("Bảng điểm — {}", d.unit_name)),
        ctx: &d.ctx,
        table,
        unit_id: d.sheet.unit_id,
        unit_name: d.unit_name.clone(),
        sheet: &d.sheet,
        status,
        access: d.access,
        rows: rows(table, d),
        inputs: shown
            .inputs
            .unwrap_or_else(|| Inputs::from_entries(&d.entries)),
        errors: shown.errors,
        claimed,
        verified,
        show_verified,
        deadline: d.deadline,
        next_to_verify: d.next_to_verify.clone(),
        problems: shown.problems,
        notice: shown.notice,
        csrf: u.csrf_token.clone(),
        quota_line: d.access.evidence.then(|| quota_line(d)),
    };
    Ok((shown.code, Html(page.render()?)).into_response())
}

fn quota_line(d: &Loaded) -> String {
    use crate::settings::model::mb;
    let used = mb(d.evidence.iter().map(|e| i64::from(e.size_bytes)).sum());
    if d.quota_mb > 0 {
        format!("Đã dùng {used} / {} MB", d.quota_mb)
    } else {
        format!("Đã dùng {used} (không giới hạn)")
    }
}

pub async fn show(
    u: CurrentUser,
    Ids((year, unit)): Ids<(i64, i64)>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let d = load(&u, year, unit).await?;
    // Uploads answer with a redirect; their outcome comes back in the query string, and the
    // message is shown at the top and beside the criterion's upload field.
    let upload_error: Option<String> = q
        .get("evidence_error")
        .map(|m| m.chars().take(300).collect());
    let problems: Vec<String> = upload_error
        .iter()
        .map(|m| format!("Tệp minh chứng chưa được nhận: {m}"))
        .collect();
    let mut errors = Errors::default();
    if let (Some(m), Some(c)) = (
        &upload_error,
        q.get("c").and_then(|c| c.parse::<i64>().ok()),
    ) {
        errors.add(format!("e_{c}"), m.clone());
    }
    let notice = notice(&q);
    let code = StatusCode::OK;
    let shown = Shown {
        code,
        inputs: None,
        errors,
        problems,
        notice,
    };
    render(&u, &d, shown)
}

/// What the last action did, as its redirect tells it.
fn notice(q: &HashMap<String, String>) -> String {
    let files: usize = q.get("files").and_then(|n| n.parse().ok()).unwrap_or(0);
    let mut done = Vec::new();
    if q.contains_key("saved") {
        done.push("Đã lưu bản nháp".to_string());
    }
    if files > 0 {
        done.push(format!("đã nhận {files} tệp minh chứng"));
    }
    if q.contains_key("deleted") {
        done.push("đã xóa tệp minh chứng".to_string());
    }
    if q.contains_key("verified") {
        done.push("Đã lưu điểm thẩm định".to_string());
    }
    if q.contains_key("finalised") {
        done.push("Đã hoàn tất thẩm định bảng điểm này".to_string());
    }
    if done.is_empty() {
        String::new()
    } else {
        format!("{}.", done.join(", "))
    }
}

pub(super) fn sheet_url(d: &Loaded) -> String {
    format!("/years/{}/sheets/{}", d.ctx.y.id, d.sheet.unit_id)
}

/// Hands the sheet in for verification once every rule of submission holds; the table
/// freezes with the first submission of the year.
pub async fn submit(u: CurrentUser, Ids((year, unit)): Ids<(i64, i64)>) -> AppResult<Response> {
    let d = load(&u, year, unit).await?;
    hand_in(&u, &d, String::new()).await
}

/// Submits the loaded sheet; a refusal shows `notice` (what was done before) with the problems.
pub(super) async fn hand_in(u: &CurrentUser, d: &Loaded, notice: String) -> AppResult<Response> {
    if !d.access.submit {
        return Err(AppError::Forbidden);
    }
    let Some(next) = d.sheet.status.submit() else {
        return Ok(Redirect::to(&sheet_url(d)).into_response());
    };
    let table = d.ctx.table.as_ref().expect("checked");
    let unscored = model::sheet::unscored(table, &d.entries);
    let mut tx = u.db().await?;
    let evidence = store::evidence_of_sheet(&mut tx, d.sheet.id).await?;
    let with_files: Vec<i64> = evidence.iter().map(|e| e.criterion_id).collect();
    let missing = model::sheet::missing_evidence(table, &d.entries, &with_files);
    let today = crate::web::vn::today();
    let problems = model::submission_problems(&missing, &unscored, today, d.deadline);
    if !problems.is_empty() {
        drop(tx);
        let shown = Shown {
            problems,
            notice,
            ..Shown::invalid(None, Errors::default())
        };
        return render(u, d, shown);
    }
    tables::freeze(&mut tx, table.table.id).await?;
    store::set_status(&mut tx, &Actor::user(u), &d.sheet, next, "").await?;
    crate::notify::sheet_submitted(&mut tx, u, d.ctx.y.id, d.sheet.unit_id).await?;
    tx.commit().await?;
    Ok(Redirect::to(&sheet_url(d)).into_response())
}
