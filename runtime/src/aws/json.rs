//! Step Functions takes service parameters as PascalCase JSON and returns
//! PascalCase JSON. These helpers read parameters that `wire` checked (a
//! value of the wrong type is an error naming the field) and build
//! outputs that leave out absent fields.

use crate::error::Failure;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// One JSON object of parameters, and where it sits (`Overrides.ContainerOverrides[0]`).
pub(crate) struct Obj<'a> {
    at: String,
    map: &'a Map<String, Value>,
}

fn bad(at: &str, what: &str) -> Failure {
    Failure::runtime(format!("the parameter {at} {what}"))
}

impl<'a> Obj<'a> {
    /// The object `v`, found at `at`.
    pub fn new(v: &'a Value, at: &str) -> Result<Obj<'a>, Failure> {
        let Some(map) = v.as_object() else { return Err(bad(at, "must be an object")) };
        Ok(Obj { at: at.to_string(), map })
    }

    fn path(&self, k: &str) -> String {
        if self.at.is_empty() {
            k.to_string()
        } else {
            format!("{}.{k}", self.at)
        }
    }

    fn get(&self, k: &str) -> Option<&'a Value> {
        self.map.get(k).filter(|v| !v.is_null())
    }

    pub fn str(&self, k: &str) -> Result<Option<String>, Failure> {
        match self.get(k) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(bad(&self.path(k), "must be a string")),
        }
    }

    pub fn req_str(&self, k: &str) -> Result<String, Failure> {
        self.str(k)?.ok_or_else(|| bad(&self.path(k), "is required"))
    }
}

/// Builds a JSON object from `key => Option<Value>` pairs, leaving out
/// the absent ones, as AWS leaves out fields it has no value for.
macro_rules! obj {
    ($($k:literal => $v:expr),* $(,)?) => {{
        let mut m = serde_json::Map::new();
        $( if let Some(v) = $v { m.insert($k.to_string(), v); } )*
        serde_json::Value::Object(m)
    }};
}
pub(crate) use obj;

pub(crate) fn s(v: Option<&str>) -> Option<Value> {
    v.map(Value::from)
}

pub(crate) fn n<T: Into<Value>>(v: Option<T>) -> Option<Value> {
    v.map(Into::into)
}

/// A non-empty list, each item converted.
pub(crate) fn list<T>(items: &[T], f: impl Fn(&T) -> Value) -> Option<Value> {
    (!items.is_empty()).then(|| Value::Array(items.iter().map(f).collect()))
}

pub(crate) fn strs(items: &[String]) -> Option<Value> {
    list(items, |s| Value::from(s.as_str()))
}

pub(crate) fn map(m: Option<&HashMap<String, String>>) -> Option<Value> {
    m.map(|m| {
        let mut keys: Vec<_> = m.keys().collect();
        keys.sort();
        Value::Object(keys.into_iter().map(|k| (k.clone(), Value::from(m[k].as_str()))).collect())
    })
}

/// A timestamp as Step Functions outputs them: epoch milliseconds.
pub(crate) fn time(t: Option<&aws_smithy_types::DateTime>) -> Option<Value> {
    t.and_then(|t| t.to_millis().ok()).map(Value::from)
}
