//! The yardstick of `bench/pages.sh`: the smallest axum + sqlx + askama server that does what
//! every thidua page does at its core, so that thidua's page rates can be read as a share of
//! what this machine and these crate versions can do at all.
//!
//! It is TechEmpower's "Fortunes": one GET route that fetches a 12-row table through a sqlx
//! pool, adds one row, sorts by message and renders an HTML table (with escaping) through one
//! askama template. No session, no middleware, no row-level security, no transaction.
//!
//! ```sh
//! DATABASE_URL='postgres://thidua@localhost:5432/yardstick?host=/tmp/thidua-pg-…' \
//!     cargo run --release --example yardstick -- 127.0.0.1:18180
//! ```
//!
//! Environment: `DATABASE_URL` (required; the database must exist, the table is created),
//! `YARDSTICK_POOL` (pool size, default 16 like `thidua serve --db-pool`). The one argument is
//! the address to listen on (default 127.0.0.1:18180). SIGINT or SIGTERM stops it.

use std::net::SocketAddr;

use anyhow::{Context, Result};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

/// TechEmpower's twelve fortunes, markup and all: the template must escape them.
const FORTUNES: &[&str] = &[
    "fortune: No such file or directory",
    "A computer scientist is someone who fixes things that aren't broken.",
    "After enough decimal places, nobody gives a damn.",
    "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
    "A computer program does what you tell it to do, not what you want it to do.",
    "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
    "Any program that runs right is obsolete.",
    "A list is only as strong as its weakest link. — Donald Knuth",
    "Feature: A bug with seniority.",
    "Computers make very fast, very accurate mistakes.",
    "<script>alert(\"This should not be displayed in a browser alert box.\");</script>",
    "フレームワークのベンチマーク",
];

struct Fortune {
    id: i32,
    message: String,
}

#[derive(Template)]
#[template(
    ext = "html",
    source = "<!DOCTYPE html>\
<html><head><title>Fortunes</title></head><body><table>\
<tr><th>id</th><th>message</th></tr>\
{% for f in fortunes %}<tr><td>{{ f.id }}</td><td>{{ f.message }}</td></tr>{% endfor %}\
</table></body></html>"
)]
struct FortunesPage {
    fortunes: Vec<Fortune>,
}

async fn fortunes(State(pool): State<PgPool>) -> Response {
    let rows: Vec<(i32, String)> = match sqlx::query_as("SELECT id, message FROM fortune")
        .fetch_all(&pool)
        .await
    {
        Ok(rows) => rows,
        Err(e) => return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    };
    let mut fortunes: Vec<Fortune> = rows
        .into_iter()
        .map(|(id, message)| Fortune { id, message })
        .collect();
    fortunes.push(Fortune {
        id: 0,
        message: "Additional fortune added at request time.".to_string(),
    });
    fortunes.sort_by(|a, b| a.message.cmp(&b.message));
    match (FortunesPage { fortunes }).render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// Makes the table hold exactly the twelve fortunes, whatever an earlier run left.
async fn seed(pool: &PgPool) -> Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS fortune (id integer PRIMARY KEY, message text NOT NULL)",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query("TRUNCATE fortune").execute(&mut *tx).await?;
    for (n, message) in FORTUNES.iter().enumerate() {
        sqlx::query("INSERT INTO fortune (id, message) VALUES ($1, $2)")
            .bind(n as i32 + 1)
            .bind(message)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = term.recv() => {},
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let url = std::env::var("DATABASE_URL").context("set DATABASE_URL")?;
    let pool_size: u32 = match std::env::var("YARDSTICK_POOL") {
        Ok(v) => v.parse().context("YARDSTICK_POOL is not a number")?,
        Err(_) => 16,
    };
    let bind: SocketAddr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18180".to_string())
        .parse()
        .context("the argument is not an address such as 127.0.0.1:18180")?;

    let pool = PgPoolOptions::new()
        .max_connections(pool_size)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect(&url)
        .await
        .context("cannot connect to DATABASE_URL")?;
    seed(&pool)
        .await
        .context("cannot create the fortune table")?;

    let app = Router::new()
        .route("/fortunes", get(fortunes))
        .with_state(pool.clone());
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    println!("yardstick listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    pool.close().await;
    Ok(())
}
