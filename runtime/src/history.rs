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
    pub kind: &'static str,
    pub details: Details,
}

/// An event's `*EventDetails`. The two most frequent shapes (a state
/// entered or exited) are kept compact and turned into JSON only when the
/// history is printed; a long loop writes tens of thousands of them.
#[derive(Debug, Clone, PartialEq)]
pub enum Details {
    None,
    /// `stateEnteredEventDetails` (input) or `stateExitedEventDetails`
    /// (output); `data` is the JSON text.
    State {
        entered: bool,
        name: std::rc::Rc<str>,
        data: String,
    },
    /// `mapIteration*EventDetails`: the iteration's index and the Map
    /// state's name.
    Iteration {
        key: &'static str,
        index: usize,
        name: std::rc::Rc<str>,
    },
    /// A service integration's `task*EventDetails`: the resource's names,
    /// shared by all the task's events, and what the event adds. A retried
    /// task records three of these per attempt.
    /// The member's key follows from the event type.
    Task {
        names: std::rc::Rc<ResourceNames>,
        own: TaskFields,
    },
    /// Any other details: the member's key and its fields, made into an
    /// object only when printed (events are written far more than read).
    Fields(&'static str, Vec<(&'static str, Field)>),
}

/// `resourceType` and `resource` of a service integration
/// (`arn:aws:states:::lambda:invoke` → `lambda`, `invoke`).
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceNames {
    pub resource_type: String,
    pub resource: String,
}

/// What a Task event of a service integration carries besides the names.
/// Kept within the size of the other details: every event is as large as
/// the largest.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskFields {
    /// TaskScheduled: the parameters' JSON text and the timeout (boxed, as
    /// the failure is, to keep the variant small); the region is fixed.
    Scheduled(Box<(String, Option<u64>)>),
    /// TaskStarted.
    Started,
    /// TaskSucceeded, or TaskSubmitted (which adds `outputDetails`).
    Output { output: String, submitted: bool },
    /// TaskFailed, TaskTimedOut: the error and the cause, which come
    /// before the names.
    Failed(Box<(String, Option<String>)>),
}

impl TaskFields {
    /// A failure's error and cause (each left out of the details when empty).
    pub fn failed(f: &Failure) -> TaskFields {
        TaskFields::Failed(Box::new((f.error.clone(), f.cause.clone())))
    }
}

/// The details key of a service integration's Task event.
pub fn task_details_key(kind: &str) -> &'static str {
    match kind {
        "TaskScheduled" => "taskScheduledEventDetails",
        "TaskStarted" => "taskStartedEventDetails",
        "TaskSubmitted" => "taskSubmittedEventDetails",
        "TaskSucceeded" => "taskSucceededEventDetails",
        "TaskFailed" => "taskFailedEventDetails",
        _ => "taskTimedOutEventDetails",
    }
}

/// One field of [`Details::Fields`]. Kept small (strings and numbers
/// inline, other JSON boxed): a loop records tens of thousands of events.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// A JSON string.
    Text(String),
    /// A string many events repeat (a state's name): shared, not copied
    /// into each event.
    Shared(std::rc::Rc<str>),
    Static(&'static str),
    Number(u64),
    /// `{"truncated": false}`, the `*Details` of every payload we record.
    NotTruncated,
    /// Any other JSON.
    Json(Box<Value>),
}

impl Field {
    pub fn json(v: impl Into<Value>) -> Field {
        match v.into() {
            Value::String(s) => Field::Text(s),
            Value::Number(n) if n.is_u64() => Field::Number(n.as_u64().unwrap_or_default()),
            other => Field::Json(Box::new(other)),
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Field::Text(s) => Some(s),
            Field::Shared(s) => Some(s),
            Field::Static(s) => Some(s),
            Field::Json(v) => v.as_str(),
            Field::Number(_) | Field::NotTruncated => None,
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Field::Text(s) => Value::from(s.as_str()),
            Field::Shared(s) => Value::from(&**s),
            Field::Static(s) => Value::from(*s),
            Field::Number(n) => Value::from(*n),
            Field::NotTruncated => json!({"truncated": false}),
            Field::Json(v) => (**v).clone(),
        }
    }
}

impl Details {
    /// A string field of the details (`name`, `error`, `cause`, ...).
    pub fn get(&self, field: &str) -> Option<&str> {
        match self {
            Details::None => None,
            Details::State { name, .. } if field == "name" => Some(name),
            Details::State { .. } => None,
            Details::Iteration { name, .. } if field == "name" => Some(name),
            Details::Iteration { .. } => None,
            Details::Task { names, own, .. } => match (field, own) {
                ("resourceType", _) => Some(&names.resource_type),
                ("resource", _) => Some(&names.resource),
                ("parameters", TaskFields::Scheduled(p)) => Some(&p.0),
                ("output", TaskFields::Output { output, .. }) => Some(output),
                ("error" | "cause", TaskFields::Failed(f)) => {
                    error_and_cause(&f.0, f.1.as_deref()).find(|(k, _)| *k == field).map(|(_, v)| v)
                }
                _ => None,
            },
            Details::Fields(_, fields) => fields.iter().find(|(k, _)| *k == field).and_then(|(_, v)| v.as_str()),
        }
    }

    /// The `*EventDetails` member of an event of type `kind`.
    fn member(&self, kind: &str) -> Option<(&'static str, Value)> {
        match self {
            Details::None => None,
            Details::State { entered: true, name, data } => {
                Some(("stateEnteredEventDetails", json!({"name": &**name, "input": data, "inputDetails": {"truncated": false}})))
            }
            Details::State { entered: false, name, data } => {
                Some(("stateExitedEventDetails", json!({"name": &**name, "output": data, "outputDetails": {"truncated": false}})))
            }
            Details::Iteration { key, index, name } => Some((key, json!({"index": index, "name": &**name}))),
            Details::Task { names, own } => Some((task_details_key(kind), task_member(names, own))),
            Details::Fields(k, fields) => Some((k, Value::Object(fields.iter().map(|(f, v)| (f.to_string(), v.to_json())).collect()))),
        }
    }
}

/// A Task event's details in AWS's field order.
fn task_member(names: &ResourceNames, own: &TaskFields) -> Value {
    let mut m = Map::new();
    if let TaskFields::Failed(f) = own {
        for (k, v) in error_and_cause(&f.0, f.1.as_deref()) {
            m.insert(k.into(), v.into());
        }
    }
    m.insert("resourceType".into(), names.resource_type.as_str().into());
    m.insert("resource".into(), names.resource.as_str().into());
    match own {
        TaskFields::Scheduled(p) => {
            let (parameters, timeout) = &**p;
            m.insert("region".into(), "us-east-1".into());
            m.insert("parameters".into(), parameters.as_str().into());
            if let Some(t) = timeout {
                m.insert("timeoutInSeconds".into(), (*t).into());
            }
        }
        TaskFields::Output { output, submitted } => {
            m.insert("output".into(), output.as_str().into());
            if *submitted {
                m.insert("outputDetails".into(), json!({"truncated": false}));
            }
        }
        TaskFields::Started | TaskFields::Failed(_) => {}
    }
    Value::Object(m)
}

impl Event {
    /// The event as `GetExecutionHistory` returns it.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("timestamp".into(), crate::clock::format_time(self.timestamp).into());
        m.insert("type".into(), self.kind.into());
        m.insert("id".into(), self.id.into());
        m.insert("previousEventId".into(), self.previous_event_id.into());
        if let Some((k, v)) = self.details.member(self.kind) {
            m.insert(k.into(), v);
        }
        Value::Object(m)
    }
}

/// The events of an execution in order. Kept in chunks, so a long loop's
/// history grows without being copied to ever larger buffers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Events {
    chunks: Vec<Vec<Event>>,
    len: usize,
}

/// The largest chunk: 16,384 events of about 100 bytes.
const MAX_CHUNK: usize = 16_384;

impl Events {
    fn with_capacity(n: usize) -> Events {
        Events { chunks: vec![Vec::with_capacity(n)], len: 0 }
    }

    fn push(&mut self, e: Event) {
        match self.chunks.last_mut() {
            Some(c) if c.len() < c.capacity() => c.push(e),
            _ => {
                // Each chunk as large as all before it: few chunks, no copies.
                let mut c = Vec::with_capacity(self.len.clamp(32, MAX_CHUNK));
                c.push(e);
                self.chunks.push(c);
            }
        }
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> std::iter::Flatten<std::slice::Iter<'_, Vec<Event>>> {
        self.chunks.iter().flatten()
    }

    pub fn first(&self) -> Option<&Event> {
        self.iter().next()
    }

    pub fn last(&self) -> Option<&Event> {
        self.chunks.iter().rev().find_map(|c| c.last())
    }
}

impl<'a> IntoIterator for &'a Events {
    type Item = &'a Event;
    type IntoIter = std::iter::Flatten<std::slice::Iter<'a, Vec<Event>>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Events of one execution, shared by every branch and iteration.
#[derive(Debug, Default)]
pub struct History {
    events: RefCell<Events>,
    overflowed: Cell<bool>,
    /// [`MAX_EVENTS`] for STANDARD executions; EXPRESS ones have no limit.
    limit: Option<usize>,
}

impl History {
    pub fn with_limit(limit: Option<usize>) -> History {
        // Room for a small run's events from the start (a 10-state machine
        // records about two dozen, a task retried 50 times 150), so it
        // rarely regrows.
        History { limit, events: RefCell::new(Events::with_capacity(160)), ..History::default() }
    }

    /// Appends an event after `previous` and returns its id. Past
    /// [`MAX_EVENTS`] the event is dropped and the overflow remembered: the
    /// interpreter then fails the execution.
    pub fn push(&self, previous: u64, at: DateTime<Utc>, kind: &'static str, details: Details) -> u64 {
        let mut events = self.events.borrow_mut();
        let id = events.len() as u64 + 1;
        if self.limit.is_some_and(|l| events.len() >= l) {
            self.overflowed.set(true);
            return id;
        }
        events.push(Event { id, previous_event_id: previous, timestamp: at, kind, details });
        id
    }

    pub fn overflowed(&self) -> bool {
        self.overflowed.get()
    }

    /// The failure AWS reports when a history outgrows its limit.
    pub fn overflow_failure() -> Failure {
        Failure::runtime(format!("The execution reached the maximum number of history events ({MAX_EVENTS})."))
    }

    /// Takes the events out, leaving the history empty.
    pub fn take(&self) -> Events {
        std::mem::take(&mut *self.events.borrow_mut())
    }

    pub fn to_json(&self) -> Value {
        Value::Array(self.events.borrow().iter().map(Event::to_json).collect())
    }
}

/// Details of a `*StateEntered` event.
pub fn entered(name: std::rc::Rc<str>, input_json: String) -> Details {
    Details::State { entered: true, name, data: input_json }
}

/// Details of a `*StateExited` event.
pub fn exited(name: std::rc::Rc<str>, output_json: String) -> Details {
    Details::State { entered: false, name, data: output_json }
}

/// Details carrying an error and a cause (`executionFailedEventDetails`, ...).
pub fn failed(key: &'static str, f: &Failure) -> Details {
    let fields = error_and_cause(&f.error, f.cause.as_deref()).map(|(k, v)| (k, Field::Text(v.to_string()))).collect();
    Details::Fields(key, fields)
}

/// A failure's `error` and `cause` fields as events carry them: each is
/// left out when empty.
fn error_and_cause<'a>(error: &'a str, cause: Option<&'a str>) -> impl Iterator<Item = (&'static str, &'a str)> {
    [("error", Some(error)), ("cause", cause)].into_iter().filter_map(|(k, v)| Some((k, v.filter(|v| !v.is_empty())?)))
}

/// The `*StateEntered` and `*StateExited` event types of a state.
pub fn state_event_kinds(state: &sfc_asl::State) -> (&'static str, &'static str) {
    use sfc_asl::State;
    match state {
        State::Task(_) => ("TaskStateEntered", "TaskStateExited"),
        State::Pass(_) => ("PassStateEntered", "PassStateExited"),
        State::Choice(_) => ("ChoiceStateEntered", "ChoiceStateExited"),
        State::Wait(_) => ("WaitStateEntered", "WaitStateExited"),
        State::Succeed(_) => ("SucceedStateEntered", "SucceedStateExited"),
        State::Fail(_) => ("FailStateEntered", "FailStateExited"),
        State::Parallel(_) => ("ParallelStateEntered", "ParallelStateExited"),
        State::Map(_) => ("MapStateEntered", "MapStateExited"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Events come back in the order pushed, with ids counting on, across
    /// the chunks the history grows by.
    #[test]
    fn events_keep_order_across_chunks() {
        let h = History::with_limit(None);
        let at = chrono::Utc::now();
        for i in 0..10_000u64 {
            assert_eq!(h.push(i, at, "PassStateEntered", Details::None), i + 1);
        }
        let events = h.take();
        assert_eq!(events.len(), 10_000);
        assert!(events.chunks.len() > 1);
        assert!(events.iter().map(|e| e.id).eq(1..=10_000));
        assert_eq!(events.first().map(|e| e.id), Some(1));
        assert_eq!(events.last().map(|e| e.id), Some(10_000));
        assert!((&events).into_iter().zip(events.iter().skip(1)).all(|(a, b)| b.previous_event_id == a.id));
    }

    /// A long loop records tens of thousands of events: each stays as small
    /// as the state events, whatever else a detail holds.
    #[test]
    fn events_stay_small() {
        assert!(std::mem::size_of::<Event>() <= 96, "{}", std::mem::size_of::<Event>());
    }

    /// A STANDARD history stops at AWS's limit and says so.
    #[test]
    fn history_stops_at_the_limit() {
        let h = History::with_limit(Some(3));
        for i in 0..5 {
            h.push(i, chrono::Utc::now(), "PassStateEntered", Details::None);
        }
        assert!(h.overflowed());
        assert_eq!(h.take().len(), 3);
    }
}
