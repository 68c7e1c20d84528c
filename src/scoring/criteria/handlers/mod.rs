//! The criteria table pages: the library, a new table, one table with every form that edits
//! it, and the edits themselves. Each edit locks the table's row, refuses a frozen table
//! (409, with the reason), and on bad input shows the page again with the message beside the
//! field and the input kept (422).

mod edits;
mod library;
mod page;

pub use edits::{
    add_criterion, add_section, copy, delete_criterion, delete_section, set_bands, update,
    update_criterion, update_section,
};
pub use library::{create, list, new_form};
pub use page::show;

use page::{Input, Outcome, again, render, year_of};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};

use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::scoring::tables::TableFull;
use crate::web::forms::Errors;
use crate::web::vn;

use super::store::violated;

pub fn require_admin(u: &CurrentUser) -> AppResult<()> {
    if policy::may_manage_org(u) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

const NAME_TAKEN: &str = "Thư viện đã có bảng tiêu chí mang tên này; hãy đặt tên khác.";

fn code_taken_message(code: &str) -> String {
    format!("Mã “{code}” đã được dùng trong bảng này (mỗi mã phần, mã tiêu chí chỉ dùng một lần).")
}

/// A code of the table other than the section or criterion being edited.
fn code_taken(full: &TableFull, code: &str, section: Option<i64>, criterion: Option<i64>) -> bool {
    full.sections
        .iter()
        .any(|s| s.code == code && Some(s.id) != section)
        || full
            .criteria
            .iter()
            .any(|c| c.code == code && Some(c.id) != criterion)
}

fn frozen_message(at: DateTime<Utc>) -> String {
    format!(
        "Bảng tiêu chí này đã khóa từ {} vì đã có đơn vị nộp bảng tự chấm điểm; không sửa được nữa. \
         Nếu cần bảng khác cho năm sau, hãy sao chép bảng này thành một bảng mới trong thư viện.",
        vn::datetime(at)
    )
}

fn see(id: i64, anchor: &str) -> Response {
    Redirect::to(&format!("/criteria/{id}{anchor}")).into_response()
}

/// Adds the code field's message when `code` is taken elsewhere in the table.
fn check_code(
    errors: &mut Errors,
    full: &TableFull,
    code: &str,
    section: Option<i64>,
    criterion: Option<i64>,
) {
    if errors.is_empty() && code_taken(full, code, section, criterion) {
        errors.add("code", code_taken_message(code));
    }
}

/// The outcome of a write that may still trip over the unique code `key` (a concurrent change
/// took the code after `check_code`): that becomes the code field's message and None; any
/// other failure is an error.
fn unless_code_taken<T>(
    written: sqlx::Result<T>,
    key: &str,
    code: &str,
    errors: &mut Errors,
) -> AppResult<Option<T>> {
    match written {
        Ok(v) => Ok(Some(v)),
        Err(e) if violated(&e).as_deref() == Some(key) => {
            errors.add("code", code_taken_message(code));
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// A change went through: commit it and show the table at `anchor`.
async fn done(tx: TenantTx, id: i64, anchor: &str) -> AppResult<Response> {
    tx.commit().await?;
    Ok(see(id, anchor))
}

/// A change was refused for its input: nothing is written, and the page comes back with the
/// form as typed and the messages beside its fields (422).
async fn invalid(u: &CurrentUser, tx: TenantTx, id: i64, outcome: Outcome) -> AppResult<Response> {
    drop(tx);
    again(u, id, StatusCode::UNPROCESSABLE_ENTITY, outcome).await
}
