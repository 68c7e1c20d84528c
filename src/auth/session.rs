//! Server-side sessions: a random cookie whose SHA-256 names a row in `sessions`.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::{CurrentUser, Role, store};
use crate::db::tenant_tx;
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
pub async fn resolve(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/static/") || path == "/healthz" || path == "/readyz" {
        return next.run(req).await;
    }
    let ip = crate::web::client_ip(&req, st.web.trust_proxy);
    req.extensions_mut().insert(ClientIp(ip.clone()));

    let mut clear = false;
    if let Some(token) = cookie_value(req.headers(), SESSION_COOKIE) {
        match load(&st, &token, &ip).await {
            Ok(Some(user)) => {
                if user.must_change_password && path != "/password" && path != "/logout" {
                    return if req.method() == Method::GET {
                        Redirect::to("/password").into_response()
                    } else {
                        AppError::Forbidden.into_response()
                    };
                }
                req.extensions_mut().insert(user);
            }
            Ok(None) => clear = true,
            Err(e) => return AppError::Internal(e.into()).into_response(),
        }
    }
    let mut resp = next.run(req).await;
    if clear && !resp.headers().contains_key(header::SET_COOKIE) {
        resp.headers_mut().append(
            header::SET_COOKIE,
            clear_cookie(SESSION_COOKIE, st.web.secure_cookies),
        );
    }
    resp
}

async fn load(st: &AppState, token: &str, ip: &str) -> sqlx::Result<Option<CurrentUser>> {
    let hash = hash_token(token);
    let Some((tenant_id, user_id)) = store::find_session(&st.pool, &hash).await? else {
        return Ok(None);
    };
    let mut tx = tenant_tx(&st.pool, tenant_id).await?;
    let Some(row) = store::session_row(&mut tx, tenant_id, &hash).await? else {
        return Ok(None);
    };
    let now = Utc::now();
    let expired =
        now - row.last_seen_at > st.web.session_idle || now - row.created_at > st.web.session_max;
    let role = Role::parse(&row.role);
    if expired || row.disabled || role.is_none() {
        store::delete_session(&mut tx, tenant_id, &hash).await?;
        tx.commit().await?;
        return Ok(None);
    }
    // Writing on every request would make every page a write; a minute's precision is enough.
    if now - row.last_seen_at > chrono::Duration::seconds(60) {
        store::touch_session(&mut tx, tenant_id, &hash).await?;
    }
    tx.commit().await?;
    Ok(Some(CurrentUser {
        user_id,
        tenant_id,
        tenant_name: row.tenant_name,
        username: row.username,
        full_name: row.full_name,
        role: role.expect("checked above"),
        unit_id: row.unit_id,
        unit_name: row.unit_name,
        must_change_password: row.must_change_password,
        csrf_token: row.csrf_token,
        session_hash: hash,
        ip: ip.to_string(),
    }))
}
