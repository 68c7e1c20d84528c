//! Units' awards over the years (the history of commendations), shared by the proposals that
//! record them and the pages and reports that show them.

pub mod model;
pub mod store;
