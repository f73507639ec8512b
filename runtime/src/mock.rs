//! Mocked Task responses in the Step Functions Local `MockConfigFile`
//! format, so a user's existing file works unchanged:
//!
//! ```json
//! {"StateMachines": {"M": {"TestCases": {"Happy": {"State": "Response"}}}},
//!  "MockedResponses": {"Response": {"0": {"Return": {...}}, "1-2": {"Throw": {"Error": "E", "Cause": "c"}}}}}
//! ```
//!
//! One invocation counter per state per execution, counted across
//! retries, Map iterations and loops; a call with no entry for its count is
//! `States.Runtime`.
//!
//! One extension, which Step Functions Local ignores: an entry may say how
//! long the call takes, `{"Return": ..., "DelaySeconds": 5400}`, so a
//! long job can run into a TimeoutSeconds or the machine's timeout (in
//! virtual time this costs nothing).

use crate::error::Failure;
use crate::integration::{Integration, TaskFuture, TaskRequest};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::collections::HashMap;

/// The longest a mocked call may take: a year, longer than any execution runs.
const MAX_DELAY_SECONDS: f64 = 31_622_400.0;

/// What one call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    Return(Value),
    Throw(Failure),
}

/// One entry: the response, and how long the call takes to give it.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    response: Response,
    delay: Option<std::time::Duration>,
}

/// A mocked response: outcomes by invocation number (`"0"`, `"1-2"`).
#[derive(Debug, Clone, Default)]
pub struct Responses {
    ranges: Vec<(u64, u64, Entry)>,
}

impl Responses {
    fn at(&self, n: u64) -> Option<&Entry> {
        self.ranges.iter().find(|(a, b, _)| (*a..=*b).contains(&n)).map(|(_, _, r)| r)
    }
}

/// A parsed mock file.
#[derive(Debug, Clone, Default)]
pub struct MockConfig {
    /// machine → case → state → response name
    machines: HashMap<String, HashMap<String, Vec<(String, String)>>>,
    responses: HashMap<String, Responses>,
    /// sfc's extension: what each case must end with (`Expectations`).
    expectations: HashMap<(String, String), crate::expect::Expectation>,
}

/// A broken mock file: the message names the entry.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MockError(pub String);

fn object<'v>(v: &'v Value, at: &str) -> Result<&'v Map<String, Value>, MockError> {
    v.as_object().ok_or_else(|| MockError(format!("{at} must be an object")))
}

impl MockConfig {
    pub fn parse(v: &Value) -> Result<MockConfig, MockError> {
        let root = object(v, "the mock file")?;
        let mut cfg = MockConfig::default();
        if let Some(r) = root.get("MockedResponses") {
            for (name, entries) in object(r, "MockedResponses")? {
                cfg.responses.insert(name.clone(), responses(name, entries)?);
            }
        }
        let machines = root.get("StateMachines").ok_or_else(|| MockError("the mock file has no StateMachines".into()))?;
        for (machine, body) in object(machines, "StateMachines")? {
            let at = format!("StateMachines.{machine}");
            let cases = object(body, &at)?.get("TestCases").ok_or_else(|| MockError(format!("{at} has no TestCases")))?;
            let mut out = HashMap::new();
            for (case, states) in object(cases, &format!("{at}.TestCases"))? {
                let mut list = Vec::new();
                for (state, response) in object(states, &format!("{at}.TestCases.{case}"))? {
                    let name = response
                        .as_str()
                        .ok_or_else(|| MockError(format!("{at}.TestCases.{case}.{state} must name a response (a string)")))?;
                    if !cfg.responses.contains_key(name) {
                        return Err(MockError(format!(
                            "{at}.TestCases.{case}.{state} names response {name:?}, which MockedResponses does not define"
                        )));
                    }
                    list.push((state.clone(), name.to_string()));
                }
                out.insert(case.clone(), list);
            }
            cfg.machines.insert(machine.clone(), out);
        }
        if let Some(e) = root.get("Expectations") {
            for (machine, cases) in object(e, "Expectations")? {
                for case in object(cases, &format!("Expectations.{machine}"))?.keys() {
                    if let Some(x) = crate::expect::expectation(v, machine, case).map_err(MockError)? {
                        cfg.expectations.insert((machine.clone(), case.clone()), x);
                    }
                }
            }
        }
        Ok(cfg)
    }

    /// What a case must end with, when the file says.
    pub fn expectation(&self, machine: &str, case: &str) -> Option<&crate::expect::Expectation> {
        self.expectations.get(&(machine.to_string(), case.to_string()))
    }

    /// The states a case mocks.
    pub fn case_states(&self, machine: &str, case: &str) -> Vec<&str> {
        self.machines.get(machine).and_then(|c| c.get(case)).map(|l| l.iter().map(|(s, _)| s.as_str()).collect()).unwrap_or_default()
    }

    /// MockedResponses no test case names, sorted.
    pub fn unused_responses(&self) -> Vec<&str> {
        let used: std::collections::HashSet<&str> =
            self.machines.values().flat_map(|cases| cases.values()).flatten().map(|(_, r)| r.as_str()).collect();
        let mut unused: Vec<&str> = self.responses.keys().map(String::as_str).filter(|r| !used.contains(r)).collect();
        unused.sort_unstable();
        unused
    }

    /// Test case names of a machine, in file order.
    pub fn cases(&self, machine: &str) -> Option<Vec<String>> {
        self.machines.get(machine).map(|c| {
            let mut v: Vec<String> = c.keys().cloned().collect();
            v.sort();
            v
        })
    }

    /// Every response any test case of `machine` gives `state`, each
    /// once, in the order the file's cases name them (what `sfc check`
    /// takes a task's outcomes to be).
    pub fn responses_for(&self, machine: &str, state: &str) -> Vec<Response> {
        let mut out: Vec<Response> = Vec::new();
        let mut cases: Vec<_> = self.machines.get(machine).into_iter().flatten().collect();
        cases.sort_by(|a, b| a.0.cmp(b.0));
        for (_, states) in cases {
            for (_, name) in states.iter().filter(|(s, _)| s == state) {
                for (_, _, entry) in &self.responses[name].ranges {
                    if !out.contains(&entry.response) {
                        out.push(entry.response.clone());
                    }
                }
            }
        }
        out
    }

    pub fn machines(&self) -> Vec<String> {
        let mut v: Vec<String> = self.machines.keys().cloned().collect();
        v.sort();
        v
    }

    /// The integration for one test case of one machine.
    pub fn case(&self, machine: &str, case: &str) -> Result<MockCase, MockError> {
        let cases = self
            .machines
            .get(machine)
            .ok_or_else(|| MockError(format!("the mock file has no state machine {machine:?}; it has {}", self.machines().join(", "))))?;
        let states = cases.get(case).ok_or_else(|| {
            MockError(format!(
                "state machine {machine:?} has no test case {case:?}; it has {}",
                self.cases(machine).unwrap_or_default().join(", ")
            ))
        })?;
        let states = states.iter().map(|(s, r)| (s.clone(), self.responses[r].clone())).collect();
        Ok(MockCase { case: case.to_string(), states, calls: RefCell::new(HashMap::new()) })
    }
}

/// `{"0": {"Return": ...}, "1-2": {"Throw": {...}}}` with no gaps.
fn responses(name: &str, v: &Value) -> Result<Responses, MockError> {
    let at = format!("MockedResponses.{name}");
    let mut ranges = Vec::new();
    for (key, entry) in object(v, &at)? {
        let (a, b) = match key.split_once('-') {
            Some((a, b)) => (a.trim().parse::<u64>(), b.trim().parse::<u64>()),
            None => (key.trim().parse::<u64>(), key.trim().parse::<u64>()),
        };
        let (Ok(a), Ok(b)) = (a, b) else {
            return Err(MockError(format!("{at}: key {key:?} must be an invocation number (\"0\") or range (\"1-2\")")));
        };
        if b < a {
            return Err(MockError(format!("{at}: range {key:?} ends before it starts")));
        }
        let e = object(entry, &format!("{at}.{key}"))?;
        if let Some(k) = e.keys().find(|k| !["Return", "Throw", "DelaySeconds"].contains(&k.as_str())) {
            let hint = sfc_asl::suggest::closest(k, &["Return", "Throw", "DelaySeconds"])
                .map(|c| format!("; did you mean {c:?}?"))
                .unwrap_or_default();
            return Err(MockError(format!("{at}.{key}: unknown key {k:?} (a response takes Return or Throw, and DelaySeconds){hint}")));
        }
        let response = match (e.get("Return"), e.get("Throw")) {
            (Some(_), Some(_)) => return Err(MockError(format!("{at}.{key} has both Return and Throw; give one"))),
            (Some(r), None) => Response::Return(r.clone()),
            (None, Some(t)) => {
                let t = object(t, &format!("{at}.{key}.Throw"))?;
                let error = match t.get("Error") {
                    Some(Value::String(e)) => e,
                    Some(other) => return Err(MockError(format!("{at}.{key}.Throw.Error must be a string, not {other}"))),
                    None => return Err(MockError(format!("{at}.{key}.Throw has no Error"))),
                };
                let cause = t.get("Cause").map(|c| c.as_str().map(str::to_string).unwrap_or_else(|| c.to_string()));
                Response::Throw(Failure { error: error.to_string(), cause, origin: crate::error::Origin::Interpreter })
            }
            (None, None) => return Err(MockError(format!("{at}.{key} needs Return or Throw"))),
        };
        let delay = match e.get("DelaySeconds") {
            None => None,
            Some(d) => match d.as_f64() {
                Some(secs) if (0.0..=MAX_DELAY_SECONDS).contains(&secs) => Some(std::time::Duration::from_secs_f64(secs)),
                _ => {
                    return Err(MockError(format!(
                        "{at}.{key}.DelaySeconds must be a number of seconds from 0 to {MAX_DELAY_SECONDS} (a year), not {d}"
                    )))
                }
            },
        };
        ranges.push((a, b, Entry { response, delay }));
    }
    ranges.sort_by_key(|(a, _, _)| *a);
    let mut expected = 0;
    for (a, b, _) in &ranges {
        if *a != expected {
            return Err(MockError(format!(
                "{at}: invocations {expected} to {} have no entry (keys must run from 0 without gaps)",
                a.saturating_sub(1)
            )));
        }
        expected = b + 1;
    }
    Ok(Responses { ranges })
}

/// One test case, for one execution: answers Task states from its
/// responses and counts invocations per state.
#[derive(Debug)]
pub struct MockCase {
    case: String,
    states: HashMap<String, Responses>,
    calls: RefCell<HashMap<String, u64>>,
}

impl MockCase {
    /// Whether this case mocks `state` (Step Functions Local sends the
    /// states it does not mock to the real service).
    pub fn mocks(&self, state: &str) -> bool {
        self.states.contains_key(state)
    }
}

impl Integration for MockCase {
    fn invoke<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a> {
        let mut delay = None;
        let outcome = match self.states.get(request.state) {
            None => Err(Failure::runtime(format!(
                "Task state '{}' ({}) has no mocked response in test case '{}'; add it to the case's TestCases entry",
                request.state, request.resource, self.case
            ))),
            Some(r) => {
                let mut calls = self.calls.borrow_mut();
                let n = calls.entry(request.state.to_string()).or_insert(0);
                let this = *n;
                *n += 1;
                let entry = r.at(this);
                delay = entry.and_then(|e| e.delay);
                match entry.map(|e| &e.response) {
                    Some(Response::Return(v)) => {
                        if request.is_sync() {
                            (request.submitted)(v.clone());
                        }
                        Ok(v.clone())
                    }
                    Some(Response::Throw(f)) => {
                        // A job that ran and failed (States.TaskFailed,
                        // States.Timeout) was submitted first; a service
                        // error means the submit call itself failed.
                        if request.is_sync() && f.error.starts_with("States.") {
                            (request.submitted)(serde_json::json!({}));
                        }
                        Err(f.clone())
                    }
                    None => Err(Failure::runtime(format!(
                        "Task state '{}' was called {} time(s), but its mocked response has no entry for invocation {this}",
                        request.state,
                        this + 1
                    ))),
                }
            }
        };
        let clock = request.clock;
        Box::pin(async move {
            if let Some(d) = delay {
                clock.sleep(d).await;
            }
            outcome
        })
    }
}

/// What answers a run's Task states, in order: the mock case's mocked
/// states (a mocked state is never called for real, as in Step Functions
/// Local), then the S3 calls a folder standing for S3 answers
/// (`--s3-dir`), then the backend (real services, or none).
pub struct Layers<'a> {
    pub mocks: Option<&'a MockCase>,
    pub s3_folder: Option<crate::s3_folder::S3Folder>,
    pub real: &'a dyn Integration,
}

impl Integration for Layers<'_> {
    fn invoke<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a> {
        if let Some(m) = self.mocks.filter(|m| m.mocks(request.state)) {
            return m.invoke(request);
        }
        if let Some(outcome) = self.s3_folder.as_ref().and_then(|f| f.answer(&request)) {
            return Box::pin(std::future::ready(outcome));
        }
        self.real.invoke(request)
    }

    fn watches_heartbeats(&self, request: &TaskRequest) -> bool {
        self.answering(request).watches_heartbeats(request)
    }

    fn reports_workers(&self, request: &TaskRequest) -> bool {
        self.answering(request).reports_workers(request)
    }

    fn check(&self, request: &TaskRequest) -> Result<(), Failure> {
        self.answering(request).check(request)
    }
}

impl Layers<'_> {
    /// The layer that answers `request`: its mock, or the backend (an S3
    /// folder answers at once: it has no heartbeats and no workers).
    fn answering(&self, request: &TaskRequest) -> &dyn Integration {
        match self.mocks.filter(|m| m.mocks(request.state)) {
            Some(m) => m,
            None => self.real,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cfg(responses: Value) -> Result<MockConfig, MockError> {
        MockConfig::parse(&json!({"StateMachines": {"M": {"TestCases": {"C": {"T": "R"}}}}, "MockedResponses": {"R": responses}}))
    }

    #[test]
    fn broken_files_name_the_entry() {
        assert_eq!(
            cfg(json!({"0": {"Return": 1}, "2": {"Return": 2}})).unwrap_err().0,
            "MockedResponses.R: invocations 1 to 1 have no entry (keys must run from 0 without gaps)"
        );
        assert_eq!(
            cfg(json!({"0": {"Return": 1, "Throw": {"Error": "E"}}})).unwrap_err().0,
            "MockedResponses.R.0 has both Return and Throw; give one"
        );
        assert_eq!(cfg(json!({"0": {"Throw": {"Cause": "c"}}})).unwrap_err().0, "MockedResponses.R.0.Throw has no Error");
        let ok = cfg(json!({"0-1": {"Throw": {"Error": "E"}}, "2": {"Return": 1}})).unwrap();
        assert!(ok.case("M", "Nope").err().unwrap().0.contains("has no test case \"Nope\""));
    }

    /// A misspelt key or an Error that is not text is named, not ignored.
    #[test]
    fn misspelt_keys_and_bad_errors_are_named() {
        assert_eq!(
            cfg(json!({"0": {"Retrun": 1}})).unwrap_err().0,
            "MockedResponses.R.0: unknown key \"Retrun\" (a response takes Return or Throw, and DelaySeconds); did you mean \"Return\"?"
        );
        assert_eq!(cfg(json!({"0": {"Throw": {"Error": 42}}})).unwrap_err().0, "MockedResponses.R.0.Throw.Error must be a string, not 42");
    }

    /// A delay too long for a duration is refused when the file is read
    /// (`1e300` once panicked in run and test).
    #[test]
    fn delays_are_range_checked() {
        for bad in [json!(1e300), json!(-1), json!("10"), json!(31_622_401)] {
            let e = cfg(json!({"0": {"Return": 1, "DelaySeconds": bad}})).unwrap_err().0;
            assert!(e.starts_with("MockedResponses.R.0.DelaySeconds must be a number of seconds from 0 to"), "{e}");
        }
        assert!(cfg(json!({"0": {"Return": 1, "DelaySeconds": 31_622_400}})).is_ok());
    }
}
