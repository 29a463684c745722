//! The instance's identity: an Ed25519 key that signs what this installation vouches for (the audit
//! trail's checkpoints first). The private key lives in a file of its own, outside the database, readable
//! by the service account only (mode 0600), made at first start: a copy of the database alone cannot sign.
//! Others check the signatures with the public key (`liaison-desk audit public-key`), kept apart from the
//! machine.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use std::path::{Path, PathBuf};

/// Why the key could not be read, made or used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("the key file {0} could not be read or written: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("the key file {0} does not hold a key (64 hexadecimal digits)")]
    Malformed(PathBuf),
    #[error(
        "there is no key at {0}: the server makes it at its first start (or set LD_SIGNING_KEY_FILE / LD_SECRETS_KEY_FILE to where it is)"
    )]
    Missing(PathBuf),
    #[error("the key file {0} can be read by others (mode {1:o}): make it private with `chmod 600`")]
    Exposed(PathBuf, u32),
    #[error("not a public key (64 hexadecimal digits): {0}")]
    BadPublicKey(String),
}

/// The instance's signing key.
#[derive(Clone)]
pub struct InstanceKey {
    key: SigningKey,
}

impl InstanceKey {
    /// Reads the key from `path`, or makes one there (mode 0600, never overwriting a file that exists).
    /// For the commands that write: the server, and the command line's writes.
    pub fn load_or_create(path: &Path) -> Result<Self, KeyError> {
        match Self::load(path) {
            Err(KeyError::Missing(_)) => Self::create(path),
            other => other,
        }
    }

    /// Reads the key from `path`, which must exist, be a plain file (not a link) and be private.
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        Ok(InstanceKey { key: SigningKey::from_bytes(&read_key_file(path)?) })
    }

    fn create(path: &Path) -> Result<Self, KeyError> {
        match make_key_file(path) {
            Ok(secret) => {
                let key = InstanceKey { key: SigningKey::from_bytes(&secret) };
                tracing::info!(path = %path.display(), public_key = %key.public_hex(), "made the instance's signing key");
                Ok(key)
            }
            Err(KeyError::Io(_, e)) if e.kind() == std::io::ErrorKind::AlreadyExists => Self::load(path),
            Err(e) => Err(e),
        }
    }

    /// The public key, as 64 hexadecimal digits.
    pub fn public_hex(&self) -> String {
        hex::encode(self.key.verifying_key().as_bytes())
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.key.verifying_key())
    }

    /// The signature of `message`, as 128 hexadecimal digits.
    pub fn sign(&self, message: &[u8]) -> String {
        hex::encode(self.key.sign(message).to_bytes())
    }
}

/// Reads a 32-byte key kept as hexadecimal in `path`, which must exist, be a plain file (not a link) and be
/// private to its owner. The instance's keys (signing, sealing) are all kept this way.
pub fn read_key_file(path: &Path) -> Result<[u8; 32], KeyError> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let io = |e| KeyError::Io(path.into(), e);
    let file = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(path);
    let mut file = match file {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(KeyError::Missing(path.into())),
        Err(e) => return Err(io(e)),
    };
    let mode = file.metadata().map_err(io)?.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(KeyError::Exposed(path.into(), mode));
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text).map_err(io)?;
    hex::decode(text.trim()).ok().and_then(|b| b.try_into().ok()).ok_or_else(|| KeyError::Malformed(path.into()))
}

/// Makes a new random 32-byte key in `path` (mode 0600) and returns it. Never overwrites: if another
/// process made the file first, the answer is `Io(AlreadyExists)` and the caller reads theirs.
pub fn make_key_file(path: &Path) -> Result<[u8; 32], KeyError> {
    use rand::RngCore;
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let io = |e| KeyError::Io(path.into(), e);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    // Written whole to a file of its own, then linked into place: a process starting at the same time
    // either finds no key or a complete one, and the first link wins (the other reads the winner's).
    let draft = path.with_extension(format!("new-{}", std::process::id()));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&draft)
        .and_then(|mut f| f.write_all(format!("{}\n", hex::encode(secret)).as_bytes()).and_then(|_| f.sync_all()));
    let linked = written.and_then(|_| std::fs::hard_link(&draft, path));
    let _ = std::fs::remove_file(&draft);
    linked.map_err(io)?;
    Ok(secret)
}

/// A public key that signatures are checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl PublicKey {
    pub fn from_hex(text: &str) -> Result<Self, KeyError> {
        let bad = || KeyError::BadPublicKey(text.chars().take(80).collect());
        let bytes: [u8; 32] = hex::decode(text.trim()).map_err(|_| bad())?.try_into().map_err(|_| bad())?;
        VerifyingKey::from_bytes(&bytes).map(PublicKey).map_err(|_| bad())
    }

    pub fn to_hex(self) -> String {
        hex::encode(self.0.as_bytes())
    }

    /// Whether `signature_hex` is this key's signature of `message` (strict: no malleable forms).
    pub fn verifies(&self, message: &[u8], signature_hex: &str) -> bool {
        let Some(bytes) = hex::decode(signature_hex).ok().and_then(|b| <[u8; 64]>::try_from(b).ok()) else { return false };
        self.0.verify_strict(message, &Signature::from_bytes(&bytes)).is_ok()
    }
}

/// Where the key is kept unless configured: beside the database file, in a file of its own.
pub fn default_key_path(database_url: &str) -> PathBuf {
    beside_database(database_url, "instance-signing.key")
}

/// Where the sealing key for users' secrets is kept unless configured: beside the database file.
pub fn default_sealing_key_path(database_url: &str) -> PathBuf {
    beside_database(database_url, "instance-secrets.key")
}

fn beside_database(database_url: &str, name: &str) -> PathBuf {
    let file = database_url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let file = file.split('?').next().unwrap_or(file);
    let dir = Path::new(file).parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    dir.join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_private_to_its_owner_and_signs_what_its_public_key_verifies() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("ld-identity-{}", std::process::id()));
        let path = dir.join("keys/instance-signing.key");
        let _ = std::fs::remove_dir_all(&dir);
        let key = InstanceKey::load_or_create(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        // Read back, not made again.
        let again = InstanceKey::load_or_create(&path).unwrap();
        assert_eq!(key.public_hex(), again.public_hex());
        let public = PublicKey::from_hex(&key.public_hex()).unwrap();
        let signature = key.sign(b"last 42");
        assert!(public.verifies(b"last 42", &signature));
        assert!(!public.verifies(b"last 43", &signature));
        let mut altered = signature.clone().into_bytes();
        altered[10] = if altered[10] == b'0' { b'1' } else { b'0' };
        assert!(!public.verifies(b"last 42", std::str::from_utf8(&altered).unwrap()));
        assert!(!public.verifies(b"last 42", "zz"));
        // Another instance's key does not verify this one's signatures.
        let other = InstanceKey::load_or_create(&dir.join("other.key")).unwrap();
        assert!(!other.public().verifies(b"last 42", &signature));
        std::fs::write(&path, "not a key").unwrap();
        assert!(matches!(InstanceKey::load_or_create(&path), Err(KeyError::Malformed(_))));
        // Readable by others: refused, not used.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(InstanceKey::load(&path), Err(KeyError::Exposed(_, 0o644))));
        // Missing: reading does not make one; a link (even dangling) is not followed or replaced.
        assert!(matches!(InstanceKey::load(&dir.join("absent.key")), Err(KeyError::Missing(_))));
        assert!(!dir.join("absent.key").exists());
        std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("link.key")).unwrap();
        assert!(matches!(InstanceKey::load_or_create(&dir.join("link.key")), Err(KeyError::Io(..))));
        assert!(!dir.join("nowhere").exists());
        assert!(PublicKey::from_hex("abc").is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_key_lives_beside_the_database_by_default() {
        assert_eq!(default_key_path("sqlite://data/liaison-desk.db"), PathBuf::from("data/instance-signing.key"));
        assert_eq!(default_key_path("sqlite:///var/lib/ld/db.sqlite?mode=rwc"), PathBuf::from("/var/lib/ld/instance-signing.key"));
        assert_eq!(default_key_path("sqlite://ld.db"), PathBuf::from("./instance-signing.key"));
    }
}
