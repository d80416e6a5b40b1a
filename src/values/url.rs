use super::string_value;
use serde::Deserialize;
use thiserror::Error;

/// An absolute `http` or `https` URL with a host and no embedded credentials: logo and
/// website links, webhook targets, monitor targets. Kept in the normalised form the `url`
/// crate produces (lowercase scheme and host, punycode, a path of at least `/`), so the same
/// address is always stored the same way.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct HttpUrl(::url::Url);

/// Why a web address is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UrlError {
    #[error("Enter a web address.")]
    Empty,
    #[error("A web address may have at most {} characters.", HttpUrl::MAX_CHARS)]
    TooLong,
    #[error("Write the address in full, with https:// at the start.")]
    NotAbsolute,
    #[error("This is not a valid web address: {0}.")]
    Malformed(String),
    #[error("Only http:// and https:// addresses are accepted.")]
    Scheme,
    #[error("A web address needs a host name, such as example.com.")]
    NoHost,
    #[error("A web address may not contain a user name or password; keep credentials out of links.")]
    Credentials,
}

impl HttpUrl {
    pub const MAX_CHARS: usize = 2048;

    pub fn parse(input: impl AsRef<str>) -> Result<HttpUrl, UrlError> {
        let text = input.as_ref().trim();
        if text.is_empty() {
            return Err(UrlError::Empty);
        }
        if text.chars().count() > HttpUrl::MAX_CHARS {
            return Err(UrlError::TooLong);
        }
        let url = ::url::Url::parse(text).map_err(|error| match error {
            ::url::ParseError::RelativeUrlWithoutBase => UrlError::NotAbsolute,
            ::url::ParseError::EmptyHost => UrlError::NoHost,
            other => UrlError::Malformed(other.to_string()),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(UrlError::Scheme);
        }
        // The url crate already refuses an empty host for http(s); this keeps the promise
        // of `host()` explicit.
        if url.host_str().is_none_or(str::is_empty) {
            return Err(UrlError::NoHost);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlError::Credentials);
        }
        // Normalising can lengthen an address (punycode, percent-encoding).
        if url.as_str().len() > HttpUrl::MAX_CHARS {
            return Err(UrlError::TooLong);
        }
        Ok(HttpUrl(url))
    }

    /// The normalised form (`HTTPS://Example.com` → `https://example.com/`).
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The host: a domain name (in punycode), an IPv4 address or a bracketed IPv6 address.
    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }

    pub fn is_https(&self) -> bool {
        self.0.scheme() == "https"
    }
}

string_value!(HttpUrl, UrlError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_urls_are_normalised() {
        for (input, expected, host) in [
            ("https://example.com", "https://example.com/", "example.com"),
            (" HTTPS://Example.COM/Path?q=1#x ", "https://example.com/Path?q=1#x", "example.com"),
            ("http://10.0.0.5:8080/health", "http://10.0.0.5:8080/health", "10.0.0.5"),
            ("https://example.com:443/", "https://example.com/", "example.com"),
            ("http://[::1]/", "http://[::1]/", "[::1]"),
            ("https://bücher.de/", "https://xn--bcher-kva.de/", "xn--bcher-kva.de"),
            ("https://example.com/a b", "https://example.com/a%20b", "example.com"),
            ("https://localhost/", "https://localhost/", "localhost"),
        ] {
            let url = HttpUrl::parse(input).unwrap_or_else(|error| panic!("{input}: {error}"));
            assert_eq!((url.as_str(), url.host()), (expected, host), "{input}");
        }
        assert!(HttpUrl::parse("https://a.example").unwrap().is_https());
        assert!(!HttpUrl::parse("http://a.example").unwrap().is_https());
    }

    #[test]
    fn bad_urls_say_why() {
        let at_limit = format!("https://e.com/{}", "a".repeat(HttpUrl::MAX_CHARS - 14));
        assert_eq!(at_limit.len(), HttpUrl::MAX_CHARS);
        assert!(HttpUrl::parse(&at_limit).is_ok());
        let table = [
            ("", UrlError::Empty),
            ("  ", UrlError::Empty),
            (&*format!("{at_limit}a"), UrlError::TooLong),
            // 1 015 characters typed, 3 015 once each space is percent-encoded.
            (&*format!("https://e.com/{}x", " ".repeat(1000)), UrlError::TooLong),
            ("example.com", UrlError::NotAbsolute),
            ("/status", UrlError::NotAbsolute),
            ("https://", UrlError::NoHost),
            ("http://:80/", UrlError::NoHost),
            ("ftp://example.com", UrlError::Scheme),
            ("javascript:alert(1)", UrlError::Scheme),
            ("file:///etc/passwd", UrlError::Scheme),
            ("data:text/html,hi", UrlError::Scheme),
            ("mailto:a@b.co", UrlError::Scheme),
            ("ws://example.com", UrlError::Scheme),
            ("https://user:pw@example.com", UrlError::Credentials),
            ("https://user@example.com", UrlError::Credentials),
            ("https://:pw@example.com", UrlError::Credentials),
        ];
        for (input, error) in table {
            assert_eq!(HttpUrl::parse(input), Err(error), "{input:?}");
        }
        for malformed in ["http://exa mple.com", "https://example.com:99999/", "https://[::1/"] {
            assert!(matches!(HttpUrl::parse(malformed), Err(UrlError::Malformed(_))), "{malformed}");
        }
        assert_eq!(
            HttpUrl::parse("https://example.com:99999/").unwrap_err().to_string(),
            "This is not a valid web address: invalid port number."
        );
    }

    #[test]
    fn serde_validates() {
        assert!(serde_json::from_str::<HttpUrl>("\"javascript:alert(1)\"").is_err());
        let url: HttpUrl = serde_json::from_str("\"https://a.example\"").unwrap();
        assert_eq!(serde_json::to_string(&url).unwrap(), "\"https://a.example/\"");
        assert_eq!(url.to_string(), "https://a.example/");
        assert_eq!(HttpUrl::try_from("https://a.example/".to_owned()), Ok(url));
    }
}
