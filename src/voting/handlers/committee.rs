//! The counting committee (ban kiểm phiếu) of an online vote: the leader names its members and
//! how many of them must count; each member sets a passphrase, downloads their key share once
//! and, after the close, gives it back to decrypt the totals. And the public record.

use axum::Form;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::*;
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::voting::secret_store::{self as sdb, Seat};
use crate::voting::{forms, record, seal, secret, store};
use crate::web::ids::Ids;

/// The seat the user holds on this vote's committee, if any.
pub(super) fn my_seat<'a>(u: &CurrentUser, seats: &'a [Seat]) -> Option<&'a Seat> {
    seats.iter().find(|s| s.user_id == u.user_id)
}

/// The leader names the committee (seats in the order given) and the threshold.
pub async fn committee(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_for_manage(&mut tx, &u, id).await?;
    if !v.state.is_draft() || !v.mode.is_online() {
        drop(tx);
        let msg = "Chỉ chọn ban kiểm phiếu khi biểu quyết trực tuyến chưa mở.";
        return conflict(&u, id, "committee", msg).await;
    }
    let eligible = sdb::eligible_users(&mut tx, &ctx.members).await?;
    let eligible: Vec<i64> = eligible.iter().map(|e| e.0).collect();
    let c = match forms::read_committee(&v, &fields, &eligible) {
        Ok(c) => c,
        Err(msg) => {
            drop(tx);
            return again(&u, id, "committee", &msg).await;
        }
    };
    let actor = Actor::user(&u);
    let (users, quota) = (&c.users, c.quota_per_ballot);
    sdb::set_committee(&mut tx, &actor, v.id, users, c.threshold, quota).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}

/// A committee member chooses the passphrase that will protect their key share.
pub async fn passphrase(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, _) = load_vote(&mut tx, &u, id, true).await?;
    let seats = sdb::seats(&mut tx, v.id).await?;
    let Some(seat) = my_seat(&u, &seats).cloned() else {
        return Err(AppError::Forbidden);
    };
    if !v.state.is_draft() {
        drop(tx);
        let msg = "Khóa đã được tạo khi mở bỏ phiếu; không đổi được cụm mật khẩu nữa.";
        return conflict(&u, id, "passphrase", msg).await;
    }
    let p = match forms::read_passphrase(&fields) {
        Ok(p) => p,
        Err(msg) => {
            drop(tx);
            return again(&u, id, "passphrase", &msg).await;
        }
    };
    let pass = p.to_string();
    let (salt, point) = tokio::task::spawn_blocking(move || seal::register(&pass))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    sdb::register_passphrase(&mut tx, &Actor::user(&u), v.id, seat.seat, &salt, &point).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}

/// A committee member downloads their sealed key share, once; the server keeps no copy after.
pub async fn share(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, _) = load_vote(&mut tx, &u, id, true).await?;
    let seats = sdb::seats(&mut tx, v.id).await?;
    let Some(seat) = my_seat(&u, &seats).cloned() else {
        return Err(AppError::Forbidden);
    };
    let Some(file) =
        secret::download_share(&mut tx, &Actor::user(&u), &v, &seat, seats.len()).await?
    else {
        drop(tx);
        let msg = "Tệp khóa chỉ tải được một lần, sau khi mở bỏ phiếu; máy chủ không giữ bản sao.";
        return conflict(&u, id, "share", msg).await;
    };
    let body = serde_json::to_string_pretty(&file).map_err(|e| AppError::Internal(e.into()))?;
    tx.commit().await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"khoa-kiem-phieu-{}-ghe-{}.json\"",
                    v.id, seat.seat
                ),
            ),
        ],
        body,
    )
        .into_response())
}

/// After the close, a committee member gives their share back (file and passphrase): the sums
/// are decrypted with it, and once enough have, the totals.
pub async fn decrypt(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, _) = load_vote(&mut tx, &u, id, true).await?;
    let seats = sdb::seats(&mut tx, v.id).await?;
    let Some(seat) = my_seat(&u, &seats).cloned() else {
        return Err(AppError::Forbidden);
    };
    if !v.state.is_closed() || !v.mode.is_online() || seat.decrypted {
        drop(tx);
        let msg = if seat.decrypted {
            "Bạn đã góp khóa để kiểm phiếu biểu quyết này."
        } else {
            "Chỉ kiểm phiếu sau khi kết thúc bỏ phiếu trực tuyến."
        };
        return conflict(&u, id, "decrypt", msg).await;
    }
    let (mut file, mut pass) = (String::new(), String::new());
    if let Ok(mut m) = multipart {
        while let Ok(Some(f)) = m.next_field().await {
            match f.name() {
                Some("file") => file = f.text().await.unwrap_or_default(),
                Some("passphrase") => pass = f.text().await.unwrap_or_default(),
                _ => {}
            }
        }
    }
    if file.trim().is_empty() || pass.is_empty() {
        drop(tx);
        let msg = "Hãy chọn tệp khóa đã tải về và nhập cụm mật khẩu.";
        return again(&u, id, "decrypt", msg).await;
    }
    match secret::give_share(&mut tx, &Actor::user(&u), &v, &seat, &file, &pass).await? {
        Ok(_) => {
            tx.commit().await?;
            Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
        }
        Err(msg) => {
            drop(tx);
            again(&u, id, "decrypt", &msg).await
        }
    }
}

/// The public record (docs/vote-record.md), once the results are released.
pub async fn record(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_vote(&mut tx, &u, id, false).await?;
    if !v.results_released {
        return Err(AppError::NotFound);
    }
    let candidates = store::candidates(&mut tx, v.id).await?;
    let r = record::build(&mut tx, &v, &candidates, ctx.members.len() as u32).await?;
    tx.commit().await?;
    let body = serde_json::to_string_pretty(&r).map_err(|e| AppError::Internal(e.into()))?;
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"bien-ban-phieu-{}.json\"", v.id),
            ),
        ],
        body,
    )
        .into_response())
}
