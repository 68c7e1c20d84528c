//! Exchanging a tenant's organisation and awards with another thidua as JSON (issue 15, item
//! 4): the export page and download, `thidua admin export` and `thidua admin import`.

pub mod cli;
pub mod handlers;
pub mod model;
pub mod store;

use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/council/exchange", handlers::page)
        .get("/council/exchange/export.json", handlers::export_json)
}
