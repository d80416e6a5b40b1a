use super::string_value_serde;
use thiserror::Error;

/// An absolute `http` or `https` URL with a host and no embedded credentials: logo and
/// website links, webhook targets, monitor targets.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HttpUrl(::url::Url);

pub const URL_MAX: usize = 2048;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UrlError {
    #[error("Enter a web address.")]
    Empty,
    #[error("A web address may have at most {URL_MAX} characters.")]
    TooLong,
    #[error("This is not a web address ({0}); write it in full, such as https://example.com/path.")]
    Malformed(String),
    #[error("Only http:// and https:// addresses are accepted.")]
    Scheme,
    #[error("A web address needs a host name, such as example.com.")]
    NoHost,
    #[error("Put credentials somewhere safer than the address: user names and passwords are not accepted in it.")]
    Credentials,
}

impl HttpUrl {
    pub fn parse(input: impl AsRef<str>) -> Result<HttpUrl, UrlError> {
        let text = input.as_ref().trim();
        if text.is_empty() {
            return Err(UrlError::Empty);
        }
        if text.len() > URL_MAX {
            return Err(UrlError::TooLong);
        }
        let url = ::url::Url::parse(text).map_err(|error| UrlError::Malformed(error.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(UrlError::Scheme);
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(UrlError::NoHost);
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(UrlError::Credentials);
        }
        Ok(HttpUrl(url))
    }

    /// The normalised form (`HTTPS://Example.com` → `https://example.com/`).
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }

    pub fn is_https(&self) -> bool {
        self.0.scheme() == "https"
    }
}

string_value_serde!(HttpUrl);

impl TryFrom<String> for HttpUrl {
    type Error = UrlError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        HttpUrl::parse(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_urls_are_normalised() {
        for (input, expected) in [
            ("https://example.com", "https://example.com/"),
            (" HTTPS://Example.COM/Path?q=1#x ", "https://example.com/Path?q=1#x"),
            ("http://10.0.0.5:8080/health", "http://10.0.0.5:8080/health"),
            ("http://[::1]/", "http://[::1]/"),
            ("https://bücher.de/", "https://xn--bcher-kva.de/"),
        ] {
            assert_eq!(HttpUrl::parse(input).map(|u| u.as_str().to_owned()), Ok(expected.to_owned()), "{input}");
        }
        let url = HttpUrl::parse("https://status.acme.example/x").unwrap();
        assert_eq!(url.host(), "status.acme.example");
        assert!(url.is_https());
        assert!(!HttpUrl::parse("http://a.example").unwrap().is_https());
    }

    #[test]
    fn bad_urls_say_why() {
        assert_eq!(HttpUrl::parse(""), Err(UrlError::Empty));
        assert_eq!(HttpUrl::parse(format!("https://e.com/{}", "a".repeat(URL_MAX))), Err(UrlError::TooLong));
        assert!(matches!(HttpUrl::parse("example.com"), Err(UrlError::Malformed(_))));
        assert!(matches!(HttpUrl::parse("https://"), Err(UrlError::Malformed(_))));
        assert!(matches!(HttpUrl::parse("http://exa mple.com"), Err(UrlError::Malformed(_))));
        for scheme_url in
            ["ftp://example.com", "javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi", "mailto:a@b.co"]
        {
            assert_eq!(HttpUrl::parse(scheme_url), Err(UrlError::Scheme), "{scheme_url}");
        }
        assert_eq!(HttpUrl::parse("https://user:pw@example.com"), Err(UrlError::Credentials));
        assert_eq!(HttpUrl::parse("https://user@example.com"), Err(UrlError::Credentials));
    }

    #[test]
    fn serde_validates() {
        assert!(serde_json::from_str::<HttpUrl>("\"javascript:alert(1)\"").is_err());
        let url: HttpUrl = serde_json::from_str("\"https://a.example\"").unwrap();
        assert_eq!(serde_json::to_string(&url).unwrap(), "\"https://a.example/\"");
    }
}
