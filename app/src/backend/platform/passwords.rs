//! Password hashing (argon2id, the crate's OWASP-conformant defaults), the password rules, and one-time
//! passwords. Hashing runs on the blocking pool: it takes tens of milliseconds of CPU by design.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::Rng;
use std::collections::HashSet;
use std::sync::OnceLock;

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

/// The 10,000 most common passwords (SecLists' 10-million list, top 10,000), compared case-insensitively.
static COMMON_SOURCE: &str = include_str!("common-passwords-10k.txt");

fn common() -> &'static HashSet<String> {
    static SET: OnceLock<HashSet<String>> = OnceLock::new();
    SET.get_or_init(|| COMMON_SOURCE.lines().map(|l| l.trim().to_lowercase()).collect())
}

/// A stored hash. Never serialised, never printed.
#[derive(Clone)]
pub struct PasswordHashString(pub String);

impl std::fmt::Debug for PasswordHashString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHashString(<redacted>)")
    }
}

/// Why a new password is refused, in words for the user.
pub fn check_rules(password: &str, username: &str) -> Result<(), String> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(tr!(crate::i18n::reader(), "err-use-least-characters-has", min_len = MIN_LEN as i64, len = len.to_string()));
    }
    if len > MAX_LEN {
        return Err(tr!(crate::i18n::reader(), "err-use-most-characters", max_len = MAX_LEN as i64));
    }
    let lower = password.to_lowercase();
    if common().contains(&lower) {
        return Err(tr!(crate::i18n::reader(), "err-password-list-commonly-used-passwords"));
    }
    if !username.is_empty() && lower.contains(&username.to_lowercase()) {
        return Err(tr!(crate::i18n::reader(), "err-password-must-not-contain-username"));
    }
    Ok(())
}

/// An argon2 hash takes a core and 19 MiB for tens of milliseconds. Running more at once than there are
/// cores only holds more memory while they queue for a core, and hashing on every core starves page
/// requests: sign-ins wait here for one of (cores - 1) slots, so one core always serves everyone else.
async fn on_hashing_slot<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    static SLOTS: OnceLock<tokio::sync::Semaphore> = OnceLock::new();
    let slots = SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        tokio::sync::Semaphore::new(cores.saturating_sub(1).max(1))
    });
    let _slot = slots.acquire().await.expect("the semaphore is never closed");
    tokio::task::spawn_blocking(move || {
        let _lowered = LowerPriority::for_this_thread();
        work()
    })
    .await
    .expect("hashing task panicked")
}

/// While a hash runs, its thread yields the core to page requests: with two cores, one hashing at normal
/// priority still doubled other pages' tail latency during a burst of sign-ins. Linux keeps the nice value
/// per thread; restoring it can be refused to an unprivileged process, which then leaves this blocking-pool
/// thread at the lower priority (it only ever runs blocking work).
struct LowerPriority;

impl LowerPriority {
    fn for_this_thread() -> LowerPriority {
        #[cfg(target_os = "linux")]
        // SAFETY: setpriority only changes the scheduling priority of the calling thread (who = 0).
        unsafe {
            libc::setpriority(libc::PRIO_PROCESS, 0, 10);
        }
        LowerPriority
    }
}

impl Drop for LowerPriority {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        // SAFETY: as above; a refusal (EACCES) is harmless.
        unsafe {
            libc::setpriority(libc::PRIO_PROCESS, 0, 0);
        }
    }
}

pub async fn hash(password: String) -> PasswordHashString {
    on_hashing_slot(move || hash_blocking(&password)).await
}

pub fn hash_blocking(password: &str) -> PasswordHashString {
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 with default parameters cannot fail").to_string();
    PasswordHashString(hash)
}

/// Verifies against `stored`, or against a dummy hash when there is no such user, so that the time taken
/// does not reveal whether a username exists.
pub async fn verify(password: String, stored: Option<PasswordHashString>) -> bool {
    on_hashing_slot(move || {
        let exists = stored.is_some();
        let hash = stored.map(|h| h.0).unwrap_or_else(|| dummy_hash().to_string());
        let ok =
            PasswordHash::new(&hash).map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()).unwrap_or(false);
        ok && exists
    })
    .await
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking(&generate()).0)
}

/// A random password for first sign-in or a reset: 20 characters from an alphabet without look-alikes,
/// grouped for reading aloud (about 100 bits).
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rngs::OsRng;
    (0..4).map(|_| (0..5).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect::<String>()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_refuse_short_long_common_and_username() {
        assert!(check_rules("short", "alice").unwrap_err().contains("at least 12"));
        assert!(check_rules(&"x".repeat(129), "alice").unwrap_err().contains("at most 128"));
        assert!(check_rules("qwerty123456", "alice").unwrap_err().contains("commonly used"));
        assert!(check_rules("QWERTY123456", "alice").unwrap_err().contains("commonly used"));
        assert!(check_rules("alice-is-the-best", "alice").unwrap_err().contains("username"));
        assert!(check_rules("correct horse battery", "alice").is_ok());
        assert!(check_rules(&"é".repeat(12), "alice").is_ok(), "length counts characters, not bytes");
    }

    #[test]
    fn common_list_has_ten_thousand_entries() {
        assert_eq!(COMMON_SOURCE.lines().count(), 10_000);
    }

    #[test]
    fn generated_passwords_pass_the_rules_and_differ() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert_eq!(a.len(), 23);
        assert!(check_rules(&a, "someone").is_ok());
    }

    #[tokio::test]
    async fn hash_then_verify() {
        let h = hash("a long enough secret".into()).await;
        assert!(h.0.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("a long enough secret".into(), Some(h.clone())).await);
        assert!(!verify("wrong password here".into(), Some(h)).await);
        assert!(!verify("anything at all".into(), None).await);
        assert_eq!(format!("{:?}", PasswordHashString("x".into())), "PasswordHashString(<redacted>)");
    }
}
