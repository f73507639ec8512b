//! Step Functions takes service parameters as PascalCase JSON and returns
//! PascalCase JSON. These helpers read the parameters strictly (a field
//! sfc does not pass on, or a value of the wrong type, is an error naming
//! the field) and build outputs that leave out absent fields.

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
    /// The object `v`, whose keys must all be in `known`.
    pub fn new(v: &'a Value, at: &str, known: &[&str]) -> Result<Obj<'a>, Failure> {
        let Some(map) = v.as_object() else { return Err(bad(at, "must be an object")) };
        if let Some(k) = map.keys().find(|k| !known.contains(&k.as_str())) {
            let path = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
            return Err(Failure::runtime(format!("the parameter {path} is not one sfc passes on; it passes {}", known.join(", "))));
        }
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

    pub fn int(&self, k: &str) -> Result<Option<i32>, Failure> {
        self.long(k)?.map(|n| i32::try_from(n).map_err(|_| bad(&self.path(k), "is out of range for a 32-bit integer"))).transpose()
    }

    pub fn long(&self, k: &str) -> Result<Option<i64>, Failure> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| bad(&self.path(k), "must be an integer")),
        }
    }

    pub fn float(&self, k: &str) -> Result<Option<f64>, Failure> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => v.as_f64().map(Some).ok_or_else(|| bad(&self.path(k), "must be a number")),
        }
    }

    pub fn bool(&self, k: &str) -> Result<Option<bool>, Failure> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => v.as_bool().map(Some).ok_or_else(|| bad(&self.path(k), "must be true or false")),
        }
    }

    pub fn strs(&self, k: &str) -> Result<Option<Vec<String>>, Failure> {
        let Some(v) = self.get(k) else { return Ok(None) };
        let items = v.as_array().ok_or_else(|| bad(&self.path(k), "must be an array of strings"))?;
        items
            .iter()
            .map(|i| i.as_str().map(str::to_string).ok_or_else(|| bad(&self.path(k), "must be an array of strings")))
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// A string-to-string map (user keys, kept as written).
    pub fn string_map(&self, k: &str) -> Result<Option<HashMap<String, String>>, Failure> {
        let Some(v) = self.get(k) else { return Ok(None) };
        let m = v.as_object().ok_or_else(|| bad(&self.path(k), "must be an object of strings"))?;
        m.iter()
            .map(|(key, v)| match v {
                Value::String(s) => Ok((key.clone(), s.clone())),
                Value::Number(n) => Ok((key.clone(), n.to_string())),
                Value::Bool(b) => Ok((key.clone(), b.to_string())),
                _ => Err(bad(&format!("{}.{key}", self.path(k)), "must be a string")),
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    pub fn obj(&self, k: &str, known: &[&str]) -> Result<Option<Obj<'a>>, Failure> {
        self.get(k).map(|v| Obj::new(v, &self.path(k), known)).transpose()
    }

    /// An array of objects.
    pub fn objs(&self, k: &str, known: &[&str]) -> Result<Option<Vec<Obj<'a>>>, Failure> {
        let Some(v) = self.get(k) else { return Ok(None) };
        let items = v.as_array().ok_or_else(|| bad(&self.path(k), "must be an array"))?;
        items
            .iter()
            .enumerate()
            .map(|(i, item)| Obj::new(item, &format!("{}[{i}]", self.path(k)), known))
            .collect::<Result<_, _>>()
            .map(Some)
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
