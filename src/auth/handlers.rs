//! Login, logout and changing one's own password.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::AppState;
use crate::audit::Actor;
use crate::auth::login::{self, Admit, Checked};
use crate::auth::session::{self, ClientIp, PRE_CSRF_COOKIE, SESSION_COOKIE};
use crate::auth::throttle;
use crate::auth::{CurrentUser, password, store};
use crate::error::AppResult;
use crate::web::layout::Layout;

const BAD_LOGIN: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";
const BUSY_PASSWORD: &str = "Hệ thống đang bận kiểm tra mật khẩu. Hãy thử lại sau vài giây.";
const BUSY: &str =
    "Hệ thống đang bận xử lý nhiều lượt đăng nhập cùng lúc. Hãy thử lại sau vài giây.";

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    l: Layout,
    csrf: String,
    username: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only paths on this site, so the login form cannot be used to send users elsewhere. Browsers
/// drop tabs and line breaks from a URL and read `\\` as `/`, so `/\t/evil.example` would be
/// `//evil.example`, another site: any control character, whitespace or backslash, or a second
/// leading slash, and the user goes to the home page instead.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() <= 2048
                && !n
                    .chars()
                    .any(|c| c.is_control() || c.is_whitespace() || c == '\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

fn login_page(
    st: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    username: String,
    next: String,
    error: Option<String>,
) -> AppResult<Response> {
    let existing = session::cookie_value(headers, PRE_CSRF_COOKIE);
    let csrf = existing.clone().unwrap_or_else(session::random_token);
    let page = LoginPage {
        l: Layout::anonymous("Đăng nhập"),
        csrf: csrf.clone(),
        username,
        next,
        error,
    };
    let mut resp = (status, Html(page.render()?)).into_response();
    if existing.is_none() {
        resp.headers_mut().append(
            header::SET_COOKIE,
            session::set_cookie(PRE_CSRF_COOKIE, &csrf, st.web.secure_cookies),
        );
    }
    Ok(resp)
}

/// Too many password checks at once: a fast answer that asks to try again, the username kept.
fn busy_login_page(
    st: &AppState,
    headers: &HeaderMap,
    username: String,
    next: String,
) -> AppResult<Response> {
    let mut resp = login_page(
        st,
        headers,
        StatusCode::SERVICE_UNAVAILABLE,
        username,
        next,
        Some(BUSY.into()),
    )?;
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    Ok(resp)
}

/// The lock page: how long to wait, in whole minutes, the username kept.
fn locked_login_page(
    st: &AppState,
    headers: &HeaderMap,
    until: chrono::DateTime<Utc>,
    username: String,
    next: String,
) -> AppResult<Response> {
    let minutes = ((until - Utc::now()).num_seconds().max(1) + 59) / 60;
    let msg = format!(
        "Đăng nhập sai quá nhiều lần nên tạm thời bị khóa. Hãy thử lại sau khoảng {minutes} phút."
    );
    login_page(
        st,
        headers,
        StatusCode::TOO_MANY_REQUESTS,
        username,
        next,
        Some(msg),
    )
}

/// Behind a flooded address a wrong password reads like the lock an unknown username gets, so
/// the flood cannot sort usernames into existing and not.
fn wrong_password(
    st: &AppState,
    headers: &HeaderMap,
    lock: Option<DateTime<Utc>>,
    shown_username: String,
    next: String,
) -> AppResult<Response> {
    match lock {
        Some(until) => locked_login_page(st, headers, until, shown_username, next),
        None => login_page(
            st,
            headers,
            StatusCode::UNAUTHORIZED,
            shown_username,
            next,
            Some(BAD_LOGIN.into()),
        ),
    }
}

pub async fn login_form(
    State(st): State<AppState>,
    user: Option<CurrentUser>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> AppResult<Response> {
    if user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    login_page(
        &st,
        &headers,
        StatusCode::OK,
        String::new(),
        safe_next(q.next.as_deref()),
        None,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(st): State<AppState>,
    axum::Extension(ClientIp(ip)): axum::Extension<ClientIp>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> AppResult<Response> {
    let username = f.username.trim().to_lowercase();
    let next = safe_next(f.next.as_deref());
    let shown_username = f.username.chars().take(64).collect::<String>();
    if username.is_empty() || f.password.is_empty() {
        let msg = "Hãy nhập tên đăng nhập và mật khẩu.".to_string();
        return login_page(
            &st,
            &headers,
            StatusCode::UNPROCESSABLE_ENTITY,
            shown_username,
            next,
            Some(msg),
        );
    }
    let username: String = username.chars().take(64).collect();

    let (found, verdict) = match login::admit(&st, &username, &ip).await? {
        Admit::Locked(until) => {
            return locked_login_page(&st, &headers, until, shown_username, next);
        }
        Admit::Go(found, verdict) => (found, verdict),
    };
    let (tenant_id, user_id, must_change) =
        match login::check(&st, &username, &ip, f.password, found).await? {
            Checked::Busy => return busy_login_page(&st, &headers, shown_username, next),
            Checked::Right {
                tenant_id,
                user_id,
                must_change_password,
            } => (tenant_id, user_id, must_change_password),
            Checked::Wrong => {
                let lock = verdict.wrong_locks_until;
                return wrong_password(&st, &headers, lock, shown_username, next);
            }
        };
    let token = login::open_session(&st, &headers, &ip, (tenant_id, user_id), &username).await?;
    let target = if must_change {
        "/password".to_string()
    } else {
        next
    };
    Ok(login::signed_in(&st, &token, &target))
}

pub async fn logout(State(st): State<AppState>, user: Option<CurrentUser>) -> AppResult<Response> {
    if let Some(u) = user {
        let mut tx = u.db().await?;
        store::delete_session(&mut tx, &u.session_hash).await?;
        tx.commit().await?;
    }
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        session::clear_cookie(SESSION_COOKIE, st.web.secure_cookies),
    );
    Ok(resp)
}

#[derive(Template)]
#[template(path = "auth/password.html")]
struct PasswordPage {
    l: Layout,
    forced: bool,
    errors: PasswordErrors,
}

#[derive(Default)]
struct PasswordErrors {
    current: Option<&'static str>,
    new: Option<&'static str>,
    confirm: Option<&'static str>,
}

impl PasswordErrors {
    fn any(&self) -> bool {
        self.current.is_some() || self.new.is_some() || self.confirm.is_some()
    }
}

fn password_page(
    u: &CurrentUser,
    status: StatusCode,
    errors: PasswordErrors,
) -> AppResult<Response> {
    let page = PasswordPage {
        l: Layout::for_user(u, "Đổi mật khẩu", "password"),
        forced: u.must_change_password,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn password_form(u: CurrentUser) -> AppResult<Response> {
    password_page(&u, StatusCode::OK, PasswordErrors::default())
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// Every hashing slot is taken: try again in a moment, nothing typed is lost but the passwords.
fn busy_password_page(u: &CurrentUser, errors: PasswordErrors) -> AppResult<Response> {
    let mut resp = password_page(u, StatusCode::SERVICE_UNAVAILABLE, errors)?;
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
    Ok(resp)
}

pub async fn change_password(
    State(st): State<AppState>,
    u: CurrentUser,
    Form(f): Form<PasswordForm>,
) -> AppResult<Response> {
    let mut errors = PasswordErrors {
        new: password::check_new(&f.new, &u.username),
        ..Default::default()
    };
    if f.confirm != f.new {
        errors.confirm = Some("Mật khẩu nhập lại không khớp.");
    }
    if f.new == f.current && errors.new.is_none() {
        errors.new = Some("Mật khẩu mới phải khác mật khẩu hiện tại.");
    }
    let mut tx = u.db().await?;
    let stored = store::credentials(&mut tx, u.tenant_id, u.user_id)
        .await?
        .map(|c| c.password_hash);
    tx.commit().await?;
    // Guessing the current password with a stolen session is guessing a login: the same
    // throttle and the same record, under the account's username (issue 12, item 10).
    let counters = throttle::counters(st.db.login(), &u.username, &u.ip).await?;
    let verdict = throttle::decide(Utc::now(), &counters, true, st.web.login_slow_cap);
    if verdict.locked_until.is_some() {
        throttle::note_refused(&u.username, &u.ip);
        errors.current = Some(
            "Mật khẩu hiện tại bị nhập sai quá nhiều lần nên tạm thời bị khóa. Hãy thử lại sau ít phút.",
        );
        return password_page(&u, StatusCode::TOO_MANY_REQUESTS, errors);
    }
    let Ok(permit) = st.hashing.permit().await else {
        errors.current = Some(BUSY_PASSWORD);
        return busy_password_page(&u, errors);
    };
    let current_ok = !f.current.is_empty() && password::verify(permit, f.current, stored).await?;
    if !current_ok {
        throttle::record(st.db.login(), &u.username, &u.ip, false).await?;
        errors.current = Some("Mật khẩu hiện tại không đúng.");
    }
    if errors.any() {
        return password_page(&u, StatusCode::UNPROCESSABLE_ENTITY, errors);
    }

    let Ok(permit) = st.hashing.permit().await else {
        errors.new = Some(BUSY_PASSWORD);
        return busy_password_page(&u, errors);
    };
    let hash = password::hash_under(permit, f.new).await?;
    let mut tx = u.db().await?;
    store::set_password(&mut tx, &Actor::user(&u), u.user_id, &hash, false).await?;
    // Anyone else holding this account's sessions (another browser, a thief) is logged out.
    store::delete_user_sessions(&mut tx, u.user_id, Some(&u.session_hash)).await?;
    tx.commit().await?;
    Ok(Redirect::to("/?password_changed=1").into_response())
}
