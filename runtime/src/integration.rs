//! The one interface every Task goes through. The interpreter never knows
//! whether a call is answered by a mock, a real AWS service or a test
//! double.

use crate::error::Failure;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;

/// One Task invocation.
pub struct TaskRequest<'a> {
    /// The Task state's name.
    pub state: &'a str,
    /// Its Resource ARN.
    pub resource: &'a str,
    /// The effective parameters (after InputPath and Parameters).
    /// Lent when they are the state's own constant Parameters.
    pub parameters: std::borrow::Cow<'a, Value>,
    /// The context object as the state sees it.
    pub context: &'a dyn crate::paths::ContextSource,
    /// A `.sync` integration reports here what the submit call returned
    /// (the job id, ...) before it waits for the job; the interpreter
    /// records it as a `TaskSubmitted` event, as AWS does.
    pub submitted: &'a dyn Fn(Value),
    /// A backend that [reports workers](Integration::reports_workers) says
    /// here which worker took an activity task (GetActivityTask's
    /// workerName, if it gave one); the interpreter records the
    /// `ActivityStarted` event then, as AWS does.
    pub started: &'a dyn Fn(Option<&str>),
    /// The run's clock: `.sync` polling waits on it.
    pub clock: &'a dyn crate::clock::Clock,
    /// HeartbeatSeconds of a task that waits for a callback or an activity
    /// worker, for a backend that [watches heartbeats](Integration::watches_heartbeats).
    pub heartbeat: Option<u64>,
    /// The role the Task's Credentials name (`RoleArn`, evaluated): a real
    /// call is made as that role, as Step Functions assumes it.
    pub role_arn: Option<&'a str>,
}

impl<'a> TaskRequest<'a> {
    /// The same request, its parameters copied: for a backend that makes a
    /// call first (the message carrying a task token) and then waits.
    pub fn duplicate(&self) -> TaskRequest<'a> {
        TaskRequest {
            state: self.state,
            resource: self.resource,
            parameters: std::borrow::Cow::Owned(self.parameters.clone().into_owned()),
            context: self.context,
            submitted: self.submitted,
            started: self.started,
            clock: self.clock,
            heartbeat: self.heartbeat,
            role_arn: self.role_arn,
        }
    }

    /// True for `.sync` integrations (`...:submitJob.sync`, `...:startExecution.sync:2`).
    pub fn is_sync(&self) -> bool {
        sfc_asl::resource::Resource::parse(self.resource).pattern().is_sync()
    }
}

pub type TaskFuture<'a> = Pin<Box<dyn Future<Output = Result<Value, Failure>> + 'a>>;

pub trait Integration {
    /// Runs the task; the result is the task's raw output, before
    /// ResultSelector, ResultPath and OutputPath.
    fn invoke<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a>;

    /// True for a backend to which heartbeats can arrive (the API server's
    /// SendTaskHeartbeat): it ends a call that misses one with
    /// `States.HeartbeatTimeout` itself. Otherwise none ever comes, and the
    /// interpreter times the task out after HeartbeatSeconds.
    fn watches_heartbeats(&self, _request: &TaskRequest) -> bool {
        false
    }

    /// Whether the backend can take the task at all, asked before it is
    /// scheduled: a failure (an activity that does not exist, see
    /// [`activity_missing`]) fails the execution with no task event, as
    /// AWS does.
    fn check(&self, _request: &TaskRequest) -> Result<(), Failure> {
        Ok(())
    }

    /// True for a backend that says when a worker takes an activity task
    /// (through [`TaskRequest::started`]). Otherwise the interpreter
    /// records the task started as soon as it is scheduled.
    fn reports_workers(&self, _request: &TaskRequest) -> bool {
        false
    }
}

/// AWS's failure for a Task whose activity does not exist (States.Runtime:
/// no retrier or catcher takes it).
pub fn activity_missing(arn: &str) -> Failure {
    Failure::runtime(format!("The activity {arn} does not exist."))
}

/// For runs with no backend: every Task fails, naming the state and the
/// resource, so the user knows what to mock.
pub struct Unavailable;

impl Integration for Unavailable {
    fn invoke<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a> {
        let f = Failure::runtime(format!(
            "Task state '{}' calls {}, which has no mock and no real backend in this run; give it a mock",
            request.state, request.resource
        ));
        Box::pin(async move { Err(f) })
    }
}

/// A test double: per state, a queue of outcomes, consumed one per call.
#[derive(Default)]
pub struct Scripted {
    outcomes: RefCell<HashMap<String, VecDeque<Result<Value, Failure>>>>,
    calls: RefCell<Vec<(String, Value)>>,
}

impl Scripted {
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues the outcome of the next call to `state`.
    pub fn then(self, state: &str, outcome: Result<Value, Failure>) -> Self {
        self.outcomes.borrow_mut().entry(state.to_string()).or_default().push_back(outcome);
        self
    }

    /// Every call made so far: state name and parameters.
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.calls.borrow().clone()
    }
}

impl Integration for Scripted {
    fn invoke<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a> {
        self.calls.borrow_mut().push((request.state.to_string(), request.parameters.into_owned()));
        let next = self.outcomes.borrow_mut().get_mut(request.state).and_then(VecDeque::pop_front);
        let outcome = next.unwrap_or_else(|| Err(Failure::runtime(format!("no scripted outcome left for state '{}'", request.state))));
        Box::pin(async move { outcome })
    }
}
