//! Import of units and users from spreadsheets.
