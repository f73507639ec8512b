//! Where a redriven execution goes on, read from the events it recorded
//! (as the API gives them, or as `GetExecutionHistory` prints them): the
//! top-level state that did not finish, with its input, and of a Parallel
//! or inline Map the branches or iterations that succeeded, which AWS does
//! not run again. sfc serve's RedriveExecution reads an execution's events
//! so, and a redriven Map Run its children's.

use crate::history::EventType;
use crate::run::Resume;
use serde_json::Value;
use sfc_asl::{State, StateMachine};
use std::collections::BTreeMap;

/// One recorded event, as far as redrive reads it.
struct Recorded<'a> {
    id: u64,
    previous: u64,
    kind: EventType,
    details: &'a Value,
}

impl<'a> Recorded<'a> {
    fn of(v: &'a Value) -> Option<Recorded<'a>> {
        let kind = EventType::parse(v["type"].as_str()?)?;
        let id = v["id"].as_u64()?;
        Some(Recorded { id, previous: v["previousEventId"].as_u64().unwrap_or(0), kind, details: &v[kind.details_key()] })
    }

    /// The state it names, if any.
    fn name(&self) -> Option<&'a str> {
        self.details["name"].as_str()
    }

    /// A payload it carries as JSON text (`input`, `output`).
    fn payload(&self, field: &str) -> Value {
        self.details[field].as_str().and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default()
    }
}

/// The top-level state of `machine` that was entered last and did not
/// exit, with its input and the parts of it that succeeded; the start
/// state with `input` (the execution's) when none was.
pub fn resume_point(machine: &StateMachine, events: &[Value], input: Value) -> Resume {
    let events: Vec<Recorded> = events.iter().filter_map(Recorded::of).collect();
    let mut open: Option<(&str, &Recorded)> = None;
    for e in &events {
        let Some(name) = e.name().filter(|n| machine.states.contains_key(*n)) else { continue };
        if e.kind.is_state_entered() {
            open = Some((name, e));
        } else if e.kind.is_state_exited() && open.is_some_and(|(n, _)| n == name) {
            open = None;
        }
    }
    match open {
        Some((state, entered)) => {
            let succeeded = machine.states.get(state).map(|s| succeeded_parts(s, entered.id, &events)).unwrap_or_default();
            Resume { state: state.to_string(), input: entered.payload("input"), succeeded, map_run: None }
        }
        None => Resume { state: machine.start_at.clone(), input, succeeded: BTreeMap::new(), map_run: None },
    }
}

/// What a Parallel's branches or an inline Map's iterations gave before,
/// by index: a branch whose end state exited (its output), an iteration
/// whose MapIterationSucceeded follows its last state's exit (that exit's
/// output).
fn succeeded_parts(state: &State, entered: u64, events: &[Recorded]) -> BTreeMap<usize, Value> {
    let after = || events.iter().filter(move |e| e.id > entered);
    match state {
        State::Parallel(p) => {
            let mut out = BTreeMap::new();
            for (i, branch) in p.branches.iter().enumerate() {
                let ends: Vec<&String> = branch.states.iter().filter(|(_, s)| ends_branch(s)).map(|(n, _)| n).collect();
                let exit = after().filter(|e| e.kind.is_state_exited()).find(|e| e.name().is_some_and(|n| ends.iter().any(|x| *x == n)));
                if let Some(e) = exit {
                    out.insert(i, e.payload("output"));
                }
            }
            out
        }
        State::Map(m) if !m.is_distributed() => {
            let by_id = |id: u64| after().find(|e| e.id == id);
            after()
                .filter(|e| e.kind == EventType::MapIterationSucceeded)
                .filter_map(|e| {
                    let index = e.details["index"].as_u64()? as usize;
                    Some((index, by_id(e.previous)?.payload("output")))
                })
                .collect()
        }
        _ => BTreeMap::new(),
    }
}

/// A state that ends its branch when it succeeds: a Succeed state, or one
/// with End: true.
fn ends_branch(s: &State) -> bool {
    matches!(s, State::Succeed(_)) || (!matches!(s, State::Choice(_) | State::Fail(_)) && s.next().is_none())
}
