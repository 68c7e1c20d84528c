//! `thidua admin evidence-to-s3` moves the demo's evidence out of PostgreSQL; the files read
//! back through the page are the ones that were in the rows, and a second run has nothing left.

use std::collections::HashMap;

use thidua::AppState;

use super::{S3Server, sha_hex};
use crate::exchange::{admin, stderr, stdout};
use crate::harness::{Client, DEMO_PASSWORD, Template, app_options, fresh_database, serve};

#[tokio::test]
async fn the_move_command_moves_the_demos_evidence_and_the_downloads_still_match() {
    let Some(s3) = S3Server::start("move") else {
        return;
    };
    let options = fresh_database(Template::Demo).await;
    let owner = sqlx::PgPool::connect_with(options.clone()).await.unwrap();
    let before: Vec<(i64, i64, Vec<u8>)> =
        sqlx::query_as("SELECT id, tenant_id, data FROM evidence ORDER BY id")
            .fetch_all(&owner)
            .await
            .unwrap();
    assert!(before.len() >= 3, "the demo has evidence to move");

    let flags = s3.flags();
    let mut args = vec!["evidence-to-s3", "--batch", "2"];
    args.extend(flags.iter().map(String::as_str));
    let out = admin(&options, &args).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains(&format!("Đã chuyển {} tệp minh chứng", before.len())),
        "{said}"
    );

    let left: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM evidence WHERE stored_in <> 's3' OR data IS NOT NULL",
    )
    .fetch_one(&owner)
    .await
    .unwrap();
    assert_eq!(left, 0, "every row moved, none keeps its bytes");
    let api = s3.api();
    for (_, tenant_id, data) in &before {
        let key = format!("t{tenant_id}/{}", sha_hex(data));
        let object = api.get(&key, data.len() as u64).await.unwrap();
        assert!(object.as_ref() == Some(data), "{key} holds the row's bytes");
    }

    // Downloaded as a user does, from a thidua that reads the store.
    let pool = thidua::db::app_pool(app_options(&options), 2)
        .await
        .unwrap();
    let addr = serve(AppState::new(pool, s3.web().await)).await;
    let (id, unit): (i64, String) = sqlx::query_as(
        "SELECT e.id, u.code FROM evidence e
           JOIN scoresheets s ON s.tenant_id = e.tenant_id AND s.id = e.sheet_id
           JOIN units u ON u.tenant_id = s.tenant_id AND u.id = s.unit_id
          ORDER BY e.id LIMIT 1",
    )
    .fetch_one(&owner)
    .await
    .unwrap();
    let was: HashMap<i64, &Vec<u8>> = before.iter().map(|(i, _, d)| (*i, d)).collect();
    let c = Client::new(&format!("http://{addr}"));
    let r = c.login(&format!("canbo.{unit}"), DEMO_PASSWORD).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let (status, _, body) = c.get_bytes(&format!("/evidence/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        &&body == was.get(&id).unwrap(),
        "byte-identical after the move"
    );

    // Run again: nothing left to move.
    let out = admin(&options, &args).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Đã chuyển 0 tệp minh chứng"),
        "{}",
        stdout(&out)
    );
    owner.close().await;
}
