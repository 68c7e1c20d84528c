//! Evidence files (minh chứng): upload checked by content, download as an attachment.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::audit::Actor;
use crate::auth::{CurrentUser, policy};
use crate::error::{AppError, AppResult};
use crate::org::model::YearRole;
use crate::org::store::ClusterYear;
use crate::org::year::{self, YearCtx};
use crate::scoring::forms::EvidenceForm;
use crate::scoring::model::SheetStatus;
use crate::scoring::store::{self, NewEvidence};
use crate::web::ids::Ids;

pub const MAX_BYTES: usize = crate::web::upload::FILE_MAX;

/// A member's staff add evidence to their own draft sheet; others who may see the sheet are
/// refused, and those who may not even know of it find nothing.
fn may_upload(
    u: &CurrentUser,
    role: Option<YearRole>,
    y: &ClusterYear,
    (unit_id, status): (i64, SheetStatus),
) -> AppResult<()> {
    let access = policy::sheet_access(
        u,
        role,
        unit_id,
        y.leader_unit_id,
        y.deputy_unit_id,
        status == SheetStatus::Draft,
        status == SheetStatus::Finalised,
    );
    if access.edit {
        return Ok(());
    }
    Err(
        if access.view || role.is_some() || u.role == crate::auth::Role::TenantAdmin {
            AppError::Forbidden
        } else {
            AppError::NotFound
        },
    )
}

pub async fn upload(
    State(st): State<AppState>,
    u: CurrentUser,
    Ids((year, unit)): Ids<(i64, i64)>,
    multipart: Result<Multipart, MultipartRejection>,
) -> AppResult<Response> {
    let (year_id, unit_id) = (year, unit);
    let back = format!("/years/{year_id}/sheets/{unit_id}");
    // Who may upload is settled before the body is read.
    let mut tx = u.db().await?;
    let YearCtx { y, role, .. } = year::load(&mut tx, &u, year_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sheet = store::sheet(&mut tx, y.id, unit_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = sheet.status;
    may_upload(&u, role, &y, (unit_id, status))?;
    let form = EvidenceForm::read(multipart).await;
    let c = form.criterion_id.unwrap_or(0);
    let (criterion_id, name, data, (content_type, ext)) =
        match form.check(MAX_BYTES, status.unit_may_edit()) {
            Ok(checked) => checked,
            Err(msg) => return Ok(refused(&back, c, &msg)),
        };
    // Measured with the sheet locked, so two uploads at once cannot both fit under it.
    let (used, quota_mb) = store::lock_evidence_use(&mut tx, sheet.id).await?;
    if let Err(msg) = crate::settings::model::quota_admits(quota_mb, used, data.len() as i64) {
        return Ok(refused(&back, c, &msg));
    }
    let sha = Sha256::digest(&data);
    // The object first, then the row: a failure after this leaves at most an orphan object.
    let placed = match st.web.evidence.put(u.tenant_id, &sha, &data).await {
        Ok(placed) => placed,
        Err(e) => return Ok(refused(&back, c, &e.upload_message())),
    };
    // Named by what it is, not by what it claimed (issue 12, item 8).
    let filename = crate::web::upload::stored_name(&name, ext);
    let new = NewEvidence {
        criterion_id,
        filename: &filename,
        content_type,
        data: &data,
        sha256: &sha,
        placed: &placed,
    };
    match store::insert_evidence(&mut tx, &Actor::user(&u), sheet.id, &new).await {
        Ok(_) => tx.commit().await?,
        // The criterion is not on this sheet.
        Err(e)
            if e.as_database_error()
                .is_some_and(|d| d.is_foreign_key_violation()) =>
        {
            return Err(AppError::NotFound);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("{back}#c{criterion_id}")).into_response())
}

/// Back to the sheet with the reason beside the criterion's upload field; nothing was saved
/// (the caller's transaction is dropped with it).
fn refused(back: &str, c: i64, msg: &str) -> Response {
    Redirect::to(&format!(
        "{back}?evidence_error={}&c={c}#c{c}",
        crate::web::url_encode(msg)
    ))
    .into_response()
}

async fn load_file(
    u: &CurrentUser,
    id: i64,
) -> AppResult<(store::EvidenceFile, store::Sheet, bool)> {
    let mut tx = u.db().await?;
    let f = store::evidence_file(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sheet = store::sheet_by_id(&mut tx, f.sheet_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let YearCtx { y, role, .. } = year::load(&mut tx, u, sheet.cluster_year_id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.commit().await?;
    let status = sheet.status;
    let access = policy::sheet_access(
        u,
        role,
        sheet.unit_id,
        y.leader_unit_id,
        y.deputy_unit_id,
        status == SheetStatus::Draft,
        status == SheetStatus::Finalised,
    );
    if !policy::year_is_visible(u, role) {
        return Err(AppError::NotFound);
    }
    if !access.evidence {
        return Err(AppError::Forbidden);
    }
    Ok((f, sheet, access.edit && status.unit_may_edit()))
}

/// The file under the name it was uploaded with (cleaned when stored), never an internal id.
/// From the S3 store, only once its bytes match the row's hash; otherwise a page that says why.
pub async fn download(
    State(st): State<AppState>,
    u: CurrentUser,
    Ids(id): Ids<i64>,
) -> AppResult<Response> {
    let (mut f, _, _) = load_file(&u, id).await?;
    let at = f.location();
    let bytes = match st.web.evidence.get(u.tenant_id, &f.sha256, at).await {
        Ok(bytes) => bytes,
        Err(e) => return Ok(e.download_page()),
    };
    Ok(crate::web::download::attachment(
        &f.filename,
        known_type(&f.content_type),
        bytes,
    ))
}

/// The stored type as one of the types an upload can have (see `web::upload::sniff`).
fn known_type(stored: &str) -> &'static str {
    use crate::web::upload::{EXCEL, WORD};
    [
        "application/pdf",
        "image/png",
        "image/jpeg",
        WORD,
        EXCEL,
        "application/vnd.ms-excel",
        "application/msword",
    ]
    .into_iter()
    .find(|t| *t == stored)
    .unwrap_or("application/octet-stream")
}

pub async fn delete(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    let (f, sheet, may_edit) = load_file(&u, id).await?;
    if !may_edit {
        return Err(AppError::Forbidden);
    }
    let mut tx = u.db().await?;
    store::delete_evidence(&mut tx, &Actor::user(&u), &f).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/years/{}/sheets/{}",
        sheet.cluster_year_id, sheet.unit_id
    ))
    .into_response())
}
