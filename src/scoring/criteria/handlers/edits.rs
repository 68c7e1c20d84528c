//! The edits of a table: each locks the table, refuses a frozen one, and on bad input shows
//! the page again with the failed form.
use axum::Form;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::scoring::tables::{self, Criterion, TableFull};
use crate::web::forms::{self as web_forms, Errors};
use crate::web::ids::Ids;

use super::super::forms::{
    CopyForm, CriterionForm, SectionForm, TableFields, TableForm, band_inputs, validate_bands,
};
use super::super::model::Draft;
use super::super::store::{self, CRITERION_CODE_KEY, SECTION_CODE_KEY};

use super::*;

/// Opens a table for a change: locked, in the user's tenant (else 404), by an admin (else
/// 403), and not frozen (else the page with the reason, 409).
async fn open_for_edit(
    conn: &mut TenantTx,
    u: &CurrentUser,
    id: i64,
) -> AppResult<Result<TableFull, Response>> {
    store::lock(conn, id).await?.ok_or(AppError::NotFound)?;
    require_admin(u)?;
    let full = tables::load_full(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(at) = full.table.frozen_at {
        let year = year_of(conn, &full).await?;
        let outcome = Outcome::refused("", frozen_message(at));
        return Ok(Err(render(
            u,
            &full,
            year,
            StatusCode::CONFLICT,
            outcome,
            None,
        )?));
    }
    Ok(Ok(full))
}

macro_rules! open_or_return {
    ($conn:expr, $u:expr, $id:expr) => {
        match open_for_edit($conn, $u, $id).await? {
            Ok(full) => full,
            Err(refusal) => return Ok(refusal),
        }
    };
}

pub async fn update(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(form): Form<TableForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let full = open_or_return!(&mut tx, &u, id);
    let (fields, mut errors) = form.validate();
    let in_library = full.table.cluster_year_id.is_none();
    if errors.is_empty()
        && in_library
        && store::library_table_named(&mut tx, &fields.name, Some(id))
            .await?
            .is_some()
    {
        errors.add("name", NAME_TAKEN);
    }
    if errors.is_empty() {
        let before = TableFields::from(&full.table);
        store::update_table(&mut tx, &Actor::user(&u), id, &before, &fields).await?;
        return done(tx, id, "").await;
    }
    let outcome = Outcome::failed("table", errors, Input::Table(form));
    invalid(&u, tx, id, outcome).await
}

pub async fn add_section(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(form): Form<SectionForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let full = open_or_return!(&mut tx, &u, id);
    let (fields, mut errors) = form.validate();
    check_code(&mut errors, &full, &fields.code, None, None);
    if errors.is_empty() {
        let written = store::insert_section(&mut tx, &Actor::user(&u), id, &fields).await;
        if let Some(sid) = unless_code_taken(written, SECTION_CODE_KEY, &fields.code, &mut errors)?
        {
            return done(tx, id, &format!("#section-{sid}")).await;
        }
    }
    let outcome = Outcome::failed("section-new", errors, Input::Section(form));
    invalid(&u, tx, id, outcome).await
}

pub async fn update_section(
    u: CurrentUser,
    Ids(ids): Ids<(i64, i64)>,
    Form(form): Form<SectionForm>,
) -> AppResult<Response> {
    let (id, sid) = ids;
    let mut tx = u.db().await?;
    let full = open_or_return!(&mut tx, &u, id);
    let section = full.section(sid).cloned().ok_or(AppError::NotFound)?;
    let (fields, mut errors) = form.validate();
    check_code(&mut errors, &full, &fields.code, Some(sid), None);
    if errors.is_empty() {
        let written = store::update_section(&mut tx, &Actor::user(&u), id, &section, &fields).await;
        if unless_code_taken(written, SECTION_CODE_KEY, &fields.code, &mut errors)?.is_some() {
            return done(tx, id, &format!("#section-{sid}")).await;
        }
    }
    let outcome = Outcome::failed(format!("section-{sid}"), errors, Input::Section(form));
    invalid(&u, tx, id, outcome).await
}

fn in_use_message(what: &str) -> String {
    format!(
        "Không xóa được {what}: đơn vị đã tự chấm, ghi giải trình hoặc nộp minh chứng cho tiêu chí này trong năm thi đua. \
         Hãy sửa nội dung thay vì xóa."
    )
}

pub async fn delete_section(u: CurrentUser, Ids(ids): Ids<(i64, i64)>) -> AppResult<Response> {
    let (id, sid) = ids;
    let mut tx = u.db().await?;
    let full = open_or_return!(&mut tx, &u, id);
    let section = full.section(sid).cloned().ok_or(AppError::NotFound)?;
    let criteria: Vec<&Criterion> = full
        .criteria
        .iter()
        .filter(|c| c.section_id == sid)
        .collect();
    let ids: Vec<i64> = criteria.iter().map(|c| c.id).collect();
    if store::used_entries(&mut tx, &ids).await? > 0 {
        drop(tx);
        let outcome = Outcome::refused(
            format!("section-{sid}"),
            in_use_message(&format!("phần {}", section.code)),
        );
        return again(&u, id, StatusCode::CONFLICT, outcome).await;
    }
    store::delete_section(&mut tx, &Actor::user(&u), id, &section, &criteria).await?;
    tx.commit().await?;
    Ok(see(id, "#sections"))
}

pub async fn add_criterion(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(form): Form<CriterionForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let full = open_or_return!(&mut tx, &u, id);
    let section_ids: Vec<i64> = full.sections.iter().map(|s| s.id).collect();
    let (fields, mut errors) = form.validate(&section_ids);
    check_code(&mut errors, &full, &fields.code, None, None);
    if errors.is_empty() {
        let section = section_code(&full, fields.section_id);
        let actor = Actor::user(&u);
        let written = store::insert_criterion(&mut tx, &actor, id, &section, &fields).await;
        if let Some(cid) =
            unless_code_taken(written, CRITERION_CODE_KEY, &fields.code, &mut errors)?
        {
            return done(tx, id, &format!("#criterion-{cid}")).await;
        }
    }
    let outcome = Outcome::failed("criterion-new", errors, Input::Criterion(form));
    invalid(&u, tx, id, outcome).await
}

fn section_code(full: &TableFull, section_id: i64) -> String {
    full.section(section_id)
        .map(|s| s.code.clone())
        .unwrap_or_default()
}

pub async fn update_criterion(
    u: CurrentUser,
    Ids(ids): Ids<(i64, i64)>,
    Form(form): Form<CriterionForm>,
) -> AppResult<Response> {
    let (id, cid) = ids;
    let mut tx = u.db().await?;
    let full = open_or_return!(&mut tx, &u, id);
    let criterion = full
        .criteria
        .iter()
        .find(|c| c.id == cid)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let section_ids: Vec<i64> = full.sections.iter().map(|s| s.id).collect();
    let (fields, mut errors) = form.validate(&section_ids);
    check_code(&mut errors, &full, &fields.code, None, Some(cid));
    if errors.is_empty() {
        let before_section = section_code(&full, criterion.section_id);
        let section = section_code(&full, fields.section_id);
        let actor = Actor::user(&u);
        let c = &criterion;
        let written =
            store::update_criterion(&mut tx, &actor, id, c, &before_section, &section, &fields)
                .await;
        if unless_code_taken(written, CRITERION_CODE_KEY, &fields.code, &mut errors)?.is_some() {
            return done(tx, id, &format!("#criterion-{cid}")).await;
        }
    }
    let outcome = Outcome::failed(format!("criterion-{cid}"), errors, Input::Criterion(form));
    invalid(&u, tx, id, outcome).await
}

pub async fn delete_criterion(u: CurrentUser, Ids(ids): Ids<(i64, i64)>) -> AppResult<Response> {
    let (id, cid) = ids;
    let mut tx = u.db().await?;
    let full = open_or_return!(&mut tx, &u, id);
    let criterion = full
        .criteria
        .iter()
        .find(|c| c.id == cid)
        .cloned()
        .ok_or(AppError::NotFound)?;
    if store::used_entries(&mut tx, &[cid]).await? > 0 {
        drop(tx);
        let outcome = Outcome::refused(
            format!("criterion-{cid}"),
            in_use_message(&format!("tiêu chí {}", criterion.code)),
        );
        return again(&u, id, StatusCode::CONFLICT, outcome).await;
    }
    let section = section_code(&full, criterion.section_id);
    store::delete_criterion(&mut tx, &Actor::user(&u), id, &criterion, &section).await?;
    tx.commit().await?;
    Ok(see(id, &format!("#section-{}", criterion.section_id)))
}

pub async fn set_bands(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(posted): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let full = open_or_return!(&mut tx, &u, id);
    let rows = band_inputs(&posted);
    let (bands, errors) = validate_bands(&rows);
    if errors.is_empty() {
        store::replace_bands(&mut tx, &Actor::user(&u), id, &full.bands, &bands).await?;
        return done(tx, id, "#bands").await;
    }
    invalid(
        &u,
        tx,
        id,
        Outcome::failed("bands", errors, Input::Bands(rows)),
    )
    .await
}

/// A copy in the library under a new name, from any table (a frozen year copy too).
pub async fn copy(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(form): Form<CopyForm>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let full = tables::load_full(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    require_admin(&u)?;
    let mut errors = Errors::default();
    let name = web_forms::text(&mut errors, "name", &form.name, "tên bảng mới", 2, 300);
    if errors.is_empty()
        && store::library_table_named(&mut tx, &name, None)
            .await?
            .is_some()
    {
        errors.add("name", NAME_TAKEN);
    }
    if errors.is_empty() {
        let mut draft = Draft::from_full(&full);
        draft.name = name;
        let extra = json!({ "copied_from": id, "copied_from_name": full.table.name });
        let new_id =
            store::insert_draft(&mut tx, &Actor::user(&u), &draft, Some(id), "copied", extra)
                .await?;
        return done(tx, new_id, "").await;
    }
    invalid(
        &u,
        tx,
        id,
        Outcome::failed("copy", errors, Input::Copy(form.name)),
    )
    .await
}
