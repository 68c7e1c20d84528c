//! The council's settings: the values the rules of dossiers, votes and the dashboard read.
//! Several features read them, so they are a room of their own below those features.

pub mod forms;
pub mod handlers;
pub mod model;
pub mod rules;
pub mod store;

use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/council/settings", handlers::show)
        .post("/council/settings", handlers::save)
        .get("/council/settings/reminders", handlers::show_reminders)
        .post("/council/settings/reminders", handlers::save_reminders)
}
