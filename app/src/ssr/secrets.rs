//! Bearer secrets (API and alert tokens): random, recognisable by their prefix, and stored
//! only as a SHA-256 hash, so a leaked database leaks no usable token.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 192 random bits, hex-encoded after `prefix`.
pub fn new_token(prefix: &str) -> String {
    let mut secret = [0u8; 24];
    rand::rng().fill_bytes(&mut secret);
    format!("{prefix}{}", hex(&secret))
}

pub fn hash_token(token: &str) -> String {
    sha256_hex(token)
}

pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// What lists show so people can tell tokens apart: the prefix and four more characters.
pub fn visible_part(token: &str, prefix: &str) -> String {
    token.chars().take(prefix.len() + 4).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_prefixed_random_and_hashed() {
        let (first, second) = (new_token("hrlt_"), new_token("hrlt_"));
        assert!(first.starts_with("hrlt_") && first.len() == 5 + 48);
        assert_ne!(first, second);
        assert_eq!(hash_token(&first), hash_token(&first));
        assert_ne!(hash_token(&first), hash_token(&second));
        assert_eq!(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(visible_part(&first, "hrlt_"), first[..9]);
    }
}
