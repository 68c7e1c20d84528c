//! The council's decision (quyết định khen thưởng) drafted from the data: from the decided
//! dossiers of a year, a draft whose every part but the number, the date and edits to its free
//! text comes from thidua; issued (the awards enter the unit histories) or revoked with a
//! reason (they leave them). Printed in the Decree 30/2020 layout and as .docx.

pub mod document;
pub mod draft;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;

use crate::web::routes::Routes;

use handlers::{print, settings, steps};

pub fn routes() -> Routes {
    Routes::new()
        .get("/council/decisions", handlers::list)
        .post("/council/decisions", handlers::create)
        .get("/council/decisions/settings", settings::show)
        .post("/council/decisions/settings", settings::save)
        .get("/council/decisions/{id}", handlers::show)
        .post("/council/decisions/{id}", handlers::save)
        .post("/council/decisions/{id}/issue", steps::issue)
        .post("/council/decisions/{id}/revoke", steps::revoke)
        .post("/council/decisions/{id}/delete", steps::delete)
        .get("/council/decisions/{id}/print", print::print)
        .get("/council/decisions/{id}/docx", print::download)
}
