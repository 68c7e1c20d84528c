//! The SQL of award types, movements, pledges and registrations. Every change writes its audit
//! row in the caller's transaction.

pub mod movements;
pub mod paper;
pub mod pledge;
pub mod pledge_read;
pub mod registrations;

use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::PgConnection;

use crate::audit::{self, Actor};
use crate::db::TenantTx;

pub(crate) fn json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

mod steps;
pub use steps::*;
mod award_types;
pub use award_types::*;
