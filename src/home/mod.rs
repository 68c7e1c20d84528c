//! The home page of each role — what the year asks of the user next — and the platform
//! operator's overview.

pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;

use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/", handlers::home)
        .get("/platform", handlers::platform)
}
