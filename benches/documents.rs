//! Generating the dossier's documents: the Cụm VI 2019 dossier of the demo (12 members, six
//! nominations, a 24-candidate election), each document as a print view and as a .docx, over
//! HTTP with the database work included. Run with `cargo bench --bench documents`. It prints
//! figures and asserts nothing about speed.

#[path = "../tests/it/harness.rs"]
#[allow(dead_code)]
mod harness;

use std::time::{Duration, Instant};

use harness::TestApp;

const ROUNDS: usize = 100;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let app = TestApp::start().await;
    let one = |sql: &'static str| {
        let pool = app.owner.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let p = one(
        "SELECT p.id FROM proposals p JOIN cluster_years y ON y.id = p.cluster_year_id
           JOIN clusters c ON c.id = y.cluster_id WHERE c.name = 'Cụm thi đua số VI' AND y.year = 2019",
    )
    .await;
    let tccb = one("SELECT id FROM units WHERE code = 'tccb'").await;
    let c = app.login("quantri.toaan").await;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "dossier documents, Cụm VI 2019 (12 members, 6 nominations), {ROUNDS} sequential requests each:"
    );
    for (label, path) in [
        (
            "tờ trình, print view",
            format!("/proposals/{p}/print/to-trinh"),
        ),
        ("tờ trình, .docx", format!("/proposals/{p}/docx/to-trinh")),
        (
            "biên bản, print view",
            format!("/proposals/{p}/print/bien-ban"),
        ),
        ("biên bản, .docx", format!("/proposals/{p}/docx/bien-ban")),
        (
            "danh sách, print view",
            format!("/proposals/{p}/print/danh-sach"),
        ),
        ("danh sách, .docx", format!("/proposals/{p}/docx/danh-sach")),
        (
            "báo cáo thành tích, print view",
            format!("/proposals/{p}/reports/{tccb}/print"),
        ),
        (
            "báo cáo thành tích, .docx",
            format!("/proposals/{p}/reports/{tccb}/docx"),
        ),
    ] {
        for _ in 0..5 {
            assert_eq!(c.get_bytes(&path).await.0, 200, "{path}");
        }
        let mut times = Vec::with_capacity(ROUNDS);
        let mut size = 0;
        for _ in 0..ROUNDS {
            let t = Instant::now();
            let (status, _, body) = c.get_bytes(&path).await;
            times.push(t.elapsed());
            assert_eq!(status, 200);
            size = body.len();
        }
        times.sort();
        println!(
            "  {label:32} p50 {:5.1} ms, p95 {:5.1} ms, max {:5.1} ms ({size} bytes)",
            ms(times[ROUNDS / 2]),
            ms(times[ROUNDS * 95 / 100]),
            ms(times[ROUNDS - 1])
        );
    }
}
