//! What events carry: their `*EventDetails`, kept compact until printed.

use super::EventType;
use crate::error::Failure;
use serde_json::{json, Map, Value};

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
    /// `stateExitedEventDetails` of a state that assigned variables: the
    /// output's JSON text, and each variable with its value's JSON text.
    Assigned {
        name: std::rc::Rc<str>,
        data: String,
        assigned: Box<Vec<(String, String)>>,
    },
    /// `mapIteration*EventDetails`: the iteration's index and the Map
    /// state's name.
    Iteration {
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
    /// Any other details: their fields, made into an object only when
    /// printed (events are written far more than read); the member's key
    /// follows from the event type.
    Fields(Vec<(&'static str, Field)>),
    /// The member as it was recorded: an event read back from its JSON
    /// (an execution kept in sfc serve's `--data-dir`).
    Recorded(Box<Value>),
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
    /// TaskScheduled (boxed, as the failure is, to keep the variant small).
    Scheduled(Box<Scheduled>),
    /// TaskStarted.
    Started,
    /// TaskSucceeded or TaskSubmitted: the output's JSON text.
    Output(String),
    /// TaskFailed, TaskTimedOut: the error and the cause, which come
    /// before the names.
    Failed(Box<(String, Option<String>)>),
}

/// What a Task's scheduled event says of the call besides its payload.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scheduled {
    /// The parameters' (or input's) JSON text.
    pub parameters: String,
    /// The execution's region.
    pub region: String,
    pub timeout: Option<u64>,
    pub heartbeat: Option<u64>,
    /// The role the Task's Credentials name (`taskCredentials.roleArn`).
    pub role_arn: Option<String>,
}

impl Scheduled {
    /// timeoutInSeconds, heartbeatInSeconds and taskCredentials, the ones
    /// set, in AWS's order.
    pub fn limits(&self) -> impl Iterator<Item = (&'static str, Value)> + '_ {
        [
            ("timeoutInSeconds", self.timeout.map(Value::from)),
            ("heartbeatInSeconds", self.heartbeat.map(Value::from)),
            ("taskCredentials", self.role_arn.as_ref().map(|r| json!({"roleArn": r}))),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
    }
}

impl TaskFields {
    /// A failure's error and cause (each left out of the details when empty).
    pub fn failed(f: &Failure) -> TaskFields {
        TaskFields::Failed(Box::new((f.error.clone(), f.cause.clone())))
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
            Details::Assigned { name, .. } if field == "name" => Some(name),
            Details::Assigned { .. } => None,
            Details::Iteration { name, .. } if field == "name" => Some(name),
            Details::Iteration { .. } => None,
            Details::Task { names, own, .. } => match (field, own) {
                ("resourceType", _) => Some(&names.resource_type),
                ("resource", _) => Some(&names.resource),
                ("parameters", TaskFields::Scheduled(p)) => Some(&p.parameters),
                ("output", TaskFields::Output(output)) => Some(output),
                ("error" | "cause", TaskFields::Failed(f)) => {
                    error_and_cause(&f.0, f.1.as_deref()).find(|(k, _)| *k == field).map(|(_, v)| v)
                }
                _ => None,
            },
            Details::Fields(fields) => fields.iter().find(|(k, _)| *k == field).and_then(|(_, v)| v.as_str()),
            Details::Recorded(member) => member[field].as_str(),
        }
    }

    /// The `*EventDetails` member of an event of type `kind`.
    pub(super) fn member(&self, kind: EventType) -> Option<(&'static str, Value)> {
        let value = match self {
            Details::None => return None,
            Details::State { entered: true, name, data } => json!({"name": &**name, "input": data, "inputDetails": {"truncated": false}}),
            Details::State { entered: false, name, data } => {
                json!({"name": &**name, "output": data, "outputDetails": {"truncated": false}})
            }
            Details::Assigned { name, data, assigned } => json!({
                "name": &**name,
                "output": data,
                "outputDetails": {"truncated": false},
                "assignedVariables": assigned.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect::<Map<_, _>>(),
                "assignedVariablesDetails": {"truncated": false},
            }),
            Details::Iteration { index, name } => json!({"index": index, "name": &**name}),
            Details::Task { names, own } => task_member(names, own),
            Details::Fields(fields) => Value::Object(fields.iter().map(|(f, v)| (f.to_string(), v.to_json())).collect()),
            Details::Recorded(member) => (**member).clone(),
        };
        Some((kind.details_key(), value))
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
            m.insert("region".into(), p.region.as_str().into());
            m.insert("parameters".into(), p.parameters.as_str().into());
            m.extend(p.limits().map(|(k, v)| (k.to_string(), v)));
        }
        TaskFields::Output(output) => {
            m.insert("output".into(), output.as_str().into());
            m.insert("outputDetails".into(), json!({"truncated": false}));
        }
        TaskFields::Started | TaskFields::Failed(_) => {}
    }
    Value::Object(m)
}

/// Details of a `*StateEntered` event.
pub fn entered(name: std::rc::Rc<str>, input_json: String) -> Details {
    Details::State { entered: true, name, data: input_json }
}

/// Details of a `*StateExited` event.
pub fn exited(name: std::rc::Rc<str>, output_json: String) -> Details {
    Details::State { entered: false, name, data: output_json }
}

/// Details of a `*StateExited` event of a state that assigned variables
/// (each with its value's JSON text).
pub fn exited_assigning(name: std::rc::Rc<str>, output_json: String, assigned: Vec<(String, String)>) -> Details {
    Details::Assigned { name, data: output_json, assigned: Box::new(assigned) }
}

/// Details carrying an error and a cause (`executionFailedEventDetails`, ...).
pub fn failed(f: &Failure) -> Details {
    let fields = error_and_cause(&f.error, f.cause.as_deref()).map(|(k, v)| (k, Field::Text(v.to_string()))).collect();
    Details::Fields(fields)
}

/// A failure's `error` and `cause` fields as events carry them: each is
/// left out when empty.
fn error_and_cause<'a>(error: &'a str, cause: Option<&'a str>) -> impl Iterator<Item = (&'static str, &'a str)> {
    [("error", Some(error)), ("cause", cause)].into_iter().filter_map(|(k, v)| Some((k, v.filter(|v| !v.is_empty())?)))
}
