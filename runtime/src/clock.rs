//! Time, injected: the interpreter asks a [`Clock`] for the time, to sleep,
//! and to bound a future with a timeout, and never knows whether time is
//! virtual or real.
//!
//! [`VirtualClock`] is also the executor of a virtual run: it polls the
//! execution and, whenever nothing can make progress, jumps to the next
//! timer. Waits cost nothing and runs are deterministic. [`RealClock`]
//! uses tokio's timers on a runtime the caller provides, for runs that
//! talk to real services.

use chrono::{DateTime, Utc};
use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

pub type Sleep<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;

pub trait Clock {
    /// The current time, as states see it.
    fn now(&self) -> DateTime<Utc>;
    /// Waits `d` (virtually or for real).
    fn sleep(&self, d: Duration) -> Sleep<'_>;
    /// Whether a shorter sleep ends before a longer one, as deadlines
    /// need: not when every wait is made instant, and then no deadline is
    /// applied (see [`timeout`]).
    fn keeps_order(&self) -> bool {
        true
    }
    /// Whether the clock is the executor of the run alone ([`VirtualClock`]):
    /// then no other task waits for a long computation to yield.
    fn runs_alone(&self) -> bool {
        false
    }
}

/// Runs `fut` for at most `d` of the clock's time; `None` when time ran out.
/// The sleep is made when `fut` first waits, for what is left of `d`: a
/// run that never waits (most EXPRESS runs, which all have a limit) makes
/// none.
///
/// Where every wait is instant ([`Clock::keeps_order`] is false) there is
/// no deadline: it could not be told from the waits it bounds (an
/// execution's TimeoutSeconds of an hour timed out a run of two 10 s
/// Waits), nor kept for an answer from outside (an activity worker's).
pub async fn timeout<F: Future>(clock: &dyn Clock, d: Duration, fut: F) -> Option<F::Output> {
    if !clock.keeps_order() {
        return Some(fut.await);
    }
    let started = clock.now();
    let mut fut = std::pin::pin!(fut);
    let mut sleep: Option<Sleep<'_>> = None;
    std::future::poll_fn(|cx| {
        if let Poll::Ready(v) = fut.as_mut().poll(cx) {
            return Poll::Ready(Some(v));
        }
        let sleep = sleep.get_or_insert_with(|| {
            let spent = (clock.now() - started).to_std().unwrap_or_default();
            clock.sleep(d.saturating_sub(spent))
        });
        sleep.as_mut().poll(cx).map(|()| None)
    })
    .await
}

/// Lets the executor run other tasks once: ready on its second poll, its
/// waker woken on the first. Works on tokio and on [`VirtualClock`] alike.
pub async fn yield_once() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await
}

/// A pending wake-up: when, in which order it was set, and whom to wake.
struct Timer {
    at: Duration,
    seq: u64,
    waker: Waker,
}

impl PartialEq for Timer {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl Eq for Timer {}
impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Timer {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

/// Time that starts at a given instant and advances only when every part
/// of the execution is waiting.
pub struct VirtualClock {
    start: DateTime<Utc>,
    elapsed: Cell<Duration>,
    /// `start + elapsed`, kept up to date: states ask for the time at
    /// every event, and time only moves when the clock jumps.
    current: Cell<DateTime<Utc>>,
    timers: RefCell<BinaryHeap<Reverse<Timer>>>,
    seq: Cell<u64>,
}

impl VirtualClock {
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        VirtualClock {
            start,
            elapsed: Cell::new(Duration::ZERO),
            current: Cell::new(start),
            timers: RefCell::new(BinaryHeap::new()),
            seq: Cell::new(0),
        }
    }

    /// Drives `fut` to completion in virtual time. `None` when it can no
    /// longer progress: it waits on something no timer will ever wake.
    // Inlined, so that the run's future is built in place rather than
    // moved in: one copy less of it a run (the Pass chain: 11,999 to
    // 11,787 instructions, when a change elsewhere had LLVM stop inlining it).
    #[inline(always)]
    pub fn block_on<F: Future>(&self, fut: F) -> Option<F::Output> {
        let mut fut = std::pin::pin!(fut);
        let flag = Arc::new(Flag(AtomicBool::new(false)));
        let waker = Waker::from(flag.clone());
        let mut cx = Context::from_waker(&waker);
        loop {
            flag.0.store(false, Ordering::Relaxed);
            if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
                return Some(v);
            }
            if flag.0.load(Ordering::Relaxed) {
                continue;
            }
            // Nothing can run: jump to the next timer and wake everyone due.
            let mut timers = self.timers.borrow_mut();
            let Reverse(first) = timers.pop()?;
            self.elapsed.set(self.elapsed.get().max(first.at));
            let since = chrono::Duration::from_std(self.elapsed.get()).unwrap_or(chrono::Duration::MAX);
            self.current.set(self.start.checked_add_signed(since).unwrap_or(DateTime::<Utc>::MAX_UTC));
            first.waker.wake();
            while timers.peek().is_some_and(|Reverse(t)| t.at <= self.elapsed.get()) {
                if let Some(Reverse(t)) = timers.pop() {
                    t.waker.wake();
                }
            }
        }
    }
}

struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// A virtual sleep: ready once the clock has reached its deadline.
struct VirtualSleep<'c> {
    clock: &'c VirtualClock,
    until: Duration,
    /// The waker its timer wakes: polled again with the same one (a
    /// timeout around a run that yields often), it sets no second timer.
    registered: Option<Waker>,
}

impl Future for VirtualSleep<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.clock.elapsed.get() >= self.until {
            return Poll::Ready(());
        }
        if self.registered.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
            return Poll::Pending;
        }
        let seq = self.clock.seq.get();
        self.clock.seq.set(seq + 1);
        self.clock.timers.borrow_mut().push(Reverse(Timer { at: self.until, seq, waker: cx.waker().clone() }));
        self.registered = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> DateTime<Utc> {
        self.current.get()
    }

    fn runs_alone(&self) -> bool {
        true
    }

    fn sleep(&self, d: Duration) -> Sleep<'_> {
        let until = self.elapsed.get().saturating_add(d);
        Box::pin(VirtualSleep { clock: self, until, registered: None })
    }
}

/// Runs `fut` to completion on a new current-thread tokio runtime with
/// timers and sockets: the executor of every run in real time.
pub fn block_on_real_time<F: Future>(fut: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a current-thread tokio runtime builds").block_on(fut)
}

/// Wall-clock time with waits scaled: a Wait of an hour at scale 0.001
/// takes 3.6 s (Step Functions Local's WAIT_TIME_SCALE), and so do
/// deadlines (TimeoutSeconds, HeartbeatSeconds); 0 makes every wait and
/// back-off instant and applies no deadline. Timestamps stay the wall
/// clock's.
/// Needs a tokio runtime with timers.
#[derive(Debug, Clone, Copy)]
pub struct ScaledClock {
    pub scale: f64,
}

impl Clock for ScaledClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, d: Duration) -> Sleep<'_> {
        let scaled = if self.scale > 0.0 {
            Duration::try_from_secs_f64(d.as_secs_f64() * self.scale).unwrap_or(Duration::MAX)
        } else {
            Duration::ZERO
        };
        Box::pin(tokio::time::sleep(scaled))
    }

    fn keeps_order(&self) -> bool {
        self.scale > 0.0
    }
}

/// Wall-clock time: waits really wait. Needs a tokio runtime with timers.
pub struct RealClock;

impl Clock for RealClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, d: Duration) -> Sleep<'_> {
        Box::pin(tokio::time::sleep(d))
    }
}

/// Formats a time as Step Functions does in the context object
/// (`2026-11-22T10:00:00.123Z`).
/// A timestamp as the API's JSON carries it: epoch seconds, milliseconds
/// as the fraction.
pub fn epoch_seconds(t: DateTime<Utc>) -> serde_json::Value {
    serde_json::Value::from(t.timestamp_millis() as f64 / 1000.0)
}

pub fn format_time(t: DateTime<Utc>) -> String {
    // As `%Y-%m-%dT%H:%M:%S%.3fZ` formats it, without reading a format
    // string each time (that took ten times as long).
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// The pattern [`format_time`] is held to.
    const PATTERN: &str = "%Y-%m-%dT%H:%M:%S%.3fZ";

    proptest::proptest! {
        /// Every instant chrono can hold, to the nanosecond, formats as the
        /// strftime pattern AWS's timestamps follow formats it.
        #[test]
        fn times_format_as_the_strftime_pattern(secs in DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(), nanos in 0u32..1_000_000_000) {
            if let Some(t) = DateTime::from_timestamp(secs, nanos) {
                proptest::prop_assert_eq!(format_time(t), t.format(PATTERN).to_string());
            }
        }
    }

    #[test]
    fn extreme_and_ordinary_times_format_as_the_strftime_pattern() {
        let times = [
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            DateTime::<Utc>::UNIX_EPOCH,
            Utc.with_ymd_and_hms(2026, 12, 2, 0, 43, 16).unwrap(),
        ];
        for t in times.into_iter().chain([
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(-1, 1, 1, 0, 0, 0).unwrap(),
        ]) {
            assert_eq!(format_time(t), t.format(PATTERN).to_string());
        }
        assert_eq!(format_time(Utc.with_ymd_and_hms(2026, 12, 2, 0, 43, 16).unwrap()), "2026-12-02T00:43:16.000Z");
    }

    #[test]
    fn concurrent_sleeps_overlap_in_virtual_time() {
        let clock = VirtualClock::starting_at(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        let a = async {
            clock.sleep(Duration::from_secs(10)).await;
            clock.now()
        };
        let b = async {
            clock.sleep(Duration::from_secs(3)).await;
            clock.sleep(Duration::from_secs(3)).await;
            clock.now()
        };
        let (ta, tb) = clock.block_on(futures_util::future::join(a, b)).unwrap();
        assert_eq!((ta - clock.start).num_seconds(), 10);
        assert_eq!((tb - clock.start).num_seconds(), 6);
        assert_eq!((clock.now() - clock.start).num_seconds(), 10);
    }

    #[test]
    fn timeouts_fire_at_their_deadline() {
        let clock = VirtualClock::starting_at(Utc::now());
        let slow = clock.sleep(Duration::from_secs(100));
        assert_eq!(clock.block_on(timeout(&clock, Duration::from_secs(5), slow)).unwrap(), None);
        assert_eq!(clock.elapsed.get(), Duration::from_secs(5));
    }

    #[test]
    fn a_future_nothing_wakes_is_reported() {
        let clock = VirtualClock::starting_at(Utc::now());
        assert_eq!(clock.block_on(std::future::pending::<()>()), None);
    }
}
