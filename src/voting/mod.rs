//! The year-end peer vote (bình xét, suy tôn) by secret ballot, and leader elections.

pub mod crypto;
pub mod forms;
pub mod handlers;
pub mod model;
pub mod record;
pub mod rounds;
pub mod seal;
pub mod secret;
pub mod secret_store;
pub mod share;
pub mod store;
pub mod tally;

use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/years/{id}/votes", handlers::list)
        .post("/years/{id}/votes", handlers::create)
        .get("/votes/{id}", handlers::show)
        .post("/votes/{id}/candidates", handlers::add_candidate)
        .post(
            "/votes/{id}/candidates/{cid}/remove",
            handlers::remove_candidate,
        )
        .post("/votes/{id}/open", handlers::open)
        .post("/votes/{id}/candidates/remove", handlers::remove_candidates)
        .post("/votes/{id}/close", handlers::close)
        .post("/votes/{id}/release", handlers::release)
        .post("/votes/{id}/ballot", handlers::ballot)
        .post("/votes/{id}/written", handlers::written)
        .post("/votes/{id}/paper", handlers::paper)
        .post("/votes/{id}/next-round", rounds::next_round)
        .post("/votes/{id}/committee", handlers::committee)
        .post("/votes/{id}/committee/passphrase", handlers::passphrase)
        .post("/votes/{id}/committee/share", handlers::share)
        .post("/votes/{id}/committee/decrypt", handlers::decrypt)
        .get("/votes/{id}/written/{unit}/scan", handlers::written_scan)
        .get("/votes/{id}/record.json", handlers::record)
}
