//! A signature made on paper at the ceremony, recorded by the leader unit with the scanned page
//! (issue 17, item 2), and the scan's download for everyone who sees the pledge.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

use super::load_year;
use super::pledge::{Retry, page};
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::cycle::forms::paper::{PaperForm, PaperScan};
use crate::cycle::model::{self, PledgeState};
use crate::cycle::store::paper::{self, NewScan};
use crate::cycle::store::pledge as store;
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::org::year::YearCtx;
use crate::web::forms::Errors;
use crate::web::ids::Ids;

pub use crate::cycle::forms::paper::MAX_BYTES;

pub async fn record(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    // Who may record is settled before the body is read.
    let mut tx = u.db().await?;
    let ctx = load_year(&mut tx, &u, id).await?;
    if !policy::may_draft_pledge(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    drop(tx);
    let form = PaperForm::read(multipart).await;
    let retry = |errors: Errors| Retry {
        errors,
        paper_unit: form.unit_id.clone(),
        paper_date: form.signed_on.clone(),
        ..Retry::default()
    };
    let scan = match form.check() {
        Ok(scan) => scan,
        Err(errors) => return page(&u, id, StatusCode::UNPROCESSABLE_ENTITY, retry(errors)).await,
    };
    let mut tx = u.db().await?;
    let ctx = load_year(&mut tx, &u, id).await?;
    match sign(&mut tx, &Actor::user(&u), &ctx, &scan).await? {
        Ok(false) => {}
        Ok(true) => crate::notify::pledge_signed_by_all(&mut tx, &u, ctx.y.id).await?,
        Err(msg) => {
            drop(tx);
            let mut errors = Errors::default();
            errors.add("paper_unit", msg);
            return page(&u, id, StatusCode::CONFLICT, retry(errors)).await;
        }
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/years/{}/pledge#ky-ket", ctx.y.id)).into_response())
}

/// Records the paper signature with its scan and, when it is the last one, locks the pledge
/// (true: all have signed); the message when the unit cannot be recorded (not a member,
/// already signed, not open).
async fn sign(
    tx: &mut TenantTx,
    actor: &Actor,
    ctx: &YearCtx,
    scan: &PaperScan,
) -> AppResult<Result<bool, String>> {
    // Held until commit, as for an online signature: the pledge locks exactly once.
    let state = store::pledge(tx, ctx.y.id, true).await?.map(|p| p.state());
    let mut signed: Vec<i64> = store::signatures(tx, ctx.y.id)
        .await?
        .iter()
        .map(|s| s.unit_id)
        .collect();
    let unit = scan.unit_id;
    if let Err(msg) = model::check_paper_sign(state, ctx.is_member(unit), signed.contains(&unit)) {
        return Ok(Err(msg.to_string()));
    }
    let sha = Sha256::digest(&scan.data);
    let new = NewScan {
        unit_id: unit,
        signed_on: scan.signed_on,
        filename: &scan.filename,
        content_type: scan.content_type,
        data: &scan.data,
        sha256: &sha,
    };
    paper::sign_on_paper(tx, actor, ctx.y.id, &new).await?;
    signed.push(unit);
    let all = model::all_signed(&ctx.member_ids(), &signed);
    if all {
        let (open, locked) = (PledgeState::Open, PledgeState::Locked);
        store::set_state(tx, actor, ctx.y.id, open, locked, None).await?;
    }
    Ok(Ok(all))
}

/// The types a scan may have (they are sniffed on upload), as the download's header needs them.
fn known_type(t: &str) -> &'static str {
    use crate::web::upload::{EXCEL, WORD};
    [
        "application/pdf",
        "image/png",
        "image/jpeg",
        WORD,
        EXCEL,
        "application/msword",
        "application/vnd.ms-excel",
    ]
    .into_iter()
    .find(|k| *k == t)
    .unwrap_or("application/octet-stream")
}

/// The scanned page, for everyone who may see the pledge (the member above all).
pub async fn scan(u: CurrentUser, Ids((id, unit)): Ids<(i64, i64)>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let ctx = load_year(&mut tx, &u, id).await?;
    if !policy::may_view_pledge(&u, ctx.role) {
        return Err(AppError::Forbidden);
    }
    let member = ctx.member(unit).ok_or(AppError::NotFound)?.name.clone();
    let f = paper::scan(&mut tx, ctx.y.id, unit)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let ext = f.filename.rsplit_once('.').map(|(_, e)| e).unwrap_or("pdf");
    let name = format!("Trang ký giao ước năm {} - {member}.{ext}", ctx.y.year);
    Ok(crate::web::download::attachment(
        &name,
        known_type(&f.content_type),
        f.data,
    ))
}
