//! The exchange page and its download: thin, the reading is the store's.

use askama::Template;
use axum::response::{Html, Response};

use crate::auth::CurrentUser;
use crate::auth::policy;
use crate::error::{AppError, AppResult};
use crate::exchange::{model, store};
use crate::web::layout::Layout;
use crate::web::{download, vn};

#[derive(Template)]
#[template(path = "exchange/page.html")]
struct ExchangePage {
    l: Layout,
    s: store::Summary,
    format: &'static str,
    version: u32,
    file_name: String,
}

async fn document(u: &CurrentUser) -> AppResult<model::Document> {
    if !policy::may_view_council(u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.read().await?;
    let d = store::document(&mut tx).await?;
    tx.commit().await?;
    Ok(d)
}

/// "thidua-langson-2026-12-02.json": the tenant's code and the day, in Vietnam.
fn file_name(tenant_code: &str) -> String {
    format!(
        "thidua-{}-{}.json",
        tenant_code,
        vn::today().format("%Y-%m-%d")
    )
}

pub async fn page(u: CurrentUser) -> AppResult<Html<String>> {
    if !policy::may_view_council(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.read().await?;
    let s = store::summary(&mut tx).await?;
    tx.commit().await?;
    let page = ExchangePage {
        l: Layout::for_user(&u, "Trao đổi dữ liệu với thidua khác", "council"),
        format: model::FORMAT,
        version: model::VERSION,
        file_name: file_name(&s.code),
        s,
    };
    Ok(Html(page.render()?))
}

pub async fn export_json(u: CurrentUser) -> AppResult<Response> {
    let d = document(&u).await?;
    Ok(download::attachment(
        &file_name(&d.tenant.code),
        "application/json; charset=utf-8",
        model::to_text(&d).into_bytes(),
    ))
}
