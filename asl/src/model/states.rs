//! The eight state types.

use super::{Catcher, ChoiceRule, Dynamic, QueryLanguage, Retrier, StateMachine};
use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

pub use super::map::Map;

/// One state, tagged by its `Type`. A definition holds each state once,
/// so the variants' sizes (Map is the largest) cost nothing worth boxing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "Type")]
pub enum State {
    Task(Task),
    Pass(Pass),
    Choice(Choice),
    Wait(Wait),
    Succeed(Succeed),
    Fail(Fail),
    Parallel(Parallel),
    Map(Map),
}

/// A path field that may be `null`: absent → `None`, `null` → `Some(None)`.
pub type NullablePath = Option<Option<String>>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Task {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    pub resource: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub input_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub parameters: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub result_selector: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub result_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub arguments: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub assign: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<Dynamic<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_seconds: Option<Dynamic<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_seconds_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub credentials: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<Retrier>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<Catcher>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Pass {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub input_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub parameters: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub result: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub result_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub assign: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Choice {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub input_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output_path: NullablePath,
    pub choices: Vec<ChoiceRule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub assign: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Wait {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub input_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds: Option<Dynamic<u64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seconds_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub assign: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Succeed {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub input_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Fail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Parallel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    pub branches: Vec<StateMachine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub input_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub parameters: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub result_selector: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub result_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output_path: NullablePath,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub arguments: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "super::serde_util::present")]
    pub assign: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<Vec<Retrier>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catch: Option<Vec<Catcher>>,
}

impl State {
    /// The state's `Type` as ASL spells it.
    pub fn type_name(&self) -> &'static str {
        match self {
            State::Task(_) => "Task",
            State::Pass(_) => "Pass",
            State::Choice(_) => "Choice",
            State::Wait(_) => "Wait",
            State::Succeed(_) => "Succeed",
            State::Fail(_) => "Fail",
            State::Parallel(_) => "Parallel",
            State::Map(_) => "Map",
        }
    }

    /// The state's own `QueryLanguage`, if it sets one.
    pub fn query_language(&self) -> Option<QueryLanguage> {
        match self {
            State::Task(s) => s.query_language,
            State::Pass(s) => s.query_language,
            State::Choice(s) => s.query_language,
            State::Wait(s) => s.query_language,
            State::Succeed(s) => s.query_language,
            State::Fail(s) => s.query_language,
            State::Parallel(s) => s.query_language,
            State::Map(s) => s.query_language,
        }
    }

    /// `Next` for the states that have one.
    pub fn next(&self) -> Option<&str> {
        match self {
            State::Task(s) => s.next.as_deref(),
            State::Pass(s) => s.next.as_deref(),
            State::Wait(s) => s.next.as_deref(),
            State::Parallel(s) => s.next.as_deref(),
            State::Map(s) => s.next.as_deref(),
            State::Choice(_) | State::Succeed(_) | State::Fail(_) => None,
        }
    }
}

/// Numbers kept as written (`2` stays `2`, `2.0` stays `2.0`).
pub type Num = Number;
