//! Configuration from the environment (each variable also has a flag; see `liaison-desk serve --help`).

use app::backend::exchange::deadlines::DeadlinePolicy;
use app::backend::platform::db::SqliteTuning;
use app::backend::settings::Settings;
use clap::Args;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args, Clone, Debug)]
pub struct DbArgs {
    /// SQLite database URL; the file is created if missing.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/liaison-desk.db", global = true)]
    pub database_url: String,
    /// SQLite page cache per pooled connection, in KiB.
    #[arg(long, env = "LD_SQLITE_CACHE_KB", default_value_t = 4096, global = true)]
    pub sqlite_cache_kb: u64,
    /// Pooled SQLite connections for reading (writes have one connection of their own). Each runs on a
    /// thread of its own: more than about twice the cores only adds switching between them (on 2 cores,
    /// 4 served the inbox 25-40 % faster than 8).
    #[arg(long, env = "LD_SQLITE_CONNECTIONS", default_value_t = 4, global = true)]
    pub sqlite_connections: u32,
    /// Memory-map this much of the database file, in MiB (the mapped pages count in the resident size).
    #[arg(long, env = "LD_SQLITE_MMAP_MB", default_value_t = 0, global = true)]
    pub sqlite_mmap_mb: u64,
    /// The instance's Ed25519 signing key (made at first start, mode 0600), which signs the audit trail's
    /// checkpoints. Default: instance-signing.key beside the database file. Keep it out of database backups.
    #[arg(long, env = "LD_SIGNING_KEY_FILE", global = true)]
    pub signing_key_file: Option<PathBuf>,
}

impl DbArgs {
    pub fn signing_key_file(&self) -> PathBuf {
        self.signing_key_file.clone().unwrap_or_else(|| app::backend::platform::identity::default_key_path(&self.database_url))
    }

    pub fn tuning(&self) -> SqliteTuning {
        SqliteTuning { cache_kb: self.sqlite_cache_kb, connections: self.sqlite_connections.max(1), mmap_mb: self.sqlite_mmap_mb }
    }
}

#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// Set when the site is served over HTTPS: cookies become `Secure` with the `__Host-` prefix, and HSTS is sent.
    #[arg(long, env = "LD_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,
    /// Serve plain HTTP on an address other than loopback anyway (session cookies then cross the network
    /// unencrypted). Without it, such an address needs LD_SECURE_COOKIES=true behind a TLS proxy.
    #[arg(long, env = "LD_INSECURE_HTTP", default_value_t = false)]
    pub insecure_http: bool,
    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "LD_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: u64,
    /// Hours after sign-in after which a session ends however active it is.
    #[arg(long, env = "LD_SESSION_ABSOLUTE_HOURS", default_value_t = 12)]
    pub session_absolute_hours: u64,
    /// Consecutive failed sign-ins that lock an account.
    #[arg(long, env = "LD_LOCKOUT_THRESHOLD", default_value_t = 5)]
    pub lockout_threshold: i64,
    /// How long a locked account stays locked, in minutes.
    #[arg(long, env = "LD_LOCKOUT_MINUTES", default_value_t = 15)]
    pub lockout_minutes: u64,
    /// Sign-in attempts allowed per client address per minute.
    #[arg(long, env = "LD_SIGNIN_PER_IP_PER_MINUTE", default_value_t = 30)]
    pub signin_per_ip_per_minute: u32,
    /// Hours a temporary password (new account, reset by an admin) works if unused; it works for one sign-in.
    #[arg(long, env = "LD_TEMPORARY_PASSWORD_HOURS", default_value_t = app::backend::settings::TEMPORARY_PASSWORD_HOURS)]
    pub temporary_password_hours: u64,
    /// Searches, cross-checks and exports (CSV, PDF, STIX) one user may run per minute; past it, 429 with
    /// Retry-After and a message.
    #[arg(long, env = "LD_EXPENSIVE_READS_PER_MINUTE", default_value_t = 60)]
    pub expensive_reads_per_minute: u32,
    /// Calls one API token may make per minute on /api/v1; past it, 429 with Retry-After.
    #[arg(long, env = "LD_API_CALLS_PER_MINUTE", default_value_t = 600)]
    pub api_calls_per_minute: u32,
    /// Calendar days a provider has to answer a request for consent to use or pass on what it gave.
    #[arg(long, env = "LD_CONSENT_DAYS", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=90))]
    pub consent_days: u32,
    /// The SMTP server e-mail alerts go through (`smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://host:465`); without it no e-mail is sent.
    #[arg(long, env = "LD_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of e-mail alerts.
    #[arg(long, env = "LD_SMTP_FROM", default_value = "Liaison Desk <liaison-desk@localhost>")]
    pub smtp_from: String,
    /// Reverse proxies (addresses or CIDR blocks, comma-separated) whose X-Forwarded-For names the client for
    /// rate limits and the audit trail; from any other peer the header is ignored.
    #[arg(long, env = "LD_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,
    /// Every account needs a second factor (an authenticator app) to sign in; accounts made by the demo data
    /// are exempt. `false` makes the second factor optional for everyone.
    #[arg(long, env = "LD_REQUIRE_SECOND_FACTOR", default_value_t = true, action = clap::ArgAction::Set)]
    pub require_second_factor: bool,
    /// The key (made at first start, mode 0600) that seals second-factor secrets in the database. Default:
    /// instance-secrets.key beside the database file. Keep it out of database backups.
    #[arg(long, env = "LD_SECRETS_KEY_FILE")]
    pub secrets_key_file: Option<std::path::PathBuf>,
    /// The address users open Liaison Desk at, e.g. https://desk.example.gc.ca (behind the TLS proxy).
    /// Passkeys are bound to it: browsers offer them only there, and only for a host name over HTTPS (or
    /// on localhost). Default: http://localhost:PORT of the address served.
    #[arg(long, env = "LD_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// A token that opens /metrics from elsewhere than this machine (`Authorization: Bearer TOKEN`). Without
    /// it, /metrics answers loopback clients only.
    #[arg(long, env = "LD_METRICS_TOKEN")]
    pub metrics_token: Option<String>,
    /// Largest request body accepted, in bytes (larger ones get 413).
    #[arg(long, env = "LD_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Largest attachment accepted, in megabytes.
    #[arg(long, env = "LD_ATTACHMENT_MAX_MB", default_value_t = 25)]
    pub attachment_max_mb: u64,
    /// How much attachment content each agency may store, in megabytes (then uploads are refused with a
    /// message).
    #[arg(long, env = "LD_AGENCY_QUOTA_MB", default_value_t = 20 * 1024)]
    pub agency_quota_mb: u64,
    /// Where attachment contents are stored (under their SHA-256).
    #[arg(long, env = "LD_ATTACHMENT_DIR", default_value = "data/attachments")]
    pub attachment_dir: String,
    /// Deadline for urgent requests for directly available information, in hours.
    #[arg(long, env = "LD_DEADLINE_URGENT_DIRECT_HOURS", default_value_t = 8)]
    pub deadline_urgent_direct_hours: i64,
    /// Deadline for urgent requests for indirectly available information, in hours.
    #[arg(long, env = "LD_DEADLINE_URGENT_INDIRECT_HOURS", default_value_t = 72)]
    pub deadline_urgent_indirect_hours: i64,
    /// Deadlines for high, normal and low priority requests, in hours.
    #[arg(long, env = "LD_DEADLINE_HIGH_HOURS", default_value_t = 168)]
    pub deadline_high_hours: i64,
    #[arg(long, env = "LD_DEADLINE_NORMAL_HOURS", default_value_t = 168)]
    pub deadline_normal_hours: i64,
    #[arg(long, env = "LD_DEADLINE_LOW_HOURS", default_value_t = 168)]
    pub deadline_low_hours: i64,
    /// Seconds after which a country's dashboard figures are recomputed (in the background, by the next
    /// view; views show the last completed figures with their time).
    #[arg(long, env = "LD_DASHBOARD_MAX_AGE_SECS", default_value_t = 60)]
    pub dashboard_max_age_secs: u64,
    /// Load demo agencies and accounts if the database has no users yet, and write their passwords to
    /// the credentials file.
    #[arg(long, env = "LD_DEMO_DATA", default_value_t = false)]
    pub demo_data: bool,
    /// Where the demo accounts' generated passwords are written (mode 0600).
    #[arg(long, env = "LD_DEMO_CREDENTIALS_FILE", default_value = "data/demo-credentials.txt")]
    pub demo_credentials_file: String,
}

impl Default for ServeArgs {
    fn default() -> Self {
        use clap::Parser;
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            serve: ServeArgs,
        }
        Wrapper::parse_from(["liaison-desk"]).serve
    }
}

impl ServeArgs {
    /// The settings, with the sealing key read (or made) from its file; without a file (tests), a key that
    /// lives as long as the process.
    pub fn settings(&self, site_addr: std::net::SocketAddr) -> Result<Settings, String> {
        use app::backend::platform::secrets::SealingKey;
        let sealing_key = match &self.secrets_key_file {
            Some(path) => SealingKey::load_or_create(path).map_err(|e| e.to_string())?,
            None => SealingKey::ephemeral(),
        };
        let trusted_proxies =
            app::backend::platform::client_addr::parse_trusted(&self.trusted_proxies).map_err(|e| format!("LD_TRUSTED_PROXIES: {e}"))?;
        if self.public_url.is_none() && self.secure_cookies {
            tracing::warn!(
                "LD_PUBLIC_URL is not set: passkeys work only at http://localhost:{}, not at the HTTPS address users open",
                site_addr.port()
            );
        }
        let public_url = self.public_url.clone().unwrap_or_else(|| format!("http://localhost:{}", site_addr.port()));
        let passkeys = app::backend::platform::passkeys::RelyingParty::new(&public_url)?;
        Ok(Settings {
            passkeys: std::sync::Arc::new(passkeys),
            lockout_threshold: self.lockout_threshold,
            lockout_duration: Duration::from_secs(self.lockout_minutes * 60),
            signin_per_ip_per_minute: self.signin_per_ip_per_minute,
            session_idle: Duration::from_secs(self.session_idle_minutes * 60),
            session_absolute: Duration::from_secs(self.session_absolute_hours * 3600),
            secure_cookies: self.secure_cookies,
            deadlines: DeadlinePolicy {
                urgent_direct: chrono::Duration::hours(self.deadline_urgent_direct_hours),
                urgent_indirect: chrono::Duration::hours(self.deadline_urgent_indirect_hours),
                high: chrono::Duration::hours(self.deadline_high_hours),
                normal: chrono::Duration::hours(self.deadline_normal_hours),
                low: chrono::Duration::hours(self.deadline_low_hours),
            },
            attachment_max_bytes: self.attachment_max_mb * 1024 * 1024,
            agency_quota_bytes: self.agency_quota_mb.saturating_mul(1024 * 1024),
            attachment_dir: self.attachment_dir.clone().into(),
            dashboard_max_age: Duration::from_secs(self.dashboard_max_age_secs),
            temporary_password_ttl: Duration::from_secs(self.temporary_password_hours.clamp(1, 24 * 30) * 3600),
            trusted_proxies,
            expensive_reads_per_minute: self.expensive_reads_per_minute,
            api_calls_per_minute: self.api_calls_per_minute,
            consent_days: self.consent_days,
            email_enabled: self.smtp_url.is_some(),
            require_second_factor: self.require_second_factor,
            sealing_key,
        })
    }
}
