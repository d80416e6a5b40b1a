use super::string_value;
use serde::Deserialize;
use thiserror::Error;

/// A host name an organization's page is served on (`status.example.com`): lowercase ASCII
/// labels of letters, digits and inner hyphens, at least two of them. Internationalised names
/// are entered in their `xn--` form, as DNS stores them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct DomainName(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainNameError {
    #[error("Write the host name alone, such as status.example.com (no https://, no path).")]
    NotAHostName,
    #[error("A host name has at least two parts separated by dots, such as status.example.com.")]
    SingleLabel,
    #[error("Each part of a host name is 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen.")]
    BadLabel,
    #[error("A host name may have at most 253 characters.")]
    TooLong,
}

impl DomainName {
    /// Accepts any case and surrounding spaces, and a final dot; stores the name lowercase.
    pub fn parse(input: impl AsRef<str>) -> Result<DomainName, DomainNameError> {
        let text = input.as_ref().trim();
        let text = text.strip_suffix('.').unwrap_or(text).to_ascii_lowercase();
        if text.contains(['/', ':', '@', ' ', '?', '#']) || text.is_empty() {
            return Err(DomainNameError::NotAHostName);
        }
        if text.len() > 253 {
            return Err(DomainNameError::TooLong);
        }
        let labels: Vec<&str> = text.split('.').collect();
        if labels.len() < 2 {
            return Err(DomainNameError::SingleLabel);
        }
        let valid_label = |label: &&str| {
            (1..=63).contains(&label.len())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        if !labels.iter().all(valid_label) {
            return Err(DomainNameError::BadLabel);
        }
        Ok(DomainName(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_value!(DomainName, DomainNameError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_are_accepted_in_any_case_and_stored_lowercase() {
        for (input, stored) in [
            ("status.example.com", "status.example.com"),
            ("  Status.Example.COM.  ", "status.example.com"),
            ("xn--bcher-kva.example", "xn--bcher-kva.example"),
            ("a-b.c1.io", "a-b.c1.io"),
        ] {
            assert_eq!(DomainName::parse(input).map(|name| name.to_string()), Ok(stored.to_owned()), "{input}");
        }
    }

    #[test]
    fn anything_else_is_refused_with_the_reason() {
        for (input, error) in [
            ("https://status.example.com", DomainNameError::NotAHostName),
            ("status.example.com/page", DomainNameError::NotAHostName),
            ("status.example.com:8080", DomainNameError::NotAHostName),
            ("", DomainNameError::NotAHostName),
            ("localhost", DomainNameError::SingleLabel),
            ("-bad.example.com", DomainNameError::BadLabel),
            ("bad-.example.com", DomainNameError::BadLabel),
            ("two..dots.com", DomainNameError::BadLabel),
            ("under_score.example.com", DomainNameError::BadLabel),
            ("bücher.example", DomainNameError::BadLabel),
        ] {
            assert_eq!(DomainName::parse(input), Err(error), "{input}");
        }
        let long_label = format!("{}.example.com", "a".repeat(64));
        assert_eq!(DomainName::parse(long_label), Err(DomainNameError::BadLabel));
        let long_name = format!("{}example.com", "abcdefghi.".repeat(25));
        assert_eq!(DomainName::parse(long_name), Err(DomainNameError::TooLong));
    }
}
