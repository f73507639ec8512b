//! Reading an operation's request members with AWS's checks: a missing
//! required member is a ValidationException in AWS's words, a member of
//! the wrong JSON type a SerializationException.

use crate::error::{ApiError, ApiResult};
use serde_json::{Map, Value};

/// The request body of one operation.
pub struct Request<'a> {
    members: &'a Map<String, Value>,
}

impl<'a> Request<'a> {
    pub fn new(body: &'a Value) -> ApiResult<Request<'a>> {
        match body {
            Value::Object(members) => Ok(Request { members }),
            _ => Err(ApiError::serialization("the request body must be a JSON object")),
        }
    }

    /// Whether the member is given (and not null).
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.members.get(name).filter(|v| !v.is_null())
    }

    /// A required string member.
    pub fn string(&self, name: &str) -> ApiResult<&'a str> {
        self.opt_string(name)?.ok_or_else(|| missing(name))
    }

    pub fn opt_string(&self, name: &str) -> ApiResult<Option<&'a str>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(wrong_type(name, "a string", other)),
        }
    }

    pub fn opt_bool(&self, name: &str) -> ApiResult<Option<bool>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong_type(name, "a boolean", other)),
        }
    }

    /// An optional integer member within `min..=max`.
    pub fn opt_int(&self, name: &str, min: i64, max: i64) -> ApiResult<Option<i64>> {
        self.opt_ranged(name, min..=max, serde_json::Number::as_i64, "an integer")
    }

    /// An optional number member within `min..=max`.
    pub fn opt_number(&self, name: &str, min: f64, max: f64) -> ApiResult<Option<f64>> {
        self.opt_ranged(name, min..=max, serde_json::Number::as_f64, "a number")
    }

    /// An optional number member read by `read` (none: not of its kind)
    /// and within `range`.
    fn opt_ranged<T: PartialOrd + std::fmt::Display>(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<T>,
        read: fn(&serde_json::Number) -> Option<T>,
        kind: &str,
    ) -> ApiResult<Option<T>> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => match read(n) {
                Some(x) if range.contains(&x) => Ok(Some(x)),
                _ => Err(ApiError::validation(format!(
                    "1 validation error detected: Value '{n}' at '{name}' failed to satisfy constraint: Member must have value between {} and {}",
                    range.start(),
                    range.end()
                ))),
            },
            Some(other) => Err(wrong_type(name, kind, other)),
        }
    }

    /// An optional list member.
    pub fn opt_list(&self, name: &str) -> ApiResult<&'a [Value]> {
        match self.get(name) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(wrong_type(name, "a list", other)),
        }
    }

    /// An optional structure member.
    pub fn opt_object(&self, name: &str) -> ApiResult<Option<&'a Value>> {
        match self.get(name) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(v)),
            Some(other) => Err(wrong_type(name, "a structure", other)),
        }
    }
}

fn missing(name: &str) -> ApiError {
    ApiError::validation(format!(
        "1 validation error detected: Value null at '{name}' failed to satisfy constraint: Member must not be null"
    ))
}

fn wrong_type(name: &str, expected: &str, got: &Value) -> ApiError {
    let kind = match got {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a structure",
    };
    ApiError::serialization(format!("'{name}' must be {expected}, not {kind}"))
}

/// `[{"key": k, "value": v}, ...]`, as TagResource and CreateStateMachine take tags.
pub fn tags(items: &[Value]) -> ApiResult<Vec<(String, String)>> {
    items
        .iter()
        .map(|t| {
            let r = Request::new(t)?;
            Ok((r.string("key")?.to_string(), r.opt_string("value")?.unwrap_or_default().to_string()))
        })
        .collect()
}
