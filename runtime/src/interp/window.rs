//! Running a Map's iterations with at most N in flight, their outcomes
//! taken in item order.

use futures_util::stream::{FuturesOrdered, StreamExt};
use std::future::Future;
use std::ops::ControlFlow;
use std::task::Poll;

/// Starts the futures of `work` in order, at most `width()` at a time (read
/// before each start: UpdateMapRun can change it), and
/// hands each outcome to `take` in the order they were started until
/// `take` breaks or all are done; futures still running are then dropped.
///
/// The order of events is that of a queue of `width` futures polled in
/// turn. A future started while no other is in flight is polled at once,
/// and if it finishes then it never enters the queue: a Map whose
/// iterations never wait (Pass, Choice, mocked tasks) runs them one after
/// another with one iteration in memory.
pub(super) async fn in_order<F, T>(work: impl Iterator<Item = F>, width: &dyn Fn() -> usize, mut take: impl FnMut(T) -> ControlFlow<()>)
where
    F: Future<Output = T>,
{
    let mut work = work.peekable();
    let mut queue = FuturesOrdered::new();
    std::future::poll_fn(|cx| loop {
        while queue.len() < width().max(1) {
            let Some(next) = work.next() else { break };
            let mut fut = Box::pin(next);
            if queue.is_empty() {
                if let Poll::Ready(out) = fut.as_mut().poll(cx) {
                    if take(out).is_break() {
                        return Poll::Ready(());
                    }
                    continue;
                }
            }
            queue.push_back(fut);
        }
        match queue.poll_next_unpin(cx) {
            Poll::Ready(Some(out)) => {
                if take(out).is_break() {
                    return Poll::Ready(());
                }
            }
            Poll::Ready(None) if work.peek().is_none() => return Poll::Ready(()),
            Poll::Ready(None) => {}
            Poll::Pending => return Poll::Pending,
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, VirtualClock};
    use std::cell::RefCell;
    use std::time::Duration;

    /// Outcomes come in start order, whatever order the futures end in,
    /// and no more than `width` run at once.
    #[test]
    fn outcomes_in_order_within_the_width() {
        let clock = VirtualClock::starting_at(chrono::Utc::now());
        let log = RefCell::new(Vec::new());
        let running = std::cell::Cell::new(0usize);
        let most = std::cell::Cell::new(0usize);
        let waits = [30u64, 0, 10, 0, 20, 5];
        let work = waits.iter().enumerate().map(|(i, w)| {
            let (clock, log, running, most) = (&clock, &log, &running, &most);
            async move {
                running.set(running.get() + 1);
                most.set(most.get().max(running.get()));
                log.borrow_mut().push(format!("start {i}"));
                if *w > 0 {
                    clock.sleep(Duration::from_secs(*w)).await;
                }
                running.set(running.get() - 1);
                i
            }
        });
        let mut taken = Vec::new();
        clock.block_on(in_order(work, &|| 2, |i| {
            taken.push(i);
            ControlFlow::Continue(())
        }));
        assert_eq!(taken, vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(most.get(), 2);
        assert_eq!(log.borrow().len(), 6);
    }

    /// Breaking stops starting new futures.
    #[test]
    fn break_stops_the_work() {
        let clock = VirtualClock::starting_at(chrono::Utc::now());
        let started = std::cell::Cell::new(0);
        let work = (0..10).map(|i| {
            let started = &started;
            async move {
                started.set(started.get() + 1);
                i
            }
        });
        clock.block_on(in_order(work, &|| 10, |i| if i == 3 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }));
        assert_eq!(started.get(), 4);
    }
}
