//! The pledge (giao ước thi đua) page: the commitments, who has signed, and the forms each
//! user may use. The changes themselves are in `pledge_actions`.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::{load_year, when};
use crate::auth::{CurrentUser, policy};
use crate::cycle::model::{self, PledgeState};
use crate::cycle::store::pledge::{self as store, Item};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::store::ClusterYear;
use crate::web::forms::Errors;
use crate::web::ids::Ids;
use crate::web::layout::Layout;

pub struct SignRow {
    pub unit_id: i64,
    pub name: String,
    pub signed: bool,
    pub signed_by: String,
    pub signed_at: String,
    /// Signed on paper at the ceremony: the date on the page ("" when not given); the leader's
    /// staff member who recorded it is `signed_by`.
    pub on_paper: Option<String>,
    /// No working head account: the unit can sign only on paper.
    pub no_head: bool,
}

/// What to show again after a refused change.
#[derive(Default)]
pub struct Retry {
    pub errors: Errors,
    pub item: Option<i64>,
    pub text: String,
    /// The paper-signature form as typed (the file itself cannot be shown again).
    pub paper_unit: String,
    pub paper_date: String,
    /// Every item's text as typed in the one-form edit (item id, text).
    pub texts: Vec<(i64, String)>,
    /// "Đã lưu …" after a saved change.
    pub saved: bool,
}

#[derive(Template)]
#[template(path = "cycle/pledge.html")]
struct PledgePage {
    l: Layout,
    y: ClusterYear,
    state: Option<PledgeState>,
    items: Vec<Item>,
    rows: Vec<SignRow>,
    unsigned: Vec<String>,
    no_head: Vec<String>,
    may_draft: bool,
    may_sign: bool,
    copy_from: Option<i32>,
    opened_at: String,
    locked_at: String,
    r: Retry,
}

impl PledgePage {
    fn editable(&self) -> bool {
        self.may_draft && model::check_pledge_editable(self.state).is_ok()
    }

    fn state_label(&self) -> &'static str {
        match self.state {
            Some(s) => s.label(),
            None => "Chưa soạn",
        }
    }

    fn is_draft(&self) -> bool {
        self.state == Some(PledgeState::Draft)
    }

    fn is_open(&self) -> bool {
        self.state == Some(PledgeState::Open)
    }

    fn is_locked(&self) -> bool {
        self.state == Some(PledgeState::Locked)
    }

    fn signed_count(&self) -> usize {
        self.rows.iter().filter(|r| r.signed).count()
    }

    /// The text to show in an item's box: what the user typed if that item was refused.
    fn item_text<'a>(&'a self, item: &'a Item) -> &'a str {
        if let Some((_, typed)) = self.r.texts.iter().find(|(id, _)| *id == item.id) {
            typed
        } else if self.r.item == Some(item.id) {
            &self.r.text
        } else {
            &item.text
        }
    }

    fn item_error(&self, item: &Item) -> Option<&String> {
        if let Some(e) = self.r.errors.get(&format!("item-{}", item.id)) {
            Some(e)
        } else if self.r.item == Some(item.id) {
            self.r.errors.get("item")
        } else {
            None
        }
    }

    fn has_item_errors(&self) -> bool {
        self.items.iter().any(|i| self.item_error(i).is_some()) || self.r.errors.has("text")
    }

    fn new_text(&self) -> &str {
        if self.r.item.is_none() {
            &self.r.text
        } else {
            ""
        }
    }

    fn may_record_paper(&self) -> bool {
        self.may_draft && self.is_open() && self.rows.iter().any(|r| !r.signed)
    }

    fn paper_chosen(&self, unit_id: &i64) -> bool {
        self.r.paper_unit.trim() == unit_id.to_string()
    }

    fn is_last(&self, i: &usize) -> bool {
        *i + 1 == self.items.len()
    }
}

/// The pledge, its items and the members' signatures, for pages and the printed text.
pub struct PledgeView {
    pub state: Option<PledgeState>,
    pub pledge: Option<store::Pledge>,
    pub items: Vec<Item>,
    pub signatures: Vec<store::Signature>,
}

pub async fn view(conn: &mut TenantTx, year_id: i64) -> AppResult<PledgeView> {
    let (pledge, items, signatures) =
        crate::cycle::store::pledge_read::pledge_with_items_and_signatures(conn, year_id).await?;
    Ok(PledgeView {
        state: pledge.as_ref().map(|p| p.state()),
        pledge,
        items,
        signatures,
    })
}

pub async fn page(u: &CurrentUser, id: i64, status: StatusCode, r: Retry) -> AppResult<Response> {
    let mut tx = u.read().await?;
    let ctx = load_year(&mut tx, u, id).await?;
    if !policy::may_view_pledge(u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let v = view(&mut tx, ctx.y.id).await?;
    let may_draft = policy::may_draft_pledge(u, ctx.role);
    let copy_from = if may_draft && v.items.is_empty() {
        store::previous_with_items(&mut tx, ctx.y.cluster_id, ctx.y.year)
            .await?
            .map(|(_, year)| year)
    } else {
        None
    };
    // Who cannot sign online matters only while the pledge is open for signing.
    let without_head = if v.state == Some(PledgeState::Open) {
        crate::cycle::store::paper::members_without_head(&mut tx, ctx.y.id).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    let rows: Vec<SignRow> = ctx
        .members
        .iter()
        .map(|m| {
            let s = v.signatures.iter().find(|s| s.unit_id == m.unit_id);
            SignRow {
                unit_id: m.unit_id,
                name: m.name.clone(),
                signed: s.is_some(),
                signed_by: s.map(|s| s.signed_by_name.clone()).unwrap_or_default(),
                signed_at: s.map(|s| when(&Some(s.signed_at))).unwrap_or_default(),
                on_paper: s
                    .filter(|s| s.on_paper)
                    .map(|s| super::date(&s.paper_signed_on)),
                no_head: without_head.contains(&m.unit_id),
            }
        })
        .collect();
    let unsigned = rows
        .iter()
        .filter(|r| !r.signed)
        .map(|r| r.name.clone())
        .collect();
    let no_head = rows
        .iter()
        .filter(|r| !r.signed && r.no_head)
        .map(|r| r.name.clone())
        .collect();
    let my_unit_signed = v.signatures.iter().any(|s| Some(s.unit_id) == u.unit_id);
    let may_sign = policy::may_sign_pledge(u, ctx.role)
        && v.state == Some(PledgeState::Open)
        && !my_unit_signed;
    let title = format!(
        "Giao ước thi đua năm {} — {}",
        ctx.y.year, ctx.y.cluster_name
    );
    let page = PledgePage {
        l: Layout::for_year(u, &title),
        opened_at: when(&v.pledge.as_ref().and_then(|p| p.opened_at)),
        locked_at: when(&v.pledge.as_ref().and_then(|p| p.locked_at)),
        y: ctx.y,
        state: v.state,
        items: v.items,
        rows,
        unsigned,
        no_head,
        may_draft,
        may_sign,
        copy_from,
        r,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Shown {
    saved: String,
}

pub async fn show(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    axum::extract::Query(q): axum::extract::Query<Shown>,
) -> AppResult<Response> {
    let r = Retry {
        saved: !q.saved.is_empty(),
        ..Retry::default()
    };
    page(&u, id, StatusCode::OK, r).await
}

pub(super) async fn refuse(
    u: &CurrentUser,
    id: i64,
    status: StatusCode,
    field: &'static str,
    msg: impl Into<String>,
) -> AppResult<Response> {
    let mut errors = Errors::default();
    errors.add(field, msg);
    page(
        u,
        id,
        status,
        Retry {
            errors,
            ..Retry::default()
        },
    )
    .await
}
