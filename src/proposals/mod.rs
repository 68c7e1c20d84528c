//! Award proposal dossiers (hồ sơ đề nghị khen thưởng): assembled from the closed vote, the
//! nominees' achievement reports, the cover letter, minutes and list generated from the
//! system's figures, sent to the council, which receives, returns or decides them.

pub mod demo;
pub mod documents;
pub mod forms;
pub mod handlers;
pub mod load;
pub mod model;
pub mod store;
pub mod templates;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use handlers::{assemble, council, dossier, print, reports, templates as tpl};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/years/{id}/proposal",
            get(assemble::year).post(assemble::create),
        )
        .route("/proposals/{id}", get(dossier::show).post(dossier::save))
        .route("/proposals/{id}/send", post(dossier::send))
        .route("/proposals/{id}/receive", post(council::receive))
        .route("/proposals/{id}/return", post(council::return_))
        .route("/proposals/{id}/decide", post(council::decide))
        .route("/proposals/{id}/print/{doc}", get(print::print))
        .route("/proposals/{id}/docx/{doc}", get(print::download))
        .route(
            "/proposals/{id}/reports/{unit}",
            get(reports::show).post(reports::save),
        )
        .route(
            "/proposals/{id}/reports/{unit}/submit",
            post(reports::submit),
        )
        .route(
            "/proposals/{id}/reports/{unit}/print",
            get(print::report_print),
        )
        .route(
            "/proposals/{id}/reports/{unit}/docx",
            get(print::report_download),
        )
        .route("/council/proposals", get(council::inbox))
        .route("/council/templates", get(tpl::list))
        .route(
            "/council/templates/{id}",
            get(tpl::show).post(tpl::new_version),
        )
}
