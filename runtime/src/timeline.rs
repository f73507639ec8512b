//! A readable timeline of an execution, from its history: one line per
//! state entered, failure, retry and end, with virtual timestamps.

use crate::history::Events;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Renders the timeline; times are offsets from the first event.
pub fn render(events: &Events) -> String {
    let Some(first) = events.first() else { return String::new() };
    let start = first.timestamp;
    let mut out = String::new();
    let mut entered: HashMap<String, DateTime<Utc>> = HashMap::new();
    let mut attempts: HashMap<String, u32> = HashMap::new();
    let mut current = String::new();
    for e in events {
        let at = offset(start, e.timestamp);
        let detail = |k: &str| e.details.get(k).unwrap_or("").to_string();
        use crate::history::EventType::*;
        match e.kind {
            kind if kind.is_state_entered() => {
                let name = detail("name");
                let state_type = kind.as_str().trim_end_matches("StateEntered");
                out.push_str(&format!("{at}  {name} ({state_type})\n"));
                entered.insert(name.clone(), e.timestamp);
                current = name;
            }
            kind if kind.is_state_exited() => {
                let name = detail("name");
                if let Some(t) = entered.get(&name) {
                    let took = (e.timestamp - *t).num_milliseconds() as f64 / 1000.0;
                    if took > 0.0 {
                        out.push_str(&format!("{at}    {name} done after {took:.3}s\n"));
                    }
                }
            }
            TaskScheduled => {
                let n = attempts.entry(current.clone()).or_insert(0);
                *n += 1;
                if *n > 1 {
                    out.push_str(&format!("{at}    retry {} of {current}\n", *n - 1));
                }
            }
            kind @ (TaskFailed | TaskTimedOut) => {
                out.push_str(&format!("{at}    {kind}: {}{}\n", detail("error"), cause_suffix(&detail("cause"))))
            }
            ExecutionSucceeded => out.push_str(&format!("{at}  SUCCEEDED\n")),
            ExecutionFailed => out.push_str(&format!("{at}  FAILED {}{}\n", detail("error"), cause_suffix(&detail("cause")))),
            ExecutionTimedOut => out.push_str(&format!("{at}  TIMED_OUT\n")),
            _ => {}
        }
    }
    out
}

fn cause_suffix(cause: &str) -> String {
    if cause.is_empty() {
        String::new()
    } else {
        format!(" — {cause}")
    }
}

fn offset(start: DateTime<Utc>, t: DateTime<Utc>) -> String {
    let ms = (t - start).num_milliseconds();
    format!("+{}.{:03}s", ms / 1000, ms % 1000)
}
