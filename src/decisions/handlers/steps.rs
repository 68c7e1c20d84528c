//! Issuing, revoking and deleting a decision: each in one transaction under the decision's row
//! lock, so two council members pressing "Ban hành" at once issue it once.

use axum::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::{Shown, deny, render};
use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::decisions::draft::bases_at_issue;
use crate::decisions::forms::{self, IssueForm};
use crate::decisions::model::{self, State, Step};
use crate::decisions::store;
use crate::error::{AppError, AppResult};
use crate::web::forms::{Errors, Pairs};
use crate::web::ids::Ids;

/// The message beside the number when it is taken in the year of signing.
fn taken(number: &str, year: i32) -> String {
    format!(
        "Số quyết định {number} đã được dùng trong năm {year} (kể cả quyết định đã thu hồi). \
         Hãy nhập số khác."
    )
}

fn is_number_conflict(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.constraint())
        .is_some_and(|c| c == "decisions_number_per_year")
}

/// Issues the draft with the number and date typed. The draft's form posts its edits with it
/// (one form, two buttons): they are checked and saved first, in the same transaction, so
/// nothing typed above "Ban hành" is lost, and a refused number keeps every edit on the page.
pub async fn issue(u: CurrentUser, Ids(id): Ids<i64>, Form(f): Form<Pairs>) -> AppResult<Response> {
    deny(&u)?;
    let form = IssueForm::read(&f);
    let mut tx = u.db().await?;
    let mut d = store::decision(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = Errors::default();
    // The edits, when the form carries them (the draft's form always does).
    let edits = if f.iter().any(|(k, _)| k == "authority") {
        let lines = store::lines(&mut tx, id).await?;
        let texts = forms::read_texts(&f);
        let inputs = forms::read_lines(&f, &lines);
        forms::check_texts(&texts, &mut errors);
        let checked = forms::check_lines(&inputs, &mut errors);
        Some((texts, inputs, checked))
    } else {
        None
    };
    let typed = form.check(&mut errors);
    let problem = model::check_step(State::parse(&d.state), Step::Issue).err();
    if let Some((number, on)) = &typed {
        let used = store::used_numbers(&mut tx).await?;
        let year = chrono::Datelike::year(on);
        if model::number_taken(&used, year, number) {
            errors.add("number", taken(number, year));
        }
    }
    let shown = |form: IssueForm, errors: Errors, problem: String| Shown {
        texts: edits.as_ref().map(|(t, i, _)| (t.clone(), i.clone())),
        issue: form,
        errors,
        problem,
        ..Shown::default()
    };
    let Some((number, on)) = typed.filter(|_| errors.is_empty() && problem.is_none()) else {
        tx.rollback().await?;
        let status = if problem.is_some() {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let problem = problem.unwrap_or_default().into();
        return render(&u, id, status, shown(form, errors, problem)).await;
    };
    let actor = Actor::user(&u);
    if let Some((texts, _, checked)) = &edits {
        store::update_draft(&mut tx, &actor, &d, texts, checked).await?;
        d = store::decision(&mut tx, id, false)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    let done = issue_now(&mut tx, &actor, &d, (&number, on), None).await;
    match done {
        Ok(years) => {
            for (year_id, p) in years {
                crate::notify::dossier_decided(&mut tx, &u, year_id, p).await?;
            }
            tx.commit().await?;
            Ok(Redirect::to(&format!("/council/decisions/{id}")).into_response())
        }
        // Another decision took the number between the check and the write.
        Err(e) if is_number_conflict(&e) => {
            tx.rollback().await?;
            let mut errors = Errors::default();
            errors.add("number", taken(&number, chrono::Datelike::year(&on)));
            render(
                &u,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                shown(form, errors, String::new()),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// Issues `d` (locked, a draft) as the handler and the demo do: the legal bases of the date
/// signed, the records and the histories. Returns the dossiers' (cluster year, dossier).
pub async fn issue_now(
    tx: &mut crate::db::TenantTx,
    actor: &Actor,
    d: &store::Decision,
    (number, on): (&str, chrono::NaiveDate),
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> sqlx::Result<Vec<(i64, i64)>> {
    let (_, _, sets) = crate::proposals::store::tenant_names(tx).await?;
    let bases = bases_at_issue(&sets, &d.legal_bases, on);
    if bases != d.legal_bases {
        let mut t = store::Texts::of(d);
        t.legal_bases = bases;
        store::update_draft(tx, actor, d, &t, &[]).await?;
    }
    let dossiers = store::dossiers(tx, d.id).await?;
    let lines = store::lines(tx, d.id).await?;
    store::issue(tx, actor, d, (number, on), (&dossiers, &lines), at).await?;
    let years: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT cluster_year_id, id FROM proposals WHERE tenant_id = $1 AND id = ANY($2)",
    )
    .bind(tx.tenant_id())
    .bind(&dossiers)
    .fetch_all(&mut **tx)
    .await?;
    Ok(years)
}

pub async fn revoke(
    u: CurrentUser,
    Ids(id): Ids<i64>,
    Form(f): Form<Pairs>,
) -> AppResult<Response> {
    deny(&u)?;
    let mut tx = u.db().await?;
    let d = store::decision(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = Errors::default();
    let reason = forms::read_reason(&f, &mut errors);
    let problem = model::check_step(State::parse(&d.state), Step::Revoke).err();
    if !errors.is_empty() || problem.is_some() {
        tx.rollback().await?;
        let status = if problem.is_some() {
            StatusCode::CONFLICT
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let shown = Shown {
            revoke_reason: crate::web::forms::first(&f, "reason").to_string(),
            errors,
            problem: problem.unwrap_or_default().into(),
            ..Shown::default()
        };
        return render(&u, id, status, shown).await;
    }
    store::revoke(&mut tx, &Actor::user(&u), &d, &reason).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/council/decisions/{id}")).into_response())
}

pub async fn delete(u: CurrentUser, Ids(id): Ids<i64>) -> AppResult<Response> {
    deny(&u)?;
    let mut tx = u.db().await?;
    let d = store::decision(&mut tx, id, true)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Err(problem) = model::check_step(State::parse(&d.state), Step::Delete) {
        tx.rollback().await?;
        let shown = Shown {
            problem: problem.into(),
            ..Shown::default()
        };
        return render(&u, id, StatusCode::CONFLICT, shown).await;
    }
    store::delete_draft(&mut tx, &Actor::user(&u), &d).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/council/decisions?year={}", d.year)).into_response())
}
