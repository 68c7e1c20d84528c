//! Page timings of the organisation pages at a large tenant's size: 2,000 units and 20,000
//! users. Run with `cargo bench --bench org_pages`. A benchmark, not a test: it prints figures
//! and asserts nothing about speed.

#[path = "../tests/it/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::time::{Duration, Instant};

use harness::{Client, TestApp};

const UNITS: i64 = 2_000;
const USERS_PER_UNIT: i64 = 10;

async fn seed(app: &TestApp) {
    let tenant: i64 = sqlx::query_scalar("SELECT id FROM tenants WHERE code = 'langson'")
        .fetch_one(&app.owner)
        .await
        .unwrap();
    // Vietnamese-looking names with diacritics, so search and collation do real work.
    let places = [
        "Lạng Sơn",
        "Cao Lộc",
        "Văn Lãng",
        "Tràng Định",
        "Bình Gia",
        "Đình Lập",
        "Hữu Lũng",
        "Chi Lăng",
        "Bắc Sơn",
        "Lộc Bình",
    ];
    let kinds = [
        "Tòa án",
        "Viện kiểm sát",
        "Công an",
        "Thi hành án",
        "Ủy ban nhân dân",
    ];
    let mut tx = app.owner.begin().await.unwrap();
    for i in 0..UNITS {
        let place = places[(i % places.len() as i64) as usize];
        let kind = kinds[(i / 10 % kinds.len() as i64) as usize];
        sqlx::query("INSERT INTO units (tenant_id, code, name, short_name, kind) VALUES ($1, $2, $3, $4, $5)")
            .bind(tenant)
            .bind(format!("b{i:04}"))
            .bind(format!("{kind} huyện {place} số {i}"))
            .bind(format!("{kind} {i}"))
            .bind(kind)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    let hash: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'quantri.langson'")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    sqlx::query(
        "INSERT INTO users (tenant_id, username, full_name, role, unit_id, password_hash, must_change_password)
         SELECT $1, 'nd' || u.code || '.' || g, 'Nguyễn Văn Đơn ' || g, CASE WHEN g = 1 THEN 'unit_head' ELSE 'unit_officer' END,
                u.id, $2, false
           FROM units u CROSS JOIN generate_series(1, $3) g
          WHERE u.tenant_id = $1 AND u.code LIKE 'b%'",
    )
    .bind(tenant)
    .bind(&hash)
    .bind(USERS_PER_UNIT as i32)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    sqlx::query("ANALYZE").execute(&app.owner).await.unwrap();
}

struct Stats {
    n: usize,
    mean: Duration,
    p50: Duration,
    p95: Duration,
    max: Duration,
}

fn stats(mut v: Vec<Duration>) -> Stats {
    v.sort();
    let n = v.len();
    Stats {
        n,
        mean: v.iter().sum::<Duration>() / n as u32,
        p50: v[n / 2],
        p95: v[(n * 95 / 100).min(n - 1)],
        max: v[n - 1],
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Sequential requests: server time as one user sees it.
async fn sequential(c: &Client, path: &str, n: usize) -> Stats {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let r = c.get(path).await;
        times.push(t.elapsed());
        assert_eq!(r.status, 200, "{path}");
    }
    stats(times)
}

/// `workers` clients at once for `secs` seconds: requests per second.
async fn throughput(app: &TestApp, path: &str, workers: usize, secs: u64) -> f64 {
    let mut clients = Vec::new();
    for _ in 0..workers {
        clients.push(app.login("quantri.langson").await);
    }
    let deadline = Instant::now() + Duration::from_secs(secs);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in clients {
        let path = path.to_string();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < deadline {
                assert_eq!(c.get(&path).await.status, 200);
                n += 1;
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    total as f64 / start.elapsed().as_secs_f64()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let app = TestApp::start().await;
    let t = Instant::now();
    seed(&app).await;
    println!(
        "seeded {UNITS} units and {} users in {:.1} s",
        UNITS * USERS_PER_UNIT,
        t.elapsed().as_secs_f64()
    );
    let c = app.login("quantri.langson").await;
    let pages = [
        ("/units", "unit list, page 1"),
        ("/units?page=40", "unit list, page 40"),
        (
            "/units?q=trang%20dinh",
            "unit search 'trang dinh' (no diacritics)",
        ),
        (
            "/units?q=Vi%E1%BB%87n%20ki%E1%BB%83m%20s%C3%A1t",
            "unit search 'Viện kiểm sát'",
        ),
        ("/users", "user list, page 1"),
        ("/users?q=don%2015", "user search 'don 15'"),
    ];
    for (path, _) in &pages {
        sequential(&c, path, 5).await; // warm up
    }
    println!();
    println!("| page | n | mean ms | p50 ms | p95 ms | max ms |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (path, label) in &pages {
        let s = sequential(&c, path, 100).await;
        println!(
            "| {label} | {} | {} | {} | {} | {} |",
            s.n,
            ms(s.mean),
            ms(s.p50),
            ms(s.p95),
            ms(s.max)
        );
    }
    println!();
    for (path, label) in &pages[..1] {
        let rps = throughput(&app, path, 8, 10).await;
        println!(
            "{label}: {rps:.0} requests/s with 8 concurrent clients for 10 s (server and clients share the machine)"
        );
    }
}
