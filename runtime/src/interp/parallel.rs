//! The Parallel state: every branch on the same input, at once.

use super::recovery::{with_recovery, Attempt, AttemptError, Recovered};
use super::{roots, transition, Execution, Flow, ResultFields, StateRun, Thread};
use crate::error::Failure;
use crate::io;
use crate::template;
use futures_util::future::try_join_all;
use serde_json::Value;
use sfc_compiler::asl::Parallel;

pub(super) async fn run(ex: &Execution<'_>, run: &StateRun<'_>, s: &Parallel, raw: Value, thread: &Thread) -> Result<Flow, Failure> {
    let attempt = |retry: u64| -> Attempt<'_> { Box::pin(attempt(ex, run, s, &raw, thread, retry)) };
    let outcome = with_recovery(ex, run, thread, Some("ParallelStateFailed"), s.retry.as_deref(), s.catch.as_deref(), &raw, &attempt).await;
    match outcome {
        Ok(Recovered::Done(output)) => Ok(transition(&s.next, output)),
        Ok(Recovered::Caught { next, output }) => Ok(Flow::Next(next, output)),
        Err(f) => Err(f),
    }
}

async fn attempt(ex: &Execution<'_>, run: &StateRun<'_>, s: &Parallel, raw: &Value, thread: &Thread, retry: u64) -> Result<Value, AttemptError> {
    let ctx = ex.context(run, retry);
    let located = |f| ex.located(run, f);
    let effective = io::select_input(raw, &s.input_path, &ctx, None).map_err(located)?;
    let input = match &s.parameters {
        Some(p) => template::evaluate(p, &roots(&effective, &ctx, None), &mut *ex.rng.borrow_mut()).map_err(located)?,
        None => effective.into_owned(),
    };
    let started = ex.event(thread, "ParallelStateStarted", crate::history::Details::None);
    let threads: Vec<Thread> = s.branches.iter().map(|_| Thread::after(started)).collect();
    let branches = s.branches.iter().zip(&threads).map(|(b, t)| ex.run_machine(b, input.clone(), t, None));
    let joined = try_join_all(branches).await;
    thread.last.set(threads.iter().map(|t| t.last.get()).max().unwrap_or(started));
    // AWS records no ParallelStateSucceeded event; a failure is announced
    // by the recovery loop once it is final.
    let results = joined.map_err(AttemptError::Child)?;
    let result = Value::Array(results);
    let fields = ResultFields { selector: &s.result_selector, path: &s.result_path, output_path: &s.output_path };
    Ok(ex.finish(run, &ctx, raw, result, fields)?)
}
