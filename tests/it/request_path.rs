//! The request path holds a database connection only while it works: a client that sends its
//! form slowly must not keep one (the body is read before the request's transaction begins).

use tokio::io::AsyncWriteExt;

use crate::harness::{Client, DEMO_PASSWORD, TestApp, app_options, serve};

#[tokio::test]
async fn clients_sending_their_forms_slowly_hold_no_database_connection() {
    let app = TestApp::start().await;
    // An instance whose pool has two connections, so that two held ones would starve it.
    let pool = thidua::db::app_pool(app_options(&app.options), 2)
        .await
        .unwrap();
    let addr = serve(thidua::AppState::new(
        pool,
        thidua::config::WebConfig::default(),
    ))
    .await;
    let c = Client::new(&format!("http://{addr}"));
    assert_eq!(c.login("canbo.thads-ls", DEMO_PASSWORD).await.status, 303);
    let session = c
        .cookie(thidua::auth::session::SESSION_COOKIE)
        .expect("a session cookie");
    let year = app
        .scalar_i64("SELECT id FROM cluster_years ORDER BY id LIMIT 1")
        .await;

    // Four logged-in clients start a form and send only its first bytes.
    let mut slow = Vec::new();
    for _ in 0..4 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST /years/{year}/scoring/setup HTTP/1.1\r\nHost: {addr}\r\n\
             Cookie: {}={session}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: 4096\r\n\r\ncsrf=",
            thidua::auth::session::SESSION_COOKIE
        );
        s.write_all(head.as_bytes()).await.unwrap();
        s.flush().await.unwrap();
        slow.push(s);
    }
    // Let them reach the server's session layer.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    // Had each of them begun its transaction, both connections would be taken and this page
    // would wait for one until the pool gives up (an error page).
    let r = c.get("/").await;
    assert_eq!(
        r.status, 200,
        "a page while slow forms are pending: {}",
        r.body
    );
    drop(slow);
}

/// The id a user quotes from an error page is the one in the server's log and in the audit rows
/// of the requests that changed something.
#[tokio::test]
async fn the_request_id_is_on_the_error_page_and_in_the_audit_rows() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let r = c
        .submit(
            "/units/new",
            "/units/new",
            &[
                ("code", "sotuphap"),
                ("name", "Sở Tư pháp"),
                ("short_name", "STP"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = r.headers["x-request-id"].to_str().unwrap().to_string();
    assert!(!id.is_empty());
    let written: String = sqlx::query_scalar(
        "SELECT request_id FROM audit_log WHERE entity = 'unit' AND action = 'created'
          ORDER BY at DESC, id DESC LIMIT 1",
    )
    .fetch_one(&app.owner)
    .await
    .unwrap();
    assert_eq!(written, id);

    // A failure the user cannot cause: the table under the page is gone for a moment.
    sqlx::query("ALTER TABLE units RENAME TO units_away")
        .execute(&app.owner)
        .await
        .unwrap();
    let r = c.get("/units").await;
    sqlx::query("ALTER TABLE units_away RENAME TO units")
        .execute(&app.owner)
        .await
        .unwrap();
    assert_eq!(r.status, 500);
    let id = r.headers["x-request-id"].to_str().unwrap();
    assert!(
        r.body.contains(&format!("Mã yêu cầu: {id}.")),
        "the 500 page names its request: {}",
        r.body
    );
    assert!(
        !r.body.contains("units_away"),
        "internals never reach the page"
    );
}
