//! A real server on a random loopback port with a fresh SQLite file and the demo accounts, and a small
//! HTTP client that handles the session cookie by hand (so tests can look at it).

#![allow(dead_code)]

use app::backend::data::demo;
use app::backend::platform::db::Db;
use leptos::config::LeptosOptions;
use reqwest::header::{HeaderMap, HeaderValue, COOKIE, SET_COOKIE};
use server::config::ServeArgs;
use std::collections::HashMap;
use std::net::SocketAddr;
use tempfile::TempDir;

pub struct TestServer {
    pub base: String,
    pub db: Db,
    pub db_url: String,
    pub passwords: HashMap<String, String>,
    _dir: TempDir,
}

impl TestServer {
    pub async fn start() -> TestServer {
        Self::start_with(ServeArgs::default()).await
    }

    pub async fn start_with(args: ServeArgs) -> TestServer {
        Self::start_inner(args, true).await
    }

    /// Agencies and accounts only: no demo cases or requests.
    pub async fn start_bare() -> TestServer {
        Self::start_inner(ServeArgs::default(), false).await
    }

    #[allow(dead_code)]
    pub async fn start_bare_with(args: ServeArgs) -> TestServer {
        Self::start_inner(args, false).await
    }

    async fn start_inner(args: ServeArgs, exchange: bool) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let db_url = format!("sqlite://{}/test.db", dir.path().display());
        let template = Template::get(exchange).await;
        std::fs::write(dir.path().join("test.db"), &template.database).expect("copy of the template database");
        let db = server::cli::open_db(&db_url, Default::default()).await.expect("open db");
        let args = ServeArgs { attachment_dir: dir.path().join("files").display().to_string(), ..args };
        let passwords = template.passwords.clone();
        // As `serve` does: the instance's key beside the database, the trail signed at start.
        let key =
            app::backend::platform::identity::InstanceKey::load_or_create(&app::backend::platform::identity::default_key_path(&db_url))
                .expect("signing key");
        app::backend::platform::checkpoints::sign_at_start(&db, &key).await.expect("signed at start");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let options =
            LeptosOptions::builder().output_name("liaison-desk").site_root("../target/site").site_pkg_dir("pkg").site_addr(addr).build();
        let app = server::router::build(options, db.clone(), &args, server::router::no_shutdown()).await.expect("router");
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.expect("serve");
        });
        TestServer { base: format!("http://{addr}"), db, db_url, passwords, _dir: dir }
    }

    /// Where this server keeps attachment contents.
    #[allow(dead_code)]
    pub fn files_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("files")
    }

    pub fn client(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            cookie: None,
        }
    }

    /// A client already signed in as one of the demo accounts.
    pub async fn signed_in(&self, username: &str) -> Client {
        let mut c = self.client();
        let res = c.sign_in(username, &self.passwords[username]).await;
        assert_eq!(res.status(), 200, "sign-in of {username} failed: {}", res.text().await.unwrap_or_default());
        c
    }
}

/// A database migrated and loaded with the demo's accounts (and, for `exchange`, its cases and requests),
/// made once per test binary: each server starts on a copy of it. Migrating and hashing a dozen generated
/// passwords for every server made the authorization matrix, which starts a server per allowed write, take
/// minutes. The copy is the database as `demo::load` left it, as a fresh server's was.
struct Template {
    /// The database file's bytes (kept in memory: a static is never dropped, and a directory would be left
    /// behind by every run).
    database: Vec<u8>,
    passwords: HashMap<String, String>,
}

static DEMO: tokio::sync::OnceCell<Template> = tokio::sync::OnceCell::const_new();
static BARE: tokio::sync::OnceCell<Template> = tokio::sync::OnceCell::const_new();

impl Template {
    async fn get(exchange: bool) -> &'static Template {
        let cell = if exchange { &DEMO } else { &BARE };
        cell.get_or_init(|| Self::make(exchange)).await
    }

    async fn make(exchange: bool) -> Template {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = server::cli::open_db(&format!("sqlite://{}/made.db", dir.path().display()), Default::default()).await.expect("open db");
        let accounts = if exchange { demo::load(&db).await } else { demo::load_accounts(&db).await };
        let passwords = accounts.expect("demo data").into_iter().map(|a| (a.username, a.password)).collect();
        // One self-contained file (nothing left in the write-ahead log), whatever connection wrote last.
        let file = dir.path().join("template.db");
        sqlx::query("VACUUM INTO ?").bind(file.display().to_string()).execute(&db.pool).await.expect("vacuum into the template");
        db.pool.close().await;
        let database = std::fs::read(&file).expect("the template database");
        Template { database, passwords }
    }
}

pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    /// The session cookie as `name=value`.
    pub cookie: Option<String>,
}

impl Client {
    fn remember(&mut self, headers: &HeaderMap) {
        for v in headers.get_all(SET_COOKIE) {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap().to_string();
            if pair.contains("ld_session") {
                self.cookie = Some(pair);
            }
        }
    }

    pub fn with_cookie(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.cookie {
            Some(c) => rb.header(COOKIE, HeaderValue::from_str(c).unwrap()),
            None => rb,
        }
    }

    pub async fn get(&mut self, path: &str) -> reqwest::Response {
        let res = self.with_cookie(self.http.get(format!("{}{path}", self.base))).send().await.unwrap();
        self.remember(res.headers());
        res
    }

    /// Calls a server function the way the browser does (form-encoded POST, JSON answer).
    pub async fn call(&mut self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let rb = self.http.post(format!("{}/api/{endpoint}", self.base)).header("accept", "application/json").form(form);
        let res = self.with_cookie(rb).send().await.unwrap();
        self.remember(res.headers());
        res
    }

    pub async fn sign_in(&mut self, username: &str, password: &str) -> reqwest::Response {
        self.call("login", &[("username", username), ("password", password)]).await
    }

    /// Calls a server function and parses its JSON answer, failing the test on an error status.
    pub async fn ok(&mut self, endpoint: &str, form: &[(&str, &str)]) -> serde_json::Value {
        let res = self.call(endpoint, form).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(status.is_success(), "{endpoint} answered {status}: {text}");
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
    }

    pub async fn upload(&mut self, query: &str, file_name: &str, bytes: Vec<u8>) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()).mime_str("text/html").unwrap();
        let form = reqwest::multipart::Form::new().part("file", part);
        let rb = self.http.post(format!("{}/attachments?{query}", self.base)).multipart(form);
        let res = self.with_cookie(rb).send().await.unwrap();
        self.remember(res.headers());
        res
    }

    /// The signed-in user's username, or None.
    pub async fn whoami(&mut self) -> Option<String> {
        let res = self.call("current_user", &[]).await;
        assert_eq!(res.status(), 200);
        let v: serde_json::Value = res.json().await.unwrap();
        v.get("username").and_then(|u| u.as_str()).map(str::to_string)
    }
}

pub async fn user_id(db: &Db, username: &str) -> i64 {
    let mut conn = db.pool.acquire().await.unwrap();
    app::backend::platform::users::by_username(&mut conn, username).await.unwrap().unwrap().id
}

/// A plain case opened and led by the signed-in `client`, party to no other agency; its id.
pub async fn own_case(s: &TestServer, client: &mut Client, title: &str) -> String {
    case_with_parties(s, client, title, "").await
}

/// A case of the signed-in officer's agency, with `parties` (agency codes) party to it; its id.
pub async fn case_with_parties(s: &TestServer, client: &mut Client, title: &str, parties: &str) -> String {
    let me = user_id(&s.db, client.whoami().await.unwrap().as_str()).await.to_string();
    let c = client
        .ok(
            "create_case",
            &[
                ("title", title),
                ("summary", ""),
                ("category", "fraud"),
                ("priority", "normal"),
                ("tlp", "amber"),
                ("lead", &me),
                ("parties", parties),
                ("links", ""),
            ],
        )
        .await;
    c["id"].to_string()
}

/// Everything but the audit trail, the sessions and derived search tables, as text: a refused call must
/// leave it as it was.
#[allow(dead_code)]
pub async fn fingerprint(s: &TestServer) -> String {
    let pool = &s.db.pool;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' \
         AND name NOT LIKE '%search%' AND name NOT IN ('audit_events', 'audit_checkpoints', 'sessions') ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut out = String::new();
    for t in tables {
        let cols: Vec<String> = sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{t}')")).fetch_all(pool).await.unwrap();
        // A refused wrong password counts toward the lockout: like the audit event, that is the record of
        // the refusal, not a change the call made.
        let cols: Vec<String> = cols.into_iter().filter(|c| !(t == "users" && (c == "failed_attempts" || c == "locked_until"))).collect();
        let expr = cols.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join("||','||");
        let rows: Option<String> =
            sqlx::query_scalar(&format!("SELECT group_concat(r, '|') FROM (SELECT {expr} AS r FROM \"{t}\" ORDER BY r)"))
                .fetch_one(pool)
                .await
                .unwrap();
        out.push_str(&format!("{t}:{}\n", rows.unwrap_or_default()));
    }
    out
}

/// The text of a PDF as a reader copies it out (poppler's `pdftotext`, which `make test` installs), page by page.
#[allow(dead_code)]
pub fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output().expect("pdftotext");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().split('\u{c}').filter(|p| !p.trim().is_empty()).map(str::to_string).collect()
}
