//! The yearly statistical forms the council files (báo cáo thống kê, biểu 0601–0605.N/BNV-TĐKT
//! as found in a public copy): counted from thidua's movements and units' awards for a year and
//! a scope (the whole tenant or one cluster), with the figures thidua cannot know typed by the
//! council's staff and marked as typed everywhere they show: on screen, in print and in .xlsx.

pub mod defs;
pub mod document;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;
pub mod view;
pub mod xlsx;

use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/council/statistics", handlers::show)
        .post("/council/statistics", handlers::save)
        .get("/council/statistics/print", handlers::print)
        .get("/council/statistics/xlsx", handlers::xlsx)
}
