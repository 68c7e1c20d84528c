//! A unit's scoresheet: self-scoring by the unit, verification by the leader (or deputy).

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::auth::policy::{self, SheetAccess};
use crate::error::{AppError, AppResult};
use crate::scoring::handlers::{YearCtx, year_ctx};
use crate::scoring::model::{self, SheetStatus, Totals};
use crate::scoring::results;
use crate::scoring::store::{self, Entry, EvidenceRow, Sheet};
use crate::scoring::tables::{self, Criterion, Section, TableFull};
use crate::web::forms::{self, Errors};
use crate::web::ids::Ids;
use crate::web::layout::Layout;

/// What the form shows in each field: the stored figures, or what the user just typed.
#[derive(Default, Clone)]
pub struct Inputs(pub(super) HashMap<String, String>);

impl Inputs {
    pub fn get(&self, k: &str) -> &str {
        self.0.get(k).map(String::as_str).unwrap_or("")
    }

    fn from_entries(entries: &[Entry]) -> Inputs {
        let mut m = HashMap::new();
        let num = |d: Option<Decimal>| d.map(model::fmt).unwrap_or_default();
        for e in entries {
            let c = e.criterion_id;
            m.insert(format!("p_{c}"), num(e.self_points));
            m.insert(format!("x_{c}"), e.explanation.clone());
            if e.not_applicable {
                m.insert(format!("na_{c}"), "on".into());
            }
            m.insert(format!("nr_{c}"), e.na_reason.clone());
            m.insert(format!("v_{c}"), num(e.verified_points));
            m.insert(format!("vr_{c}"), e.verify_reason.clone());
        }
        Inputs(m)
    }
}

pub struct Row<'a> {
    pub section: Option<&'a Section>,
    pub c: Option<&'a Criterion>,
    pub entry: Option<&'a Entry>,
    pub evidence: Vec<&'a EvidenceRow>,
}

#[derive(Template)]
#[template(path = "scoring/sheet.html")]
pub struct SheetPage<'a> {
    pub l: Layout,
    pub ctx: &'a YearCtx,
    pub table: &'a TableFull,
    pub unit_id: i64,
    pub unit_name: String,
    pub sheet: &'a Sheet,
    pub status: SheetStatus,
    pub access: SheetAccess,
    pub rows: Vec<Row<'a>>,
    pub inputs: Inputs,
    pub errors: Errors,
    pub claimed: Totals,
    pub verified: Option<Totals>,
    pub show_verified: bool,
    pub deadline: Option<NaiveDate>,
    pub problems: Vec<String>,
    pub notice: String,
    pub csrf: String,
}

impl SheetPage<'_> {
    fn fmt(&self, d: &Decimal) -> String {
        model::fmt(*d)
    }

    fn kind_label(&self, s: &Section) -> &'static str {
        s.kind().label()
    }

    fn err(&self, k: &str) -> String {
        self.errors.get(k).cloned().unwrap_or_default()
    }

    fn checked(&self, k: &str) -> bool {
        self.inputs.get(k) == "on"
    }

    fn size(&self, bytes: &i32) -> String {
        if *bytes >= 1024 * 1024 {
            format!("{:.1} MB", *bytes as f64 / 1048576.0).replace('.', ",")
        } else {
            format!("{} KB", (*bytes + 1023) / 1024)
        }
    }
}

/// Everything a sheet page needs, loaded in one transaction.
pub(super) struct Loaded {
    pub(super) ctx: YearCtx,
    pub(super) sheet: Sheet,
    pub(super) entries: Vec<Entry>,
    pub(super) evidence: Vec<EvidenceRow>,
    pub(super) access: SheetAccess,
    pub(super) deadline: Option<NaiveDate>,
    pub(super) unit_name: String,
}

pub(super) async fn load(u: &CurrentUser, year: i64, unit: i64) -> AppResult<Loaded> {
    let mut tx = u.db().await?;
    let ctx = year_ctx(&mut tx, u, year).await?;
    let unit_id = unit;
    let unit_name = ctx
        .member(unit_id)
        .map(|m| m.name.clone())
        .ok_or(AppError::NotFound)?;
    let Some(table) = ctx.table.as_ref() else {
        return Err(AppError::NotFound);
    };
    // Only the unit itself makes its sheet; others see it once it exists.
    let sheet = match store::sheet(&mut tx, ctx.y.id, unit_id).await? {
        Some(s) => s,
        None if u.unit_id == Some(unit_id) => {
            store::sheet_or_new(&mut tx, ctx.y.id, unit_id, table.table.id).await?
        }
        None => return Err(AppError::NotFound),
    };
    let status = SheetStatus::parse(&sheet.status);
    let access = policy::sheet_access(
        u,
        ctx.role,
        unit_id,
        ctx.y.leader_unit_id,
        ctx.y.deputy_unit_id,
        status == SheetStatus::Draft,
        status == SheetStatus::Finalised,
    );
    if !access.view {
        return Err(AppError::Forbidden);
    }
    let entries = store::entries(&mut tx, sheet.id).await?;
    let evidence = if access.evidence {
        store::evidence_of_sheet(&mut tx, sheet.id).await?
    } else {
        Vec::new()
    };
    let deadline = sheet.deadline_override.or(ctx.y.scoring_deadline);
    tx.commit().await?;
    Ok(Loaded {
        ctx,
        sheet,
        entries,
        evidence,
        access,
        deadline,
        unit_name,
    })
}

pub(super) fn render(
    u: &CurrentUser,
    d: &Loaded,
    status_code: StatusCode,
    inputs: Option<Inputs>,
    errors: Errors,
    problems: Vec<String>,
    notice: String,
) -> AppResult<Response> {
    let table = d.ctx.table.as_ref().expect("checked by load");
    let status = SheetStatus::parse(&d.sheet.status);
    let by_criterion: HashMap<i64, &Entry> =
        d.entries.iter().map(|e| (e.criterion_id, e)).collect();
    let mut rows = Vec::new();
    for s in &table.sections {
        rows.push(Row {
            section: Some(s),
            c: None,
            entry: None,
            evidence: Vec::new(),
        });
        for c in table.criteria.iter().filter(|c| c.section_id == s.id) {
            rows.push(Row {
                section: None,
                c: Some(c),
                entry: by_criterion.get(&c.id).copied(),
                evidence: d
                    .evidence
                    .iter()
                    .filter(|e| e.criterion_id == c.id)
                    .collect(),
            });
        }
    }
    let (claimed, verified) = results::sheet_totals(table, &d.entries);
    // The unit sees the verified figures once final; the verifier and the council as they go.
    let show_verified = status == SheetStatus::Finalised
        || d.access.verify
        || u.role == crate::auth::Role::TenantAdmin;
    let page = SheetPage {
        l: Layout::for_user(u, &format!("Bảng điểm — {}", d.unit_name), "units"),
        ctx: &d.ctx,
        table,
        unit_id: d.sheet.unit_id,
        unit_name: d.unit_name.clone(),
        sheet: &d.sheet,
        status,
        access: d.access,
        rows,
        inputs: inputs.unwrap_or_else(|| Inputs::from_entries(&d.entries)),
        errors,
        claimed,
        verified,
        show_verified,
        deadline: d.deadline,
        problems,
        notice,
        csrf: u.csrf_token.clone(),
    };
    Ok((status_code, Html(page.render()?)).into_response())
}

pub async fn show(
    u: CurrentUser,
    Ids((year, unit)): Ids<(i64, i64)>,
    Query(q): Query<HashMap<String, String>>,
) -> AppResult<Response> {
    let d = load(&u, year, unit).await?;
    // Uploads answer with a redirect; their outcome comes back in the query string, and the
    // message is shown at the top and beside the criterion's upload field.
    let upload_error: Option<String> = q
        .get("evidence_error")
        .map(|m| m.chars().take(300).collect());
    let problems: Vec<String> = upload_error
        .iter()
        .map(|m| format!("Tệp minh chứng chưa được nhận: {m}"))
        .collect();
    let mut errors = Errors::default();
    if let (Some(m), Some(c)) = (
        &upload_error,
        q.get("c").and_then(|c| c.parse::<i64>().ok()),
    ) {
        errors.add(format!("e_{c}"), m.clone());
    }
    let notice = if q.contains_key("saved") {
        "Đã lưu bản nháp."
    } else if q.contains_key("verified") {
        "Đã lưu điểm thẩm định."
    } else {
        ""
    };
    render(
        &u,
        &d,
        StatusCode::OK,
        None,
        errors,
        problems,
        notice.to_string(),
    )
}

pub(super) type FormFields = Form<Vec<(String, String)>>;

pub(super) fn to_map(fields: Vec<(String, String)>) -> HashMap<String, String> {
    fields.into_iter().collect()
}

pub(super) fn sheet_url(d: &Loaded) -> String {
    format!("/years/{}/sheets/{}", d.ctx.y.id, d.sheet.unit_id)
}

/// Saves the unit's own figures. Nothing is saved if any field is wrong, and nothing is saved
/// over a newer version someone else stored meanwhile.
pub async fn save(
    u: CurrentUser,
    Ids((year, unit)): Ids<(i64, i64)>,
    Form(fields): FormFields,
) -> AppResult<Response> {
    let d = load(&u, year, unit).await?;
    if !d.access.edit {
        return Err(AppError::Forbidden);
    }
    let status = SheetStatus::parse(&d.sheet.status);
    let f = to_map(fields);
    let typed = Inputs(f.clone());
    if !status.unit_may_edit() {
        let msg =
            "Bảng điểm đã nộp nên không sửa được; chỉ sửa khi cụm trưởng trả lại.".to_string();
        return render(
            &u,
            &d,
            StatusCode::CONFLICT,
            Some(typed),
            Errors::default(),
            vec![msg],
            String::new(),
        );
    }
    let table = d.ctx.table.as_ref().expect("checked");
    let mut errors = Errors::default();
    let mut new_entries = Vec::new();
    for c in &table.criteria {
        let get = |k: String| f.get(&k).cloned().unwrap_or_default();
        let na = get(format!("na_{}", c.id)) == "on";
        let mut e = Entry {
            criterion_id: c.id,
            explanation: forms::optional_text(
                &mut errors,
                &format!("x_{}", c.id),
                &get(format!("x_{}", c.id)),
                "Giải trình",
                4000,
            ),
            not_applicable: na,
            na_reason: get(format!("nr_{}", c.id)).trim().to_string(),
            ..Default::default()
        };
        match model::parse_points(&get(format!("p_{}", c.id))) {
            Ok(Some(p)) => match model::check_points(p, c.max_points, c.step) {
                None => e.self_points = Some(p),
                Some(msg) => errors.add(format!("p_{}", c.id), msg),
            },
            Ok(None) => {}
            Err(msg) => errors.add(format!("p_{}", c.id), msg),
        }
        if na && e.na_reason.is_empty() {
            errors.add(
                format!("nr_{}", c.id),
                "Hãy ghi lý do tiêu chí không áp dụng với đơn vị.",
            );
        }
        new_entries.push(e);
    }
    if !errors.is_empty() {
        return render(
            &u,
            &d,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(typed),
            errors,
            Vec::new(),
            String::new(),
        );
    }
    let version: i32 = f.get("version").and_then(|v| v.parse().ok()).unwrap_or(-1);
    let mut tx = u.db().await?;
    if !store::bump_version(&mut tx, d.sheet.id, version).await? {
        drop(tx);
        // Someone saved first: show what is stored now, and what this user typed, unsaved.
        let fresh = load(&u, year, unit).await?;
        let msg = "Một cán bộ khác của đơn vị vừa lưu bảng điểm này. Trang đang hiện số liệu mới nhất; \
                   những gì bạn vừa nhập CHƯA được lưu — hãy xem lại và nhập lại nếu cần.";
        return render(
            &u,
            &fresh,
            StatusCode::CONFLICT,
            None,
            Errors::default(),
            vec![msg.to_string()],
            String::new(),
        );
    }
    let before: HashMap<i64, &Entry> = d.entries.iter().map(|e| (e.criterion_id, e)).collect();
    let (mut b, mut a) = (serde_json::Map::new(), serde_json::Map::new());
    for e in &new_entries {
        let old = before.get(&e.criterion_id);
        let changed = old.is_none_or(|o| {
            o.self_points != e.self_points
                || o.explanation != e.explanation
                || o.not_applicable != e.not_applicable
                || o.na_reason != e.na_reason
        });
        if changed {
            let code = table
                .criteria
                .iter()
                .find(|c| c.id == e.criterion_id)
                .map(|c| c.code.clone())
                .unwrap_or_default();
            b.insert(
                code.clone(),
                serde_json::json!(old.and_then(|o| o.self_points).map(model::fmt)),
            );
            a.insert(code, serde_json::json!(e.self_points.map(model::fmt)));
            store::save_self(&mut tx, d.sheet.id, e).await?;
        }
    }
    if !a.is_empty() {
        store::audit_entries(
            &mut tx,
            &Actor::user(&u),
            d.sheet.id,
            "self_scored",
            b.into(),
            a.into(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("{}?saved=1", sheet_url(&d))).into_response())
}

pub async fn submit(u: CurrentUser, Ids((year, unit)): Ids<(i64, i64)>) -> AppResult<Response> {
    let d = load(&u, year, unit).await?;
    if !d.access.submit {
        return Err(AppError::Forbidden);
    }
    let status = SheetStatus::parse(&d.sheet.status);
    if !status.unit_may_edit() {
        return Ok(Redirect::to(&sheet_url(&d)).into_response());
    }
    let table = d.ctx.table.as_ref().expect("checked");
    let by_criterion: HashMap<i64, &Entry> =
        d.entries.iter().map(|e| (e.criterion_id, e)).collect();
    let applies = |c: &&Criterion| !by_criterion.get(&c.id).is_some_and(|e| e.not_applicable);
    let unscored: Vec<String> = table
        .criteria
        .iter()
        .filter(applies)
        .filter(|c| {
            table.section(c.section_id).map(Section::kind) == Some(model::SectionKind::Standard)
        })
        .filter(|c| {
            by_criterion
                .get(&c.id)
                .and_then(|e| e.self_points)
                .is_none()
        })
        .map(|c| c.code.clone())
        .collect();
    let mut tx = u.db().await?;
    let evidence = store::evidence_of_sheet(&mut tx, d.sheet.id).await?;
    let missing: Vec<String> = table
        .criteria
        .iter()
        .filter(applies)
        .filter(|c| c.evidence_required && !evidence.iter().any(|e| e.criterion_id == c.id))
        .map(|c| c.code.clone())
        .collect();
    let today = chrono::Utc::now()
        .with_timezone(&crate::web::vn::vn_offset())
        .date_naive();
    let problems = model::submission_problems(&missing, &unscored, today, d.deadline);
    if !problems.is_empty() {
        drop(tx);
        return render(
            &u,
            &d,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Errors::default(),
            problems,
            String::new(),
        );
    }
    tables::freeze(&mut tx, table.table.id).await?;
    store::set_status(
        &mut tx,
        &Actor::user(&u),
        &d.sheet,
        SheetStatus::Submitted.as_str(),
        "",
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&sheet_url(&d)).into_response())
}
