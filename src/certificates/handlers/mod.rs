//! The council's certificate pages: the layouts and their form (here), the calibration sheet
//! and the print views of one award's certificate or of every award of a decision (`print`).

mod print;

pub use print::{calibration, layouts_css, print_award, print_decision, print_issued};

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::forms::LayoutForm;
use super::model::Layout;
use super::store;
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::web::forms::{Errors, Pairs, first};
use crate::web::ids::Ids;
use crate::web::layout::Layout as PageLayout;

pub(super) fn council(u: &CurrentUser) -> AppResult<()> {
    if policy::may_review_proposals(u) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The award type's saved layout, or the standard one at the tenant's place.
pub(super) async fn layout_of(
    tx: &mut TenantTx,
    award_type_id: Option<i64>,
) -> AppResult<(Layout, bool)> {
    if let Some(id) = award_type_id
        && let Some(l) = store::layout(tx, id).await?
    {
        return Ok((l, true));
    }
    let place = crate::cycle::store::tenant_place(tx).await?;
    Ok((Layout::standard(&place), false))
}

/// The award type's name, or 404 when it is not the tenant's.
pub(super) async fn award_type_name(tx: &mut TenantTx, id: i64) -> AppResult<String> {
    let t = crate::cycle::store::award_type(tx, id).await?;
    Ok(t.ok_or(AppError::NotFound)?.f.name)
}

struct Row {
    id: i64,
    name: String,
    active: bool,
    saved: bool,
    sheet: String,
}

#[derive(Template)]
#[template(path = "certificates/list.html")]
struct ListPage {
    l: PageLayout,
    rows: Vec<Row>,
    from: String,
    to: String,
    errors: Errors,
    copied: bool,
}

impl ListPage {
    /// The copy form's two pickers: name, label, the id as typed.
    fn pickers(&self) -> [(&'static str, &'static str, &str); 2] {
        [
            ("from", "Chép từ mẫu của", &self.from),
            ("to", "Sang", &self.to),
        ]
    }

    fn is(&self, typed: &str, id: &i64) -> bool {
        typed.trim() == id.to_string()
    }
}

async fn list_page(
    u: &CurrentUser,
    tx: &mut TenantTx,
    (from, to): (String, String),
    errors: Errors,
    copied: bool,
) -> AppResult<Response> {
    let saved = store::layouts(tx).await?;
    let standard = Layout::standard("").sheet.name();
    let rows = crate::cycle::store::award_types(tx)
        .await?
        .into_iter()
        .map(|t| {
            let l = saved.iter().find(|(id, _)| *id == t.id).map(|(_, l)| l);
            Row {
                id: t.id,
                name: t.f.name,
                active: t.f.active,
                saved: l.is_some(),
                sheet: l
                    .map(|l| l.sheet.name())
                    .unwrap_or_else(|| standard.clone()),
            }
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ListPage {
        l: PageLayout::for_user(u, "Mẫu in bằng khen, giấy khen", "proposals"),
        rows,
        from,
        to,
        errors,
        copied,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn list(u: CurrentUser, Query(q): Query<SavedQuery>) -> AppResult<Response> {
    council(&u)?;
    let mut tx = u.read().await?;
    let page = list_page(
        &u,
        &mut tx,
        Default::default(),
        Errors::default(),
        q.saved.is_some(),
    );
    let page = page.await?;
    tx.commit().await?;
    Ok(page)
}

/// Copies one award type's layout (saved or standard) to another.
pub async fn copy(u: CurrentUser, Form(p): Form<Pairs>) -> AppResult<Response> {
    council(&u)?;
    let mut tx = u.db().await?;
    let (from, to) = (first(&p, "from").to_string(), first(&p, "to").to_string());
    let mut errors = Errors::default();
    let mut pick = |name: &str, v: &str, tx_types: &[i64]| {
        let id = v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|i| tx_types.contains(i));
        if id.is_none() {
            errors.add(
                name,
                "Hãy chọn một danh hiệu, hình thức khen thưởng trong danh sách.",
            );
        }
        id
    };
    let types: Vec<i64> = crate::cycle::store::award_types(&mut tx)
        .await?
        .iter()
        .map(|t| t.id)
        .collect();
    let (a, b) = (pick("from", &from, &types), pick("to", &to, &types));
    if let (Some(a), Some(b)) = (a, b)
        && a == b
    {
        errors.add("to", "Hãy chọn một hình thức khác với hình thức chép từ.");
    }
    let (Some(a), Some(b), true) = (a, b, errors.is_empty()) else {
        let page = list_page(&u, &mut tx, (from, to), errors, false).await?;
        tx.commit().await?;
        return Ok(page);
    };
    let (source, _) = layout_of(&mut tx, Some(a)).await?;
    let (before, _) = layout_of(&mut tx, Some(b)).await?;
    store::save(&mut tx, &Actor::user(&u), b, &before, &source).await?;
    tx.commit().await?;
    Ok(Redirect::to("/council/certificates?saved=1").into_response())
}

#[derive(Template)]
#[template(path = "certificates/edit.html")]
struct EditPage {
    l: PageLayout,
    id: i64,
    name: String,
    stored: bool,
    saved: bool,
    saved_sheet: String,
    f: LayoutForm,
    /// The layout's own texts: form name, label, value, hint.
    texts: Vec<(&'static str, &'static str, String, &'static str)>,
    errors: Errors,
}

/// The page's facts: the award type's id and name, the layout that prints now, whether it is
/// saved, whether it was just saved.
struct EditFacts<'a> {
    id: i64,
    name: String,
    current: &'a Layout,
    stored: bool,
    saved: bool,
}

fn edit_page(u: &CurrentUser, k: EditFacts, f: LayoutForm, errors: Errors) -> AppResult<Response> {
    let texts = vec![
        (
            "reason",
            "Dòng thành tích",
            f.reason.clone(),
            "{năm} được thay bằng năm của khen thưởng, ví dụ: Đã có thành tích xuất sắc trong phong trào thi đua năm {năm}",
        ),
        (
            "place",
            "Địa danh",
            f.place.clone(),
            "In trước ngày quyết định, ví dụ: Lạng Sơn",
        ),
        (
            "signer_title",
            "Chức vụ người ký",
            f.signer_title.clone(),
            "Ví dụ: CHỦ TỊCH",
        ),
        ("signer_name", "Họ tên người ký", f.signer_name.clone(), ""),
    ];
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = EditPage {
        l: PageLayout::for_user(u, &format!("Mẫu in: {}", k.name), "proposals"),
        id: k.id,
        name: k.name,
        stored: k.stored,
        saved: k.saved,
        saved_sheet: k.current.sheet.name(),
        f,
        texts,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn edit(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Query(q): Query<SavedQuery>,
) -> AppResult<Response> {
    council(&u)?;
    let mut tx = u.read().await?;
    let name = award_type_name(&mut tx, id).await?;
    let (current, stored) = layout_of(&mut tx, Some(id)).await?;
    tx.commit().await?;
    let f = LayoutForm::of(&current);
    let saved = q.saved.is_some();
    let k = EditFacts {
        id,
        name,
        current: &current,
        stored,
        saved,
    };
    edit_page(&u, k, f, Errors::default())
}

pub async fn save(u: CurrentUser, Ids(id): Ids<i64>, Form(p): Form<Pairs>) -> AppResult<Response> {
    council(&u)?;
    let mut tx = u.db().await?;
    let name = award_type_name(&mut tx, id).await?;
    let (before, stored) = layout_of(&mut tx, Some(id)).await?;
    let f = LayoutForm::from_pairs(&p);
    let after = match f.check(before.sheet) {
        Ok(l) => l,
        Err(errors) => {
            tx.commit().await?;
            let k = EditFacts {
                id,
                name,
                current: &before,
                stored,
                saved: false,
            };
            return edit_page(&u, k, f, errors);
        }
    };
    store::save(&mut tx, &Actor::user(&u), id, &before, &after).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/council/certificates/{id}?saved=1")).into_response())
}
