//! Ballots: cast online by a head, recorded in writing by the leader, counted on paper.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::*;
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::voting::model::{self, Count};
use crate::voting::store::{self, Candidate, Vote};
use crate::web::forms::{self, Errors};

/// The choices of a ballot form: `c<candidate>` = for/against (awards), `leader`/`deputy`
/// (elections).
pub(super) fn choices_of(
    v: &Vote,
    candidates: &[Candidate],
    fields: &[(String, String)],
) -> Result<model::Choices, &'static str> {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.trim().parse::<i64>().ok())
    };
    if v.kind == "election" {
        let of_role = |r: &str| -> Vec<(i64, i64)> {
            candidates
                .iter()
                .filter(|c| c.role.as_deref() == Some(r))
                .map(|c| (c.id, c.unit_id))
                .collect()
        };
        model::election_choices(
            &of_role("leader"),
            &of_role("deputy"),
            field("leader"),
            field("deputy"),
        )
    } else {
        let answers: BTreeMap<i64, String> = fields
            .iter()
            .filter_map(|(k, val)| Some((k.strip_prefix('c')?.parse().ok()?, val.clone())))
            .collect();
        let ids: Vec<i64> = candidates.iter().map(|c| c.id).collect();
        model::award_choices(&ids, &answers)
    }
}

pub async fn ballot(
    u: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_vote(&mut tx, &u, &id, true).await?;
    if !policy::may_cast_ballot(&u, ctx.role) {
        return Ok(refused(
            "Chỉ thủ trưởng đơn vị thành viên mới bỏ phiếu cho đơn vị. Cán bộ thi đua chuẩn bị hồ sơ nhưng không bỏ phiếu.",
        ));
    }
    let Some(unit) = u.unit_id else {
        return Err(AppError::Forbidden);
    };
    let msg = match (v.state.as_str(), v.mode.as_str()) {
        ("draft", _) => Some("Biểu quyết chưa mở; chưa thể bỏ phiếu."),
        ("closed", _) => Some("Biểu quyết đã kết thúc; phiếu không được nhận."),
        (_, "paper") => {
            Some("Biểu quyết này bỏ phiếu giấy tại hội nghị; ban kiểm phiếu nhập kết quả.")
        }
        _ => None,
    };
    if let Some(msg) = msg {
        drop(tx);
        return conflict(&u, &id, "ballot", msg).await;
    }
    let candidates = store::candidates(&mut tx, u.tenant_id, v.id).await?;
    let choices = match choices_of(&v, &candidates, &fields) {
        Ok(c) => c,
        Err(msg) => {
            drop(tx);
            return again(&u, &id, "ballot", msg).await;
        }
    };
    let Some(receipt) =
        store::cast(&mut tx, &Actor::user(&u), v.id, unit, "online", &choices).await?
    else {
        drop(tx);
        return conflict(
            &u,
            &id,
            "ballot",
            "Đơn vị của bạn đã bỏ phiếu; mỗi đơn vị chỉ có một phiếu.",
        )
        .await;
    };
    tx.commit().await?;
    vote_page(&u, &id, StatusCode::OK, Errors::default(), Some(receipt)).await
}

/// The leader records a unit whose head gave a written opinion (absent from the conference):
/// its participation and its ballot, the signed opinion kept on file.
pub async fn written(
    u: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_for_manage(&mut tx, &u, &id).await?;
    if v.state != "open" || v.mode != "online" {
        drop(tx);
        return conflict(
            &u,
            &id,
            "written",
            "Chỉ ghi nhận ý kiến bằng văn bản khi biểu quyết trực tuyến đang mở.",
        )
        .await;
    }
    let unit = fields
        .iter()
        .find(|(k, _)| k == "unit_id")
        .and_then(|(_, x)| x.trim().parse::<i64>().ok())
        .filter(|x| ctx.members.iter().any(|m| m.unit_id == *x));
    let Some(unit) = unit else {
        drop(tx);
        return again(
            &u,
            &id,
            "written",
            "Hãy chọn đơn vị thành viên gửi ý kiến bằng văn bản.",
        )
        .await;
    };
    let candidates = store::candidates(&mut tx, u.tenant_id, v.id).await?;
    let choices = match choices_of(&v, &candidates, &fields) {
        Ok(c) => c,
        Err(msg) => {
            drop(tx);
            return again(&u, &id, "written", msg).await;
        }
    };
    let Some(receipt) =
        store::cast(&mut tx, &Actor::user(&u), v.id, unit, "written", &choices).await?
    else {
        drop(tx);
        return conflict(
            &u,
            &id,
            "written",
            "Đơn vị này đã bỏ phiếu; mỗi đơn vị chỉ có một phiếu.",
        )
        .await;
    };
    tx.commit().await?;
    vote_page(&u, &id, StatusCode::OK, Errors::default(), Some(receipt)).await
}

/// Paper mode: the counting committee's figures per candidate, and its members.
pub async fn paper(
    u: CurrentUser,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let (v, ctx) = load_for_manage(&mut tx, &u, &id).await?;
    if v.mode != "paper" || v.state == "draft" || v.results_released {
        drop(tx);
        return conflict(
            &u,
            &id,
            "paper",
            "Chỉ nhập kết quả kiểm phiếu cho biểu quyết phiếu giấy đã mở và chưa công bố.",
        )
        .await;
    }
    let get = |name: String| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, x)| x.trim().to_string())
            .unwrap_or_default()
    };
    let mut errors = Errors::default();
    let committee = forms::text(
        &mut errors,
        "paper",
        &get("committee".into()),
        "thành phần ban kiểm phiếu",
        2,
        2000,
    );
    let members = ctx.members.len() as u32;
    let candidates = store::candidates(&mut tx, u.tenant_id, v.id).await?;
    let mut counts = Vec::new();
    for c in &candidates {
        let f = get(format!("for{}", c.id)).parse::<u32>();
        let a = get(format!("against{}", c.id)).parse::<u32>();
        match (f, a) {
            (Ok(f), Ok(a)) if f + a <= members => counts.push(Count {
                candidate_id: c.id,
                votes_for: f,
                votes_against: a,
            }),
            _ => errors.add(
                "paper",
                format!(
                    "Số phiếu của {} phải là số nguyên không âm, tổng đồng ý và không đồng ý không quá {members} đơn vị.",
                    c.unit_name
                ),
            ),
        }
    }
    if !errors.is_empty() {
        drop(tx);
        return vote_page(&u, &id, StatusCode::UNPROCESSABLE_ENTITY, errors, None).await;
    }
    store::save_paper_counts(&mut tx, &Actor::user(&u), &v, &counts, &committee).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/votes/{}", v.id)).into_response())
}
