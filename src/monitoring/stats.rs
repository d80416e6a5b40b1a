//! What a bucket of check results adds up to for the roll-ups: how many runs, how many
//! failed, and the latency of those that answered (average and 95th percentile).

use super::tracker::CheckOutcome;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CheckStats {
    pub check_count: u32,
    pub failure_count: u32,
    pub latency_avg_ms: Option<f64>,
    pub latency_p95_ms: Option<f64>,
}

/// Sums up results `(outcome, latency)`. Failed runs count, but their latency (a timeout, a
/// refused connection) says nothing about how fast the service answers, so it is left out.
/// The percentile is nearest-rank: a latency some run really had.
pub fn check_stats(results: impl IntoIterator<Item = (CheckOutcome, Option<u32>)>) -> CheckStats {
    let mut stats = CheckStats::default();
    let mut latencies = Vec::new();
    for (outcome, latency) in results {
        stats.check_count += 1;
        if outcome == CheckOutcome::Down {
            stats.failure_count += 1;
        } else if let Some(latency) = latency {
            latencies.push(latency);
        }
    }
    if latencies.is_empty() {
        return stats;
    }
    latencies.sort_unstable();
    let total: u64 = latencies.iter().map(|&ms| u64::from(ms)).sum();
    stats.latency_avg_ms = Some(total as f64 / latencies.len() as f64);
    // Nearest rank: the smallest value with at least 95 % of the values at or below it.
    let rank = (latencies.len() * 95).div_ceil(100).max(1);
    stats.latency_p95_ms = Some(f64::from(latencies[rank - 1]));
    stats
}

/// Several buckets' figures as one (hours into a day): runs and failures add up, the average
/// is weighted by the runs that answered, and the 95th percentile — which cannot be rebuilt
/// from parts — is the highest of the parts, an upper bound.
pub fn merge_stats(parts: impl IntoIterator<Item = CheckStats>) -> CheckStats {
    let mut merged = CheckStats::default();
    let (mut weighted, mut answered) = (0.0, 0u32);
    for part in parts {
        merged.check_count += part.check_count;
        merged.failure_count += part.failure_count;
        if let Some(average) = part.latency_avg_ms {
            let runs = part.check_count.saturating_sub(part.failure_count).max(1);
            weighted += average * f64::from(runs);
            answered += runs;
        }
        merged.latency_p95_ms = match (merged.latency_p95_ms, part.latency_p95_ms) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
    }
    merged.latency_avg_ms = (answered > 0).then(|| weighted / f64::from(answered));
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use CheckOutcome::{Down, Slow, Up};

    #[test]
    fn nothing_is_nothing() {
        assert_eq!(check_stats([]), CheckStats::default());
    }

    #[test]
    fn failures_count_but_do_not_skew_latency() {
        let stats = check_stats([(Up, Some(100)), (Down, Some(10_000)), (Slow, Some(300)), (Down, None)]);
        assert_eq!((stats.check_count, stats.failure_count), (4, 2));
        assert_eq!(stats.latency_avg_ms, Some(200.0));
        assert_eq!(stats.latency_p95_ms, Some(300.0));
    }

    #[test]
    fn the_95th_percentile_is_a_real_latency_by_nearest_rank() {
        let hundred = (1..=100).map(|ms| (Up, Some(ms)));
        assert_eq!(check_stats(hundred).latency_p95_ms, Some(95.0));
        let twenty = (1..=20).rev().map(|ms| (Up, Some(ms * 10)));
        assert_eq!(check_stats(twenty).latency_p95_ms, Some(190.0));
        assert_eq!(check_stats([(Up, Some(42))]).latency_p95_ms, Some(42.0));
        let only_failures = check_stats([(Down, Some(5)), (Down, None)]);
        assert_eq!((only_failures.failure_count, only_failures.latency_avg_ms), (2, None));
    }

    #[test]
    fn hours_merge_into_a_day() {
        let busy = check_stats((0..9).map(|_| (Up, Some(100))).chain([(Down, None)]));
        let quiet = check_stats([(Up, Some(400))]);
        let day = merge_stats([busy, CheckStats::default(), quiet]);
        assert_eq!((day.check_count, day.failure_count), (11, 1));
        assert_eq!(day.latency_avg_ms, Some(130.0), "weighted by the nine and the one runs that answered");
        assert_eq!(day.latency_p95_ms, Some(400.0));
        assert_eq!(merge_stats([]), CheckStats::default());
    }

    #[test]
    fn runs_without_a_latency_count_as_runs() {
        let heartbeats = check_stats([(Up, None), (Up, None), (Down, None)]);
        assert_eq!((heartbeats.check_count, heartbeats.failure_count, heartbeats.latency_p95_ms), (3, 1, None));
    }
}
