//! Import of units and users from Excel (.xlsx) or CSV files.

use axum::Router;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
