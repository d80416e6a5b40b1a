//! Uptime maths over a component's status history.
//!
//! History is a set of intervals, each a stretch of time in one status. Uptime only counts time
//! that was observed: maintenance is excluded (planned work is not downtime) and so is time
//! with no data (unknown is shown as unknown, never as up or down).

use crate::status::ComponentStatus;
use chrono::{DateTime, DurationRound, NaiveDate, TimeDelta, TimeZone, Utc};

/// One stretch of time a component spent in one status; `end: None` means still ongoing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusInterval {
    pub status: ComponentStatus,
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
}

/// A half-open time range `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// How a partial outage counts towards downtime, as Atlassian Statuspage counts it: a major
/// outage counts in full, degraded performance not at all.
pub const PARTIAL_OUTAGE_WEIGHT: f64 = 0.3;

/// Milliseconds spent in each status within some range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusDurations {
    pub operational_ms: i64,
    pub degraded_ms: i64,
    pub partial_ms: i64,
    pub major_ms: i64,
    pub maintenance_ms: i64,
    pub no_data_ms: i64,
}

impl StatusDurations {
    pub fn add(&mut self, status: ComponentStatus, ms: i64) {
        *self.slot(status) += ms;
    }

    fn slot(&mut self, status: ComponentStatus) -> &mut i64 {
        match status {
            ComponentStatus::Operational => &mut self.operational_ms,
            ComponentStatus::DegradedPerformance => &mut self.degraded_ms,
            ComponentStatus::PartialOutage => &mut self.partial_ms,
            ComponentStatus::MajorOutage => &mut self.major_ms,
            ComponentStatus::UnderMaintenance => &mut self.maintenance_ms,
            ComponentStatus::NoData => &mut self.no_data_ms,
        }
    }

    pub fn get(&self, status: ComponentStatus) -> i64 {
        match status {
            ComponentStatus::Operational => self.operational_ms,
            ComponentStatus::DegradedPerformance => self.degraded_ms,
            ComponentStatus::PartialOutage => self.partial_ms,
            ComponentStatus::MajorOutage => self.major_ms,
            ComponentStatus::UnderMaintenance => self.maintenance_ms,
            ComponentStatus::NoData => self.no_data_ms,
        }
    }

    /// Sums another range's durations into this one (hours into a day, days into a window).
    pub fn merge(&mut self, other: &StatusDurations) {
        for &status in ComponentStatus::ALL {
            self.add(status, other.get(status));
        }
    }

    pub fn total_ms(&self) -> i64 {
        ComponentStatus::ALL.iter().map(|&status| self.get(status)).sum()
    }

    /// The time that counts for uptime: everything but maintenance and no data.
    pub fn observed_ms(&self) -> i64 {
        self.operational_ms + self.degraded_ms + self.partial_ms + self.major_ms
    }

    pub fn downtime_ms(&self) -> f64 {
        self.major_ms as f64 + PARTIAL_OUTAGE_WEIGHT * self.partial_ms as f64
    }

    /// Uptime in `[0, 1]`, or `None` when nothing was observed.
    pub fn uptime_ratio(&self) -> Option<f64> {
        let observed = self.observed_ms();
        (observed > 0).then(|| (1.0 - self.downtime_ms() / observed as f64).clamp(0.0, 1.0))
    }

    /// The worst status that has any time in it, ignoring no data; `None` when there is only
    /// no data (or nothing).
    pub fn worst_status(&self) -> Option<ComponentStatus> {
        ComponentStatus::worst(
            ComponentStatus::ALL
                .iter()
                .copied()
                .filter(|&status| status != ComponentStatus::NoData && self.get(status) > 0),
        )
    }
}

/// Time spent in each status within `range`; see [`durations_by_bucket`].
pub fn durations_in_range(
    intervals: &[StatusInterval],
    maintenance: &[TimeRange],
    range: TimeRange,
    now: DateTime<Utc>,
) -> StatusDurations {
    durations_by_bucket(intervals, maintenance, &[range.start, range.end], now).into_iter().next().unwrap_or_default()
}

/// Time spent in each status within each bucket `[boundaries[i], boundaries[i + 1])`.
///
/// Intervals may be unsorted, overlap or leave gaps: a gap counts as no data; where intervals
/// overlap the worst status wins; an ongoing interval runs until `now`, and time after `now`
/// counts as nothing (it has not happened). Any moment inside a `maintenance` range counts as
/// under maintenance whatever the intervals say. Intervals that end before they start are
/// ignored. Runs in O((intervals + buckets) log) time: one sweep over sorted change points.
pub fn durations_by_bucket(
    intervals: &[StatusInterval],
    maintenance: &[TimeRange],
    boundaries: &[DateTime<Utc>],
    now: DateTime<Utc>,
) -> Vec<StatusDurations> {
    let buckets = boundaries.len().saturating_sub(1);
    let mut result = vec![StatusDurations::default(); buckets];
    let (Some(&first), Some(&last)) = (boundaries.first(), boundaries.last()) else {
        return result;
    };
    let horizon = last.min(now);
    if buckets == 0 || horizon <= first {
        return result;
    }

    // Change points: +1/-1 per status (index 0..6) or per maintenance (index MAINTENANCE).
    const MAINTENANCE: usize = 6;
    let mut changes: Vec<(DateTime<Utc>, usize, i32)> = Vec::with_capacity(2 * (intervals.len() + maintenance.len()));
    for interval in intervals {
        let end = interval.end.unwrap_or(now).min(horizon);
        let start = interval.start.max(first);
        if end > start {
            let index = status_index(interval.status);
            changes.push((start, index, 1));
            changes.push((end, index, -1));
        }
    }
    for range in maintenance {
        let (start, end) = (range.start.max(first), range.end.min(horizon));
        if end > start {
            changes.push((start, MAINTENANCE, 1));
            changes.push((end, MAINTENANCE, -1));
        }
    }
    changes.sort_by_key(|(at, _, _)| *at);

    let mut points: Vec<DateTime<Utc>> = changes.iter().map(|(at, _, _)| *at).collect();
    points.extend(boundaries.iter().copied().filter(|at| *at > first && *at < horizon));
    points.push(first);
    points.push(horizon);
    points.sort();
    points.dedup();

    let mut active = [0i32; 7];
    let mut next_change = 0;
    let mut bucket = 0;
    for window in points.windows(2) {
        let (from, to) = (window[0], window[1]);
        while next_change < changes.len() && changes[next_change].0 <= from {
            active[changes[next_change].1] += changes[next_change].2;
            next_change += 1;
        }
        while bucket + 1 < buckets && boundaries[bucket + 1] <= from {
            bucket += 1;
        }
        let status = if active[MAINTENANCE] > 0 {
            ComponentStatus::UnderMaintenance
        } else {
            ComponentStatus::worst(
                ComponentStatus::ALL.iter().copied().filter(|&status| active[status_index(status)] > 0),
            )
            .unwrap_or(ComponentStatus::NoData)
        };
        if let Some(durations) = result.get_mut(bucket) {
            durations.add(status, (to - from).num_milliseconds());
        }
    }
    result
}

fn status_index(status: ComponentStatus) -> usize {
    ComponentStatus::ALL.iter().position(|&candidate| candidate == status).unwrap_or(0)
}

/// Local midnights of `days` consecutive calendar days from `first_day` in `tz` (days + 1
/// instants, the last closing the last day). A day may last 23 or 25 hours around DST; a
/// midnight that does not exist locally starts at the first instant that does.
pub fn day_boundaries(first_day: NaiveDate, days: u32, tz: chrono_tz::Tz) -> Vec<DateTime<Utc>> {
    (0..=days)
        .filter_map(|offset| first_day.checked_add_days(chrono::Days::new(u64::from(offset))))
        .filter_map(|day| local_day_start(day, tz))
        .collect()
}

fn local_day_start(day: NaiveDate, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let midnight = day.and_hms_opt(0, 0, 0)?;
    // Gaps are at most a day long (Samoa skipped 2011-12-30 entirely); step in quarter hours.
    (0..=4 * 25).find_map(|quarter| {
        tz.from_local_datetime(&(midnight + TimeDelta::minutes(15 * quarter)))
            .earliest()
            .map(|local| local.with_timezone(&Utc))
    })
}

/// Hour boundaries in UTC: `start` truncated to its hour, then `hours` more.
pub fn hour_boundaries(start: DateTime<Utc>, hours: u32) -> Vec<DateTime<Utc>> {
    let first = start.duration_trunc(TimeDelta::hours(1)).unwrap_or(start);
    (0..=i64::from(hours)).map(|hour| first + TimeDelta::hours(hour)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ComponentStatus as S;

    fn at(hour: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 10, 0, 0, 0).single().unwrap() + TimeDelta::hours(hour)
    }

    fn interval(status: S, from: i64, to: Option<i64>) -> StatusInterval {
        StatusInterval { status, start: at(from), end: to.map(at) }
    }

    const HOUR: i64 = 3_600_000;

    fn range(from: i64, to: i64) -> TimeRange {
        TimeRange { start: at(from), end: at(to) }
    }

    #[test]
    fn contiguous_history_splits_by_status() {
        let history = [
            interval(S::Operational, 0, Some(10)),
            interval(S::MajorOutage, 10, Some(11)),
            interval(S::PartialOutage, 11, Some(21)),
            interval(S::Operational, 21, None),
        ];
        let d = durations_in_range(&history, &[], range(0, 24), at(100));
        assert_eq!(d.operational_ms, 13 * HOUR);
        assert_eq!(d.major_ms, HOUR);
        assert_eq!(d.partial_ms, 10 * HOUR);
        assert_eq!(d.total_ms(), 24 * HOUR);
        assert_eq!(d.observed_ms(), 24 * HOUR);
        assert_eq!(d.downtime_ms(), 4.0 * HOUR as f64, "1 h major + 0.3 × 10 h partial");
        let uptime = d.uptime_ratio().unwrap();
        assert!((uptime - (1.0 - 4.0 / 24.0)).abs() < 1e-12, "{uptime}");
        assert_eq!(d.worst_status(), Some(S::MajorOutage));
    }

    #[test]
    fn gaps_are_no_data_and_never_up_or_down() {
        let history = [interval(S::Operational, 2, Some(4)), interval(S::MajorOutage, 8, Some(9))];
        let d = durations_in_range(&history, &[], range(0, 10), at(100));
        assert_eq!(d.no_data_ms, 7 * HOUR);
        assert_eq!(d.operational_ms, 2 * HOUR);
        assert_eq!(d.major_ms, HOUR);
        assert!((d.uptime_ratio().unwrap() - 2.0 / 3.0).abs() < 1e-12);

        let nothing = durations_in_range(&[], &[], range(0, 10), at(100));
        assert_eq!(nothing.no_data_ms, 10 * HOUR);
        assert_eq!(nothing.uptime_ratio(), None);
        assert_eq!(nothing.worst_status(), None);
    }

    #[test]
    fn maintenance_overrides_and_is_excluded_from_uptime() {
        let history = [interval(S::MajorOutage, 0, None)];
        let d = durations_in_range(&history, &[range(2, 6)], range(0, 10), at(100));
        assert_eq!(d.maintenance_ms, 4 * HOUR);
        assert_eq!(d.major_ms, 6 * HOUR);
        assert_eq!(d.observed_ms(), 6 * HOUR);
        assert_eq!(d.uptime_ratio(), Some(0.0));

        let only_maintenance = durations_in_range(&history, &[range(-5, 50)], range(0, 10), at(100));
        assert_eq!(only_maintenance.maintenance_ms, 10 * HOUR);
        assert_eq!(only_maintenance.uptime_ratio(), None, "all planned: unknown, not 100 %");
        assert_eq!(only_maintenance.worst_status(), Some(S::UnderMaintenance));

        // Maintenance recorded as a status interval is excluded the same way.
        let recorded = [interval(S::Operational, 0, Some(5)), interval(S::UnderMaintenance, 5, None)];
        let d = durations_in_range(&recorded, &[], range(0, 10), at(100));
        assert_eq!(d.maintenance_ms, 5 * HOUR);
        assert_eq!(d.uptime_ratio(), Some(1.0));
    }

    #[test]
    fn overlaps_take_the_worst_and_order_does_not_matter() {
        let history = [
            interval(S::Operational, 0, Some(10)),
            interval(S::DegradedPerformance, 3, Some(6)),
            interval(S::PartialOutage, 5, Some(7)),
        ];
        let mut reversed = history;
        reversed.reverse();
        for intervals in [&history, &reversed] {
            let d = durations_in_range(intervals, &[], range(0, 10), at(100));
            assert_eq!(d.operational_ms, 6 * HOUR);
            assert_eq!(d.degraded_ms, 2 * HOUR);
            assert_eq!(d.partial_ms, 2 * HOUR);
            assert_eq!(d.total_ms(), 10 * HOUR);
        }
    }

    #[test]
    fn the_future_counts_as_nothing_and_ongoing_ends_now() {
        let history = [interval(S::Operational, 0, None)];
        let d = durations_in_range(&history, &[], range(0, 24), at(6));
        assert_eq!(d.operational_ms, 6 * HOUR);
        assert_eq!(d.total_ms(), 6 * HOUR, "time after now has not happened");
        let future = durations_in_range(&history, &[], range(10, 20), at(6));
        assert_eq!(future, StatusDurations::default());
    }

    #[test]
    fn clipping_inverted_and_empty_inputs_are_safe() {
        let history = [
            interval(S::MajorOutage, -100, Some(-50)),
            interval(S::MajorOutage, 5, Some(3)),
            interval(S::MajorOutage, 4, Some(4)),
            interval(S::Operational, -10, Some(5)),
        ];
        let d = durations_in_range(&history, &[range(9, 8)], range(0, 10), at(100));
        assert_eq!(d.operational_ms, 5 * HOUR);
        assert_eq!(d.no_data_ms, 5 * HOUR);
        assert_eq!(d.major_ms, 0);
        assert!(durations_by_bucket(&history, &[], &[], at(100)).is_empty());
        assert!(durations_by_bucket(&history, &[], &[at(0)], at(100)).is_empty());
        assert_eq!(durations_in_range(&history, &[], range(5, 5), at(100)), StatusDurations::default());
    }

    #[test]
    fn buckets_split_intervals_at_their_boundaries() {
        let history = [
            interval(S::Operational, 0, Some(20)),
            interval(S::MajorOutage, 20, Some(30)),
            interval(S::Operational, 30, None),
        ];
        let boundaries = [at(0), at(24), at(48)];
        let days = durations_by_bucket(&history, &[], &boundaries, at(40));
        assert_eq!(days.len(), 2);
        assert_eq!(days[0].operational_ms, 20 * HOUR);
        assert_eq!(days[0].major_ms, 4 * HOUR);
        assert_eq!(days[1].major_ms, 6 * HOUR);
        assert_eq!(days[1].operational_ms, 10 * HOUR);
        assert_eq!(days[1].total_ms(), 16 * HOUR, "day two is only 16 hours old");

        // The buckets add up to the whole range.
        let mut total = StatusDurations::default();
        days.iter().for_each(|day| total.merge(day));
        assert_eq!(total, durations_in_range(&history, &[], range(0, 48), at(40)));
    }

    #[test]
    fn bucketing_matches_range_by_range_computation() {
        // A deterministic pseudo-random history checked against the one-range function.
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |modulo: i64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % modulo as u64) as i64
        };
        let mut history = Vec::new();
        let mut maintenance = Vec::new();
        for _ in 0..60 {
            let start = next(24 * 90);
            let status = S::ALL[next(S::ALL.len() as i64) as usize];
            let end = if next(10) == 0 { None } else { Some(start + 1 + next(30)) };
            history.push(interval(status, start, end));
        }
        for _ in 0..5 {
            let start = next(24 * 90);
            maintenance.push(range(start, start + 1 + next(6)));
        }
        let boundaries: Vec<_> = (0..=90).map(|day| at(24 * day)).collect();
        let now = at(24 * 80 + 5);
        let days = durations_by_bucket(&history, &maintenance, &boundaries, now);
        for (day, durations) in days.iter().enumerate() {
            let expected =
                durations_in_range(&history, &maintenance, range(24 * day as i64, 24 * day as i64 + 24), now);
            assert_eq!(*durations, expected, "day {day}");
        }
    }

    #[test]
    fn worst_status_and_merge() {
        let mut a = StatusDurations::default();
        a.add(S::NoData, 5);
        assert_eq!(a.worst_status(), None);
        a.add(S::Operational, 1);
        assert_eq!(a.worst_status(), Some(S::Operational));
        let mut b = StatusDurations::default();
        b.add(S::DegradedPerformance, 2);
        b.add(S::UnderMaintenance, 3);
        a.merge(&b);
        assert_eq!(a.worst_status(), Some(S::DegradedPerformance));
        assert_eq!(a.total_ms(), 11);
        for &status in S::ALL {
            let mut single = StatusDurations::default();
            single.add(status, 7);
            assert_eq!(single.get(status), 7);
            assert_eq!(single.total_ms(), 7);
        }
    }

    #[test]
    fn uptime_weights_each_status() {
        let table = [
            (S::Operational, Some(1.0)),
            (S::DegradedPerformance, Some(1.0)),
            (S::PartialOutage, Some(0.7)),
            (S::MajorOutage, Some(0.0)),
            (S::UnderMaintenance, None),
            (S::NoData, None),
        ];
        for (status, expected) in table {
            let mut d = StatusDurations::default();
            d.add(status, HOUR);
            match (d.uptime_ratio(), expected) {
                (Some(actual), Some(expected)) => assert!((actual - expected).abs() < 1e-12, "{status}: {actual}"),
                (actual, expected) => assert_eq!(actual, expected, "{status}"),
            }
        }
    }

    #[test]
    fn day_boundaries_follow_the_local_calendar_through_dst() {
        let berlin = chrono_tz::Europe::Berlin;
        // 2026-03-29: clocks go forward at 02:00 (23-hour day); 2026-10-25: back (25 hours).
        let spring = day_boundaries(NaiveDate::from_ymd_opt(2026, 3, 28).unwrap(), 3, berlin);
        assert_eq!(spring.len(), 4);
        assert_eq!(spring[0], Utc.with_ymd_and_hms(2026, 3, 27, 23, 0, 0).unwrap());
        assert_eq!(spring[1] - spring[0], TimeDelta::hours(24));
        assert_eq!(spring[2] - spring[1], TimeDelta::hours(23));
        assert_eq!(spring[3] - spring[2], TimeDelta::hours(24));
        let autumn = day_boundaries(NaiveDate::from_ymd_opt(2026, 10, 25).unwrap(), 1, berlin);
        assert_eq!(autumn[1] - autumn[0], TimeDelta::hours(25));

        let utc = day_boundaries(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), 90, chrono_tz::UTC);
        assert_eq!(utc.len(), 91);
        assert!(utc.windows(2).all(|pair| pair[1] - pair[0] == TimeDelta::hours(24)));
    }

    #[test]
    fn a_missing_local_midnight_starts_the_day_at_the_first_real_instant() {
        // Santiago de Chile skips from 00:00 to 01:00 on 2026-09-06.
        let santiago = chrono_tz::America::Santiago;
        let days = day_boundaries(NaiveDate::from_ymd_opt(2026, 9, 5).unwrap(), 2, santiago);
        assert_eq!(days.len(), 3);
        assert_eq!(days[1] - days[0], TimeDelta::hours(24), "the day before ends at the jump");
        assert_eq!(days[2] - days[1], TimeDelta::hours(23));
        // Samoa skipped 2011-12-30 entirely: that day has no length at all.
        let apia = day_boundaries(NaiveDate::from_ymd_opt(2011, 12, 29).unwrap(), 3, chrono_tz::Pacific::Apia);
        assert_eq!(apia.len(), 4);
        assert_eq!(apia[2], apia[1]);
        assert!(apia.windows(2).all(|pair| pair[0] <= pair[1]));
    }

    #[test]
    fn hour_boundaries_start_on_the_hour() {
        let hours = hour_boundaries(at(5) + TimeDelta::minutes(17), 3);
        assert_eq!(hours, vec![at(5), at(6), at(7), at(8)]);
        assert_eq!(hour_boundaries(at(0), 0), vec![at(0)]);
    }
}
