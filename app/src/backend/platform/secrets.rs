//! The instance's sealing key: what the server keeps for its users that must stay secret even from someone
//! holding a copy of the database (TOTP seeds; recovery codes as keyed hashes). Kept like the signing key
//! (`identity`): a file of its own, mode 0600, made at first start, never in the database or its backups.

use crate::backend::platform::identity::{make_key_file, read_key_file, KeyError};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::path::Path;

/// What a sealed value is for; part of what is authenticated, so a value sealed for one purpose or one
/// user does not open as another's.
#[derive(Clone, Copy, Debug)]
pub enum Purpose {
    TotpSeed,
    RecoveryCode,
    /// The name a person report looked for, kept in the audit trail as a keyed hash only.
    PersonReport,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::TotpSeed => b"ld-totp-seed-v1",
            Purpose::RecoveryCode => b"ld-recovery-code-v1",
            Purpose::PersonReport => b"ld-person-report-v1",
        }
    }
}

#[derive(Clone)]
pub struct SealingKey {
    key: [u8; 32],
}

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey(…)")
    }
}

impl SealingKey {
    /// Reads the key from `path`, or makes one there (mode 0600, never overwriting).
    pub fn load_or_create(path: &Path) -> Result<Self, KeyError> {
        match read_key_file(path) {
            Ok(key) => Ok(SealingKey { key }),
            Err(KeyError::Missing(_)) => match make_key_file(path) {
                Ok(key) => {
                    tracing::info!(path = %path.display(), "made the instance's sealing key for second-factor secrets");
                    Ok(SealingKey { key })
                }
                Err(KeyError::Io(_, e)) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(SealingKey { key: read_key_file(path)? }),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    /// A key that lives as long as the process (tests; a server always loads its file).
    pub fn ephemeral() -> Self {
        use rand::RngCore;
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        SealingKey { key }
    }

    /// A key of its own for each use, derived from the file's key.
    fn derived(&self, label: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("any key length");
        mac.update(label);
        mac.finalize().into_bytes().into()
    }

    fn associated(purpose: Purpose, owner: i64) -> Vec<u8> {
        [purpose.label(), b":", owner.to_string().as_bytes()].concat()
    }

    /// `plain` sealed for `owner`: a random nonce, then the ciphertext with its tag.
    pub fn seal(&self, purpose: Purpose, owner: i64, plain: &[u8]) -> Vec<u8> {
        use rand::RngCore;
        let cipher = XChaCha20Poly1305::new(&self.derived(b"seal").into());
        let mut nonce = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let aad = Self::associated(purpose, owner);
        let sealed = cipher.encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad: &aad }).expect("sealing cannot fail");
        [nonce.as_slice(), &sealed].concat()
    }

    /// The plain value, or None if it was not sealed with this key for this purpose and owner (or was
    /// changed since).
    pub fn open(&self, purpose: Purpose, owner: i64, sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < 24 {
            return None;
        }
        let (nonce, body) = sealed.split_at(24);
        let cipher = XChaCha20Poly1305::new(&self.derived(b"seal").into());
        let aad = Self::associated(purpose, owner);
        cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: &aad }).ok()
    }

    /// A keyed hash of `value` for `owner` (hex): stored instead of the value, checkable only with the key.
    pub fn tag(&self, purpose: Purpose, owner: i64, value: &[u8]) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.derived(b"tag")).expect("any key length");
        mac.update(&Self::associated(purpose, owner));
        mac.update(b"\0");
        mac.update(value);
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_purpose_and_owner() {
        let key = SealingKey::ephemeral();
        let sealed = key.seal(Purpose::TotpSeed, 7, b"seed bytes");
        assert_eq!(key.open(Purpose::TotpSeed, 7, &sealed).as_deref(), Some(&b"seed bytes"[..]));
        assert!(!sealed.windows(10).any(|w| w == b"seed bytes"), "not stored in the clear");
        assert_eq!(key.open(Purpose::TotpSeed, 8, &sealed), None, "another user's row");
        assert_eq!(key.open(Purpose::RecoveryCode, 7, &sealed), None);
        assert_eq!(SealingKey::ephemeral().open(Purpose::TotpSeed, 7, &sealed), None, "another key");
        let mut flipped = sealed.clone();
        flipped[30] ^= 1;
        assert_eq!(key.open(Purpose::TotpSeed, 7, &flipped), None);
        assert_eq!(key.open(Purpose::TotpSeed, 7, &sealed[..10]), None);
        assert_eq!(key.tag(Purpose::RecoveryCode, 7, b"abc"), key.tag(Purpose::RecoveryCode, 7, b"abc"));
        assert_ne!(key.tag(Purpose::RecoveryCode, 7, b"abc"), key.tag(Purpose::RecoveryCode, 8, b"abc"));
        assert_ne!(key.tag(Purpose::RecoveryCode, 7, b"abc"), SealingKey::ephemeral().tag(Purpose::RecoveryCode, 7, b"abc"));
    }
}
