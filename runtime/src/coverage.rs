//! Coverage: which parts of a machine (states, Choice rules and Default,
//! Retry and Catch entries, each state's way on) a set of executions took,
//! and which they never did. The interpreter records into a [`Recorder`]
//! when a run is given one; a [`Report`] compares it with the machine.

use sfc_asl::parts::{self, Kind, Part};
use sfc_asl::StateMachine;
use std::collections::HashSet;
use std::sync::Mutex;

/// The parts the executions it was given to took, across all of them;
/// and, when tracing, each in the order it was taken.
#[derive(Debug, Default)]
pub struct Recorder {
    taken: Mutex<HashSet<Part>>,
    trace: Option<Mutex<Vec<Part>>>,
}

impl Recorder {
    /// A recorder that also keeps the order (`sfc check` reads a path from it).
    pub fn tracing() -> Recorder {
        Recorder { trace: Some(Mutex::default()), ..Recorder::default() }
    }

    pub fn record(&self, part: Part) {
        match &self.trace {
            // A trace has every part: no set beside it.
            Some(t) => t.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(part),
            None => {
                self.lock().insert(part);
            }
        }
    }

    /// The parts in the order they were taken (empty unless tracing).
    pub fn trace(&self) -> Vec<Part> {
        self.trace.as_ref().map(|t| t.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()).unwrap_or_default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<Part>> {
        // A set of names stays whole whatever panicked while it was held.
        self.taken.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether any execution took `part`.
    pub fn took(&self, part: &Part) -> bool {
        match &self.trace {
            Some(_) => self.trace().contains(part),
            None => self.lock().contains(part),
        }
    }

    /// Everything taken so far.
    pub fn taken(&self) -> HashSet<Part> {
        match &self.trace {
            Some(_) => self.trace().into_iter().collect(),
            None => self.lock().clone(),
        }
    }
}

/// One kind of part: how many there are, and which were never taken.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub kind: Kind,
    pub total: usize,
    pub taken: usize,
    pub missed: Vec<Part>,
}

/// A machine's coverage, kind by kind (kinds the machine has none of are
/// left out).
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub tallies: Vec<Tally>,
}

impl Report {
    pub fn new(machine: &StateMachine, recorder: &Recorder) -> Report {
        let all = parts::parts(machine);
        let tallies = Kind::ALL
            .into_iter()
            .filter_map(|kind| {
                let of_kind: Vec<&Part> = all.iter().filter(|p| p.kind() == kind).collect();
                let missed: Vec<Part> = of_kind.iter().filter(|p| !recorder.took(p)).map(|p| (*p).clone()).collect();
                (!of_kind.is_empty()).then(|| Tally { kind, total: of_kind.len(), taken: of_kind.len() - missed.len(), missed })
            })
            .collect();
        Report { tallies }
    }

    /// Parts taken over all parts, as a percentage (100 for a machine of
    /// no parts).
    pub fn percent(&self) -> f64 {
        let total: usize = self.tallies.iter().map(|t| t.total).sum();
        let taken: usize = self.tallies.iter().map(|t| t.taken).sum();
        if total == 0 {
            100.0
        } else {
            taken as f64 * 100.0 / total as f64
        }
    }

    /// As one JSON document: per kind, the counts and each part missed
    /// (its state, what it is, its index in its list, and how it reads).
    pub fn to_json(&self, machine: &StateMachine) -> serde_json::Value {
        let kinds: serde_json::Map<String, serde_json::Value> = self
            .tallies
            .iter()
            .map(|t| {
                let missed: Vec<serde_json::Value> = t
                    .missed
                    .iter()
                    .map(|p| serde_json::json!({"state": p.state(), "part": p.label(), "index": p.index(), "text": p.describe(machine)}))
                    .collect();
                (t.kind.as_str().to_string(), serde_json::json!({"total": t.total, "taken": t.taken, "missed": missed}))
            })
            .collect();
        serde_json::json!({"percent": (self.percent() * 10.0).round() / 10.0, "kinds": kinds})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{run, RunOptions};

    /// Parts inside Parallel branches and Map processors count, a
    /// distributed Map's child executions' too; a caught branch failure
    /// takes the Catch entry, not the Parallel's Next.
    #[test]
    fn nested_parts_count_and_a_catch_is_not_a_next() {
        let m: StateMachine = serde_json::from_value(serde_json::json!({"StartAt": "Fan", "States": {
            "Fan": {"Type": "Map", "ItemsPath": "$.items", "Next": "Both",
                    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                                      "StartAt": "Each", "States": {"Each": {"Type": "Pass", "End": true}}}},
            "Both": {"Type": "Parallel", "Next": "Unreached", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}],
                     "Branches": [{"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom"}}}]},
            "Unreached": {"Type": "Pass", "End": true},
            "Caught": {"Type": "Succeed"}}}))
        .unwrap();
        let recorder = std::sync::Arc::new(Recorder::default());
        let opts = RunOptions { coverage: Some(recorder.clone()), ..RunOptions::default() };
        let out = run(&m, serde_json::json!({"items": [1, 2]}), &crate::integration::Unavailable, &opts);
        assert_eq!(out.status, crate::Status::Succeeded, "{:?}", out.cause);
        let s = |n: &str| n.to_string();
        for taken in
            [Part::State(s("Each")), Part::Next(s("Each")), Part::Next(s("Fan")), Part::State(s("Boom")), Part::Catcher(s("Both"), 0)]
        {
            assert!(recorder.took(&taken), "{taken:?} taken");
        }
        for missed in [Part::Next(s("Both")), Part::State(s("Unreached"))] {
            assert!(!recorder.took(&missed), "{missed:?} not taken");
        }
        let report = Report::new(&m, &recorder);
        let states = report.tallies.iter().find(|t| t.kind == Kind::States).unwrap();
        assert_eq!((states.taken, states.total), (5, 6));
    }
}
