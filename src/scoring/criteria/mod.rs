//! The tenant's library of criteria tables (bảng tiêu chí chấm điểm): build and edit a table
//! (sections, criteria, bonus and penalty caps, rating bands), copy it, import it from and
//! export it to Excel. A cluster year scores against its own copy
//! (`scoring::tables::copy_to_year`), editable here until the first unit submits, then frozen.
//!
//! Only the tenant's admins use these pages; another tenant's table is simply not found.

pub mod demo;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;
pub mod transfer;
pub mod xlsx;

use crate::web::routes::Routes;

pub use model::usability;

pub fn routes() -> Routes {
    Routes::new()
        .get("/criteria", handlers::list)
        .get("/criteria/new", handlers::new_form)
        .post("/criteria/new", handlers::create)
        .get("/criteria/template.xlsx", transfer::template)
        .get("/criteria/import", transfer::import_page)
        .post("/criteria/import", transfer::import)
        .get("/criteria/{id}", handlers::show)
        .get("/criteria/{id}/export.xlsx", transfer::export)
        .post("/criteria/{id}/edit", handlers::update)
        .post("/criteria/{id}/copy", handlers::copy)
        .post("/criteria/{id}/bands", handlers::set_bands)
        .post("/criteria/{id}/sections", handlers::add_section)
        .post(
            "/criteria/{id}/sections/{sid}/edit",
            handlers::update_section,
        )
        .post(
            "/criteria/{id}/sections/{sid}/delete",
            handlers::delete_section,
        )
        .post("/criteria/{id}/criteria", handlers::add_criterion)
        .post(
            "/criteria/{id}/criteria/{cid}/edit",
            handlers::update_criterion,
        )
        .post(
            "/criteria/{id}/criteria/{cid}/delete",
            handlers::delete_criterion,
        )
}
