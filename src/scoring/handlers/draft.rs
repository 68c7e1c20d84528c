//! The unit's draft: one action saves what was typed together with the evidence chosen (or
//! removed) on the sheet, so no button of the sheet loses what was typed (issue 17, item 1).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::db::TenantTx;
use crate::error::{AppError, AppResult};
use crate::scoring::forms::Inputs;
use crate::scoring::handlers::evidence::MAX_BYTES;
use crate::scoring::handlers::sheet::{Loaded, Shown, hand_in, load, render, sheet_url};
use crate::scoring::model::{self, sheet::Entry};
use crate::scoring::posted::{CheckedFile, SheetPost};
use crate::scoring::store::{self, NewEvidence};
use crate::web::forms::Errors;
use crate::web::ids::Ids;

/// What one press of a sheet button asks for besides saving the figures.
struct Asked {
    /// The criterion whose "Tải lên" was pressed.
    upload: Option<i64>,
    /// The evidence whose "Xóa" was pressed.
    delete: Option<i64>,
}

impl Asked {
    fn of(typed: &Inputs) -> Asked {
        Asked {
            upload: typed.get("upload").parse().ok(),
            delete: typed.get("delete_evidence").parse().ok(),
        }
    }
}

/// Saves the unit's own figures, with the files chosen and the file removed, all or nothing.
/// Nothing is saved if any field or file is wrong, and nothing is saved over a newer version
/// someone else stored meanwhile; either way the page keeps what was typed.
pub async fn save(
    State(st): State<AppState>,
    u: CurrentUser,
    Ids((year, unit)): Ids<(i64, i64)>,
    mut post: SheetPost,
) -> AppResult<Response> {
    let d = load(&u, year, unit).await?;
    if !d.access.edit {
        return Err(AppError::Forbidden);
    }
    let typed = Inputs::posted(std::mem::take(&mut post.fields));
    if !d.sheet.status.unit_may_edit() {
        let msg = "Bảng điểm đã nộp nên không sửa được; chỉ sửa khi cụm trưởng trả lại.";
        return render(
            &u,
            &d,
            Shown::refused(StatusCode::CONFLICT, Some(typed), msg),
        );
    }
    let asked = Asked::of(&typed);
    let (claims, files) = match checked(&d, &typed, post, &asked) {
        Ok(done) => done,
        Err(shown) => return render(&u, &d, *shown),
    };
    let mut tx = u.db().await?;
    if !store::bump_version(&mut tx, d.sheet.id, typed.version()).await? {
        drop(tx);
        // Someone saved first: show what is stored now, and what this user typed, unsaved.
        let fresh = load(&u, year, unit).await?;
        let msg = "Một cán bộ khác của đơn vị vừa lưu bảng điểm này. Trang đang hiện số liệu mới nhất; \
                   những gì bạn vừa nhập CHƯA được lưu — hãy xem lại và nhập lại nếu cần.";
        return render(&u, &fresh, Shown::refused(StatusCode::CONFLICT, None, msg));
    }
    let table = d.ctx.table.as_ref().expect("checked by load");
    let changes = model::sheet::claim_changes(table, &d.entries, &claims);
    let actor = Actor::user(&u);
    store::save_claims(&mut tx, &actor, d.sheet.id, changes).await?;
    if let Some(id) = asked.delete {
        delete_file(&mut tx, &actor, &d, id).await?;
    }
    if let Some(shown) = over_quota(&mut tx, &d, &typed, &files, &asked).await? {
        drop(tx);
        return render(&u, &d, *shown);
    }
    // The objects first, then the rows: a failure after this leaves at most orphan objects.
    let mut placed = Vec::with_capacity(files.len());
    for f in &files {
        let sha = Sha256::digest(&f.file.data);
        match st.web.evidence.put(u.tenant_id, &sha, &f.file.data).await {
            Ok(p) => placed.push((sha, p)),
            Err(e) => {
                drop(tx);
                return render(&u, &d, *store_refused(&typed, f, &e));
            }
        }
    }
    for (f, (sha, p)) in files.iter().zip(&placed) {
        store_file(&mut tx, &actor, &d, f, sha, p).await?;
    }
    tx.commit().await?;
    // "Nộp" belongs to the same form: what was typed is saved first, then handed in.
    if typed.get("then_submit") == "1" {
        let d = load(&u, year, unit).await?;
        return hand_in(&u, &d, "Đã lưu bản nháp.".into()).await;
    }
    let mut to = format!("{}?saved=1", sheet_url(&d));
    if !files.is_empty() {
        to.push_str(&format!("&files={}", files.len()));
    }
    if asked.delete.is_some() {
        to.push_str("&deleted=1");
    }
    if let Some(c) = asked.upload.or(files.first().map(|f| f.file.criterion_id)) {
        to.push_str(&format!("#c{c}"));
    }
    Ok(Redirect::to(&to).into_response())
}

/// The figures and the files, each checked; or the page again with what was typed and every
/// fault beside its field.
fn checked(
    d: &Loaded,
    typed: &Inputs,
    post: SheetPost,
    asked: &Asked,
) -> Result<(Vec<Entry>, Vec<CheckedFile>), Box<Shown>> {
    let table = d.ctx.table.as_ref().expect("checked by load");
    let (claims, mut errors) = match typed.claims(table) {
        Ok(claims) => (claims, Errors::default()),
        Err(errors) => (Vec::new(), errors),
    };
    let chose_files = !post.files.is_empty() || asked.upload.is_some();
    let criteria: Vec<i64> = table.criteria.iter().map(|c| c.id).collect();
    let files = post.checked_files(&mut errors, &criteria, asked.upload, MAX_BYTES);
    if errors.is_empty() {
        return Ok((claims, files));
    }
    let mut shown = Shown::invalid(Some(typed.clone()), errors);
    if chose_files {
        shown.problems.push(NOT_UPLOADED.to_string());
    }
    Err(Box::new(shown))
}

/// A browser does not keep a chosen file across pages: say so plainly.
const NOT_UPLOADED: &str = "Tệp minh chứng chưa được tải lên và bảng điểm chưa được lưu. Điểm \
    và giải trình bạn đã nhập vẫn còn nguyên trên trang; hãy sửa chỗ được đánh dấu, chọn lại tệp \
    rồi bấm “Tải lên”.";

/// The page that refuses the files when they would take the sheet over the council's quota,
/// measured with the sheet locked (after any file removed in the same press); None when they
/// fit. The caller then drops the transaction: nothing of the press is saved.
async fn over_quota(
    tx: &mut TenantTx,
    d: &Loaded,
    typed: &Inputs,
    files: &[CheckedFile],
    asked: &Asked,
) -> AppResult<Option<Box<Shown>>> {
    let Some(first) = files.first() else {
        return Ok(None);
    };
    let (used, quota_mb) = store::lock_evidence_use(tx, d.sheet.id).await?;
    let adding = files.iter().map(|f| f.file.data.len() as i64).sum();
    let Err(msg) = crate::settings::model::quota_admits(quota_mb, used, adding) else {
        return Ok(None);
    };
    let mut errors = Errors::default();
    errors.add(
        format!("e_{}", asked.upload.unwrap_or(first.file.criterion_id)),
        msg,
    );
    let mut shown = Shown::invalid(Some(typed.clone()), errors);
    shown.problems.push(NOT_UPLOADED.to_string());
    Ok(Some(Box::new(shown)))
}

async fn delete_file(tx: &mut TenantTx, actor: &Actor, d: &Loaded, id: i64) -> AppResult<()> {
    let f = store::evidence_file(tx, id)
        .await?
        .filter(|f| f.sheet_id == d.sheet.id)
        .ok_or(AppError::NotFound)?;
    store::delete_evidence(tx, actor, &f).await?;
    Ok(())
}

/// The page when the file store would not take a file: the reason beside its field, nothing
/// of the press saved, everything typed still on the page.
fn store_refused(typed: &Inputs, f: &CheckedFile, e: &crate::files::FileError) -> Box<Shown> {
    let mut errors = Errors::default();
    errors.add(format!("e_{}", f.file.criterion_id), e.upload_message());
    let mut shown = Shown::invalid(Some(typed.clone()), errors);
    shown.problems.push(NOT_UPLOADED.to_string());
    Box::new(shown)
}

async fn store_file(
    tx: &mut TenantTx,
    actor: &Actor,
    d: &Loaded,
    f: &CheckedFile,
    sha: &[u8],
    placed: &crate::files::Placed,
) -> AppResult<()> {
    let (content_type, ext) = f.kind;
    // Named by what it is, not by what it claimed (issue 12, item 8).
    let filename = crate::web::upload::stored_name(&f.file.name, ext);
    let new = NewEvidence {
        criterion_id: f.file.criterion_id,
        filename: &filename,
        content_type,
        data: &f.file.data,
        sha256: sha,
        placed,
    };
    store::insert_evidence(tx, actor, d.sheet.id, &new).await?;
    Ok(())
}
