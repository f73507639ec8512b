//! The Map state: the processor once per item, with MaxConcurrency and
//! tolerated failures; inline or distributed (as a map run).

use super::recovery::{with_recovery, Attempt, AttemptError, Recovered};
use super::{roots, transition, Execution, Flow, ResultFields, StateRun, Thread};
use crate::error::{names, Failure};
use crate::io;
use crate::paths;
use crate::template;
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};
use sfc_compiler::asl::{Dynamic, Map, ProcessorMode};

pub(super) async fn run(ex: &Execution<'_>, run: &StateRun<'_>, s: &Map, raw: Value, thread: &Thread) -> Result<Flow, Failure> {
    let attempt = |retry: u64| -> Attempt<'_> { Box::pin(attempt(ex, run, s, &raw, thread, retry)) };
    Ok(match with_recovery(ex, run, thread, Some("MapStateFailed"), s.retry.as_deref(), s.catch.as_deref(), &raw, &attempt).await? {
        Recovered::Done(output) => transition(&s.next, output),
        Recovered::Caught { next, output } => Flow::Next(next, output),
    })
}

/// How many failed items a Map accepts.
struct Tolerance {
    count: Option<u64>,
    percentage: Option<f64>,
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

async fn attempt(ex: &Execution<'_>, run: &StateRun<'_>, s: &Map, raw: &Value, thread: &Thread, retry: u64) -> Result<Value, AttemptError> {
    let ctx = ex.context(run, retry);
    let located = |f| ex.located(run, f);
    let effective = io::select_input(raw, &s.input_path, &ctx, None).map_err(located)?;
    let items = items(s, &effective, &ctx).map_err(located)?;
    let Some(processor) = s.processor() else {
        return Err(located(Failure::runtime("the Map state has no ItemProcessor")).into());
    };
    // AWS checks MaxConcurrency before it starts the Map, the tolerated
    // failure settings after.
    let concurrency = max_concurrency(s, &effective, &ctx).map_err(located)?;
    ex.event(thread, "MapStateStarted", crate::history::Details::Json("mapStateStartedEventDetails", json!({"length": items.len()})));
    let tolerance = tolerance(s, &effective, &ctx).map_err(located)?;
    let distributed = processor.processor_config.as_ref().and_then(|c| c.mode) == Some(ProcessorMode::Distributed);
    if distributed {
        let arn = format!("{}/{}:{}", map_run_prefix(ex), s.label.as_deref().unwrap_or(run.name), "local");
        ex.event(thread, "MapRunStarted", crate::history::Details::Json("mapRunStartedEventDetails", json!({"mapRunArn": arn})));
    }
    let selector = s.item_selector.as_ref().or(s.parameters.as_ref());
    let total = items.len();
    let width = if concurrency == 0 { total.max(1) } else { concurrency as usize };
    let iterations = stream::iter(items.into_iter().enumerate())
        .map(|(index, item)| {
            let item_ctx = json!({"Index": index, "Value": item});
            let input = match selector {
                Some(sel) => {
                    let c = crate::context::StateContext::new(&ex.base_context, run.name, run.entered_time, retry, Some(&item_ctx));
                    template::evaluate(sel, &roots(&effective, &c, None), &mut *ex.rng.borrow_mut()).map_err(|f| ex.located(run, f))
                }
                None => Ok(item_ctx["Value"].clone()),
            };
            iteration(ex, run.name, processor, index, input, item_ctx, thread, distributed)
        })
        .buffered(width);
    futures_util::pin_mut!(iterations);
    let mut results = Vec::with_capacity(total);
    let mut failed = 0usize;
    let mut first_failure = None;
    while let Some(outcome) = iterations.next().await {
        match outcome {
            Ok(v) => results.push(v),
            Err(f) if tolerance.any() => {
                failed += 1;
                results.push(f.to_error_output());
                if tolerance.exceeded(failed, total) {
                    first_failure = Some(Failure::new(names::EXCEED_TOLERATED_FAILURE_THRESHOLD, "The specified tolerated failure threshold for the Map Run has been exceeded"));
                    break;
                }
            }
            Err(f) => {
                first_failure = Some(f);
                break;
            }
        }
    }
    drop(iterations);
    if let Some(f) = first_failure {
        if distributed {
            ex.event(thread, "MapRunFailed", crate::history::Details::None);
        }
        return Err(AttemptError::Child(f));
    }
    if distributed {
        ex.event(thread, "MapRunSucceeded", crate::history::Details::None);
    }
    ex.event(thread, "MapStateSucceeded", crate::history::Details::None);
    let result = Value::Array(results);
    let fields = ResultFields { selector: &s.result_selector, path: &s.result_path, output_path: &s.output_path };
    Ok(ex.finish(run, &ctx, raw, result, fields)?)
}

fn map_run_prefix(ex: &Execution) -> String {
    let machine = ex.base_context["StateMachine"]["Id"].as_str().unwrap_or("arn:aws:states:us-east-1:123456789012:stateMachine:local");
    machine.replacen(":stateMachine:", ":mapRun:", 1)
}

/// One item through the processor, with its iteration events (inline maps).
#[allow(clippy::too_many_arguments)]
async fn iteration(
    ex: &Execution<'_>,
    map_name: &str,
    processor: &sfc_compiler::asl::StateMachine,
    index: usize,
    input: Result<Value, Failure>,
    item_ctx: Value,
    parent: &Thread,
    distributed: bool,
) -> Result<Value, Failure> {
    let details = |key: &'static str| crate::history::Details::Json(key, json!({"index": index, "name": map_name}));
    let thread = Thread::after(parent.last.get());
    if !distributed {
        ex.event(&thread, "MapIterationStarted", details("mapIterationStartedEventDetails"));
    }
    let outcome = match (input, distributed) {
        (Err(f), _) => Err(f),
        (Ok(input), false) => ex.run_machine(processor, input, &thread, Some(&item_ctx)).await,
        // A distributed Map runs each item as a child execution, whose
        // events stay out of the parent's history.
        (Ok(input), true) => {
            let seed = rand::RngExt::random::<u64>(&mut *ex.rng.borrow_mut());
            let child = Execution::new(ex.clock, ex.integration, ex.base_context.clone(), rand::SeedableRng::seed_from_u64(seed));
            child.run_machine(processor, input, &Thread::default(), Some(&item_ctx)).await
        }
    };
    if !distributed {
        let kind = if outcome.is_ok() { "MapIterationSucceeded" } else { "MapIterationFailed" };
        let key = if outcome.is_ok() { "mapIterationSucceededEventDetails" } else { "mapIterationFailedEventDetails" };
        ex.event(&thread, kind, details(key));
    }
    parent.last.set(parent.last.get().max(thread.last.get()));
    outcome
}

/// The items: ItemsPath (default `$`) of the effective input, an array.
fn items(s: &Map, input: &Value, ctx: &dyn crate::context::ContextSource) -> Result<Vec<Value>, Failure> {
    let value = match (&s.items, &s.items_path) {
        (Some(Value::Array(a)), _) => Value::Array(a.clone()),
        (_, Some(p)) => paths::read(p, &roots(input, ctx, None))
            .map_err(|_| Failure::runtime(format!("Invalid path '{p}' : No results for path: {}", io::normalized(p))))?,
        _ => input.clone(),
    };
    match value {
        Value::Array(a) => Ok(a),
        other => Err(Failure::runtime(format!(
            "Unable to apply ItemsPath '{}' to input '{input}': the value {other} is not an array",
            s.items_path.as_deref().unwrap_or("$")
        ))),
    }
}

/// A count from `Field` or `FieldPath`, with AWS's complaints about bad values.
fn integer_field(literal: &Option<Dynamic<u64>>, path: &Option<String>, field: &str, input: &Value, ctx: &dyn crate::context::ContextSource) -> Result<Option<i64>, Failure> {
    if let Some(Dynamic::Value(v)) = literal {
        return Ok(Some(i64::try_from(*v).unwrap_or(i64::MAX)));
    }
    let Some(p) = path else { return Ok(None) };
    let v = paths::read(p, &roots(input, ctx, None)).map_err(|_| Failure::runtime(format!("The {field}Path field refers to a path that does not exist: {p}")))?;
    match v.as_i64() {
        Some(n) => Ok(Some(n)),
        None => Err(Failure::runtime(format!("The {field}Path field refers to value {} which is not a valid integer: {p}", quoted(&v)))),
    }
}

/// Values in AWS's messages: strings in quotes, JSON as text in quotes.
fn quoted(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        other => format!("\"{other}\""),
    }
}

fn max_concurrency(s: &Map, input: &Value, ctx: &dyn crate::context::ContextSource) -> Result<u64, Failure> {
    let n = integer_field(&s.max_concurrency, &s.max_concurrency_path, "MaxConcurrency", input, ctx)?.unwrap_or(0);
    u64::try_from(n).map_err(|_| Failure::runtime("MaxConcurrency cannot be negative."))
}

fn tolerance(s: &Map, input: &Value, ctx: &dyn crate::context::ContextSource) -> Result<Tolerance, Failure> {
    let count = integer_field(&s.tolerated_failure_count, &s.tolerated_failure_count_path, "ToleratedFailureCount", input, ctx)?;
    if count.is_some_and(|c| c < 0) {
        return Err(Failure::runtime("ToleratedFailureCount cannot be negative."));
    }
    let percentage = match (&s.tolerated_failure_percentage, &s.tolerated_failure_percentage_path) {
        (Some(Dynamic::Value(n)), _) => n.as_f64(),
        (_, Some(p)) => {
            let v = paths::read(p, &roots(input, ctx, None))
                .map_err(|_| Failure::runtime(format!("The ToleratedFailurePercentagePath field refers to a path that does not exist: {p}")))?;
            Some(v.as_f64().ok_or_else(|| {
                Failure::runtime(format!("The ToleratedFailurePercentagePath field refers to value {} which is not a valid float: {p}", quoted(&v)))
            })?)
        }
        _ => None,
    };
    if percentage.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
        return Err(Failure::runtime("ToleratedFailurePercentage must be between 0 and 100."));
    }
    Ok(Tolerance { count: count.map(|c| c as u64), percentage })
}
