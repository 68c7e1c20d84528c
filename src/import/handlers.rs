//! The import pages: the upload forms with the documented layouts, the template downloads,
//! and the two uploads (units, users). Each upload is checked whole before anything is written.

use askama::Template;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{Multipart, Path};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::web::layout::Layout;

use super::model::{self, AccountLine, Column, Kind, Problem, Table, UnitLine};
use super::sheet::{self, FileError};
use super::store::{self, Applied};
use super::template;

/// The report lists at most this many problems (the count says how many more there are).
const SHOWN_PROBLEMS: usize = 1_000;

fn require_admin(u: &CurrentUser) -> AppResult<()> {
    if policy::may_manage_org(u) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Template)]
#[template(path = "import/index.html")]
struct IndexPage {
    l: Layout,
    units: &'static [Column],
    users: &'static [Column],
    max_rows: String,
    max_mb: usize,
    max_accounts: usize,
}

pub async fn index(u: CurrentUser) -> AppResult<Html<String>> {
    require_admin(&u)?;
    let page = IndexPage {
        l: Layout::for_user(&u, "Nhập từ Excel", "import"),
        units: Kind::Units.columns(),
        users: Kind::Users.columns(),
        max_rows: crate::web::vn::integer(model::MAX_ROWS as i64),
        max_mb: crate::BODY_LIMIT / (1024 * 1024),
        max_accounts: model::MAX_NEW_ACCOUNTS,
    };
    Ok(Html(page.render()?))
}

/// `units.xlsx`, `units.csv`, `users.xlsx`, `users.csv`.
pub async fn template_file(u: CurrentUser, Path(file): Path<String>) -> AppResult<Response> {
    require_admin(&u)?;
    let (kind, ext) = file
        .split_once('.')
        .and_then(|(k, e)| Some((Kind::parse(k)?, e)))
        .ok_or(AppError::NotFound)?;
    let (bytes, content_type) = match ext {
        "xlsx" => (
            template::xlsx(kind).map_err(|e| AppError::Internal(e.into()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "csv" => (template::csv(kind), "text/csv; charset=utf-8"),
        _ => return Err(AppError::NotFound),
    };
    let disposition = format!(
        "attachment; filename=\"{}\"",
        template::file_name(kind, ext)
    );
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).map_err(|e| AppError::Internal(e.into()))?,
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A reload of the result page's address lands on the import page.
pub async fn back_to_index() -> Redirect {
    Redirect::to("/import")
}

#[derive(Template)]
#[template(path = "import/report.html")]
struct ReportPage {
    l: Layout,
    kind: Kind,
    /// The file itself could not be read or has no usable layout.
    file_level: bool,
    problems: Vec<Problem>,
    /// Problems beyond those listed.
    more: usize,
    /// Rows with at least one problem, and data rows checked.
    bad_rows: usize,
    rows: usize,
}

fn report(
    u: &CurrentUser,
    kind: Kind,
    status: StatusCode,
    rows: usize,
    mut problems: Vec<Problem>,
    file_level: bool,
) -> AppResult<Response> {
    let mut bad: Vec<u32> = problems.iter().filter_map(|p| p.row).collect();
    bad.sort_unstable();
    bad.dedup();
    let file_level = file_level || problems.iter().any(|p| p.row.is_none());
    let more = problems.len().saturating_sub(SHOWN_PROBLEMS);
    problems.truncate(SHOWN_PROBLEMS);
    let page = ReportPage {
        l: Layout::for_user(u, "Chưa nhập được", "import"),
        kind,
        file_level,
        problems,
        more,
        bad_rows: bad.len(),
        rows,
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn file_report(u: &CurrentUser, kind: Kind, e: FileError) -> AppResult<Response> {
    let status = match e {
        FileError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let problem = Problem {
        row: None,
        column: None,
        message: e.message(),
    };
    report(u, kind, status, 0, vec![problem], true)
}

fn upload_error(e: MultipartError) -> FileError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        FileError::TooLarge
    } else {
        FileError::BadUpload
    }
}

/// The bytes of the form's `file` field.
async fn upload(m: Result<Multipart, MultipartRejection>) -> Result<Vec<u8>, FileError> {
    let mut m = m.map_err(|_| FileError::NoFile)?;
    loop {
        let Some(field) = m.next_field().await.map_err(upload_error)? else {
            return Err(FileError::NoFile);
        };
        if field.name() != Some("file") {
            continue;
        }
        let named = field.file_name().is_some_and(|n| !n.is_empty());
        let bytes = match crate::web::upload::read_file(field, crate::BODY_LIMIT).await {
            Ok(bytes) => bytes,
            Err(crate::web::upload::FileFault::TooBig) => return Err(FileError::TooLarge),
            Err(crate::web::upload::FileFault::Broken(e)) => return Err(upload_error(e)),
        };
        if bytes.is_empty() && !named {
            return Err(FileError::NoFile);
        }
        return Ok(bytes);
    }
}

/// Reads the upload into rows of the layout, or answers with the report of why it cannot.
async fn read_table(
    u: &CurrentUser,
    kind: Kind,
    m: Result<Multipart, MultipartRejection>,
) -> AppResult<Result<Table, Response>> {
    let bytes = match upload(m).await {
        Ok(b) => b,
        Err(e) => return file_report(u, kind, e).map(Err),
    };
    // Unpacking and parsing a workbook is CPU work: off the async threads.
    let sheet = tokio::task::spawn_blocking(move || sheet::read(&bytes))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let sheet = match sheet {
        Ok(s) => s,
        Err(e) => return file_report(u, kind, e).map(Err),
    };
    match model::read_table(&sheet, kind) {
        Ok(t) => Ok(Ok(t)),
        Err(problems) => {
            let rows = sheet.rows.len().saturating_sub(1);
            report(
                u,
                kind,
                StatusCode::UNPROCESSABLE_ENTITY,
                rows,
                problems,
                true,
            )
            .map(Err)
        }
    }
}

fn conflict_report(u: &CurrentUser, kind: Kind, row: u32, rows: usize) -> AppResult<Response> {
    let problem = Problem {
        row: Some(row),
        column: None,
        message: "Dữ liệu của dòng này vừa được người khác thêm trong lúc nhập. Chưa có gì được \
                  ghi; hãy tải tệp lên lại."
            .into(),
    };
    report(u, kind, StatusCode::CONFLICT, rows, vec![problem], false)
}

#[derive(Template)]
#[template(path = "import/units_done.html")]
struct UnitsDonePage {
    l: Layout,
    created: Vec<UnitLine>,
    updated: Vec<UnitLine>,
    unchanged: usize,
    ignored: Vec<String>,
    notes: Vec<String>,
}

pub async fn import_units(
    u: CurrentUser,
    m: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    require_admin(&u)?;
    let table = match read_table(&u, Kind::Units, m).await? {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    let rows = table.records.len();
    let mut tx = u.db().await?;
    store::lock_imports(&mut tx).await?;
    let existing = store::units(&mut tx).await?;
    let plan = model::plan_units(&table, &existing);
    if !plan.is_ok() {
        drop(tx);
        return report(
            &u,
            Kind::Units,
            StatusCode::UNPROCESSABLE_ENTITY,
            rows,
            plan.problems,
            false,
        );
    }
    let done = match store::apply_units(&mut tx, &Actor::user(&u), plan.steps).await? {
        Applied::Done(done) => done,
        Applied::Conflict(row) => {
            drop(tx);
            return conflict_report(&u, Kind::Units, row, rows);
        }
    };
    tx.commit().await?;
    let page = UnitsDonePage {
        l: Layout::for_user(&u, "Đã nhập danh sách đơn vị", "import"),
        created: done.created,
        updated: done.updated,
        unchanged: done.unchanged,
        ignored: table.ignored,
        notes: table.notes,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "import/users_done.html")]
struct UsersDonePage {
    l: Layout,
    accounts: Vec<AccountLine>,
    unchanged: usize,
    ignored: Vec<String>,
    notes: Vec<String>,
}

pub async fn import_users(
    u: CurrentUser,
    m: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    require_admin(&u)?;
    let table = match read_table(&u, Kind::Users, m).await? {
        Ok(t) => t,
        Err(r) => return Ok(r),
    };
    let rows = table.records.len();
    let mut tx = u.db().await?;
    store::lock_imports(&mut tx).await?;
    let existing = store::users(&mut tx).await?;
    let units = store::unit_refs(&mut tx).await?;
    let taken = store::usernames_taken(&mut tx, &model::usernames(&table)).await?;
    let plan = model::plan_users(&table, &existing, &units, &taken);
    if !plan.is_ok() {
        drop(tx);
        return report(
            &u,
            Kind::Users,
            StatusCode::UNPROCESSABLE_ENTITY,
            rows,
            plan.problems,
            false,
        );
    }
    let done = match store::apply_users(&mut tx, &Actor::user(&u), plan.steps).await? {
        Applied::Done(done) => done,
        Applied::Conflict(row) => {
            drop(tx);
            return conflict_report(&u, Kind::Users, row, rows);
        }
    };
    tx.commit().await?;
    let page = UsersDonePage {
        l: Layout::for_user(&u, "Đã nhập danh sách người dùng", "import"),
        accounts: done.accounts,
        unchanged: done.unchanged,
        ignored: table.ignored,
        notes: table.notes,
    };
    Ok(Html(page.render()?).into_response())
}

impl ReportPage {
    fn kind_path(&self) -> &'static str {
        self.kind.as_str()
    }

    fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}
