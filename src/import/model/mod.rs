//! The rules of an import, as plain functions: which column is which, what each row says,
//! which rows are bad and why, and what importing the rest would change.
//!
//! Nothing here touches the database: the caller loads what exists (units by code, users by
//! username, usernames taken in other tenants) and hands it in.

use std::collections::{HashMap, HashSet};

use crate::admin;
use crate::auth::Role;
use crate::org::forms::{UnitForm, check_unit_code};
use crate::org::store::UnitFields;
use crate::web::forms::{self, Errors};
use crate::web::vn::fold;

use super::sheet::{Sheet, SheetRow};

/// At most this many data rows per file.
pub const MAX_ROWS: usize = 5_000;
/// The header row is looked for among this many first non-empty rows.
const HEADER_SEARCH: usize = 10;
/// At most this many new accounts per file: each needs a slow password hash.
pub const MAX_NEW_ACCOUNTS: usize = 300;

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Units,
    Users,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "units" => Some(Kind::Units),
            "users" => Some(Kind::Users),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Units => "units",
            Kind::Users => "users",
        }
    }

    /// "danh sách đơn vị" / "danh sách người dùng".
    pub fn label(self) -> &'static str {
        match self {
            Kind::Units => "danh sách đơn vị",
            Kind::Users => "danh sách người dùng",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::Units => &UNIT_COLUMNS,
            Kind::Users => &USER_COLUMNS,
        }
    }

    fn other(self) -> Kind {
        match self {
            Kind::Units => Kind::Users,
            Kind::Users => Kind::Units,
        }
    }
}

mod columns;
pub use columns::*;
mod example;
pub use example::*;
mod table;
pub use table::*;
mod units;
pub use units::*;
mod users;
pub use users::*;

/// A unit the import created or changed, as the result page lists it.
pub struct UnitLine {
    pub row: u32,
    pub code: String,
    pub name: String,
    pub changed: String,
}

/// An account the import created, with its one-time password, as the result page lists it.
pub struct AccountLine {
    pub row: u32,
    pub username: String,
    pub full_name: String,
    pub role: &'static str,
    pub unit_name: String,
    pub otp: String,
}

#[cfg(test)]
mod tests;
