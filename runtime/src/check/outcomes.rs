//! What each Task call can do in `sfc check`, and the integration that
//! answers each call with the outcome a path chooses.
//!
//! A task can succeed (with each value the mock file gives it, or a value
//! of its integration's result shape), fail with each error its Retry and
//! Catch entries name, with the errors its mocks throw and with
//! States.TaskFailed, or hang: never answer, so that its TimeoutSeconds,
//! HeartbeatSeconds or the machine's TimeoutSeconds ends it, whichever
//! comes first (offered only where one of them is set).

use crate::error::{Failure, Origin};
use crate::integration::{Integration, TaskFuture, TaskRequest};
use crate::mock::{MockConfig, Response};
use rand::RngExt;
use serde_json::{Map, Value};
use sfc_asl::{State, StateMachine};
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Duration;

/// One thing a task call can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Succeeds(Value),
    Fails(Failure),
    /// Never answers: a timeout ends it.
    Hangs,
}

impl Outcome {
    /// As a counterexample shows it.
    pub fn describe(&self) -> String {
        match self {
            Outcome::Succeeds(v) => {
                let text = v.to_string();
                match text.char_indices().nth(60) {
                    Some((at, _)) => format!("succeeds with {}…", &text[..at]),
                    None => format!("succeeds with {text}"),
                }
            }
            Outcome::Fails(f) => format!("fails with {}", f.error),
            Outcome::Hangs => "never answers (times out)".to_string(),
        }
    }
}

/// Every Task state's outcomes, successes first.
#[derive(Debug, Clone, Default)]
pub struct Outcomes {
    by_state: HashMap<String, Vec<Outcome>>,
}

/// The cause of an error sfc check makes up.
pub const INJECTED: &str = "injected by sfc check";

impl Outcomes {
    /// The outcomes of every Task of `machine`; `mocks` (with the machine's
    /// name in it) gives the values and errors its cases give. Unless
    /// `every_error`, errors the state's Retry and Catch entries treat
    /// alike (the same first retrier, the same first catcher) are one
    /// outcome, the first of them: they differ only in the error's name.
    pub fn of(machine: &StateMachine, mocks: Option<(&MockConfig, &str)>, every_error: bool) -> Outcomes {
        let mut by_state = HashMap::new();
        for (name, state) in machine.all_states() {
            let State::Task(task) = state else { continue };
            let mocked = mocks.map(|(m, machine)| m.responses_for(machine, name)).unwrap_or_default();
            let mut successes: Vec<Outcome> =
                mocked.iter().filter_map(|r| if let Response::Return(v) = r { Some(Outcome::Succeeds(v.clone())) } else { None }).collect();
            if successes.is_empty() {
                successes.push(Outcome::Succeeds(result_shape(&task.resource)));
            }
            let mut errors: Vec<Failure> = Vec::new();
            let mut add = |f: Failure| {
                if !errors.iter().any(|e| e.error == f.error) {
                    errors.push(f);
                }
            };
            mocked.into_iter().filter_map(|r| if let Response::Throw(f) = r { Some(f) } else { None }).for_each(&mut add);
            let named = state.retriers().iter().map(|r| &r.error_equals).chain(state.catchers().iter().map(|c| &c.error_equals));
            for name in named.flatten() {
                // Timeouts come from hanging; States.ALL is no error's name.
                if !matches!(name.as_str(), "States.ALL" | "States.Timeout" | "States.HeartbeatTimeout") {
                    add(injected(name));
                }
            }
            add(injected("States.TaskFailed"));
            if !every_error {
                let treatment = |f: &Failure| {
                    let retrier = state.retriers().iter().position(|r| f.matches(&r.error_equals));
                    let catcher = state.catchers().iter().position(|c| f.matches(&c.error_equals));
                    (retrier, catcher)
                };
                let mut seen = Vec::new();
                errors.retain(|f| {
                    let t = treatment(f);
                    let first = !seen.contains(&t);
                    seen.push(t);
                    first
                });
            }
            let times_out = task.timeout_seconds.is_some()
                || task.timeout_seconds_path.is_some()
                || task.heartbeat_seconds.is_some()
                || task.heartbeat_seconds_path.is_some()
                || machine.timeout_seconds.is_some();
            let mut all = successes;
            all.extend(errors.into_iter().map(Outcome::Fails));
            if times_out {
                all.push(Outcome::Hangs);
            }
            by_state.insert(name.to_string(), all);
        }
        Outcomes { by_state }
    }

    pub fn of_state(&self, state: &str) -> &[Outcome] {
        self.by_state.get(state).map(Vec::as_slice).unwrap_or(&[])
    }

    /// How many Task states there are.
    pub fn tasks(&self) -> usize {
        self.by_state.len()
    }
}

fn injected(error: &str) -> Failure {
    Failure { error: error.to_string(), cause: Some(INJECTED.to_string()), origin: Origin::Interpreter }
}

/// A value of the shape a resource's result has: its integration's
/// result members (each a text naming it), or an empty object.
fn result_shape(resource: &str) -> Value {
    let parsed = sfc_asl::resource::Resource::parse(resource);
    let members = parsed.integration().and_then(|(service, action)| sfc_asl::integrations::find(service, action)).map(|i| i.output);
    let object: Map<String, Value> =
        members.unwrap_or(&[]).iter().map(|m| (m.to_string(), Value::String(format!("sfc-check-{m}")))).collect();
    Value::Object(object)
}

/// One choice made on a path: which outcome a call to `state` had, of how many.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub state: String,
    pub option: usize,
    pub of: usize,
    pub outcome: Outcome,
}

/// How a path picks outcomes past its script.
pub enum Beyond {
    /// The first outcome (a success): depth-first exploration.
    First,
    /// At random: successes half the time, so random paths run deep.
    Random(Box<RefCell<rand::rngs::StdRng>>),
}

/// The integration of one path: call k gets the outcome `script[k]`
/// chooses, later calls what `beyond` picks; it remembers every choice.
pub struct Chooser<'a> {
    pub outcomes: &'a Outcomes,
    pub script: &'a [usize],
    pub beyond: Beyond,
    pub made: RefCell<Vec<Choice>>,
}

impl Chooser<'_> {
    fn pick(&self, k: usize, options: &[Outcome]) -> usize {
        if let Some(&i) = self.script.get(k) {
            return i.min(options.len() - 1);
        }
        match &self.beyond {
            Beyond::First => 0,
            Beyond::Random(rng) => {
                let rng = &mut *rng.borrow_mut();
                let successes = options.iter().take_while(|o| matches!(o, Outcome::Succeeds(_))).count();
                if rng.random_bool(0.5) {
                    rng.random_range(0..successes.max(1))
                } else {
                    rng.random_range(0..options.len())
                }
            }
        }
    }
}

impl Integration for Chooser<'_> {
    fn invoke<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a> {
        let options = self.outcomes.of_state(request.state);
        if options.is_empty() {
            let f = Failure::runtime(format!("sfc check has no outcomes for Task state '{}'", request.state));
            return Box::pin(async move { Err(f) });
        }
        let mut made = self.made.borrow_mut();
        let option = self.pick(made.len(), options);
        let outcome = options[option].clone();
        made.push(Choice { state: request.state.to_string(), option, of: options.len(), outcome: outcome.clone() });
        drop(made);
        let clock = request.clock;
        Box::pin(async move {
            match outcome {
                Outcome::Succeeds(v) => {
                    if request.is_sync() {
                        (request.submitted)(v.clone());
                    }
                    Ok(v)
                }
                Outcome::Fails(f) => Err(f),
                Outcome::Hangs => {
                    // Longer than any execution may run: a timeout ends it first.
                    clock.sleep(Duration::from_secs(366 * 24 * 3600)).await;
                    Ok(Value::Null)
                }
            }
        })
    }
}
