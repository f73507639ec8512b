//! A machine's states as the interpreter walks them: by position, each
//! with what it would otherwise work out again at every entry (the name
//! events carry, where each of its transitions goes, its InputPath,
//! OutputPath and ResultPath taken apart, the size of a fixed Result).
//! Made once per machine, branch or Map processor, and kept with the
//! prepared machine for all of its executions.

use crate::error::Failure;
use crate::paths::Step;
use sfc_asl::{NullablePath, State, StateMachine};
use std::rc::Rc;

pub(crate) struct Table {
    start: Option<usize>,
    pub entries: Vec<Entry>,
}

/// One state of a [`Table`].
pub(crate) struct Entry {
    /// The state's name as events carry it, shared by all of them.
    pub name: Rc<str>,
    /// Every state it can go to (its Next, a Choice's rules and Default,
    /// its Catch entries) that exists, by name, with its position.
    targets: Vec<(String, usize)>,
    /// A Pass state's fixed Result: its length as compact JSON.
    pub result_len: Option<usize>,
    /// Its InputPath, ResultPath and OutputPath taken apart into steps.
    pub paths: IoPaths,
    /// How it goes on when it runs directly, if it can.
    pub direct: Option<super::direct::Direct>,
    /// Whether, run in JSONPath, it outputs its input as it is.
    pub passes_input_on: bool,
}

/// A state's InputPath, OutputPath (steps when definite paths into the
/// value, which are then followed without reading the text) and ResultPath
/// (steps when a reference path).
pub(crate) struct IoPaths {
    pub input: Option<Vec<Step>>,
    pub output: Option<Vec<Step>>,
    pub result: Option<Vec<Step>>,
}

/// A state's InputPath, OutputPath and ResultPath as written (absent
/// where its type has none).
fn written_paths(state: &State) -> [&NullablePath; 3] {
    let none: &NullablePath = &None;
    match state {
        State::Task(s) => [&s.input_path, &s.output_path, &s.result_path],
        State::Pass(s) => [&s.input_path, &s.output_path, &s.result_path],
        State::Parallel(s) => [&s.input_path, &s.output_path, &s.result_path],
        State::Map(s) => [&s.input_path, &s.output_path, &s.result_path],
        State::Choice(s) => [&s.input_path, &s.output_path, none],
        State::Wait(s) => [&s.input_path, &s.output_path, none],
        State::Succeed(s) => [&s.input_path, &s.output_path, none],
        State::Fail(_) => [none, none, none],
    }
}

impl IoPaths {
    fn new(state: &State) -> IoPaths {
        let [input, output, result] = written_paths(state);
        let definite = |p: &NullablePath| p.as_ref().and_then(|p| p.as_deref()).and_then(crate::paths::input_steps);
        let reference = |p: &NullablePath| p.as_ref().and_then(|p| p.as_deref()).and_then(crate::paths::reference_steps);
        IoPaths { input: definite(input), output: definite(output), result: reference(result) }
    }
}

impl Entry {
    /// `name`'s entry, its transitions resolved in `machine` (none without).
    pub fn new(name: &str, state: &State, machine: Option<&StateMachine>) -> Entry {
        let result_len = match state {
            State::Pass(p) => p.result.as_ref().map(crate::size::json_len),
            _ => None,
        };
        let mut names: Vec<&str> = state.next().into_iter().collect();
        if let State::Choice(c) = state {
            names.extend(c.choices.iter().filter_map(|r| r.next.as_deref()));
            names.extend(c.default.as_deref());
        }
        names.extend(state.catchers().iter().map(|c| c.next.as_str()));
        let mut targets: Vec<(String, usize)> = Vec::new();
        for n in names {
            if let Some(at) = machine.and_then(|m| m.states.get_index_of(n)) {
                if !targets.iter().any(|(t, _)| t == n) {
                    targets.push((n.to_string(), at));
                }
            }
        }
        let mut entry = Entry {
            name: name.into(),
            targets,
            result_len,
            paths: IoPaths::new(state),
            direct: None,
            passes_input_on: passes_input_on(state),
        };
        entry.direct = machine.and_then(|_| super::direct::Direct::of(state, |n| entry.target(n)));
        entry
    }

    /// The position of the state named `name`, if it is one of this
    /// state's targets.
    fn target(&self, name: &str) -> Option<usize> {
        self.targets.iter().find(|(t, _)| t == name).map(|&(_, at)| at)
    }
}

impl Table {
    /// The table of `machine`. A StartAt or Next naming no state fails
    /// only when a run takes it, as AWS fails such a transition.
    pub fn new(machine: &StateMachine) -> Table {
        let entries = machine.states.iter().map(|(name, state)| Entry::new(name, state, Some(machine))).collect();
        Table { start: machine.states.get_index_of(&machine.start_at), entries }
    }

    /// Where control goes from state `from` to the state named `name`.
    pub fn target(&self, machine: &StateMachine, from: usize, name: &str) -> Result<usize, Failure> {
        match self.entries[from].target(name) {
            Some(at) => Ok(at),
            None => position(machine, name),
        }
    }

    /// The first state's position.
    pub fn start(&self, machine: &StateMachine) -> Result<usize, Failure> {
        match self.start {
            Some(start) => Ok(start),
            None => position(machine, &machine.start_at),
        }
    }
}

/// Whether a JSONPath state outputs its input as it is: a Pass without
/// Result or Parameters, or a Choice, Wait or Succeed, whose InputPath,
/// ResultPath and OutputPath are absent or `$`.
fn passes_input_on(state: &State) -> bool {
    let by_type = match state {
        State::Pass(s) => s.result.is_none() && s.parameters.is_none(),
        State::Choice(_) | State::Wait(_) | State::Succeed(_) => true,
        State::Task(_) | State::Parallel(_) | State::Map(_) | State::Fail(_) => false,
    };
    by_type && written_paths(state).into_iter().all(crate::io::is_whole)
}

fn position(machine: &StateMachine, name: &str) -> Result<usize, Failure> {
    machine.states.get_index_of(name).ok_or_else(|| Failure::runtime(format!("There is no state named '{name}' to transition to")))
}
