//! The cluster's year-end report (báo cáo tổng kết công tác thi đua, khen thưởng), which the
//! leader presents at the year-end conference before the vote. Drafted from the year's data —
//! members, pledge, registrations, verified scores and ranking, the vote's nominees, next year's
//! leader — with the parts only people can write (the year's situation, strengths,
//! shortcomings, next year's direction) typed by the leader; printed and as .docx.

pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;

use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/years/{id}/year-end", handlers::show)
        .post("/years/{id}/year-end", handlers::save)
        .get("/years/{id}/year-end/print", handlers::print)
        .get("/years/{id}/year-end/print.docx", handlers::print_docx)
}
