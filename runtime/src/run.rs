//! Running one execution from start to end: the public entry point.

use crate::clock::{Clock, RealClock, VirtualClock};
use crate::context::{self, ExecutionInfo};
use crate::error::{names, Failure};
use crate::history::{self, Events, Field};
use crate::integration::Integration;
use crate::interp::{Execution, Prepared, Thread};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sfc_asl::StateMachine;
use std::time::Duration;

/// How to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub info: ExecutionInfo,
    /// Wait for real instead of advancing a virtual clock.
    pub real_time: bool,
    /// Seeds jitter, MathRandom and UUIDs, so runs are reproducible.
    pub seed: u64,
    /// Where virtual time starts (default: now).
    pub start_time: Option<DateTime<Utc>>,
    /// Record each state's input and output in its events. By default as
    /// AWS does: yes for STANDARD executions, no for EXPRESS ones (which
    /// have no execution history).
    pub event_data: Option<bool>,
    /// What the history keeps: every event (the default), none, or each
    /// handed to a function as it happens.
    pub keeping: crate::history::Keeping,
    /// Where the parts of the machine the run takes are recorded (`sfc
    /// test --coverage`), if anywhere.
    pub coverage: Option<std::sync::Arc<crate::coverage::Recorder>>,
    /// The wall-clock time an EXPRESS run may spend computing before it
    /// times out (default: [`EXPRESS_MAX_DURATION`], AWS's limit).
    pub express_computing_limit: Option<Duration>,
    /// Where the execution's Map Runs (distributed Maps) show their
    /// progress and read UpdateMapRun's settings (sfc serve), if anywhere.
    pub map_runs: Option<std::sync::Arc<crate::map_runs::MapRuns>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Succeeded,
    Failed,
    TimedOut,
}

impl Status {
    /// As AWS spells it: SUCCEEDED, FAILED, TIMED_OUT.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
        }
    }
}

/// What an execution ended with.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Status,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub history: Events,
    pub started: DateTime<Utc>,
    pub ended: DateTime<Utc>,
}

impl Outcome {
    /// One JSON document: status, output, error, cause.
    pub fn summary(&self) -> Value {
        json!({"status": self.status.as_str(), "output": self.output, "error": self.error, "cause": self.cause})
    }
}

/// Runs `machine` on `input` to the end: in virtual time (the clock is
/// the executor) unless `opts.real_time`, which runs on a tokio runtime.
pub fn run(machine: &StateMachine, input: Value, integration: &dyn Integration, opts: &RunOptions) -> Outcome {
    if opts.real_time {
        return crate::clock::block_on_real_time(run_with_clock(machine, input, integration, &RealClock, opts));
    }
    let start = opts.start_time.unwrap_or_else(Utc::now);
    let clock = VirtualClock::starting_at(start);
    let outcome = clock.block_on(run_with_clock(machine, input, integration, &clock, opts));
    outcome.unwrap_or_else(|| stalled(start, clock.now()))
}

/// [`run`] of a prepared machine: its templates, paths and Choice rules,
/// compiled by the first execution, serve every later one (the cases of
/// `sfc test`, a benchmark's runs).
pub fn run_prepared(prepared: &Prepared, input: Value, integration: &dyn Integration, opts: &RunOptions) -> Outcome {
    if opts.real_time {
        return crate::clock::block_on_real_time(run_recorded(prepared, input, integration, &RealClock, opts, None, None));
    }
    let start = opts.start_time.unwrap_or_else(Utc::now);
    let clock = VirtualClock::starting_at(start);
    let outcome = clock.block_on(run_recorded(prepared, input, integration, &clock, opts, None, None));
    outcome.unwrap_or_else(|| stalled(start, clock.now()))
}

/// The outcome of a virtual run that stopped making progress: a Task
/// backend that waits on something outside the run.
fn stalled(started: DateTime<Utc>, ended: DateTime<Utc>) -> Outcome {
    Outcome {
        status: Status::Failed,
        output: None,
        error: Some(names::RUNTIME.into()),
        cause: Some(
            "The execution stopped making progress: a task waits for something that never happens in virtual time; use --real-time".into(),
        ),
        history: Events::default(),
        started,
        ended,
    }
}

/// Runs inside an existing runtime with a given clock.
pub async fn run_with_clock(
    machine: &StateMachine,
    input: Value,
    integration: &dyn Integration,
    clock: &dyn Clock,
    opts: &RunOptions,
) -> Outcome {
    run_with(machine, None, input, integration, clock, opts, None, None).await
}

/// Where a redriven execution starts again: the state that failed, with
/// the input it had.
#[derive(Debug, Clone)]
pub struct Resume {
    pub state: String,
    pub input: Value,
    /// When that state is a Parallel or an inline Map: the outputs of the
    /// branches or iterations (by index) that succeeded before; only the
    /// others run again, as AWS redrives them.
    pub succeeded: std::collections::BTreeMap<usize, Value>,
    /// When that state is a distributed Map whose Map Run failed: that
    /// run's ARN. The run is redriven under it (its record in
    /// [`RunOptions::map_runs`]), its children that succeeded kept (their
    /// outputs in `succeeded`), the others started again.
    pub map_run: Option<String>,
}

/// [`run_with_clock`] recording into `history` when given: one that
/// others read while the run goes on (the API server's
/// GetExecutionHistory), with the caller's limit. The events end up in the
/// outcome all the same. With `resume`, the execution (whose input is
/// `input`) is redriven: it goes on after the events already in `history`
/// with an ExecutionRedriven event, from the state that failed.
pub async fn run_recorded(
    prepared: &Prepared,
    input: Value,
    integration: &dyn Integration,
    clock: &dyn Clock,
    opts: &RunOptions,
    history: Option<std::rc::Rc<crate::history::History>>,
    resume: Option<Resume>,
) -> Outcome {
    // A redriven run starts from a copy of the machine, whose parts are
    // not the prepared machine's: it compiles its own.
    let shared = resume.is_none().then_some(prepared);
    run_with(&prepared.machine, shared, input, integration, clock, opts, history, resume).await
}

/// `shared`: the prepared machine whose compiled parts the run uses, and
/// whose analysis says whether the context can be read (without one, the
/// run compiles its own parts and keeps the input for `$$`).
#[allow(clippy::too_many_arguments)]
async fn run_with(
    machine: &StateMachine,
    shared: Option<&Prepared>,
    input: Value,
    integration: &dyn Integration,
    clock: &dyn Clock,
    opts: &RunOptions,
    history: Option<std::rc::Rc<crate::history::History>>,
    resume: Option<Resume>,
) -> Outcome {
    let started = clock.now();
    let base =
        std::rc::Rc::new(context::BaseContext::new(&opts.info, shared.is_none_or(|p| p.reads_context).then(|| input.clone()), started));
    let limit = (!opts.info.express).then_some(crate::history::MAX_EVENTS);
    let history = history.unwrap_or_else(|| std::rc::Rc::new(crate::history::History::keeping(limit, opts.keeping.clone())));
    let compiled = shared.map(|p| p.compiled.clone()).unwrap_or_default();
    let ex = Execution::new(clock, integration, base, opts.seed, history, compiled)
        .with_event_data(opts.event_data.unwrap_or(!opts.info.express))
        .with_coverage(opts.coverage.clone())
        .with_map_runs(opts.map_runs.clone());
    let thread = Thread::default();
    let from_state;
    let (machine, input) = match resume {
        None => {
            started_event(&ex, &thread, &input, &opts.info);
            (machine, input)
        }
        Some(r) => {
            redriven_event(&ex, &thread, opts.info.redrive_count.unwrap_or(1));
            ex.redriven_from(crate::interp::Before { succeeded: r.succeeded, map_run: r.map_run });
            from_state = StateMachine { start_at: r.state, ..machine.clone() };
            (&from_state, r.input)
        }
    };
    let body = ex.run_machine(machine, sfc_asl::QueryLanguage::JSONPath, input, &thread, None);
    if opts.info.express {
        ex.history.set_deadline(std::time::Instant::now() + opts.express_computing_limit.unwrap_or(EXPRESS_MAX_DURATION));
    }
    // Where every wait is instant no deadline holds (clock::timeout), and
    // of an EXPRESS execution's five minutes only the computing limit.
    let result = match execution_limit(machine.timeout_seconds, opts.info.express) {
        Some(limit) => crate::clock::timeout(clock, limit, body).await,
        None => Some(body.await),
    };
    // Past its computing limit an EXPRESS execution times out, and says why.
    let (result, timeout) = match ex.history.stopped() {
        Some(out_of_time @ crate::history::Stop::OutOfTime) => (None, Some(out_of_time.failure())),
        Some(overflow) => (result.map(|_| Err(overflow.failure())), None),
        None => (result, None),
    };
    let (status, output, error, cause) = ended(&ex, &thread, result, timeout);
    Outcome { status, output, error, cause, history: ex.history.take(), started, ended: clock.now() }
}

/// How long an EXPRESS execution may run, by AWS's quotas: it times out
/// after that, in virtual time (its Waits, back-offs, tasks) as in the
/// time sfc spends computing it.
pub const EXPRESS_MAX_DURATION: Duration = Duration::from_secs(5 * 60);

/// How long an execution may run: its TimeoutSeconds, and for an EXPRESS
/// one at most [`EXPRESS_MAX_DURATION`].
fn execution_limit(timeout_seconds: Option<u64>, express: bool) -> Option<Duration> {
    let given = timeout_seconds.map(Duration::from_secs);
    match (given, express) {
        (Some(t), true) => Some(t.min(EXPRESS_MAX_DURATION)),
        (None, true) => Some(EXPRESS_MAX_DURATION),
        (given, false) => given,
    }
}

/// ExecutionStarted, with the input, the role and the version or alias
/// started.
pub(crate) fn started_event(ex: &Execution, thread: &Thread, input: &Value, info: &ExecutionInfo) {
    ex.event(thread, crate::history::EventType::ExecutionStarted, || started_details(ex.data_text(input), info));
    // AWS records the first state's entry as following no event.
    thread.last.set(0);
}

/// ExecutionStarted's details: the execution's `input` (as its event data
/// setting records it), its role and the version or alias it started.
pub fn started_details(input: Field, info: &ExecutionInfo) -> crate::history::Details {
    let qualifiers = [("stateMachineAliasArn", &info.alias_arn), ("stateMachineVersionArn", &info.version_arn)];
    let mut fields = vec![("input", input), ("inputDetails", Field::NotTruncated), ("roleArn", Field::json(info.role_arn.as_str()))];
    fields.extend(qualifiers.into_iter().filter_map(|(k, arn)| Some((k, Field::json(arn.clone()?)))));
    crate::history::Details::Fields(fields)
}

/// ExecutionRedriven, after the events the history already has.
pub(crate) fn redriven_event(ex: &Execution, thread: &Thread, count: u64) {
    thread.last.set(ex.history.len() as u64);
    ex.event(thread, crate::history::EventType::ExecutionRedriven, || {
        crate::history::Details::Fields(vec![("redriveCount", Field::Number(count))])
    });
}

/// How the execution ended (`None`: out of time, for the reason `timeout`
/// gives if any), with its last event: status, output, error and cause as
/// AWS reports them.
fn ended(
    ex: &Execution,
    thread: &Thread,
    result: Option<Result<Value, Failure>>,
    timeout: Option<Failure>,
) -> (Status, Option<Value>, Option<String>, Option<String>) {
    if let Some(r) = &result {
        end_event(ex, thread, r);
    }
    let (status, output, failure) = match result {
        Some(Ok(v)) => (Status::Succeeded, Some(v), None),
        Some(Err(f)) => (Status::Failed, None, Some(f)),
        None => {
            let details = || timeout.as_ref().map_or(crate::history::Details::None, history::failed);
            ex.event(thread, crate::history::EventType::ExecutionTimedOut, details);
            (Status::TimedOut, None, Some(timeout.clone().unwrap_or_else(|| Failure::bare(names::TIMEOUT))))
        }
    };
    let (error, cause) = match failure {
        Some(f) if status == Status::TimedOut => (None, f.cause),
        Some(f) => ((!f.error.is_empty()).then_some(f.error), f.cause),
        None => (None, None),
    };
    let cause = cause.filter(|c| !c.is_empty());
    (status, output, error, cause)
}

/// ExecutionSucceeded with the output, or ExecutionFailed with the error
/// and cause.
pub(crate) fn end_event(ex: &Execution, thread: &Thread, result: &Result<Value, Failure>) {
    match result {
        Ok(v) => {
            let details = || crate::history::Details::Fields(vec![("output", ex.data_text(v)), ("outputDetails", Field::NotTruncated)]);
            ex.event(thread, crate::history::EventType::ExecutionSucceeded, details);
        }
        Err(f) => {
            ex.event(thread, crate::history::EventType::ExecutionFailed, || history::failed(f));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::integration::Unavailable;

    /// Executions of a prepared machine share what they compile of it: the
    /// second one compiles nothing.
    #[test]
    fn a_prepared_machine_compiles_its_parts_once() {
        let machine: StateMachine = serde_json::from_value(json!({"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "P"}], "Default": "P"},
            "P": {"Type": "Pass", "Parameters": {"m.$": "$.n"}, "End": true}}}))
        .unwrap();
        let prepared = Prepared::new(machine);
        let opts = RunOptions::default();
        for n in [1, 2, 3] {
            let clock = VirtualClock::starting_at(Utc::now());
            let out = clock.block_on(run_recorded(&prepared, json!({"n": n}), &Unavailable, &clock, &opts, None, None)).unwrap();
            assert_eq!(out.output, Some(json!({"m": n})));
            assert_eq!(prepared.compiled_parts(), (1, 1, 1), "after execution {n}");
        }
    }

    /// An EXPRESS execution times out after five minutes of virtual time
    /// (a long Wait), as AWS's do, and after its computing limit of wall
    /// time (a loop of states that take no time, which would otherwise
    /// never end); a STANDARD one is bounded by its history.
    #[test]
    fn express_executions_time_out_in_virtual_and_in_wall_time() {
        let machine = |json: Value| Prepared::new(serde_json::from_value(json).unwrap());
        let express = |limit_ms| RunOptions {
            info: ExecutionInfo { express: true, ..ExecutionInfo::default() },
            keeping: crate::history::Keeping::Nothing,
            express_computing_limit: Some(Duration::from_millis(limit_ms)),
            ..RunOptions::default()
        };
        let waits = |seconds: u64| machine(json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "End": true}}}));
        let out = run_prepared(&waits(301), json!({}), &Unavailable, &express(60_000));
        assert_eq!((out.status, (out.ended - out.started).num_seconds()), (Status::TimedOut, 300));
        assert_eq!(run_prepared(&waits(299), json!({}), &Unavailable, &express(60_000)).status, Status::Succeeded);
        let standard = RunOptions { keeping: crate::history::Keeping::Nothing, ..RunOptions::default() };
        assert_eq!(run_prepared(&waits(3600), json!({}), &Unavailable, &standard).status, Status::Succeeded);

        let endless = machine(json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Choice", "Choices": [{"Variable": "$.never", "IsPresent": true, "Next": "E"}], "Default": "A"},
            "E": {"Type": "Succeed"}}}));
        let out = run_prepared(&endless, json!({}), &Unavailable, &express(50));
        assert_eq!(out.status, Status::TimedOut, "{:?}", out.cause);
        assert!(out.cause.as_deref().is_some_and(|c| c.contains("5 minutes")), "{:?}", out.cause);
        let out = run_prepared(&endless, json!({}), &Unavailable, &standard);
        assert_eq!((out.status, out.error.as_deref()), (Status::Failed, Some("States.Runtime")));

        // A state run in full can take long (a JSONata evaluation, up to
        // seconds): the deadline is read after each one, not only every
        // 4,096 events. Past it from the start, the loop stops after its
        // first state.
        let counting = machine(json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"n": "{% $exists($n) ? $n + 1 : 1 %}"}, "Next": "A"}}}));
        let out = run_prepared(&counting, json!({}), &Unavailable, &RunOptions { keeping: crate::history::Keeping::All, ..express(0) });
        assert_eq!(out.status, Status::TimedOut, "{:?}", out.cause);
        let exited = out.history.iter().filter(|e| e.kind.is_state_exited()).count();
        assert_eq!(exited, 1, "states run past the deadline");
    }

    /// A prepared machine that reads `$$.Execution.Input` (here inside a
    /// Map's iterations) is given the input as it started, after states
    /// changed the data.
    #[test]
    fn a_prepared_machine_reads_the_execution_input_from_its_context() {
        let machine: StateMachine = serde_json::from_value(json!({"StartAt": "Set", "States": {
            "Set": {"Type": "Pass", "Result": [1, 2], "ResultPath": "$.items", "Next": "M"},
            "M": {"Type": "Map", "ItemsPath": "$.items", "End": true, "ItemProcessor": {"StartAt": "P", "States": {
                "P": {"Type": "Pass", "Parameters": {"in.$": "$$.Execution.Input"}, "End": true}}}}}}))
        .unwrap();
        let prepared = Prepared::new(machine);
        let out = run_prepared(&prepared, json!({"n": 1}), &Unavailable, &RunOptions::default());
        assert_eq!(out.output, Some(json!([{"in": {"n": 1}}, {"in": {"n": 1}}])), "{:?}", out.cause);
    }
}
