//! Criteria tables, self-scoring with evidence, verification, ranking and the leader's dashboard.

pub mod criteria;
pub mod demo;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod posted;
pub mod results;
pub mod store;
pub mod tables;
pub mod tasks;

use axum::routing::post;

use crate::web::routes::Routes;
use axum::extract::DefaultBodyLimit;

use handlers::{dashboard, draft, evidence, sheet, verification};

pub fn routes() -> Routes {
    Routes::new()
        .get("/years/{id}/scoring", dashboard::show)
        .post("/years/{id}/scoring/setup", dashboard::setup)
        .get("/years/{id}/scoring/export.xlsx", dashboard::export_xlsx)
        .get("/years/{id}/scoring/print", dashboard::print)
        .get("/years/{id}/scoring/print.docx", dashboard::print_docx)
        .get("/years/{id}/sheets/{unit}", sheet::show)
        // The sheet's one form carries the chosen files with the figures.
        .add(
            "POST",
            "/years/{id}/sheets/{unit}/save",
            post(draft::save).layer(DefaultBodyLimit::max(crate::UPLOAD_LIMIT)),
        )
        .post("/years/{id}/sheets/{unit}/submit", sheet::submit)
        .post("/years/{id}/sheets/{unit}/verify", verification::verify)
        .post(
            "/years/{id}/sheets/{unit}/return",
            verification::return_sheet,
        )
        .post("/years/{id}/sheets/{unit}/finalise", verification::finalise)
        .post("/years/{id}/sheets/{unit}/extend", verification::extend)
        .add(
            "POST",
            "/years/{id}/sheets/{unit}/evidence",
            post(evidence::upload).layer(DefaultBodyLimit::max(evidence::MAX_BYTES + 64 * 1024)),
        )
        .get("/evidence/{id}", evidence::download)
        .post("/evidence/{id}/delete", evidence::delete)
        .merge(criteria::routes())
}
