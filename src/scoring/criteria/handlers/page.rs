//! One table's page, with every form that edits it, shown as stored or with a failed form
//! as it was typed.
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::scoring::model::{SectionKind, fmt};
use crate::scoring::tables::{self, Criterion, TableFull};
use crate::web::forms::Errors;
use crate::web::ids::Ids;
use crate::web::layout::Layout;
use crate::web::vn;

use super::super::forms::{
    BandInput, CriterionForm, SectionForm, TableForm, band_rows, band_rows_again,
};
use super::super::model::{self, Draft, KINDS};
use super::super::store::{self};

use super::*;

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
pub(super) struct Outcome {
    key: String,
    errors: Errors,
    alert: Option<String>,
    input: Input,
}

#[derive(Default)]
pub(super) enum Input {
    #[default]
    None,
    Table(TableForm),
    Section(SectionForm),
    Criterion(CriterionForm),
    Bands(Vec<BandInput>),
    Copy(String),
}

impl Outcome {
    pub(super) fn failed(key: impl Into<String>, errors: Errors, input: Input) -> Outcome {
        Outcome {
            key: key.into(),
            errors,
            alert: None,
            input,
        }
    }

    pub(super) fn refused(key: impl Into<String>, alert: String) -> Outcome {
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
    /// The criteria that make `standard_max` (issue 17, item 11).
    scored_count: usize,
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

/// The section form `k` as the user typed it, when it is the form that failed.
fn failed_section(key: &str, input: &Input, k: &str) -> Option<SectionForm> {
    match input {
        Input::Section(f) if key == k => Some(f.clone()),
        _ => None,
    }
}

/// The criterion form `k` as the user typed it, when it is the form that failed.
fn failed_criterion(key: &str, input: &Input, k: &str) -> Option<CriterionForm> {
    match input {
        Input::Criterion(f) if key == k => Some(f.clone()),
        _ => None,
    }
}

/// Each section with its criteria, their edit forms filled from the table or, for the form
/// that failed, with what was typed.
fn section_views(full: &TableFull, key: &str, input: &Input) -> Vec<SectionView> {
    let criterion_view = |c: &Criterion| {
        let k = format!("criterion-{}", c.id);
        CriterionView {
            id: c.id,
            form: failed_criterion(key, input, &k).unwrap_or_else(|| CriterionForm::from(c)),
            key: k,
            code: c.code.clone(),
            text: c.text.clone(),
            max: fmt(c.max_points),
            step: fmt(c.step),
            guidance: c.guidance.clone(),
            evidence: c.evidence_required,
        }
    };
    full.sections
        .iter()
        .map(|s| {
            let k = format!("section-{}", s.id);
            let criteria: Vec<&Criterion> = full
                .criteria
                .iter()
                .filter(|c| c.section_id == s.id)
                .collect();
            SectionView {
                id: s.id,
                form: failed_section(key, input, &k).unwrap_or_else(|| SectionForm::from(s)),
                key: k,
                code: s.code.clone(),
                title: s.title.clone(),
                kind_label: s.kind().label(),
                total: fmt(criteria.iter().map(|c| c.max_points).sum()),
                criteria: criteria.into_iter().map(criterion_view).collect(),
            }
        })
        .collect()
}

pub(super) fn render(
    u: &CurrentUser,
    full: &TableFull,
    year: Option<String>,
    status: StatusCode,
    mut outcome: Outcome,
    notice: Option<String>,
) -> AppResult<Response> {
    let t = &full.table;
    let key = outcome.key.clone();
    let input = std::mem::take(&mut outcome.input);
    let sections = section_views(full, &key, &input);
    let new_section =
        failed_section(&key, &input, "section-new").unwrap_or_else(SectionForm::new_section);
    let new_criterion = failed_criterion(&key, &input, "criterion-new")
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
        scored_count: full.standard_count(),
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

pub(super) async fn year_of(conn: &mut TenantTx, full: &TableFull) -> AppResult<Option<String>> {
    Ok(match full.table.cluster_year_id {
        Some(y) => store::year_label(conn, y).await?,
        None => None,
    })
}

/// The page again in a fresh transaction, after a refused or failed change.
pub(super) async fn again(
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
