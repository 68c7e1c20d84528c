//! The dossier's documents as print views (A4, Decree 30/2020 layout) and as .docx downloads;
//! both render the one `Document` built from the dossier.

use axum::extract::Query;
use axum::response::{Html, IntoResponse, Response};

use super::load_proposal;
use super::reports::AwardQuery;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::proposals::load::{dossier, report_data};
use crate::web::document::{Document, render_html};
use crate::web::docx;
use crate::web::ids::Ids;
use crate::web::vn::today;

/// The cluster documents by their name in the address.
pub const DOCUMENTS: &[(&str, &str)] = &[
    ("to-trinh", "Tờ trình"),
    ("bien-ban", "Biên bản họp bình xét"),
    ("danh-sach", "Danh sách đề nghị"),
];

async fn cluster_document(u: &CurrentUser, id: i64, doc: &str) -> AppResult<(Document, String)> {
    if !DOCUMENTS.iter().any(|(d, _)| *d == doc) {
        return Err(AppError::NotFound);
    }
    // Documents only read: no transaction on a GET.
    let mut tx = u.read().await?;
    let (p, ctx) = load_proposal(&mut tx, u, id, false).await?;
    let d = dossier(&mut tx, &p, &ctx, doc == "bien-ban").await?;
    tx.commit().await?;
    let document = match doc {
        "to-trinh" => d.cover_letter(),
        "bien-ban" => d.minutes(),
        _ => d.nominee_list(),
    };
    // Named by its Vietnamese title, the cluster and the year, like every download.
    let title = DOCUMENTS
        .iter()
        .find(|(d, _)| *d == doc)
        .map(|(_, t)| *t)
        .unwrap_or("Hồ sơ");
    Ok((
        document,
        format!("{title} - {} - {}.docx", d.cluster, d.year),
    ))
}

pub async fn print(u: CurrentUser, Ids((id, doc)): Ids<(i64, String)>) -> AppResult<Html<String>> {
    let (d, _) = cluster_document(&u, id, &doc).await?;
    Ok(Html(render_html(&d)?))
}

pub async fn download(u: CurrentUser, Ids((id, doc)): Ids<(i64, String)>) -> AppResult<Response> {
    let (d, name) = cluster_document(&u, id, &doc).await?;
    Ok(docx::response(&name, docx::render(&d)?))
}

async fn report_document(
    u: &CurrentUser,
    id: i64,
    (unit_id, award): (i64, Option<i64>),
) -> AppResult<(Document, String)> {
    // Documents only read: no transaction on a GET.
    let mut tx = u.read().await?;
    let (p, ctx) = load_proposal(&mut tx, u, id, false).await?;
    let r = report_data(&mut tx, &p, &ctx, (unit_id, award), today()).await?;
    tx.commit().await?;
    let name = format!(
        "Báo cáo thành tích - {} - {} - {} - {}.docx",
        r.unit_name, r.award, ctx.y.cluster_name, r.year
    );
    Ok((r.document(), name))
}

pub async fn report_print(
    u: CurrentUser,
    Ids((id, unit)): Ids<(i64, i64)>,
    Query(q): Query<AwardQuery>,
) -> AppResult<Html<String>> {
    let (d, _) = report_document(&u, id, (unit, q.award)).await?;
    Ok(Html(render_html(&d)?))
}

pub async fn report_download(
    u: CurrentUser,
    Ids((id, unit)): Ids<(i64, i64)>,
    Query(q): Query<AwardQuery>,
) -> AppResult<Response> {
    let (d, name) = report_document(&u, id, (unit, q.award)).await?;
    Ok(docx::response(&name, docx::render(&d)?).into_response())
}
