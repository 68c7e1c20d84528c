//! Notifications (issue 14): what happened, who did it, and the page with the next step, for
//! the people who must act or want to know; and the deadline reminders. A shared room below
//! every feature: it imports none; features call its event functions in the transaction of the
//! change they report.

pub mod events;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod reminders;
pub mod store;

pub use events::*;

use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/notifications", handlers::list)
        .post("/notifications/read-all", handlers::read_all)
        .post("/notifications/{id}/open", handlers::open)
}
