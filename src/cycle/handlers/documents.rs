//! Printed documents in the layout of Decree 30/2020/NĐ-CP: the pledge with a signature block
//! for every member (also as .docx), a unit's registration, and the leader's summary of
//! registrations.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};

use super::pledge::view;
use super::registration_summary::{SumRow, summary_rows, types};
use super::registrations::load_unit;
use super::{YearCtx, load_year};
use crate::auth::{CurrentUser, policy};
use crate::cycle::printed::PledgeText;
use crate::cycle::store::registrations::{self as reg_store, Initiative};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::store as org_store;
use crate::web::document::{self, Document};
use crate::web::docx;
use crate::web::ids::Ids;
use crate::web::print::{DocHeader, caps};
use crate::web::vn;
use crate::web::vn::today;

fn vn_date(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&vn::vn_offset()).date_naive()
}

/// The place written in the date line: the unit's own, else the council's. Both are kept under
/// the catalog version (no statement on a page that reads).
async fn place_of(conn: &mut TenantTx, unit_id: Option<i64>) -> AppResult<String> {
    if let Some(id) = unit_id
        && let Some(unit) = org_store::kept_unit(conn, id).await?
        && !unit.f.place_name.trim().is_empty()
    {
        return Ok(unit.f.place_name.clone());
    }
    Ok(crate::proposals::store::kept_tenant_names(conn)
        .await?
        .1
        .clone())
}

/// The pledge as a printed document: the print view and the .docx both render it. A year
/// without a pledge has none: the page that says so comes instead.
async fn pledge_document(u: &CurrentUser, id: i64) -> AppResult<Result<Document, Response>> {
    // Nothing below writes: the document reads without a transaction on a GET.
    let mut tx = u.read().await?;
    let ctx = load_year(&mut tx, u, id).await?;
    if !policy::may_view_pledge(u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let v = view(&mut tx, ctx.y.id).await?;
    let place = place_of(&mut tx, ctx.y.leader_unit_id).await?;
    tx.commit().await?;
    if v.pledge.is_none() || v.items.is_empty() {
        let page = Html(crate::cycle::printed::NoPledge::new(&ctx.y).render()?);
        return Ok(Err((StatusCode::NOT_FOUND, page).into_response()));
    }
    let dated = v
        .pledge
        .as_ref()
        .and_then(|p| p.locked_at.or(p.opened_at))
        .map(vn_date)
        .unwrap_or_else(today);
    Ok(Ok(crate::cycle::printed::pledge(PledgeText {
        y: &ctx.y,
        members: &ctx.members,
        items: &v.items,
        signatures: &v.signatures,
        place: &place,
        dated,
    })))
}

pub async fn pledge(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let d = match pledge_document(&u, id).await? {
        Ok(d) => d,
        Err(none) => return Ok(none),
    };
    Ok(Html(document::render_html(&d)?).into_response())
}

/// The same pledge as a Word file.
pub async fn pledge_docx(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let d = match pledge_document(&u, id).await? {
        Ok(d) => d,
        Err(none) => return Ok(none),
    };
    let bytes = docx::render(&d).map_err(AppError::Internal)?;
    Ok(docx::response(&format!("{}.docx", d.h.title), bytes))
}

#[derive(Template)]
#[template(path = "cycle/registration_print.html")]
struct RegistrationPrint {
    h: DocHeader,
    year: i32,
    cluster: String,
    leader: String,
    aim: String,
    counts: Vec<(String, i32)>,
    initiatives: Vec<Initiative>,
    notes: String,
    head_title: String,
    head_name: String,
}

impl RegistrationPrint {
    fn kind_label(&self, k: &str) -> &'static str {
        if k == "de_tai" {
            "Đề tài"
        } else {
            "Sáng kiến"
        }
    }
}

pub async fn registration(
    u: CurrentUser,
    Ids((id, unit)): Ids<(i64, i64)>,
) -> AppResult<Html<String>> {
    let mut tx = u.db().await?;
    let (ctx, unit_id, unit_name, reg) = load_unit(&mut tx, &u, id, unit, false).await?;
    let t = types(&mut tx).await?;
    let f = reg_store::fields(&mut tx, ctx.y.id, unit_id).await?;
    let unit = org_store::unit(&mut tx, unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let place = place_of(&mut tx, Some(unit_id)).await?;
    tx.commit().await?;
    let dated = reg
        .as_ref()
        .and_then(|r| r.submitted_at)
        .map(vn_date)
        .unwrap_or_else(today);
    let head_title = document::own_title(&unit.f.head_title);
    let page = RegistrationPrint {
        h: DocHeader {
            superior: document::superior_line(&unit.f.superior),
            issuer: caps(&unit_name),
            number: String::new(),
            place_date: DocHeader::place_date(&place, dated),
            doc_type: "BẢN ĐĂNG KÝ THI ĐUA".into(),
            subject: format!("Năm {}", ctx.y.year),
            title: format!("Đăng ký thi đua năm {} — {unit_name}", ctx.y.year),
            back: format!("/years/{}/registrations/{unit_id}", ctx.y.id),
            orientation: "portrait",
        },
        year: ctx.y.year,
        cluster: ctx.y.cluster_name.clone(),
        leader: ctx.y.leader_name.clone().unwrap_or_default(),
        aim: reg.and_then(|r| r.award_name).unwrap_or_default(),
        counts: f
            .counts
            .iter()
            .map(|(a, n)| (t.names.get(a).cloned().unwrap_or_default(), *n))
            .collect(),
        initiatives: f.initiatives,
        notes: f.notes,
        head_title,
        head_name: unit.f.head_name,
    };
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "cycle/registrations_print.html")]
struct SummaryPrint {
    h: DocHeader,
    rows: Vec<SumRow>,
    individual: Vec<(i64, String)>,
    totals: Vec<i32>,
    /// The cluster the leader's head signs for ("TM. …").
    cluster: String,
    leader_title: String,
    leader_name: String,
}

pub async fn summary(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Html<String>> {
    // Nothing below writes: the document reads without a transaction on a GET.
    let mut tx = u.read().await?;
    let ctx: YearCtx = load_year(&mut tx, &u, id).await?;
    if !policy::may_view_registration_summary(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let t = types(&mut tx).await?;
    let rows = summary_rows(&mut tx, &u, &ctx, &t.individual).await?;
    let place = place_of(&mut tx, ctx.y.leader_unit_id).await?;
    let leader = match ctx.y.leader_unit_id {
        Some(l) => org_store::kept_unit(&mut tx, l).await?,
        None => None,
    };
    tx.commit().await?;
    let totals = (0..t.individual.len())
        .map(|i| rows.iter().map(|r| r.counts[i]).sum())
        .collect();
    let page = SummaryPrint {
        h: DocHeader {
            superior: document::superior_line(&ctx.y.cluster_superior),
            issuer: caps(&ctx.y.cluster_name),
            number: String::new(),
            place_date: DocHeader::place_date(&place, today()),
            doc_type: "BẢNG TỔNG HỢP ĐĂNG KÝ THI ĐUA".into(),
            subject: format!("Năm {}", ctx.y.year),
            title: format!(
                "Tổng hợp đăng ký thi đua năm {} — {}",
                ctx.y.year, ctx.y.cluster_name
            ),
            back: format!("/years/{}/registrations", ctx.y.id),
            orientation: "landscape",
        },
        rows,
        individual: t.individual,
        totals,
        cluster: caps(&ctx.y.cluster_name),
        leader_title: document::own_title(
            &leader
                .as_ref()
                .map(|l| l.f.head_title.clone())
                .unwrap_or_default(),
        ),
        leader_name: leader.map(|l| l.f.head_name.clone()).unwrap_or_default(),
    };
    Ok(Html(page.render()?))
}
