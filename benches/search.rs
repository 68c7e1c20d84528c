//! Unit and user search timings at a large tenant's size, over HTTP as a tenant admin sees them:
//! 20,000 and then 100,000 users (one unit for every ten). Run with
//! `cargo bench --bench search`; `SEARCH_BENCH_USERS=20000` picks the sizes (comma-separated).
//! A benchmark, not a test: it prints figures and asserts nothing about speed.

#[path = "../tests/it/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::time::{Duration, Instant};

use harness::{Client, TestApp};

const USERS_PER_UNIT: i64 = 10;
const RUNS: usize = 30;

/// `users` users in `users / 10` units of the demo tenant langson, with Vietnamese names
/// (two in five are Nguyễn), written set-based by the owner, then analysed.
async fn seed(app: &TestApp, users: i64) {
    let tenant: i64 = sqlx::query_scalar("SELECT id FROM tenants WHERE code = 'langson'")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO units (tenant_id, code, name, short_name, kind)
         SELECT $1, 'b' || g,
                (ARRAY['Tòa án', 'Viện kiểm sát', 'Công an', 'Thi hành án', 'Ủy ban nhân dân'])[g / 10 % 5 + 1]
                || ' huyện ' ||
                (ARRAY['Lạng Sơn', 'Cao Lộc', 'Văn Lãng', 'Tràng Định', 'Bình Gia', 'Đình Lập',
                       'Hữu Lũng', 'Chi Lăng', 'Bắc Sơn', 'Lộc Bình'])[g % 10 + 1]
                || ' số ' || g,
                (ARRAY['TA', 'VKS', 'CA', 'THA', 'UBND'])[g / 10 % 5 + 1] || ' ' || g,
                (ARRAY['Tòa án', 'Viện kiểm sát', 'Công an', 'Thi hành án', 'Ủy ban nhân dân'])[g / 10 % 5 + 1]
           FROM generate_series(1, $2) g",
    )
    .bind(tenant)
    .bind(users / USERS_PER_UNIT)
    .execute(&app.owner)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO users (tenant_id, username, full_name, role, unit_id, password_hash, must_change_password)
         SELECT $1, 'nv' || g,
                (ARRAY['Nguyễn', 'Nguyễn', 'Trần', 'Lê', 'Nguyễn', 'Phạm', 'Hoàng', 'Nguyễn', 'Vũ', 'Đặng'])[g % 10 + 1]
                || ' ' || (ARRAY['Văn', 'Thị', 'Đức', 'Minh', 'Thu', 'Ngọc', 'Quang'])[g / 10 % 7 + 1]
                || ' ' || (ARRAY['An', 'Bình', 'Cường', 'Dũng', 'Hà', 'Hải', 'Hạnh', 'Hương', 'Lan',
                                 'Long', 'Mai', 'Nam', 'Phương', 'Quân', 'Sơn', 'Thảo', 'Trang',
                                 'Tuấn', 'Yến'])[g / 70 % 19 + 1],
                'unit_officer', un.id, 'x', false
           FROM generate_series(1, $2) g
           JOIN units un ON un.tenant_id = $1 AND un.code = 'b' || ((g - 1) / $3 + 1)",
    )
    .bind(tenant)
    .bind(users)
    .bind(USERS_PER_UNIT)
    .execute(&app.owner)
    .await
    .unwrap();
    sqlx::query("VACUUM ANALYZE")
        .execute(&app.owner)
        .await
        .unwrap();
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Median and 95th percentile of sequential requests.
async fn time(c: &Client, path: &str) -> (Duration, Duration) {
    for _ in 0..3 {
        assert_eq!(c.get(path).await.status, 200, "{path}");
    }
    let mut v = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        let r = c.get(path).await;
        v.push(t.elapsed());
        assert_eq!(r.status, 200, "{path}");
    }
    v.sort();
    (v[RUNS / 2], v[RUNS * 95 / 100])
}

/// The count the page shows ("1234 tài khoản khớp với …"), to say how broad a search was.
fn found(body: &str) -> String {
    let marker = "<p class=\"muted\">";
    body.find(marker)
        .map(|i| &body[i + marker.len()..])
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or("?")
        .to_string()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let sizes: Vec<i64> = std::env::var("SEARCH_BENCH_USERS")
        .unwrap_or_else(|_| "20000,100000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("SEARCH_BENCH_USERS: numbers"))
        .collect();
    let searches = [
        ("/users", "user list, no search (the page's floor)"),
        ("/units", "unit list, no search"),
        ("/users?q=nv12345", "user search 'nv12345' (one username)"),
        (
            "/users?q=tran%20thi%20huong",
            "user search 'tran thi huong'",
        ),
        (
            "/users?q=nguy%E1%BB%85n",
            "user search 'nguyễn' (two in five)",
        ),
        (
            "/users?q=vi%E1%BB%87n%20ki%E1%BB%83m%20s%C3%A1t",
            "user search 'viện kiểm sát' (by unit)",
        ),
        ("/users?q=xyz", "user search 'xyz' (nothing)"),
        ("/units?q=trang%20dinh", "unit search 'trang dinh'"),
        ("/units?q=s%E1%BB%91%201234", "unit search 'số 1234'"),
        ("/units?q=xyz", "unit search 'xyz' (nothing)"),
    ];
    for users in sizes {
        let app = TestApp::start().await;
        let t = Instant::now();
        seed(&app, users).await;
        println!(
            "\n{users} users in {} units: seeded in {:.1} s",
            users / USERS_PER_UNIT,
            t.elapsed().as_secs_f64()
        );
        let c = app.login("quantri.langson").await;
        println!();
        println!("| search | found | p50 ms | p95 ms |");
        println!("| --- | ---: | ---: | ---: |");
        for (path, label) in &searches {
            let (p50, p95) = time(&c, path).await;
            let n = found(&c.get(path).await.body);
            println!("| {label} | {n} | {} | {} |", ms(p50), ms(p95));
        }
        app.pool.close().await;
        app.owner.close().await;
    }
}
