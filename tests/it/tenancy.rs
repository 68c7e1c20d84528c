//! Tenants are sealed twice: every query filters by tenant, and row-level security holds even
//! when a query forgets to.

use crate::harness::TestApp;
use thidua::db::tenant_tx;

async fn tenant(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM tenants WHERE code = $1")
        .bind(code)
        .fetch_one(&app.owner)
        .await
        .unwrap()
}

#[tokio::test]
async fn row_level_security_alone_hides_other_tenants_rows() {
    let app = TestApp::start().await;
    let toaan = tenant(&app, "toaan").await;
    let langson = tenant(&app, "langson").await;

    // Queries with no tenant filter at all, run as the application role.
    let mut tx = tenant_tx(&app.pool, langson).await.unwrap();
    let units: Vec<String> = sqlx::query_scalar("SELECT name FROM units")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(units.len(), 7);
    assert!(units.iter().all(|n| !n.contains("Tòa án nhân dân tối cao")));
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(users, 15);
    let tenants: Vec<String> = sqlx::query_scalar("SELECT code FROM tenants")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    assert_eq!(tenants, vec!["langson".to_string()]);
    // Asking for the other tenant's rows by id finds nothing.
    let foreign: i64 = sqlx::query_scalar("SELECT count(*) FROM units WHERE tenant_id = $1")
        .bind(toaan)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(foreign, 0);
    // Writing into the other tenant is refused, and so is changing its rows.
    let insert =
        sqlx::query("INSERT INTO units (tenant_id, code, name) VALUES ($1, 'x1', 'Đơn vị lạ')")
            .bind(toaan)
            .execute(&mut *tx)
            .await;
    assert!(insert.is_err(), "insert into another tenant must fail");
    tx.rollback().await.unwrap();

    let mut tx = tenant_tx(&app.pool, langson).await.unwrap();
    let changed = sqlx::query("UPDATE units SET name = 'Đã bị sửa' WHERE tenant_id = $1")
        .bind(toaan)
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(changed, 0);
    let deleted = sqlx::query("DELETE FROM sessions")
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(deleted, 0);
    tx.commit().await.unwrap();

    // With no tenant set, nothing at all is visible.
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM units")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(none, 0);
    let none: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(none, 0);
}

#[tokio::test]
async fn the_tenant_setting_does_not_leak_to_the_next_user_of_a_connection() {
    let app = TestApp::start().await;
    let langson = tenant(&app, "langson").await;
    // One connection only, so the next query surely reuses it.
    let pool = thidua::db::app_pool(crate::harness::app_options(&app.options), 1)
        .await
        .unwrap();
    let mut tx = tenant_tx(&pool, langson).await.unwrap();
    let _: i64 = sqlx::query_scalar("SELECT count(*) FROM units")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM units")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(after, 0);
}

#[tokio::test]
async fn the_application_role_has_no_power_to_bypass_the_seal() {
    let app = TestApp::start().await;
    let (role, superuser, bypass): (String, bool, bool) = sqlx::query_as(
        "SELECT current_user::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(role, "thidua_app");
    assert!(!superuser && !bypass);
    let owned: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner IN ('thidua_app')",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(owned, 0);
    // Every table with a tenant_id has forced row-level security.
    let unsealed: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r'
            AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')
            AND NOT (c.relrowsecurity AND c.relforcerowsecurity)",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert!(
        unsealed.is_empty(),
        "tables without forced RLS: {unsealed:?}"
    );
    // Connected as the application role itself, RESET ROLE leads nowhere higher.
    let mut conn = app.pool.acquire().await.unwrap();
    sqlx::query("RESET ROLE").execute(&mut *conn).await.unwrap();
    let who: String = sqlx::query_scalar("SELECT current_user::text")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(who, "thidua_app");
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM units")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn audit_rows_cannot_be_changed_or_deleted_by_anyone() {
    let app = TestApp::start().await;
    let langson = tenant(&app, "langson").await;
    let mut tx = tenant_tx(&app.pool, langson).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert!(n > 0, "the demo load is audited");
    let upd = sqlx::query("UPDATE audit_log SET actor = 'ai đó'")
        .execute(&mut *tx)
        .await;
    assert!(upd.is_err(), "the app role may not update audit rows");
    tx.rollback().await.unwrap();
    let mut tx = tenant_tx(&app.pool, langson).await.unwrap();
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(&mut *tx)
            .await
            .is_err()
    );
    tx.rollback().await.unwrap();
    // Not even the owner (a superuser here).
    assert!(
        sqlx::query("UPDATE audit_log SET actor = 'x'")
            .execute(&app.owner)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(&app.owner)
            .await
            .is_err()
    );
    assert!(
        sqlx::query("TRUNCATE audit_log")
            .execute(&app.owner)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn the_app_refuses_a_pool_that_could_bypass_the_seal() {
    let app = TestApp::start().await;
    // The owner's login (the migrating role, a superuser here) must not serve requests.
    let refused = thidua::db::app_pool(app.options.clone(), 1).await;
    let msg = refused.expect_err("an owner pool was accepted").to_string();
    assert!(msg.contains("thidua_app"), "{msg}");
    // thidua_app itself is accepted.
    thidua::db::app_pool(crate::harness::app_options(&app.options), 1)
        .await
        .expect("the application role");
}
