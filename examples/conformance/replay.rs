//! Answers Task states with what AWS recorded: each Task state's
//! TaskSucceeded / TaskFailed events, in order.

use serde_json::Value;
use sfc_runtime::integration::{Integration, TaskFuture, TaskRequest};
use sfc_runtime::Failure;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet, VecDeque};

pub struct Replay {
    outcomes: RefCell<HashMap<String, VecDeque<Recorded>>>,
    /// Task states whose execution failed as soon as they were entered,
    /// nothing scheduled: for an activity, one that did not exist.
    failed_on_entry: HashSet<String>,
}

/// One recorded call: the worker that took it (activities), what the
/// submit call returned (`.sync` tasks), and how the task ended; `None`
/// when it timed out, i.e. never answered before the state's own timer
/// ran out.
struct Recorded {
    worker: Option<String>,
    submitted: Option<Value>,
    outcome: Option<Result<Value, Failure>>,
}

impl Replay {
    pub fn from_history(history: &Value) -> Replay {
        let mut outcomes: HashMap<String, VecDeque<Recorded>> = HashMap::new();
        let mut current = String::new();
        let mut submitted = None;
        let mut worker = None;
        let mut failed_on_entry = HashSet::new();
        let mut previous = "";
        for e in history.as_array().into_iter().flatten() {
            let kind = e["type"].as_str().unwrap_or_default();
            if previous == "TaskStateEntered" && kind == "ExecutionFailed" {
                failed_on_entry.insert(current.clone());
            }
            previous = kind;
            let details = |k: &str| &e[k];
            // How a call ended, when this event ends one.
            let ended = match kind {
                "TaskStateEntered" => {
                    current = details("stateEnteredEventDetails")["name"].as_str().unwrap_or_default().to_string();
                    continue;
                }
                "TaskSubmitted" => {
                    submitted = Some(details("taskSubmittedEventDetails")["output"].clone());
                    continue;
                }
                "ActivityStarted" => {
                    worker = details("activityStartedEventDetails")["workerName"].as_str().map(str::to_string);
                    continue;
                }
                "TaskSucceeded" | "LambdaFunctionSucceeded" | "ActivitySucceeded" => {
                    Some(Ok(details(&details_key(kind))["output"].clone()))
                }
                "TaskTimedOut" | "LambdaFunctionTimedOut" | "ActivityTimedOut" => None,
                "TaskFailed" | "LambdaFunctionFailed" | "ActivityFailed" => {
                    let d = details(&details_key(kind));
                    Some(Err(Failure {
                        error: d["error"].as_str().unwrap_or_default().to_string(),
                        cause: d.get("cause").map(|c| match c.as_str() {
                            Some(text) => text.to_string(),
                            // The function's own text (legacy Lambda
                            // resources pass it on as it is) ...
                            None if kind == "LambdaFunctionFailed" => python_json(c),
                            // ... and what Step Functions re-encodes
                            // (lambda:invoke and other integrations).
                            None => c.to_string(),
                        }),
                        origin: Default::default(),
                    }))
                }
                _ => continue,
            };
            let call = Recorded { worker: worker.take(), submitted: submitted.take(), outcome: ended };
            outcomes.entry(current.clone()).or_default().push_back(call);
        }
        Replay { outcomes: RefCell::new(outcomes), failed_on_entry }
    }
}

/// A recorded cause that was JSON text has been decoded by the recording.
/// For a Lambda function ARN used as the Resource, AWS passes on the text
/// the function's runtime wrote; the functions behind these cases are
/// Python, whose runtime writes errors with `json.dumps` (", " and ": "
/// separators, non-ASCII escaped), so the replay writes them back that way.
fn python_json(v: &Value) -> String {
    match v {
        Value::String(s) => python_string(s),
        Value::Array(items) => format!("[{}]", items.iter().map(python_json).collect::<Vec<_>>().join(", ")),
        Value::Object(m) => {
            format!("{{{}}}", m.iter().map(|(k, v)| format!("{}: {}", python_string(k), python_json(v))).collect::<Vec<_>>().join(", "))
        }
        other => other.to_string(),
    }
}

fn python_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || !c.is_ascii() => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{:04x}", u));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `TaskSucceeded` → `taskSucceededEventDetails`.
fn details_key(kind: &str) -> String {
    let mut k = kind.to_string();
    k[..1].make_ascii_lowercase();
    k + "EventDetails"
}

fn is_activity(resource: &str) -> bool {
    matches!(sfc_asl::resource::Resource::parse(resource), sfc_asl::resource::Resource::Activity { .. })
}

impl Integration for Replay {
    fn invoke<'a>(&'a self, request: TaskRequest<'a>) -> TaskFuture<'a> {
        let next = self.outcomes.borrow_mut().get_mut(request.state).and_then(VecDeque::pop_front);
        let outcome = match next {
            Some(r) => {
                if is_activity(request.resource) {
                    (request.started)(r.worker.as_deref());
                }
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

    /// An activity starts with the worker AWS recorded taking it.
    fn reports_workers(&self, request: &TaskRequest) -> bool {
        is_activity(request.resource)
    }

    /// An activity exists unless the execution failed as its state was
    /// entered, before anything was scheduled.
    fn check(&self, request: &TaskRequest) -> Result<(), Failure> {
        if is_activity(request.resource) && self.failed_on_entry.contains(request.state) {
            return Err(sfc_runtime::integration::activity_missing(request.resource));
        }
        Ok(())
    }
}
