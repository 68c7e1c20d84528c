//! The decision's print view and .docx, the decision and its annexed list.

use axum::response::{Html, Response};

use super::deny;
use crate::auth::CurrentUser;
use crate::decisions::document::Printed;
use crate::decisions::store::{self, Decision, Line};
use crate::error::{AppError, AppResult};
use crate::web::docx;
use crate::web::ids::Ids;

async fn load(u: &CurrentUser, id: i64) -> AppResult<(Decision, Vec<Line>)> {
    deny(u)?;
    let mut tx = u.read().await?;
    let d = store::decision(&mut tx, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let lines = store::lines(&mut tx, id).await?;
    tx.commit().await?;
    Ok((d, lines))
}

pub async fn print(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Html<String>> {
    let (d, lines) = load(&u, id).await?;
    Ok(Html(
        Printed {
            d: &d,
            lines: &lines,
        }
        .html()?,
    ))
}

pub async fn download(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let (d, lines) = load(&u, id).await?;
    let p = Printed {
        d: &d,
        lines: &lines,
    };
    // Named by its number once issued ("/" cannot stand in a file name).
    let name = match &d.number {
        Some(n) => format!("Quyết định số {} - {}.docx", n.replace('/', "-"), d.year),
        None => format!(
            "Dự thảo quyết định khen thưởng - {} - {}.docx",
            d.year, d.id
        ),
    };
    Ok(docx::response(&name, p.docx()?))
}
