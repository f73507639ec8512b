//! The Amazon States Language model: one set of serde types that the
//! compiler emits, the interpreter runs and the validator's typed checks
//! read. Field names mirror the specification (`InputPath`, `Retry`, ...).
//!
//! Payload templates and other free-form JSON (Parameters, Arguments,
//! Output, Assign, Result, ...) stay `serde_json::Value`; numbers that may
//! be written as integers or decimals stay `serde_json::Number` so a
//! definition saves exactly as it was loaded.

mod choice;
mod map;
mod retry;
mod serde_util;
mod states;

pub use choice::{ChoiceRule, Operand, Operator, Test};
pub use map::{ExecutionType, ItemBatcher, ItemReader, Processor, ProcessorConfig, ProcessorMode, ReaderConfig, ResultWriter};
pub use retry::Jitter;
pub use retry::{Catcher, Retrier};
pub use serde_util::reorder_like;
pub use states::*;

use indexmap::IndexMap;

/// The interpreter looks states up by name at every transition; foldhash
/// is several times faster than the default SipHash for short names, and
/// state names come from the definition, not from an attacker.
pub type StateHasher = foldhash::fast::RandomState;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `QueryLanguage` of a machine or a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QueryLanguage {
    JSONPath,
    JSONata,
}

/// A number or, in JSONata states, a `{% %}` expression that yields one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Dynamic<T> {
    Value(T),
    Expr(String),
}

/// A whole state machine, or the body of a Parallel branch or Map processor
/// (which have the same shape: StartAt and States).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct StateMachine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_language: Option<QueryLanguage>,
    /// Only in a Map's `ItemProcessor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor_config: Option<map::ProcessorConfig>,
    pub start_at: String,
    pub states: IndexMap<String, State, StateHasher>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<u64>,
}

/// A loaded definition: the typed machine plus the JSON it came from, whose
/// only use is to save the machine with its keys in the author's order.
#[derive(Debug, Clone)]
pub struct Definition {
    pub machine: StateMachine,
    layout: Value,
}

impl Definition {
    /// Reads the typed model from a JSON value. Run the validator first:
    /// this reports only the first mismatch, without a position.
    pub fn from_value(value: Value) -> Result<Definition, serde_json::Error> {
        let machine = StateMachine::deserialize(&value)?;
        Ok(Definition { machine, layout: value })
    }

    /// A definition built in code (by the compiler): saved in model order.
    pub fn new(machine: StateMachine) -> Definition {
        Definition { machine, layout: Value::Null }
    }

    /// The definition as JSON, keys in the order they were loaded.
    pub fn to_value(&self) -> Value {
        let mut v = serde_json::to_value(&self.machine).expect("the ASL model always serialises");
        reorder_like(&mut v, &self.layout);
        v
    }
}

impl StateMachine {
    /// The state named `name` directly in this machine (not in branches).
    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.get(name)
    }
}
