//! The council's settings the dossiers and votes read: which award type is the Government flag,
//! its share of cluster leaders, the dossiers' deadline, and how many rounds a tie may take.

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::proposals::model;
use crate::proposals::store::{self, Settings};
use crate::web::forms::Errors;
use crate::web::forms::{Pairs, first, parse_decimal};
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "proposals/settings.html")]
struct SettingsPage {
    l: Layout,
    award_types: Vec<(i64, String)>,
    flag: String,
    share: String,
    rounds: String,
    day: String,
    month: String,
    errors: Errors,
    saved: bool,
}

async fn settings_page(
    u: &CurrentUser,
    status: StatusCode,
    (flag, share, day, month, rounds): (String, String, String, String, String),
    errors: Errors,
    saved: bool,
) -> AppResult<Response> {
    let mut tx = u.db().await?;
    let award_types = crate::cycle::store::active_award_types(&mut tx, "collective").await?;
    tx.commit().await?;
    let page = SettingsPage {
        l: Layout::for_user(u, "Quy định về hồ sơ đề nghị", "proposals"),
        award_types,
        flag,
        rounds,
        share,
        day,
        month,
        errors,
        saved,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn settings(u: CurrentUser, Query(q): Query<SavedQuery>) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    let s = store::settings(&mut tx).await?;
    tx.commit().await?;
    settings_page(
        &u,
        StatusCode::OK,
        (
            s.government_flag_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            crate::web::forms::decimal_vn(s.government_flag_share),
            s.proposal_deadline_day.to_string(),
            s.proposal_deadline_month.to_string(),
            s.vote_rounds.to_string(),
        ),
        Errors::default(),
        q.saved.is_some(),
    )
    .await
}

pub async fn save_settings(u: CurrentUser, Form(f): Form<Pairs>) -> AppResult<Response> {
    if !policy::may_review_proposals(&u) {
        return Err(AppError::Forbidden);
    }
    let typed = (
        first(&f, "flag").trim().to_string(),
        first(&f, "share").trim().to_string(),
        first(&f, "day").trim().to_string(),
        first(&f, "month").trim().to_string(),
        first(&f, "rounds").trim().to_string(),
    );
    let mut errors = Errors::default();
    let mut tx = u.db().await?;
    let types = crate::cycle::store::active_award_types(&mut tx, "collective").await?;
    tx.commit().await?;
    let flag = typed
        .0
        .parse::<i64>()
        .ok()
        .filter(|id| types.iter().any(|(t, _)| t == id));
    if flag.is_none() {
        errors.add("flag", "Hãy chọn danh hiệu là Cờ thi đua của Chính phủ.");
    }
    let share = parse_decimal(&typed.1).filter(|d| *d > Decimal::ZERO && *d <= Decimal::from(100));
    if share.is_none() {
        errors.add(
            "share",
            "Tỷ lệ phải là số lớn hơn 0 và không quá 100, ví dụ 20.",
        );
    }
    let month = typed.3.parse::<u32>().ok().filter(|m| (1..=12).contains(m));
    if month.is_none() {
        errors.add("month", "Tháng phải từ 1 đến 12.");
    }
    let day = typed.2.parse::<u32>().ok().filter(|d| (1..=31).contains(d));
    match (day, month) {
        (None, _) => errors.add("day", "Ngày phải từ 1 đến 31."),
        (Some(d), Some(m))
            if model::deadline(2023, m, d) != NaiveDate::from_ymd_opt(2023, m, d) =>
        {
            errors.add("day", format!("Tháng {m} không có ngày {d}."))
        }
        _ => {}
    }
    let rounds = typed.4.parse::<i16>().ok().filter(|r| (1..=5).contains(r));
    if rounds.is_none() {
        errors.add("rounds", "Số vòng bỏ phiếu phải từ 1 đến 5.");
    }
    let (Some(share), Some(day), Some(month), Some(rounds), true) =
        (share, day, month, rounds, errors.is_empty())
    else {
        return settings_page(&u, StatusCode::UNPROCESSABLE_ENTITY, typed, errors, false).await;
    };
    let actor = Actor::user(&u);
    let mut tx = u.db().await?;
    let before = store::settings(&mut tx).await?;
    let after = Settings {
        government_flag_share: share,
        proposal_deadline_month: month as i16,
        proposal_deadline_day: day as i16,
        government_flag_id: flag,
        vote_rounds: rounds,
    };
    store::save_settings(&mut tx, &actor, &before, &after).await?;
    tx.commit().await?;
    Ok(Redirect::to("/council/settings?saved=1").into_response())
}
