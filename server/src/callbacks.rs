//! Tasks that wait for someone: `.waitForTaskToken` callbacks and activity
//! tasks, answered by SendTaskSuccess / SendTaskFailure and kept alive by
//! SendTaskHeartbeat; and the backend every execution's Task states go
//! through (mocks first, then callbacks and activities).

use crate::error::{ApiError, ApiResult};
use crate::request::Request;
use crate::store::ActivityTask;
use crate::Server;
use serde_json::{json, Value};
use sfc_asl::resource::{Pattern, Resource};
use sfc_runtime::clock::Clock;
use sfc_runtime::error::{Failure, Origin};
use sfc_runtime::integration::{Integration, TaskFuture, TaskRequest};
use sfc_runtime::mock::MockCase;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::time::Duration;
use tokio::sync::{oneshot, Notify};

/// AWS's limits on what a callback sends.
const MAX_OUTPUT: usize = 256 * 1024;
const MAX_ERROR: usize = 256;
const MAX_CAUSE: usize = 32_768;

/// A task waiting for its token.
struct Waiter {
    execution: String,
    result: oneshot::Sender<Result<Value, Failure>>,
    heartbeat: Rc<Notify>,
}

/// The task tokens handed out: those still waiting, and those that were
/// (so a late answer is TaskTimedOut, not InvalidToken).
#[derive(Default)]
pub struct Tokens {
    waiting: RefCell<HashMap<String, Waiter>>,
    ended: RefCell<HashSet<String>>,
}

/// How many ended tokens are remembered.
const ENDED_KEPT: usize = 100_000;

impl Tokens {
    fn register(&self, token: &str, execution: &str) -> (oneshot::Receiver<Result<Value, Failure>>, Rc<Notify>) {
        let (tx, rx) = oneshot::channel();
        let heartbeat = Rc::new(Notify::new());
        let waiter = Waiter { execution: execution.to_string(), result: tx, heartbeat: heartbeat.clone() };
        self.waiting.borrow_mut().insert(token.to_string(), waiter);
        (rx, heartbeat)
    }

    fn end(&self, token: &str) {
        self.waiting.borrow_mut().remove(token);
        let mut ended = self.ended.borrow_mut();
        if ended.len() >= ENDED_KEPT {
            ended.clear();
        }
        ended.insert(token.to_string());
    }

    fn unknown(&self, token: &str) -> ApiError {
        if self.ended.borrow().contains(token) {
            ApiError::new("TaskTimedOut", format!("Task Timed Out: '{token}'"))
        } else {
            ApiError::new("InvalidToken", format!("Invalid Token: '{token}'"))
        }
    }

    fn complete(&self, token: &str, result: Result<Value, Failure>) -> ApiResult<()> {
        let waiter = self.waiting.borrow_mut().remove(token);
        match waiter {
            Some(w) => {
                self.end(token);
                let _ = w.result.send(result);
                Ok(())
            }
            None => Err(self.unknown(token)),
        }
    }

    fn heartbeat(&self, token: &str) -> ApiResult<()> {
        match self.waiting.borrow().get(token) {
            Some(w) => {
                w.heartbeat.notify_one();
                Ok(())
            }
            None => Err(self.unknown(token)),
        }
    }

    /// Ends every token of an execution that stopped.
    pub fn forget_execution(&self, arn: &str) {
        let tokens: Vec<String> = self.waiting.borrow().iter().filter(|(_, w)| w.execution == arn).map(|(t, _)| t.clone()).collect();
        for t in tokens {
            self.end(&t);
        }
    }
}

pub fn success(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let token = req.string("taskToken")?;
    let output = req.string("output")?;
    if output.len() > MAX_OUTPUT {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to {MAX_OUTPUT}"
        )));
    }
    let value: Value = serde_json::from_str(output).map_err(|e| ApiError::new("InvalidOutput", format!("Invalid Output: '{e}'")))?;
    server.tokens.complete(token, Ok(value))?;
    Ok(json!({}))
}

pub fn failure(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let token = req.string("taskToken")?;
    let error = req.opt_string("error")?.unwrap_or_default();
    let cause = req.opt_string("cause")?;
    if error.len() > MAX_ERROR || cause.is_some_and(|c| c.len() > MAX_CAUSE) {
        return Err(ApiError::validation(format!(
            "1 validation error detected: the error may have at most {MAX_ERROR} characters and the cause {MAX_CAUSE}"
        )));
    }
    let f = Failure { error: error.to_string(), cause: cause.map(str::to_string), origin: Origin::Service };
    server.tokens.complete(token, Err(f))?;
    Ok(json!({}))
}

pub fn heartbeat(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    server.tokens.heartbeat(req.string("taskToken")?)?;
    Ok(json!({}))
}

/// The Task states of one execution: its mock case's states are mocked;
/// callbacks and activities wait for their tokens; anything else has no
/// backend here.
pub struct Backend {
    server: Rc<Server>,
    mocks: Option<Rc<MockCase>>,
    execution: String,
}

impl Backend {
    pub fn new(server: Rc<Server>, mocks: Option<Rc<MockCase>>, execution: String) -> Backend {
        Backend { server, mocks, execution }
    }

    fn mocked(&self, state: &str) -> Option<&MockCase> {
        self.mocks.as_deref().filter(|m| m.mocks(state))
    }

    /// Waits for `token` to be answered, failing with a heartbeat timeout
    /// when none arrives within `heartbeat` seconds (of the server's clock).
    async fn answer(
        &self,
        token: String,
        (mut answer, beat): (oneshot::Receiver<Result<Value, Failure>>, Rc<Notify>),
        heartbeat: Option<u64>,
        clock: &dyn Clock,
    ) -> Result<Value, Failure> {
        // Where every wait is instant no deadline holds (clock::timeout).
        let Some(h) = heartbeat.filter(|_| clock.keeps_order()) else {
            return answer.await.unwrap_or_else(|_| Err(Failure::runtime("the execution stopped")));
        };
        loop {
            tokio::select! {
                r = &mut answer => return r.unwrap_or_else(|_| Err(Failure::runtime("the execution stopped"))),
                _ = beat.notified() => continue,
                _ = clock.sleep(Duration::from_secs(h)) => {
                    self.server.tokens.end(&token);
                    return Err(Failure::heartbeat_timeout());
                }
            }
        }
    }

    /// A `.waitForTaskToken` task: with --aws the call that carries the
    /// token goes out for real (an SQS message, an SNS notification, a
    /// Lambda invocation) once the token is registered, so an answer as
    /// fast as the worker can give is not lost; then the task waits.
    async fn callback(&self, request: TaskRequest<'_>) -> Result<Value, Failure> {
        let token = request.context.query("$.Task.Token").ok().and_then(|t| t.as_str().map(str::to_string));
        let Some(token) = token else {
            return Err(Failure::runtime(format!("Task state '{}' waits for a callback, and has no task token", request.state)));
        };
        let registered = self.server.tokens.register(&token, &self.execution);
        if crate::children::is_local_child(&self.server, &request) {
            let start = request.duplicate();
            if let Err(f) = crate::children::start(&self.server, start, Pattern::RequestResponse).await {
                self.server.tokens.end(&token);
                return Err(f);
            }
            return self.answer(token, registered, request.heartbeat, request.clock).await;
        }
        #[cfg(feature = "aws")]
        if let Some(real) = &self.server.real {
            let send = request.duplicate();
            if let Err(f) = real.send_for_callback(send).await {
                self.server.tokens.end(&token);
                return Err(f);
            }
        }
        self.answer(token, registered, request.heartbeat, request.clock).await
    }

    /// An activity task: queued for GetActivityTask; started when a worker
    /// takes it (its token is registered before, so an answer as fast as
    /// the worker can give is not lost), then answered by the worker.
    async fn activity(&self, request: TaskRequest<'_>) -> Result<Value, Failure> {
        let token = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
        let (taken, worker) = oneshot::channel();
        let task = ActivityTask { token: token.clone(), input: request.parameters.to_string(), taken };
        let queued = {
            let mut store = self.server.store.borrow_mut();
            store.activities.get_mut(request.resource).map(|a| {
                a.queue.push_back(task);
                a.ready.notify_one();
            })
        };
        if queued.is_none() {
            return Err(sfc_runtime::integration::activity_missing(request.resource));
        }
        let registered = self.server.tokens.register(&token, &self.execution);
        // A task deleted with its activity is never taken: it waits on, as
        // for an answer that never comes.
        if let Ok(name) = worker.await {
            (request.started)(name.as_deref());
        } else {
            std::future::pending::<()>().await;
        }
        self.answer(token, registered, request.heartbeat, request.clock).await
    }
}

impl Integration for Backend {
    fn invoke<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a> {
        if let Some(m) = self.mocked(request.state) {
            return m.invoke(request);
        }
        if let Some(root) = &self.server.config.s3_dir {
            let folder = sfc_runtime::s3_folder::S3Folder { root: root.clone() };
            if let Some(outcome) = folder.answer(&request) {
                return Box::pin(std::future::ready(outcome));
            }
        }
        if crate::children::is_local_child(&self.server, &request)
            && Resource::parse(request.resource).pattern() != Pattern::WaitForTaskToken
        {
            let pattern = Resource::parse(request.resource).pattern();
            return Box::pin(crate::children::start(&self.server, request, pattern));
        }
        match Resource::parse(request.resource) {
            Resource::Activity { .. } => Box::pin(self.activity(request)),
            r if r.pattern() == Pattern::WaitForTaskToken => Box::pin(self.callback(request)),
            _ => {
                #[cfg(feature = "aws")]
                if let Some(real) = &self.server.real {
                    return real.invoke(request);
                }
                let f = Failure::runtime(format!(
                    "Task state '{}' calls {}, which has no mock in this test case and no backend in sfc serve; give it a mock (--mocks, <stateMachineArn>#<TestCase>), or serve with --aws",
                    request.state, request.resource
                ));
                Box::pin(async move { Err(f) })
            }
        }
    }

    fn watches_heartbeats(&self, request: &TaskRequest) -> bool {
        self.mocked(request.state).is_none()
    }

    fn reports_workers(&self, request: &TaskRequest) -> bool {
        self.mocked(request.state).is_none()
    }

    /// An activity task needs its activity.
    fn check(&self, request: &TaskRequest) -> Result<(), Failure> {
        let activity = matches!(Resource::parse(request.resource), Resource::Activity { .. });
        if activity && self.mocked(request.state).is_none() && !self.server.store.borrow().activities.contains_key(request.resource) {
            return Err(sfc_runtime::integration::activity_missing(request.resource));
        }
        Ok(())
    }
}
