//! Import of units and users from Excel (.xlsx) or CSV files.
//!
//! A file is read whole (`sheet`), matched against the documented layout and checked row by
//! row (`model`, pure), compared with what the tenant already has (`store`), and only when
//! every row is good applied in one tenant transaction through the organisation's own store
//! functions, which write the audit trail. Importing the same file again changes nothing.

pub mod handlers;
pub mod model;
pub mod sheet;
pub mod store;
pub mod template;

use axum::Router;
use axum::routing::get;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/import", get(handlers::index))
        .route("/import/template/{file}", get(handlers::template_file))
        .route(
            "/import/units",
            get(handlers::back_to_index).post(handlers::import_units),
        )
        .route(
            "/import/users",
            get(handlers::back_to_index).post(handlers::import_users),
        )
}
