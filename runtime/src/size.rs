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
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => digits(u),
            (None, Some(i)) => 1 + digits(i.unsigned_abs()),
            _ => {
                let mut c = Counter(0);
                let _ = write!(c, "{n}");
                c.0
            }
        },
        Value::String(s) => string_len(s),
        Value::Array(items) => 2 + items.len().saturating_sub(1) + items.iter().map(json_len).sum::<usize>(),
        Value::Object(m) => 2 + m.len().saturating_sub(1) + m.iter().map(|(k, v)| string_len(k) + 1 + json_len(v)).sum::<usize>(),
    }
}

/// Decimal digits of `n` (what formatting it would write).
fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
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
        let numbers = json!([0, 9, 10, 99, 100, -1, -10, -99, u64::MAX, i64::MIN, 1.5, -0.25, 1e300]);
        for v in [json!(null), json!({"a": [1, 2.5, -3e20, "x\"\n\u{1}é"], "b": {"c": true, "d": false}}), json!([]), json!({}), json!(""), numbers] {
            assert_eq!(json_len(&v), v.to_string().len(), "{v}");
        }
    }
}
