//! Reports: the council's dashboard of every cluster's year (with its .xlsx export) and each
//! unit's history of results and awards, with the awards entered from the paper record.

pub mod chart;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;
pub mod xlsx;

use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/council", handlers::council)
        .get("/council/export.xlsx", handlers::council_xlsx)
        .get("/units/{id}/history", handlers::history)
        .post("/units/{id}/history/awards", handlers::add_award)
        .post(
            "/units/{id}/history/awards/{award}/delete",
            handlers::delete_award,
        )
}
