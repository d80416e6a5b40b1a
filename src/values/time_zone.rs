use super::string_value;
use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
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

    /// The wall-clock time here at `at`, as a person in this zone reads it.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.0).naive_local()
    }

    /// The instant a wall-clock time here names. When clocks go back, a time that happens
    /// twice means the first; a time skipped when clocks go forward names no instant at all.
    pub fn instant(&self, local: NaiveDateTime) -> Result<DateTime<Utc>, SkippedLocalTime> {
        match self.0.from_local_datetime(&local) {
            LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => Ok(at.with_timezone(&Utc)),
            LocalResult::None => Err(SkippedLocalTime { local, zone: self.as_str() }),
        }
    }
}

/// A wall-clock time that does not exist in a zone because its clocks skip it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} does not exist in {zone}: the clocks skip it that day. Choose a time outside the change.", local.format("%Y-%m-%d %H:%M"))]
pub struct SkippedLocalTime {
    pub local: NaiveDateTime,
    pub zone: &'static str,
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

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn wall_clock_times_name_instants_and_back() {
        let berlin = TimeZoneName::parse("Europe/Berlin").unwrap();
        let winter = berlin.instant(local("2026-01-15 09:30")).unwrap();
        assert_eq!(winter.to_rfc3339(), "2026-01-15T08:30:00+00:00");
        let summer = berlin.instant(local("2026-07-15 09:30")).unwrap();
        assert_eq!(summer.to_rfc3339(), "2026-07-15T07:30:00+00:00");
        assert_eq!(berlin.local(summer), local("2026-07-15 09:30"));
        let utc = TimeZoneName::utc();
        assert_eq!(utc.instant(local("2026-03-29 02:30")).unwrap().to_rfc3339(), "2026-03-29T02:30:00+00:00");
        assert_eq!(utc.local(winter), local("2026-01-15 08:30"));
    }

    #[test]
    fn a_time_the_clocks_skip_is_refused_and_a_repeated_one_is_the_first() {
        let berlin = TimeZoneName::parse("Europe/Berlin").unwrap();
        let skipped = berlin.instant(local("2026-03-29 02:30")).unwrap_err();
        assert_eq!(
            skipped.to_string(),
            "2026-03-29 02:30 does not exist in Europe/Berlin: the clocks skip it that day. Choose a time outside the change."
        );
        // 02:30 on 25 October 2026 happens first in summer time (UTC+2), then in winter time.
        let repeated = berlin.instant(local("2026-10-25 02:30")).unwrap();
        assert_eq!(repeated.to_rfc3339(), "2026-10-25T00:30:00+00:00");
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
