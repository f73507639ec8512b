//! The Task state: parameters in, one integration call, result out.

use super::recovery::{with_recovery, Attempt, Recovered};
use super::{roots, transition, Execution, Flow, ResultFields, StateRun, Thread};
use crate::error::{names, Failure};
use crate::history;
use crate::integration::TaskRequest;
use crate::io;
use crate::paths;
use crate::template;
use serde_json::{json, Value};
use sfc_compiler::asl::{Dynamic, Task};
use std::time::Duration;

pub(super) async fn run(ex: &Execution<'_>, run: &StateRun<'_>, s: &Task, raw: Value, thread: &Thread) -> Result<Flow, Failure> {
    let raw_ref = &raw;
    let attempt = |retry: u64| -> Attempt<'_> { Box::pin(async move { Ok(attempt(ex, run, s, raw_ref, thread, retry).await?) }) };
    let outcome = with_recovery(ex, run, thread, None, s.retry.as_deref(), s.catch.as_deref(), &raw, &attempt).await?;
    Ok(match outcome {
        Recovered::Done(output) => transition(&s.next, output),
        Recovered::Caught { next, output } => Flow::Next(next, output),
    })
}

/// `arn:aws:states:::batch:submitJob.sync` → ("batch", "submitJob.sync").
pub fn resource_parts(resource: &str) -> (String, String) {
    let rest = resource.splitn(6, ':').nth(5).unwrap_or(resource);
    match rest.rsplit_once(':') {
        Some((kind, name)) => (kind.to_string(), name.to_string()),
        None => ("task".to_string(), rest.to_string()),
    }
}

async fn attempt(ex: &Execution<'_>, run: &StateRun<'_>, s: &Task, raw: &Value, thread: &Thread, retry: u64) -> Result<Value, Failure> {
    let callback = s.resource.ends_with(".waitForTaskToken") || s.resource.contains(":activity:");
    let mut ctx = ex.context(run, retry);
    if s.resource.ends_with(".waitForTaskToken") {
        let token = uuid::Builder::from_random_bytes(rand::RngExt::random(&mut *ex.rng.borrow_mut())).into_uuid();
        ctx.task_token = Some(token.to_string());
    }
    let located = |f| ex.located(run, f);
    let effective = io::select_input(raw, &s.input_path, &ctx, None).map_err(located)?;
    let timeout = seconds(&s.timeout_seconds, &s.timeout_seconds_path, &effective, &ctx, "TimeoutSecondsPath").map_err(located)?;
    // Heartbeats come from activity workers and callback senders only.
    let heartbeat = if callback {
        seconds(&s.heartbeat_seconds, &s.heartbeat_seconds_path, &effective, &ctx, "HeartbeatSecondsPath").map_err(located)?
    } else {
        None
    };
    let parameters = match &s.parameters {
        Some(p) => template::evaluate(p, &roots(&effective, &ctx, None), &mut *ex.rng.borrow_mut()).map_err(located)?,
        None => effective.into_owned(),
    };
    let (resource_type, resource) = resource_parts(&s.resource);
    let mut scheduled = json!({
        "resourceType": resource_type, "resource": resource, "region": "us-east-1",
        "parameters": history::input_text(&parameters),
    });
    if let Some(t) = timeout {
        scheduled["timeoutInSeconds"] = t.into();
    }
    ex.event(thread, "TaskScheduled", crate::history::Details::Json("taskScheduledEventDetails", scheduled));
    ex.event(thread, "TaskStarted", crate::history::Details::Json("taskStartedEventDetails", json!({"resourceType": resource_type, "resource": resource})));
    let request = TaskRequest { state: run.name, resource: &s.resource, parameters, context: &ctx };
    let call = ex.integration.invoke(request);
    // No heartbeat ever arrives from a mock: the task times out after
    // HeartbeatSeconds unless TimeoutSeconds comes first.
    let limit = match (timeout, heartbeat) {
        (Some(t), Some(h)) if h < t => Some((h, names::HEARTBEAT_TIMEOUT)),
        (Some(t), _) => Some((t, names::TIMEOUT)),
        (None, Some(h)) => Some((h, names::HEARTBEAT_TIMEOUT)),
        (None, None) => None,
    };
    let outcome = match limit {
        Some((t, error)) => match crate::clock::timeout(ex.clock, Duration::from_secs(t), call).await {
            Some(r) => r,
            None => {
                let f = Failure::bare(error);
                ex.event(thread, "TaskTimedOut", with_resource(history::failed("taskTimedOutEventDetails", &f), &resource_type, &resource));
                return Err(f);
            }
        },
        None => call.await,
    };
    let result = match outcome {
        Ok(v) => v,
        Err(f) => {
            ex.event(thread, "TaskFailed", with_resource(history::failed("taskFailedEventDetails", &f), &resource_type, &resource));
            return Err(f);
        }
    };
    ex.event(
        thread,
        "TaskSucceeded",
        crate::history::Details::Json("taskSucceededEventDetails", json!({"resourceType": resource_type, "resource": resource, "output": history::input_text(&result)})),
    );
    let fields = ResultFields { selector: &s.result_selector, path: &s.result_path, output_path: &s.output_path };
    ex.finish(run, &ctx, raw, result, fields)
}

fn with_resource(mut d: history::Details, resource_type: &str, resource: &str) -> history::Details {
    if let history::Details::Json(_, v) = &mut d {
        v["resourceType"] = resource_type.into();
        v["resource"] = resource.into();
    }
    d
}

/// TimeoutSeconds (or HeartbeatSeconds) from the literal or the path.
pub(super) fn seconds(value: &Option<Dynamic<u64>>, path: &Option<String>, input: &Value, ctx: &dyn crate::context::ContextSource, field: &str) -> Result<Option<u64>, Failure> {
    if let Some(Dynamic::Value(v)) = value {
        return Ok(Some(*v));
    }
    let Some(p) = path else { return Ok(None) };
    let v = paths::read(p, &roots(input, ctx, None))
        .map_err(|_| Failure::runtime(format!("The {field} parameter does not reference an input value: {p}")))?;
    match v.as_u64() {
        Some(n) if n > 0 => Ok(Some(n)),
        _ => Err(Failure::runtime(format!("The {field} parameter must reference a positive integer: {p} == {v}"))),
    }
}
