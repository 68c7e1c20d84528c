//! The authorisation matrix: every route × every role × own, other and foreign-tenant ids.
//! A new route gets its lines here.

use crate::harness::{Client, TestApp};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Who {
    Anonymous,
    Operator,
    TenantAdmin,
    UnitHead,
    UnitOfficer,
}

const ALL: [Who; 5] = [
    Who::Anonymous,
    Who::Operator,
    Who::TenantAdmin,
    Who::UnitHead,
    Who::UnitOfficer,
];

/// What a route must answer: a status, or a redirect to a path.
#[derive(Debug, PartialEq)]
enum Expect {
    Status(u16),
    RedirectTo(&'static str),
}
use Expect::*;

struct Ids {
    own_unit: i64,
    other_unit: i64,
    foreign_unit: i64,
}

async fn unit_id(app: &TestApp, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
        .bind(code)
        .fetch_one(&app.owner)
        .await
        .unwrap()
}

async fn client_for(app: &TestApp, who: Who) -> Client {
    match who {
        Who::Anonymous => app.client(),
        Who::Operator => app.login("vanhanh").await,
        Who::TenantAdmin => app.login("quantri.toaan").await,
        Who::UnitHead => app.login("thutruong.hocvien").await,
        Who::UnitOfficer => app.login("canbo.hocvien").await,
    }
}

fn expected(route: &str, who: Who) -> Expect {
    use Who::*;
    let login = RedirectTo("/login");
    match (route, who) {
        (_, Anonymous) if route.starts_with("GET /login") => Status(200),
        ("GET /healthz" | "GET /static/app.css", _) => Status(200),
        (_, Anonymous) => login,
        ("GET /", _) | ("GET /password", _) => Status(200),
        ("GET /units", TenantAdmin) => Status(200),
        ("GET /units", _) => Status(403),
        ("GET /units/own", TenantAdmin | UnitHead | UnitOfficer) => Status(200),
        ("GET /units/own", Operator) => Status(404),
        ("GET /units/other", TenantAdmin) => Status(200),
        ("GET /units/other", UnitHead | UnitOfficer) => Status(403),
        ("GET /units/other", Operator) => Status(404),
        ("GET /units/foreign", _) => Status(404),
        ("GET /platform", Operator) => Status(200),
        ("GET /platform", _) => Status(403),
        ("GET /login", _) => RedirectTo("/"),
        (r, w) => panic!("no expectation for {r} as {w:?}"),
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_it_must() {
    let app = TestApp::start().await;
    let otp = thidua::admin::create_operator(&app.pool, "vanhanh", "Vận hành hệ thống")
        .await
        .unwrap();
    assert!(!otp.is_empty());
    sqlx::query("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'canbo.hocvien'), must_change_password = false WHERE username = 'vanhanh'")
        .execute(&app.owner)
        .await
        .unwrap();
    let ids = Ids {
        own_unit: unit_id(&app, "hocvien").await,
        other_unit: unit_id(&app, "thanhtra").await,
        foreign_unit: unit_id(&app, "ca-ls").await,
    };
    let routes: Vec<(&str, String)> = vec![
        ("GET /", "/".into()),
        ("GET /login", "/login".into()),
        ("GET /password", "/password".into()),
        ("GET /units", "/units".into()),
        ("GET /units/own", format!("/units/{}", ids.own_unit)),
        ("GET /units/other", format!("/units/{}", ids.other_unit)),
        ("GET /units/foreign", format!("/units/{}", ids.foreign_unit)),
        ("GET /platform", "/platform".into()),
        ("GET /healthz", "/healthz".into()),
        ("GET /static/app.css", "/static/app.css".into()),
    ];
    let mut failures = Vec::new();
    for who in ALL {
        let c = client_for(&app, who).await;
        for (name, path) in &routes {
            let r = c.get(path).await;
            let got = if r.status == 303 {
                let loc = r.location();
                RedirectTo(if loc.starts_with("/login") {
                    "/login"
                } else if loc == "/" {
                    "/"
                } else {
                    "?"
                })
            } else {
                Status(r.status)
            };
            let want = expected(name, who);
            if got != want {
                failures.push(format!("{name} as {who:?}: got {got:?}, want {want:?}"));
            }
            if name.ends_with("foreign") {
                assert_ne!(r.status, 200, "a foreign tenant's unit must never be shown");
                assert!(!r.body.contains("Công an tỉnh Lạng Sơn"));
            }
        }
        // State-changing routes: refused without a token, for everyone.
        for path in ["/logout", "/password", "/login"] {
            let r = c.post(path, &[]).await;
            if r.status != 403 {
                failures.push(format!(
                    "POST {path} without token as {who:?}: got {}",
                    r.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorisation matrix:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn every_unit_id_of_another_tenant_is_not_found() {
    let app = TestApp::start().await;
    let c = app.login("quantri.langson").await;
    let foreign: Vec<i64> = sqlx::query_scalar(
        "SELECT u.id FROM units u JOIN tenants t ON t.id = u.tenant_id WHERE t.code = 'toaan'",
    )
    .fetch_all(&app.owner)
    .await
    .unwrap();
    assert_eq!(foreign.len(), 19);
    for id in foreign {
        let r = c.get(&format!("/units/{id}")).await;
        assert_eq!(r.status, 404, "unit {id}");
    }
    // And a unit id that does not exist at all looks the same.
    assert_eq!(c.get("/units/999999").await.status, 404);
    assert_eq!(c.get("/units/abc").await.status, 404);
}
