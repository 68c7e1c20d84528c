//! thidua: emulation clusters (cụm, khối thi đua) from pledge to award proposal.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod awards;
pub mod certificates;
pub mod config;
pub mod cycle;
pub mod db;
pub mod decisions;
pub mod demo;
pub mod error;
pub mod exchange;
pub mod files;
pub mod home;
pub mod import;
pub mod mail;
pub mod national;
pub mod notify;
pub mod org;
pub mod proposals;
pub mod reports;
pub mod scoring;
pub mod settings;
pub mod statistics;
pub mod voting;
pub mod web;
pub mod yearend;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use sqlx::PgPool;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use web::routes::Routes;

use crate::config::WebConfig;

#[derive(Clone)]
pub struct AppState {
    pub db: db::AppDb,
    pub web: Arc<WebConfig>,
    /// Bounds concurrent password hashes (login, password change).
    pub hashing: auth::password::HashGate,
    /// The private PostgreSQL server's state, when thidua runs one.
    pub db_health: Option<db::embedded::DbHealth>,
    /// Open while the database is unreachable: requests get a 503 at once.
    pub breaker: db::breaker::Breaker,
}

impl AppState {
    pub fn new(pool: PgPool, web: WebConfig) -> AppState {
        AppState {
            db: db::AppDb::new(pool),
            web: Arc::new(web),
            hashing: auth::password::HashGate::for_this_machine(),
            db_health: None,
            breaker: db::breaker::Breaker::default(),
        }
    }

    /// Requests are answered by a fast 503 while the private server is down.
    pub fn with_db_health(mut self, health: db::embedded::DbHealth) -> AppState {
        self.db_health = Some(health);
        self
    }
}

/// Form and import bodies above this are refused; evidence uploads have their own, larger limit.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;
/// No request body at all may exceed this.
pub const UPLOAD_LIMIT: usize = 11 * 1024 * 1024;

/// Every page and action of the application, with its (method, path) table.
pub fn routes() -> Routes {
    Routes::new()
        .merge(home::routes())
        .get("/login", auth::handlers::login_form)
        .post("/login", auth::handlers::login)
        .post("/logout", auth::handlers::logout)
        .get("/password", auth::handlers::password_form)
        .post("/password", auth::handlers::change_password)
        .merge(auth::sessions::routes())
        .get("/static/{name}", web::static_file)
        .get("/favicon.ico", web::favicon)
        .get("/healthz", healthz)
        .get("/readyz", readyz)
        .get("/audit", audit::handlers::list)
        .merge(org::routes())
        .merge(import::routes())
        .merge(cycle::routes())
        .merge(scoring::routes())
        .merge(voting::routes())
        .merge(proposals::routes())
        .merge(decisions::routes())
        .merge(reports::routes())
        .merge(exchange::routes())
        .merge(settings::routes())
        .merge(statistics::routes())
        .merge(yearend::routes())
        .merge(certificates::routes())
        .merge(notify::routes())
        .merge(mail::routes())
}

pub fn router(state: AppState) -> Router {
    let timeout = state.web.request_timeout;
    let pages = routes()
        .into_router()
        .fallback(|| async { error::not_found() })
        .layer(from_fn_with_state(state.clone(), web::csrf::protect))
        .layer(from_fn_with_state(state.clone(), auth::session::resolve))
        .layer(axum::middleware::from_fn(web::input::clean_forms))
        .layer(from_fn_with_state(state.clone(), db_down_fast));

    let x_request_id = HeaderName::from_static("x-request-id");
    pages
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(
                    x_request_id.clone(),
                    MakeRequestUuid,
                ))
                .layer(
                    TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                        let id = req
                            .extensions()
                            .get::<RequestId>()
                            .and_then(|r| r.header_value().to_str().ok())
                            .unwrap_or("-");
                        // Tenant and user are filled in once the session is known.
                        tracing::info_span!(
                            "request",
                            id,
                            method = %req.method(),
                            path = %req.uri().path(),
                            tenant = tracing::field::Empty,
                            user = tracing::field::Empty,
                        )
                    }),
                )
                .layer(axum::middleware::from_fn(web::request_id::scope))
                .layer(PropagateRequestIdLayer::new(x_request_id))
                .layer(axum::middleware::map_response(
                    web::input::plain_errors_in_vietnamese,
                ))
                .layer(CatchPanicLayer::custom(|_| {
                    error::AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()
                }))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    timeout,
                ))
                .layer(DefaultBodyLimit::max(BODY_LIMIT))
                .layer(RequestBodyLimitLayer::new(UPLOAD_LIMIT))
                .layer(SetResponseHeaderLayer::overriding(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(web::CSP),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::REFERRER_POLICY,
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::X_FRAME_OPTIONS,
                    HeaderValue::from_static("DENY"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-store"),
                )),
        )
        .with_state(state)
}

/// While the private PostgreSQL server is down, or the breaker is open, every page gets a
/// Vietnamese 503 at once instead of waiting for a connection that cannot come. A request that
/// finds the database unreachable opens the breaker.
async fn db_down_fast(
    State(st): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let down = st.breaker.is_open()
        || st
            .db_health
            .as_ref()
            .is_some_and(|h| h.state() != db::embedded::DbState::Up);
    let path = req.uri().path();
    if down && path != "/healthz" && !path.starts_with("/static/") {
        return error::db_unavailable();
    }
    let res = next.run(req).await;
    if res.extensions().get::<error::DbUnreachable>().is_some() {
        st.breaker.trip(&st.db);
    }
    res
}

/// 200 while the process can serve; 503 while its private PostgreSQL server is down or the
/// breaker finds the database unreachable, so a supervisor or load balancer notices.
async fn healthz(State(st): State<AppState>) -> impl IntoResponse {
    if st.breaker.is_open() {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unreachable");
    }
    match st.db_health.as_ref().map(|h| h.state()) {
        None | Some(db::embedded::DbState::Up) => (StatusCode::OK, "ok"),
        Some(db::embedded::DbState::Restarting) => {
            (StatusCode::SERVICE_UNAVAILABLE, "database restarting")
        }
        Some(db::embedded::DbState::Failed) => (StatusCode::SERVICE_UNAVAILABLE, "database failed"),
    }
}

async fn readyz(State(st): State<AppState>) -> axum::response::Response {
    // SELECT 1 is not enough with several nodes: in a planned switchover the old primary comes
    // back as a standby, the pool reconnects to it, and only the next write would fail. A node
    // in recovery is not ready, and the breaker's probe (opened here) moves the pool to the
    // primary before a user's form meets the standby.
    let ping = tokio::time::timeout(
        std::time::Duration::from_secs(3),
        sqlx::query_scalar::<_, bool>("SELECT pg_is_in_recovery()").fetch_one(st.db.health()),
    )
    .await;
    match ping {
        Ok(Ok(false)) => (StatusCode::OK, "ready").into_response(),
        Ok(Ok(true)) => {
            let mut r = (StatusCode::SERVICE_UNAVAILABLE, "database is a standby").into_response();
            r.extensions_mut().insert(error::DbUnreachable);
            r
        }
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response(),
    }
}
