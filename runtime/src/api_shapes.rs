//! How Step Functions shapes what an API answers before a Task's result
//! holds it: members in PascalCase (some APIs, its own and CloudWatch
//! Logs', name theirs in camelCase; keys change on the way in and out,
//! objects inside arrays too) and dates as ISO-8601 text.

use serde_json::Value;

fn first(key: &str, upper: bool) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(c) if upper => c.to_uppercase().chain(chars).collect(),
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Every object key with its first letter upper- (`upper`) or lower-cased.
pub fn recase(v: Value, upper: bool) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (first(&k, upper), recase(v, upper))).collect()),
        Value::Array(items) => Value::Array(items.into_iter().map(|v| recase(v, upper)).collect()),
        other => other,
    }
}

/// Epoch seconds in members named as dates (`StartDate`, `CreationDate`,
/// `...Timestamp`) become ISO-8601 text, as Step Functions gives them.
pub fn dates_as_text(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let v = match (&v, k.ends_with("Date") || k.ends_with("Timestamp")) {
                        (Value::Number(n), true) => n
                            .as_f64()
                            .and_then(|s| chrono::DateTime::from_timestamp_millis((s * 1000.0) as i64))
                            .map_or(v.clone(), |t| Value::String(crate::clock::format_time(t))),
                        _ => dates_as_text(v),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(dates_as_text).collect()),
        other => other,
    }
}

/// A `states:startExecution.sync` task's end, from its child's
/// DescribeExecution (PascalCase, dates as text): SUCCEEDED is the result
/// (`.sync:2` with Input and Output as JSON, `.sync` as their text);
/// FAILED, TIMED_OUT or ABORTED fail the task with States.TaskFailed and
/// the description as the cause; `None` while it runs.
pub fn child_execution_end(description: Value, json_payloads: bool) -> Option<Result<Value, crate::Failure>> {
    match description["Status"].as_str() {
        Some("RUNNING" | "PENDING_REDRIVE") | None => None,
        Some("SUCCEEDED") => {
            let mut d = description;
            if json_payloads {
                for member in ["Input", "Output"] {
                    if let Some(parsed) = d[member].as_str().and_then(|t| serde_json::from_str::<Value>(t).ok()) {
                        d[member] = parsed;
                    }
                }
            }
            Some(Ok(d))
        }
        Some(_) => Some(Err(crate::Failure::new(crate::error::names::TASK_FAILED, description.to_string()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recases_keys_at_every_depth() {
        let wire = recase(json!({"StateMachineArn": "a", "Tags": [{"Key": "k"}]}), false);
        assert_eq!(wire, json!({"stateMachineArn": "a", "tags": [{"key": "k"}]}));
        assert_eq!(recase(wire, true), json!({"StateMachineArn": "a", "Tags": [{"Key": "k"}]}));
    }
}
