//! Import of units and users from Excel (.xlsx) or CSV files.
//!
//! A file is read whole (`sheet`), matched against the documented layout and checked row by
//! row (`model`, pure), compared with what the tenant already has (`store`), and only when
//! every row is good applied in one tenant transaction through the organisation's own store
//! functions, which write the audit trail. Importing the same file again changes nothing.

pub mod handlers;
pub mod model;
pub mod sheet;
pub mod store;
pub mod template;

use crate::web::routes::Routes;

pub fn routes() -> Routes {
    Routes::new()
        .get("/import", handlers::index)
        .get("/import/template/{file}", handlers::template_file)
        .get("/import/units", handlers::back_to_index)
        .post("/import/units", handlers::import_units)
        .get("/import/users", handlers::back_to_index)
        .post("/import/users", handlers::import_users)
}
