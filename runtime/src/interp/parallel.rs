//! The Parallel state: every branch on the same input, at once.

use super::recovery::{with_recovery, Attempt, AttemptError, Recovered};
use super::{transition, Execution, Flow, ResultFields, StateRun, Thread};
use crate::error::Failure;
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

fn fields(s: &Parallel) -> ResultFields<'_> {
    ResultFields {
        input_path: &s.input_path,
        parameters: &s.parameters,
        arguments: &s.arguments,
        selector: &s.result_selector,
        path: &s.result_path,
        output_path: &s.output_path,
        output: &s.output,
        assign: &s.assign,
    }
}

async fn attempt(ex: &Execution<'_>, run: &StateRun<'_>, s: &Parallel, raw: &Value, thread: &Thread, retry: u64) -> Result<Value, AttemptError> {
    let ctx = ex.context(run, retry);
    let f = fields(s);
    let input = ex.prepare(run, &ctx, raw, &f)?;
    ex.event(thread, "ParallelStateStarted", crate::history::Details::None);
    let threads: Vec<Thread> = s.branches.iter().map(|_| Thread::child_of(thread)).collect();
    let branches = s.branches.iter().zip(&threads).map(|(b, t)| ex.run_machine(b, run.lang, input.clone(), t, None));
    let joined = try_join_all(branches).await;
    thread.last.set(threads.iter().map(|t| t.last.get()).max().unwrap_or(thread.last.get()));
    // AWS records no ParallelStateSucceeded event; a failure is announced
    // by the recovery loop once it is final.
    let results = joined.map_err(AttemptError::Child)?;
    Ok(ex.finish(run, &ctx, raw, Value::Array(results), &f)?)
}
