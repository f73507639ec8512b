//! Time, injected: the interpreter asks a [`Clock`] for the time and to
//! sleep, and never knows whether time is virtual or real.
//!
//! Virtual time rides on tokio's paused clock: on a current-thread runtime
//! started paused, a sleep with nothing else to do jumps the clock forward
//! at once. [`crate::Runner`] builds the runtime to match the clock.

use chrono::{DateTime, Utc};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

pub type Sleep<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

pub trait Clock {
    /// The current time, as states see it.
    fn now(&self) -> DateTime<Utc>;
    /// Waits `d` (virtually or for real).
    fn sleep(&self, d: Duration) -> Sleep<'_>;
    /// True when waits advance instantly.
    fn is_virtual(&self) -> bool;
}

/// Time that starts at a given instant and advances only when the
/// execution waits. Needs a paused tokio runtime.
pub struct VirtualClock {
    start: DateTime<Utc>,
    base: tokio::time::Instant,
}

impl VirtualClock {
    /// Must be created inside the (paused) runtime that will run the execution.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        VirtualClock { start, base: tokio::time::Instant::now() }
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed = tokio::time::Instant::now() - self.base;
        self.start + chrono::Duration::from_std(elapsed).unwrap_or(chrono::Duration::MAX)
    }

    fn sleep(&self, d: Duration) -> Sleep<'_> {
        Box::pin(tokio::time::sleep(d))
    }

    fn is_virtual(&self) -> bool {
        true
    }
}

/// Wall-clock time: waits really wait.
pub struct RealClock;

impl Clock for RealClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, d: Duration) -> Sleep<'_> {
        Box::pin(tokio::time::sleep(d))
    }

    fn is_virtual(&self) -> bool {
        false
    }
}

/// Formats a time as Step Functions does in the context object
/// (`2026-11-22T10:00:00.123Z`).
pub fn format_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
