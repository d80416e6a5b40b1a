//! The instance's secret key and what is derived from it: the token in every message's
//! unsubscribe and preferences links (derived, so it need not be stored where a database leak
//! would expose it), and sealing of the secrets Herald must read back later (webhook signing
//! secrets, Telegram bot tokens), so a leaked database leaks none of them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// The prefix of a subscriber's manage token, so people can tell what a leaked one is.
pub const MANAGE_TOKEN_PREFIX: &str = "hrls_";
const SEALED_PREFIX: &str = "v1.";

#[derive(Clone)]
pub struct Keyring(Arc<[u8; 32]>);

impl std::fmt::Debug for Keyring {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Keyring(…)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("A stored secret could not be opened: it was sealed with another HERALD_SECRET_KEY, or damaged.")]
pub struct UnsealError;

impl Keyring {
    /// Any secret text of enough entropy; it is hashed to the key.
    pub fn from_secret(secret: &str) -> Keyring {
        Keyring(Arc::new(Sha256::digest(secret.as_bytes()).into()))
    }

    /// A fresh random secret in the form `from_secret` takes, for writing to a key file.
    pub fn generate_secret() -> String {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn derive(&self, purpose: &str, input: &[u8]) -> [u8; 32] {
        // HMAC takes keys of any length; this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.0.as_slice()).unwrap_or_else(|_| unreachable!());
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(input);
        mac.finalize().into_bytes().into()
    }

    /// The token that manages one subscription. It depends on the subscriber's id and creation
    /// second, so a later subscriber that reuses an id (after a restore) gets another token.
    pub fn manage_token(&self, subscriber_id: i64, created_at: DateTime<Utc>) -> String {
        let input = format!("{subscriber_id}:{}", created_at.timestamp());
        let derived = self.derive("subscriber-manage", input.as_bytes());
        format!("{MANAGE_TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(&derived[..24]))
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.derive("sealed-secrets", b"").into())
    }

    pub fn seal(&self, plaintext: &str) -> String {
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        // Encryption only fails for messages beyond 256 GiB.
        let ciphertext = self.cipher().encrypt(XNonce::from_slice(&nonce), plaintext.as_bytes()).unwrap_or_default();
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&ciphertext);
        format!("{SEALED_PREFIX}{}", URL_SAFE_NO_PAD.encode(sealed))
    }

    pub fn open(&self, sealed: &str) -> Result<String, UnsealError> {
        let bytes = sealed
            .strip_prefix(SEALED_PREFIX)
            .and_then(|encoded| URL_SAFE_NO_PAD.decode(encoded).ok())
            .filter(|bytes| bytes.len() > 24)
            .ok_or(UnsealError)?;
        let (nonce, ciphertext) = bytes.split_at(24);
        let plaintext = self.cipher().decrypt(XNonce::from_slice(nonce), ciphertext).map_err(|_| UnsealError)?;
        String::from_utf8(plaintext).map_err(|_| UnsealError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn sealed_secrets_open_only_with_the_same_key() {
        let keyring = Keyring::from_secret("correct horse battery staple");
        let sealed = keyring.seal("whsec_abc");
        assert!(!sealed.contains("whsec_abc"));
        assert_ne!(sealed, keyring.seal("whsec_abc"), "every seal has its own nonce");
        assert_eq!(keyring.open(&sealed), Ok("whsec_abc".to_owned()));
        assert_eq!(Keyring::from_secret("another").open(&sealed), Err(UnsealError));
        assert_eq!(keyring.open("v1.AAAA"), Err(UnsealError));
        assert_eq!(keyring.open("plain"), Err(UnsealError));
    }

    #[test]
    fn manage_tokens_are_stable_per_subscriber() {
        let keyring = Keyring::from_secret("s");
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).single().unwrap_or_default();
        let token = keyring.manage_token(5, at);
        assert!(token.starts_with(MANAGE_TOKEN_PREFIX) && token.len() == 5 + 32);
        assert_eq!(token, keyring.manage_token(5, at));
        assert_ne!(token, keyring.manage_token(6, at));
        assert_ne!(token, keyring.manage_token(5, at + chrono::TimeDelta::seconds(1)));
        assert_ne!(token, Keyring::from_secret("t").manage_token(5, at));
        assert_eq!(Keyring::generate_secret().len(), 43);
    }
}
