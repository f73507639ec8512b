//! Retry and Catch around one state's attempts (Task, Parallel, Map).

use super::{Boxed, Execution, StateRun};
use crate::error::Failure;
use crate::io;
use crate::retry::{decide, Attempts, Decision};
use serde_json::Value;
use sfc_compiler::asl::{Catcher, Retrier};

/// How a state with Retry and Catch ended without failing.
pub(super) enum Recovered {
    /// An attempt succeeded with this output.
    Done(Value),
    /// A catcher took the error: go to `next` with `output`.
    Caught { next: String, output: Value },
}

/// Runs `attempt` (given the retry count so far) until it succeeds, the
/// matching retrier is exhausted and a catcher takes over, or nothing
/// handles the failure.
pub(super) async fn with_recovery<'a>(
    ex: &'a Execution<'a>,
    run: &StateRun<'_>,
    retriers: Option<&[Retrier]>,
    catchers: Option<&[Catcher]>,
    raw: &Value,
    attempt: &dyn Fn(u64) -> Boxed<'a, Result<Value, Failure>>,
) -> Result<Recovered, Failure> {
    let retriers = retriers.unwrap_or(&[]);
    let catchers = catchers.unwrap_or(&[]);
    let mut attempts = Attempts::new(retriers.len());
    loop {
        let failure = match attempt(attempts.total()).await {
            Ok(v) => return Ok(Recovered::Done(v)),
            Err(f) => f,
        };
        let decision = decide(&failure, retriers, catchers, &mut attempts, &mut *ex.rng.borrow_mut());
        match decision {
            Decision::Retry { delay, .. } => ex.clock.sleep(delay).await,
            Decision::Catch { catcher } => {
                let c = &catchers[catcher];
                let output = io::apply_result_path(raw, failure.to_error_output(), &c.result_path).map_err(|f| ex.located(run, f))?;
                return Ok(Recovered::Caught { next: c.next.clone(), output });
            }
            Decision::Fail => return Err(failure),
        }
    }
}
