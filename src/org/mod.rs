//! Tenants and units. (Clusters, cluster years and memberships come with the organisation issue.)

pub mod handlers;
pub mod store;
