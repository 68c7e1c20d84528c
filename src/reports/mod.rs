//! Reports: the council's dashboard of every cluster's year (with its .xlsx export) and each
//! unit's history of results and awards, with the awards entered from the paper record.

pub mod chart;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;
pub mod xlsx;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/council", get(handlers::council))
        .route("/council/export.xlsx", get(handlers::council_xlsx))
        .route("/units/{id}/history", get(handlers::history))
        .route("/units/{id}/history/awards", post(handlers::add_award))
        .route(
            "/units/{id}/history/awards/{award}/delete",
            post(handlers::delete_award),
        )
}
