//! Password rules and hashing (argon2id with the crate's recommended parameters).

use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Checks a new password against the rules and explains what is wrong.
pub fn check_new_password(field: &str, password: &str) -> Result<(), AppError> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            field,
            format!("Choose a password of at least {MIN_PASSWORD_CHARS} characters."),
        ));
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(AppError::invalid(field, format!("A password may have at most {MAX_PASSWORD_CHARS} characters.")));
    }
    if password.trim().is_empty() {
        return Err(AppError::invalid(field, "A password cannot be only spaces."));
    }
    Ok(())
}

/// Hashes on a blocking thread: argon2 is deliberately slow and must not stall the runtime.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| error.to_string())
    })
    .await
    .map_err(super::internal("waiting for the password hasher"))?
    .map_err(super::internal("hashing a password"))
}

pub async fn verify_password(password: String, stored_hash: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&stored_hash).map_err(|error| error.to_string())?;
        Ok::<bool, String>(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(super::internal("waiting for the password verifier"))?
    .map_err(super::internal("reading a stored password hash"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn short_long_and_blank_passwords_are_refused_with_a_reason() {
        assert!(check_new_password("password", "short").unwrap_err().to_string().contains("at least 10"));
        assert!(check_new_password("password", &"x".repeat(129)).unwrap_err().to_string().contains("at most 128"));
        assert!(check_new_password("password", &" ".repeat(12)).is_err());
        assert!(check_new_password("password", "correct horse battery").is_ok());
        assert!(check_new_password("password", "short").unwrap_err().message_for("password").is_some());
    }

    #[tokio::test]
    async fn a_hash_verifies_its_own_password_only() {
        let hash = hash_password("correct horse battery".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".into(), hash.clone()).await.unwrap());
        assert!(!verify_password("correct horse batterY".into(), hash).await.unwrap());
    }
}
