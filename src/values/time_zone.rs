use super::string_value;
use serde::Deserialize;
use thiserror::Error;

/// An IANA time zone, such as `Europe/Berlin`: an organization's own, used for its day
/// boundaries and as the fallback for visitors' local times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(try_from = "String")]
pub struct TimeZoneName(chrono_tz::Tz);

/// A name that is not in the IANA time zone database (the text that was refused).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("\"{0}\" is not a known time zone; use an IANA name such as Europe/Berlin.")]
pub struct TimeZoneError(pub String);

impl TimeZoneName {
    /// Accepts the database's names exactly as spelled there (`Europe/Berlin`, `UTC`),
    /// including the old aliases it keeps (`US/Pacific`), after trimming spaces.
    pub fn parse(input: impl AsRef<str>) -> Result<TimeZoneName, TimeZoneError> {
        let text = input.as_ref().trim();
        text.parse::<chrono_tz::Tz>().map(TimeZoneName).map_err(|_| TimeZoneError(text.to_owned()))
    }

    /// UTC, for organizations that have not chosen a zone.
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

string_value!(TimeZoneName, TimeZoneError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iana_names_are_accepted() {
        for name in
            ["Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "Pacific/Apia", "US/Pacific"]
        {
            assert_eq!(TimeZoneName::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(TimeZoneName::utc().as_str(), "UTC");
        assert_eq!(TimeZoneName::parse(" Europe/Paris ").unwrap().tz(), chrono_tz::Europe::Paris);
    }

    #[test]
    fn every_name_in_the_database_round_trips() {
        for tz in chrono_tz::TZ_VARIANTS {
            let parsed = TimeZoneName::parse(tz.name()).unwrap();
            assert_eq!((parsed.tz(), parsed.as_str()), (tz, tz.name()));
        }
    }

    #[test]
    fn unknown_names_are_explained() {
        assert_eq!(
            TimeZoneName::parse("Mars/Olympus").unwrap_err().to_string(),
            "\"Mars/Olympus\" is not a known time zone; use an IANA name such as Europe/Berlin."
        );
        for name in ["", "  ", "+02:00", "CEST", "Berlin", "Europe/Berlin/Mitte", "europe/berlin", "UTC+1"] {
            assert_eq!(TimeZoneName::parse(name), Err(TimeZoneError(name.trim().to_owned())), "{name:?}");
        }
    }

    #[test]
    fn serde_validates() {
        assert!(serde_json::from_str::<TimeZoneName>("\"Mars/Olympus\"").is_err());
        assert_eq!(serde_json::to_string(&TimeZoneName::utc()).unwrap(), "\"UTC\"");
        let berlin: TimeZoneName = serde_json::from_str("\"Europe/Berlin\"").unwrap();
        assert_eq!(berlin.tz(), chrono_tz::Europe::Berlin);
        assert_eq!(berlin.to_string(), "Europe/Berlin");
        assert_eq!(TimeZoneName::try_from("UTC".to_owned()), Ok(TimeZoneName::utc()));
    }
}
