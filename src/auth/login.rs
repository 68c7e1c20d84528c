//! The mechanics of a login after the throttle let it through: the password check, which runs
//! to its end even when the client hangs up, and the new session with its cookies.

use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};

use crate::AppState;
use crate::auth::session::{self, PRE_CSRF_COOKIE, SESSION_COOKIE};
use crate::auth::throttle::Verdict;
use crate::auth::{password, store, throttle};
use crate::db::TenantTx;

pub enum Admit {
    /// Locked for this account and address until then: no hash is computed.
    Locked(DateTime<Utc>),
    /// On to the password check: the account the username names (tenant, user), if any, and
    /// what the throttle decided for a wrong password.
    Go(Option<(i64, i64)>, Verdict),
}

/// The throttle, before the (deliberately slow) hash and the same for unknown usernames. An
/// account under attack from many addresses is slower from addresses its owner has not used,
/// never refused: nothing is held while waiting, and a client that hangs up ends it.
pub async fn admit(st: &AppState, username: &str, ip: &str) -> anyhow::Result<Admit> {
    let counters = throttle::counters(st.db.login(), username, ip).await?;
    let found = store::find_login(st.db.login(), username).await?;
    let verdict = throttle::decide(
        Utc::now(),
        &counters,
        found.is_some(),
        st.web.login_slow_cap,
    );
    if let Some(until) = verdict.locked_until {
        throttle::note_refused(username, ip);
        return Ok(Admit::Locked(until));
    }
    if !verdict.delay.is_zero() {
        tokio::time::sleep(verdict.delay).await;
    }
    Ok(Admit::Go(found, verdict))
}

pub enum Checked {
    /// Every hashing slot is taken: the user is asked to try again in a moment.
    Busy,
    Wrong,
    Right {
        tenant_id: i64,
        user_id: i64,
        must_change_password: bool,
    },
}

/// Checks the password of `found` (the account the username names, if any). An unknown
/// username is hashed against nothing, so it takes as long as a known one.
pub async fn check(
    st: &AppState,
    username: &str,
    ip: &str,
    typed: String,
    found: Option<(i64, i64)>,
) -> anyhow::Result<Checked> {
    let creds = match found {
        Some((tenant_id, user_id)) => {
            let mut tx = TenantTx::begin(st.db.login(), tenant_id).await?;
            let c = store::credentials(&mut tx, tenant_id, user_id).await?;
            tx.commit().await?;
            c.map(|c| (tenant_id, user_id, c))
        }
        None => None,
    };
    let Ok(permit) = st.hashing.permit().await else {
        return Ok(Checked::Busy);
    };
    // From here the check runs to its end in a task of its own, even if the client hangs up:
    // the hash holds its permit until done, and its failure is recorded, or a flood of
    // abandoned attempts would never engage the throttle.
    let stored = creds.as_ref().map(|(_, _, c)| c.password_hash.clone());
    let enabled = creds.as_ref().is_some_and(|(_, _, c)| !c.disabled);
    let (pool, who, from) = (st.db.login().clone(), username.to_string(), ip.to_string());
    let ok = tokio::spawn(async move {
        let ok = password::verify(permit, typed, stored).await? && enabled;
        if !ok {
            throttle::record(&pool, &who, &from, false).await?;
        }
        anyhow::Ok(ok)
    })
    .await??;
    Ok(match creds.filter(|_| ok) {
        Some((tenant_id, user_id, c)) => Checked::Right {
            tenant_id,
            user_id,
            must_change_password: c.must_change_password,
        },
        None => Checked::Wrong,
    })
}

/// A new session id at every login; the one the browser brought (if any) ends, in whichever
/// tenant it lives. Returns the new session's token.
pub async fn open_session(
    st: &AppState,
    headers: &HeaderMap,
    ip: &str,
    (tenant_id, user_id): (i64, i64),
    username: &str,
) -> anyhow::Result<String> {
    let token = session::random_token();
    let mut tx = TenantTx::begin(st.db.login(), tenant_id).await?;
    if let Some(old) = session::cookie_value(headers, SESSION_COOKIE) {
        // Possibly another tenant's session, which this transaction cannot see.
        store::end_presented_session(&mut tx, &session::hash_token(&old)).await?;
    }
    let user_agent = session::user_agent(headers);
    store::insert_session(
        &mut tx,
        &store::NewSession {
            tenant_id,
            user_id,
            token_hash: &session::hash_token(&token),
            csrf_token: &session::random_token(),
            ip,
            user_agent: &user_agent,
        },
        st.web.max_sessions_per_user,
    )
    .await?;
    tx.commit().await?;
    throttle::record(st.db.login(), username, ip, true).await?;
    Ok(token)
}

/// The answer to a successful login: on to `target` with the session's cookie.
pub fn signed_in(st: &AppState, token: &str, target: &str) -> Response {
    let mut resp = Redirect::to(target).into_response();
    let h = resp.headers_mut();
    h.append(
        header::SET_COOKIE,
        session::set_cookie(SESSION_COOKIE, token, st.web.secure_cookies),
    );
    h.append(
        header::SET_COOKIE,
        session::clear_cookie(PRE_CSRF_COOKIE, st.web.secure_cookies),
    );
    resp
}
