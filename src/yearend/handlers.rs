//! The year-end report's pages: the leader writes it beside a live preview of the figures;
//! members and the council read and print it.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::forms::YearEndForm;
use super::model::{self, Facts, PledgeFacts};
use super::store::{self, Written};
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::model::YearRole;
use crate::org::year::{YearCtx, viewable_year};
use crate::web::document::{self, Document};
use crate::web::docx;
use crate::web::forms::Errors;
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn::{self, today};

/// Only the leader unit's staff write the report; the deputy, members and the council read it.
fn may_write(ctx: &YearCtx) -> bool {
    ctx.role == Some(YearRole::Leader)
}

/// The report as it prints now: today's figures and what is stored, or `written` as typed.
async fn document_of(
    tx: &mut TenantTx,
    u: &CurrentUser,
    ctx: &YearCtx,
    written: &Written,
) -> AppResult<Document> {
    let y = &ctx.y;
    let pledge = match crate::cycle::store::pledge::pledge(tx, y.id, false).await? {
        Some(p) => {
            let items = crate::cycle::store::pledge::items(tx, y.id).await?.len();
            let signed = crate::cycle::store::pledge::signatures(tx, y.id)
                .await?
                .len();
            let on = p
                .locked_at
                .or(p.opened_at)
                .map(|t| t.with_timezone(&vn::vn_offset()).date_naive());
            Some(PledgeFacts { items, signed, on })
        }
        None => None,
    };
    let registered = store::registered_titles(tx, y.id).await?;
    let results = crate::scoring::results::load(tx, y, &ctx.members, today())
        .await?
        .map(|(_, r)| r);
    let nominees = store::nominees(tx, y.id).await?;
    let next = store::next_leaders(tx, y.cluster_id, y.year).await?;
    let place = crate::cycle::store::tenant_place(tx).await?;
    Ok(model::report(&Facts {
        body: &u.tenant_name,
        y,
        members: &ctx.members,
        pledge,
        registered: &registered,
        results: results.as_deref(),
        nominees: &nominees,
        next,
        written,
        place: &place,
        dated: written.dated.unwrap_or_else(today),
    }))
}

#[derive(Template)]
#[template(path = "yearend/report.html")]
struct ReportPage {
    l: Layout,
    year_id: i64,
    cluster: String,
    year: i32,
    may_write: bool,
    f: YearEndForm,
    errors: Errors,
    saved: bool,
    /// The figures the report prints, as text, so the leader writes beside them.
    preview: Document,
}

impl ReportPage {
    /// The parts the leader writes: field, label, hint, text.
    fn areas(&self) -> [(&'static str, &'static str, &'static str, &str); 4] {
        [
            (
                "situation",
                "I. Đặc điểm tình hình (bổ sung)",
                "In sau câu giới thiệu thành viên, cụm trưởng, cụm phó.",
                &self.f.situation,
            ),
            (
                "strengths",
                "II.3. Ưu điểm",
                "Những kết quả nổi bật, cách làm hay, điển hình của các đơn vị.",
                &self.f.strengths,
            ),
            (
                "shortcomings",
                "II.4. Hạn chế, tồn tại và nguyên nhân",
                "",
                &self.f.shortcomings,
            ),
            (
                "direction",
                "III. Phương hướng, nhiệm vụ năm sau",
                "In sau kết quả bầu cụm trưởng, cụm phó năm sau (nếu đã bầu).",
                &self.f.direction,
            ),
        ]
    }
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn page(
    u: &CurrentUser,
    ctx: &YearCtx,
    status: StatusCode,
    f: YearEndForm,
    errors: Errors,
    saved: bool,
    preview: Document,
) -> AppResult<Response> {
    let title = format!(
        "Báo cáo tổng kết — {} năm {}",
        ctx.y.cluster_name, ctx.y.year
    );
    let page = ReportPage {
        l: Layout::for_year(u, &title),
        year_id: ctx.y.id,
        cluster: ctx.y.cluster_name.clone(),
        year: ctx.y.year,
        may_write: may_write(ctx),
        f,
        errors,
        saved,
        preview,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn show(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Query(q): Query<SavedQuery>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let ctx = viewable_year(&mut tx, &u, id).await?;
    let written = store::load(&mut tx, id).await?.unwrap_or_default();
    let preview = document_of(&mut tx, &u, &ctx, &written).await?;
    tx.commit().await?;
    let f = YearEndForm::of(&written);
    let saved = q.saved.is_some();
    page(
        &u,
        &ctx,
        StatusCode::OK,
        f,
        Errors::default(),
        saved,
        preview,
    )
}

pub async fn save(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<YearEndForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let ctx = viewable_year(&mut tx, &u, id).await?;
    if !may_write(&ctx) {
        return Err(AppError::Forbidden);
    }
    let before = store::load(&mut tx, id).await?.unwrap_or_default();
    let after = match f.check() {
        Ok(w) => w,
        Err(errors) => {
            let preview = document_of(&mut tx, &u, &ctx, &before).await?;
            tx.commit().await?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return page(&u, &ctx, status, f, errors, false, preview);
        }
    };
    store::save(&mut tx, &Actor::user(&u), id, &before, &after).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{id}/year-end?saved=1")).into_response())
}

async fn printed(u: &CurrentUser, id: i64) -> AppResult<Document> {
    let mut tx = u.db().await?;
    let ctx = viewable_year(&mut tx, u, id).await?;
    let written = store::load(&mut tx, id).await?.unwrap_or_default();
    let d = document_of(&mut tx, u, &ctx, &written).await?;
    tx.commit().await?;
    Ok(d)
}

pub async fn print(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Html<String>> {
    let d = printed(&u, id).await?;
    Ok(Html(document::render_html(&d)?))
}

pub async fn print_docx(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let d = printed(&u, id).await?;
    let bytes = docx::render(&d).map_err(AppError::Internal)?;
    Ok(docx::response(&format!("{}.docx", d.h.title), bytes))
}
