//! Unit and user search are answered from an index with row-level security in force: the plans
//! of the application's own search statements, run as the application role inside a tenant
//! transaction, at a large tenant's size.

use serde_json::Value;
use thidua::auth::store::{count_users_sql, users_page_sql};
use thidua::db::tenant_tx;
use thidua::org::store::{units_count_sql, units_page_sql};

use crate::harness::TestApp;

const UNITS: i64 = 20_000;
const USERS: i64 = 20_000;

/// The statements of the unit and user searches (org::store::search_units,
/// auth::store::search_users) and of their counts for a page past the end: (label, SQL, number
/// of parameters).
fn statements() -> Vec<(&'static str, String, usize)> {
    // Any text that is not empty: the statement for a search, not for the whole list.
    let q = "x";
    vec![
        ("count of units", units_count_sql(q), 2),
        ("page of units", units_page_sql(q), 4),
        ("count of users", count_users_sql(q), 2),
        ("page of users", users_page_sql(q), 4),
    ]
}

/// 20,000 units and 20,000 users more for the tenant, written set-based by the owner (the
/// triggers write their search terms), then analysed.
async fn seed(app: &TestApp, tenant: i64) {
    sqlx::query(
        "INSERT INTO units (tenant_id, code, name)
         SELECT $1, 'sp' || g, 'Đơn vị số ' || g FROM generate_series(1, $2) g",
    )
    .bind(tenant)
    .bind(UNITS)
    .execute(&app.owner)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO users (tenant_id, username, full_name, role, unit_id, password_hash)
         SELECT $1, 'sp.nv' || g, 'Lê Thị Thử ' || g, 'unit_officer', un.id, 'x'
           FROM generate_series(1, $2) g JOIN units un ON un.tenant_id = $1 AND un.code = 'sp' || (g % $3 + 1)",
    )
    .bind(tenant)
    .bind(USERS)
    .bind(UNITS)
    .execute(&app.owner)
    .await
    .unwrap();
    sqlx::query("ANALYZE").execute(&app.owner).await.unwrap();
}

/// Every node of a JSON plan, depth first.
fn nodes(plan: &Value, out: &mut Vec<Value>) {
    out.push(plan.clone());
    if let Some(children) = plan.get("Plans").and_then(Value::as_array) {
        for c in children {
            nodes(c, out);
        }
    }
}

/// Checks one plan: it reads the search terms through their index, and reads no table of the
/// search whole.
fn check(label: &str, plan: &Value, index: &str) {
    let mut all = Vec::new();
    nodes(&plan[0]["Plan"], &mut all);
    let text = serde_json::to_string_pretty(plan).unwrap();
    let str_of = |n: &Value, k: &str| n.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    assert!(
        all.iter().any(|n| {
            ["Index Scan", "Index Only Scan", "Bitmap Index Scan"]
                .contains(&str_of(n, "Node Type").as_str())
                && str_of(n, "Index Name") == index
        }),
        "{label}: no scan of the index {index}:\n{text}"
    );
    for n in &all {
        let table = str_of(n, "Relation Name");
        assert!(
            !(str_of(n, "Node Type") == "Seq Scan"
                && ["units", "users", "unit_search_terms", "user_search_terms"]
                    .contains(&table.as_str())),
            "{label}: reads {table} whole:\n{text}"
        );
    }
}

#[tokio::test]
async fn unit_and_user_search_use_their_index_under_row_level_security() {
    let app = TestApp::start().await;
    let tenant: i64 = sqlx::query_scalar("SELECT id FROM tenants WHERE code = 'langson'")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    seed(&app, tenant).await;

    // What the searches find, as the application role: diacritics and case do not matter.
    let mut tx = tenant_tx(&app.pool, tenant).await.unwrap();
    for (q, units, users) in [("Số 1234", 11, 11), ("thu 1234", 0, 11), ("SP12345", 1, 1)] {
        let found: i64 = sqlx::query_scalar(&statements()[0].1)
            .bind(tenant)
            .bind(q)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        assert_eq!(found, units, "units matching {q}");
        let found: i64 = sqlx::query_scalar(&statements()[2].1)
            .bind(tenant)
            .bind(q)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        assert_eq!(found, users, "users matching {q}");
    }
    let role: (String, bool, bool) = sqlx::query_as(
        "SELECT current_user::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    assert_eq!(role, ("thidua_app".to_string(), false, false));

    for (label, sql, params) in statements() {
        let index = if label.ends_with("units") {
            "unit_search_terms_term"
        } else {
            "user_search_terms_term"
        };
        // The plan for these values, as a request gets it.
        let explain = format!("EXPLAIN (FORMAT JSON) {sql}");
        let mut q = sqlx::query_scalar::<_, Value>(&explain)
            .bind(tenant)
            .bind("lạng sơn");
        if params == 4 {
            q = q.bind(0_i64).bind(50_i64);
        }
        let plan = q.fetch_one(&mut *tx).await.unwrap();
        check(label, &plan, index);

        // The generic plan, which a statement cached on a connection may come to use.
        let types = if params == 4 {
            "bigint, text, bigint, bigint"
        } else {
            "bigint, text"
        };
        sqlx::query(&format!("PREPARE search_plan ({types}) AS {sql}"))
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("SET LOCAL plan_cache_mode = force_generic_plan")
            .execute(&mut *tx)
            .await
            .unwrap();
        let args = if params == 4 { ", 0, 50" } else { "" };
        let plan: Value = sqlx::query_scalar(&format!(
            "EXPLAIN (FORMAT JSON) EXECUTE search_plan ({tenant}, 'lạng sơn'{args})"
        ))
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        check(&format!("{label}, generic plan"), &plan, index);
        sqlx::query("DEALLOCATE search_plan")
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("RESET plan_cache_mode")
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.rollback().await.unwrap();
}
