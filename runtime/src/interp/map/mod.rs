//! The Map state: the processor once per item, with MaxConcurrency and
//! tolerated failures; inline or distributed (as a map run).

use super::data::States;
use super::distributed;

mod counts;
use super::recovery::{with_recovery, Attempt, AttemptError, Recovered};
use super::{transition, Execution, Flow, ResultFields, StateRun, Thread};
use crate::error::{names, Failure};
use crate::io;
use crate::jsonata;
use crate::map_runs::{MapRun, MapRunStatus, ProcessorInfo, Settings};
use crate::paths;
use crate::paths::ContextSource;
use counts::Counts;
use serde_json::Value;
use sfc_asl::Map;
use std::ops::ControlFlow;
use std::sync::Arc;

/// How many iterations of an inline Map AWS runs at once, whatever
/// MaxConcurrency says (0: as many as it can). It bounds memory too: a
/// Map whose iterations wait would otherwise start every item at once.
const MAX_INLINE_ITERATIONS_AT_ONCE: usize = 40;

/// How many child executions of a distributed Map AWS runs at once.
const MAX_CHILD_EXECUTIONS_AT_ONCE: usize = 10_000;

pub(super) async fn run<'s>(ex: &Execution<'_>, run: &StateRun<'_>, s: &'s Map, raw: Value, thread: &Thread) -> Result<Flow<'s>, Failure> {
    let attempt = |retry: u64| -> Attempt<'_> { Box::pin(attempt(ex, run, s, &raw, thread, retry)) };
    Ok(
        match with_recovery(
            ex,
            run,
            thread,
            Some(crate::history::EventType::MapStateFailed),
            s.retry.as_deref(),
            s.catch.as_deref(),
            &raw,
            &attempt,
        )
        .await?
        {
            Recovered::Done(output) => transition(&s.next, output),
            Recovered::Caught { next, output } => Flow::Caught(next, output),
        },
    )
}

/// How many failed items a Map accepts.
#[derive(Clone, Copy)]
struct Tolerance {
    count: Option<u64>,
    percentage: Option<f64>,
}

impl From<Settings> for Tolerance {
    fn from(s: Settings) -> Tolerance {
        Tolerance { count: s.tolerated_failure_count, percentage: s.tolerated_failure_percentage }
    }
}

impl Tolerance {
    fn any(&self) -> bool {
        self.count.is_some() || self.percentage.is_some()
    }

    fn exceeded(&self, failed: usize, total: usize) -> bool {
        let over_count = self.count.is_none_or(|c| failed as u64 > c);
        let over_pct = self.percentage.is_none_or(|p| total > 0 && (failed as f64 * 100.0 / total as f64) > p);
        failed > 0 && over_count && over_pct
    }
}

fn fields(s: &Map) -> ResultFields<'_> {
    ResultFields {
        parameters: &None,
        arguments: &None,
        selector: &s.result_selector,
        path: &s.result_path,
        output_path: &s.output_path,
        output: &s.output,
        assign: &s.assign,
    }
}

async fn attempt(ex: &Execution<'_>, run: &StateRun<'_>, s: &Map, raw: &Value, thread: &Thread, retry: u64) -> Result<Value, AttemptError> {
    let ctx = ex.context(run, Some(retry));
    let located = |f| ex.located(run, f);
    let effective = ex.effective_input(run, &ctx, raw, &s.input_path)?;
    // `$states` for every JSONata field: its input converted once for all.
    let st = States::entered(run, raw);
    let counts = Counts { ex, run, ctx: &ctx, input: &effective, states: &st };
    // A JSONata Items failure ends the Map with MapStateFailed, as AWS records it.
    // An ItemReader reads once the Map Run has started, as AWS records it.
    let reads_later = s.item_reader.is_some() && ex.inspection.as_ref().is_none_or(|i| i.reader_items.is_none());
    let items = match read_items(ex, s) {
        Some(read) => read,
        None if reads_later => Vec::new(),
        None => {
            items(ex, run, &ctx, s, &effective, &st)
                .map_err(|f| if run.jsonata() { AttemptError::Child(f) } else { AttemptError::Own(f) })?
        }
    };
    if !run.jsonata() {
        ex.inspect("afterItemsPath", || Value::Array(items.clone()).to_string().into());
    }
    let Some(processor) = s.processor() else {
        return Err(located(Failure::runtime("the Map state has no ItemProcessor")).into());
    };
    // AWS checks MaxConcurrency before it starts the Map, the tolerated
    // failure settings after.
    let concurrency = counts.max_concurrency(s)?;
    let started = ex.event(thread, crate::history::EventType::MapStateStarted, || {
        crate::history::Details::Fields(vec![("length", crate::history::Field::json(items.len()))])
    });
    let tolerance = counts.tolerance(s)?;
    ex.inspect("maxConcurrency", || concurrency.into());
    if let Some(c) = tolerance.count {
        ex.inspect("toleratedFailureCount", || c.into());
    }
    if let Some(p) = tolerance.percentage {
        ex.inspect("toleratedFailurePercentage", || p.into());
    }
    if let Some(stand_in) = ex.stand_in() {
        let results = stand_in.map_err(AttemptError::Child)?;
        let failed = ex.inspection.as_ref().and_then(|i| i.iteration_failures).unwrap_or(0);
        // TestState holds the failures it is told of to a threshold only
        // where the Map sets one, as AWS does.
        if tolerance.any() && tolerance.exceeded(failed as usize, items.len()) {
            let f = Failure::new(names::EXCEED_TOLERATED_FAILURE_THRESHOLD, "The specified tolerated failure threshold was exceeded");
            return Err(AttemptError::Child(f));
        }
        return Ok(ex.finish(run, &ctx, &st, results, &fields(s))?);
    }
    let distributed = s.is_distributed();
    let settings = Settings {
        max_concurrency: concurrency,
        tolerated_failure_count: tolerance.count,
        tolerated_failure_percentage: tolerance.percentage,
    };
    let label = s.label.as_deref().unwrap_or(run.name());
    let (map_run_arn, record) = match distributed {
        true => open_map_run(ex, thread, label, processor, settings).map_err(located)?,
        false => (String::new(), None),
    };
    let record = record.as_ref().map(|r| &r.0);
    let items = match reads_later {
        true => match read_from_reader(ex, run, &ctx, s, &counts).await {
            Ok(items) => items,
            Err(f) => {
                map_run_failed(ex, thread, record, &f);
                return Err(AttemptError::Child(f));
            }
        },
        false => items,
    };
    let item_total = items.len();
    let selector = s.item_selector.as_ref().or(s.parameters.as_ref());
    let selecting = Selecting { selector, effective: &effective, states: &st, retry, context: Default::default() };
    // With an ItemBatcher each child gets a batch of selected items.
    let (items, selecting) = match &s.item_batcher {
        Some(b) => match counts.batches(b, items, &selecting) {
            Ok(batches) => (batches, Selecting { selector: None, ..selecting }),
            Err(f) => {
                ended(ex, record, MapRunStatus::Failed);
                return Err(f.into());
            }
        },
        None => (items, selecting),
    };
    let total = items.len();
    if let Some(r) = record {
        r.set_totals(item_total as u64, total as u64);
    }
    let most = if distributed { MAX_CHILD_EXECUTIONS_AT_ONCE } else { MAX_INLINE_ITERATIONS_AT_ONCE };
    // MaxConcurrency, as the Map gave it or UpdateMapRun changed it since.
    let width = || {
        match record.map_or(concurrency, |r| r.settings().max_concurrency) {
            0 => total,
            c => usize::try_from(c).unwrap_or(usize::MAX),
        }
        .clamp(1, most)
    };
    let tolerance = || record.map_or(tolerance, |r| r.settings().into());
    // What the ResultWriter writes: each child's name, input and outcome.
    let writes = s.result_writer.as_ref().is_some_and(|w| w.resource.is_some());
    let children = std::cell::RefCell::new(Vec::new());
    let processing = Processing { processor, distributed, record, last_closed: std::cell::Cell::new(started) };
    // Redriven: the iterations that succeeded before keep their outputs.
    let before = ex.succeeded_before();
    let (processing, selecting, before, children) = (&processing, &selecting, &before, &children);
    let work = items.into_iter().enumerate().map(|(index, item)| async move {
        if let Some(output) = before.get(&index) {
            return Ok(output.clone());
        }
        // A batch's items, or one.
        let item_count = if s.item_batcher.is_some() { item["Items"].as_array().map_or(0, Vec::len) } else { 1 };
        let item_ctx = crate::context::MapItem { index, value: item };
        let input = selecting.input(ex, run, &item_ctx);
        if let Some(r) = record {
            let given = input.as_ref().unwrap_or(&item_ctx.value);
            r.child_started(index, child_name(index), item_count as u64, given, ex.clock.now());
        }
        let given = if writes { input.as_ref().ok().cloned() } else { None };
        let outcome = iteration(ex, run, processing, index, input, item_ctx, thread).await;
        if let Some(r) = record {
            r.child_ended(index, Some(&outcome), ex.clock.now());
        }
        if let Some(input) = given {
            children.borrow_mut().push(distributed::ChildRun { name: child_name(index), input, outcome: outcome.clone() });
        }
        outcome
    });
    let outcome = gather(work, &width, &tolerance, total).await;
    let results = match outcome {
        Ok(results) => results,
        Err(f) => {
            if distributed {
                map_run_failed(ex, thread, record, &f);
            }
            return Err(AttemptError::Child(f));
        }
    };
    let result = match writes {
        true => {
            let children = children.take();
            let written = distributed::write(ex, run, &ctx, s, &effective, &map_run_arn, children).await;
            if let (Some(r), Ok(_)) = (record, &written) {
                r.results_written();
            }
            written.map_err(AttemptError::Child)?
        }
        false => Value::Array(distributed::Format::of(s).transform(results)),
    };
    ended(ex, record, MapRunStatus::Succeeded);
    succeeded_events(ex, thread, processing);
    Ok(ex.finish(run, &ctx, &st, result, &fields(s))?)
}

/// MapStateSucceeded (after MapRunSucceeded), linked as AWS links them:
/// it follows the last event the Map recorded (its MapRunSucceeded, last
/// MapIterationSucceeded, or MapStateStarted). MapStateExited follows that
/// same event in an inline Map, and MapRunStarted in a distributed one
/// (AWS's recordings since November 2024; earlier ones link it to
/// MapRunSucceeded).
fn succeeded_events(ex: &Execution, thread: &Thread, processing: &Processing) {
    use crate::history::{Details, EventType};
    if processing.distributed {
        let run_started = thread.last.get();
        ex.event(thread, EventType::MapRunSucceeded, || Details::None);
        ex.side_event(thread, EventType::MapStateSucceeded, || Details::None);
        thread.last.set(run_started);
    } else {
        thread.last.set(processing.last_closed.get());
        ex.side_event(thread, EventType::MapStateSucceeded, || Details::None);
    }
}

/// The items the ItemReader reads, at most its MaxItems.
async fn read_from_reader(
    ex: &Execution<'_>,
    run: &StateRun<'_>,
    ctx: &dyn ContextSource,
    s: &Map,
    counts: &Counts<'_>,
) -> Result<Vec<Value>, Failure> {
    let max_items = counts.reader_max_items(s)?;
    distributed::read(ex, run, ctx, s, counts.input, max_items).await
}

/// MapRunFailed, with the error and cause that ended the Map Run.
fn map_run_failed(ex: &Execution, thread: &Thread, record: Option<&Arc<MapRun>>, f: &Failure) {
    ex.event(thread, crate::history::EventType::MapRunFailed, || crate::history::failed(f));
    ended(ex, record, MapRunStatus::Failed);
}

/// The Map Run a distributed Map runs as, with its record if runs are
/// recorded: the run a redriven execution's Map failed in, redriven under
/// its ARN (MapRunRedriven), or a new one (MapRunStarted). A run redriven
/// as often as AWS allows fails the Map (States.Runtime).
fn open_map_run<'c>(
    ex: &Execution<'c>,
    thread: &Thread,
    label: &str,
    processor: &sfc_asl::StateMachine,
    settings: Settings,
) -> Result<(String, Option<AbortedIfDropped<'c>>), Failure> {
    use crate::history::{Details, EventType, Field};
    let redriving = ex.map_run_before();
    if let Some(run) = redriving.and_then(|arn| ex.map_runs.as_ref()?.runs.find(&arn)) {
        let Some(count) = run.redriven(ex.clock.now()) else {
            return Err(Failure::runtime(format!(
                "The Map Run '{}' has been redriven {} times, the most AWS allows; start a new execution to run its items again",
                run.arn,
                crate::map_runs::MAX_REDRIVES
            )));
        };
        ex.event(thread, EventType::MapRunRedriven, || {
            Details::Fields(vec![("mapRunArn", Field::json(run.arn.as_str())), ("redriveCount", Field::Number(count))])
        });
        return Ok((run.arn.clone(), Some(AbortedIfDropped(run, ex.clock))));
    }
    // A Map Run's id, as AWS's a UUID, from the run's seeded generator
    // (drawn only for a Map Run, so inline Maps leave the sequence alone).
    let id = uuid::Builder::from_random_bytes(rand::RngExt::random(&mut *ex.rng.borrow_mut())).into_uuid();
    let arn = format!("{}/{label}:{id}", map_run_prefix(ex));
    // Recorded when the execution's runs are (sfc serve); it ends ABORTED
    // if the execution is stopped before the Map ends it.
    let record = ex.map_runs.as_ref().map(|m| {
        let express = processor.processor_config.as_ref().and_then(|c| c.execution_type) == Some(sfc_asl::ExecutionType::Express);
        let info = ProcessorInfo {
            state_machine_arn: format!("{}/{label}", ex.base_context.info().machine_arn()),
            label: label.to_string(),
            definition: serde_json::to_string(processor).unwrap_or_default(),
            express_children: express,
        };
        AbortedIfDropped(m.runs.start(arn.clone(), m.execution.clone(), info, ex.clock.now(), settings), ex.clock)
    });
    ex.event(thread, EventType::MapRunStarted, || Details::Fields(vec![("mapRunArn", Field::json(arn.as_str()))]));
    Ok((arn, record))
}

/// The name of a distributed Map's child execution: its item's index
/// (the Map Run API and the ResultWriter's files name it so).
fn child_name(index: usize) -> String {
    index.to_string()
}

/// The Map Run, if recorded, has ended with `status`.
fn ended(ex: &Execution, record: Option<&Arc<MapRun>>, status: MapRunStatus) {
    if let Some(r) = record {
        r.ended(status, ex.clock.now());
    }
}

/// A Map Run's record, ended ABORTED when the Map is dropped before it
/// ends the run (StopExecution aborts the execution's future).
struct AbortedIfDropped<'c>(Arc<MapRun>, &'c dyn crate::clock::Clock);

impl Drop for AbortedIfDropped<'_> {
    fn drop(&mut self) {
        self.0.abort(self.1.now());
    }
}

/// What every iteration shares: the processor, how it runs, the Map
/// Run's record if any, and the last MapIterationSucceeded/Failed event
/// recorded.
struct Processing<'a> {
    processor: &'a sfc_asl::StateMachine,
    distributed: bool,
    record: Option<&'a Arc<MapRun>>,
    last_closed: std::cell::Cell<u64>,
}

/// What each item's input is made from: the ItemSelector (or the legacy
/// Parameters), evaluated against the Map's effective input.
struct Selecting<'a> {
    selector: Option<&'a Value>,
    effective: &'a Value,
    /// `$states` for JSONata: every item's ItemSelector sees the same
    /// input, converted once.
    states: &'a States<'a>,
    retry: u64,
    /// The JSONata context of the Map state without `Map`, built for the
    /// first item whose ItemSelector reads it and shared by the others.
    context: std::cell::OnceCell<jsonata_core::value::JMap>,
}

impl Selecting<'_> {
    fn input(&self, ex: &Execution, run: &StateRun, item: &crate::context::MapItem) -> Result<Value, Failure> {
        let Some(sel) = self.selector else { return Ok(item.value.clone()) };
        let c = crate::context::StateContext::new(&ex.base_context, run.name(), run.entered_time, Some(self.retry), Some(item))
            .sharing(&self.context);
        match run.jsonata() {
            true => ex.jsonata_in(run, &ex.env(run, &c, self.states), "ItemSelector", sel),
            false => ex.evaluate_template(run, sel, &ex.roots(run, self.effective, &c)),
        }
    }
}

/// The iterations' results in item order, at most `width` running at once;
/// a failure beyond what is tolerated stops the rest (failed items
/// tolerated stand as their error output).
async fn gather<'a>(
    work: impl Iterator<Item = impl std::future::Future<Output = Result<Value, Failure>> + 'a>,
    width: &dyn Fn() -> usize,
    tolerance: &dyn Fn() -> Tolerance,
    total: usize,
) -> Result<Vec<Value>, Failure> {
    let mut results = Vec::with_capacity(total);
    let mut failed = 0usize;
    let mut first_failure = None;
    super::window::in_order(work, width, |outcome| {
        match outcome {
            Ok(v) => results.push(v),
            Err(f) if tolerance().any() => {
                failed += 1;
                results.push(f.to_error_output());
                if tolerance().exceeded(failed, total) {
                    first_failure = Some(Failure::new(
                        names::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                        "The specified tolerated failure threshold for the Map Run has been exceeded",
                    ));
                    return ControlFlow::Break(());
                }
            }
            Err(f) => {
                first_failure = Some(f);
                return ControlFlow::Break(());
            }
        }
        ControlFlow::Continue(())
    })
    .await;
    match first_failure {
        Some(f) => Err(f),
        None => Ok(results),
    }
}

fn map_run_prefix(ex: &Execution) -> String {
    let machine = ex.base_context.info().machine_arn();
    machine.replacen(":stateMachine:", ":mapRun:", 1)
}

/// One item through the processor, with its iteration events (inline maps).
async fn iteration(
    ex: &Execution<'_>,
    run: &StateRun<'_>,
    processing: &Processing<'_>,
    index: usize,
    input: Result<Value, Failure>,
    item_ctx: crate::context::MapItem,
    parent: &Thread,
) -> Result<Value, Failure> {
    let (processor, distributed) = (processing.processor, processing.distributed);
    let details = || crate::history::Details::Iteration { index, name: run.entry.name.clone() };
    let thread = Thread::child_of(parent);
    if !distributed {
        ex.event(&thread, crate::history::EventType::MapIterationStarted, details);
    }
    let outcome = match (input, distributed) {
        (Err(f), _) => Err(f),
        (Ok(input), false) => ex.run_machine(processor, run.lang, input, &thread, Some(&item_ctx)).await,
        // A distributed Map runs each item as a child execution, whose
        // events stay out of the parent's history.
        (Ok(input), true) => child_execution(ex, run, processing, index, input, &item_ctx, parent).await,
    };
    // The Map goes on (the next MapIterationStarted, MapStateFailed) from
    // the iteration's last state event, as AWS links them, not from the
    // MapIterationSucceeded/Failed that closes it.
    if !distributed {
        use crate::history::EventType::{MapIterationFailed, MapIterationSucceeded};
        let closed = ex.side_event(&thread, if outcome.is_ok() { MapIterationSucceeded } else { MapIterationFailed }, details);
        processing.last_closed.set(processing.last_closed.get().max(closed));
    }
    parent.last.set(parent.last.get().max(thread.last.get()));
    outcome
}

/// A distributed Map's item run as a child execution. It shares what the
/// parent compiled of the processor. Its events stay out of the parent's
/// history: a STANDARD child of a recorded Map Run (sfc serve) hands
/// them to the run's record, from its own ExecutionStarted to its end,
/// for GetExecutionHistory; otherwise they are dropped with it.
async fn child_execution(
    ex: &Execution<'_>,
    run: &StateRun<'_>,
    processing: &Processing<'_>,
    index: usize,
    input: Value,
    item_ctx: &crate::context::MapItem,
    parent: &Thread,
) -> Result<Value, Failure> {
    use crate::history::{History, Keeping};
    let seed = rand::RngExt::random::<u64>(&mut *ex.rng.borrow_mut());
    let record = processing.record.filter(|r| !r.processor.express_children);
    let keeping = match record {
        Some(r) => {
            let r = r.clone();
            Keeping::Each(Arc::new(move |event| r.child_event(index, event)))
        }
        None => Keeping::Nothing,
    };
    // A child its Map Run's redrive goes on with: its events so far.
    let redriven = record.and_then(|r| r.redriven_child(index));
    let history = match &redriven {
        Some((events, _)) => History::continuing(events.len(), keeping),
        None => History::keeping(None, keeping),
    };
    // A redriven child starts from a copy of the processor, whose parts
    // are not the shared ones: it compiles its own.
    let compiled = if redriven.is_some() { Default::default() } else { ex.compiled.clone() };
    let mut child = Execution::new(ex.clock, ex.integration, ex.base_context.clone(), seed, std::rc::Rc::new(history), compiled)
        .with_coverage(ex.coverage.clone());
    // Distributed Maps inside it record their runs as its own.
    if let Some(r) = processing.record {
        child = child.with_map_runs_of_child(ex, crate::map_runs::child_execution_arn(&r.arn, &child_name(index)));
    }
    let thread = Thread::child_of(parent);
    // Its events are its own: the first follows none.
    thread.last.set(0);
    let processor = processing.processor;
    if record.is_none() {
        return child.run_machine(processor, run.lang, input, &thread, Some(item_ctx)).await;
    }
    let outcome = match redriven {
        // As RedriveExecution goes on with an execution: from the state
        // that did not finish, after an ExecutionRedriven event.
        Some((events, count)) => {
            let resume = crate::resume::resume_point(processor, &events, input);
            child.redriven_from(super::Before { succeeded: resume.succeeded, map_run: None });
            crate::run::redriven_event(&child, &thread, count);
            let from = sfc_asl::StateMachine { start_at: resume.state, ..processor.clone() };
            child.run_machine(&from, run.lang, resume.input, &thread, Some(item_ctx)).await
        }
        None => {
            // Started as StartExecution would start it: no version or alias.
            let info = crate::context::ExecutionInfo { version_arn: None, alias_arn: None, ..ex.base_context.info().clone() };
            crate::run::started_event(&child, &thread, &input, &info);
            child.run_machine(processor, run.lang, input, &thread, Some(item_ctx)).await
        }
    };
    crate::run::end_event(&child, &thread, &outcome);
    outcome
}

/// TestState's `mapItemReaderData`, as the ItemReader would have read it.
fn read_items(ex: &Execution, s: &Map) -> Option<Vec<Value>> {
    s.item_reader.as_ref()?;
    ex.inspection.as_ref()?.reader_items.clone()
}

/// The items: Items (JSONata), or ItemsPath (default `$`) of the
/// effective input; an array either way.
fn items(ex: &Execution, run: &StateRun, ctx: &dyn ContextSource, s: &Map, input: &Value, st: &States) -> Result<Vec<Value>, Failure> {
    if run.jsonata() {
        let value = match &s.items {
            Some(items) => ex.jsonata(run, ctx, st, "Items", items)?,
            None => input.clone(),
        };
        return match value {
            Value::Array(a) => Ok(a),
            other => {
                let cause = match s.items.as_ref().and_then(Value::as_str).and_then(jsonata::expression) {
                    Some(e) => format!(
                        "The JSONata expression '{}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{}' for value: {other}",
                        e.trim(),
                        super::choice::json_type(&other)
                    ),
                    None => format!("Map state input must be an array but was: {other}"),
                };
                // Without Items the input itself is checked: no field to name.
                Err(ex.evaluation_failed(run, jsonata::query_error(cause), s.items.as_ref().map(|_| "Items")))
            }
        };
    }
    let value = match (&s.items, &s.items_path) {
        (Some(Value::Array(a)), _) => Value::Array(a.clone()),
        (_, Some(p)) => paths::read(p, &ex.roots(run, input, ctx)).map_err(|e| ex.located(run, io::invalid_path(p, e, input)))?,
        _ => input.clone(),
    };
    match value {
        Value::Array(a) => Ok(a),
        other => Err(ex.located(
            run,
            Failure::runtime(format!(
                "Unable to apply ItemsPath '{}' to input '{input}': the value {other} is not an array",
                s.items_path.as_deref().unwrap_or("$")
            )),
        )),
    }
}

#[cfg(test)]
mod tests {
    use crate::integration::Unavailable;
    use crate::{run_prepared, Prepared, RunOptions, Status};
    use serde_json::json;

    /// 100 iterations that each wait 10 s: an inline Map runs 40 at a time
    /// (30 s), whatever MaxConcurrency says; a distributed one all at once
    /// (10 s); a MaxConcurrency under the bound still holds (10 at a time:
    /// 100 s).
    #[test]
    fn an_inline_map_runs_at_most_40_iterations_at_once() {
        let took = |config: serde_json::Value, max_concurrency: u64| {
            let machine = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": max_concurrency, "End": true,
                "ItemProcessor": {"ProcessorConfig": config, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": true}}}}}});
            let prepared = Prepared::new(serde_json::from_value(machine).unwrap());
            let out = run_prepared(&prepared, json!((0..100).collect::<Vec<_>>()), &Unavailable, &RunOptions::default());
            assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
            (out.ended - out.started).num_seconds()
        };
        let inline = json!({"Mode": "INLINE"});
        let distributed = json!({"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"});
        assert_eq!(took(inline.clone(), 0), 30);
        assert_eq!(took(inline.clone(), 1000), 30);
        assert_eq!(took(inline, 10), 100);
        assert_eq!(took(distributed, 0), 10);
    }

    /// A Map Run is redriven at most as often as AWS allows: the redrive
    /// that reaches the limit runs the failed child again, the next one
    /// fails the Map with States.Runtime and leaves the run as it was.
    #[test]
    fn a_map_run_is_redriven_at_most_as_often_as_aws_allows() {
        use crate::history::{Event, History, Keeping, MAX_EVENTS};
        use crate::map_runs::{MapRunStatus, MapRuns, MAX_REDRIVES};
        let machine = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Nope"}}}}}});
        let prepared = Prepared::new(serde_json::from_value(machine).unwrap());
        let runs = std::sync::Arc::new(MapRuns::default());
        let opts = RunOptions { map_runs: Some(runs.clone()), keeping: Keeping::All, ..RunOptions::default() };
        let input = json!(["item"]);
        let first = run_prepared(&prepared, input.clone(), &Unavailable, &opts);
        assert_eq!(first.error.as_deref(), Some("Nope"));
        let run = runs.list().pop().expect("the Map Run");
        let now = chrono::Utc::now();
        for _ in 1..MAX_REDRIVES {
            assert!(run.redriven(now).is_some());
            run.ended(MapRunStatus::Failed, now);
        }
        let redrive = |events: crate::history::Events| {
            let recorded: Vec<serde_json::Value> = events.iter().map(Event::to_json).collect();
            let mut resume = crate::resume::resume_point(&prepared.machine, &recorded, input.clone());
            resume.map_run = Some(run.arn.clone());
            let history = std::rc::Rc::new(History::resume(events, Some(MAX_EVENTS)));
            let clock = crate::clock::VirtualClock::starting_at(now);
            let redriven = crate::run::run_recorded(&prepared, input.clone(), &Unavailable, &clock, &opts, Some(history), Some(resume));
            clock.block_on(redriven).expect("the redrive ends")
        };
        let last_allowed = redrive(first.history);
        assert_eq!(last_allowed.error.as_deref(), Some("Nope"), "the child ran again and failed");
        let count = |p: &crate::map_runs::Progress| (p.redrive_count, p.status, p.executions.failed);
        assert_eq!(run.read(count), (MAX_REDRIVES, MapRunStatus::Failed, 1));
        let past = redrive(last_allowed.history);
        assert_eq!(past.error.as_deref(), Some("States.Runtime"));
        let cause = past.cause.unwrap_or_default();
        assert!(cause.contains(&run.arn) && cause.contains("redriven 1000 times") && cause.contains("'M'"), "{cause}");
        assert_eq!(run.read(count), (MAX_REDRIVES, MapRunStatus::Failed, 1));
        let redriven = past.history.iter().filter(|e| e.kind == crate::history::EventType::MapRunRedriven).count();
        assert_eq!(redriven, 1, "only the redrive that reached the limit recorded MapRunRedriven");
    }
}
