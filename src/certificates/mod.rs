//! Certificates (bằng khen, giấy khen, the flag's certificate — giấy chứng nhận Cờ thi đua)
//! printed on the pre-printed blanks the council's staff put in the printer: thidua prints only
//! the fields, each where the award type's layout places it, and a calibration sheet with a
//! millimetre grid to set those places. The awards come from units' histories (`unit_awards`)
//! and the council's decisions (`award_decisions`).

pub mod document;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;

use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/council/certificates", handlers::list)
        .post("/council/certificates", handlers::copy)
        .get("/council/certificates/layouts.css", handlers::layouts_css)
        .get("/council/certificates/{id}", handlers::edit)
        .post("/council/certificates/{id}", handlers::save)
        .get(
            "/council/certificates/{id}/calibration",
            handlers::calibration,
        )
        .get("/council/certificates/award/{id}", handlers::print_award)
        .get(
            "/council/certificates/decision/{id}",
            handlers::print_decision,
        )
        .get(
            "/council/decisions/{id}/certificates",
            handlers::print_issued,
        )
}
