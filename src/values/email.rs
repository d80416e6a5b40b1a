use super::string_value_serde;
use thiserror::Error;

/// An email address, trimmed and lowercased so one person has one address. Checks the shape
/// people and mail servers actually use, not every corner of RFC 5322.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EmailError {
    #[error("Enter an email address.")]
    Empty,
    #[error("An email address may have at most 254 characters.")]
    TooLong,
    #[error("An email address needs exactly one @, as in name@example.com.")]
    At,
    #[error(
        "The part before the @ must be 1 to 64 letters, digits or . ! # $ % & ' * + / = ? ^ _ ` {{ | }} ~ -, without spaces or dots at its ends or in a row."
    )]
    Local,
    #[error("The part after the @ must be a domain such as example.com.")]
    Domain,
}

const LOCAL_SPECIALS: &str = ".!#$%&'*+/=?^_`{|}~-";

impl Email {
    pub fn parse(input: impl AsRef<str>) -> Result<Email, EmailError> {
        let address = input.as_ref().trim().to_lowercase();
        if address.is_empty() {
            return Err(EmailError::Empty);
        }
        if address.chars().count() > 254 {
            return Err(EmailError::TooLong);
        }
        let mut parts = address.split('@');
        let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(EmailError::At);
        };
        let local_ok = (1..=64).contains(&local.len())
            && local.chars().all(|c| c.is_ascii_alphanumeric() || LOCAL_SPECIALS.contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        if !local_ok {
            return Err(EmailError::Local);
        }
        if !is_domain(domain) {
            return Err(EmailError::Domain);
        }
        Ok(Email(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit('@').next().unwrap_or_default()
    }
}

/// At least two labels of letters, digits and inner hyphens, ending in an alphabetic TLD (or
/// its punycode `xn--` form).
fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && label.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
        && (tld.starts_with("xn--") || (tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase())))
}

string_value_serde!(Email);

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_addresses_are_normalised() {
        for (input, expected) in [
            ("ops@acme.example", "ops@acme.example"),
            ("  Ops.Team+status@Acme.Example ", "ops.team+status@acme.example"),
            ("a@b.co", "a@b.co"),
            ("o'brien@mail.example.org", "o'brien@mail.example.org"),
            ("x@xn--bcher-kva.xn--p1ai", "x@xn--bcher-kva.xn--p1ai"),
            ("user@sub-domain.example.com", "user@sub-domain.example.com"),
        ] {
            assert_eq!(Email::parse(input).map(|e| e.as_str().to_owned()), Ok(expected.to_owned()), "{input}");
        }
        assert_eq!(Email::parse("a@b.co").unwrap().domain(), "b.co");
    }

    #[test]
    fn bad_addresses_say_why() {
        let long_local = format!("{}@example.com", "a".repeat(65));
        let too_long = format!("{}@{}.com", "a".repeat(60), "b".repeat(200));
        let table: &[(&str, EmailError)] = &[
            ("", EmailError::Empty),
            ("   ", EmailError::Empty),
            (&too_long, EmailError::TooLong),
            ("acme.example", EmailError::At),
            ("a@b@c.com", EmailError::At),
            ("@example.com", EmailError::Local),
            (&long_local, EmailError::Local),
            ("a b@example.com", EmailError::Local),
            (".a@example.com", EmailError::Local),
            ("a.@example.com", EmailError::Local),
            ("a..b@example.com", EmailError::Local),
            ("ünï@example.com", EmailError::Local),
            ("a@localhost", EmailError::Domain),
            ("a@example", EmailError::Domain),
            ("a@example.c", EmailError::Domain),
            ("a@example.123", EmailError::Domain),
            ("a@-example.com", EmailError::Domain),
            ("a@example-.com", EmailError::Domain),
            ("a@exa mple.com", EmailError::Domain),
            ("a@example..com", EmailError::Domain),
            ("a@bücher.de", EmailError::Domain),
            ("a@", EmailError::Domain),
        ];
        for (input, error) in table {
            assert_eq!(Email::parse(input), Err(error.clone()), "{input:?}");
            assert!(error.to_string().ends_with('.'));
        }
    }

    #[test]
    fn serde_validates() {
        assert_eq!(serde_json::from_str::<Email>("\"A@B.co\"").unwrap().as_str(), "a@b.co");
        assert!(serde_json::from_str::<Email>("\"nope\"").is_err());
        assert_eq!(serde_json::to_string(&Email::parse("a@b.co").unwrap()).unwrap(), "\"a@b.co\"");
    }
}
