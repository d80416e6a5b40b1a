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
    /// Adds `ms` milliseconds of `status`.
    pub fn add(&mut self, status: ComponentStatus, ms: i64) {
        let slot = self.slot(status);
        *slot = slot.saturating_add(ms);
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

    /// The milliseconds spent in `status`.
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

    /// All the time accounted for, whatever the status.
    pub fn total_ms(&self) -> i64 {
        ComponentStatus::ALL.iter().fold(0, |total: i64, &status| total.saturating_add(self.get(status)))
    }

    /// The time that counts for uptime: everything but maintenance and no data.
    pub fn observed_ms(&self) -> i64 {
        [self.operational_ms, self.degraded_ms, self.partial_ms, self.major_ms].into_iter().fold(0, i64::saturating_add)
    }

    /// Downtime: a major outage counts in full, a partial outage at [`PARTIAL_OUTAGE_WEIGHT`],
    /// degraded performance not at all (the service works, only slowly).
    pub fn downtime_ms(&self) -> f64 {
        self.major_ms as f64 + PARTIAL_OUTAGE_WEIGHT * self.partial_ms as f64
    }

    /// `1 - downtime / observed`, in `[0, 1]`; `None` when nothing was observed (only
    /// maintenance or no data), because unknown must never be shown as up or down.
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

/// Time spent in each status within `range`; the rules are those of [`durations_by_bucket`].
pub fn durations_in_range(
    intervals: &[StatusInterval],
    maintenance: &[TimeRange],
    range: TimeRange,
    now: DateTime<Utc>,
) -> StatusDurations {
    durations_by_bucket(intervals, maintenance, &[range.start, range.end], now).into_iter().next().unwrap_or_default()
}

/// Time spent in each status within each bucket `[boundaries[i], boundaries[i + 1])`;
/// `boundaries` must be ascending (n + 1 instants give n buckets).
///
/// Intervals may be unsorted, overlap or leave gaps: a gap counts as no data; where intervals
/// overlap the worst status wins; an ongoing interval runs until `now`, and time after `now`
/// counts as nothing (it has not happened). Any moment inside a `maintenance` range counts as
/// under maintenance whatever the intervals say. Intervals that do not end after they start
/// are ignored.
///
/// One sweep over the sorted start and end points of every interval and maintenance range,
/// and the bucket boundaries: O((intervals + buckets) log(intervals + buckets)), so 90 days of
/// many components stay cheap.
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
    // Nothing after `now` has happened yet.
    let horizon = last.min(now);
    if horizon <= first {
        return result;
    }

    let mut changes = Vec::with_capacity(2 * (intervals.len() + maintenance.len()));
    let mut cover = |layer: Layer, start: DateTime<Utc>, end: DateTime<Utc>| {
        let (start, end) = (start.max(first), end.min(horizon));
        if start < end {
            changes.push(Change { at: start, layer, delta: 1 });
            changes.push(Change { at: end, layer, delta: -1 });
        }
    };
    for interval in intervals {
        cover(Layer::Status(interval.status), interval.start, interval.end.unwrap_or(now));
    }
    for range in maintenance {
        cover(Layer::Maintenance, range.start, range.end);
    }
    changes.sort_by_key(|change| change.at);

    // Every instant at which the status or the bucket can change.
    let mut points: Vec<DateTime<Utc>> = changes.iter().map(|change| change.at).collect();
    points.extend(boundaries.iter().copied().filter(|&at| first < at && at < horizon));
    points.extend([first, horizon]);
    points.sort_unstable();
    points.dedup();

    let mut coverage = Coverage::default();
    let mut pending = changes.iter().peekable();
    let mut bucket = 0;
    for segment in points.windows(2) {
        let [from, to] = [segment[0], segment[1]];
        while let Some(change) = pending.next_if(|change| change.at <= from) {
            coverage.apply(change);
        }
        while bucket + 1 < buckets && boundaries[bucket + 1] <= from {
            bucket += 1;
        }
        if let Some(durations) = result.get_mut(bucket) {
            durations.add(coverage.status(), (to - from).num_milliseconds());
        }
    }
    result
}

/// What an interval or range covers during the sweep.
#[derive(Debug, Clone, Copy)]
enum Layer {
    Status(ComponentStatus),
    Maintenance,
}

/// A layer beginning (`delta` 1) or ending (`delta` -1) at `at`.
#[derive(Debug, Clone, Copy)]
struct Change {
    at: DateTime<Utc>,
    layer: Layer,
    delta: i32,
}

/// How many intervals of each status, and how many maintenance ranges, cover the current
/// position of the sweep.
#[derive(Debug, Default)]
struct Coverage {
    by_status: [i32; ComponentStatus::ALL.len()],
    maintenance: i32,
}

impl Coverage {
    fn apply(&mut self, change: &Change) {
        let count = match change.layer {
            Layer::Maintenance => &mut self.maintenance,
            Layer::Status(status) => &mut self.by_status[status_index(status)],
        };
        *count += change.delta;
    }

    /// Maintenance first, then the worst covering status, else no data (a gap).
    fn status(&self) -> ComponentStatus {
        if self.maintenance > 0 {
            return ComponentStatus::UnderMaintenance;
        }
        ComponentStatus::worst(
            ComponentStatus::ALL.iter().copied().zip(self.by_status).filter(|&(_, count)| count > 0).map(|(s, _)| s),
        )
        .unwrap_or(ComponentStatus::NoData)
    }
}

/// The position of `status` in [`ComponentStatus::ALL`], which lists every variant in
/// declaration order.
fn status_index(status: ComponentStatus) -> usize {
    status as usize
}

/// Local midnights of `days` consecutive calendar days from `first_day` in `tz` (days + 1
/// instants, the last closing the last day; fewer only at the very end of the representable
/// calendar). A day may last 23 or 25 hours around DST; a
/// midnight that does not exist locally starts at the first instant that does.
pub fn day_boundaries(first_day: NaiveDate, days: u32, tz: chrono_tz::Tz) -> Vec<DateTime<Utc>> {
    (0..=days)
        .filter_map(|offset| first_day.checked_add_days(chrono::Days::new(u64::from(offset))))
        .filter_map(|day| local_day_start(day, tz))
        .collect()
}

fn local_day_start(day: NaiveDate, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let midnight = day.and_hms_opt(0, 0, 0)?;
    // The instant of local `midnight + seconds`, if that local time exists (the earlier one
    // when clocks went back and it happened twice).
    let instant = |seconds: i64| {
        let local = midnight.checked_add_signed(TimeDelta::seconds(seconds))?;
        tz.from_local_datetime(&local).earliest().map(|at| at.with_timezone(&Utc))
    };
    if let Some(start) = instant(0) {
        return Some(start);
    }
    // Midnight falls in a gap (clocks jumped forward over it). The gap is shorter than this
    // bound (Samoa's, skipping 2011-12-30 entirely, is the longest on record: one day), and
    // local times inside it are invalid until its end, so binary search finds the end exactly,
    // to the second, however oddly historical offsets are shaped.
    const SEARCH_SECONDS: i64 = 26 * 3600;
    let (mut invalid, mut valid) = (0, SEARCH_SECONDS);
    instant(valid)?;
    while valid - invalid > 1 {
        let middle = invalid + (valid - invalid) / 2;
        if instant(middle).is_some() {
            valid = middle;
        } else {
            invalid = middle;
        }
    }
    instant(valid)
}

/// Hour boundaries in UTC: `start` truncated to its hour, then `hours` more (hours + 1
/// instants; fewer only at the very end of the representable calendar).
pub fn hour_boundaries(start: DateTime<Utc>, hours: u32) -> Vec<DateTime<Utc>> {
    let first = start.duration_trunc(TimeDelta::hours(1)).unwrap_or(start);
    (0..=i64::from(hours)).map_while(|hour| first.checked_add_signed(TimeDelta::hours(hour))).collect()
}

impl StatusInterval {
    /// What is left of the interval once `unobserved` is cut out of it: itself if they do not
    /// overlap, else the part before, the part after (still ongoing if it was), both, or
    /// nothing. Time nobody observed then reads as a gap in the history, which is no data.
    pub fn outside(self, unobserved: TimeRange) -> Vec<StatusInterval> {
        let ends_before = self.end.is_some_and(|end| end <= unobserved.start);
        if unobserved.end <= unobserved.start || ends_before || self.start >= unobserved.end {
            return vec![self];
        }
        let mut pieces = Vec::with_capacity(2);
        if self.start < unobserved.start {
            pieces.push(StatusInterval { end: Some(unobserved.start), ..self });
        }
        if self.end.is_none_or(|end| end > unobserved.end) {
            pieces.push(StatusInterval { start: unobserved.end, ..self });
        }
        pieces
    }
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

    /// The definition, applied one minute at a time: slow, obviously right, and independent of
    /// the sweep. Every input is aligned to whole minutes so the two must agree exactly.
    fn reference(
        intervals: &[StatusInterval],
        maintenance: &[TimeRange],
        boundaries: &[DateTime<Utc>],
        now: DateTime<Utc>,
    ) -> Vec<StatusDurations> {
        let minute = TimeDelta::minutes(1);
        boundaries
            .windows(2)
            .map(|bucket| {
                let mut durations = StatusDurations::default();
                let mut moment = bucket[0];
                while moment < bucket[1] && moment < now {
                    let status = if maintenance.iter().any(|r| r.start <= moment && moment < r.end) {
                        S::UnderMaintenance
                    } else {
                        let covering = intervals
                            .iter()
                            .filter(|i| i.start <= moment && moment < i.end.unwrap_or(now))
                            .map(|i| i.status);
                        S::worst(covering).unwrap_or(S::NoData)
                    };
                    durations.add(status, minute.num_milliseconds());
                    moment += minute;
                }
                durations
            })
            .collect()
    }

    /// A deterministic xorshift generator, so a failure can be reproduced.
    struct Random(u64);

    impl Random {
        fn below(&mut self, bound: i64) -> i64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound as u64) as i64
        }
    }

    #[test]
    fn the_sweep_agrees_with_the_minute_by_minute_definition() {
        let minutes = |m: i64| at(0) + TimeDelta::minutes(m);
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        for round in 0..40 {
            let span = 3 * 24 * 60;
            let intervals: Vec<StatusInterval> = (0..random.below(40))
                .map(|_| {
                    let start = random.below(span + 120) - 60;
                    let status = S::ALL[random.below(S::ALL.len() as i64) as usize];
                    // Some ongoing, some inverted or empty, most a few hours long.
                    let end = match random.below(10) {
                        0 => None,
                        1 => Some(start - random.below(30)),
                        _ => Some(start + random.below(6 * 60)),
                    };
                    StatusInterval { status, start: minutes(start), end: end.map(minutes) }
                })
                .collect();
            let maintenance: Vec<TimeRange> = (0..random.below(4))
                .map(|_| {
                    let start = random.below(span);
                    TimeRange { start: minutes(start), end: minutes(start + random.below(180) - 20) }
                })
                .collect();
            // Uneven buckets, like local days around DST or a partial first hour.
            let mut boundaries = vec![minutes(random.below(60))];
            while let Some(&last) = boundaries.last().filter(|&&last| last < minutes(span)) {
                boundaries.push(last + TimeDelta::minutes(1 + random.below(12 * 60)));
            }
            let now = minutes(random.below(span + 600));
            let swept = durations_by_bucket(&intervals, &maintenance, &boundaries, now);
            assert_eq!(swept, reference(&intervals, &maintenance, &boundaries, now), "round {round}");
        }
    }

    #[test]
    fn where_any_two_statuses_overlap_the_worse_one_counts() {
        for &a in S::ALL {
            for &b in S::ALL {
                let history = [interval(a, 0, Some(2)), interval(b, 1, Some(3))];
                let d = durations_in_range(&history, &[], range(0, 3), at(100));
                let mut expected = StatusDurations::default();
                expected.add(a, HOUR);
                expected.add(b, HOUR);
                let worse = if a.severity() >= b.severity() { a } else { b };
                expected.add(worse, HOUR);
                assert_eq!(d, expected, "{a} overlapping {b}");
            }
        }
    }

    #[test]
    fn maintenance_masks_every_status_and_gaps_too() {
        for &status in S::ALL {
            let history = [interval(status, 0, Some(6))];
            let d = durations_in_range(&history, &[range(4, 8)], range(0, 10), at(100));
            let mut expected = StatusDurations::default();
            expected.add(status, 4 * HOUR);
            expected.add(S::UnderMaintenance, 4 * HOUR);
            expected.add(S::NoData, 2 * HOUR);
            assert_eq!(d, expected, "{status}");
        }
        // Overlapping maintenance ranges are counted once.
        let d = durations_in_range(&[], &[range(0, 5), range(3, 7), range(3, 7)], range(0, 10), at(100));
        assert_eq!((d.maintenance_ms, d.no_data_ms), (7 * HOUR, 3 * HOUR));
    }

    #[test]
    fn many_components_over_ninety_days_stay_cheap() {
        // 20 000 intervals × 2 160 hourly buckets would be 43 million steps if done naively.
        let intervals: Vec<StatusInterval> = (0..20_000)
            .map(|i| StatusInterval {
                status: S::ALL[i % S::ALL.len()],
                start: at(0) + TimeDelta::minutes(i as i64 * 6),
                end: Some(at(0) + TimeDelta::minutes(i as i64 * 6 + 9)),
            })
            .collect();
        let hours = hour_boundaries(at(0), 24 * 90);
        let now = at(24 * 90);
        let by_hour = durations_by_bucket(&intervals, &[], &hours, now);
        assert_eq!(by_hour.len(), 24 * 90);
        let mut total = StatusDurations::default();
        by_hour.iter().for_each(|hour| total.merge(hour));
        assert_eq!(total, durations_in_range(&intervals, &[], range(0, 24 * 90), now));
        assert_eq!(total.total_ms(), 24 * 90 * HOUR);
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
        assert_eq!(days[1], Utc.with_ymd_and_hms(2026, 9, 6, 4, 0, 0).unwrap(), "01:00 -03, the first real instant");
        // Samoa skipped 2011-12-30 entirely: that day has no length at all.
        let apia = day_boundaries(NaiveDate::from_ymd_opt(2011, 12, 29).unwrap(), 3, chrono_tz::Pacific::Apia);
        assert_eq!(apia.len(), 4);
        assert_eq!(apia[0], Utc.with_ymd_and_hms(2011, 12, 29, 10, 0, 0).unwrap(), "midnight at -10:00");
        assert_eq!(apia[1], Utc.with_ymd_and_hms(2011, 12, 30, 10, 0, 0).unwrap(), "31 December, midnight at +14:00");
        assert_eq!(apia[2], apia[1]);
        assert_eq!(apia[3] - apia[2], TimeDelta::hours(24));
    }

    #[test]
    fn a_gap_ending_at_an_odd_second_is_found_exactly() {
        // Abidjan left local mean time (-0:16:08) for GMT at midnight on 1912-01-01, so that
        // day began at 00:16:08 GMT; stepping in whole minutes or quarter hours would miss it.
        let abidjan = day_boundaries(NaiveDate::from_ymd_opt(1911, 12, 31).unwrap(), 2, chrono_tz::Africa::Abidjan);
        assert_eq!(abidjan[1], Utc.with_ymd_and_hms(1912, 1, 1, 0, 16, 8).unwrap());
        assert_eq!(abidjan[1] - abidjan[0], TimeDelta::hours(24));
        assert_eq!(abidjan[2] - abidjan[1], TimeDelta::hours(24) - TimeDelta::seconds(16 * 60 + 8));
    }

    #[test]
    fn day_boundaries_edge_cases() {
        let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        assert_eq!(day_boundaries(day, 0, chrono_tz::UTC), vec![Utc.with_ymd_and_hms(2026, 5, 1, 0, 0, 0).unwrap()]);
        // A zone east of UTC starts its day the evening before, in UTC.
        let tokyo = day_boundaries(day, 1, chrono_tz::Asia::Tokyo);
        assert_eq!(tokyo[0], Utc.with_ymd_and_hms(2026, 4, 30, 15, 0, 0).unwrap());
        // Leap day, and the end of chrono's calendar (no panic, just fewer days).
        let leap = day_boundaries(NaiveDate::from_ymd_opt(2028, 2, 28).unwrap(), 2, chrono_tz::UTC);
        assert_eq!(leap[1], Utc.with_ymd_and_hms(2028, 2, 29, 0, 0, 0).unwrap());
        assert!(day_boundaries(NaiveDate::MAX, 3, chrono_tz::UTC).len() <= 1);
        for tz in [chrono_tz::Pacific::Kiritimati, chrono_tz::America::New_York, chrono_tz::Pacific::Apia] {
            assert!(day_boundaries(NaiveDate::MAX, 3, tz).len() <= 1, "{tz}");
            let earliest = day_boundaries(NaiveDate::MIN, 3, tz);
            assert!(earliest.windows(2).all(|pair| pair[0] <= pair[1]), "{tz}");
        }
    }

    #[test]
    fn hour_boundaries_start_on_the_hour() {
        let hours = hour_boundaries(at(5) + TimeDelta::minutes(17), 3);
        assert_eq!(hours, vec![at(5), at(6), at(7), at(8)]);
        assert_eq!(hour_boundaries(at(0), 0), vec![at(0)]);
        let day = hour_boundaries(at(0) + TimeDelta::milliseconds(3_599_999), 24);
        assert_eq!((day.len(), day[0], day[24]), (25, at(0), at(24)));
        let at_the_end = hour_boundaries(DateTime::<Utc>::MAX_UTC, u32::MAX);
        assert_eq!(at_the_end.len(), 1, "stops at the end of the calendar instead of overflowing");
    }

    #[test]
    fn sums_saturate_instead_of_overflowing() {
        let mut d = StatusDurations::default();
        d.add(S::MajorOutage, i64::MAX);
        d.add(S::MajorOutage, i64::MAX);
        d.add(S::Operational, i64::MAX);
        assert_eq!(d.major_ms, i64::MAX);
        assert_eq!(d.total_ms(), i64::MAX);
        assert_eq!(d.observed_ms(), i64::MAX);
        let ratio = d.uptime_ratio().unwrap();
        assert!((0.0..=1.0).contains(&ratio), "{ratio}");
    }

    #[test]
    fn unobserved_time_is_cut_out_and_reads_as_no_data() {
        let unobserved = range(10, 12);
        // Ongoing through it: before and after, the after part still ongoing.
        assert_eq!(
            interval(S::Operational, 0, None).outside(unobserved),
            vec![interval(S::Operational, 0, Some(10)), interval(S::Operational, 12, None)]
        );
        // Ending inside it, starting inside it, wholly inside it, around it exactly.
        assert_eq!(
            interval(S::MajorOutage, 5, Some(11)).outside(unobserved),
            vec![interval(S::MajorOutage, 5, Some(10))]
        );
        assert_eq!(
            interval(S::MajorOutage, 11, Some(15)).outside(unobserved),
            vec![interval(S::MajorOutage, 12, Some(15))]
        );
        assert_eq!(interval(S::MajorOutage, 11, None).outside(unobserved), vec![interval(S::MajorOutage, 12, None)]);
        assert_eq!(interval(S::PartialOutage, 10, Some(12)).outside(unobserved), vec![]);
        assert_eq!(interval(S::PartialOutage, 10, Some(11)).outside(unobserved), vec![]);
        // Not touching it: unchanged.
        for untouched in [
            interval(S::Operational, 0, Some(10)),
            interval(S::Operational, 12, Some(13)),
            interval(S::Operational, 12, None),
        ] {
            assert_eq!(untouched.outside(unobserved), vec![untouched]);
        }
        // An empty range cuts nothing.
        assert_eq!(interval(S::Operational, 0, None).outside(range(10, 10)), vec![interval(S::Operational, 0, None)]);

        let history: Vec<StatusInterval> =
            [interval(S::Operational, 0, None)].into_iter().flat_map(|interval| interval.outside(unobserved)).collect();
        let d = durations_in_range(&history, &[], range(0, 24), at(24));
        assert_eq!((d.operational_ms, d.no_data_ms), (22 * HOUR, 2 * HOUR));
        assert_eq!(d.uptime_ratio(), Some(1.0), "the unobserved hours count neither up nor down");
    }
}
