//! Accounts, sessions and the question "who is asking".

pub mod handlers;
pub mod login;
pub mod password;
pub mod policy;
pub mod session;
pub mod sessions;
pub mod store;
pub mod throttle;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Operator,
    TenantAdmin,
    UnitHead,
    UnitOfficer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::TenantAdmin => "tenant_admin",
            Role::UnitHead => "unit_head",
            Role::UnitOfficer => "unit_officer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "operator" => Role::Operator,
            "tenant_admin" => Role::TenantAdmin,
            "unit_head" => Role::UnitHead,
            "unit_officer" => Role::UnitOfficer,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Operator => "Vận hành hệ thống",
            Role::TenantAdmin => "Cán bộ Hội đồng TĐKT (quản trị)",
            Role::UnitHead => "Thủ trưởng đơn vị",
            Role::UnitOfficer => "Cán bộ thi đua",
        }
    }

    pub fn needs_unit(self) -> bool {
        matches!(self, Role::UnitHead | Role::UnitOfficer)
    }
}

/// The logged-in user of this request, resolved once by the session layer.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user_id: i64,
    pub tenant_id: i64,
    pub tenant_name: String,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub must_change_password: bool,
    /// Notifications not yet read, counted by the session check itself (for the header).
    pub unread_notifications: i64,
    /// The tenant's catalog version when the session was checked (see `TenantTx::catalog_version`).
    pub catalog_version: i64,
    pub csrf_token: String,
    pub session_hash: Vec<u8>,
    pub ip: String,
    /// The request's tenant transaction; only the session layer puts one here.
    pub(crate) request_db: Option<session::RequestDb>,
}

impl CurrentUser {
    /// The request's transaction, bound to this user's tenant by the session check.
    pub async fn db(&self) -> sqlx::Result<crate::db::TenantTx> {
        match &self.request_db {
            Some(r) => r.take().await,
            None => Err(sqlx::Error::PoolClosed),
        }
    }

    /// For a page that only reads: on a GET, the connection the session check bound to the
    /// tenant, without a transaction (one round trip fewer at each end). Nothing written
    /// through it is undone by an error that follows, so a handler that writes uses `db`;
    /// `tests/it/statements.rs` fails if a page it counts writes outside a transaction.
    pub async fn read(&self) -> sqlx::Result<crate::db::TenantTx> {
        match &self.request_db {
            Some(r) => r.take_for_reading().await,
            None => Err(sqlx::Error::PoolClosed),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .ok_or_else(|| AppError::Unauthenticated {
                next: parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default(),
            })
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<CurrentUser>().cloned())
    }
}
