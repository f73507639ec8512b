//! Input and output processing shared by every state: InputPath,
//! ResultSelector, ResultPath, OutputPath.

use crate::context::ContextSource;
use crate::error::{names, Failure};
use crate::paths::{self, PathError, Roots, Step};
use serde_json::{Map, Value};
use std::borrow::Cow;
use sfc_compiler::asl::NullablePath;

/// InputPath: absent keeps the input (borrowed, not copied), `null`
/// gives `{}`.
pub fn select_input<'v>(raw: &'v Value, input_path: &NullablePath, context: &dyn ContextSource, vars: Option<&Map<String, Value>>) -> Result<Cow<'v, Value>, Failure> {
    match input_path {
        None => Ok(Cow::Borrowed(raw)),
        Some(path) => select(raw, path, context, vars).map(Cow::Owned),
    }
}

/// OutputPath: absent keeps the value, `null` gives `{}`.
pub fn select_output(v: Value, output_path: &NullablePath, context: &dyn ContextSource, vars: Option<&Map<String, Value>>) -> Result<Value, Failure> {
    match output_path {
        None => Ok(v),
        Some(path) => select(&v, path, context, vars),
    }
}

fn select(v: &Value, path: &Option<String>, context: &dyn ContextSource, vars: Option<&Map<String, Value>>) -> Result<Value, Failure> {
    match path {
        None => Ok(Value::Object(Map::new())),
        Some(p) => {
            let roots = Roots { input: v, context, variables: vars };
            paths::read(p, &roots).map_err(|e| invalid_path(p, e))
        }
    }
}

/// AWS's wording when InputPath or OutputPath names nothing.
fn invalid_path(p: &str, e: PathError) -> Failure {
    match e {
        PathError::NotFound => Failure::runtime(format!("Invalid path '{p}' : No results for path: {}", normalized(p))),
        PathError::UnknownVariable(v) => Failure::runtime(format!("Invalid path '{p}' : the variable '{v}' has not been assigned")),
        PathError::Invalid(m) => Failure::runtime(format!("Invalid path '{p}' : {m}")),
    }
}

/// A definite path in the bracket form AWS prints: `$['a'][0]`.
pub fn normalized(p: &str) -> String {
    match paths::parse_definite(p) {
        Some(steps) => {
            let mut out = String::from("$");
            for s in steps {
                match s {
                    Step::Key(k) => out.push_str(&format!("['{k}']")),
                    Step::Index(i) => out.push_str(&format!("[{i}]")),
                }
            }
            out
        }
        None => p.to_string(),
    }
}

/// ResultPath: absent replaces the input with the result, `null` keeps
/// the input, a path puts the result inside the input.
pub fn apply_result_path(raw_input: &Value, result: Value, result_path: &NullablePath) -> Result<Value, Failure> {
    match result_path {
        None => Ok(result),
        _ => apply_result_path_owned(raw_input.clone(), result, result_path),
    }
}

/// [`apply_result_path`] for a state that owns its input (no copy).
pub fn apply_result_path_owned(raw_input: Value, result: Value, result_path: &NullablePath) -> Result<Value, Failure> {
    match result_path {
        None => Ok(result),
        Some(None) => Ok(raw_input),
        Some(Some(p)) => {
            let mut target = raw_input;
            match paths::set_in_place(&mut target, p, result) {
                Ok(()) => Ok(target),
                // A failed set leaves the input as it was: show it.
                Err(e) => Err(Failure::new(
                    names::RESULT_PATH_MATCH_FAILURE,
                    format!("Unable to apply ResultPath '{p}' to input '{target}': {}", e.0),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_null_and_absent() {
        let ctx = json!({});
        let v = json!({"a": {"b": 1}});
        assert_eq!(*select_input(&v, &None, &ctx, None).unwrap(), v);
        assert_eq!(*select_input(&v, &Some(None), &ctx, None).unwrap(), json!({}));
        assert_eq!(*select_input(&v, &Some(Some("$.a".into())), &ctx, None).unwrap(), json!({"b": 1}));
        let e = select_input(&v, &Some(Some("$.NoSuch".into())), &ctx, None).unwrap_err();
        assert_eq!(e.cause.unwrap(), "Invalid path '$.NoSuch' : No results for path: $['NoSuch']");
        assert_eq!(apply_result_path(&v, json!(2), &Some(None)).unwrap(), v);
        assert_eq!(apply_result_path(&v, json!(2), &Some(Some("$.r".into()))).unwrap(), json!({"a": {"b": 1}, "r": 2}));
        assert_eq!(apply_result_path(&json!("s"), json!(2), &Some(Some("$.r".into()))).unwrap_err().error, "States.ResultPathMatchFailure");
    }
}
