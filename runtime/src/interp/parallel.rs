//! The Parallel state: every branch on the same input, at once.

use super::recovery::{with_recovery, Recovered};
use super::{roots, transition, Execution, Flow, StateRun, Thread};
use crate::error::Failure;
use crate::io;
use crate::template;
use futures_util::future::try_join_all;
use serde_json::Value;
use sfc_compiler::asl::Parallel;

pub(super) async fn run(ex: &Execution<'_>, run: &StateRun<'_>, s: &Parallel, raw: Value, thread: &Thread) -> Result<Flow, Failure> {
    let attempt = |retry: u64| -> super::Boxed<'_, Result<Value, Failure>> { Box::pin(attempt(ex, run, s, &raw, thread, retry)) };
    let outcome = with_recovery(ex, run, s.retry.as_deref(), s.catch.as_deref(), &raw, &attempt).await;
    match outcome {
        Ok(Recovered::Done(output)) => Ok(transition(&s.next, output)),
        Ok(Recovered::Caught { next, output }) => Ok(Flow::Next(next, output)),
        Err(f) => Err(f),
    }
}

async fn attempt(ex: &Execution<'_>, run: &StateRun<'_>, s: &Parallel, raw: &Value, thread: &Thread, retry: u64) -> Result<Value, Failure> {
    let ctx = ex.context(run, retry);
    let located = |f| ex.located(run, f);
    let effective = io::select_input(raw, &s.input_path, &ctx, None).map_err(located)?;
    let input = match &s.parameters {
        Some(p) => template::evaluate(p, &roots(&effective, &ctx, None), &mut *ex.rng.borrow_mut()).map_err(located)?,
        None => effective,
    };
    let started = ex.event(thread, "ParallelStateStarted", None);
    let threads: Vec<Thread> = s.branches.iter().map(|_| Thread::after(started)).collect();
    let branches = s.branches.iter().zip(&threads).map(|(b, t)| ex.run_machine(b, input.clone(), t, None));
    let joined = try_join_all(branches).await;
    thread.last.set(threads.iter().map(|t| t.last.get()).max().unwrap_or(started));
    let results = match joined {
        Ok(r) => r,
        Err(f) => {
            ex.event(thread, "ParallelStateFailed", None);
            return Err(f);
        }
    };
    ex.event(thread, "ParallelStateSucceeded", None);
    let result = Value::Array(results);
    let selected = match &s.result_selector {
        Some(sel) => template::evaluate(sel, &roots(&result, &ctx, None), &mut *ex.rng.borrow_mut()).map_err(located)?,
        None => result,
    };
    let combined = io::apply_result_path(raw, selected, &s.result_path).map_err(located)?;
    io::select_output(&combined, &s.output_path, &ctx, None).map_err(located)
}
