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
    d: model::Document,
    file_name: String,
    decided: usize,
}

async fn document(u: &CurrentUser) -> AppResult<model::Document> {
    if !policy::may_view_council(u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let d = store::document(&mut tx).await?;
    tx.commit().await?;
    Ok(d)
}

/// "thidua-langson-2026-12-02.json": the tenant's code and the day, in Vietnam.
fn file_name(d: &model::Document) -> String {
    format!(
        "thidua-{}-{}.json",
        d.tenant.code,
        vn::today().format("%Y-%m-%d")
    )
}

pub async fn page(u: CurrentUser) -> AppResult<Html<String>> {
    let d = document(&u).await?;
    let page = ExchangePage {
        l: Layout::for_user(&u, "Trao đổi dữ liệu với thidua khác", "council"),
        file_name: file_name(&d),
        decided: d.awards.iter().filter(|a| a.from_decision).count(),
        d,
    };
    Ok(Html(page.render()?))
}

pub async fn export_json(u: CurrentUser) -> AppResult<Response> {
    let d = document(&u).await?;
    Ok(download::attachment(
        &file_name(&d),
        "application/json; charset=utf-8",
        model::to_text(&d).into_bytes(),
    ))
}
