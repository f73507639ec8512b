//! TestState: one state run once on a given input, with a mocked result
//! or error for a Task, and what it made of its data at each step.
//!
//! ```
//! use sfc_runtime::teststate::{test_state, Mock, Status, Test};
//! let state: sfc_asl::State = serde_json::from_str(
//!     r#"{"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}, "Next": "After"}"#).unwrap();
//! let t = Test { input: serde_json::json!({"n": 21}), ..Test::new("Double", state) };
//! let r = test_state(&t);
//! assert_eq!((r.status, r.next_state.as_deref()), (Status::Succeeded, Some("After")));
//! assert_eq!(r.output, Some(serde_json::json!({"doubled": 42})));
//! assert_eq!(r.inspection["afterParameters"], r#"{"doubled":42}"#);
//! ```

mod checks;

pub use checks::{check, Refusal};

use crate::clock::VirtualClock;
use crate::context::{BaseContext, ExecutionInfo};
use crate::error::Failure;
use crate::integration::{Integration, TaskFuture, TaskRequest};
use crate::interp::{Execution, Flow, Inspection, Thread};
use serde_json::{Map, Value};
use sfc_asl::{QueryLanguage, State};
use std::rc::Rc;

/// What the state's Task returns instead of calling a service.
#[derive(Debug, Clone)]
pub enum Mock {
    Result(Value),
    Error(Failure),
}

/// One test.
#[derive(Debug, Clone)]
pub struct Test {
    pub name: String,
    pub state: State,
    /// The machine's query language (the state's own wins).
    pub lang: QueryLanguage,
    pub input: Value,
    pub variables: Map<String, Value>,
    pub mock: Option<Mock>,
    /// Retries made so far by the retrier that matches a failure.
    pub retry_count: u64,
    pub info: ExecutionInfo,
    /// The whole context object (`$$`), given instead of built.
    pub context: Option<Value>,
    /// How many iterations of a mocked Map failed.
    pub iteration_failures: Option<u64>,
    /// The state inside a Map or Parallel a mocked error comes from.
    pub error_caused_by: Option<String>,
    /// What a Map's ItemReader reads, as the object's text.
    pub reader_data: Option<String>,
}

impl Test {
    pub fn new(name: &str, state: State) -> Test {
        Test {
            name: name.to_string(),
            state,
            lang: QueryLanguage::JSONPath,
            input: Value::Object(Map::new()),
            variables: Map::new(),
            mock: None,
            retry_count: 0,
            info: ExecutionInfo::default(),
            context: None,
            iteration_failures: None,
            error_caused_by: None,
            reader_data: None,
        }
    }
}

/// How the state ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Succeeded,
    Failed,
    /// It failed, and its retrier would try it again.
    Retriable,
    /// It failed, and a catcher took the error.
    CaughtError,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::Retriable => "RETRIABLE",
            Status::CaughtError => "CAUGHT_ERROR",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Tested {
    pub status: Status,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub next_state: Option<String>,
    /// `inspectionData`: input, afterInputPath, afterParameters (or
    /// afterArguments), result, afterResultSelector, afterResultPath,
    /// variables, errorDetails, as JSON texts where AWS gives texts.
    pub inspection: Map<String, Value>,
}

/// Answers a Task with the test's mock, and says so when there is none.
struct Mocked<'a>(&'a Option<Mock>);

impl Integration for Mocked<'_> {
    fn invoke<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a> {
        let outcome = match self.0 {
            Some(Mock::Result(v)) => Ok(v.clone()),
            Some(Mock::Error(f)) => Err(f.clone()),
            None => Err(Failure::runtime(format!(
                "Task state '{}' calls {}; give TestState a mock result or error",
                request.state, request.resource
            ))),
        };
        Box::pin(async move { outcome })
    }
}

/// The Map's or Parallel's stand-in for its iterations or branches.
fn stand_in(t: &Test) -> Option<Result<Value, Failure>> {
    if !matches!(t.state, State::Map(_) | State::Parallel(_)) {
        return None;
    }
    match t.mock.as_ref()? {
        Mock::Result(v) => Some(Ok(v.clone())),
        Mock::Error(f) => Some(Err(f.clone())),
    }
}

/// The items `mapItemReaderData` holds, read as the Map's ItemReader says.
fn reader_items(t: &Test) -> Result<Option<Vec<Value>>, Failure> {
    let (State::Map(m), Some(data)) = (&t.state, &t.reader_data) else { return Ok(None) };
    let config = m.item_reader.as_ref().and_then(|r| r.reader_config.as_ref());
    crate::item_reader::items(data, config)
        .map(Some)
        .map_err(|why| Failure::runtime(format!("stateConfiguration.mapItemReaderData cannot be read: {why}")))
}

/// Runs the test's state once, in virtual time (a Wait does not wait).
/// The caller has [`check`]ed the test.
pub fn test_state(t: &Test) -> Tested {
    let clock = VirtualClock::starting_at(chrono::Utc::now());
    let integration = Mocked(&t.mock);
    let base = Rc::new(BaseContext::new(&t.info, Some(t.input.clone()), crate::clock::Clock::now(&clock)));
    let mut ex = Execution::new(&clock, &integration, base, 0, Rc::default(), Rc::default());
    let reader_items = reader_items(t);
    ex.inspection = Some(Box::new(Inspection {
        retry_count: t.retry_count,
        stand_in: stand_in(t),
        iteration_failures: t.iteration_failures,
        reader_items: reader_items.as_ref().ok().cloned().flatten(),
        context: t.context.clone(),
        ..Inspection::default()
    }));
    ex.inspect("input", || t.input.to_string().into());
    let thread = Thread::default();
    *thread.vars.borrow_mut() = Rc::new(crate::variables::from_json(t.variables.clone()));
    let ran = match reader_items {
        Err(f) => Some(Err(f)),
        Ok(_) => clock.block_on(ex.run_state(
            &crate::interp::Entry::new(&t.name, &t.state, None),
            &t.state,
            t.lang,
            t.input.clone(),
            &thread,
            None,
        )),
    };
    let ran = ran.unwrap_or_else(|| Err(Failure::runtime("the state waited for something that never came")));
    let caught = ex.inspection.as_ref().and_then(|i| i.caught.take());
    let mut inspection = ex.inspection.take().map(|i| i.data.into_inner()).unwrap_or_default();
    inspection.insert("variables".into(), crate::variables::to_json(&thread.vars.borrow()).to_string().into());
    let retriable = inspection.get("errorDetails").is_some_and(|d| d.get("retryIndex").is_some());
    let (status, output, failure, next_state) = match ran {
        Ok(Flow::Next(next, out)) => (Status::Succeeded, Some(out), None, Some(next.to_string())),
        Ok(Flow::Caught(next, out)) => (Status::CaughtError, Some(out), caught, Some(next.to_string())),
        Ok(Flow::End(out)) => (Status::Succeeded, Some(out), None, None),
        Err(f) => (if retriable { Status::Retriable } else { Status::Failed }, None, Some(f), None),
    };
    let (error, cause) = match failure {
        Some(f) => ((!f.error.is_empty()).then_some(f.error), f.cause.filter(|c| !c.is_empty())),
        None => (None, None),
    };
    Tested { status, output, error, cause, next_state, inspection }
}
