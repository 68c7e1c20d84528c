//! E-mail (issue 14, items 4 and 5): each user's address and choice, an outbox filled by the
//! database in the same transaction as each notification, a worker that sends it through an
//! SMTP relay, the daily digest, and the tenant admin's page of what failed.

pub mod digest;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod store;
pub mod worker;

use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/account/notifications", handlers::account_form)
        .post("/account/notifications", handlers::account_save)
        .get("/mail", handlers::outbox)
        .post("/mail/{id}/resend", handlers::resend)
}
