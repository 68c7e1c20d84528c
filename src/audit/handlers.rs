//! The tenant admin's audit page: filter by person, entity and dates; before → after.

use askama::Template;
use axum::extract::Query;
use axum::response::Html;
use chrono::{NaiveDate, TimeZone};
use serde::Deserialize;

use crate::audit::store::{self, Filter};
use crate::audit::view::{self, Change, ENTITIES};
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::web::forms::{self, Errors};
use crate::web::layout::Layout;
use crate::web::paging::paging;
use crate::web::vn;

const PAGE_SIZE: i64 = 50;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditQuery {
    actor: String,
    entity: String,
    from: String,
    to: String,
    page: String,
}

pub struct Entry {
    pub at: String,
    pub actor: String,
    pub ip: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub changes: Vec<Change>,
}

#[derive(Template)]
#[template(path = "audit/list.html")]
struct AuditPage {
    l: Layout,
    q: AuditQuery,
    entries: Vec<Entry>,
    actors: Vec<String>,
    entities: &'static [(&'static str, &'static str)],
    errors: Errors,
    page: i64,
    last_page: i64,
    total: i64,
}

impl AuditPage {
    fn page_link(&self, page: i64) -> String {
        format!(
            "/audit?actor={}&entity={}&from={}&to={}&page={page}",
            crate::web::url_encode(&self.q.actor),
            crate::web::url_encode(&self.q.entity),
            crate::web::url_encode(&self.q.from),
            crate::web::url_encode(&self.q.to),
        )
    }
}

fn start_of_day(d: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    vn::vn_offset()
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("fixed offset")
        .with_timezone(&chrono::Utc)
}

pub async fn list(u: CurrentUser, Query(q): Query<AuditQuery>) -> AppResult<Html<String>> {
    if !policy::may_view_audit(&u) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Errors::default();
    let from = forms::optional_date(&mut errors, "from", &q.from);
    let to = forms::optional_date(&mut errors, "to", &q.to);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        errors.add("to", "Ngày kết thúc phải sau ngày bắt đầu.");
    }
    let filter = Filter {
        actor: q.actor.trim().to_string(),
        entity: if ENTITIES.iter().any(|(k, _)| *k == q.entity) {
            q.entity.clone()
        } else {
            String::new()
        },
        // Days are Viet Nam days; "to" includes the whole of its day.
        from: from.map(start_of_day),
        to: to.and_then(|d| d.succ_opt()).map(start_of_day),
    };
    let mut tx = u.db().await?;
    let total = store::count(&mut tx, &filter).await?;
    let (offset, last_page) = paging(q.page.parse().unwrap_or(1), total, PAGE_SIZE);
    let rows = store::list(&mut tx, &filter, offset, PAGE_SIZE).await?;
    let actors = store::actors(&mut tx).await?;
    let names = store::names(&mut tx).await?;
    tx.commit().await?;
    let entries = rows
        .into_iter()
        .map(|r| Entry {
            at: vn::datetime(r.at),
            actor: r.actor,
            ip: r.ip,
            entity: view::entity_label(&r.entity).to_string(),
            entity_id: r.entity_id,
            action: view::action_label(&r.action).to_string(),
            changes: view::changes(r.before.as_ref(), r.after.as_ref(), &names),
        })
        .collect();
    let page = AuditPage {
        l: Layout::for_user(&u, "Nhật ký thay đổi", "audit"),
        q,
        entries,
        actors,
        entities: &ENTITIES,
        errors,
        page: offset / PAGE_SIZE + 1,
        last_page,
        total,
    };
    Ok(Html(page.render()?))
}
