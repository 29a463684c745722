//! The command line: `serve` (the default) and the operator's commands. Each is documented by `--help`.

use crate::config::{DbArgs, ServeArgs};
use app::backend::platform::audit::{self, Event, Who};
use app::backend::platform::checkpoints::{self, Checkpoint, TrailReport};
use app::backend::platform::db::{Db, SqliteTuning};
use app::backend::platform::identity::{InstanceKey, PublicKey};
use app::backend::{data::demo, platform::agencies, platform::passwords, platform::users};
use app::error::AppError;
use clap::{Parser, Subcommand};
use serde_json::json;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(name = "liaison-desk", version, about = "Liaison Desk: cases, requests and responses between liaison officers")]
pub struct Cli {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
// Parsed once at start: the size of the serve variant costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Serve the web application (the default when no command is given).
    Serve(ServeArgs),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage agencies.
    #[command(subcommand)]
    Agency(AgencyCommand),
    /// Check the audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Write one archive (tar) with a consistent copy of the live database (without sessions), the attachment
    /// files it references and a manifest of SHA-256s, schema version and audit checkpoint; safe while
    /// serving. With --verify, check the archive FILE instead, without restoring it.
    Backup {
        file: PathBuf,
        #[arg(long)]
        verify: bool,
        /// Where the attachment files are (as the server's LD_ATTACHMENT_DIR).
        #[arg(long, env = "LD_ATTACHMENT_DIR", default_value = "data/attachments")]
        attachment_dir: PathBuf,
    },
    /// Restore an archive made by `backup` into a new directory: checks every file against the manifest,
    /// refuses a damaged archive or one of a newer schema, then verifies the restored audit trail.
    Restore {
        archive: PathBuf,
        #[arg(long)]
        to: PathBuf,
        /// The instance's public key (from `audit public-key`, kept elsewhere): the restored trail is checked
        /// against it. Without it, against the key the archive names (which shows damage, not forgery).
        #[arg(long)]
        public_key: Option<PathBuf>,
    },
    /// Deterministic synthetic data at scale, for benchmarks (adds demo accounts if the database is empty).
    Seed {
        #[arg(long, default_value_t = 1000)]
        cases: u64,
        #[arg(long, default_value_t = 10000)]
        requests: u64,
        #[arg(long, default_value_t = 50000)]
        audit_events: u64,
        #[arg(long, default_value_t = 3)]
        officers_per_agency: u64,
        /// The same seed gives the same data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
    /// Load demo agencies and accounts into an empty database; prints the generated passwords.
    DemoData {
        /// Also write the accounts and passwords to this file (mode 0600).
        #[arg(long, default_value = "data/demo-credentials.txt")]
        credentials_file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account. The password is read from stdin with --password-stdin, else generated and
    /// printed once; a generated one must be changed at first sign-in.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// officer, supervisor or admin
        #[arg(long)]
        role: String,
        /// The agency's code (see `liaison-desk agency add`).
        #[arg(long)]
        agency: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Give an account a new temporary password (printed once) and unlock it; it must be changed at sign-in.
    ResetPassword { username: String },
}

#[derive(Subcommand, Debug)]
pub enum AgencyCommand {
    /// Create an agency.
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// IN (India) or CA (Canada)
        #[arg(long)]
        country: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Recompute the hash chain and check the signed checkpoints against it; exit 0 with "audit chain OK:
    /// N events", or 1 naming the first bad event (changed, missing, cut off, rewritten or unsigned).
    Verify {
        /// A checkpoint exported earlier (`audit checkpoint --out`) and kept elsewhere: the chain must still
        /// reach its event with its hash.
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// The instance's public key as kept elsewhere (`audit public-key`); without it, the key file's.
        #[arg(long)]
        public_key: Option<PathBuf>,
        /// Events newer than the newest signed checkpoint are accepted for this many seconds (the server
        /// signs at least every minute and when it stops); older unsigned events fail the check.
        #[arg(long, default_value_t = 120)]
        max_unsigned_age: u64,
    },
    /// Print the instance's public key (64 hexadecimal digits): keep a copy away from this machine.
    PublicKey,
    /// Sign the chain's current end and write the newest checkpoint to FILE (JSON), to keep elsewhere.
    Checkpoint {
        #[arg(long)]
        out: PathBuf,
    },
}

fn operator() -> Who {
    let name = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    Who { username: Some(format!("cli:{name}")), ..Who::default() }
}

pub fn explain(e: AppError) -> anyhow_like::Error {
    match e {
        AppError::Validation(fields) => {
            anyhow_like::Error(fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("\n"))
        }
        other => anyhow_like::Error(other.to_string()),
    }
}

/// A plain message error for the command line.
pub mod anyhow_like {
    #[derive(Debug)]
    pub struct Error(pub String);
    impl std::fmt::Display for Error {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }
    impl From<sqlx::Error> for Error {
        fn from(e: sqlx::Error) -> Self {
            Error(format!("database error: {e}"))
        }
    }
    impl From<sqlx::migrate::MigrateError> for Error {
        fn from(e: sqlx::migrate::MigrateError) -> Self {
            Error(format!("migration failed: {e}"))
        }
    }
    impl From<crate::archive::Problem> for Error {
        fn from(e: crate::archive::Problem) -> Self {
            Error(e.0)
        }
    }
    impl From<std::io::Error> for Error {
        fn from(e: std::io::Error) -> Self {
            Error(format!("i/o error: {e}"))
        }
    }
}
pub use anyhow_like::Error;

pub async fn open_db(url: &str, tuning: SqliteTuning) -> Result<Db, Error> {
    if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        let path = path.split('?').next().unwrap_or(path);
        if let Some(dir) = Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
    }
    let db = Db::open(url, tuning).await?;
    db.migrate().await.map_err(|e| match e {
        // The database was used by a newer binary: running this one on it could misread what it wrote.
        sqlx::migrate::MigrateError::VersionMissing(version) => Error(format!(
            "this database has schema version {version}, newer than this binary knows (up to {}): it was used by a newer \
             Liaison Desk. Run that version, or restore a backup made with this one. Nothing was changed.",
            crate::archive::known_schema()
        )),
        other => Error::from(other),
    })?;
    Ok(db)
}

pub async fn user_add(
    db: &Db,
    username: String,
    display_name: String,
    role: String,
    agency: String,
    password_stdin: bool,
) -> Result<(), Error> {
    let role = users::validate_fields(Some(&username), &display_name, &role, None).map_err(explain)?;
    let (password, kind) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let password = line.trim_end_matches(['\n', '\r']).to_string();
        passwords::check_rules(&password, &username).map_err(Error)?;
        (password, users::PasswordKind::Chosen)
    } else {
        (passwords::generate(), cli_temporary())
    };
    let hash = passwords::hash(password.clone()).await;
    let mut tx = db.begin_write().await?;
    let new = users::NewUser { username: username.clone(), display_name, role, agency_code: agency, time_zone: None, service: false };
    let row = users::insert(&mut tx, &new, &hash, kind).await.map_err(explain)?;
    audit::record(
        &mut tx,
        &operator(),
        Event::new("user.create")
            .on("user", row.id)
            .details(json!({"username": row.username, "role": row.role, "agency": row.agency_code, "source": "cli"})),
    )
    .await
    .map_err(explain)?;
    tx.commit().await?;
    println!("Created {} ({}, {}).", row.username, role.label(), row.agency_code);
    if !password_stdin {
        println!("Temporary password (shown once, for one sign-in within 24 hours; must then be changed): {password}");
    }
    Ok(())
}

/// The CLI's temporary passwords work for the default time (the operator hands them over at once).
fn cli_temporary() -> users::PasswordKind {
    let hours = app::backend::settings::TEMPORARY_PASSWORD_HOURS as i64;
    users::PasswordKind::Temporary { until: chrono::Utc::now() + chrono::Duration::hours(hours) }
}

pub async fn reset_password(db: &Db, username: &str) -> Result<(), Error> {
    let password = passwords::generate();
    let hash = passwords::hash(password.clone()).await;
    let mut tx = db.begin_write().await?;
    let row = users::by_username(&mut tx, username).await.map_err(explain)?.ok_or_else(|| Error(format!("no user named {username}")))?;
    users::set_password(&mut tx, row.id, &hash, cli_temporary()).await.map_err(explain)?;
    audit::record(
        &mut tx,
        &operator(),
        Event::new("user.reset_password").on("user", row.id).details(json!({"username": row.username, "source": "cli"})),
    )
    .await
    .map_err(explain)?;
    tx.commit().await?;
    println!("Temporary password for {} (shown once, for one sign-in within 24 hours; must then be changed): {password}", row.username);
    Ok(())
}

pub async fn agency_add(db: &Db, code: &str, name: &str, country: &str) -> Result<(), Error> {
    let (code, name, country) = agencies::validate(code, name, country).map_err(explain)?;
    let mut tx = db.begin_write().await?;
    let a = agencies::insert(&mut tx, &code, &name, country).await.map_err(explain)?;
    audit::record(&mut tx, &operator(), Event::new("agency.create").on("agency", a.id).details(json!({"code": code, "source": "cli"})))
        .await
        .map_err(explain)?;
    tx.commit().await?;
    println!("Created agency {} ({}).", a.code, country.label());
    Ok(())
}

/// How `audit verify` was asked to check.
pub struct VerifyArgs {
    pub checkpoint: Option<PathBuf>,
    pub public_key: Option<PathBuf>,
    pub max_unsigned_age: u64,
}

/// Exit code 0 when the chain and its checkpoints verify, 1 when they do not.
pub async fn audit_verify(db: &Db, key_file: &Path, args: VerifyArgs) -> Result<i32, Error> {
    let started = std::time::Instant::now();
    let trusted = match &args.public_key {
        Some(file) => PublicKey::from_hex(&std::fs::read_to_string(file)?).map_err(|e| Error(e.to_string()))?,
        None => InstanceKey::load(key_file).map_err(|e| Error(format!("{e}; or give the public key with --public-key")))?.public(),
    };
    let external: Option<Checkpoint> = match &args.checkpoint {
        Some(file) => Some(
            serde_json::from_str(&std::fs::read_to_string(file)?)
                .map_err(|e| Error(format!("{}: not a checkpoint: {e}", file.display())))?,
        ),
        None => None,
    };
    let grace = std::time::Duration::from_secs(args.max_unsigned_age);
    match checkpoints::verify(&db.pool, &trusted, external.as_ref(), grace, chrono::Utc::now()).await? {
        TrailReport::Ok { events, checkpoints, signed_to, unsigned_at_start } => {
            println!("audit chain OK: {events} events");
            println!(
                "{checkpoints} signed checkpoints verified; signed up to event {signed_to}; {} newer events not yet signed",
                events as i64 - signed_to
            );
            if unsigned_at_start > 0 {
                println!(
                    "warning: {unsigned_at_start} times the server found events it had not signed when it started (a crash, or writes \
                     behind its back): see the audit trail's audit.unsigned_at_start events"
                );
            }
            tracing::info!(events, seconds = started.elapsed().as_secs_f64(), "audit chain verified");
            Ok(0)
        }
        TrailReport::Broken { event_id, reason } => {
            eprintln!("audit chain BROKEN at event {event_id}: {reason}");
            Ok(1)
        }
    }
}

pub fn audit_public_key(key_file: &Path) -> Result<(), Error> {
    println!("{}", InstanceKey::load(key_file).map_err(|e| Error(e.to_string()))?.public_hex());
    Ok(())
}

/// Signs the current end of the chain (if it moved) and writes the newest checkpoint to `out`.
pub async fn audit_checkpoint(db: &Db, key_file: &Path, out: &Path) -> Result<(), Error> {
    let key = InstanceKey::load(key_file).map_err(|e| Error(e.to_string()))?;
    checkpoints::sign_tail(db, &key).await.map_err(explain)?;
    let latest = checkpoints::latest(&db.pool).await?.ok_or_else(|| Error("the audit trail is empty: nothing to sign".into()))?;
    let json = serde_json::to_string_pretty(&latest).map_err(|e| Error(e.to_string()))?;
    std::fs::write(out, json + "\n")?;
    println!("Checkpoint of event {} written to {}: keep it away from this machine.", latest.last_id, out.display());
    Ok(())
}

/// The backup archive (see `archive`), its copy of the audit trail signed to its last event.
/// Opens the live database as it is (no migration: a newer binary installed before the server's restart must
/// not change the database under it), refusing a missing file or another schema than this binary's, and
/// signs with the instance's existing key (never a new one).
pub async fn backup(database_url: &str, tuning: SqliteTuning, file: &Path, key_file: &Path, attachment_dir: &Path) -> Result<(), Error> {
    let path = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:")).unwrap_or(database_url);
    let path = path.split('?').next().unwrap_or(path);
    if !Path::new(path).is_file() {
        return Err(Error(format!("{path}: no database there (check DATABASE_URL)")));
    }
    let key = InstanceKey::load(key_file).map_err(|e| Error(format!("{e}; the backup is signed with the instance's key")))?;
    let db = Db::open(database_url, tuning).await?;
    let schema: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = 1").fetch_one(&db.pool).await?;
    if schema != crate::archive::known_schema() {
        return Err(Error(format!(
            "the database's schema is {schema}, this binary's {}: back up with the binary that serves it",
            crate::archive::known_schema()
        )));
    }
    let manifest = crate::archive::backup(&db, &key, attachment_dir, file).await?;
    print!("Backup written to {}: ", file.display());
    crate::archive::describe(&manifest, &mut std::io::stdout())?;
    println!("Keep it off this machine. The keys (instance-signing.key, instance-secrets.key) are not in it: keep them apart.");
    Ok(())
}

/// Checks an archive without restoring it: exit 0 when whole, an error naming what is wrong otherwise.
pub fn backup_verify(file: &Path) -> Result<(), Error> {
    let manifest = crate::archive::verify(file)?;
    print!("Archive OK: ");
    crate::archive::describe(&manifest, &mut std::io::stdout())?;
    Ok(())
}

/// Restores an archive into a new directory and says how to serve from it.
pub async fn restore(archive: &Path, to: &Path, public_key: Option<&Path>) -> Result<(), Error> {
    let trusted = match public_key {
        Some(file) => Some(PublicKey::from_hex(&std::fs::read_to_string(file)?).map_err(|e| Error(e.to_string()))?),
        None => None,
    };
    let done = crate::archive::restore(archive, to, trusted).await?;
    print!("Restored into {}: ", to.display());
    crate::archive::describe(&done.manifest, &mut std::io::stdout())?;
    println!(
        "audit chain OK: {} events, checked against {}",
        done.audit_events,
        if done.key_given { "the public key given" } else { "the key named in the archive (give --public-key to check it is yours)" }
    );
    println!(
        "Serve it with DATABASE_URL=sqlite://{} LD_ATTACHMENT_DIR={} (and the instance's two key files beside the database).",
        done.database.display(),
        done.attachments.display()
    );
    Ok(())
}

/// Loads demo data and writes the credentials file (0600). Returns false when the database already had users.
pub async fn demo_data(db: &Db, credentials_file: &Path) -> Result<bool, Error> {
    let accounts = match demo::load(db).await {
        Ok(a) => a,
        Err(AppError::Conflict(msg)) => {
            println!("{msg}");
            return Ok(false);
        }
        Err(e) => return Err(explain(e)),
    };
    let mut text = String::from("# Liaison Desk demo accounts (generated passwords; demo use only)\n");
    for a in &accounts {
        let note = if a.note.is_empty() { String::new() } else { format!("  ({})", a.note) };
        text.push_str(&format!("{:<16} {:<11} {:<8} {}{note}\n", a.username, a.role.as_str(), a.agency, a.password));
    }
    if let Some(dir) = credentials_file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    write_private(credentials_file, &text)?;
    println!("Demo data loaded. Sign in with one of these accounts (also in {}):\n", credentials_file.display());
    print!("{text}");
    std::io::stdout().flush()?;
    Ok(true)
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())
}

pub async fn seed(db: &Db, size: app::backend::data::seed::SeedSize) -> Result<(), Error> {
    let report = app::backend::data::seed::run(db, &size, chrono::Utc::now()).await.map_err(explain)?;
    println!("rows: {}", report.rows);
    println!("seconds: {:.2}", report.seconds);
    println!("rows per second: {:.0}", report.rows as f64 / report.seconds.max(1e-9));
    println!("first case id: {}", report.first_case);
    println!("open case id: {}", report.open_case);
    println!("accounts: seed.<agency code>.<nn>, in.supervisor, ca.supervisor, admin share one password");
    println!("password: {}", report.password);
    Ok(())
}
