//! The execution history: events with the names and shapes of
//! `GetExecutionHistory` (id, previousEventId, type, `*EventDetails`).

use crate::error::Failure;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use std::cell::{Cell, RefCell};

/// AWS's hard limit on events in one execution's history.
pub const MAX_EVENTS: usize = 25_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: u64,
    pub previous_event_id: u64,
    pub timestamp: DateTime<Utc>,
    pub kind: String,
    /// The `*EventDetails` member: its key and value.
    pub details: Option<(&'static str, Value)>,
}

impl Event {
    /// The event as `GetExecutionHistory` returns it.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("timestamp".into(), crate::clock::format_time(self.timestamp).into());
        m.insert("type".into(), self.kind.clone().into());
        m.insert("id".into(), self.id.into());
        m.insert("previousEventId".into(), self.previous_event_id.into());
        if let Some((k, v)) = &self.details {
            m.insert((*k).into(), v.clone());
        }
        Value::Object(m)
    }
}

/// Events of one execution, shared by every branch and iteration.
#[derive(Debug, Default)]
pub struct History {
    events: RefCell<Vec<Event>>,
    overflowed: Cell<bool>,
    /// [`MAX_EVENTS`] for STANDARD executions; EXPRESS ones have no limit.
    limit: Option<usize>,
}

impl History {
    pub fn with_limit(limit: Option<usize>) -> History {
        History { limit, ..History::default() }
    }

    /// Appends an event after `previous` and returns its id. Past
    /// [`MAX_EVENTS`] the event is dropped and the overflow remembered: the
    /// interpreter then fails the execution.
    pub fn push(&self, previous: u64, at: DateTime<Utc>, kind: &str, details: Option<(&'static str, Value)>) -> u64 {
        let mut events = self.events.borrow_mut();
        let id = events.len() as u64 + 1;
        if self.limit.is_some_and(|l| events.len() >= l) {
            self.overflowed.set(true);
            return id;
        }
        events.push(Event { id, previous_event_id: previous, timestamp: at, kind: kind.to_string(), details });
        id
    }

    pub fn overflowed(&self) -> bool {
        self.overflowed.get()
    }

    /// The failure AWS reports when a history outgrows its limit.
    pub fn overflow_failure() -> Failure {
        Failure::runtime(format!("The execution reached the maximum number of history events ({MAX_EVENTS})."))
    }

    pub fn events(&self) -> Vec<Event> {
        self.events.borrow().clone()
    }

    pub fn len(&self) -> usize {
        self.events.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn to_json(&self) -> Value {
        Value::Array(self.events.borrow().iter().map(Event::to_json).collect())
    }
}

/// Details of a `*StateEntered` event.
pub fn entered(name: &str, input: &Value) -> Option<(&'static str, Value)> {
    Some(("stateEnteredEventDetails", json!({"name": name, "input": input_text(input), "inputDetails": {"truncated": false}})))
}

/// Details of a `*StateExited` event.
pub fn exited(name: &str, output: &Value) -> Option<(&'static str, Value)> {
    Some(("stateExitedEventDetails", json!({"name": name, "output": input_text(output), "outputDetails": {"truncated": false}})))
}

/// Details carrying an error and a cause (`executionFailedEventDetails`, ...).
pub fn failed(key: &'static str, f: &Failure) -> Option<(&'static str, Value)> {
    let mut m = Map::new();
    m.insert("error".into(), f.error.clone().into());
    if let Some(c) = &f.cause {
        m.insert("cause".into(), c.clone().into());
    }
    Some((key, Value::Object(m)))
}

/// AWS puts inputs and outputs in events as JSON text.
pub fn input_text(v: &Value) -> Value {
    Value::String(v.to_string())
}
