//! The council's settings: the values the rules of dossiers, votes and the dashboard read.
//! Several features read them, so they are a room of their own below those features.

pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;

use axum::Router;
use axum::routing::get;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/council/settings",
        get(handlers::show).post(handlers::save),
    )
}
