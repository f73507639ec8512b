//! Retry and Catch around one state's attempts (Task, Parallel, Map).

use super::data::States;
use super::{Boxed, Execution, StateRun, Thread};
use crate::error::Failure;
use crate::io;
use crate::retry::{decide, Attempts, Decision};
use serde_json::Value;
use sfc_asl::parts::Part;
use sfc_asl::{Catcher, Retrier};

/// How a state with Retry and Catch ended without failing.
pub(super) enum Recovered<'s> {
    /// An attempt succeeded with this output.
    Done(Value),
    /// A catcher took the error: go to `next` with `output`.
    Caught { next: &'s str, output: Value },
}

/// Why one attempt failed: the state's own processing (paths, parameters,
/// the task call) or one of its branches or iterations. Only the latter is
/// announced with a `ParallelStateFailed`/`MapStateFailed` event, and only
/// once no retry follows.
pub(super) enum AttemptError {
    Own(Failure),
    Child(Failure),
}

impl From<Failure> for AttemptError {
    fn from(f: Failure) -> Self {
        AttemptError::Own(f)
    }
}

pub(super) type Attempt<'a> = Boxed<'a, Result<Value, AttemptError>>;

/// Runs `attempt` (given the retry count so far) until it succeeds, the
/// matching retrier is exhausted and a catcher takes over, or nothing
/// handles the failure. `failed_event` names the event announcing a final
/// failure of a branch or iteration.
#[allow(clippy::too_many_arguments)]
pub(super) async fn with_recovery<'a, 's>(
    ex: &'a Execution<'a>,
    run: &StateRun<'_>,
    thread: &Thread,
    failed_event: Option<crate::history::EventType>,
    retriers: Option<&[Retrier]>,
    catchers: Option<&'s [Catcher]>,
    raw: &Value,
    attempt: &dyn Fn(u64) -> Attempt<'a>,
) -> Result<Recovered<'s>, Failure> {
    let retriers = retriers.unwrap_or(&[]);
    let catchers = catchers.unwrap_or(&[]);
    // TestState runs one attempt, as the given retry of its retrier.
    let tested = ex.inspection.as_ref().map(|i| i.retry_count);
    let mut attempts = match tested {
        Some(n) => Attempts::preset(retriers.len(), n),
        None => Attempts::new(retriers.len()),
    };
    loop {
        let (failure, from_child) = match attempt(attempts.total()).await {
            Ok(v) => return Ok(Recovered::Done(v)),
            Err(AttemptError::Own(f)) => (f, false),
            Err(AttemptError::Child(f)) => (f, true),
        };
        let decision = decide(&failure, retriers, catchers, &mut attempts, &mut *ex.rng.borrow_mut());
        if let (true, Some(kind), false) = (from_child, failed_event, matches!(decision, Decision::Retry { .. })) {
            ex.event(thread, kind, || crate::history::Details::None);
        }
        match decision {
            Decision::Retry { retrier, .. } if let Some(n) = tested => {
                let backoff = crate::retry::base_delay(&retriers[retrier], n);
                ex.inspect("errorDetails", || serde_json::json!({"retryIndex": retrier, "retryBackoffIntervalSeconds": backoff}));
                return Err(failure);
            }
            Decision::Retry { retrier, delay } => {
                ex.took(|| Part::Retrier(run.name().to_string(), retrier));
                ex.clock.sleep(delay).await
            }
            Decision::Catch { catcher } => {
                ex.took(|| Part::Catcher(run.name().to_string(), catcher));
                ex.inspect("errorDetails", || serde_json::json!({"catchIndex": catcher}));
                if let Some(i) = &ex.inspection {
                    i.caught.replace(Some(failure.clone()));
                }
                let c = &catchers[catcher];
                let error_output = failure.to_error_output();
                let ctx = ex.context(run, Some(attempts.total()));
                let st = States::caught(run, raw, &error_output);
                let output = if run.jsonata() {
                    ex.jsonata_output(run, &ctx, &c.output, &st)?
                } else {
                    Some(io::apply_result_path(raw, error_output.clone(), &c.result_path).map_err(|f| ex.located(run, f))?)
                };
                ex.assign(run, &ctx, &c.assign, &st, &error_output)?;
                return Ok(Recovered::Caught { next: c.next.as_str(), output: output.unwrap_or(error_output) });
            }
            Decision::Fail => return Err(failure),
        }
    }
}
