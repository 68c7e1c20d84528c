//! Issue 16: a form is never sent twice by the balancer. Two instances behind HAProxy as
//! deploy/haproxy.cfg configures it; a form whose COMMIT breaks off is answered, not resent.

use std::time::{Duration, Instant};

use crate::harness::{Client, DEMO_PASSWORD, Template, app_options, fresh_database};
use crate::instances::{Balancer, Instance, scalar, waiting_sheet};

/// A form whose write broke off in COMMIT (the database connection lost at that moment) gets
/// the database's 503, and HAProxy does not send it again to the other instance: the user sees
/// the error page and looks before trying again, instead of the balancer repeating a write it
/// cannot know was not kept. Page views keep their retries (the test above).
#[tokio::test]
async fn haproxy_does_not_send_a_form_again_after_its_commit_broke_off() {
    let owner_opts = fresh_database(Template::Demo).await;
    let owner = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect_with(owner_opts.clone())
        .await
        .unwrap();
    let app_opts = app_options(&owner_opts);
    let a = Instance::start(&owner_opts, &app_opts);
    let b = Instance::start(&owner_opts, &app_opts);
    let Some(lb) = Balancer::start_up(&[&a.base, &b.base], "haproxy-post").await else {
        return;
    };
    let leader = Client::new(&lb.base);
    assert_eq!(
        leader.login("canbo.thads-ls", DEMO_PASSWORD).await.status,
        303
    );
    let (year, unit) = waiting_sheet(&owner).await;
    let sheet = format!("/years/{year}/sheets/{unit}");
    let r = leader.submit(&sheet, &format!("{sheet}/verify"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);

    // The next write's COMMIT ends its own connection, as a database lost at that moment
    // would: a deferred trigger on the audit trail, which every write fills, fires once.
    for sql in [
        "CREATE SEQUENCE commit_breaks",
        "CREATE FUNCTION break_commit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
         BEGIN
           IF nextval('commit_breaks') = 1 THEN
             PERFORM pg_terminate_backend(pg_backend_pid());
             PERFORM pg_sleep(5);
           END IF;
           RETURN NULL;
         END $$",
        "CREATE CONSTRAINT TRIGGER break_commit AFTER INSERT ON audit_log
           DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION break_commit()",
    ] {
        sqlx::query(sql).execute(&owner).await.unwrap();
    }
    let status = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT status::text FROM scoresheets WHERE cluster_year_id = $1 AND unit_id = $2",
        )
        .bind(year)
        .bind(unit)
        .fetch_one(&owner)
        .await
        .unwrap()
    };

    let finalise = format!("{sheet}/finalise");
    let r = leader.submit(&sheet, &finalise, &[]).await;
    assert_eq!(
        r.status, 503,
        "the form whose commit broke off is answered, not sent again: {}",
        r.body
    );
    assert!(
        r.body
            .contains("chưa rõ thao tác vừa rồi đã được lưu hay chưa"),
        "the page does not claim nothing was lost: {}",
        r.body
    );
    assert_eq!(
        status().await,
        "submitted",
        "nothing was kept, and nothing resent"
    );
    assert_eq!(
        scalar(&owner, "SELECT last_value FROM commit_breaks").await,
        1
    );

    // The user looks, sees the sheet still waiting, and sends the form again once the
    // instance that lost its connection has found the database again (its breaker's probe).
    let started = Instant::now();
    loop {
        let r = leader.submit(&sheet, &finalise, &[]).await;
        if r.status == 303 {
            break;
        }
        assert_eq!(r.status, 503, "{}", r.body);
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the instance recovers"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(status().await, "finalised");
}
