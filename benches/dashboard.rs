//! The leader's dashboard with 15 member units and a full sheet each: server time and requests
//! per second. Run with `cargo bench --bench dashboard`. It prints figures and asserts nothing
//! about speed.

#[path = "../tests/it/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::time::{Duration, Instant};

use harness::TestApp;

const UNITS: usize = 15;
const CRITERIA: usize = 40;

/// A cluster year of 15 units, a 40-criterion table, every sheet submitted and verified.
async fn seed(app: &TestApp) -> i64 {
    let one = |sql: String| {
        let pool = app.owner.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let t = one("SELECT id FROM tenants WHERE code = 'langson'".into()).await;
    let cluster = one(format!("INSERT INTO clusters (tenant_id, name, kind) VALUES ({t}, 'Khối đo tải', 'khoi') RETURNING id")).await;
    let year = one(format!("INSERT INTO cluster_years (tenant_id, cluster_id, year) VALUES ({t}, {cluster}, 2025) RETURNING id")).await;
    let mut units = Vec::new();
    for i in 0..UNITS {
        let u = one(format!("INSERT INTO units (tenant_id, code, name, short_name) VALUES ({t}, 'k{i}', 'Đơn vị đo tải số {i}', 'ĐV {i}') RETURNING id")).await;
        one(format!("INSERT INTO cluster_members (tenant_id, cluster_year_id, unit_id, kind, year) VALUES ({t}, {year}, {u}, 'khoi', 2025) RETURNING unit_id")).await;
        units.push(u);
    }
    one(format!("UPDATE cluster_years SET leader_unit_id = {}, deputy_unit_id = {} WHERE id = {year} RETURNING id", units[0], units[1])).await;
    let table = one(format!(
        "INSERT INTO criteria_tables (tenant_id, name, bonus_cap, penalty_cap, cluster_year_id, frozen_at, tie_break_codes)
         VALUES ({t}, 'Bảng đo tải', 3, 3, {year}, now(), ARRAY['II']) RETURNING id"
    ))
    .await;
    one(format!(
        "UPDATE cluster_years SET criteria_table_id = {table} WHERE id = {year} RETURNING id"
    ))
    .await;
    let s1 = one(format!("INSERT INTO criteria_sections (tenant_id, table_id, position, code, title) VALUES ({t}, {table}, 1, 'I', 'Mục I') RETURNING id")).await;
    let s2 = one(format!("INSERT INTO criteria_sections (tenant_id, table_id, position, code, title) VALUES ({t}, {table}, 2, 'II', 'Mục II') RETURNING id")).await;
    for i in 0..CRITERIA {
        let s = if i < 10 { s1 } else { s2 };
        one(format!(
            "INSERT INTO criteria (tenant_id, table_id, section_id, position, code, text, max_points)
             VALUES ({t}, {table}, {s}, {i}, 'c{i}', 'Tiêu chí số {i}', 2.5) RETURNING id"
        ))
        .await;
    }
    sqlx::query(&format!(
        "INSERT INTO rating_bands (tenant_id, table_id, position, name, min_percent) VALUES
         ({t}, {table}, 1, 'Xuất sắc', 95), ({t}, {table}, 2, 'Tốt', 85), ({t}, {table}, 3, 'Khá', 75)"
    ))
    .execute(&app.owner)
    .await
    .unwrap();
    for (n, u) in units.iter().enumerate() {
        let sheet = one(format!(
            "INSERT INTO scoresheets (tenant_id, cluster_year_id, unit_id, status, submitted_at, finalised_at)
             VALUES ({t}, {year}, {u}, 'finalised', now(), now()) RETURNING id"
        ))
        .await;
        sqlx::query(&format!(
            "INSERT INTO sheet_entries (tenant_id, sheet_id, criterion_id, self_points, verified_points, verify_reason)
             SELECT {t}, {sheet}, c.id, 2.5, CASE WHEN c.position % 7 = {n} % 7 THEN 2 ELSE 2.5 END, 'Đo tải'
               FROM criteria c WHERE c.table_id = {table}"
        ))
        .execute(&app.owner)
        .await
        .unwrap();
    }
    sqlx::query("ANALYZE").execute(&app.owner).await.unwrap();
    year
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let app = TestApp::start().await;
    let year = seed(&app).await;
    let c = app.login("quantri.langson").await;
    let path = format!("/years/{year}/scoring");
    for _ in 0..10 {
        assert_eq!(c.get(&path).await.status, 200);
    }
    let mut times = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        assert_eq!(c.get(&path).await.status, 200);
        times.push(t.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!("dashboard, {UNITS} units × {CRITERIA} criteria, 200 sequential requests:");
    println!(
        "  mean {:.1} ms, p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        ms(mean),
        ms(times[100]),
        ms(times[190]),
        ms(times[199])
    );
    for (label, p) in [
        ("xlsx export", format!("{path}/export.xlsx")),
        ("printed summary", format!("{path}/print")),
    ] {
        let t = Instant::now();
        for _ in 0..50 {
            c.get(&p).await;
        }
        println!("  {label}: mean {:.1} ms over 50", ms(t.elapsed()) / 50.0);
    }
    let workers = 8;
    let secs = 10;
    let mut clients = Vec::new();
    for _ in 0..workers {
        clients.push(app.login("quantri.langson").await);
    }
    let deadline = Instant::now() + Duration::from_secs(secs);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in clients {
        let path = path.clone();
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
    println!(
        "  {:.0} requests/s with {workers} concurrent clients for {secs} s (server and clients share 2 cores)",
        total as f64 / start.elapsed().as_secs_f64()
    );
}
