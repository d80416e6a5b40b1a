use super::string_value;
use serde::Deserialize;
use thiserror::Error;

/// An email address, trimmed and lowercased so one person has one address (and one
/// subscription). It checks the shape people and mail servers actually use, not every corner
/// of RFC 5322: no quoted local parts, no IP-literal domains, Unicode domains only in their
/// punycode (`xn--`) form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct Email(String);

/// Why an email address is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EmailError {
    #[error("Enter an email address.")]
    Empty,
    #[error("An email address may have at most {} characters.", Email::MAX_CHARS)]
    TooLong,
    #[error("An email address needs an @, as in name@example.com.")]
    MissingAt,
    #[error("An email address may contain only one @.")]
    SeveralAts,
    #[error("The part before the @ must be 1 to {} characters long.", Email::MAX_LOCAL_CHARS)]
    LocalPartLength,
    #[error(
        "The part before the @ may only contain letters, digits and these characters: . ! # $ % & ' * + / = ? ^ _ ` {{ | }} ~ - (no spaces)."
    )]
    LocalPartCharacter,
    #[error("The part before the @ may not start or end with a dot, or have two dots in a row.")]
    LocalPartDots,
    #[error("The part after the @ must be a domain name such as example.com.")]
    Domain,
    #[error("The domain must end in a top-level domain of letters, such as .com or .de.")]
    TopLevelDomain,
}

const LOCAL_PART_SPECIALS: &str = ".!#$%&'*+/=?^_`{|}~-";

impl Email {
    pub const MAX_CHARS: usize = 254;
    pub const MAX_LOCAL_CHARS: usize = 64;

    pub fn parse(input: impl AsRef<str>) -> Result<Email, EmailError> {
        let address = input.as_ref().trim().to_lowercase();
        if address.is_empty() {
            return Err(EmailError::Empty);
        }
        if address.chars().count() > Email::MAX_CHARS {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = address.split_once('@').ok_or(EmailError::MissingAt)?;
        if domain.contains('@') {
            return Err(EmailError::SeveralAts);
        }
        check_local_part(local)?;
        check_domain(domain)?;
        Ok(Email(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the @, e.g. to group subscribers by provider.
    /// Whether the address is at a well-known throwaway-mail service. Status updates sent
    /// there are read by nobody (and the services are used to sign others up), so subscribing
    /// refuses them; accounts do not care.
    pub fn is_disposable(&self) -> bool {
        let domain = self.domain();
        DISPOSABLE_DOMAINS
            .iter()
            .any(|known| domain == *known || domain.strip_suffix(known).is_some_and(|rest| rest.ends_with('.')))
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

fn check_local_part(local: &str) -> Result<(), EmailError> {
    if !(1..=Email::MAX_LOCAL_CHARS).contains(&local.chars().count()) {
        return Err(EmailError::LocalPartLength);
    }
    if !local.chars().all(|c| c.is_ascii_alphanumeric() || LOCAL_PART_SPECIALS.contains(c)) {
        return Err(EmailError::LocalPartCharacter);
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(EmailError::LocalPartDots);
    }
    Ok(())
}

/// At least two labels of 1–63 letters, digits and inner hyphens, the last alphabetic (or
/// the punycode `xn--` form of a Unicode top-level domain).
fn check_domain(domain: &str) -> Result<(), EmailError> {
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        (1..=63).contains(&label.len())
            && label.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(EmailError::Domain);
    }
    let tld = labels.last().copied().unwrap_or_default();
    let alphabetic = tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase());
    if !alphabetic && !tld.starts_with("xn--") {
        return Err(EmailError::TopLevelDomain);
    }
    Ok(())
}

string_value!(Email, EmailError);

/// The throwaway-mail services people actually use; a short list on purpose (a long one goes
/// stale and refuses real people).
const DISPOSABLE_DOMAINS: &[&str] = &[
    "mailinator.com",
    "guerrillamail.com",
    "guerrillamail.net",
    "sharklasers.com",
    "10minutemail.com",
    "temp-mail.org",
    "tempmail.com",
    "yopmail.com",
    "trashmail.com",
    "getnada.com",
    "dispostable.com",
    "maildrop.cc",
    "throwawaymail.com",
    "fakeinbox.com",
    "mailnesia.com",
    "mintemail.com",
    "mohmal.com",
    "emailondeck.com",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_addresses_are_normalised() {
        let longest_local = format!("{}@example.com", "a".repeat(64));
        let longest_label = format!("a@{}.com", "b".repeat(63));
        for (input, expected) in [
            ("ops@acme.example", "ops@acme.example"),
            ("  Ops.Team+status@Acme.Example ", "ops.team+status@acme.example"),
            ("a@b.co", "a@b.co"),
            ("o'brien@mail.example.org", "o'brien@mail.example.org"),
            ("x@xn--bcher-kva.xn--p1ai", "x@xn--bcher-kva.xn--p1ai"),
            ("user@sub-domain.example.com", "user@sub-domain.example.com"),
            ("1@123.example", "1@123.example"),
            ("!#$%&'*+/=?^_`{|}~-@example.com", "!#$%&'*+/=?^_`{|}~-@example.com"),
            (longest_local.as_str(), longest_local.as_str()),
            (longest_label.as_str(), longest_label.as_str()),
        ] {
            assert_eq!(Email::parse(input).map(|e| e.as_str().to_owned()), Ok(expected.to_owned()), "{input}");
        }
        assert_eq!(Email::parse("Ops@Mail.Acme.Example").unwrap().domain(), "mail.acme.example");
    }

    #[test]
    fn the_whole_address_may_have_254_characters() {
        // 64 + 1 + 189 = 254 characters, in labels of at most 63.
        let domain = format!("{}.{}.{}.com", "b".repeat(61), "c".repeat(61), "d".repeat(61));
        let longest = format!("{}@{domain}", "a".repeat(64));
        assert_eq!(longest.len(), 254);
        assert!(Email::parse(&longest).is_ok());
        assert_eq!(Email::parse(format!("a{longest}")), Err(EmailError::TooLong));
    }

    #[test]
    fn bad_addresses_say_why() {
        use EmailError::*;
        let long_local = format!("{}@example.com", "a".repeat(65));
        let long_label = format!("a@{}.com", "b".repeat(64));
        let too_long = format!("{}@{}.com", "a".repeat(60), "b".repeat(200));
        let table: &[(&str, EmailError)] = &[
            ("", Empty),
            ("   ", Empty),
            (&too_long, TooLong),
            ("acme.example", MissingAt),
            ("a@b@c.com", SeveralAts),
            ("@example.com", LocalPartLength),
            (&long_local, LocalPartLength),
            ("a b@example.com", LocalPartCharacter),
            ("\"a\"@example.com", LocalPartCharacter),
            ("ünï@example.com", LocalPartCharacter),
            ("a(b)@example.com", LocalPartCharacter),
            (".a@example.com", LocalPartDots),
            ("a.@example.com", LocalPartDots),
            ("a..b@example.com", LocalPartDots),
            ("a@", Domain),
            ("a@localhost", Domain),
            ("a@example", Domain),
            ("a@.example.com", Domain),
            ("a@example.com.", Domain),
            ("a@-example.com", Domain),
            ("a@example-.com", Domain),
            ("a@exa mple.com", Domain),
            ("a@exa_mple.com", Domain),
            ("a@example..com", Domain),
            ("a@bücher.de", Domain),
            ("a@[127.0.0.1]", Domain),
            (&long_label, Domain),
            ("a@example.c", TopLevelDomain),
            ("a@example.123", TopLevelDomain),
            ("a@example.c0m", TopLevelDomain),
            ("a@10.0.0.1", TopLevelDomain),
        ];
        for (input, error) in table {
            assert_eq!(Email::parse(input).as_ref(), Err(error), "{input:?}");
        }
        assert_eq!(MissingAt.to_string(), "An email address needs an @, as in name@example.com.");
        assert_eq!(TooLong.to_string(), "An email address may have at most 254 characters.");
        assert_eq!(LocalPartLength.to_string(), "The part before the @ must be 1 to 64 characters long.");
        assert!(
            LocalPartCharacter.to_string().ends_with("^ _ ` { | } ~ - (no spaces)."),
            "braces are not format placeholders"
        );
    }

    #[test]
    fn serde_validates() {
        assert_eq!(serde_json::from_str::<Email>("\"A@B.co\"").unwrap().as_str(), "a@b.co");
        let error = serde_json::from_str::<Email>("\"nope\"").unwrap_err().to_string();
        assert!(error.contains("needs an @"), "{error}");
        let email = Email::parse("a@b.co").unwrap();
        assert_eq!(serde_json::to_string(&email).unwrap(), "\"a@b.co\"");
        assert_eq!(email.to_string(), "a@b.co");
        assert_eq!(Email::try_from("A@B.CO".to_owned()), Ok(email));
    }

    #[test]
    fn throwaway_services_are_recognised_and_their_lookalikes_are_not() {
        for address in ["a@mailinator.com", "x@eu.mailinator.com", "b@yopmail.com"] {
            assert!(Email::parse(address).map(|email| email.is_disposable()).unwrap_or(false), "{address}");
        }
        for address in ["a@notmailinator.com", "a@example.com", "a@mailinator.com.example.org"] {
            assert!(!Email::parse(address).map(|email| email.is_disposable()).unwrap_or(true), "{address}");
        }
    }
}
