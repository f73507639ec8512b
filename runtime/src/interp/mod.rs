//! The interpreter: one loop over a machine's states, one function per
//! state type, shared input/output processing. Parallel branches and Map
//! iterations recurse into [`Execution::run_machine`].

mod choice;
mod compiled;
mod data;
mod direct;
mod distributed;
mod map;
mod parallel;
mod pass;
mod processing;
mod recovery;
mod rng;
mod site;
mod table;
mod task;
mod terminal;
mod wait;
mod window;

pub(crate) use compiled::Compiled;
pub use compiled::Prepared;
pub(crate) use processing::{result_fields, ResultFields};
pub(crate) use table::Entry;

use crate::clock::Clock;
use crate::context;
use crate::error::{names, Failure};
use crate::history::{self, History};
use crate::integration::Integration;
use serde_json::{Map as JsonMap, Value};
use sfc_asl::{QueryLanguage, State, StateMachine};
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
    pub history: std::rc::Rc<History>,
    pub(crate) base_context: std::rc::Rc<context::BaseContext<'e>>,
    pub(crate) rng: RefCell<rng::SeededRng>,
    /// Whether state events carry their input and output (AWS records them
    /// for STANDARD executions; EXPRESS ones have no such history).
    pub(crate) record_data: bool,
    /// The base context as a JSONata value, converted once.
    base_jsonata: std::cell::OnceCell<jsonata_core::value::JValue>,
    /// Payload templates and Choice rules compiled on first use: the
    /// execution's own, or a prepared machine's, shared by its executions.
    compiled: std::rc::Rc<Compiled>,
    /// TestState: what a state made of its data at each step, and the
    /// retry count of its one attempt (a failure a retrier would retry
    /// then ends the attempt instead of waiting).
    pub(crate) inspection: Option<Box<Inspection>>,
    /// What a redriven execution's first state keeps from before, taken
    /// by its first attempt (boxed: most executions are not redriven).
    before: RefCell<Option<Box<Before>>>,
    /// Where the parts of the machine it takes are recorded (`sfc test
    /// --coverage`), if anywhere.
    pub(crate) coverage: Option<std::sync::Arc<crate::coverage::Recorder>>,
    /// Where its Map Runs show their progress, if anywhere.
    pub(crate) map_runs: Option<std::rc::Rc<crate::map_runs::MapRunsIn>>,
}

/// What a redriven execution's first state, a Parallel or Map, keeps from
/// before: its branches' or iterations' outputs that succeeded, and for a
/// distributed Map the Map Run it failed in.
#[derive(Default)]
pub(crate) struct Before {
    pub succeeded: std::collections::BTreeMap<usize, Value>,
    pub map_run: Option<String>,
}

/// TestState's settings for the one state it runs, and what it shows of
/// the run (`inspectionData`).
#[derive(Debug, Default)]
pub(crate) struct Inspection {
    pub data: RefCell<JsonMap<String, Value>>,
    pub retry_count: u64,
    /// The mock of a Map or Parallel: it stands for all the iterations or
    /// branches, which do not run.
    pub stand_in: Option<Result<Value, Failure>>,
    /// `mapIterationFailureCount`: how many iterations the stand-in failed.
    pub iteration_failures: Option<u64>,
    /// The items an ItemReader would have read (`mapItemReaderData`).
    pub reader_items: Option<Vec<Value>>,
    /// The context object given whole, instead of the one a run builds.
    pub context: Option<Value>,
    /// The failure a catcher took: TestState reports it beside CAUGHT_ERROR.
    pub caught: RefCell<Option<Failure>>,
}

/// Workflow variables as one scope sees them. Shared until written, so a
/// Map iteration does not copy the outer variables.
pub type Variables = std::rc::Rc<crate::variables::VarMap>;

/// A line of control (the execution, a branch, an iteration): the event
/// its next event follows, and the variables it sees. Shared by
/// reference, so futures can hold it.
#[derive(Debug, Default)]
pub struct Thread {
    pub last: std::cell::Cell<u64>,
    pub vars: RefCell<Variables>,
    /// A Parallel branch: a Task whose failure ends it is recorded as aborted.
    pub branch: bool,
    /// At most how long, as JSON, the value the next state receives is
    /// (`None`: not known). It lets a state whose output is its input plus
    /// a small result skip measuring the whole output against the payload
    /// limit.
    pub input_len: std::cell::Cell<Option<usize>>,
    /// That value converted for JSONata, when a state that had it
    /// converted passed it on as it is: the next state need not convert it
    /// again. With the [`Self::data_version`] it belongs to: once a state
    /// has passed on anything else, it is ignored.
    input_jsonata: RefCell<Option<Box<(u64, jsonata_core::value::JValue)>>>,
    /// How many states on this line of control have passed on something
    /// other than their input as it is.
    data_version: std::cell::Cell<u64>,
}

impl Thread {
    /// A branch or iteration inside `parent`: it reads the outer variables;
    /// what it assigns stays inside it.
    pub fn child_of(parent: &Thread) -> Thread {
        Thread {
            last: std::cell::Cell::new(parent.last.get()),
            vars: RefCell::new(parent.vars.borrow().clone()),
            branch: false,
            input_len: Default::default(),
            input_jsonata: Default::default(),
            data_version: Default::default(),
        }
    }

    /// A Parallel branch inside `parent`.
    pub fn branch_of(parent: &Thread) -> Thread {
        Thread { branch: true, ..Thread::child_of(parent) }
    }

    /// After a state: whether it passed on its input as it is (a
    /// conversion handed on stays good) or something else.
    fn passed_on(&self, input_as_it_is: bool) {
        if !input_as_it_is {
            self.data_version.set(self.data_version.get() + 1);
        }
    }

    /// Hands the conversion of the value passed on to the next state.
    fn hand_on(&self, conversion: Option<jsonata_core::value::JValue>) {
        *self.input_jsonata.borrow_mut() = conversion.map(|c| Box::new((self.data_version.get(), c)));
    }

    /// The conversion handed to the state entered now, if it is of the
    /// value that state receives.
    fn take_handed(&self) -> Option<jsonata_core::value::JValue> {
        match self.input_jsonata.take().map(|handed| *handed) {
            Some((version, c)) if version == self.data_version.get() => Some(c),
            _ => None,
        }
    }

    /// Stores variables a state assigned, in place where nothing else
    /// holds the current ones.
    fn store(&self, assigned: crate::variables::VarMap) {
        std::rc::Rc::make_mut(&mut self.vars.borrow_mut()).extend(assigned);
    }
}

/// What a state's arm gives: its flow, or a future of it.
enum Step<'a, 's> {
    Done(Result<Flow<'s>, Failure>),
    Waiting(Boxed<'a, Result<Flow<'s>, Failure>>),
}

/// Where control goes after a state.
pub(crate) enum Flow<'s> {
    /// By the state's own Next (or a Choice rule's, or its Default).
    Next(&'s str, Value),
    /// By a Catch entry's Next.
    Caught(&'s str, Value),
    End(Value),
}

/// What a state knows about its own run: name, entry, query language,
/// the variables as they were when it was entered, and what it assigns.
pub(crate) struct StateRun<'a> {
    /// What the state table knows of the state: the name as events carry
    /// it, its paths taken apart.
    pub entry: &'a Entry,
    pub entered_id: u64,
    /// The event the state's entry follows.
    pub entered_after: u64,
    /// Its `*StateEntered` event type.
    pub entered_kind: history::EventType,
    pub entered_time: chrono::DateTime<chrono::Utc>,
    pub map_item: Option<&'a context::MapItem>,
    pub lang: QueryLanguage,
    pub vars: Variables,
    /// Variables the state assigns; they take effect when it exits.
    pub assigned: RefCell<crate::variables::VarMap>,
    /// The line of control the state runs on.
    pub thread: &'a Thread,
    /// At most how long its input is as JSON, when known.
    pub input_len: Option<usize>,
    /// At most how long its output is as JSON, when the output was made
    /// from the input and a result ([`crate::size::result_path_bound`]).
    pub output_len: std::cell::Cell<Option<usize>>,
    /// Its input converted for JSONata, once an expression has read it (or
    /// as the state before handed it on).
    pub input_jsonata: std::cell::OnceCell<jsonata_core::value::JValue>,
    /// Whether its output is its input, unchanged.
    pub output_is_input: std::cell::Cell<bool>,
    /// Its output as its JSONata Output made it, when plain data: handed
    /// to the next state as its input's conversion.
    pub output_jsonata: std::cell::Cell<Option<jsonata_core::value::JValue>>,
}

impl<'a> StateRun<'a> {
    /// The state's name.
    pub fn name(&self) -> &'a str {
        &self.entry.name
    }

    pub fn jsonata(&self) -> bool {
        self.lang == QueryLanguage::JSONata
    }
}

impl<'e> Execution<'e> {
    /// An execution recording into `history`, with the compiled parts of
    /// its machine kept in `compiled` (a prepared machine's, shared, or
    /// its own).
    pub(crate) fn new(
        clock: &'e dyn Clock,
        integration: &'e dyn Integration,
        base_context: std::rc::Rc<context::BaseContext<'e>>,
        seed: u64,
        history: std::rc::Rc<History>,
        compiled: std::rc::Rc<Compiled>,
    ) -> Self {
        Execution {
            clock,
            integration,
            history,
            base_context,
            rng: RefCell::new(rng::SeededRng::new(seed)),
            record_data: true,
            base_jsonata: Default::default(),
            compiled,
            inspection: None,
            before: RefCell::default(),
            coverage: None,
            map_runs: None,
        }
    }

    /// Records the parts of the machine it takes into `recorder`.
    pub fn with_coverage(mut self, recorder: Option<std::sync::Arc<crate::coverage::Recorder>>) -> Self {
        self.coverage = recorder;
        self
    }

    /// Shows its Map Runs' progress in `runs`.
    pub fn with_map_runs(mut self, runs: Option<std::sync::Arc<crate::map_runs::MapRuns>>) -> Self {
        self.map_runs = runs.map(|runs| std::rc::Rc::new(crate::map_runs::MapRunsIn { runs, execution: None }));
        self
    }

    /// Records its Map Runs where `parent` records its own, as started by
    /// `child`, a Map Run's child execution (nested distributed Maps).
    fn with_map_runs_of_child(mut self, parent: &Execution, child: String) -> Self {
        self.map_runs =
            parent.map_runs.as_ref().map(|m| std::rc::Rc::new(crate::map_runs::MapRunsIn { runs: m.runs.clone(), execution: Some(child) }));
        self
    }

    /// Goes on from a state that did not finish, with what it keeps from before.
    pub(crate) fn redriven_from(&self, before: Before) {
        *self.before.borrow_mut() = Some(Box::new(before));
    }

    /// The outputs of the branches or iterations that succeeded before,
    /// by index, for the first Parallel or Map that asks (none but a
    /// redriven execution's first state): it runs only the others.
    pub(crate) fn succeeded_before(&self) -> std::collections::BTreeMap<usize, Value> {
        self.before.borrow_mut().as_mut().map(|b| std::mem::take(&mut b.succeeded)).unwrap_or_default()
    }

    /// The Map Run a redriven distributed Map failed in, for the first
    /// Map that asks: it is redriven rather than started anew.
    pub(crate) fn map_run_before(&self) -> Option<String> {
        self.before.borrow_mut().as_mut().and_then(|b| b.map_run.take())
    }

    /// Records a part taken, when coverage is recorded.
    pub(crate) fn took(&self, part: impl FnOnce() -> sfc_asl::parts::Part) {
        if let Some(c) = &self.coverage {
            c.record(part());
        }
    }

    /// Records a step's data for TestState (nothing otherwise).
    #[inline(always)]
    pub(crate) fn inspect(&self, key: &str, value: impl FnOnce() -> Value) {
        if let Some(i) = &self.inspection {
            i.data.borrow_mut().insert(key.to_string(), value());
        }
    }

    /// Whether state events carry their input and output.
    pub fn with_event_data(mut self, record: bool) -> Self {
        self.record_data = record;
        self
    }

    fn data(&self, v: &Value) -> String {
        if self.record_data {
            v.to_string()
        } else {
            String::new()
        }
    }

    /// A payload as the JSON text an event field carries (empty when the
    /// execution records no data).
    pub(crate) fn data_text(&self, v: &Value) -> crate::history::Field {
        crate::history::Field::Text(self.data(v))
    }

    /// Appends an event on `thread` and moves the thread to it. Its
    /// details are made only when the history keeps its events.
    pub fn event(&self, thread: &Thread, kind: history::EventType, details: impl FnOnce() -> history::Details) -> u64 {
        let id = self.side_event(thread, kind, details);
        thread.last.set(id);
        id
    }

    /// An event that closes something (TaskStateAborted, a Map iteration's
    /// end): it follows the thread's last event, and that event stays the
    /// one the next event follows, as AWS links them.
    pub fn side_event(&self, thread: &Thread, kind: history::EventType, details: impl FnOnce() -> history::Details) -> u64 {
        self.history.push_with(thread.last.get(), kind, || (self.clock.now(), details()))
    }

    /// Runs a machine, branch or processor from StartAt to its end; `lang`
    /// is the query language its states use unless they say otherwise.
    pub fn run_machine<'a>(
        &'a self,
        machine: &'a StateMachine,
        lang: QueryLanguage,
        input: Value,
        thread: &'a Thread,
        map_item: Option<&'a context::MapItem>,
    ) -> Boxed<'a, Result<Value, Failure>> {
        let lang = machine.query_language.unwrap_or(lang);
        Box::pin(async move {
            let table = self.compiled.tables.get(machine, table::Table::new);
            let mut at = table.start(machine)?;
            let mut input = input;
            let unobserved = self.unobserved();
            loop {
                if let Some(stop) = self.history.stopped() {
                    return Err(stop.failure());
                }
                // On a shared executor (sfc serve) other requests get their
                // turn. Not in virtual time, where nothing else runs: a
                // Map's iteration that yields would let the Map start the
                // rest of its items at once.
                if self.history.checkpoint_due() && !self.clock.runs_alone() {
                    crate::clock::yield_once().await;
                }
                let Some((name, state)) = machine.states.get_index(at) else {
                    return Err(Failure::runtime(format!("There is no state at position {at}")));
                };
                let entry = &table.entries[at];
                if let (true, Some(direct)) = (unobserved, &entry.direct) {
                    if state.query_language().unwrap_or(lang) == QueryLanguage::JSONPath {
                        match self.run_directly(entry, direct, state, &mut input, thread, map_item)? {
                            Some(next) => {
                                at = next;
                                continue;
                            }
                            None => return Ok(input),
                        }
                    }
                }
                // As run_state, inline: a state that waits on nothing
                // then runs without a future of its own.
                let run = self.enter(entry, state, lang, &input, thread, map_item);
                let flow = match self.dispatch(state, &run, input) {
                    Step::Done(flow) => flow,
                    Step::Waiting(flow) => flow.await,
                }?;
                self.leave(state, run, &flow)?;
                if matches!(flow, Flow::Next(..) | Flow::End(_)) && sfc_asl::parts::goes_on(state) {
                    self.took(|| sfc_asl::parts::Part::Next(name.clone()));
                }
                match flow {
                    Flow::Next(next, output) | Flow::Caught(next, output) => {
                        at = table.target(machine, at, next)?;
                        input = output;
                    }
                    Flow::End(output) => return Ok(output),
                }
            }
        })
    }

    /// Runs one state: its entered event, its type's arm, its exited
    /// event (TestState runs one state alone with this).
    pub(crate) async fn run_state<'s>(
        &self,
        entry: &Entry,
        state: &'s State,
        lang: QueryLanguage,
        input: Value,
        thread: &Thread,
        map_item: Option<&context::MapItem>,
    ) -> Result<Flow<'s>, Failure> {
        let run = self.enter(entry, state, lang, &input, thread, map_item);
        let flow = match self.dispatch(state, &run, input) {
            Step::Done(flow) => flow,
            Step::Waiting(flow) => flow.await,
        }?;
        self.leave(state, run, &flow)?;
        Ok(flow)
    }

    /// A state entered: its entered event, and what it knows of its run.
    fn enter<'a>(
        &self,
        entry: &'a Entry,
        state: &State,
        lang: QueryLanguage,
        input: &Value,
        thread: &'a Thread,
        map_item: Option<&'a context::MapItem>,
    ) -> StateRun<'a> {
        let entered_time = self.clock.now();
        self.took(|| sfc_asl::parts::Part::State(entry.name.to_string()));
        let (entered_kind, _) = history::state_event_kinds(state);
        let entered_after = thread.last.get();
        let entered_id = self.event(thread, entered_kind, || history::entered(entry.name.clone(), self.data(input)));
        let lang = state.query_language().unwrap_or(lang);
        let vars = thread.vars.borrow().clone();
        StateRun {
            entry,
            entered_id,
            entered_after,
            entered_kind,
            entered_time,
            map_item,
            lang,
            vars,
            assigned: RefCell::default(),
            thread,
            input_len: thread.input_len.take(),
            output_len: Default::default(),
            input_jsonata: thread.take_handed().map(std::cell::OnceCell::from).unwrap_or_default(),
            output_is_input: Default::default(),
            output_jsonata: Default::default(),
        }
    }

    /// One arm per state type: the states that wait on nothing give their
    /// flow at once, the others a boxed future of it, so no state pays
    /// for the futures of another type.
    fn dispatch<'a, 's: 'a>(&'a self, state: &'s State, run: &'a StateRun<'a>, input: Value) -> Step<'a, 's> {
        match state {
            State::Pass(s) => Step::Done(pass::pass(self, run, s, input)),
            State::Choice(s) => Step::Done(choice::choice(self, run, s, input)),
            State::Succeed(s) => Step::Done(terminal::succeed(self, run, s, input)),
            State::Fail(s) => Step::Done(Err(terminal::fail(self, run, s, &input))),
            State::Wait(s) => Step::Waiting(Box::pin(wait::wait(self, run, s, input))),
            State::Task(s) => Step::Waiting(Box::pin(async move {
                let r = task::run(self, run, s, input, run.thread).await;
                // AWS records a Task whose failure ends a Parallel branch as aborted.
                if r.is_err() && run.thread.branch {
                    self.side_event(run.thread, history::EventType::TaskStateAborted, || history::Details::None);
                }
                r
            })),
            State::Parallel(s) => Step::Waiting(Box::pin(parallel::run(self, run, s, input, run.thread))),
            State::Map(s) => Step::Waiting(Box::pin(map::run(self, run, s, input, run.thread))),
        }
    }

    /// After a state: its output within the payload limit, its assigned
    /// variables in the thread's scope, its exit event. It takes the run,
    /// whose copy of the variables goes before the new ones are stored:
    /// the thread's are then no longer shared, and take them in place.
    fn leave(&self, state: &State, mut run: StateRun, flow: &Flow) -> Result<(), Failure> {
        self.history.check_deadline();
        let output = match flow {
            Flow::Next(_, v) | Flow::Caught(_, v) | Flow::End(v) => v,
        };
        // A JSONPath Choice, Wait or Succeed outputs a part of its input,
        // which was checked when the state before produced it.
        let selects_from_input = !run.jsonata() && matches!(state, State::Choice(_) | State::Wait(_) | State::Succeed(_));
        let len = if selects_from_input {
            run.input_len
        } else {
            // A caught error's output was not made the way the bound was.
            let bound = run.output_len.get().filter(|_| !matches!(flow, Flow::Caught(..)));
            Some(checked_len(run.name(), output, bound)?)
        };
        run.thread.input_len.set(len);
        let passes_input_on =
            (run.output_is_input.get() || (!run.jsonata() && run.entry.passes_input_on)) && !matches!(flow, Flow::Caught(..));
        run.thread.passed_on(passes_input_on);
        // The next state's input as JSONata sees it, where this state had
        // it: its own input passed on, or what its Output (or its
        // Catcher's) made.
        let conversion = match passes_input_on {
            true => run.input_jsonata.take(),
            false => run.output_jsonata.take(),
        };
        run.thread.hand_on(conversion);
        let assigned = run.assigned.take();
        let details = || {
            if assigned.is_empty() || !self.record_data {
                history::exited(run.entry.name.clone(), self.data(output))
            } else {
                let texts = assigned.iter().map(|(k, v)| (k.clone(), v.json().to_string())).collect();
                history::exited_assigning(run.entry.name.clone(), self.data(output), texts)
            }
        };
        let (_, exited_kind) = history::state_event_kinds(state);
        self.event(run.thread, exited_kind, details);
        if !assigned.is_empty() {
            let thread = run.thread;
            drop(run);
            thread.store(assigned);
        }
        Ok(())
    }

    /// Evaluates a payload template of the machine (Parameters,
    /// ResultSelector, ItemSelector, Assign) in state `run`.
    pub(crate) fn evaluate_template(&self, run: &StateRun, template: &Value, roots: &crate::paths::Roots) -> Result<Value, Failure> {
        self.evaluate_compiled(template, roots).map_err(|e| self.located(run, e))
    }

    /// A template compiled once (for a prepared machine, once for all of
    /// its executions), evaluated on `roots`.
    fn evaluate_compiled(&self, template: &Value, roots: &crate::paths::Roots) -> Result<Value, Failure> {
        let compiled = self.compiled.templates.get(template, crate::template::Compiled::new);
        compiled.evaluate(roots, &mut *self.rng.borrow_mut())
    }

    /// The Choice rules `rules` compiled (once per execution).
    pub(crate) fn choice_rules(&self, rules: &[sfc_asl::ChoiceRule]) -> std::rc::Rc<crate::choice::Compiled> {
        self.compiled.choices.get(rules, crate::choice::Compiled::new)
    }

    /// The base context (`Execution`, `StateMachine`) as a JSONata value.
    pub(crate) fn base_jsonata(&self) -> &jsonata_core::value::JValue {
        self.base_jsonata.get_or_init(|| crate::jsonata::converted(self.base_context.get()))
    }

    /// The context object as state `run` sees it; `retry_count` is `None`
    /// for a state that cannot retry.
    pub(crate) fn context<'a>(&'a self, run: &StateRun<'a>, retry_count: Option<u64>) -> context::StateContext<'a> {
        let ctx = context::StateContext::new(&self.base_context, run.name(), run.entered_time, retry_count, run.map_item);
        match self.inspection.as_ref().and_then(|i| i.context.as_ref()) {
            Some(given) => ctx.given(given),
            None => ctx,
        }
    }

    /// TestState's mock of the Map or Parallel being tested, if any.
    pub(crate) fn stand_in(&self) -> Option<Result<Value, Failure>> {
        self.inspection.as_ref().and_then(|i| i.stand_in.clone())
    }

    /// Adds AWS's preamble to a runtime error raised by the interpreter
    /// while it processed state `run`.
    pub(crate) fn located(&self, run: &StateRun, f: Failure) -> Failure {
        site::located(run.name(), run.entered_id, f)
    }
}

/// How long state `name`'s output is as JSON, which must be within the
/// payload limit: `bound` when it is known to be at most that and under
/// the limit, which needs no measuring.
#[inline]
pub(crate) fn checked_len(name: &str, output: &Value, bound: Option<usize>) -> Result<usize, Failure> {
    let len = bound.filter(|&b| b <= MAX_PAYLOAD_BYTES).unwrap_or_else(|| crate::size::json_len(output));
    if len > MAX_PAYLOAD_BYTES {
        return Err(Failure::new(
            names::DATA_LIMIT_EXCEEDED,
            format!("The state/task '{name}' returned a result with a size exceeding the maximum number of bytes service limit."),
        ));
    }
    Ok(len)
}

/// Next or End of a state that has them.
pub(crate) fn transition(next: &Option<String>, output: Value) -> Flow<'_> {
    match next {
        Some(n) => Flow::Next(n, output),
        None => Flow::End(output),
    }
}
