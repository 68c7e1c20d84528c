//! Server-side sessions: a random cookie whose SHA-256 names a row in `sessions`.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::{CurrentUser, Role, store};
use std::sync::{Arc, Mutex};

use crate::db::{AppDb, TenantTx};
use crate::error::AppError;

pub const SESSION_COOKIE: &str = "thidua_session";
/// Anti-forgery token for forms shown before login (double-submit).
pub const PRE_CSRF_COOKIE: &str = "thidua_csrf";

/// The client's address, resolved once per request.
#[derive(Clone, Debug)]
pub struct ClientIp(pub String);

/// 256 random bits, hex-encoded.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

pub fn hash_token(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The browser's own description, as much as a page needs to tell sessions apart: printable
/// characters only, at most 300.
pub fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() && !crate::web::upload::is_format_char(*c))
        .take(300)
        .collect()
}

pub fn set_cookie(name: &str, value: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}"
    ))
    .expect("cookie is ASCII")
}

pub fn clear_cookie(name: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"
    ))
    .expect("cookie is ASCII")
}

/// Resolves the session cookie into a `CurrentUser` (or nothing) for every request, ends
/// sessions that are idle, too old or belong to a disabled account, and sends users who must
/// change their password to that page first.
///
/// A logged-in request gets one transaction, bound to its tenant by the same statement that
/// checked the session; handlers take it with `CurrentUser::db`. A request body is read in
/// full before the transaction begins, so a slow client never holds a database connection.
pub async fn resolve(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/static/") || path == "/healthz" || path == "/readyz" {
        return next.run(req).await;
    }
    let ip = crate::web::client_ip(&req, st.web.trust_proxy);
    let Some(token) = cookie_value(req.headers(), SESSION_COOKIE) else {
        let mut req = req;
        req.extensions_mut().insert(ClientIp(ip));
        return next.run(req).await;
    };
    // Bounded before the body is read: the reading is what takes the memory. The place is
    // held until the answer is made.
    let _upload = if crate::web::upload::is_upload(req.headers()) {
        match st.web.uploads.try_enter() {
            Some(place) => Some(place),
            None => return crate::web::upload::busy(),
        }
    } else {
        None
    };
    let mut req = match buffer_body(req).await {
        Ok(req) => req,
        Err(resp) => return resp,
    };
    req.extensions_mut().insert(ClientIp(ip.clone()));

    // A GET or HEAD starts without a transaction (see `AppDb::pages`): its handler either
    // reads (`CurrentUser::read`) or asks for a transaction on the same connection.
    let reading = matches!(*req.method(), Method::GET | Method::HEAD);
    let opened = match open(&st, &token, &ip, reading).await {
        Ok(opened) => opened,
        Err(e) => return AppError::Internal(e.into()).into_response(),
    };
    let (user, slot) = match opened {
        Opened::User(user, slot) => (*user, slot),
        Opened::Ended(tx) => {
            if let Err(e) = tx.commit().await {
                return AppError::Internal(e.into()).into_response();
            }
            let mut resp = next.run(req).await;
            if !resp.headers().contains_key(header::SET_COOKIE) {
                resp.headers_mut().append(
                    header::SET_COOKIE,
                    clear_cookie(SESSION_COOKIE, st.web.secure_cookies),
                );
            }
            return resp;
        }
    };
    // The request's log span (see `router`) learns whose request it is.
    let span = tracing::Span::current();
    span.record("tenant", user.tenant_id);
    span.record("user", user.user_id);
    if user.must_change_password && path != "/password" && path != "/logout" {
        let _ = slot.finish().await;
        return if req.method() == Method::GET {
            Redirect::to("/password").into_response()
        } else {
            AppError::Forbidden.into_response()
        };
    }
    req.extensions_mut().insert(user);
    let resp = next.run(req).await;
    // A handler that never took the transaction still commits the session's touch.
    if let Err(e) = slot.finish().await {
        return AppError::Internal(e.into()).into_response();
    }
    resp
}

/// Reads a request's body into memory (within the upload limit) so that the transaction that
/// follows is not held open while a client sends slowly.
async fn buffer_body(req: Request) -> Result<Request, Response> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(req);
    }
    let (parts, body) = req.into_parts();
    let stated = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse().ok());
    match crate::web::upload::read_body(body, stated, crate::UPLOAD_LIMIT).await {
        Some(bytes) => Ok(Request::from_parts(parts, axum::body::Body::from(bytes))),
        None => Err(axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response()),
    }
}

enum Opened {
    User(Box<CurrentUser>, RequestDb),
    /// No live session: the transaction holds the deletion of an expired one, if any.
    Ended(TenantTx),
}

async fn open(st: &AppState, token: &str, ip: &str, reading: bool) -> sqlx::Result<Opened> {
    let hash = hash_token(token);
    let check = |whole_connection: bool| {
        sqlx::query_as::<_, store::OpenedSession>("SELECT * FROM app_open_request($1, $2, $3, $4)")
            .bind(hash.clone())
            .bind(st.web.session_idle.num_seconds())
            .bind(st.web.session_max.num_seconds())
            .bind(whole_connection)
    };
    let (row, tx) = if reading {
        let mut conn = st.db.pages().acquire().await?;
        match check(true).fetch_optional(&mut *conn).await? {
            Some(row) if !row.needs_write => {
                let tx =
                    TenantTx::bound_for_reading(conn, row.tenant_id, row.catalog_version, &st.db);
                (Some(row), tx)
            }
            // Once a minute a session is touched, and an ended one is deleted: the check
            // then runs again the writing way, and the page with it.
            Some(_) => {
                let mut tx = crate::db::begin_read_write(conn).await?;
                let row = check(false).fetch_optional(&mut *tx).await?;
                let tenant = row.as_ref().map_or(0, |r| r.tenant_id);
                (row, TenantTx::bound(tx, tenant, &st.db))
            }
            None => (None, TenantTx::bound_for_reading(conn, 0, 0, &st.db)),
        }
    } else {
        let mut tx = st.db.sessions().begin().await?;
        let row = check(false).fetch_optional(&mut *tx).await?;
        let tenant = row.as_ref().map_or(0, |r| r.tenant_id);
        (row, TenantTx::bound(tx, tenant, &st.db))
    };
    let Some(row) = row else {
        return Ok(Opened::Ended(tx));
    };
    let Some(role) = Role::parse(&row.role) else {
        return Ok(Opened::Ended(tx));
    };
    let slot = RequestDb::new(tx, st.db.clone());
    Ok(Opened::User(
        Box::new(CurrentUser {
            user_id: row.user_id,
            tenant_id: row.tenant_id,
            tenant_name: row.tenant_name,
            username: row.username,
            full_name: row.full_name,
            role,
            unit_id: row.unit_id,
            unit_name: row.unit_name,
            must_change_password: row.must_change_password,
            unread_notifications: row.unread_notifications,
            catalog_version: row.catalog_version,
            csrf_token: row.csrf_token,
            session_hash: hash,
            ip: ip.to_string(),
            request_db: Some(slot.clone()),
        }),
        slot,
    ))
}

/// The request's tenant transaction, waiting for the handler to take it.
#[derive(Clone)]
pub struct RequestDb {
    slot: Arc<Mutex<Option<TenantTx>>>,
    tenant_id: i64,
    db: AppDb,
}

impl std::fmt::Debug for RequestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestDb")
            .field("tenant_id", &self.tenant_id)
            .finish_non_exhaustive()
    }
}

impl RequestDb {
    fn new(tx: TenantTx, db: AppDb) -> RequestDb {
        RequestDb {
            tenant_id: tx.tenant_id(),
            slot: Arc::new(Mutex::new(Some(tx))),
            db,
        }
    }

    /// The request's transaction the first time; a handler that needs a second one (after
    /// committing the first) gets a new transaction bound to the same tenant.
    pub(crate) async fn take(&self) -> sqlx::Result<TenantTx> {
        let taken = self.slot.lock().expect("request db lock").take();
        match taken {
            Some(tx) => tx.into_transaction().await,
            None => TenantTx::begin(self.db.sessions(), self.tenant_id).await,
        }
    }

    /// The request's connection as the session check left it: without a transaction on a
    /// GET, in one otherwise.
    pub(crate) async fn take_for_reading(&self) -> sqlx::Result<TenantTx> {
        let taken = self.slot.lock().expect("request db lock").take();
        match taken {
            Some(tx) => Ok(tx),
            None => TenantTx::begin(self.db.sessions(), self.tenant_id).await,
        }
    }

    async fn finish(&self) -> sqlx::Result<()> {
        let left = self.slot.lock().expect("request db lock").take();
        match left {
            Some(tx) => tx.commit().await,
            None => Ok(()),
        }
    }
}
