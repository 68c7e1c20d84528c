//! The tenant's library of criteria tables (bảng tiêu chí chấm điểm): build and edit a table
//! (sections, criteria, bonus and penalty caps, rating bands), copy it, import it from and
//! export it to Excel. A cluster year scores against its own copy
//! (`scoring::tables::copy_to_year`), editable here until the first unit submits, then frozen.
//!
//! Only the tenant's admins use these pages; another tenant's table is simply not found.

pub mod demo;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;
pub mod transfer;
pub mod xlsx;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub use model::usability;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/criteria", get(handlers::list))
        .route(
            "/criteria/new",
            get(handlers::new_form).post(handlers::create),
        )
        .route("/criteria/template.xlsx", get(transfer::template))
        .route(
            "/criteria/import",
            get(transfer::import_page).post(transfer::import),
        )
        .route("/criteria/{id}", get(handlers::show))
        .route("/criteria/{id}/export.xlsx", get(transfer::export))
        .route("/criteria/{id}/edit", post(handlers::update))
        .route("/criteria/{id}/copy", post(handlers::copy))
        .route("/criteria/{id}/bands", post(handlers::set_bands))
        .route("/criteria/{id}/sections", post(handlers::add_section))
        .route(
            "/criteria/{id}/sections/{sid}/edit",
            post(handlers::update_section),
        )
        .route(
            "/criteria/{id}/sections/{sid}/delete",
            post(handlers::delete_section),
        )
        .route("/criteria/{id}/criteria", post(handlers::add_criterion))
        .route(
            "/criteria/{id}/criteria/{cid}/edit",
            post(handlers::update_criterion),
        )
        .route(
            "/criteria/{id}/criteria/{cid}/delete",
            post(handlers::delete_criterion),
        )
}
