//! Criteria tables to and from Excel: the template, a table's export, and the import page with
//! its upload. An upload is checked whole; one bad row and nothing is written.

use askama::Template;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde_json::json;

use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::scoring::tables;
use crate::web::ids::Ids;
use crate::web::layout::Layout;

use super::handlers::require_admin;
use super::model::Draft;
use super::store;
use super::xlsx::{self, BAND_COLUMNS, COLUMNS, Column, INFO_ITEMS};

/// The template's name as the import page shows it and the download is named.
pub const TEMPLATE_FILE: &str = "Mẫu bảng tiêu chí thi đua.xlsx";

fn download(bytes: Vec<u8>, file_name: &str) -> AppResult<Response> {
    Ok(crate::web::download::attachment(
        file_name,
        crate::web::download::XLSX,
        bytes,
    ))
}

pub async fn template(u: CurrentUser) -> AppResult<Response> {
    require_admin(&u)?;
    let bytes = xlsx::template().map_err(|e| AppError::Internal(e.into()))?;
    download(bytes, TEMPLATE_FILE)
}

pub async fn export(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let full = tables::load_full(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    require_admin(&u)?;
    let draft = Draft::from_full(&full);
    let bytes = tokio::task::spawn_blocking(move || xlsx::write(&draft))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))?;
    download(bytes, &format!("Bảng tiêu chí - {}.xlsx", full.table.name))
}

#[derive(Template)]
#[template(path = "scoring/criteria/import.html")]
struct ImportPage {
    l: Layout,
    columns: &'static [Column],
    band_columns: &'static [Column],
    info_items: &'static [(&'static str, &'static str)],
    max_rows: usize,
    max_mb: usize,
    problems: Vec<String>,
    file_name: String,
}

fn import_page_with(
    u: &CurrentUser,
    status: StatusCode,
    problems: Vec<String>,
    file_name: String,
) -> AppResult<Response> {
    let page = ImportPage {
        l: Layout::for_user(u, "Nhập bảng tiêu chí từ Excel", "criteria"),
        columns: &COLUMNS,
        band_columns: &BAND_COLUMNS,
        info_items: &INFO_ITEMS,
        max_rows: xlsx::MAX_ROWS,
        max_mb: crate::BODY_LIMIT / (1024 * 1024),
        problems,
        file_name,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn import_page(u: CurrentUser) -> AppResult<Response> {
    require_admin(&u)?;
    import_page_with(&u, StatusCode::OK, Vec::new(), String::new())
}

/// The `file` field of the upload: its bytes and the name the browser gave.
async fn upload(m: Result<Multipart, MultipartRejection>) -> Result<(Vec<u8>, String), String> {
    let none =
        "Chưa chọn tệp. Hãy chọn tệp Excel (.xlsx) của bảng tiêu chí rồi bấm “Kiểm tra và nhập”."
            .to_string();
    let broken = "Tệp tải lên bị gián đoạn hoặc quá lớn. Hãy thử tải lên lại.".to_string();
    let mut m = m.map_err(|_| none.clone())?;
    loop {
        let Some(field) = m.next_field().await.map_err(|_| broken.clone())? else {
            return Err(none);
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("").to_string();
        let bytes = crate::web::upload::read_file(field, crate::BODY_LIMIT)
            .await
            .map_err(|_| broken.clone())?;
        if bytes.is_empty() && name.is_empty() {
            return Err(none);
        }
        return Ok((bytes, name));
    }
}

/// The table's name when the file has none: the file's name without its extension.
fn name_from_file(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base).trim();
    let stem: String = stem.chars().take(280).collect();
    if stem.chars().count() >= 2 {
        stem
    } else {
        "Bảng tiêu chí nhập từ Excel".to_string()
    }
}

pub async fn import(
    u: CurrentUser,
    m: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    require_admin(&u)?;
    let (bytes, file_name) = match upload(m).await {
        Ok(f) => f,
        Err(problem) => {
            return import_page_with(
                &u,
                StatusCode::UNPROCESSABLE_ENTITY,
                vec![problem],
                String::new(),
            );
        }
    };
    // Unpacking and parsing a workbook is CPU work: off the async threads.
    let read = tokio::task::spawn_blocking(move || xlsx::read(&bytes))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let mut draft = match read {
        Ok(d) => d,
        Err(problems) => {
            return import_page_with(&u, StatusCode::UNPROCESSABLE_ENTITY, problems, file_name);
        }
    };
    if draft.name.is_empty() {
        draft.name = name_from_file(&file_name);
    }
    let mut tx = u.db().await?;
    draft.name = store::free_library_name(&mut tx, &draft.name).await?;
    let extra = json!({ "file": file_name });
    let id =
        store::insert_draft(&mut tx, &Actor::user(&u), &draft, None, "imported", extra).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/criteria/{id}?imported=1")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_without_a_name_takes_the_file_name() {
        assert_eq!(
            name_from_file("Bang tieu chi 2025.xlsx"),
            "Bang tieu chi 2025"
        );
        assert_eq!(name_from_file("C:\\Users\\x\\Bảng.xlsx"), "Bảng");
        assert_eq!(name_from_file("a.xlsx"), "Bảng tiêu chí nhập từ Excel");
        assert_eq!(name_from_file(""), "Bảng tiêu chí nhập từ Excel");
    }
}
