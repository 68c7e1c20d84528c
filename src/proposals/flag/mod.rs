//! The Government-flag share as Công văn 5007/BNV-TĐKT says: each cluster's vote yields its
//! leading unit, and the council chooses among the leading units of all clusters of the year,
//! at most the share of them, naming the cluster each leads.

pub mod document;
pub mod handlers;
pub mod model;
pub mod store;
