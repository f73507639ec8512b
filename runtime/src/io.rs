//! Input and output processing shared by every state: InputPath,
//! ResultSelector, ResultPath, OutputPath.

use crate::error::{names, Failure};
use crate::paths::ContextSource;
use crate::paths::{self, PathError, Roots, Step};
use serde_json::{Map, Value};
use sfc_asl::NullablePath;
use std::borrow::Cow;

/// InputPath: absent keeps the input (borrowed, not copied), `null`
/// gives `{}`.
pub fn select_input<'v>(
    raw: &'v Value,
    input_path: &NullablePath,
    context: &dyn ContextSource,
    vars: Option<&crate::variables::VarMap>,
) -> Result<Cow<'v, Value>, Failure> {
    match input_path {
        None => Ok(Cow::Borrowed(raw)),
        Some(path) => select(raw, path, context, vars).map(Cow::Owned),
    }
}

/// [`select_input`] with the path's steps taken apart beforehand, when it
/// is a definite path into the input (what it finds is copied).
pub fn select_input_with<'v>(
    raw: &'v Value,
    input_path: &NullablePath,
    steps: Option<&[Step]>,
    context: &dyn ContextSource,
    vars: Option<&crate::variables::VarMap>,
) -> Result<Cow<'v, Value>, Failure> {
    if let (Some(Some(_)), Some(steps)) = (input_path, steps) {
        if let Some(found) = paths::walk(raw, steps) {
            return Ok(Cow::Owned(found.clone()));
        }
    }
    // Absent, null, another kind of path, or nothing found (the error).
    select_input(raw, input_path, context, vars)
}

/// [`select_output`] with the path's steps taken apart beforehand, when it
/// is a definite path into the value: what it finds is moved out of the
/// value, not copied.
pub fn select_output_with(
    v: Value,
    output_path: &NullablePath,
    steps: Option<&[Step]>,
    context: &dyn ContextSource,
    vars: Option<&crate::variables::VarMap>,
) -> Result<Value, Failure> {
    let mut v = v;
    if let (Some(Some(_)), Some(steps)) = (output_path, steps) {
        if let Some(found) = paths::walk_mut(&mut v, steps) {
            return Ok(std::mem::take(found));
        }
    }
    select_output(v, output_path, context, vars)
}

/// OutputPath: absent keeps the value, `null` gives `{}`.
pub fn select_output(
    v: Value,
    output_path: &NullablePath,
    context: &dyn ContextSource,
    vars: Option<&crate::variables::VarMap>,
) -> Result<Value, Failure> {
    match output_path {
        None => Ok(v),
        Some(path) => select(&v, path, context, vars),
    }
}

fn select(
    v: &Value,
    path: &Option<String>,
    context: &dyn ContextSource,
    vars: Option<&crate::variables::VarMap>,
) -> Result<Value, Failure> {
    match path {
        None => Ok(Value::Object(Map::new())),
        Some(p) => {
            let roots = Roots { input: v, context, variables: vars };
            paths::read(p, &roots).map_err(|e| invalid_path(p, e, v))
        }
    }
}

/// AWS's wording when a path (InputPath, OutputPath, ItemsPath,
/// TimeoutSecondsPath, ...) names nothing in `root`.
pub(crate) fn invalid_path(p: &str, e: PathError, root: &Value) -> Failure {
    match e {
        PathError::NotFound => Failure::runtime(format!("Invalid path '{p}' : {}", not_found(p, root))),
        PathError::UnknownVariable(v) => Failure::runtime(format!("Invalid path '{p}' : the variable '{v}' has not been assigned")),
        PathError::Invalid(m) => Failure::runtime(format!("Invalid path '{p}' : {m}")),
        PathError::TooCostly(m) => Failure::runtime(m),
    }
}

/// AWS (its JSONPath library) says which step failed: a missing last
/// step is "No results for path: $['a']['b']", a missing step before it
/// "Missing property in path $['a']" (the path up to that step).
fn not_found(p: &str, root: &Value) -> String {
    let steps = if p.starts_with("$.") || p.starts_with("$[") { paths::parse_definite(p) } else { None };
    if let Some(steps) = steps {
        let mut at = root;
        for (i, step) in steps.iter().enumerate() {
            let next = match step {
                Step::Key(k) => at.get(k.as_str()),
                Step::Index(n) => usize::try_from(*n).ok().and_then(|n| at.get(n)),
            };
            match next {
                Some(v) => at = v,
                None if i + 1 < steps.len() && matches!(step, Step::Key(_)) && at.is_object() => {
                    return format!("Missing property in path {}", brackets(&steps[..=i]));
                }
                None => break,
            }
        }
    }
    format!("No results for path: {}", normalized(p))
}

fn brackets(steps: &[Step]) -> String {
    let mut out = String::from("$");
    for s in steps {
        match s {
            Step::Key(k) => out.push_str(&format!("['{k}']")),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// A definite path in the bracket form AWS prints: `$['a'][0]`.
pub fn normalized(p: &str) -> String {
    match paths::parse_definite(p) {
        Some(steps) => brackets(&steps),
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
    let steps = match result_path {
        Some(Some(p)) => paths::reference_steps(p),
        _ => None,
    };
    let mut data = raw_input;
    apply_result_path_in(&mut data, Cow::Owned(result), result_path, steps.as_deref())?;
    Ok(data)
}

/// Whether a path (InputPath, ResultPath, OutputPath) is the whole value:
/// `$`, or absent. A ResultPath that is puts the result in place of the
/// whole input.
pub fn is_whole(path: &NullablePath) -> bool {
    match path {
        None => true,
        Some(Some(p)) => p == "$",
        Some(None) => false,
    }
}

/// [`apply_result_path`] into `data`, the state's raw input, in place,
/// with the ResultPath's steps taken apart already (a prepared
/// machine's). Writing in place moves no value through the layers of a
/// state's processing.
#[inline(always)]
pub fn apply_result_path_in(
    data: &mut Value,
    result: Cow<Value>,
    result_path: &NullablePath,
    steps: Option<&[sfc_asl::paths::Step]>,
) -> Result<(), Failure> {
    match result_path {
        // The result replaces the input: a lent one is copied over it.
        None => paths::place(data, result),
        Some(None) => {}
        // A failed set leaves the input as it was: show it.
        Some(Some(p)) => paths::set_steps(data, p, steps, result).map_err(|e| {
            Failure::new(names::RESULT_PATH_MATCH_FAILURE, format!("Unable to apply ResultPath '{p}' to input '{data}': {}", e.0))
        })?,
    }
    Ok(())
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

    /// test_catch_states_runtime and test_invalid_jsonpath: which step of
    /// a path found nothing decides AWS's wording.
    #[test]
    fn a_missing_step_is_named_the_way_aws_names_it() {
        let v = json!({"a": {"b": 1}});
        assert_eq!(super::not_found("$.a.x", &v), "No results for path: $['a']['x']");
        assert_eq!(super::not_found("$.no.such.path", &v), "Missing property in path $['no']");
        assert_eq!(super::not_found("$.a.x.y", &v), "Missing property in path $['a']['x']");
    }

    proptest::proptest! {
        /// InputPath and OutputPath followed from their steps give what
        /// reading their text gives, value or error.
        #[test]
        fn paths_from_steps_select_what_their_text_selects(v in crate::paths::tests::small_json()) {
            let ctx = json!({});
            for p in ["$", "$.a", "$.a.b", "$.a[0]", "$.a[-1]", "$['b']", "$.b[1].a", "$.a.a.a"] {
                let path = Some(Some(p.to_string()));
                let steps = crate::paths::input_steps(p);
                let text = select_input(&v, &path, &ctx, None).map(Cow::into_owned);
                let stepped = select_input_with(&v, &path, steps.as_deref(), &ctx, None).map(Cow::into_owned);
                proptest::prop_assert_eq!(&stepped, &text, "InputPath {}", p);
                let moved = select_output_with(v.clone(), &path, steps.as_deref(), &ctx, None);
                proptest::prop_assert_eq!(&moved, &text, "OutputPath {}", p);
            }
        }
    }
}
