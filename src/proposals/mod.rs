//! Award proposal dossiers (hồ sơ đề nghị khen thưởng): assembled from the closed vote, the
//! nominees' achievement reports, the cover letter, minutes and list generated from the
//! system's figures, sent to the council, which receives, returns or decides them.

pub mod demo;
pub mod documents;
pub mod flag;
pub mod forms;
pub mod handlers;
pub mod load;
pub mod model;
pub mod store;
pub mod templates;

use crate::web::routes::Routes;

use handlers::{assemble, council, dossier, print, reports, templates as tpl, withdraw};

pub fn routes() -> Routes {
    Routes::new()
        .get("/years/{id}/proposal", assemble::year)
        .post("/years/{id}/proposal", assemble::create)
        .get("/proposals/{id}", dossier::show)
        .post("/proposals/{id}", dossier::save)
        .post("/proposals/{id}/send", dossier::send)
        .post("/proposals/{id}/withdraw", withdraw::withdraw)
        .post("/proposals/{id}/receive", council::receive)
        .post("/proposals/{id}/return", council::return_)
        .post("/proposals/{id}/decide", council::decide)
        .get("/proposals/{id}/print/{doc}", print::print)
        .get("/proposals/{id}/docx/{doc}", print::download)
        .get("/proposals/{id}/reports/{unit}", reports::show)
        .post("/proposals/{id}/reports/{unit}", reports::save)
        .post("/proposals/{id}/reports/{unit}/submit", reports::submit)
        .get("/proposals/{id}/reports/{unit}/print", print::report_print)
        .get(
            "/proposals/{id}/reports/{unit}/docx",
            print::report_download,
        )
        .get("/council/proposals", council::inbox)
        .get("/council/government-flag", flag::handlers::show)
        .post("/council/government-flag", flag::handlers::save)
        .get("/council/government-flag/print", flag::handlers::print)
        .get("/council/government-flag/docx", flag::handlers::download)
        .get("/council/templates", tpl::list)
        .get("/council/templates/{id}", tpl::show)
        .post("/council/templates/{id}", tpl::new_version)
}
