//! Ballots: cast online by a head, recorded in writing by the leader, counted on paper.

use axum::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;

use super::committee::my_seat;
use super::*;
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::voting::forms;
use crate::voting::model::{VoteMode, VoteState};
use crate::voting::secret::{self, CastError};
use crate::voting::secret_store as sdb;
use crate::voting::store;
use crate::web::forms::Errors;
use crate::web::ids::Ids;

pub async fn ballot(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_vote(&mut tx, &u, id, true).await?;
    if !policy::may_cast_ballot(&u, ctx.role) {
        return Ok(refused(
            "Chỉ thủ trưởng đơn vị thành viên mới bỏ phiếu cho đơn vị. Cán bộ thi đua chuẩn bị hồ sơ nhưng không bỏ phiếu.",
        ));
    }
    let Some(unit) = u.unit_id else {
        return Err(AppError::Forbidden);
    };
    let msg = match (v.state, v.mode) {
        (VoteState::Draft, _) => Some("Biểu quyết chưa mở; chưa thể bỏ phiếu."),
        (VoteState::Closed, _) => Some("Biểu quyết đã kết thúc; phiếu không được nhận."),
        (_, VoteMode::Paper) => {
            Some("Biểu quyết này bỏ phiếu giấy tại hội nghị; ban kiểm phiếu nhập kết quả.")
        }
        _ => None,
    };
    if let Some(msg) = msg {
        drop(tx);
        return conflict(&u, id, "ballot", msg).await;
    }
    let candidates = store::candidates(&mut tx, v.id).await?;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let choices = match forms::choices_of(&v, &candidates, &fields, "ballot") {
        Ok(c) => c,
        Err(errors) => {
            drop(tx);
            let kept = forms::ballot_answers(&fields);
            return ballot_page(&u, id, unprocessable, errors, None, kept).await;
        }
    };
    match secret::cast(&mut tx, &Actor::user(&u), v.id, unit, "online", &choices).await? {
        Ok(receipt) => {
            let vote = (v.cluster_year_id, v.id, v.title.as_str());
            crate::notify::ballot_recorded(&mut tx, &u, vote, &receipt).await?;
            tx.commit().await?;
            vote_page(&u, id, StatusCode::OK, Errors::default(), Some(receipt)).await
        }
        Err(CastError::AlreadyVoted) => {
            drop(tx);
            let msg = "Đơn vị của bạn đã bỏ phiếu (trực tuyến hoặc bằng văn bản); mỗi đơn vị chỉ có một phiếu.";
            conflict(&u, id, "ballot", msg).await
        }
        Err(CastError::Invalid(msg)) => {
            drop(tx);
            let mut errors = Errors::default();
            errors.add("ballot", msg);
            let kept = forms::ballot_answers(&fields);
            ballot_page(&u, id, unprocessable, errors, None, kept).await
        }
    }
}

/// The scan's type, read from its content: a PDF or an image, at most 10 MB.
fn scan_type(form: &forms::WrittenForm) -> Result<&'static str, &'static str> {
    match &form.file {
        _ if form.too_big => Err("Tệp lớn quá 10 MB; hãy quét với độ phân giải thấp hơn."),
        None => Err("Hãy đính kèm bản quét văn bản có chữ ký của thủ trưởng."),
        Some((_, d)) if d.is_empty() || d.len() > 10 * 1024 * 1024 => {
            Err("Hãy đính kèm bản quét (PDF, JPG, PNG) không quá 10 MB.")
        }
        Some((name, d)) => match crate::web::upload::sniff(d, name).ok() {
            Some((mime, _)) if mime == "application/pdf" || mime.starts_with("image/") => Ok(mime),
            _ => Err("Bản quét phải là tệp PDF, JPG hoặc PNG."),
        },
    }
}

/// A member of the counting committee records the written opinion of a unit absent from the
/// conference, with the scanned signed paper: the unit's ballot is encrypted like any other, and
/// the unit is marked as having voted in writing (so it cannot also vote online). Not the
/// leader's staff, and never for the recorder's own unit.
pub async fn written(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_vote(&mut tx, &u, id, true).await?;
    let seats = sdb::seats(&mut tx, v.id).await?;
    if my_seat(&u, &seats).is_none() {
        return Err(AppError::Forbidden);
    }
    if !v.state.is_open() || !v.mode.is_online() {
        drop(tx);
        let msg = "Chỉ ghi nhận ý kiến bằng văn bản khi biểu quyết trực tuyến đang mở.";
        return conflict(&u, id, "written", msg).await;
    }
    let form = forms::WrittenForm::read(multipart).await;
    let members: Vec<i64> = ctx.members.iter().map(|m| m.unit_id).collect();
    let checked = form
        .unit(&members, u.unit_id)
        .and_then(|unit| Ok((unit, scan_type(&form)?)));
    let (unit, mime) = match checked {
        Ok(x) => x,
        Err(msg) => {
            drop(tx);
            return again(&u, id, "written", msg).await;
        }
    };
    let candidates = store::candidates(&mut tx, v.id).await?;
    let choices = match forms::choices_of(&v, &candidates, &form.fields, "written") {
        Ok(c) => c,
        Err(errors) => {
            drop(tx);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return vote_page(&u, id, status, errors, None).await;
        }
    };
    match secret::cast(&mut tx, &Actor::user(&u), v.id, unit, "written", &choices).await? {
        Ok(_) => {}
        Err(CastError::AlreadyVoted) => {
            drop(tx);
            let msg = "Đơn vị này đã bỏ phiếu trực tuyến hoặc đã được ghi nhận ý kiến; mỗi đơn vị chỉ có một phiếu.";
            return conflict(&u, id, "written", msg).await;
        }
        Err(CastError::Invalid(msg)) => {
            drop(tx);
            return again(&u, id, "written", &msg).await;
        }
    }
    let (name, data) = form.file.unwrap_or_default();
    sdb::insert_written(&mut tx, v.id, unit, u.user_id, (&name, mime, &data)).await?;
    tx.commit().await?;
    // No receipt page: the receipt belongs to the absent unit, and the recorder need not see it.
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}

/// The scanned paper of a written opinion: for the committee, the leader's staff, the council
/// and the unit itself.
pub async fn written_scan(u: CurrentUser, Ids((id, unit)): Ids<(i64, i64)>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_vote(&mut tx, &u, id, false).await?;
    let seats = sdb::seats(&mut tx, v.id).await?;
    let allowed = my_seat(&u, &seats).is_some()
        || policy::may_manage_votes(&u, ctx.role)
        || u.role == crate::auth::Role::TenantAdmin
        || u.unit_id == Some(unit);
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let (name, mime, data) = sdb::written_scan(&mut tx, v.id, unit)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let safe: String = name
        .chars()
        .filter(|c| c.is_alphanumeric() || ".-_ ".contains(*c))
        .collect();
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, mime),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}\"",
                    if safe.is_empty() {
                        "y-kien.pdf".into()
                    } else {
                        safe
                    }
                ),
            ),
        ],
        data,
    )
        .into_response())
}

/// Paper mode: the counting committee's figures per candidate, and its members.
pub async fn paper(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_for_manage(&mut tx, &u, id).await?;
    if !v.mode.is_paper() || v.state.is_draft() || v.results_released {
        drop(tx);
        return conflict(
            &u,
            id,
            "paper",
            "Chỉ nhập kết quả kiểm phiếu cho biểu quyết phiếu giấy đã mở và chưa công bố.",
        )
        .await;
    }
    let members = ctx.members.len() as u32;
    let candidates = store::candidates(&mut tx, v.id).await?;
    let paper = match forms::read_paper(&fields, &candidates, members) {
        Ok(read) => read,
        Err(errors) => {
            drop(tx);
            // Everything typed comes back with the reasons beside the fields.
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return ballot_page(&u, id, status, errors, None, fields).await;
        }
    };
    let ballots = (paper.received, paper.invalid);
    let actor = Actor::user(&u);
    store::save_paper_counts(
        &mut tx,
        &actor,
        &v,
        &paper.counts,
        &paper.committee,
        ballots,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}
