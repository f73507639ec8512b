//! `sfc check`: a workflow's executions under every combination of Task
//! outcomes (see [`outcomes`]), checked against the user's properties
//! ([`property`]) and the checks every workflow should pass ([`builtin`]).
//!
//! Each path is one run of the interpreter, in virtual time, whose Task
//! calls are answered by a [`outcomes::Chooser`]. Runs are deterministic,
//! so a path is its list of choices: exploration is depth first over
//! those lists (every path, when there are at most `max_paths`); past
//! that bound, `max_paths` random paths from a seed follow, and each
//! counterexample is shrunk.

pub mod builtin;
pub mod outcomes;
pub mod property;

use crate::context::ExecutionInfo;
use crate::coverage::Recorder;
use crate::{run_prepared, Prepared, RunOptions, Status};
use outcomes::{Beyond, Choice, Chooser, Outcomes};
use property::Written;
use serde_json::Value;
use sfc_asl::parts::Part;
use std::sync::Arc;
use std::time::Duration;

/// How to explore.
#[derive(Debug, Clone)]
pub struct Settings {
    /// At most this many paths: all of them when there are no more.
    pub max_paths: usize,
    /// Seeds the random paths when there are more.
    pub seed: u64,
    /// Each input is explored in turn (Choice states follow the data).
    pub inputs: Vec<Value>,
    pub machine_name: String,
}

/// One path: its input, the outcomes chosen, the parts taken in order,
/// how it ended.
#[derive(Debug, Clone)]
pub struct Path {
    pub input: Value,
    pub choices: Vec<Choice>,
    pub trace: Vec<Part>,
    pub status: Status,
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// Virtual time from start to end.
    pub elapsed: Duration,
}

impl Path {
    /// States entered, in order.
    pub fn states(&self) -> Vec<&str> {
        self.trace.iter().filter_map(|p| if let Part::State(s) = p { Some(s.as_str()) } else { None }).collect()
    }

    fn script(&self) -> Vec<usize> {
        self.choices.iter().map(|c| c.option).collect()
    }

    /// Simpler paths make better counterexamples: fewer outcomes other
    /// than the first success, then fewer steps.
    fn length(&self) -> (usize, usize) {
        (self.choices.iter().filter(|c| c.option != 0).count(), self.trace.len())
    }
}

/// A property's verdict: a counterexample when it does not hold.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub property: Written,
    pub counterexample: Option<(Path, String)>,
}

/// What exploring found.
#[derive(Debug, Clone)]
pub struct Exploration {
    /// Paths run in all: depth first, then `random` random ones.
    pub paths: usize,
    /// Every path was run.
    pub exhaustive: bool,
    /// Random paths run after the depth-first ones reached the bound.
    pub random: usize,
    pub seed: u64,
    pub tasks: usize,
    pub verdicts: Vec<Verdict>,
    pub findings: Vec<builtin::Finding>,
}

impl Exploration {
    /// Whether every property holds and no built-in check failed.
    pub fn passed(&self) -> bool {
        self.verdicts.iter().all(|v| v.counterexample.is_none()) && self.findings.iter().all(|f| !f.failed())
    }
}

/// Runs one path.
fn run_path(prepared: &Prepared, outcomes: &Outcomes, input: &Value, script: &[usize], beyond: Beyond, settings: &Settings) -> Path {
    let recorder = Arc::new(Recorder::tracing());
    let chooser = Chooser { outcomes, script, beyond, made: Default::default() };
    let opts = RunOptions {
        info: ExecutionInfo { machine_name: settings.machine_name.clone(), execution_name: "check".into(), ..ExecutionInfo::default() },
        event_data: Some(false),
        keeping: crate::history::Keeping::Nothing,
        coverage: Some(recorder.clone()),
        // A fixed start: `ends within` and timestamps repeat.
        start_time: chrono::DateTime::from_timestamp(1_767_225_600, 0),
        ..RunOptions::default()
    };
    let out = run_prepared(prepared, input.clone(), &chooser, &opts);
    Path {
        input: input.clone(),
        choices: chooser.made.into_inner(),
        trace: recorder.trace(),
        status: out.status,
        output: out.output,
        error: out.error,
        cause: out.cause,
        elapsed: (out.ended - out.started).to_std().unwrap_or_default(),
    }
}

/// Each property's best counterexample so far, and the built-in checks.
struct Judge {
    verdicts: Vec<Verdict>,
    watch: builtin::Watch,
}

impl Judge {
    fn new(properties: &[Written], machine: &sfc_asl::StateMachine) -> Judge {
        Judge {
            verdicts: properties.iter().map(|p| Verdict { property: p.clone(), counterexample: None }).collect(),
            watch: builtin::Watch::new(machine),
        }
    }

    fn visit(&mut self, path: Path) {
        for v in self.verdicts.iter_mut() {
            if let Err(why) = property::holds(&v.property.property, &path) {
                if v.counterexample.as_ref().is_none_or(|(best, _)| path.length() < best.length()) {
                    v.counterexample = Some((path.clone(), why));
                }
            }
        }
        self.watch.visit(path);
    }
}

/// Explores `prepared`'s paths, checking `properties` on each.
pub fn explore(prepared: &Prepared, outcomes: &Outcomes, properties: &[Written], settings: &Settings) -> Exploration {
    let judge = &mut Judge::new(properties, &prepared.machine);
    let mut paths = 0;
    let mut exhaustive = true;
    // Depth first, input by input: change the last choice that has an outcome left.
    'inputs: for input in &settings.inputs {
        let mut script: Vec<usize> = Vec::new();
        loop {
            let path = run_path(prepared, outcomes, input, &script, Beyond::First, settings);
            paths += 1;
            let next = path.choices.iter().rposition(|c| c.option + 1 < c.of).map(|k| {
                let mut s: Vec<usize> = path.choices[..k].iter().map(|c| c.option).collect();
                s.push(path.choices[k].option + 1);
                s
            });
            judge.visit(path);
            match next {
                None => break,
                Some(_) if paths >= settings.max_paths => {
                    exhaustive = false;
                    break 'inputs;
                }
                Some(s) => script = s,
            }
        }
    }
    let mut random = 0;
    if !exhaustive {
        // Too many to run them all: random paths too, from the seed (what
        // the depth-first paths found stays found).
        for i in 0..settings.max_paths {
            let rng = rand::SeedableRng::seed_from_u64(settings.seed.wrapping_add(i as u64));
            let input = &settings.inputs[i % settings.inputs.len()];
            judge.visit(run_path(prepared, outcomes, input, &[], Beyond::Random(Box::new(std::cell::RefCell::new(rng))), settings));
        }
        random = settings.max_paths;
        paths += random;
        for v in judge.verdicts.iter_mut() {
            if let Some((path, _)) = v.counterexample.take() {
                let fails = |p: &Path| property::holds(&v.property.property, p).err();
                v.counterexample = Some(shrink(prepared, outcomes, settings, path, &fails));
            }
        }
    }
    let findings = std::mem::replace(&mut judge.watch, builtin::Watch::new(&prepared.machine)).finish(exhaustive, paths);
    Exploration {
        paths,
        exhaustive,
        random,
        seed: settings.seed,
        tasks: outcomes.tasks(),
        verdicts: std::mem::take(&mut judge.verdicts),
        findings,
    }
}

/// A smaller path that still fails: each choice made a success where
/// that keeps the failure, last first (a bounded number of reruns).
fn shrink(
    prepared: &Prepared,
    outcomes: &Outcomes,
    settings: &Settings,
    path: Path,
    fails: &dyn Fn(&Path) -> Option<String>,
) -> (Path, String) {
    let mut why = fails(&path).unwrap_or_default();
    let mut best = path;
    let mut tries = 0;
    let mut k = best.choices.len();
    while k > 0 && tries < 500 {
        k -= 1;
        if best.choices.get(k).is_none_or(|c| c.option == 0) {
            continue;
        }
        let mut script = best.script();
        script[k] = 0;
        tries += 1;
        let candidate = run_path(prepared, outcomes, &best.input, &script, Beyond::First, settings);
        if let Some(w) = fails(&candidate) {
            if candidate.length() <= best.length() {
                best = candidate;
                why = w;
                k = k.min(best.choices.len());
            }
        }
    }
    (best, why)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(v: Value) -> Prepared {
        Prepared::new(serde_json::from_value(v).unwrap())
    }

    fn settings(max_paths: usize) -> Settings {
        Settings { max_paths, seed: 3, inputs: vec![serde_json::json!({})], machine_name: "M".into() }
    }

    /// A task with one retried error (2 retries) and a catch: outcomes
    /// success, the retried error and States.TaskFailed (caught alike by
    /// States.ALL, so one outcome unless every error is asked for).
    #[test]
    fn counts_every_path_and_finds_runtime_errors() {
        let m = machine(serde_json::json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "C",
                  "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2}], "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.missing", "IsPresent": true, "Next": "Caught"}], "Default": "Bad"},
            "Bad": {"Type": "Choice", "Choices": [{"Variable": "$.missing", "NumericEquals": 1, "Next": "Caught"}], "Default": "Caught"},
            "Caught": {"Type": "Succeed"}}}));
        let outcomes = Outcomes::of(&m.machine, None, false);
        assert_eq!(outcomes.of_state("T").len(), 3, "{:?}", outcomes.of_state("T"));
        let x = explore(&m, &outcomes, &[], &settings(1000));
        // Attempts: S | F | Busy S | Busy F | Busy Busy S | Busy Busy F | Busy Busy Busy (caught).
        assert_eq!((x.paths, x.exhaustive), (7, true));
        let runtime = x.findings.iter().find(|f| f.check == builtin::RUNTIME_CHECK).unwrap();
        assert_eq!(runtime.level, builtin::Level::Fail, "a Choice on a missing path is States.Runtime");
        assert_eq!(runtime.counterexample.as_ref().unwrap().choices.len(), 1, "the shortest path: T succeeds");
        let every = Outcomes::of(&m.machine, None, true);
        assert_eq!(every.of_state("T").len(), 3, "Busy, States.TaskFailed: both named or added; success");
    }

    /// A path over the history limit, and one that times out by its
    /// retries alone (no task hung), each fail their built-in check.
    #[test]
    fn history_and_retry_timeouts_are_found() {
        let level = |x: &Exploration, check: &str| x.findings.iter().find(|f| f.check.starts_with(check)).map(|f| f.level).unwrap();
        let looping = machine(serde_json::json!({"StartAt": "Count", "States": {
            "Count": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "Next": "More"},
            "More": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 20000, "Next": "Count"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}}}));
        let s = Settings { inputs: vec![serde_json::json!({"n": 0})], ..settings(10) };
        let x = explore(&looping, &Outcomes::of(&looping.machine, None, false), &[], &s);
        assert_eq!(level(&x, "no path exceeds the history limit"), builtin::Level::Fail);
        let slow = machine(serde_json::json!({"TimeoutSeconds": 100, "StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                  "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 60, "MaxAttempts": 3}]}}}));
        let x = explore(&slow, &Outcomes::of(&slow.machine, None, false), &[], &settings(100));
        assert_eq!(level(&x, "no path times out by its retries"), builtin::Level::Fail);
        let found = x.findings.iter().find(|f| f.check.starts_with("no path times out")).unwrap();
        let path = found.counterexample.as_ref().unwrap();
        assert!(path.choices.iter().all(|c| c.outcome != outcomes::Outcome::Hangs), "no task hung on it");
    }

    /// Past the bound, random paths from the seed; a counterexample is
    /// shrunk to the fewest failures that still break the property.
    #[test]
    fn samples_and_shrinks_past_the_bound() {
        let m = machine(serde_json::json!({"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "B", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "B"}]},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "C", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "C"}]},
            "C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true, "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Oops"}]},
            "Oops": {"Type": "Fail"}}}));
        let outcomes = Outcomes::of(&m.machine, None, false);
        let never = property::Written { text: "never Oops".into(), property: property::parse("never Oops").unwrap() };
        let x = explore(&m, &outcomes, &[never], &settings(6));
        assert!(!x.exhaustive);
        let (path, _) = x.verdicts[0].counterexample.as_ref().expect("the paths reach Oops");
        let failures: Vec<&str> = path.choices.iter().filter(|c| c.option != 0).map(|c| c.state.as_str()).collect();
        assert_eq!(failures, ["C"], "the simplest path: C's failure alone");
        // Shrinking a path where every task failed keeps only what the failure needs.
        let s = settings(6);
        let all_fail = run_path(&m, &outcomes, &s.inputs[0], &[1, 1, 1], Beyond::First, &s);
        assert_eq!(all_fail.choices.iter().filter(|c| c.option != 0).count(), 3);
        let fails = |p: &Path| property::holds(&x.verdicts[0].property.property, p).err();
        let (shrunk, why) = shrink(&m, &outcomes, &s, all_fail, &fails);
        let failures: Vec<&str> = shrunk.choices.iter().filter(|c| c.option != 0).map(|c| c.state.as_str()).collect();
        assert_eq!((failures, why.as_str()), (vec!["C"], "Oops is entered"));
    }
}
