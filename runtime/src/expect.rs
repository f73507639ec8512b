//! Expectations for `sfc test`: what a mocked test case must end with.
//! They live beside the Step Functions Local format, in the mock file's
//! top-level `Expectations` (a key that format does not use):
//!
//! ```json
//! {"Expectations": {"Machine": {"Case": {"input": "event.json", "status": "FAILED",
//!   "error": "States.TaskFailed", "cause": "text it contains",
//!   "output": {"subset": "of the output"}, "states": ["A", "B"]}}}}
//! ```

use crate::run::Outcome;
use serde_json::Value;

/// One test case's expectations.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expectation {
    /// The input: inline JSON, or a file named relative to the mock file.
    pub input: Option<Value>,
    pub status: Option<String>,
    /// The output must contain this (objects: these keys, recursively).
    pub output: Option<Value>,
    pub error: Option<String>,
    /// The cause must contain this text.
    pub cause: Option<String>,
    /// The states entered, in order (branches and iterations included).
    pub states: Option<Vec<String>>,
}

/// Reads the expectations of one machine's case; `None` when there are none.
pub fn expectation(mock_file: &Value, machine: &str, case: &str) -> Result<Option<Expectation>, String> {
    let Some(e) = mock_file.get("Expectations").and_then(|m| m.get(machine)).and_then(|c| c.get(case)) else {
        return Ok(None);
    };
    let at = format!("Expectations.{machine}.{case}");
    let obj = e.as_object().ok_or_else(|| format!("{at} must be an object"))?;
    let mut x = Expectation::default();
    for (k, v) in obj {
        let text = || v.as_str().map(str::to_string).ok_or_else(|| format!("{at}.{k} must be a string"));
        match k.as_str() {
            "input" => x.input = Some(v.clone()),
            "status" => x.status = Some(text()?),
            "output" => x.output = Some(v.clone()),
            "error" => x.error = Some(text()?),
            "cause" => x.cause = Some(text()?),
            "states" => {
                let list = v.as_array().ok_or_else(|| format!("{at}.states must be an array of state names"))?;
                x.states = Some(
                    list.iter()
                        .map(|s| s.as_str().map(str::to_string).ok_or_else(|| format!("{at}.states holds a non-string")))
                        .collect::<Result<_, _>>()?,
                );
            }
            other => return Err(format!("{at}: unknown expectation {other:?} (input, status, output, error, cause, states)")),
        }
    }
    Ok(Some(x))
}

/// The differences between an outcome and what was expected.
/// A case that names neither a status nor an error expects the execution
/// to succeed: no verdict passes a run that failed unless it says so.
pub fn check(outcome: &Outcome, x: &Expectation) -> Vec<String> {
    let mut out = Vec::new();
    let status = x.status.clone().or_else(|| x.error.is_none().then(|| "SUCCEEDED".to_string()));
    if let Some(s) = &status {
        if s != outcome.status.as_str() {
            let unsaid = if x.status.is_none() { " (the case names no status, so it must succeed)" } else { "" };
            out.push(format!("status: expected {s}, got {} ({}){unsaid}", outcome.status.as_str(), describe_failure(outcome)));
        }
    }
    if let Some(e) = &x.error {
        if outcome.error.as_deref() != Some(e.as_str()) {
            out.push(format!("error: expected {e}, got {}", outcome.error.as_deref().unwrap_or("none")));
        }
    }
    if let Some(c) = &x.cause {
        if !outcome.cause.as_deref().is_some_and(|got| got.contains(c.as_str())) {
            out.push(format!("cause: expected text containing {c:?}, got {:?}", outcome.cause.as_deref().unwrap_or("")));
        }
    }
    if let Some(want) = &x.output {
        match &outcome.output {
            Some(got) if contains(got, want) => {}
            Some(got) => out.push(format!("output: expected it to contain {want}, got {got}")),
            None => out.push(format!("output: expected {want}, but the execution has no output")),
        }
    }
    if let Some(want) = &x.states {
        let got = visited(outcome);
        if &got != want {
            out.push(format!("states: expected {}, got {}", want.join(" → "), got.join(" → ")));
        }
    }
    out
}

fn describe_failure(o: &Outcome) -> String {
    match (&o.error, &o.cause) {
        (Some(e), Some(c)) => format!("{e}: {c}"),
        (Some(e), None) => e.clone(),
        _ => "no error".into(),
    }
}

/// The names of the states entered, in order.
pub fn visited(o: &Outcome) -> Vec<String> {
    o.history.iter().filter(|e| e.kind.is_state_entered()).filter_map(|e| e.details.get("name").map(str::to_string)).collect()
}

/// `got` contains `want`: equal scalars, arrays element by element, and
/// every key of an expected object (recursively).
pub fn contains(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => w.iter().all(|(k, v)| g.get(k).is_some_and(|gv| contains(gv, v))),
        (Value::Array(g), Value::Array(w)) => g.len() == w.len() && g.iter().zip(w).all(|(a, b)| contains(a, b)),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => got == want,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn output_subsets() {
        assert!(contains(&json!({"a": 1, "b": {"c": 2, "d": 3}}), &json!({"b": {"c": 2}})));
        assert!(!contains(&json!({"a": 1}), &json!({"a": 2})));
        assert!(contains(&json!([{"x": 1, "y": 2}]), &json!([{"x": 1}])));
        assert!(!contains(&json!([1, 2]), &json!([1])));
    }

    #[test]
    fn unknown_keys_are_errors() {
        let f = json!({"Expectations": {"M": {"C": {"statsu": "SUCCEEDED"}}}});
        assert!(expectation(&f, "M", "C").unwrap_err().contains("unknown expectation \"statsu\""));
        assert_eq!(expectation(&f, "M", "Other").unwrap(), None);
    }
}
