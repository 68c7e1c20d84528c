//! The year's work before scoring: movements, award types, the pledge, registrations.

pub mod demo;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use handlers::{
    award_types, documents, movements, pledge, pledge_actions, registration_summary, registrations,
};

pub use store::seed_award_types;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/award-types", get(award_types::list))
        .route(
            "/award-types/new",
            get(award_types::new_form).post(award_types::create),
        )
        .route("/award-types/seed", post(award_types::seed))
        .route(
            "/award-types/{id}/edit",
            get(award_types::edit_form).post(award_types::update),
        )
        .route("/movements", get(movements::list))
        .route(
            "/movements/new",
            get(movements::new_form).post(movements::create),
        )
        .route("/movements/{id}", get(movements::show))
        .route(
            "/movements/{id}/edit",
            get(movements::edit_form).post(movements::update),
        )
        .route("/years/{id}/pledge", get(pledge::show))
        .route("/years/{id}/pledge/print", get(documents::pledge))
        .route("/years/{id}/pledge/print.docx", get(documents::pledge_docx))
        .route("/years/{id}/pledge/items", post(pledge_actions::add_item))
        .route(
            "/years/{id}/pledge/items/{item}/edit",
            post(pledge_actions::edit_item),
        )
        .route(
            "/years/{id}/pledge/items/{item}/remove",
            post(pledge_actions::remove_item),
        )
        .route(
            "/years/{id}/pledge/items/{item}/move",
            post(pledge_actions::move_item),
        )
        .route(
            "/years/{id}/pledge/copy",
            post(pledge_actions::copy_previous),
        )
        .route("/years/{id}/pledge/open", post(pledge_actions::open))
        .route("/years/{id}/pledge/sign", post(pledge_actions::sign))
        .route(
            "/years/{id}/registrations",
            get(registration_summary::summary),
        )
        .route("/years/{id}/registrations/print", get(documents::summary))
        .route(
            "/years/{id}/registrations/deadline",
            post(registration_summary::set_deadline),
        )
        .route(
            "/years/{id}/registrations/{unit}",
            get(registrations::show).post(registrations::save),
        )
        .route(
            "/years/{id}/registrations/{unit}/submit",
            post(registrations::submit),
        )
        .route(
            "/years/{id}/registrations/{unit}/return",
            post(registrations::return_to_unit),
        )
        .route(
            "/years/{id}/registrations/{unit}/print",
            get(documents::registration),
        )
}
