//! The year's work before scoring: movements, award types, the pledge, registrations.

pub mod demo;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod printed;
pub mod store;

use crate::web::routes::Routes;

use axum::extract::DefaultBodyLimit;
use axum::routing::post;

use handlers::{
    award_types, documents, movements, pledge, pledge_actions, pledge_items, pledge_paper,
    registration_summary, registrations,
};

pub use store::seed_award_types;

pub fn routes() -> Routes {
    Routes::new()
        .get("/award-types", award_types::list)
        .get("/award-types/new", award_types::new_form)
        .post("/award-types/new", award_types::create)
        .post("/award-types/seed", award_types::seed)
        .get("/award-types/{id}/edit", award_types::edit_form)
        .post("/award-types/{id}/edit", award_types::update)
        .get("/movements", movements::list)
        .get("/movements/new", movements::new_form)
        .post("/movements/new", movements::create)
        .get("/movements/{id}", movements::show)
        .get("/movements/{id}/edit", movements::edit_form)
        .post("/movements/{id}/edit", movements::update)
        .get("/years/{id}/pledge", pledge::show)
        .get("/years/{id}/pledge/print", documents::pledge)
        .get("/years/{id}/pledge/print.docx", documents::pledge_docx)
        .post("/years/{id}/pledge/items", pledge_actions::add_item)
        .post("/years/{id}/pledge/items/save", pledge_items::save_items)
        .post(
            "/years/{id}/pledge/items/{item}/edit",
            pledge_actions::edit_item,
        )
        .post(
            "/years/{id}/pledge/items/{item}/remove",
            pledge_actions::remove_item,
        )
        .post(
            "/years/{id}/pledge/items/{item}/move",
            pledge_actions::move_item,
        )
        .post("/years/{id}/pledge/copy", pledge_actions::copy_previous)
        .get("/years/{id}/pledge/open", pledge_actions::confirm_open)
        .post("/years/{id}/pledge/open", pledge_actions::open)
        .post("/years/{id}/pledge/sign", pledge_actions::sign)
        .add(
            "POST",
            "/years/{id}/pledge/paper",
            post(pledge_paper::record)
                .layer(DefaultBodyLimit::max(pledge_paper::MAX_BYTES + 64 * 1024)),
        )
        .get("/years/{id}/pledge/paper/{unit}", pledge_paper::scan)
        .get("/years/{id}/registrations", registration_summary::summary)
        .get("/years/{id}/registrations/print", documents::summary)
        .post(
            "/years/{id}/registrations/deadline",
            registration_summary::set_deadline,
        )
        .get("/years/{id}/registrations/{unit}", registrations::show)
        .post("/years/{id}/registrations/{unit}", registrations::save)
        .post(
            "/years/{id}/registrations/{unit}/submit",
            registrations::submit,
        )
        .post(
            "/years/{id}/registrations/{unit}/return",
            registrations::return_to_unit,
        )
        .get(
            "/years/{id}/registrations/{unit}/print",
            documents::registration,
        )
}
