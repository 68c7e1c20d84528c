//! The home page's query string.

use serde::Deserialize;

#[derive(Deserialize)]
pub struct HomeQuery {
    /// Set after a password change, to say that other sessions were ended.
    pub password_changed: Option<String>,
}
