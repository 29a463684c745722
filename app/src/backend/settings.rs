//! Tunables the server reads from its environment (see README's configuration table).

use crate::backend::exchange::deadlines::DeadlinePolicy;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Consecutive failed sign-ins that lock an account.
    pub lockout_threshold: i64,
    pub lockout_duration: Duration,
    /// Sign-in attempts one client address may make per minute.
    pub signin_per_ip_per_minute: u32,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// Set when served over HTTPS: cookies get `Secure` and the `__Host-` prefix.
    pub secure_cookies: bool,
    pub deadlines: DeadlinePolicy,
    /// Largest attachment accepted, in bytes.
    pub attachment_max_bytes: u64,
    /// How much attachment content each agency's users may store, in bytes.
    pub agency_quota_bytes: u64,
    /// Where attachment contents are stored, under generated names.
    pub attachment_dir: PathBuf,
    /// How long one computation of a country's dashboard serves its supervisors.
    pub dashboard_max_age: Duration,
    /// How long a temporary password (new account, reset) works, if unused.
    pub temporary_password_ttl: Duration,
    /// Searches, cross-checks and exports one user may run per minute.
    pub expensive_reads_per_minute: u32,
    /// Calls one API token may make per minute.
    pub api_calls_per_minute: u32,
    /// Calendar days a provider has to answer a consent request (`LD_CONSENT_DAYS`, default 5).
    pub consent_days: u32,
    /// An SMTP server is configured (`LD_SMTP_URL`): e-mail alerts go out.
    pub email_enabled: bool,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`LD_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Every account needs a second factor to sign in (accounts the demo data made excepted).
    pub require_second_factor: bool,
    /// Seals second-factor secrets; loaded from its file by `serve` (the default lives in memory only).
    pub sealing_key: crate::backend::platform::secrets::SealingKey,
    /// This server as a WebAuthn relying party (passkeys), from `LD_PUBLIC_URL`.
    pub passkeys: std::sync::Arc<crate::backend::platform::passkeys::RelyingParty>,
}

/// Temporary passwords work for a day unless configured otherwise (the CLI uses this too).
pub const TEMPORARY_PASSWORD_HOURS: u64 = 24;

impl Settings {
    /// Until when a temporary password issued now works.
    pub fn temporary_until(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now() + chrono::Duration::from_std(self.temporary_password_ttl).unwrap_or(chrono::Duration::hours(24))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lockout_threshold: 5,
            lockout_duration: Duration::from_secs(15 * 60),
            signin_per_ip_per_minute: 30,
            session_idle: Duration::from_secs(30 * 60),
            session_absolute: Duration::from_secs(12 * 3600),
            secure_cookies: false,
            deadlines: DeadlinePolicy::default(),
            attachment_max_bytes: 25 * 1024 * 1024,
            agency_quota_bytes: 20 * 1024 * 1024 * 1024,
            attachment_dir: PathBuf::from("data/attachments"),
            dashboard_max_age: Duration::from_secs(60),
            temporary_password_ttl: Duration::from_secs(TEMPORARY_PASSWORD_HOURS * 3600),
            trusted_proxies: Vec::new(),
            expensive_reads_per_minute: 60,
            api_calls_per_minute: 600,
            consent_days: 5,
            email_enabled: false,
            require_second_factor: true,
            sealing_key: crate::backend::platform::secrets::SealingKey::ephemeral(),
            passkeys: std::sync::Arc::new(
                crate::backend::platform::passkeys::RelyingParty::new("http://localhost:3000").expect("a valid default address"),
            ),
        }
    }
}
