//! Pages that only read run without a transaction, on connections the session check binds to
//! the tenant for the whole connection (migration 0047, `CurrentUser::read`). What must hold:
//! the check never leaves a tenant bound for whoever uses the connection next, it writes
//! nothing on those read-only connections, and sessions are still touched and ended.

use sha2::{Digest, Sha256};
use sqlx::{Connection, PgConnection};

use crate::harness::{TestApp, app_options};

/// The check as the session layer calls it on a pages connection: (tenant, needs_write).
async fn check(conn: &mut PgConnection, hash: &[u8]) -> Option<(i64, bool)> {
    sqlx::query_as("SELECT tenant_id, needs_write FROM app_open_request($1, 1800, 43200, true)")
        .bind(hash)
        .fetch_optional(conn)
        .await
        .unwrap()
}

/// Units this connection can see now, and the tenant bound to it.
async fn seen(conn: &mut PgConnection) -> (i64, String) {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM units), coalesce(current_setting('app.tenant_id', true), '')",
    )
    .fetch_one(conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_session_check_never_leaves_a_tenant_bound_for_the_next_use() {
    let app = TestApp::start().await;
    let c = app.login("canbo.thads-ls").await;
    let token = c
        .cookie(thidua::auth::session::SESSION_COOKIE)
        .expect("a session cookie");
    let hash = Sha256::digest(token.as_bytes()).to_vec();
    // A connection like the app's pages pool: the app's role, read-only by default.
    let mut conn = PgConnection::connect_with(
        &app_options(&app.options).options([("default_transaction_read_only", "on")]),
    )
    .await
    .unwrap();
    let tenant = app
        .scalar_i64("SELECT tenant_id FROM users WHERE username = 'canbo.thads-ls'")
        .await;

    // A fresh session: bound for the connection, without a write (the connection refuses one).
    sqlx::query("UPDATE sessions SET last_seen_at = now()")
        .execute(&app.owner)
        .await
        .unwrap();
    assert_eq!(check(&mut conn, &hash).await, Some((tenant, false)));
    let (units, bound) = seen(&mut conn).await;
    assert!(units > 0, "the tenant's units are visible");
    assert_eq!(bound, tenant.to_string());

    // The next request on this connection has no valid session: nothing stays bound.
    assert_eq!(check(&mut conn, &[0u8; 32]).await, None);
    assert_eq!(seen(&mut conn).await, (0, String::new()));

    // Bound again, then a session that must be touched: it comes back unbound, asking for
    // the writing way, and wrote nothing (a write would have failed on this connection).
    assert_eq!(check(&mut conn, &hash).await, Some((tenant, false)));
    sqlx::query("UPDATE sessions SET last_seen_at = now() - interval '5 minutes'")
        .execute(&app.owner)
        .await
        .unwrap();
    assert_eq!(check(&mut conn, &hash).await, Some((tenant, true)));
    assert_eq!(seen(&mut conn).await, (0, String::new()));
}

#[tokio::test]
async fn a_page_that_reads_still_touches_and_ends_sessions() {
    let app = TestApp::start().await;
    let c = app.login("canbo.thads-ls").await;
    let last_seen = "SELECT extract(epoch FROM now() - last_seen_at)::bigint FROM sessions";

    // Touched once a minute: a GET two minutes after the last one writes the new time.
    sqlx::query("UPDATE sessions SET last_seen_at = now() - interval '2 minutes'")
        .execute(&app.owner)
        .await
        .unwrap();
    assert_eq!(c.get("/").await.status, 200);
    assert!(
        app.scalar_i64(last_seen).await < 60,
        "the session was touched"
    );

    // Idle past the limit: the GET logs the user out and the session row is gone.
    sqlx::query("UPDATE sessions SET last_seen_at = now() - interval '3 hours'")
        .execute(&app.owner)
        .await
        .unwrap();
    assert_eq!(c.get("/").await.status, 303);
    assert_eq!(app.scalar_i64("SELECT count(*) FROM sessions").await, 0);
}

#[tokio::test]
async fn a_page_that_tried_to_write_would_be_refused_by_postgresql() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    // A function the unit search runs made to write, as a handler that wrote through
    // CurrentUser::read would: the pages' connections must refuse it.
    sqlx::raw_sql(
        "CREATE TABLE write_probe (n int);
         GRANT INSERT, SELECT ON write_probe TO thidua_app;
         CREATE OR REPLACE FUNCTION search_prefix(tenant_id bigint, q text) RETURNS text
             LANGUAGE plpgsql AS $$
         BEGIN
             INSERT INTO write_probe VALUES (1);
             RETURN tenant_id::text || '/' || search_key(q);
         END $$;",
    )
    .execute(&app.owner)
    .await
    .unwrap();
    let r = c.get("/units?q=lang").await;
    assert_ne!(r.status, 200, "a write on a page's connection went through");
    assert_eq!(app.scalar_i64("SELECT count(*) FROM write_probe").await, 0);
}
