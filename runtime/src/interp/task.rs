//! The Task state: parameters in, one integration call, result out.

use super::data::States;
use super::recovery::{with_recovery, Attempt, Recovered};
use super::{transition, Execution, Flow, ResultFields, StateRun, Thread};
use crate::error::Failure;
use crate::history::{self, EventType, Field, ResourceNames, TaskFields};
use crate::integration::TaskRequest;
use crate::paths;
use crate::paths::ContextSource;
use serde_json::Value;
use sfc_asl::resource::{Pattern, Resource};
use sfc_asl::{Dynamic, Task};
use std::rc::Rc;
use std::time::Duration;

pub(super) async fn run<'s>(ex: &Execution<'_>, run: &StateRun<'_>, s: &'s Task, raw: Value, thread: &Thread) -> Result<Flow<'s>, Failure> {
    let raw_ref = &raw;
    // What the resource is does not change between attempts.
    let target = Target::of(&s.resource);
    let target = &target;
    let attempt = |retry: u64| -> Attempt<'_> { Box::pin(async move { Ok(attempt(ex, run, s, target, raw_ref, thread, retry).await?) }) };
    let outcome = with_recovery(ex, run, thread, None, s.retry.as_deref(), s.catch.as_deref(), &raw, &attempt).await?;
    Ok(match outcome {
        Recovered::Done(output) => transition(&s.next, output),
        Recovered::Caught { next, output } => Flow::Caught(next, output),
    })
}

fn fields(s: &Task) -> ResultFields<'_> {
    super::result_fields!(s)
}

/// A Task's resource, taken apart once per state: the kind of events it
/// records, the `resourceType`/`resource` they name, how it answers.
struct Target {
    kind: Kind,
    /// The names of an integration, shared by its events.
    names: Option<Rc<ResourceNames>>,
    /// `.waitForTaskToken`: the call carries a task token.
    wait_for_token: bool,
    /// An activity or a callback: heartbeats apply.
    callback: bool,
}

impl Target {
    fn of(arn: &str) -> Self {
        let resource = Resource::parse(arn);
        let kind = Kind::of(&resource);
        let names = match resource {
            Resource::Integration { service, called, .. } => {
                Some(Rc::new(ResourceNames { resource_type: service.into(), resource: called.into() }))
            }
            _ => None,
        };
        let wait_for_token = resource.pattern() == Pattern::WaitForTaskToken;
        Target { kind, names, wait_for_token, callback: wait_for_token || kind == Kind::Activity }
    }

    /// The details of an integration's event, `None` for a Lambda
    /// function or an activity (whose events name no resource type).
    fn integration(&self, own: TaskFields) -> Option<history::Details> {
        let names = self.names.clone()?;
        Some(history::Details::Task { names, own })
    }

    /// A failure event; an integration's names its resource, as AWS's do.
    fn failed(&self, f: &Failure) -> history::Details {
        self.integration(TaskFields::failed(f)).unwrap_or_else(|| history::failed(f))
    }

    /// The scheduled event's details: an integration's names and
    /// parameters, or a function's or activity's resource and input.
    fn scheduled(&self, ex: &Execution, resource: &str, parameters: &Value, timeout: Option<u64>) -> history::Details {
        self.integration(TaskFields::Scheduled(Box::new((ex.data(parameters), timeout)))).unwrap_or_else(|| {
            let mut fields =
                vec![("resource", Field::json(resource)), ("input", ex.data_text(parameters)), ("inputDetails", Field::NotTruncated)];
            fields.extend(timeout.map(|t| ("timeoutInSeconds", Field::json(t))));
            history::Details::Fields(fields)
        })
    }

    /// A Lambda function's or an activity's output event details.
    fn output(&self, ex: &Execution, output: &Value, submitted: bool) -> history::Details {
        let own = TaskFields::Output { output: ex.data(output), submitted };
        self.integration(own)
            .unwrap_or_else(|| history::Details::Fields(vec![("output", ex.data_text(output)), ("outputDetails", Field::NotTruncated)]))
    }
}

async fn attempt(
    ex: &Execution<'_>,
    run: &StateRun<'_>,
    s: &Task,
    target: &Target,
    raw: &Value,
    thread: &Thread,
    retry: u64,
) -> Result<Value, Failure> {
    let mut ctx = ex.context(run, retry);
    if target.wait_for_token {
        let token = uuid::Builder::from_random_bytes(rand::RngExt::random(&mut *ex.rng.borrow_mut())).into_uuid();
        ctx.task_token = Some(token.to_string());
    }
    let f = fields(s);
    // Timeouts read the effective input (JSONPath) or `$states.input` (JSONata).
    let effective = ex.effective_input(run, &ctx, raw, &s.input_path)?;
    let timeout = seconds(ex, run, &ctx, &s.timeout_seconds, &s.timeout_seconds_path, &effective, "TimeoutSeconds")?;
    // Heartbeats come from activity workers and callback senders only.
    let heartbeat = if target.callback {
        seconds(ex, run, &ctx, &s.heartbeat_seconds, &s.heartbeat_seconds_path, &effective, "HeartbeatSeconds")?
    } else {
        None
    };
    let parameters = ex.prepare(run, &ctx, effective, &f)?;
    let events = target.kind.events();
    ex.event(thread, events.scheduled, || target.scheduled(ex, &s.resource, &parameters, timeout));
    ex.event(thread, events.started, || target.integration(TaskFields::Started).unwrap_or(history::Details::None));
    let submitted = |output: Value| {
        ex.event(thread, EventType::TaskSubmitted, || target.output(ex, &output, true));
    };
    let request = TaskRequest {
        state: run.name(),
        resource: &s.resource,
        parameters,
        context: &ctx,
        submitted: &submitted,
        clock: ex.clock,
        heartbeat,
    };
    let outcome = match call(ex, request, timeout, heartbeat).await {
        Called::TimedOut(f) => {
            ex.event(thread, events.timed_out, || target.failed(&f));
            return Err(f);
        }
        Called::Answered(outcome) => within_payload_limit(outcome, &s.resource),
    };
    let result = match outcome {
        Ok(v) => v,
        Err(f) => {
            // What the service reported is a task failure, whatever its name.
            let f = if f.error == crate::error::names::RUNTIME { f } else { Failure { origin: crate::error::Origin::Service, ..f } };
            ex.event(thread, events.failed, || target.failed(&f));
            return Err(f);
        }
    };
    ex.event(thread, events.succeeded, || target.output(ex, &result, false));
    ex.finish(run, &ctx, raw, result, &f)
}

/// How a call ended: answered, or out of time.
enum Called {
    Answered(Result<Value, Failure>),
    TimedOut(Failure),
}

/// Makes the call within TimeoutSeconds and HeartbeatSeconds. Unless the
/// backend watches heartbeats, none ever arrives (a mock sends none): the
/// task times out after HeartbeatSeconds unless TimeoutSeconds comes first.
async fn call(ex: &Execution<'_>, request: TaskRequest<'_>, timeout: Option<u64>, heartbeat: Option<u64>) -> Called {
    let watched = ex.integration.watches_heartbeats(&request);
    let heartbeat = if watched { None } else { heartbeat };
    let call = ex.integration.invoke(request);
    let limit = match (timeout, heartbeat) {
        (Some(t), Some(h)) if h < t => Some((h, Failure::heartbeat_timeout())),
        (Some(t), _) => Some((t, Failure::task_timeout())),
        (None, Some(h)) => Some((h, Failure::heartbeat_timeout())),
        (None, None) => None,
    };
    match limit {
        Some((t, f)) => match crate::clock::timeout(ex.clock, Duration::from_secs(t), call).await {
            Some(r) => answered(r, watched),
            None => Called::TimedOut(f),
        },
        None => answered(call.await, watched),
    }
}

/// A backend that watches heartbeats ends a call that missed one itself.
fn answered(r: Result<Value, Failure>, watched: bool) -> Called {
    match r {
        Err(f) if watched && f.origin == crate::error::Origin::Heartbeat => Called::TimedOut(f),
        other => Called::Answered(other),
    }
}

/// A result over the payload limit fails the task itself, as AWS records
/// it (a *Failed event States.ALL can catch).
fn within_payload_limit(outcome: Result<Value, Failure>, resource: &str) -> Result<Value, Failure> {
    outcome.and_then(|v| {
        if crate::size::json_len(&v) <= super::MAX_PAYLOAD_BYTES {
            return Ok(v);
        }
        let cause =
            format!("The state/task '{resource}' returned a result with a size exceeding the maximum number of bytes service limit.");
        Err(Failure::new(crate::error::names::DATA_LIMIT_EXCEEDED, cause))
    })
}

/// What a Task resource is, which decides the events AWS records for it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `arn:aws:states:::service:action` — Task* events.
    Integration,
    /// `arn:aws:states:region:account:activity:name` — Activity* events.
    Activity,
    /// Anything else is a Lambda function ARN — LambdaFunction* events.
    Lambda,
}

/// The events of one kind of task.
struct TaskEvents {
    scheduled: EventType,
    started: EventType,
    succeeded: EventType,
    failed: EventType,
    timed_out: EventType,
}

impl Kind {
    fn of(resource: &Resource) -> Kind {
        match resource {
            Resource::Integration { .. } => Kind::Integration,
            Resource::Activity { .. } => Kind::Activity,
            Resource::Lambda { .. } | Resource::Other => Kind::Lambda,
        }
    }

    fn events(self) -> TaskEvents {
        use EventType::*;
        let (scheduled, started, succeeded, failed, timed_out) = match self {
            Kind::Integration => (TaskScheduled, TaskStarted, TaskSucceeded, TaskFailed, TaskTimedOut),
            Kind::Activity => (ActivityScheduled, ActivityStarted, ActivitySucceeded, ActivityFailed, ActivityTimedOut),
            Kind::Lambda => {
                (LambdaFunctionScheduled, LambdaFunctionStarted, LambdaFunctionSucceeded, LambdaFunctionFailed, LambdaFunctionTimedOut)
            }
        };
        TaskEvents { scheduled, started, succeeded, failed, timed_out }
    }
}

/// TimeoutSeconds (or HeartbeatSeconds): a number, a JSONata expression,
/// or the `...Path` field.
fn seconds(
    ex: &Execution,
    run: &StateRun,
    ctx: &dyn ContextSource,
    value: &Option<Dynamic<u64>>,
    path: &Option<String>,
    input: &Value,
    field: &str,
) -> Result<Option<u64>, Failure> {
    match value {
        Some(Dynamic::Value(v)) => return Ok(Some(*v)),
        Some(Dynamic::Expr(e)) => {
            let v = ex.jsonata(run, ctx, &States::input(input), field, &Value::String(e.clone()))?;
            return match v.as_u64() {
                Some(n) if n > 0 => Ok(Some(n)),
                _ => {
                    Err(ex.located(run, crate::jsonata::query_error(format!("The {field} field must be a positive integer, but was {v}"))))
                }
            };
        }
        None => {}
    }
    let Some(p) = path else { return Ok(None) };
    let v = paths::read(p, &ex.roots(run, input, ctx)).map_err(|e| ex.located(run, crate::io::invalid_path(p, e, input)))?;
    match v.as_u64() {
        Some(n) if n > 0 => Ok(Some(n)),
        _ => Err(ex.located(run, Failure::runtime(format!("The {field}Path parameter must reference a positive integer: {p} == {v}")))),
    }
}
