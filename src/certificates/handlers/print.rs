//! The print views: the style sheet of every layout, the calibration sheet, one award's
//! certificate and every award of a decision.

use askama::Template;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use super::{award_type_name, council, layout_of};
use crate::auth::CurrentUser;
use crate::certificates::document::{self, PrintPage, SheetView};
use crate::certificates::model::{self, Layout};
use crate::certificates::store::{self, AwardRow};
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::web::ids::Ids;

/// Every layout of the tenant and the standard one, as one style sheet.
pub async fn layouts_css(u: CurrentUser) -> AppResult<Response> {
    council(&u)?;
    let mut tx = u.read().await?;
    let saved = store::layouts(&mut tx).await?;
    let (standard, _) = layout_of(&mut tx, None).await?;
    tx.commit().await?;
    let mut all: Vec<(String, &Layout)> = vec![(document::class_of(None), &standard)];
    all.extend(
        saved
            .iter()
            .map(|(id, l)| (document::class_of(Some(*id)), l)),
    );
    let headers = [
        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
        // A layout just saved must print at once: never a stale copy.
        (header::CACHE_CONTROL, "no-store"),
    ];
    Ok((headers, document::css(&all)).into_response())
}

fn print_page(p: PrintPage) -> AppResult<Html<String>> {
    Ok(Html(p.render()?))
}

/// The award type's sheet with a millimetre grid and each shown field's name at its place.
pub async fn calibration(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Html<String>> {
    council(&u)?;
    let mut tx = u.read().await?;
    let name = award_type_name(&mut tx, id).await?;
    let (l, stored) = layout_of(&mut tx, Some(id)).await?;
    tx.commit().await?;
    let fields = l
        .boxes
        .iter()
        .filter(|b| b.shown)
        .map(|b| (b.field, format!("[{}]", b.field.label())))
        .collect();
    let class = document::class_of(stored.then_some(id));
    print_page(PrintPage {
        title: format!("Tờ căn chỉnh — {name}"),
        back: format!("/council/certificates/{id}"),
        note: format!(
            "Tờ căn chỉnh khổ {}: in với tỉ lệ 100% (không co giãn), lề 0, trên giấy trắng; đặt lên phôi để đọc độ lệch.",
            l.sheet.name()
        ),
        calibration: true,
        sheets: vec![SheetView {
            class,
            grid: document::grid(&l),
            fields,
        }],
    })
}

/// One page per award, each in its award type's layout.
async fn sheets(tx: &mut TenantTx, awards: &[AwardRow]) -> AppResult<Vec<SheetView>> {
    let saved = store::layouts(tx).await?;
    let (standard, _) = layout_of(tx, None).await?;
    Ok(awards
        .iter()
        .map(|a| {
            let found = a
                .award_type_id
                .and_then(|t| saved.iter().find(|(id, _)| *id == t));
            let (class, l) = match found {
                Some((id, l)) => (document::class_of(Some(*id)), l),
                None => (document::class_of(None), &standard),
            };
            let fields = model::texts(l, &a.facts())
                .into_iter()
                .map(|(b, t)| (b.field, t))
                .collect();
            SheetView {
                class,
                grid: String::new(),
                fields,
            }
        })
        .collect())
}

const PRINT_NOTE: &str = "Đặt phôi vào máy in; in với tỉ lệ 100% (không co giãn), lề 0. Nếu chữ lệch khỏi chỗ, in tờ căn chỉnh và sửa mẫu in.";

pub async fn print_award(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Html<String>> {
    council(&u)?;
    let mut tx = u.read().await?;
    let award = store::award(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let sheets = sheets(&mut tx, std::slice::from_ref(&award)).await?;
    tx.commit().await?;
    print_page(PrintPage {
        title: format!("{} — {}", award.award, award.recipient),
        back: format!("/units/{}/history", award.unit_id),
        note: PRINT_NOTE.to_string(),
        calibration: false,
        sheets,
    })
}

/// Every award of a dossier's decision record.
pub async fn print_decision(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Html<String>> {
    council(&u)?;
    let mut tx = u.read().await?;
    let found = store::decision_awards(&mut tx, id).await?;
    print_all(tx, found, "/council/proposals".to_string()).await
}

/// Every award of a decision issued in thidua, over all the dossiers it decided.
pub async fn print_issued(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Html<String>> {
    council(&u)?;
    let mut tx = u.read().await?;
    let found = store::issued_decision_awards(&mut tx, id).await?;
    print_all(tx, found, format!("/council/decisions/{id}")).await
}

async fn print_all(
    mut tx: crate::db::TenantTx,
    found: Option<(String, Vec<store::AwardRow>)>,
    back: String,
) -> AppResult<Html<String>> {
    let (number, awards) = found.ok_or(AppError::NotFound)?;
    let sheets = sheets(&mut tx, &awards).await?;
    tx.commit().await?;
    print_page(PrintPage {
        title: format!("Bằng khen, giấy khen theo Quyết định số {number}"),
        back,
        note: format!("{} bằng, giấy. {PRINT_NOTE}", awards.len()),
        calibration: false,
        sheets,
    })
}
