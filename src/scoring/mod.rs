//! Criteria tables, self-scoring with evidence, verification, ranking and the leader's dashboard.

pub mod criteria;
pub mod demo;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod results;
pub mod store;
pub mod tables;
pub mod tasks;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::AppState;
use handlers::{dashboard, evidence, sheet, verification};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/years/{id}/scoring", get(dashboard::show))
        .route("/years/{id}/scoring/setup", post(dashboard::setup))
        .route(
            "/years/{id}/scoring/export.xlsx",
            get(dashboard::export_xlsx),
        )
        .route("/years/{id}/scoring/print", get(dashboard::print))
        .route("/years/{id}/scoring/print.docx", get(dashboard::print_docx))
        .route("/years/{id}/sheets/{unit}", get(sheet::show))
        .route("/years/{id}/sheets/{unit}/save", post(sheet::save))
        .route("/years/{id}/sheets/{unit}/submit", post(sheet::submit))
        .route(
            "/years/{id}/sheets/{unit}/verify",
            post(verification::verify),
        )
        .route(
            "/years/{id}/sheets/{unit}/return",
            post(verification::return_sheet),
        )
        .route(
            "/years/{id}/sheets/{unit}/finalise",
            post(verification::finalise),
        )
        .route(
            "/years/{id}/sheets/{unit}/extend",
            post(verification::extend),
        )
        .route(
            "/years/{id}/sheets/{unit}/evidence",
            post(evidence::upload).layer(DefaultBodyLimit::max(evidence::MAX_BYTES + 64 * 1024)),
        )
        .route("/evidence/{id}", get(evidence::download))
        .route("/evidence/{id}/delete", post(evidence::delete))
        .merge(criteria::routes())
}
