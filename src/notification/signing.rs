//! Webhook signatures as the Standard Webhooks specification defines them
//! (<https://www.standardwebhooks.com>), so receivers can verify Herald's deliveries with any
//! of its libraries: `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64>`,
//! where the signature is HMAC-SHA256 over `id.timestamp.body` keyed by the secret's bytes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use thiserror::Error;

/// How a signing secret is written: the specification's prefix, then base64.
pub const SECRET_PREFIX: &str = "whsec_";

/// How far a delivery's timestamp may be from the receiver's clock before it is refused as a
/// replay (the specification's recommendation).
pub const TIMESTAMP_TOLERANCE_SECONDS: i64 = 5 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SignatureError {
    #[error("A webhook secret starts with whsec_ followed by base64.")]
    MalformedSecret,
    #[error("The webhook-timestamp is more than five minutes from now.")]
    TimestampOutOfTolerance,
    #[error("No webhook-signature matches the body.")]
    NoMatchingSignature,
}

/// A secret as stored and shown once: `whsec_` + base64 of 24 random bytes (the caller
/// supplies them, so this stays free of a random-number source).
pub fn encode_secret(random_bytes: &[u8]) -> String {
    format!("{SECRET_PREFIX}{}", STANDARD.encode(random_bytes))
}

fn secret_key(secret: &str) -> Result<Vec<u8>, SignatureError> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).ok_or(SignatureError::MalformedSecret)?;
    STANDARD
        .decode(encoded)
        .map_err(|_| SignatureError::MalformedSecret)
        .and_then(|key| if key.is_empty() { Err(SignatureError::MalformedSecret) } else { Ok(key) })
}

fn mac(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length; this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The `webhook-signature` header's value for one delivery.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, SignatureError> {
    let key = secret_key(secret)?;
    Ok(format!("v1,{}", STANDARD.encode(mac(&key, id, timestamp, body).finalize().into_bytes())))
}

/// What a receiver does: checks the timestamp against its clock (`now`, Unix seconds) and that
/// one of the space-separated signatures in `signatures` matches, in constant time.
pub fn verify(
    secret: &str,
    id: &str,
    timestamp: i64,
    body: &[u8],
    signatures: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let key = secret_key(secret)?;
    if (now - timestamp).abs() > TIMESTAMP_TOLERANCE_SECONDS {
        return Err(SignatureError::TimestampOutOfTolerance);
    }
    let matches = signatures
        .split(' ')
        .filter_map(|candidate| candidate.strip_prefix("v1,"))
        .filter_map(|encoded| STANDARD.decode(encoded).ok())
        .any(|signature| mac(&key, id, timestamp, body).verify_slice(&signature).is_ok());
    if matches { Ok(()) } else { Err(SignatureError::NoMatchingSignature) }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The specification's own test vector.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: i64 = 1_614_265_330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn signs_like_the_specification() {
        assert_eq!(sign(SECRET, ID, TIMESTAMP, BODY), Ok(SIGNATURE.to_owned()));
    }

    #[test]
    fn verifies_what_it_signs_and_nothing_else() {
        assert_eq!(verify(SECRET, ID, TIMESTAMP, BODY, SIGNATURE, TIMESTAMP + 10), Ok(()));
        // Several signatures (during secret rotation): any one matching will do.
        let several = format!("v1,bm90IGl0 {SIGNATURE}");
        assert_eq!(verify(SECRET, ID, TIMESTAMP, BODY, &several, TIMESTAMP), Ok(()));
        assert_eq!(
            verify(SECRET, ID, TIMESTAMP, b"{\"test\": 1}", SIGNATURE, TIMESTAMP),
            Err(SignatureError::NoMatchingSignature)
        );
        assert_eq!(
            verify(SECRET, "msg_other", TIMESTAMP, BODY, SIGNATURE, TIMESTAMP),
            Err(SignatureError::NoMatchingSignature)
        );
        assert_eq!(
            verify(SECRET, ID, TIMESTAMP, BODY, SIGNATURE, TIMESTAMP + 301),
            Err(SignatureError::TimestampOutOfTolerance)
        );
        assert_eq!(
            verify(SECRET, ID, TIMESTAMP, BODY, "v2,whatever", TIMESTAMP),
            Err(SignatureError::NoMatchingSignature)
        );
    }

    #[test]
    fn secrets_are_prefixed_base64() {
        let secret = encode_secret(&[7u8; 24]);
        assert!(secret.starts_with("whsec_"));
        assert!(sign(&secret, ID, TIMESTAMP, BODY).is_ok());
        for bad in ["", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!"] {
            assert_eq!(sign(bad, ID, TIMESTAMP, BODY), Err(SignatureError::MalformedSecret), "{bad}");
        }
    }
}
