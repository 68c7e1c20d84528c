//! The integration harness: one throwaway PostgreSQL per test run (or DATABASE_URL), a fresh
//! database per test cloned from a migrated template, the real router on a random port, and a
//! cookie-keeping HTTP client.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};

use reqwest::cookie::{CookieStore, Jar};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, Executor, PgConnection, PgPool};
use thidua::config::WebConfig;
use thidua::db::embedded::{EmbeddedOptions, EmbeddedPg};
use thidua::{AppState, db};

pub const DEMO_PASSWORD: &str = thidua::demo::DEMO_PASSWORD;

struct Server {
    /// Connection settings for the server's maintenance database, as a superuser.
    admin: PgConnectOptions,
    _embedded: Option<std::sync::Mutex<EmbeddedPg>>,
    create_lock: tokio::sync::Mutex<()>,
}

static SERVER: OnceLock<Server> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

const EMPTY_TEMPLATE: &str = "thidua_tpl_empty";
const DEMO_TEMPLATE: &str = "thidua_tpl_demo";

fn server() -> &'static Server {
    SERVER.get_or_init(|| {
        // Each test has its own runtime; the shared server is set up on a runtime of its own.
        std::thread::spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(start_server())
        })
        .join()
        .expect("test PostgreSQL setup panicked")
    })
}

async fn start_server() -> Server {
    let (admin, embedded) = match std::env::var("DATABASE_URL") {
        Ok(url) => (
            PgConnectOptions::from_str(&url).expect("DATABASE_URL"),
            None,
        ),
        Err(_) => {
            let dir = test_data_dir();
            let pg = EmbeddedPg::start(EmbeddedOptions {
                data_dir: dir,
                ephemeral: true,
            })
            .await
            .expect("start the throwaway PostgreSQL");
            (pg.connect_options("postgres"), Some(pg))
        }
    };
    let mut conn = PgConnection::connect_with(&admin).await.expect("connect");
    let run = std::process::id();
    for tpl in [EMPTY_TEMPLATE, DEMO_TEMPLATE] {
        let name = format!("{tpl}_{run}");
        conn.execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
            .await
            .unwrap();
        conn.execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        let opts = admin.clone().database(&name);
        db::migrate(&opts).await.expect("migrate template");
        if tpl == DEMO_TEMPLATE {
            let pool = db::app_pool(app_options(&opts), 2).await.unwrap();
            // Pinned to the seed articles' year, so the tests' years keep their meaning.
            thidua::demo::load_at(&pool, thidua::demo::HISTORY_YEAR)
                .await
                .expect("demo data");
            pool.close().await;
        }
    }
    Server {
        admin,
        _embedded: embedded.map(std::sync::Mutex::new),
        create_lock: tokio::sync::Mutex::new(()),
    }
}

/// A folder per test run under the system temp dir; folders of earlier runs whose process is
/// gone are removed.
fn test_data_dir() -> PathBuf {
    let base = std::env::temp_dir();
    if let Ok(entries) = std::fs::read_dir(&base) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let pid = name
                .strip_prefix("thidua-test-")
                .and_then(|p| p.parse::<i32>().ok());
            if let Some(pid) = pid
                && nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_err()
            {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let dir = base.join(format!("thidua-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // The server (as the postgres user when we are root) needs to enter this folder.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    dir.join("pg")
}

pub enum Template {
    Empty,
    Demo,
}

/// A fresh database of its own for one test.
pub async fn fresh_database(t: Template) -> PgConnectOptions {
    let s = server();
    let tpl = match t {
        Template::Empty => EMPTY_TEMPLATE,
        Template::Demo => DEMO_TEMPLATE,
    };
    let name = format!(
        "t_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    );
    let mut conn = PgConnection::connect_with(&s.admin).await.unwrap();
    let sql = format!(
        "CREATE DATABASE {name} TEMPLATE {tpl}_{}",
        std::process::id()
    );
    // Cloning needs the template to be idle; one clone at a time keeps it so.
    let guard = s.create_lock.lock().await;
    conn.execute(sql.as_str()).await.unwrap();
    drop(guard);
    s.admin.clone().database(&name)
}

/// An empty database of its own (no migrations), for a restore to fill.
pub async fn empty_database() -> PgConnectOptions {
    let s = server();
    let name = format!(
        "r_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::SeqCst)
    );
    let mut conn = PgConnection::connect_with(&s.admin).await.unwrap();
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .unwrap();
    s.admin.clone().database(&name)
}

pub struct TestApp {
    pub base: String,
    /// The pool the app uses (role thidua_app).
    pub pool: PgPool,
    /// A superuser connection to the same database, for arranging and inspecting.
    pub owner: PgPool,
    pub options: PgConnectOptions,
}

impl TestApp {
    pub async fn start() -> TestApp {
        Self::start_with(Template::Demo, WebConfig::default()).await
    }

    pub async fn start_with(t: Template, web: WebConfig) -> TestApp {
        let options = fresh_database(t).await;
        let pool = db::app_pool(app_options(&options), 8).await.unwrap();
        let owner = PgPoolOptions::new()
            .max_connections(2)
            .connect_with(options.clone())
            .await
            .unwrap();
        let state = AppState::new(pool.clone(), web);
        let addr = serve(state).await;
        TestApp {
            base: format!("http://{addr}"),
            pool,
            owner,
            options,
        }
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    pub async fn login(&self, username: &str) -> Client {
        let c = self.client();
        let r = c.login(username, DEMO_PASSWORD).await;
        assert_eq!(r.status, 303, "login of {username} failed: {}", r.body);
        c
    }

    pub async fn scalar_i64(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(&self.owner)
            .await
            .unwrap()
    }
}

/// The private server lets the application role log in itself, as in production.
pub fn app_options(owner: &PgConnectOptions) -> PgConnectOptions {
    if std::env::var("DATABASE_URL").is_ok() {
        owner.clone()
    } else {
        owner.clone().username(db::APP_ROLE)
    }
}

/// Serves the real router on a random local port, through the server loop `thidua serve` uses.
pub async fn serve(state: AppState) -> SocketAddr {
    serve_with(
        state,
        thidua::web::serve::ServeLimits::default(),
        std::future::pending(),
    )
    .await
}

/// The same with chosen limits and a stop signal.
pub async fn serve_with(
    state: AppState,
    limits: thidua::web::serve::ServeLimits,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(thidua::web::serve::serve(
        listener,
        thidua::router(state),
        limits,
        stop,
    ));
    addr
}

pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn csrf(&self) -> String {
        csrf_in(&self.body).unwrap_or_else(|| panic!("no csrf field in page:\n{}", self.body))
    }
}

pub fn csrf_in(html: &str) -> Option<String> {
    let start = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

/// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
pub struct Client {
    pub base: String,
    pub jar: Arc<Jar>,
    http: reqwest::Client,
    pub extra_headers: Vec<(&'static str, String)>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Client {
            base: base.to_string(),
            jar,
            http,
            extra_headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &'static str, value: &str) -> Client {
        self.extra_headers.push((name, value.to_string()));
        self
    }

    async fn send(&self, mut rb: reqwest::RequestBuilder) -> Resp {
        for (k, v) in &self.extra_headers {
            rb = rb.header(*k, v);
        }
        let r = rb.send().await.unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        let body = r.text().await.unwrap();
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    /// Posts a multipart form with one file, as a browser's upload form does.
    pub async fn upload(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file_field: &str,
        filename: &str,
        data: Vec<u8>,
    ) -> Resp {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let part = reqwest::multipart::Part::bytes(data).file_name(filename.to_string());
        form = form.part(file_field.to_string(), part);
        self.send(
            self.http
                .post(format!("{}{path}", self.base))
                .multipart(form),
        )
        .await
    }

    pub async fn get_bytes(&self, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        (status, headers, r.bytes().await.unwrap().to_vec())
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Resp {
        self.send(self.http.post(format!("{}{path}", self.base)).form(form))
            .await
    }

    /// POSTs a form with the anti-forgery token taken from `from_page`, as a browser would.
    pub async fn submit(&self, from_page: &str, path: &str, fields: &[(&str, &str)]) -> Resp {
        let page = self.get(from_page).await;
        let token = page.csrf();
        let mut form: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        form.extend_from_slice(fields);
        self.post(path, &form).await
    }

    pub async fn login(&self, username: &str, password: &str) -> Resp {
        self.submit(
            "/login",
            "/login",
            &[("username", username), ("password", password)],
        )
        .await
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = reqwest::Url::parse(&self.base).unwrap();
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        let url = reqwest::Url::parse(&self.base).unwrap();
        self.jar
            .add_cookie_str(&format!("{name}={value}; Path=/"), &url);
    }
}
