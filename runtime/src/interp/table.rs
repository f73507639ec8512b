//! A machine's states as the interpreter walks them: by position, each
//! with what it would otherwise work out again at every entry (the name
//! events carry, where its own Next goes, the size of a fixed Result).
//! Made once per machine, branch or Map processor, and kept with the
//! prepared machine for all of its executions.

use crate::error::Failure;
use sfc_asl::{State, StateMachine};
use std::rc::Rc;

pub(crate) struct Table {
    pub start: usize,
    pub entries: Vec<Entry>,
}

/// One state of a [`Table`].
pub(crate) struct Entry {
    /// The state's name as events carry it, shared by all of them.
    pub name: Rc<str>,
    /// The position of the state its own Next names, when there is one.
    pub next: Option<usize>,
    /// A Pass state's fixed Result: its length as compact JSON.
    pub result_len: Option<usize>,
}

impl Entry {
    pub fn new(name: &str, state: &State, next: Option<usize>) -> Entry {
        let result_len = match state {
            State::Pass(p) => p.result.as_ref().map(crate::size::json_len),
            _ => None,
        };
        Entry { name: name.into(), next, result_len }
    }
}

impl Table {
    /// The table of `machine`. A StartAt or Next naming no state fails
    /// only when a run takes it, as AWS fails such a transition.
    pub fn new(machine: &StateMachine) -> Table {
        let entries = machine
            .states
            .iter()
            .map(|(name, state)| Entry::new(name, state, state.next().and_then(|n| machine.states.get_index_of(n))))
            .collect();
        Table { start: machine.states.get_index_of(&machine.start_at).unwrap_or(usize::MAX), entries }
    }

    /// Where control goes from state `from` to the state named `name`: the
    /// position worked out beforehand when it is the state's own Next.
    pub fn target(&self, machine: &StateMachine, from: usize, name: &str) -> Result<usize, Failure> {
        match self.entries[from].next {
            Some(next) if machine.states.get_index(next).is_some_and(|(n, _)| n == name) => Ok(next),
            _ => position(machine, name),
        }
    }

    /// The first state's position.
    pub fn start(&self, machine: &StateMachine) -> Result<usize, Failure> {
        match self.start {
            usize::MAX => position(machine, &machine.start_at),
            start => Ok(start),
        }
    }
}

fn position(machine: &StateMachine, name: &str) -> Result<usize, Failure> {
    machine.states.get_index_of(name).ok_or_else(|| Failure::runtime(format!("There is no state named '{name}' to transition to")))
}
