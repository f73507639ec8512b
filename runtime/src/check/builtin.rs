//! The checks every workflow should pass, with no property written: no
//! path ends in States.Runtime or past the history limit, none times out
//! by its retries and waits alone, every state and Catch entry is reached
//! by some outcome, and no Retry or Catch entry is dead (shadowed by an
//! earlier entry of the same state).

use super::outcomes::Outcome;
use super::Path;
use crate::error::Failure;
use crate::Status;
use sfc_asl::parts::Part;
use sfc_asl::StateMachine;
use std::collections::HashSet;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Pass,
    /// Said, not failed: what random paths did not reach may still be reachable.
    Warn,
    Fail,
}

/// One built-in check's result.
#[derive(Debug, Clone)]
pub struct Finding {
    pub check: &'static str,
    pub level: Level,
    /// What was found (empty when it passed).
    pub details: Vec<String>,
    pub counterexample: Option<Path>,
}

impl Finding {
    pub fn failed(&self) -> bool {
        self.level == Level::Fail
    }
}

/// The name of the States.Runtime check.
pub const RUNTIME_CHECK: &str = "no path ends in States.Runtime";
const RUNTIME: &str = RUNTIME_CHECK;
const HISTORY: &str = "no path exceeds the history limit (25,000 events)";
const TIMEOUT: &str = "no path times out by its retries and waits alone";
const STATES: &str = "every state is reached by some outcome";
const CATCHES: &str = "every Catch entry is reached by some outcome";
const DEAD: &str = "no Retry or Catch entry is shadowed by an earlier one";

/// What the paths seen so far did.
pub struct Watch {
    machine: StateMachine,
    taken: HashSet<Part>,
    /// The shortest path seen failing each path check.
    worst: Vec<(&'static str, Path)>,
}

impl Watch {
    pub fn new(machine: &StateMachine) -> Watch {
        Watch { machine: machine.clone(), taken: HashSet::new(), worst: Vec::new() }
    }

    pub fn visit(&mut self, path: Path) {
        let check = match (&path.status, path.error.as_deref(), path.cause.as_deref()) {
            (_, Some(crate::error::names::RUNTIME), Some(c)) if c.contains("maximum number of history events") => Some(HISTORY),
            (_, Some(crate::error::names::RUNTIME), _) => Some(RUNTIME),
            (Status::TimedOut, _, _) if !path.choices.iter().any(|c| c.outcome == Outcome::Hangs) => Some(TIMEOUT),
            _ => None,
        };
        if let Some(check) = check {
            match self.worst.iter_mut().find(|(c, _)| *c == check) {
                Some((_, best)) if path.trace.len() < best.trace.len() => *best = path.clone(),
                Some(_) => {}
                None => self.worst.push((check, path.clone())),
            }
        }
        self.taken.extend(path.trace);
    }

    /// Every check's result; `exhaustive` says whether every path was run.
    pub fn finish(self, exhaustive: bool, paths: usize) -> Vec<Finding> {
        let mut out = Vec::new();
        for check in [RUNTIME, HISTORY, TIMEOUT] {
            let found = self.worst.iter().find(|(c, _)| *c == check).map(|(_, p)| p.clone());
            let details = found.iter().map(|p| format!("ends {} ({})", p.status.as_str(), p.cause.as_deref().unwrap_or(""))).collect();
            out.push(Finding { check, level: if found.is_some() { Level::Fail } else { Level::Pass }, details, counterexample: found });
        }
        // Unreached parts: certain when every path ran, a hint otherwise.
        let missing = if exhaustive { Level::Fail } else { Level::Warn };
        let how = if exhaustive { "no outcome reaches it".to_string() } else { format!("not reached in {paths} random paths") };
        let parts = sfc_asl::parts::parts(&self.machine);
        for (check, kind) in [(STATES, "state"), (CATCHES, "catch")] {
            let unreached: Vec<String> = parts
                .iter()
                .filter(|p| p.label() == kind && !self.taken.contains(p))
                .map(|p| format!("{}: {how}", p.describe(&self.machine)))
                .collect();
            let level = if unreached.is_empty() { Level::Pass } else { missing };
            out.push(Finding { check, level, details: unreached, counterexample: None });
        }
        let dead = dead_entries(&self.machine);
        out.push(Finding {
            check: DEAD,
            level: if dead.is_empty() { Level::Pass } else { Level::Fail },
            details: dead,
            counterexample: None,
        });
        out
    }
}

/// Retry and Catch entries no error can reach: every name they list is
/// matched by an earlier entry of the same list.
fn dead_entries(machine: &StateMachine) -> Vec<String> {
    let mut out = Vec::new();
    for (name, state) in machine.all_states() {
        let lists = [
            ("Retry", state.retriers().iter().map(|r| &r.error_equals).collect::<Vec<_>>()),
            ("Catch", state.catchers().iter().map(|c| &c.error_equals).collect()),
        ];
        for (field, entries) in lists {
            for (i, names) in entries.iter().enumerate() {
                let shadowed_by = |error: &String| {
                    let f = Failure { error: error.clone(), cause: None, origin: crate::error::Origin::Interpreter };
                    entries[..i]
                        .iter()
                        .position(|earlier| earlier.contains(&"States.ALL".to_string()) || (error != "States.ALL" && f.matches(earlier)))
                };
                let by: Vec<usize> = names.iter().map(shadowed_by).collect::<Option<Vec<_>>>().unwrap_or_default();
                if !names.is_empty() && by.len() == names.len() {
                    let firsts: Vec<String> =
                        by.iter().map(|j| format!("{field}[{j}]")).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
                    out.push(format!("{name} {field}[{i}] ({}) is matched first by {}", names.join(", "), firsts.join(", ")));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_matched_first_by_earlier_ones_are_dead() {
        let m: StateMachine = serde_json::from_value(serde_json::json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                  "Retry": [{"ErrorEquals": ["States.TaskFailed"]}, {"ErrorEquals": ["Lambda.Throttled"]}, {"ErrorEquals": ["States.Timeout"]}],
                  "Catch": [{"ErrorEquals": ["A", "B"], "Next": "F"}, {"ErrorEquals": ["B"], "Next": "F"}, {"ErrorEquals": ["States.ALL"], "Next": "F"}]},
            "F": {"Type": "Fail"}}}))
        .unwrap();
        assert_eq!(
            dead_entries(&m),
            ["T Retry[1] (Lambda.Throttled) is matched first by Retry[0]", "T Catch[1] (B) is matched first by Catch[0]",],
            "States.Timeout escapes States.TaskFailed; States.ALL after others is alive"
        );
    }
}
