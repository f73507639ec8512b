//! Step Functions names every member in PascalCase; some APIs (its own,
//! CloudWatch Logs) name theirs in camelCase. Keys are changed on the way
//! in and out, objects inside arrays too.

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
