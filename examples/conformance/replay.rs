//! Answers Task states with what AWS recorded: each Task state's
//! TaskSucceeded / TaskFailed events, in order.

use serde_json::Value;
use sfc_runtime::integration::{Integration, TaskFuture, TaskRequest};
use sfc_runtime::Failure;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};

pub struct Replay {
    outcomes: RefCell<HashMap<String, VecDeque<Recorded>>>,
}

/// One recorded call: what the submit call returned (`.sync` tasks), and
/// how the task ended; `None` when it timed out, i.e. never answered
/// before the state's own timer ran out.
struct Recorded {
    submitted: Option<Value>,
    outcome: Option<Result<Value, Failure>>,
}

impl Replay {
    pub fn from_history(history: &Value) -> Replay {
        let mut outcomes: HashMap<String, VecDeque<Recorded>> = HashMap::new();
        let mut current = String::new();
        let mut submitted = None;
        for e in history.as_array().into_iter().flatten() {
            let kind = e["type"].as_str().unwrap_or_default();
            let details = |k: &str| &e[k];
            match kind {
                "TaskStateEntered" => current = details("stateEnteredEventDetails")["name"].as_str().unwrap_or_default().to_string(),
                "TaskSubmitted" => submitted = Some(details("taskSubmittedEventDetails")["output"].clone()),
                "TaskSucceeded" | "LambdaFunctionSucceeded" | "ActivitySucceeded" => {
                    let out = details(&details_key(kind))["output"].clone();
                    outcomes.entry(current.clone()).or_default().push_back(Recorded { submitted: submitted.take(), outcome: Some(Ok(out)) });
                }
                "TaskTimedOut" | "LambdaFunctionTimedOut" | "ActivityTimedOut" => {
                    outcomes.entry(current.clone()).or_default().push_back(Recorded { submitted: submitted.take(), outcome: None });
                }
                "TaskFailed" | "LambdaFunctionFailed" | "ActivityFailed" => {
                    let d = details(&details_key(kind));
                    let f = Failure {
                        error: d["error"].as_str().unwrap_or_default().to_string(),
                        cause: d.get("cause").map(|c| c.as_str().map(str::to_string).unwrap_or_else(|| c.to_string())),
                        heartbeat: false,
                    };
                    outcomes.entry(current.clone()).or_default().push_back(Recorded { submitted: submitted.take(), outcome: Some(Err(f)) });
                }
                _ => {}
            }
        }
        Replay { outcomes: RefCell::new(outcomes) }
    }
}

/// `TaskSucceeded` → `taskSucceededEventDetails`.
fn details_key(kind: &str) -> String {
    let mut k = kind.to_string();
    k[..1].make_ascii_lowercase();
    k + "EventDetails"
}

impl Integration for Replay {
    fn invoke<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a> {
        let next = self.outcomes.borrow_mut().get_mut(request.state).and_then(VecDeque::pop_front);
        let outcome = match next {
            Some(r) => {
                if let Some(s) = r.submitted {
                    (request.submitted)(s);
                }
                r.outcome
            }
            None => Some(Err(Failure::runtime(format!("no recorded outcome for Task state '{}' ({})", request.state, request.resource)))),
        };
        Box::pin(async move {
            match outcome {
                Some(o) => o,
                None => std::future::pending().await,
            }
        })
    }
}
