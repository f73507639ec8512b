//! What an execution's history says, per state and over time: each event
//! attributed to the state entry it belongs to (by following
//! `previousEventId`, as AWS chains them), each entry's fate (succeeded,
//! retried, caught, failed, aborted, running), its task attempts and
//! waits, and the lane it ran in (the execution, a Parallel branch, a Map
//! iteration). One pass in event order; every map is keyed by event id.

use serde_json::{json, Value};
use std::collections::HashMap;

/// One history event, as the analysis needs it.
pub struct Event {
    pub id: u64,
    pub previous: u64,
    pub kind: String,
    /// Milliseconds since the execution started.
    pub at: i64,
    /// The `*EventDetails` member.
    pub details: Value,
}

/// Reads GetExecutionHistory's events (epoch-seconds or ISO timestamps).
pub fn events(history: &[Value]) -> Vec<Event> {
    let time = |v: &Value| -> Option<i64> {
        match v {
            Value::Number(n) => n.as_f64().map(|s| (s * 1000.0).round() as i64),
            Value::String(s) => chrono::DateTime::parse_from_rfc3339(s).ok().map(|t| t.timestamp_millis()),
            _ => None,
        }
    };
    let start = history.first().and_then(|e| time(&e["timestamp"])).unwrap_or(0);
    history
        .iter()
        .map(|e| Event {
            id: e["id"].as_u64().unwrap_or(0),
            previous: e["previousEventId"].as_u64().unwrap_or(0),
            kind: e["type"].as_str().unwrap_or("").to_string(),
            at: time(&e["timestamp"]).map_or(0, |t| t - start),
            details: e
                .as_object()
                .and_then(|m| m.iter().find(|(k, _)| k.ends_with("EventDetails")).map(|(_, v)| v.clone()))
                .unwrap_or(Value::Null),
        })
        .collect()
}

/// An entry into a state: its events, fate and lane.
pub struct Entry {
    pub state: String,
    pub lane: usize,
    pub entered: usize,
    pub exited: Option<usize>,
    pub status: &'static str,
    pub attempts: u32,
}

/// A stretch of time in a lane: a task attempt, a wait, a back-off.
pub struct Span {
    pub entry: usize,
    pub kind: &'static str,
    pub from: i64,
    pub to: i64,
    pub ok: bool,
}

pub struct Analysis {
    /// For each event (by position), the entry it belongs to.
    pub owner: Vec<Option<usize>>,
    pub entries: Vec<Entry>,
    pub lanes: Vec<String>,
    pub spans: Vec<Span>,
}

/// Iterations of one Map drawn as lanes of their own; the rest share one.
pub const LANES_PER_MAP: u64 = 30;
/// Lanes in all, past which new branches and iterations share one.
const MAX_LANES: usize = 200;

const FAILURES: &[&str] = &[
    "TaskFailed",
    "TaskTimedOut",
    "TaskStartFailed",
    "TaskSubmitFailed",
    "LambdaFunctionFailed",
    "LambdaFunctionTimedOut",
    "LambdaFunctionStartFailed",
    "LambdaFunctionScheduleFailed",
    "ActivityFailed",
    "ActivityTimedOut",
    "ActivityScheduleFailed",
    "ParallelStateFailed",
    "MapStateFailed",
    "MapRunFailed",
    "EvaluationFailed",
];
const ATTEMPTS: &[&str] = &["TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled"];
const ATTEMPT_OK: &[&str] = &["TaskSucceeded", "LambdaFunctionSucceeded", "ActivitySucceeded"];

fn container_event(kind: &str) -> bool {
    (kind.starts_with("Parallel") || kind.starts_with("Map")) && !kind.ends_with("StateEntered") && !kind.ends_with("StateExited")
}

/// How bad a fate is, to summarise a state's entries by the worst.
pub fn severity(status: &str) -> u8 {
    match status {
        "failed" => 6,
        "aborted" => 5,
        "caught" => 4,
        "running" => 3,
        "retried" => 2,
        "succeeded" => 1,
        _ => 0,
    }
}

pub fn analyse(events: &[Event], ended: bool) -> Analysis {
    let index: HashMap<u64, usize> = events.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    let mut owner: Vec<Option<usize>> = vec![None; events.len()];
    let mut lane: Vec<usize> = vec![0; events.len()];
    // The containers open along each event's chain: a persistent stack
    // (each node its entry and the node below), one node id per event.
    let mut stack_nodes: Vec<(usize, usize)> = vec![(usize::MAX, 0)];
    let mut open: Vec<usize> = vec![0; events.len()];
    let mut entries: Vec<Entry> = Vec::new();
    let mut lanes = vec!["execution".to_string()];
    let mut branch_count: HashMap<usize, usize> = HashMap::new();
    let mut shared_lane: HashMap<usize, usize> = HashMap::new();
    let mut last_outcome: Vec<Option<bool>> = Vec::new();
    let mut attempt_start: Vec<Option<i64>> = Vec::new();
    let mut spans = Vec::new();
    let new_lane = |lanes: &mut Vec<String>, shared: &mut HashMap<usize, usize>, key: usize, name: String, share: String| -> usize {
        if lanes.len() < MAX_LANES {
            lanes.push(name);
            return lanes.len() - 1;
        }
        *shared.entry(key).or_insert_with(|| {
            lanes.push(share);
            lanes.len() - 1
        })
    };
    for (i, e) in events.iter().enumerate() {
        let p = index.get(&e.previous).copied().filter(|&p| p < i);
        let below = p.map_or(0, |p| open[p]);
        let kind = e.kind.as_str();
        if kind.ends_with("StateEntered") {
            let state = e.details["name"].as_str().unwrap_or("").to_string();
            // A branch or an iteration starts a lane.
            let l = match p.map(|p| (p, events[p].kind.as_str())) {
                Some((p, "ParallelStateStarted")) => {
                    let parallel = owner[p].map(|o| entries[o].state.clone()).unwrap_or_default();
                    let k = branch_count.entry(p).or_insert(0);
                    *k += 1;
                    let name = format!("{parallel} · branch {k}");
                    new_lane(&mut lanes, &mut shared_lane, p, name, format!("{parallel} · more branches"))
                }
                Some((p, "MapIterationStarted")) => {
                    let map = events[p].details["name"].as_str().unwrap_or("").to_string();
                    let item = events[p].details["index"].as_u64().unwrap_or(0);
                    let container = owner[p].unwrap_or(usize::MAX);
                    if item < LANES_PER_MAP {
                        new_lane(&mut lanes, &mut shared_lane, container, format!("{map} · item {item}"), format!("{map} · more items"))
                    } else {
                        *shared_lane.entry(container).or_insert_with(|| {
                            lanes.push(format!("{map} · items {LANES_PER_MAP}+"));
                            lanes.len() - 1
                        })
                    }
                }
                Some((p, _)) => lane[p],
                None => 0,
            };
            lane[i] = l;
            entries.push(Entry { state, lane: l, entered: i, exited: None, status: "running", attempts: 0 });
            last_outcome.push(None);
            attempt_start.push(None);
            owner[i] = Some(entries.len() - 1);
            open[i] = if kind == "ParallelStateEntered" || kind == "MapStateEntered" {
                stack_nodes.push((entries.len() - 1, below));
                stack_nodes.len() - 1
            } else {
                below
            };
            if kind == "FailStateEntered" {
                last_outcome[entries.len() - 1] = Some(false);
            }
            continue;
        }
        if kind.ends_with("StateExited") {
            // The innermost open entry of that name along the chain, or
            // the one its previous event belongs to.
            let name = e.details["name"].as_str().unwrap_or("");
            let mut o = p.and_then(|p| owner[p]);
            if kind == "ParallelStateExited" || kind == "MapStateExited" {
                let (top, rest) = stack_nodes[below];
                if top != usize::MAX && entries[top].state == name {
                    o = Some(top);
                    open[i] = rest;
                } else {
                    open[i] = below;
                }
            } else {
                open[i] = below;
            }
            if let Some(o) = o.filter(|&o| entries[o].state == name) {
                owner[i] = Some(o);
                entries[o].exited = Some(i);
                lane[i] = entries[o].lane;
            }
            continue;
        }
        open[i] = below;
        let o = if container_event(kind) {
            Some(stack_nodes[below].0).filter(|&t| t != usize::MAX)
        } else if kind.starts_with("Execution") {
            None
        } else {
            p.filter(|&p| !events[p].kind.ends_with("StateExited")).and_then(|p| owner[p])
        };
        owner[i] = o;
        lane[i] = o.map_or(0, |o| entries[o].lane);
        let Some(o) = o else { continue };
        if ATTEMPTS.contains(&kind) {
            entries[o].attempts += 1;
            if let (Some(from), Some(false)) = (attempt_start[o], last_outcome[o]) {
                spans.push(Span { entry: o, kind: "backoff", from, to: e.at, ok: true });
            }
            attempt_start[o] = Some(e.at);
        } else if ATTEMPT_OK.contains(&kind) || FAILURES.contains(&kind) {
            let ok = !FAILURES.contains(&kind);
            if let Some(from) = attempt_start[o] {
                spans.push(Span { entry: o, kind: "attempt", from, to: e.at, ok });
                // A back-off runs from here to the next attempt.
                attempt_start[o] = if ok { None } else { Some(e.at) };
            }
            last_outcome[o] = Some(ok);
        } else if kind.ends_with("StateAborted") {
            entries[o].status = "aborted";
        }
    }
    for (k, entry) in entries.iter_mut().enumerate() {
        let exited = entry.exited.is_some();
        entry.status = match (entry.status, last_outcome[k], exited) {
            ("aborted", _, _) => "aborted",
            (_, Some(false), true) => "caught",
            (_, Some(false), false) => "failed",
            (_, _, false) if ended => "failed",
            (_, _, false) => "running",
            _ if entry.attempts > 1 => "retried",
            _ => "succeeded",
        };
        if entry.state.is_empty() {
            entry.status = "succeeded";
        }
    }
    // Waits: a Wait state's whole entry.
    for (k, entry) in entries.iter().enumerate() {
        if events[entry.entered].kind == "WaitStateEntered" {
            let to = entry.exited.map_or(events.last().map_or(0, |e| e.at), |x| events[x].at);
            spans.push(Span { entry: k, kind: "wait", from: events[entry.entered].at, to, ok: true });
        }
    }
    Analysis { owner, entries, lanes, spans }
}

impl Analysis {
    /// The fate of each state, the worst of its entries.
    pub fn state_status(&self) -> Vec<(String, &'static str)> {
        let mut by: Vec<(String, &'static str)> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for e in &self.entries {
            match at.get(e.state.as_str()) {
                Some(&k) => {
                    if severity(e.status) > severity(by[k].1) {
                        by[k].1 = e.status;
                    }
                }
                None => {
                    at.insert(&e.state, by.len());
                    by.push((e.state.clone(), e.status));
                }
            }
        }
        by
    }

    pub fn entries_json(&self, events: &[Event]) -> Value {
        Value::Array(
            self.entries
                .iter()
                .map(|e| {
                    let exit = e.exited.map_or(-1, |x| x as i64);
                    let end = e.exited.map_or(events.last().map_or(0, |l| l.at), |x| events[x].at);
                    json!([e.state, e.lane, e.entered, exit, e.status, e.attempts, events[e.entered].at, end])
                })
                .collect(),
        )
    }

    pub fn spans_json(&self) -> Value {
        Value::Array(self.spans.iter().map(|s| json!([s.entry, s.kind, s.from, s.to, s.ok])).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: u64, prev: u64, kind: &str, at: i64, details: Value) -> Event {
        Event { id, previous: prev, kind: kind.into(), at, details }
    }

    /// AWS's recorded history of a Parallel whose branch fails and whose
    /// Catch takes it (test_parallel_state_catch).
    #[test]
    fn a_caught_parallel_and_its_branch() {
        let h = vec![
            ev(1, 0, "ExecutionStarted", 0, json!({})),
            ev(2, 0, "ParallelStateEntered", 0, json!({"name": "ParallelState"})),
            ev(3, 2, "ParallelStateStarted", 0, json!({})),
            ev(4, 3, "FailStateEntered", 0, json!({"name": "Branch1"})),
            ev(5, 4, "ParallelStateFailed", 1, json!({})),
            ev(6, 5, "ParallelStateExited", 1, json!({"name": "ParallelState"})),
            ev(7, 6, "PassStateEntered", 1, json!({"name": "FinalCaught"})),
            ev(8, 7, "PassStateExited", 1, json!({"name": "FinalCaught"})),
            ev(9, 8, "ExecutionSucceeded", 1, json!({})),
        ];
        let a = analyse(&h, true);
        let fates: Vec<(String, &str)> = a.state_status();
        assert_eq!(fates, [("ParallelState".into(), "caught"), ("Branch1".into(), "failed"), ("FinalCaught".into(), "succeeded")]);
        assert_eq!(a.lanes, ["execution", "ParallelState · branch 1"]);
        assert_eq!(a.entries[1].lane, 1);
        assert_eq!(a.owner[4], Some(0), "ParallelStateFailed belongs to the Parallel, not its branch");
        assert_eq!(a.owner[8], None);
    }

    #[test]
    fn retries_make_attempts_and_back_offs() {
        let h = vec![
            ev(1, 0, "ExecutionStarted", 0, json!({})),
            ev(2, 0, "TaskStateEntered", 0, json!({"name": "T"})),
            ev(3, 2, "TaskScheduled", 0, json!({})),
            ev(4, 3, "TaskStarted", 0, json!({})),
            ev(5, 4, "TaskFailed", 100, json!({"error": "E"})),
            ev(6, 5, "TaskScheduled", 2100, json!({})),
            ev(7, 6, "TaskStarted", 2100, json!({})),
            ev(8, 7, "TaskSucceeded", 2200, json!({})),
            ev(9, 8, "TaskStateExited", 2200, json!({"name": "T"})),
            ev(10, 9, "ExecutionSucceeded", 2200, json!({})),
        ];
        let a = analyse(&h, true);
        assert_eq!((a.entries[0].status, a.entries[0].attempts), ("retried", 2));
        let spans: Vec<(&str, i64, i64, bool)> = a.spans.iter().map(|s| (s.kind, s.from, s.to, s.ok)).collect();
        assert_eq!(spans, [("attempt", 0, 100, false), ("backoff", 100, 2100, true), ("attempt", 2100, 2200, true)]);
    }

    #[test]
    fn map_iterations_get_lanes_until_they_are_many() {
        let mut h = vec![
            ev(1, 0, "ExecutionStarted", 0, json!({})),
            ev(2, 0, "MapStateEntered", 0, json!({"name": "M"})),
            ev(3, 2, "MapStateStarted", 0, json!({})),
        ];
        let mut id = 4;
        for item in 0..40u64 {
            h.push(ev(id, 3, "MapIterationStarted", 0, json!({"name": "M", "index": item})));
            h.push(ev(id + 1, id, "PassStateEntered", 0, json!({"name": "P"})));
            h.push(ev(id + 2, id + 1, "PassStateExited", 0, json!({"name": "P"})));
            h.push(ev(id + 3, id + 2, "MapIterationSucceeded", 0, json!({"name": "M", "index": item})));
            id += 4;
        }
        h.push(ev(id, id - 1, "MapStateSucceeded", 0, json!({})));
        h.push(ev(id + 1, id, "MapStateExited", 0, json!({"name": "M"})));
        let a = analyse(&h, true);
        assert_eq!(a.lanes.len(), 1 + LANES_PER_MAP as usize + 1, "{:?}", a.lanes);
        assert_eq!(a.lanes.last().unwrap(), "M · items 30+");
        assert_eq!(a.state_status(), [("M".into(), "succeeded"), ("P".into(), "succeeded")]);
        assert_eq!(a.entries[0].exited, Some(h.len() - 1));
    }
}
