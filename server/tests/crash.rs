//! Crash safety, shown: the real binary, several clients writing at once (indicators, and responses'
//! attachments), `kill -9` at a random moment, restart on the same files. Every write the server
//! acknowledged is there (an attachment with its file, byte for byte), the audit trail verifies, and the
//! server serves again. The same for `kill -9` during `backup`. And SIGTERM under the same load: the requests
//! under way finish (no 5xx), the server exits by itself, and the trail is signed to its end.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

struct Instance {
    dir: PathBuf,
    port: u16,
}

impl Instance {
    fn db_url(&self) -> String {
        format!("sqlite://{}/ld.db", self.dir.display())
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_liaison-desk"));
        c.args(args)
            .env("DATABASE_URL", self.db_url())
            .env("LD_ATTACHMENT_DIR", self.dir.join("files"))
            .env("LD_DEMO_CREDENTIALS_FILE", self.dir.join("credentials.txt"))
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{}", self.port))
            .env("LEPTOS_OUTPUT_NAME", "liaison-desk")
            .env("LEPTOS_SITE_ROOT", "../target/site")
            .env("LD_SIGNIN_PER_IP_PER_MINUTE", "100000")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    }

    async fn start(&self) -> Child {
        let mut child = self.command(&["serve", "--demo-data"]).spawn().expect("start the server");
        let http = reqwest::Client::new();
        for _ in 0..300 {
            if http.get(format!("{}/healthz", self.base())).send().await.is_ok_and(|r| r.status().is_success()) {
                return child;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server did not start");
    }

    fn password(&self, username: &str) -> String {
        let text = std::fs::read_to_string(self.dir.join("credentials.txt")).expect("credentials");
        text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>()).find(|p| p.first() == Some(&username)).expect("account")[3]
            .to_string()
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn signed_in(i: &Instance, username: &str) -> reqwest::Client {
    try_signed_in(i, username).await.expect("the server answers the sign-in")
}

/// None when the server is gone before it answered (a writer whose sign-in the kill cut short
/// acknowledged nothing, so has nothing to check).
async fn try_signed_in(i: &Instance, username: &str) -> Option<reqwest::Client> {
    let http = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let res = http
        .post(format!("{}/api/login", i.base()))
        .header("accept", "application/json")
        .form(&[("username", username), ("password", &i.password(username))])
        .send()
        .await
        .ok()?;
    assert!(res.status().is_success(), "sign-in: {}", res.status());
    Some(http)
}

async fn call(http: &reqwest::Client, i: &Instance, endpoint: &str, form: &[(&str, &str)]) -> Result<serde_json::Value, String> {
    let res = http
        .post(format!("{}/api/{endpoint}", i.base()))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = res.status();
    let body = res.text().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        serde_json::from_str(&body).map_err(|e| e.to_string())
    } else {
        Err(format!("{status}: {body}"))
    }
}

/// What the server said it had done, as the clients saw it.
#[derive(Clone, Default)]
struct Acknowledged {
    /// Rounds begun (values and files differ from round to round).
    rounds: usize,
    indicators: Vec<String>,
    /// SHA-256 and bytes of each attachment the server answered 201 for.
    files: Vec<(String, Vec<u8>)>,
    /// Answers with a server-error status (a request the server began but did not finish properly).
    server_errors: Vec<String>,
}

/// Writes until the server stops answering: indicators on `case`, and files on it.
async fn write_until_gone(http: reqwest::Client, i: Arc<Instance>, case: String, client: usize, acked: Arc<Mutex<Acknowledged>>) {
    let client = client + 16 * acked.lock().unwrap().rounds;
    for n in 0.. {
        if n % 3 == 2 {
            let bytes: Vec<u8> = (0..64 * 1024u32)
                .map(|b| (b as u8) ^ (n as u8) ^ (client as u8).wrapping_mul(37))
                .chain(format!("{client}/{n}").into_bytes())
                .collect();
            let part = reqwest::multipart::Part::bytes(bytes.clone()).file_name(format!("c{client}-{n}.bin"));
            let form = reqwest::multipart::Form::new().part("file", part);
            match http.post(format!("{}/attachments?case={case}", i.base())).multipart(form).send().await {
                Ok(res) if res.status().is_server_error() => {
                    acked.lock().unwrap().server_errors.push(format!("upload: {}", res.status()));
                    return;
                }
                Ok(res) if res.status().as_u16() == 201 => {
                    let v: serde_json::Value = match res.json().await {
                        Ok(v) => v,
                        Err(_) => return,
                    };
                    acked.lock().unwrap().files.push((v["sha256"].as_str().unwrap().to_string(), bytes));
                }
                _ => return,
            }
        } else {
            let value = format!("c{client}-n{n}.crash.example");
            match call(&http, &i, "add_indicator", &[("case_id", &case), ("kind", "domain"), ("value", &value), ("tlp", "amber")]).await {
                Ok(_) => acked.lock().unwrap().indicators.push(value),
                Err(e) => {
                    if e.starts_with('5') {
                        acked.lock().unwrap().server_errors.push(format!("add_indicator: {e}"));
                    }
                    return;
                }
            }
        }
    }
}

/// A case of the NCB officer's own, for the clients to write to.
async fn own_case(i: &Instance, title: &str) -> String {
    let ncb = signed_in(i, "ncb.officer").await;
    let me = call(&ncb, i, "current_user", &[]).await.unwrap()["id"].to_string();
    let form = [
        ("title", title),
        ("summary", ""),
        ("category", "fraud"),
        ("priority", "normal"),
        ("tlp", "amber"),
        ("lead", &me),
        ("parties", ""),
        ("links", ""),
    ];
    call(&ncb, i, "create_case", &form).await.unwrap()["id"].to_string()
}

/// Four clients, each signed in on its own, writing to `case` until the server stops answering.
fn writers(i: &Arc<Instance>, case: &str, acked: &Arc<Mutex<Acknowledged>>) -> Vec<tokio::task::JoinHandle<()>> {
    (0..4)
        .map(|c| {
            let (i, case, acked) = (i.clone(), case.to_string(), acked.clone());
            tokio::spawn(async move {
                if let Some(http) = try_signed_in(&i, "ncb.officer").await {
                    write_until_gone(http, i, case, c, acked).await
                }
            })
        })
        .collect()
}

/// A pseudo-random delay (no seed needed: any moment is a fair moment to die).
fn some_millis(low: u64, high: u64) -> u64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos() as u64;
    low + nanos % (high - low)
}

async fn check_everything_acknowledged_is_there(i: &Instance, case: &str, acked: &Acknowledged) {
    let pool = sqlx::SqlitePool::connect(&i.db_url()).await.unwrap();
    let values: Vec<String> =
        sqlx::query_scalar("SELECT value FROM indicators WHERE case_id = ?").bind(case).fetch_all(&pool).await.unwrap();
    for v in &acked.indicators {
        assert!(values.contains(v), "acknowledged indicator {v} lost");
    }
    for (sha, bytes) in &acked.files {
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attachments WHERE sha256 = ?").bind(sha).fetch_one(&pool).await.unwrap();
        assert!(rows >= 1, "acknowledged attachment {sha} lost");
        let on_disk = std::fs::read(i.dir.join("files").join(&sha[..2]).join(sha)).expect("its file");
        assert!(on_disk == *bytes, "attachment {sha}: the file differs from what was sent");
    }
    // Nothing half-written: every attachment row has its whole file.
    let all: Vec<(String, i64)> = sqlx::query_as("SELECT sha256, size FROM attachments").fetch_all(&pool).await.unwrap();
    for (sha, size) in all {
        let len = std::fs::metadata(i.dir.join("files").join(&sha[..2]).join(&sha)).map(|m| m.len()).unwrap_or(0);
        assert_eq!(len as i64, size, "attachment {sha} listed but its file is missing or short");
    }
    pool.close().await;
}

fn audit_verifies(i: &Instance) {
    let out = i.command(&["audit", "verify"]).stdout(Stdio::piped()).stderr(Stdio::piped()).output().unwrap();
    assert!(
        out.status.success(),
        "audit verify after a crash: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn kill_9_under_concurrent_writes_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let i = Arc::new(Instance { dir: dir.path().to_path_buf(), port: free_port() });
    let mut server = i.start().await;
    let case = own_case(&i, "Crash case").await;
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    for round in 0..3 {
        let clients = writers(&i, &case, &acked);
        tokio::time::sleep(Duration::from_millis(some_millis(300, 1500))).await;
        server.kill().expect("kill -9");
        server.wait().unwrap();
        for c in clients {
            c.await.unwrap();
        }
        let (indicators, files) = {
            let mut a = acked.lock().unwrap();
            a.rounds += 1;
            (a.indicators.len(), a.files.len())
        };
        eprintln!("round {round}: {indicators} indicators and {files} files acknowledged so far");
        assert!(indicators > 10 * round && files > 3 * round, "round {round}: the clients wrote before the kill");
        server = i.start().await;
        let seen = acked.lock().unwrap().clone();
        check_everything_acknowledged_is_there(&i, &case, &seen).await;
    }
    // The server serves again, and the trail verifies (the restart signed what the crash left unsigned).
    assert!(call(&signed_in(&i, "ncb.officer").await, &i, "current_user", &[]).await.is_ok());
    audit_verifies(&i);

    // kill -9 during a backup: no archive appears under the name asked for, the live data is untouched, and
    // the next backup works.
    let archive = i.dir.join("b.tar");
    let mut backup = i.command(&["backup", archive.to_str().unwrap()]).spawn().unwrap();
    tokio::time::sleep(Duration::from_millis(some_millis(5, 120))).await;
    let _ = backup.kill();
    let _ = backup.wait();
    let finished = archive.exists();
    if finished {
        // The backup won the race: it must then be whole.
        assert!(i.command(&["backup", "--verify", archive.to_str().unwrap()]).status().unwrap().success());
        std::fs::remove_file(&archive).unwrap();
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let seen = acked.lock().unwrap().clone();
    check_everything_acknowledged_is_there(&i, &case, &seen).await;
    audit_verifies(&i);
    assert!(i.command(&["backup", archive.to_str().unwrap()]).status().unwrap().success());
    assert!(i.command(&["backup", "--verify", archive.to_str().unwrap()]).status().unwrap().success());
}

#[tokio::test]
async fn sigterm_under_load_finishes_what_started_and_signs_the_trail_before_exiting() {
    let dir = tempfile::tempdir().unwrap();
    let i = Arc::new(Instance { dir: dir.path().to_path_buf(), port: free_port() });
    let mut server = i.start().await;
    let case = own_case(&i, "Shutdown case").await;
    let acked = Arc::new(Mutex::new(Acknowledged::default()));
    let clients = writers(&i, &case, &acked);
    tokio::time::sleep(Duration::from_millis(some_millis(400, 1200))).await;
    let term = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(term.success());
    // It exits by itself, promptly and cleanly.
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "still running 30 s after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "exit status after SIGTERM: {status}");
    for c in clients {
        c.await.unwrap();
    }
    let seen = acked.lock().unwrap().clone();
    assert!(seen.indicators.len() > 10, "the clients wrote before the signal");
    assert!(seen.server_errors.is_empty(), "requests under way failed: {:?}", seen.server_errors);
    check_everything_acknowledged_is_there(&i, &case, &seen).await;
    // Signed to its last event at the stop: nothing unsigned, however strict the check.
    let out = i.command(&["audit", "verify", "--max-unsigned-age", "0"]).stdout(Stdio::piped()).stderr(Stdio::piped()).output().unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 newer events not yet signed"), "{}", String::from_utf8_lossy(&out.stdout));
}

/// A filesystem of its own for one test: a small tmpfs, unmounted when dropped.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    /// Needs root (CI runs as root): without it the test fails rather than pass having shown nothing.
    fn mount(megabytes: u32) -> SmallDisk {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"]).arg(dir.path()).status();
        assert!(mounted.is_ok_and(|s| s.success()), "could not mount a {megabytes} MB tmpfs: this test needs root");
        SmallDisk(dir)
    }

    fn path(&self) -> PathBuf {
        self.0.path().to_path_buf()
    }

    /// Fills what is left with one file, to the last block.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let path = self.0.path().join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        for chunk in [1 << 20, 4096, 512] {
            let block = vec![0u8; chunk];
            while f.write_all(&block).is_ok() {}
        }
        let _ = f.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0.path()).status();
    }
}

/// A full disk: the server's database and files on a small filesystem that the test fills. Writes are
/// refused with 507 and words a user understands (never a 500, never a half-written row or file); lists
/// go on being served; nothing acknowledged before or during is lost; once space is freed, writes work
/// again without a restart, and the audit trail verifies.
#[tokio::test]
async fn a_full_disk_refuses_writes_in_words_keeps_lists_and_recovers_when_freed() {
    let disk = SmallDisk::mount(48);
    let i = Arc::new(Instance { dir: disk.path(), port: free_port() });
    let mut server = i.start().await;
    let case = own_case(&i, "Disk-full drill").await;
    let http = signed_in(&i, "ncb.officer").await;
    // Its own connection: a refused upload's connection is closed before the whole body is read.
    let uploader = signed_in(&i, "ncb.officer").await;
    let filler = disk.fill();

    // SQLite first fills the room its files already have; then the refusals come, each with its reason.
    let mut acked = Vec::new();
    let mut refusal = None;
    for n in 0..5000 {
        let value = format!("n{n}.full.example");
        match call(&http, &i, "add_indicator", &[("case_id", &case), ("kind", "domain"), ("value", &value), ("tlp", "amber")]).await {
            Ok(_) => acked.push(value),
            Err(e) => {
                refusal = Some(e);
                break;
            }
        }
    }
    let refusal = refusal.expect("a write refused once the disk is full");
    // The answer is the error the page shows in words ("The server's storage is full, so nothing could be saved…").
    let (status, body) = refusal.split_once(": ").unwrap();
    assert!(status.starts_with("507"), "{refusal}");
    assert_eq!(serde_json::from_str::<app::error::AppError>(body).ok(), Some(app::error::AppError::NoSpace), "{refusal}");
    let upload = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(vec![7u8; 256 * 1024]).file_name("full.bin"));
    let res = uploader.post(format!("{}/attachments?case={case}", i.base())).multipart(upload).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 507, "an upload on a full disk");

    // What is not recorded per view keeps being served: the case list and the inbox.
    let list = call(&http, &i, "list_cases", &[("filter[q]", "Disk-full")]).await.expect("the case list on a full disk");
    assert_eq!(list["cases"].as_array().map(Vec::len), Some(1), "{list}");
    call(&http, &i, "inbox", &[("filter[direction]", "both")]).await.expect("the inbox on a full disk");

    // Space comes back: writes work again, without a restart.
    std::fs::remove_file(&filler).unwrap();
    call(&http, &i, "add_indicator", &[("case_id", &case), ("kind", "domain"), ("value", "after.full.example"), ("tlp", "amber")])
        .await
        .expect("a write once space is freed");
    acked.push("after.full.example".into());

    server.kill().expect("kill -9");
    server.wait().unwrap();
    let pool = sqlx::SqlitePool::connect(&i.db_url()).await.unwrap();
    let values: Vec<String> =
        sqlx::query_scalar("SELECT value FROM indicators WHERE case_id = ?").bind(&case).fetch_all(&pool).await.unwrap();
    pool.close().await;
    for v in &acked {
        assert!(values.contains(v), "acknowledged indicator {v} lost");
    }
    assert_eq!(values.len(), acked.len(), "only what was acknowledged is there");
    audit_verifies(&i);
    let files: Vec<_> = std::fs::read_dir(i.dir.join("files")).map(|d| d.flatten().map(|e| e.file_name()).collect()).unwrap_or_default();
    assert!(files.iter().all(|f| !f.to_string_lossy().starts_with(".incoming")), "no half-written upload left: {files:?}");
}
