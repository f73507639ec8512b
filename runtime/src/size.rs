//! The size of a value as compact JSON, without building the text: the
//! payload limit is checked on every state, most of which are small.

use serde_json::Value;
use std::fmt::Write;

/// Bytes of `v` serialised as compact JSON (what `v.to_string()` gives).
pub fn json_len(v: &Value) -> usize {
    match v {
        Value::Null => 4,
        Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => {
            let mut c = Counter(0);
            let _ = write!(c, "{n}");
            c.0
        }
        Value::String(s) => string_len(s),
        Value::Array(items) => 2 + items.len().saturating_sub(1) + items.iter().map(json_len).sum::<usize>(),
        Value::Object(m) => 2 + m.len().saturating_sub(1) + m.iter().map(|(k, v)| string_len(k) + 1 + json_len(v)).sum::<usize>(),
    }
}

fn string_len(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
            c if (c as u32) < 0x20 => 6,
            c => c.len_utf8(),
        })
        .sum::<usize>()
}

struct Counter(usize);

impl Write for Counter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_serde_json() {
        for v in [json!(null), json!({"a": [1, 2.5, -3e20, "x\"\n\u{1}é"], "b": {"c": true, "d": false}}), json!([]), json!({}), json!("")] {
            assert_eq!(json_len(&v), v.to_string().len(), "{v}");
        }
    }
}
