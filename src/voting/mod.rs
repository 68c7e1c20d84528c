//! The year-end peer vote (bình xét, suy tôn) by secret ballot, and leader elections.

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
