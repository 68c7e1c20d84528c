//! The criteria table pages: the library, a new table, one table with every form that edits
//! it, and the edits themselves. Each edit locks the table's row, refuses a frozen table
//! (409, with the reason), and on bad input shows the page again with the message beside the
//! field and the input kept (422).

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::scoring::model::{SectionKind, fmt};
use crate::scoring::tables::{self, Criterion, TableFull};
use crate::web::forms::{self as web_forms, Errors};
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn;

use super::forms::{
    BandInput, CopyForm, CriterionForm, SectionForm, TableFields, TableForm, band_inputs,
    band_rows, band_rows_again, validate_bands,
};
use super::model::{self, Draft, KINDS};
use super::store::{self, CRITERION_CODE_KEY, SECTION_CODE_KEY, violated};

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

// ---- the library -----------------------------------------------------------------------------

pub struct LibraryRow {
    pub id: i64,
    pub name: String,
    pub criteria: usize,
    pub standard_max: String,
    pub bonus_cap: String,
    pub penalty_cap: String,
    pub usable: bool,
}

pub struct CopyRow {
    pub id: i64,
    pub name: String,
    pub year_id: i64,
    pub year: String,
    pub criteria: i64,
    pub frozen: Option<String>,
    pub in_use: bool,
}

#[derive(Template)]
#[template(path = "scoring/criteria/list.html")]
struct ListPage {
    l: Layout,
    library: Vec<LibraryRow>,
    copies: Vec<CopyRow>,
}

pub async fn list(u: CurrentUser) -> AppResult<Html<String>> {
    require_admin(&u)?;
    let mut tx = u.db().await?;
    let mut library = Vec::new();
    for (id, _) in tables::library(&mut tx).await? {
        let Some(full) = tables::load_full(&mut tx, id).await? else {
            continue;
        };
        library.push(LibraryRow {
            id,
            name: full.table.name.clone(),
            criteria: full.criteria.len(),
            standard_max: fmt(full.standard_max()),
            bonus_cap: fmt(full.table.bonus_cap),
            penalty_cap: fmt(full.table.penalty_cap),
            usable: model::usability(&full).is_empty(),
        });
    }
    let copies = store::year_copies(&mut tx)
        .await?
        .into_iter()
        .map(|c| CopyRow {
            id: c.id,
            name: c.name,
            year_id: c.year_id,
            year: format!("{} — năm {}", c.cluster_name, c.year),
            criteria: c.criteria,
            frozen: c.frozen_at.map(vn::datetime),
            in_use: c.in_use,
        })
        .collect();
    tx.commit().await?;
    let page = ListPage {
        l: Layout::for_user(&u, "Bảng tiêu chí chấm điểm", "criteria"),
        library,
        copies,
    };
    Ok(Html(page.render()?))
}

// ---- a new table ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "scoring/criteria/new.html")]
struct NewPage {
    l: Layout,
    form: TableForm,
    errors: Errors,
}

fn new_page(
    u: &CurrentUser,
    status: StatusCode,
    form: TableForm,
    errors: Errors,
) -> AppResult<Response> {
    let page = NewPage {
        l: Layout::for_user(u, "Lập bảng tiêu chí chấm điểm", "criteria"),
        form,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn new_form(u: CurrentUser) -> AppResult<Response> {
    require_admin(&u)?;
    new_page(
        &u,
        StatusCode::OK,
        TableForm::new_table(),
        Errors::default(),
    )
}

pub async fn create(u: CurrentUser, Form(form): Form<TableForm>) -> AppResult<Response> {
    require_admin(&u)?;
    let (fields, mut errors) = form.validate();
    if errors.is_empty() {
        let mut tx = u.db().await?;
        if store::library_table_named(&mut tx, &fields.name, None)
            .await?
            .is_some()
        {
            errors.add("name", NAME_TAKEN);
        } else {
            let id = store::insert_table(&mut tx, &Actor::user(&u), &fields).await?;
            return done(tx, id, "").await;
        }
    }
    new_page(&u, StatusCode::UNPROCESSABLE_ENTITY, form, errors)
}

// ---- one table -----------------------------------------------------------------------------

pub struct CriterionView {
    pub id: i64,
    pub key: String,
    pub code: String,
    pub text: String,
    pub max: String,
    pub step: String,
    pub guidance: String,
    pub evidence: bool,
    pub form: CriterionForm,
}

pub struct SectionView {
    pub id: i64,
    pub key: String,
    pub code: String,
    pub title: String,
    pub kind_label: &'static str,
    pub total: String,
    pub criteria: Vec<CriterionView>,
    pub form: SectionForm,
}

pub struct BandView {
    pub name: String,
    pub min: String,
    pub no_zero: bool,
}

/// Which form was sent and failed, with what was typed, or a refusal to show on top.
#[derive(Default)]
struct Outcome {
    key: String,
    errors: Errors,
    alert: Option<String>,
    input: Input,
}

#[derive(Default)]
enum Input {
    #[default]
    None,
    Table(TableForm),
    Section(SectionForm),
    Criterion(CriterionForm),
    Bands(Vec<BandInput>),
    Copy(String),
}

impl Outcome {
    fn failed(key: impl Into<String>, errors: Errors, input: Input) -> Outcome {
        Outcome {
            key: key.into(),
            errors,
            alert: None,
            input,
        }
    }

    fn refused(key: impl Into<String>, alert: String) -> Outcome {
        Outcome {
            key: key.into(),
            alert: Some(alert),
            ..Default::default()
        }
    }
}

#[derive(Template)]
#[template(path = "scoring/criteria/table.html")]
struct TablePage {
    l: Layout,
    id: i64,
    name: String,
    description: String,
    bonus_cap: String,
    penalty_cap: String,
    tie_break: String,
    /// "Thư viện" or the cluster year of a copy.
    place: String,
    year_id: Option<i64>,
    frozen: Option<String>,
    editable: bool,
    sections: Vec<SectionView>,
    section_choices: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    bands: Vec<BandView>,
    band_rows: Vec<BandInput>,
    standard_max: String,
    bonus_sum: String,
    penalty_sum: String,
    criteria_count: usize,
    problems: Vec<String>,
    table_form: TableForm,
    new_section: SectionForm,
    new_criterion: CriterionForm,
    copy_name: String,
    failed: String,
    errors: Errors,
    alert: Option<String>,
    notice: Option<String>,
}

impl TablePage {
    /// The message beside `field` of the form `key`, when that form was sent and failed.
    fn err(&self, key: &str, field: &str) -> Option<&String> {
        if self.failed == key {
            self.errors.get(field)
        } else {
            None
        }
    }

    fn band_err(&self, field: &str, row: &usize) -> Option<&String> {
        self.err("bands", &format!("{field}_{row}"))
    }

    fn is_open(&self, key: &str) -> bool {
        self.failed == key
    }
}

fn render(
    u: &CurrentUser,
    full: &TableFull,
    year: Option<String>,
    status: StatusCode,
    mut outcome: Outcome,
    notice: Option<String>,
) -> AppResult<Response> {
    let t = &full.table;
    let key = outcome.key.clone();
    let mut input = std::mem::take(&mut outcome.input);
    let mut take_section = |k: &str| match &mut input {
        Input::Section(f) if key == k => Some(std::mem::take(f)),
        _ => None,
    };
    let mut sections = Vec::new();
    let mut section_forms = Vec::new();
    for s in &full.sections {
        section_forms.push(
            take_section(&format!("section-{}", s.id)).unwrap_or_else(|| SectionForm::from(s)),
        );
    }
    let new_section = take_section("section-new").unwrap_or_else(SectionForm::new_section);
    let mut take_criterion = |k: &str| match &mut input {
        Input::Criterion(f) if key == k => Some(std::mem::take(f)),
        _ => None,
    };
    for (s, form) in full.sections.iter().zip(section_forms) {
        let criteria: Vec<&Criterion> = full
            .criteria
            .iter()
            .filter(|c| c.section_id == s.id)
            .collect();
        sections.push(SectionView {
            id: s.id,
            key: format!("section-{}", s.id),
            code: s.code.clone(),
            title: s.title.clone(),
            kind_label: s.kind().label(),
            total: fmt(criteria.iter().map(|c| c.max_points).sum()),
            criteria: criteria
                .iter()
                .map(|c| CriterionView {
                    id: c.id,
                    key: format!("criterion-{}", c.id),
                    code: c.code.clone(),
                    text: c.text.clone(),
                    max: fmt(c.max_points),
                    step: fmt(c.step),
                    guidance: c.guidance.clone(),
                    evidence: c.evidence_required,
                    form: take_criterion(&format!("criterion-{}", c.id))
                        .unwrap_or_else(|| CriterionForm::from(*c)),
                })
                .collect(),
            form,
        });
    }
    let new_criterion = take_criterion("criterion-new")
        .unwrap_or_else(|| CriterionForm::new_criterion(full.sections.last().map(|s| s.id)));
    let (table_form, band_input, copy_name) = match input {
        Input::Table(f) => (f, None, None),
        Input::Bands(rows) => (TableForm::from(t), Some(rows), None),
        Input::Copy(name) => (TableForm::from(t), None, Some(name)),
        _ => (TableForm::from(t), None, None),
    };
    let draft = Draft::from_full(full);
    let page = TablePage {
        l: Layout::for_user(u, &t.name, "criteria"),
        id: t.id,
        name: t.name.clone(),
        description: t.description.clone(),
        bonus_cap: fmt(t.bonus_cap),
        penalty_cap: fmt(t.penalty_cap),
        tie_break: model::tie_break_text(&t.tie_break_codes),
        place: year.unwrap_or_else(|| "Thư viện của Hội đồng".into()),
        year_id: t.cluster_year_id,
        frozen: t.frozen_at.map(vn::datetime),
        editable: t.frozen_at.is_none(),
        sections,
        section_choices: full
            .sections
            .iter()
            .map(|s| (s.id, format!("{}. {}", s.code, s.title)))
            .collect(),
        kinds: KINDS.iter().map(|k| (k.as_str(), k.label())).collect(),
        bands: full
            .bands
            .iter()
            .map(|b| BandView {
                name: b.name.clone(),
                min: fmt(b.min_percent),
                no_zero: b.requires_no_zero,
            })
            .collect(),
        band_rows: band_input
            .map(band_rows_again)
            .unwrap_or_else(|| band_rows(&full.bands)),
        standard_max: fmt(full.standard_max()),
        bonus_sum: fmt(draft.sum_of(SectionKind::Bonus)),
        penalty_sum: fmt(draft.sum_of(SectionKind::Penalty)),
        criteria_count: full.criteria.len(),
        problems: model::usability_problems(&draft),
        table_form,
        new_section,
        new_criterion,
        copy_name: copy_name.unwrap_or_else(|| format!("{} (bản sao)", t.name)),
        failed: key,
        errors: outcome.errors,
        alert: outcome.alert,
        notice,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn year_of(conn: &mut TenantTx, full: &TableFull) -> AppResult<Option<String>> {
    Ok(match full.table.cluster_year_id {
        Some(y) => store::year_label(conn, y).await?,
        None => None,
    })
}

/// The page again in a fresh transaction, after a refused or failed change.
async fn again(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    outcome: Outcome,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let full = tables::load_full(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let year = year_of(&mut tx, &full).await?;
    tx.commit().await?;
    render(u, &full, year, status, outcome, None)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    imported: String,
}

pub async fn show(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let full = tables::load_full(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    require_admin(&u)?;
    let year = year_of(&mut tx, &full).await?;
    tx.commit().await?;
    let notice = (!q.imported.is_empty()).then(|| {
        format!(
            "Đã nhập bảng tiêu chí từ tệp Excel: {} phần, {} tiêu chí, {} mức xếp loại. Hãy kiểm tra lại trước khi dùng.",
            full.sections.len(),
            full.criteria.len(),
            full.bands.len()
        )
    });
    render(&u, &full, year, StatusCode::OK, Outcome::default(), notice)
}

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
