//! Units, clusters and blocs, their years and members, and the people of a tenant.

pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;
pub mod year;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use handlers::{clusters, units, users, years};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/units", get(units::list))
        .route("/units/new", get(units::new_form).post(units::create))
        .route("/units/{id}", get(units::show))
        .route(
            "/units/{id}/edit",
            get(units::edit_form).post(units::update),
        )
        .route("/units/{id}/active", post(units::set_active))
        .route("/clusters", get(clusters::list))
        .route(
            "/clusters/new",
            get(clusters::new_form).post(clusters::create),
        )
        .route("/clusters/{id}", get(clusters::show))
        .route(
            "/clusters/{id}/edit",
            get(clusters::edit_form).post(clusters::update),
        )
        .route("/clusters/{id}/archive", post(clusters::set_archived))
        .route("/clusters/{id}/years", post(years::create))
        .route("/years/{id}", get(years::show))
        .route("/years/{id}/members", post(years::add_member))
        .route("/years/{id}/members/remove", post(years::remove_member))
        .route("/years/{id}/roles", post(years::set_roles))
        .route("/years/{id}/phase", post(years::set_phase))
        .route("/years/{id}/next", post(years::start_next))
        .route("/users", get(users::list))
        .route("/users/new", get(users::new_form).post(users::create))
        .route("/users/{id}/reset", post(users::reset_password))
        .route("/users/{id}/disabled", post(users::set_disabled))
}
