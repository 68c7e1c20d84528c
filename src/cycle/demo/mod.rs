//! Demo movements, pledges and registrations for the seed articles' clusters. Idempotent:
//! whatever exists is left alone, so a second run changes nothing.

use anyhow::{Context, Result};
use chrono::{DateTime, TimeZone, Utc};

use crate::audit::Actor;
use crate::auth::store as auth_store;
use crate::cycle::model::{PledgeState, RegistrationState};
use crate::cycle::store::movements::{self, MovementFields};
use crate::cycle::store::pledge;
use crate::cycle::store::registrations::{self, Initiative, RegistrationFields};
use crate::cycle::store::seed_award_types;
use crate::db::TenantTx;
use crate::org::store as org_store;
use crate::web::vn;

mod data;
use data::*;
mod load;
pub use load::*;
mod shift;
pub use shift::{HISTORY_YEAR, Shift, loaded_anchor};
