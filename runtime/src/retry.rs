//! Retry and Catch decisions, as pure functions: which retrier or catcher
//! handles a failure, and how long to wait before a retry.

use crate::error::Failure;
use rand::RngExt;
use sfc_asl::{Catcher, Jitter, Retrier};
use std::time::Duration;

/// What happens after a state fails.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Run the state again after `delay`, on behalf of retrier `retrier`.
    Retry { retrier: usize, delay: Duration },
    /// Hand the error to catcher `catcher`.
    Catch { catcher: usize },
    /// Nothing handles it: the failure propagates.
    Fail,
}

/// Attempts used so far, per retrier, for one run of one state.
#[derive(Debug, Clone, Default)]
pub struct Attempts {
    counts: Vec<u64>,
}

impl Attempts {
    pub fn new(retriers: usize) -> Self {
        Attempts { counts: vec![0; retriers] }
    }

    /// As if every retrier had retried `n` times already (TestState's
    /// retrierRetryCount).
    pub fn preset(retriers: usize, n: u64) -> Self {
        Attempts { counts: vec![n; retriers] }
    }

    /// How many retries have been made in all.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// The first retrier whose ErrorEquals matches decides: retry while it has
/// attempts left, otherwise fall through to Catch (later retriers are not
/// consulted, as the specification says).
pub fn decide(failure: &Failure, retriers: &[Retrier], catchers: &[Catcher], attempts: &mut Attempts, rng: &mut dyn rand::Rng) -> Decision {
    if attempts.counts.len() < retriers.len() {
        attempts.counts.resize(retriers.len(), 0);
    }
    if let Some(i) = retriers.iter().position(|r| failure.matches(&r.error_equals)) {
        let r = &retriers[i];
        let n = attempts.counts[i];
        if n < r.attempts() {
            attempts.counts[i] += 1;
            return Decision::Retry { retrier: i, delay: delay(r, n, rng) };
        }
    }
    match catchers.iter().position(|c| failure.matches(&c.error_equals)) {
        Some(c) => Decision::Catch { catcher: c },
        None => Decision::Fail,
    }
}

/// The wait before retry number `n + 1`: IntervalSeconds × BackoffRate^n,
/// capped by MaxDelaySeconds, then with FULL jitter a random share of it.
pub fn delay(r: &Retrier, n: u64, rng: &mut dyn rand::Rng) -> Duration {
    let secs = base_delay(r, n);
    let secs = match r.jitter_strategy {
        Some(Jitter::Full) => rng.random_range(0.0..=secs),
        _ => secs,
    };
    Duration::from_secs_f64(secs)
}

/// The delay before jitter, in seconds.
pub fn base_delay(r: &Retrier, n: u64) -> f64 {
    let raw = r.interval() as f64 * r.backoff().powi(i32::try_from(n).unwrap_or(i32::MAX));
    let capped = match r.max_delay_seconds {
        Some(max) => raw.min(max as f64),
        None => raw,
    };
    // Cap at a year so arithmetic on absurd backoffs stays finite.
    capped.min(31_622_400.0)
}
