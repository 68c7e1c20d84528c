//! The year-end peer vote (bình xét, suy tôn) by secret ballot, and leader elections.

pub mod crypto;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod record;
pub mod rounds;
pub mod seal;
pub mod secret;
pub mod secret_store;
pub mod store;
pub mod tally;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/years/{id}/votes",
            get(handlers::list).post(handlers::create),
        )
        .route("/votes/{id}", get(handlers::show))
        .route("/votes/{id}/candidates", post(handlers::add_candidate))
        .route(
            "/votes/{id}/candidates/{cid}/remove",
            post(handlers::remove_candidate),
        )
        .route("/votes/{id}/open", post(handlers::open))
        .route("/votes/{id}/close", post(handlers::close))
        .route("/votes/{id}/release", post(handlers::release))
        .route("/votes/{id}/ballot", post(handlers::ballot))
        .route("/votes/{id}/written", post(handlers::written))
        .route("/votes/{id}/paper", post(handlers::paper))
        .route("/votes/{id}/next-round", post(rounds::next_round))
        .route("/votes/{id}/committee", post(handlers::committee))
        .route(
            "/votes/{id}/committee/passphrase",
            post(handlers::passphrase),
        )
        .route("/votes/{id}/committee/share", post(handlers::share))
        .route("/votes/{id}/committee/decrypt", post(handlers::decrypt))
        .route(
            "/votes/{id}/written/{unit}/scan",
            get(handlers::written_scan),
        )
        .route("/votes/{id}/record.json", get(handlers::record))
}
