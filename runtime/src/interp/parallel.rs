//! The Parallel state: every branch on the same input, at once.

use super::recovery::{with_recovery, Attempt, AttemptError, Recovered};
use super::{transition, Execution, Flow, ResultFields, StateRun, Thread};
use crate::error::Failure;
use serde_json::Value;
use sfc_asl::Parallel;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

pub(super) async fn run<'s>(
    ex: &Execution<'_>,
    run: &StateRun<'_>,
    s: &'s Parallel,
    raw: Value,
    thread: &Thread,
) -> Result<Flow<'s>, Failure> {
    let attempt = |retry: u64| -> Attempt<'_> { Box::pin(attempt(ex, run, s, &raw, thread, retry)) };
    let outcome = with_recovery(
        ex,
        run,
        thread,
        Some(crate::history::EventType::ParallelStateFailed),
        s.retry.as_deref(),
        s.catch.as_deref(),
        &raw,
        &attempt,
    )
    .await;
    match outcome {
        Ok(Recovered::Done(output)) => Ok(transition(&s.next, output)),
        Ok(Recovered::Caught { next, output }) => Ok(Flow::Caught(next, output)),
        Err(f) => Err(f),
    }
}

fn fields(s: &Parallel) -> ResultFields<'_> {
    super::result_fields!(s)
}

async fn attempt(
    ex: &Execution<'_>,
    run: &StateRun<'_>,
    s: &Parallel,
    raw: &Value,
    thread: &Thread,
    retry: u64,
) -> Result<Value, AttemptError> {
    let ctx = ex.context(run, Some(retry));
    let f = fields(s);
    let effective = ex.effective_input(run, &ctx, raw, &s.input_path)?;
    let st = super::data::States::entered(run, raw);
    let input = ex.prepare(run, &ctx, effective, &st, &f)?.into_owned();
    ex.event(thread, crate::history::EventType::ParallelStateStarted, || crate::history::Details::None);
    // TestState's mock stands for the branches' outputs (an array, one per
    // branch) or for the error one of them raised.
    let joined = match ex.stand_in() {
        Some(stand_in) => stand_in.map(|v| match v {
            Value::Array(items) => items,
            other => vec![other],
        }),
        None => {
            let threads: Vec<Thread> = s.branches.iter().map(|_| Thread::branch_of(thread)).collect();
            // Redriven: the branches that succeeded before keep their outputs.
            let before = ex.succeeded_before();
            let branches = s.branches.iter().zip(&threads).enumerate().map(|(i, (b, t))| match before.get(&i) {
                Some(output) => Box::pin(std::future::ready(Ok(output.clone()))) as Branch<'_, Value>,
                None => ex.run_machine(b, run.lang, input.clone(), t, None),
            });
            let joined = join_branches(branches.collect()).await;
            thread.last.set(threads.iter().map(|t| t.last.get()).max().unwrap_or(thread.last.get()));
            joined
        }
    };
    // A failure is announced (ParallelStateFailed) by the recovery loop
    // once it is final.
    let results = joined.map_err(AttemptError::Child)?;
    ex.event(thread, crate::history::EventType::ParallelStateSucceeded, || crate::history::Details::None);
    Ok(ex.finish(run, &ctx, &st, Value::Array(results), &f)?)
}

/// One branch (or iteration) running to its result.
type Branch<'a, T> = Pin<Box<dyn Future<Output = Result<T, Failure>> + 'a>>;

/// Runs every branch until all finish, or until one fails. All branches
/// start together: a failure ends the others only after each has done all
/// it could at that instant, as branches that AWS starts at once would.
async fn join_branches<'a, T>(futures: Vec<Branch<'a, T>>) -> Result<Vec<T>, Failure> {
    let mut futures = futures;
    let mut results: Vec<Option<Result<T, Failure>>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        for (f, slot) in futures.iter_mut().zip(results.iter_mut()) {
            if slot.is_none() {
                if let Poll::Ready(r) = f.as_mut().poll(cx) {
                    *slot = Some(r);
                }
            }
        }
        if let Some(i) = results.iter().position(|r| matches!(r, Some(Err(_)))) {
            if let Some(Err(f)) = results[i].take() {
                return Poll::Ready(Err(f));
            }
        }
        if results.iter().all(Option::is_some) {
            let done = results.iter_mut().filter_map(|r| match r.take() {
                Some(Ok(v)) => Some(v),
                _ => None,
            });
            return Poll::Ready(Ok(done.collect()));
        }
        Poll::Pending
    })
    .await
}
