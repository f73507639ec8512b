//! The execution history: events with the names and shapes of
//! `GetExecutionHistory` (id, previousEventId, type, `*EventDetails`).

mod details;
mod event_type;

pub use details::*;
pub use event_type::EventType;

use crate::error::Failure;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};

/// AWS's hard limit on events in one execution's history.
pub const MAX_EVENTS: usize = 25_000;

/// Events between two checkpoints of a run (see [`History::checkpoint_due`]).
const CHECKPOINT_EVENTS: usize = 4096;

/// Why a history stops an execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// It outgrew [`MAX_EVENTS`] (STANDARD): the execution fails.
    Overflow,
    /// The execution ran past its wall-clock deadline (EXPRESS): it times out.
    OutOfTime,
}

impl Stop {
    /// The failure the running states see: every line of control stops
    /// at its next state with it.
    pub fn failure(self) -> Failure {
        match self {
            Stop::Overflow => Failure::runtime(format!("The execution reached the maximum number of history events ({MAX_EVENTS}).")),
            Stop::OutOfTime => Failure::new(
                crate::error::names::TIMEOUT,
                "The execution ran longer than an EXPRESS execution may (5 minutes on AWS), in the time sfc spent computing its states.",
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: u64,
    pub previous_event_id: u64,
    pub timestamp: DateTime<Utc>,
    pub kind: EventType,
    pub details: Details,
}

impl Event {
    /// The event as the API's JSON carries it: the timestamp in epoch
    /// seconds (milliseconds as the fraction), as SDKs and the AWS CLI read it.
    pub fn to_api_json(&self) -> Value {
        let mut v = self.to_json();
        v["timestamp"] = crate::clock::epoch_seconds(self.timestamp);
        v
    }

    /// An event from its JSON ([`Event::to_json`]'s or
    /// [`Event::to_api_json`]'s), its details kept as they are; `None`
    /// when it is not an event's.
    pub fn from_json(v: &Value) -> Option<Event> {
        let kind = EventType::parse(v["type"].as_str()?)?;
        let timestamp = match &v["timestamp"] {
            Value::String(t) => DateTime::parse_from_rfc3339(t).ok()?.with_timezone(&Utc),
            t => DateTime::from_timestamp_millis((t.as_f64()? * 1000.0).round() as i64)?,
        };
        let details = match v.get(kind.details_key()) {
            Some(member) => Details::Recorded(Box::new(member.clone())),
            None => Details::None,
        };
        Some(Event { id: v["id"].as_u64()?, previous_event_id: v["previousEventId"].as_u64().unwrap_or(0), timestamp, kind, details })
    }

    /// The event as `GetExecutionHistory` returns it, with an ISO-8601 timestamp.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("timestamp".into(), crate::clock::format_time(self.timestamp).into());
        m.insert("type".into(), self.kind.as_str().into());
        m.insert("id".into(), self.id.into());
        m.insert("previousEventId".into(), self.previous_event_id.into());
        if let Some((k, v)) = self.details.member(self.kind) {
            m.insert(k.into(), v);
        }
        Value::Object(m)
    }
}

/// The events of an execution in order. Kept in chunks, so a long loop's
/// history grows without being copied to ever larger buffers; a history
/// kept at its ends ([`Keeping::Ends`]) holds its last events in a ring
/// after the chunks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Events {
    chunks: Vec<Vec<Event>>,
    /// Events in the chunks.
    len: usize,
    /// The latest events past the first ones, at most [`Keeping::Ends`]'s `last`.
    tail: std::collections::VecDeque<Event>,
    /// How many events fell out of the tail.
    omitted: usize,
}

/// The iterator over [`Events`].
pub type EventsIter<'a> =
    std::iter::Chain<std::iter::Flatten<std::slice::Iter<'a, Vec<Event>>>, std::collections::vec_deque::Iter<'a, Event>>;

/// The largest chunk: 16,384 events of about 100 bytes.
const MAX_CHUNK: usize = 16_384;

impl Events {
    fn with_capacity(n: usize) -> Events {
        Events { chunks: vec![Vec::with_capacity(n)], ..Events::default() }
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

    /// Pushes `e`, keeping the first `first` events and the last `last`.
    fn push_at_ends(&mut self, e: Event, first: usize, last: usize) {
        if self.len < first {
            return self.push(e);
        }
        self.tail.push_back(e);
        if self.tail.len() > last {
            self.tail.pop_front();
            self.omitted += 1;
        }
    }

    /// The events kept.
    pub fn len(&self) -> usize {
        self.len + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many events between the first and the last kept were not kept.
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    pub fn iter(&self) -> EventsIter<'_> {
        self.chunks.iter().flatten().chain(&self.tail)
    }

    pub fn first(&self) -> Option<&Event> {
        self.iter().next()
    }

    pub fn last(&self) -> Option<&Event> {
        self.tail.back().or_else(|| self.chunks.iter().rev().find_map(|c| c.last()))
    }
}

impl FromIterator<Event> for Events {
    fn from_iter<I: IntoIterator<Item = Event>>(events: I) -> Events {
        let mut all = Events::default();
        for e in events {
            all.push(e);
        }
        all
    }
}

impl<'a> IntoIterator for &'a Events {
    type Item = &'a Event;
    type IntoIter = EventsIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// What a history does with its events: keeps them (a STANDARD
/// execution's), drops them (an EXPRESS one's, which AWS keeps no history
/// of), keeps the first and the last of them, or hands each to a function
/// as it happens and drops it (an EXPRESS history streamed); but for
/// `All`, memory stays bounded however long the run.
#[derive(Clone, Default)]
pub enum Keeping {
    #[default]
    All,
    /// The first `first` events and the last `last`: an EXPRESS execution
    /// started on `sfc serve`, whose history AWS does not keep and sfc
    /// shows, where five minutes of a loop record millions of events.
    Ends {
        first: usize,
        last: usize,
    },
    Nothing,
    Each(std::sync::Arc<dyn Fn(&Event) + Send + Sync>),
}

impl std::fmt::Debug for Keeping {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Keeping::All => "All",
            Keeping::Ends { .. } => "Ends",
            Keeping::Nothing => "Nothing",
            Keeping::Each(_) => "Each",
        })
    }
}

/// Events of one execution, shared by every branch and iteration.
#[derive(Debug, Default)]
pub struct History {
    events: RefCell<Events>,
    /// Events recorded, kept or not: the last id.
    count: Cell<usize>,
    stop: Cell<Option<Stop>>,
    /// [`MAX_EVENTS`] for STANDARD executions; EXPRESS ones have no limit.
    limit: Option<usize>,
    keeping: Keeping,
    /// When an EXPRESS execution runs out of (wall-clock) time: a loop of
    /// states that take no virtual time would otherwise never end.
    deadline: Cell<Option<std::time::Instant>>,
    /// Set every [`CHECKPOINT_EVENTS`] events, taken by the interpreter.
    checkpoint: Cell<bool>,
}

impl History {
    /// A history that goes on after `events` (a redriven execution's).
    pub fn resume(events: Events, limit: Option<usize>) -> History {
        History { limit, count: Cell::new(events.len()), events: RefCell::new(events), ..History::default() }
    }

    /// A history that goes on after `count` events kept elsewhere (a
    /// redriven Map Run child's, whose events its run's record keeps).
    pub fn continuing(count: usize, keeping: Keeping) -> History {
        History { count: Cell::new(count), ..History::keeping(None, keeping) }
    }

    pub fn with_limit(limit: Option<usize>) -> History {
        History::keeping(limit, Keeping::All)
    }

    pub fn keeping(limit: Option<usize>, keeping: Keeping) -> History {
        // Room for a small run's events from the start (a 10-state machine
        // records about two dozen, a task retried 50 times 150), so it
        // rarely regrows.
        let events = if matches!(keeping, Keeping::All | Keeping::Ends { .. }) { Events::with_capacity(160) } else { Events::default() };
        History { limit, keeping, events: RefCell::new(events), ..History::default() }
    }

    /// Appends an event after `previous` and returns its id. Past
    /// [`MAX_EVENTS`] the event is dropped and the overflow remembered: the
    /// interpreter then fails the execution.
    pub fn push(&self, previous: u64, at: DateTime<Utc>, kind: EventType, details: Details) -> u64 {
        self.push_with(previous, kind, || (at, details))
    }

    /// [`History::push`] with the event's time and details made only when
    /// the history keeps or hands on its events: an EXPRESS run that keeps
    /// nothing counts ids and builds no event.
    pub fn push_with(&self, previous: u64, kind: EventType, make: impl FnOnce() -> (DateTime<Utc>, Details)) -> u64 {
        let (id, counted) = self.next_id();
        if !counted || matches!(self.keeping, Keeping::Nothing) {
            return id;
        }
        let (timestamp, details) = make();
        let event = Event { id, previous_event_id: previous, timestamp, kind, details };
        match &self.keeping {
            Keeping::All => self.events.borrow_mut().push(event),
            Keeping::Ends { first, last } => self.events.borrow_mut().push_at_ends(event, *first, *last),
            Keeping::Nothing => {}
            Keeping::Each(f) => f(&event),
        }
        id
    }

    /// An event counted but neither built nor kept (a history that keeps
    /// nothing): its id.
    pub fn count(&self) -> u64 {
        self.next_id().0
    }

    /// The next event's id, and whether it was counted: past [`MAX_EVENTS`]
    /// it is not, and the overflow is remembered. Every
    /// [`CHECKPOINT_EVENTS`] events a checkpoint falls due and the
    /// deadline is read.
    fn next_id(&self) -> (u64, bool) {
        let count = self.count.get();
        let overflows = self.limit.is_some_and(|l| count >= l);
        if overflows {
            self.stop.set(Some(Stop::Overflow));
        } else {
            self.count.set(count + 1);
            if (count + 1).is_multiple_of(CHECKPOINT_EVENTS) {
                self.checkpoint.set(true);
                self.check_deadline();
            }
        }
        (count as u64 + 1, !overflows)
    }

    /// Stops the execution once the wall clock passes `deadline`.
    pub fn set_deadline(&self, deadline: std::time::Instant) {
        self.deadline.set(Some(deadline));
    }

    /// Reads the wall clock against the deadline, if there is one: at every
    /// checkpoint, and after each state run in full, which can take long
    /// where one run directly cannot (a JSONata evaluation, up to its own
    /// bound of seconds: 4,096 events of them would overrun the five
    /// minutes by hours).
    pub fn check_deadline(&self) {
        if self.deadline.get().is_some_and(|d| std::time::Instant::now() >= d) && self.stop.get().is_none() {
            self.stop.set(Some(Stop::OutOfTime));
        }
    }

    /// Whether a checkpoint fell due since the last call: the interpreter
    /// then lets other tasks run (the API server's other requests), as a
    /// run of states that never wait would not.
    pub fn checkpoint_due(&self) -> bool {
        self.checkpoint.replace(false)
    }

    /// Whether events are kept or handed on (otherwise only counted).
    pub fn records(&self) -> bool {
        !matches!(self.keeping, Keeping::Nothing)
    }

    /// Why the execution must stop, if it must.
    pub fn stopped(&self) -> Option<Stop> {
        self.stop.get()
    }

    /// Takes the kept events out, leaving the history empty.
    pub fn take(&self) -> Events {
        self.count.set(0);
        std::mem::take(&mut *self.events.borrow_mut())
    }

    pub fn to_json(&self) -> Value {
        Value::Array(self.events.borrow().iter().map(Event::to_json).collect())
    }

    /// Reads the events recorded so far.
    pub fn with_events<T>(&self, f: impl FnOnce(&Events) -> T) -> T {
        f(&self.events.borrow())
    }

    /// The number of events recorded so far, kept or not.
    pub fn len(&self) -> usize {
        self.count.get()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The `*StateEntered` and `*StateExited` event types of a state.
pub fn state_event_kinds(state: &sfc_asl::State) -> (EventType, EventType) {
    use sfc_asl::State;
    use EventType::*;
    match state {
        State::Task(_) => (TaskStateEntered, TaskStateExited),
        State::Pass(_) => (PassStateEntered, PassStateExited),
        State::Choice(_) => (ChoiceStateEntered, ChoiceStateExited),
        State::Wait(_) => (WaitStateEntered, WaitStateExited),
        State::Succeed(_) => (SucceedStateEntered, SucceedStateExited),
        State::Fail(_) => (FailStateEntered, FailStateExited),
        State::Parallel(_) => (ParallelStateEntered, ParallelStateExited),
        State::Map(_) => (MapStateEntered, MapStateExited),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An event read back from its JSON, either form, gives the same JSON
    /// again: every kind of details a run records (states with data and
    /// assigned variables, a task's, a Map's, a failure's).
    #[test]
    fn events_read_back_from_their_json_are_the_same_events() {
        let machine = serde_json::json!({"StartAt": "Set", "States": {
            "Set": {"Type": "Pass", "Assign": {"n": 1}, "Next": "Call"},
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"x": 1}, "QueryLanguage": "JSONata",
                "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 1}], "Next": "Each"},
            "Each": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
                "Next": "Fail"},
            "Fail": {"Type": "Fail", "Error": "Done", "Cause": "at last"}}});
        let prepared = crate::Prepared::new(serde_json::from_value(machine).unwrap());
        let calls = crate::integration::Scripted::new()
            .then("Call", Err(crate::Failure::new("Boom", "once")))
            .then("Call", Ok(serde_json::json!({"items": [1, 2]})));
        let out = crate::run_prepared(&prepared, serde_json::json!({}), &calls, &crate::RunOptions::default());
        assert!(out.history.len() > 20, "{:?}", out.history);
        for e in &out.history {
            for json in [e.to_json(), e.to_api_json()] {
                let back = Event::from_json(&json).unwrap_or_else(|| panic!("{json}"));
                assert_eq!((back.to_json(), back.to_api_json()), (e.to_json(), e.to_api_json()));
            }
        }
        assert!(Event::from_json(&serde_json::json!({"type": "NoSuchEvent", "id": 1})).is_none());
    }

    /// Events come back in the order pushed, with ids counting on, across
    /// the chunks the history grows by.
    #[test]
    fn events_keep_order_across_chunks() {
        let h = History::with_limit(None);
        let at = chrono::Utc::now();
        for i in 0..10_000u64 {
            assert_eq!(h.push(i, at, EventType::PassStateEntered, Details::None), i + 1);
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

    /// A history kept at its ends holds its first and last events, ids and
    /// links as they were, and says how many fell between.
    #[test]
    fn a_history_kept_at_its_ends_holds_its_first_and_last_events() {
        let h = History::keeping(None, Keeping::Ends { first: 3, last: 2 });
        for i in 0..10u64 {
            h.push(i, chrono::Utc::now(), EventType::PassStateEntered, Details::None);
            let kept = h.with_events(|e| e.len());
            assert_eq!(kept, (i as usize + 1).min(5), "after event {}", i + 1);
        }
        assert_eq!(h.len(), 10);
        let events = h.take();
        assert!(events.iter().map(|e| e.id).eq([1, 2, 3, 9, 10]));
        assert!(events.iter().rev().map(|e| e.id).eq([10, 9, 3, 2, 1]));
        assert!(events.iter().all(|e| e.previous_event_id + 1 == e.id));
        assert_eq!((events.first().map(|e| e.id), events.last().map(|e| e.id)), (Some(1), Some(10)));
        assert_eq!((events.len(), events.omitted()), (5, 5));
    }

    /// A STANDARD history stops at AWS's limit and says so.
    #[test]
    fn history_stops_at_the_limit() {
        let h = History::with_limit(Some(3));
        for i in 0..5 {
            h.push(i, chrono::Utc::now(), EventType::PassStateEntered, Details::None);
        }
        assert_eq!(h.stopped(), Some(Stop::Overflow));
        assert_eq!(h.take().len(), 3);
    }
}
