use super::string_value_serde;
use thiserror::Error;

/// An IANA time zone, such as `Europe/Berlin`: an organization's own, used for its day
/// boundaries and as the fallback for visitors' local times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZoneName(chrono_tz::Tz);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("\"{0}\" is not a known time zone; use an IANA name such as Europe/Berlin or UTC.")]
pub struct TimeZoneError(pub String);

impl TimeZoneName {
    pub fn parse(input: impl AsRef<str>) -> Result<TimeZoneName, TimeZoneError> {
        let text = input.as_ref().trim();
        text.parse::<chrono_tz::Tz>().map(TimeZoneName).map_err(|_| TimeZoneError(text.to_owned()))
    }

    pub fn utc() -> TimeZoneName {
        TimeZoneName(chrono_tz::UTC)
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.0
    }

    pub fn as_str(&self) -> &'static str {
        self.0.name()
    }
}

string_value_serde!(TimeZoneName);

impl TryFrom<String> for TimeZoneName {
    type Error = TimeZoneError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        TimeZoneName::parse(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names_are_accepted() {
        for name in ["Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "Pacific/Apia"] {
            assert_eq!(TimeZoneName::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(TimeZoneName::utc().as_str(), "UTC");
        assert_eq!(TimeZoneName::parse(" Europe/Paris ").unwrap().tz(), chrono_tz::Europe::Paris);
    }

    #[test]
    fn unknown_names_are_explained() {
        for name in ["Mars/Olympus", "", "+02:00", "CEST"] {
            let error = TimeZoneName::parse(name).unwrap_err();
            assert!(error.to_string().contains("is not a known time zone"), "{name}");
        }
        assert!(serde_json::from_str::<TimeZoneName>("\"Mars/Olympus\"").is_err());
        assert_eq!(serde_json::to_string(&TimeZoneName::utc()).unwrap(), "\"UTC\"");
    }
}
