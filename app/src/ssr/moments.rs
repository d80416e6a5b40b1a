//! Instants as an organization's clock shows them.

use crate::model::Moment;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub fn moment(at: DateTime<Utc>, zone: Tz) -> Moment {
    let local = at.with_timezone(&zone);
    Moment { utc: at, local: local.naive_local(), zone: local.format("%Z").to_string() }
}

/// The organization's zone; an unknown name (never written by Herald) falls back to UTC.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn moments_carry_local_time_and_zone_abbreviation() {
        let at = Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).single().unwrap_or_default();
        let berlin = moment(at, zone("Europe/Berlin"));
        assert_eq!(berlin.local.to_string(), "2026-07-01 14:00:00");
        assert_eq!(berlin.zone, "CEST");
        assert_eq!(zone("Mars/Olympus"), chrono_tz::UTC);
    }
}
