//! Units, clusters and blocs, their years and members, and the people of a tenant.

pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;
pub mod year;

use crate::web::routes::Routes;

use handlers::{clusters, units, users, year_members, year_phase, years};

pub fn routes() -> Routes {
    Routes::new()
        .get("/units", units::list)
        .get("/units/new", units::new_form)
        .post("/units/new", units::create)
        .get("/units/{id}", units::show)
        .get("/units/{id}/edit", units::edit_form)
        .post("/units/{id}/edit", units::update)
        .post("/units/{id}/active", units::set_active)
        .get("/clusters", clusters::list)
        .get("/clusters/new", clusters::new_form)
        .post("/clusters/new", clusters::create)
        .get("/clusters/{id}", clusters::show)
        .get("/clusters/{id}/edit", clusters::edit_form)
        .post("/clusters/{id}/edit", clusters::update)
        .post("/clusters/{id}/archive", clusters::set_archived)
        .post("/clusters/{id}/years", years::create)
        .get("/years/{id}", years::show)
        .post("/years/{id}/members", year_members::add_member)
        .post("/years/{id}/members/remove", year_members::remove_member)
        .post("/years/{id}/roles", years::set_roles)
        .post("/years/{id}/phase", year_phase::set_phase)
        .post("/years/{id}/next", years::start_next)
        .get("/users", users::list)
        .get("/users/new", users::new_form)
        .post("/users/new", users::create)
        .post("/users/{id}/reset", users::reset_password)
        .post("/users/{id}/disabled", users::set_disabled)
}
