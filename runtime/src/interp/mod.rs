//! The interpreter: one loop over a machine's states, one function per
//! state type, shared input/output processing. Parallel branches and Map
//! iterations recurse into [`Execution::run_machine`].

mod flow;
mod map;
mod parallel;
mod recovery;
mod task;

use crate::clock::Clock;
use crate::context;
use crate::error::{names, Failure};
use crate::history::{self, History};
use crate::integration::Integration;
use crate::paths::Roots;
use rand::rngs::StdRng;
use serde_json::{Map as JsonMap, Value};
use sfc_compiler::asl::{State, StateMachine};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;

/// AWS's limit on the size of a state's input or output.
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

pub(crate) type Boxed<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// One execution in progress: its clock, integration, history, context.
pub struct Execution<'e> {
    pub(crate) clock: &'e dyn Clock,
    pub(crate) integration: &'e dyn Integration,
    pub history: History,
    pub(crate) base_context: std::rc::Rc<Value>,
    pub(crate) rng: RefCell<StdRng>,
    /// Whether state events carry their input and output (AWS records them
    /// for STANDARD executions; EXPRESS ones have no such history).
    pub(crate) record_data: bool,
}

/// A line of control (the execution, a branch, an iteration): the event
/// its next event follows. Shared by reference, so futures can hold it.
#[derive(Debug, Default)]
pub struct Thread {
    pub last: std::cell::Cell<u64>,
}

impl Thread {
    pub fn after(id: u64) -> Thread {
        Thread { last: std::cell::Cell::new(id) }
    }
}

/// Where control goes after a state.
pub(crate) enum Flow {
    Next(String, Value),
    End(Value),
}

/// What a state knows about its own run: name, entry, context.
pub(crate) struct StateRun<'a> {
    pub name: &'a str,
    pub entered_id: u64,
    pub entered_time: chrono::DateTime<chrono::Utc>,
    pub map_item: Option<&'a Value>,
}

impl<'e> Execution<'e> {
    pub fn new(clock: &'e dyn Clock, integration: &'e dyn Integration, base_context: std::rc::Rc<Value>, rng: StdRng) -> Self {
        Execution { clock, integration, history: History::default(), base_context, rng: RefCell::new(rng), record_data: true }
    }

    /// Whether state events carry their input and output.
    pub fn with_event_data(mut self, record: bool) -> Self {
        self.record_data = record;
        self
    }

    fn data(&self, v: &Value) -> String {
        if self.record_data { v.to_string() } else { String::new() }
    }

    /// Applies AWS's history limit (STANDARD executions have one).
    pub fn with_event_limit(mut self, limit: Option<usize>) -> Self {
        self.history = History::with_limit(limit);
        self
    }

    /// Appends an event on `thread` and moves the thread to it.
    pub fn event(&self, thread: &Thread, kind: &'static str, details: history::Details) -> u64 {
        let id = self.history.push(thread.last.get(), self.clock.now(), kind, details);
        thread.last.set(id);
        id
    }

    /// Runs a machine, branch or processor from StartAt to its end.
    pub fn run_machine<'a>(
        &'a self,
        machine: &'a StateMachine,
        input: Value,
        thread: &'a Thread,
        map_item: Option<&'a Value>,
    ) -> Boxed<'a, Result<Value, Failure>> {
        Box::pin(async move {
            let mut name = machine.start_at.as_str();
            let mut input = input;
            loop {
                if self.history.overflowed() {
                    return Err(History::overflow_failure());
                }
                let state = machine
                    .states
                    .get_key_value(name)
                    .ok_or_else(|| Failure::runtime(format!("There is no state named '{name}' to transition to")))?;
                match self.run_state(state.0, state.1, input, thread, map_item).await? {
                    Flow::Next(next, output) => {
                        name = machine.states.get_key_value(next.as_str()).map(|(k, _)| k.as_str()).ok_or_else(|| {
                            Failure::runtime(format!("There is no state named '{next}' to transition to"))
                        })?;
                        input = output;
                    }
                    Flow::End(output) => return Ok(output),
                }
            }
        })
    }

    async fn run_state(&self, name: &str, state: &State, input: Value, thread: &Thread, map_item: Option<&Value>) -> Result<Flow, Failure> {
        let kind = state.type_name();
        let entered_time = self.clock.now();
        let (entered_kind, exited_kind) = history::state_event_kinds(kind);
        let entered_id = self.event(thread, entered_kind, history::entered(name, self.data(&input)));
        let run = StateRun { name, entered_id, entered_time, map_item };
        let flow = match state {
            State::Pass(s) => flow::pass(self, &run, s, input),
            State::Wait(s) => flow::wait(self, &run, s, input).await,
            State::Choice(s) => flow::choice(self, &run, s, input),
            State::Succeed(s) => flow::succeed(self, &run, s, input),
            State::Fail(s) => return Err(flow::fail(self, &run, s, &input)),
            State::Task(s) => task::run(self, &run, s, input, thread).await,
            State::Parallel(s) => parallel::run(self, &run, s, input, thread).await,
            State::Map(s) => map::run(self, &run, s, input, thread).await,
        }?;
        let output = match &flow {
            Flow::Next(_, v) | Flow::End(v) => v,
        };
        if crate::size::json_len(output) > MAX_PAYLOAD_BYTES {
            return Err(Failure::new(
                names::DATA_LIMIT_EXCEEDED,
                format!("The state/task '{name}' returned a result with a size exceeding the maximum number of bytes service limit."),
            ));
        }
        self.event(thread, exited_kind, history::exited(name, self.data(output)));
        Ok(flow)
    }

    /// The context object as state `run` sees it.
    pub(crate) fn context<'a>(&'a self, run: &StateRun<'a>, retry_count: u64) -> context::StateContext<'a> {
        context::StateContext::new(&self.base_context, run.name, run.entered_time, retry_count, run.map_item)
    }

    /// Adds AWS's preamble to a runtime error raised by the interpreter
    /// while it processed state `run`.
    pub(crate) fn located(&self, run: &StateRun, f: Failure) -> Failure {
        if f.error != names::RUNTIME {
            return f;
        }
        let prefix = format!("An error occurred while executing the state '{}' (entered at the event id #{}). ", run.name, run.entered_id);
        Failure { error: f.error, cause: Some(prefix + f.cause.as_deref().unwrap_or("")) }
    }
}

/// The result fields of a state that produces a result (Task, Parallel, Map).
pub(crate) struct ResultFields<'a> {
    pub selector: &'a Option<Value>,
    pub path: &'a sfc_compiler::asl::NullablePath,
    pub output_path: &'a sfc_compiler::asl::NullablePath,
}

impl Execution<'_> {
    /// ResultSelector, then ResultPath into the raw input, then OutputPath.
    pub(crate) fn finish(&self, run: &StateRun, ctx: &dyn context::ContextSource, raw: &Value, result: Value, f: ResultFields) -> Result<Value, Failure> {
        let located = |e| self.located(run, e);
        let selected = match f.selector {
            Some(sel) => crate::template::evaluate(sel, &roots(&result, ctx, None), &mut *self.rng.borrow_mut()).map_err(located)?,
            None => result,
        };
        let combined = crate::io::apply_result_path(raw, selected, f.path).map_err(located)?;
        crate::io::select_output(combined, f.output_path, ctx, None).map_err(located)
    }
}

/// Roots for paths evaluated inside a state.
pub(crate) fn roots<'a>(input: &'a Value, context: &'a dyn context::ContextSource, vars: Option<&'a JsonMap<String, Value>>) -> Roots<'a> {
    Roots { input, context, variables: vars }
}

/// Next or End of a state that has them.
pub(crate) fn transition(next: &Option<String>, output: Value) -> Flow {
    match next {
        Some(n) => Flow::Next(n.clone(), output),
        None => Flow::End(output),
    }
}
