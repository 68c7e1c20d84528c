//! The exchange feature's SQL: reading a tenant as an exchange document (`read`), and writing
//! what an import creates (`write`), always in the caller's tenant transaction.

mod read;
mod write;

pub use read::{Summary, document, summary};
pub use write::{apply, insert_tenant, lock_imports};
