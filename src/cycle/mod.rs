//! The year's work before scoring: movements, award types, the pledge, registrations.

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
