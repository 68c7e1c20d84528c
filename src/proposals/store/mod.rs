//! The SQL of dossiers, their nominees, steps and reports, document templates, the council's
//! settings and decisions. Every change writes its audit row in the caller's transaction.

mod audited;
mod council;
mod dossiers;
mod nominees;
mod reports;
mod templates;
mod view;

pub use council::*;
pub use dossiers::*;
pub use nominees::*;
pub use reports::*;
pub use templates::*;
pub use view::*;
