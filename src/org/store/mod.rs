//! The SQL of tenants, units, clusters, cluster years and memberships.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use crate::audit::{self, Actor};
use crate::db::TenantTx;

mod units;
pub use units::*;
mod clusters;
pub use clusters::*;
mod years;
pub use years::*;
mod tenants;
pub use tenants::*;
