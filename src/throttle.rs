//! Sign-in throttling: how many recent failures an account or an address may have before it
//! must wait, and until when. Counted per account (guessing one person's password) and per
//! address (trying many accounts), so neither attack gets far and one noisy office does not
//! lock everyone else out.

use chrono::{DateTime, TimeDelta, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub window: TimeDelta,
    pub failures_per_account: usize,
    pub failures_per_address: usize,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle { window: TimeDelta::minutes(15), failures_per_account: 5, failures_per_address: 20 }
    }
}

impl LoginThrottle {
    /// `Err(when the next attempt is allowed)` when either limit is reached. The failure
    /// lists hold the times of failed attempts, in any order; those outside the window count
    /// for nothing.
    pub fn check(
        &self,
        account_failures: &[DateTime<Utc>],
        address_failures: &[DateTime<Utc>],
        now: DateTime<Utc>,
    ) -> Result<(), DateTime<Utc>> {
        let blocked_until = |failures: &[DateTime<Utc>], limit: usize| -> Option<DateTime<Utc>> {
            let mut recent: Vec<DateTime<Utc>> =
                failures.iter().copied().filter(|at| *at > now - self.window && *at <= now).collect();
            if recent.len() < limit {
                return None;
            }
            // Allowed again once enough of them have aged out that fewer than `limit` remain.
            recent.sort_unstable();
            Some(recent[recent.len() - limit] + self.window)
        };
        let account = blocked_until(account_failures, self.failures_per_account);
        let address = blocked_until(address_failures, self.failures_per_address);
        match account.max(address) {
            Some(until) => Err(until),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minute * 60, 0).unwrap()
    }

    #[test]
    fn an_account_waits_after_five_recent_failures() {
        let throttle = LoginThrottle::default();
        let four: Vec<_> = (0..4).map(at).collect();
        assert_eq!(throttle.check(&four, &four, at(5)), Ok(()));
        let five: Vec<_> = (0..5).map(at).collect();
        // The oldest of the five leaves the window 15 minutes after it happened.
        assert_eq!(throttle.check(&five, &[], at(5)), Err(at(15)));
        assert_eq!(throttle.check(&five, &[], at(15)), Ok(()));
    }

    #[test]
    fn old_failures_and_order_do_not_matter() {
        let throttle = LoginThrottle::default();
        let mixed = vec![at(40), at(-100), at(41), at(39), at(-50), at(42), at(38)];
        // Five within the window (38–42): blocked until 38 + 15.
        assert_eq!(throttle.check(&mixed, &[], at(43)), Err(at(53)));
        let old: Vec<_> = (-100..-80).map(at).collect();
        assert_eq!(throttle.check(&old, &old, at(0)), Ok(()));
    }

    #[test]
    fn an_address_trying_many_accounts_waits_too() {
        let throttle = LoginThrottle::default();
        let twenty = vec![at(2); 20];
        assert_eq!(throttle.check(&[], &twenty[..19], at(3)), Ok(()));
        assert_eq!(throttle.check(&[], &twenty, at(3)), Err(at(17)));
        // Both limits reached: the later release wins.
        let five: Vec<_> = (0..5).map(at).collect();
        assert_eq!(throttle.check(&five, &twenty, at(5)), Err(at(17)));
        assert_eq!(throttle.check(&five, &twenty[..1], at(5)), Err(at(15)));
    }

    #[test]
    fn future_failures_from_a_skewed_clock_are_ignored() {
        let throttle = LoginThrottle::default();
        let future: Vec<_> = (10..20).map(at).collect();
        assert_eq!(throttle.check(&future, &future, at(0)), Ok(()));
    }
}
