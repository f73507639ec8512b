//! The Task state: parameters in, one integration call, result out.

use super::data::States;
use super::recovery::{with_recovery, Attempt, Recovered};
use super::{transition, Execution, Flow, ResultFields, StateRun, Thread};
use crate::error::Failure;
use crate::history::{self, EventType, Field, ResourceNames, Scheduled, TaskFields};
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

    /// The scheduled event's details: an integration's names, parameters
    /// and limits, or a function's or activity's resource, input and the
    /// limits its event has (a function's no heartbeat, an activity's no
    /// credentials).
    fn scheduled(&self, resource: &str, call: Scheduled) -> history::Details {
        if let Some(names) = &self.names {
            return history::Details::Task { names: names.clone(), own: TaskFields::Scheduled(Box::new(call)) };
        }
        let own = match self.kind {
            Kind::Activity => ["timeoutInSeconds", "heartbeatInSeconds"],
            _ => ["timeoutInSeconds", "taskCredentials"],
        };
        let limits: Vec<_> = call.limits().filter(|(k, _)| own.contains(k)).map(|(k, v)| (k, Field::json(v))).collect();
        let fields = [("resource", Field::json(resource)), ("input", Field::Text(call.parameters)), ("inputDetails", Field::NotTruncated)];
        history::Details::Fields(fields.into_iter().chain(limits).collect())
    }

    /// The started event's details: an integration's names, or the worker
    /// that took an activity task.
    fn started(&self, worker: Option<&str>) -> history::Details {
        self.integration(TaskFields::Started).unwrap_or_else(|| match worker {
            Some(name) => history::Details::Fields(vec![("workerName", Field::json(name))]),
            None => history::Details::None,
        })
    }

    /// A task's output event details (succeeded, or submitted).
    fn output(&self, ex: &Execution, output: &Value) -> history::Details {
        self.integration(TaskFields::Output(ex.data(output)))
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
    let mut ctx = ex.context(run, Some(retry));
    if target.wait_for_token {
        let token = uuid::Builder::from_random_bytes(rand::RngExt::random(&mut *ex.rng.borrow_mut())).into_uuid();
        ctx.task_token = Some(token.to_string());
    }
    let f = fields(s);
    // Timeouts read the effective input (JSONPath) or `$states.input` (JSONata).
    let effective = ex.effective_input(run, &ctx, raw, &s.input_path)?;
    // `$states` for every JSONata field: its input converted once for all.
    let st = States::entered(run, raw);
    let timeout = seconds(ex, run, &ctx, &s.timeout_seconds, &s.timeout_seconds_path, &effective, &st, "TimeoutSeconds")?;
    let heartbeat_seconds = seconds(ex, run, &ctx, &s.heartbeat_seconds, &s.heartbeat_seconds_path, &effective, &st, "HeartbeatSeconds")?;
    // Heartbeats come from activity workers and callback senders only;
    // another task's HeartbeatSeconds is recorded, never missed.
    let heartbeat = heartbeat_seconds.filter(|_| target.callback);
    let role_arn = credentials(ex, run, &ctx, s.credentials.as_ref(), &effective, &st)?;
    let parameters = ex.prepare(run, &ctx, effective, &st, &f)?;
    let events = target.kind.events();
    let submitted = |output: Value| {
        ex.event(thread, EventType::TaskSubmitted, || target.output(ex, &output));
    };
    let started = |worker: Option<&str>| {
        ex.event(thread, events.started, || target.started(worker));
    };
    let request = TaskRequest {
        state: run.name(),
        resource: &s.resource,
        parameters,
        context: &ctx,
        submitted: &submitted,
        started: &started,
        clock: ex.clock,
        heartbeat,
        role_arn: role_arn.as_deref(),
    };
    // A task the backend cannot take fails the execution before it is
    // scheduled (AWS: an activity that does not exist).
    ex.integration.check(&request).map_err(|f| ex.located(run, f))?;
    ex.event(thread, events.scheduled, || {
        let region = ex.base_context.info().region.clone();
        let call = Scheduled {
            parameters: ex.data(&request.parameters),
            region,
            timeout,
            heartbeat: heartbeat_seconds,
            role_arn: role_arn.clone(),
        };
        target.scheduled(&s.resource, call)
    });
    // An activity starts when a worker takes it, if the backend says when.
    if target.kind != Kind::Activity || !ex.integration.reports_workers(&request) {
        started(None);
    }
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
    ex.event(thread, events.succeeded, || target.output(ex, &result));
    ex.finish(run, &ctx, &st, result, &f)
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

/// The role a Task's Credentials name: `RoleArn` of the field evaluated
/// as a payload template (JSONPath) or with its JSONata expressions, from
/// the effective input (JSONPath) or `st` (JSONata).
fn credentials(
    ex: &Execution,
    run: &StateRun,
    ctx: &dyn ContextSource,
    credentials: Option<&Value>,
    input: &Value,
    st: &States,
) -> Result<Option<String>, Failure> {
    let Some(template) = credentials else { return Ok(None) };
    let evaluated = if run.jsonata() {
        ex.jsonata(run, ctx, st, "Credentials", template)?
    } else {
        ex.evaluate_template(run, template, &ex.roots(run, input, ctx))?
    };
    match evaluated.get("RoleArn") {
        Some(Value::String(arn)) => Ok(Some(arn.clone())),
        other => Err(ex.located(
            run,
            Failure::runtime(format!("The Credentials field's RoleArn must be a string, but was {}", other.unwrap_or(&Value::Null))),
        )),
    }
}

/// TimeoutSeconds (or HeartbeatSeconds): a number, a JSONata expression
/// (on `st`), or the `...Path` field (into the effective input).
#[allow(clippy::too_many_arguments)]
fn seconds(
    ex: &Execution,
    run: &StateRun,
    ctx: &dyn ContextSource,
    value: &Option<Dynamic<u64>>,
    path: &Option<String>,
    input: &Value,
    st: &States,
    field: &str,
) -> Result<Option<u64>, Failure> {
    match value {
        Some(Dynamic::Value(v)) => return Ok(Some(*v)),
        Some(Dynamic::Expr(e)) => {
            let v = ex.jsonata(run, ctx, st, field, &Value::String(e.clone()))?;
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
