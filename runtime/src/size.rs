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

/// At most how long, as JSON, the output of ResultPath (then OutputPath)
/// is, from the length of the raw input (when known) and the result: the
/// result itself for `$`, the input for `null`, otherwise the input with
/// the result put in, each key of the path adding at most itself, its
/// quotes, a colon, a comma and braces. OutputPath only selects a part.
pub fn result_path_bound(input_len: Option<usize>, result: &Value, path: &Option<Option<String>>) -> Option<usize> {
    result_path_bound_of(input_len, || json_len(result), path)
}

/// [`result_path_bound`] with the result's length given (measured only
/// when needed).
pub fn result_path_bound_of(input_len: Option<usize>, result_len: impl FnOnce() -> usize, path: &Option<Option<String>>) -> Option<usize> {
    if crate::io::is_whole(path) {
        return Some(result_len());
    }
    match path {
        Some(Some(p)) => input_len.map(|n| n + result_len() + 8 * p.len() + 8),
        _ => input_len,
    }
}

/// Decimal digits of `n` (what formatting it would write).
fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// Quotes plus the bytes, plus what escaping adds: one byte for the
/// short escapes, five for `\u00XX`. Other characters, multi-byte ones
/// included, are written as they are.
pub(crate) fn string_len(s: &str) -> usize {
    let escaped = |b: u8| b < 0x20 || b == b'"' || b == b'\\';
    if !s.bytes().any(escaped) {
        return 2 + s.len();
    }
    2 + s.len()
        + s.bytes()
            .map(|b| match b {
                b'"' | b'\\' | b'\n' | b'\r' | b'\t' | 0x08 | 0x0c => 1,
                0..=0x1f => 5,
                _ => 0,
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

    /// The bound holds for every way ResultPath can put a result in.
    #[test]
    fn result_path_bounds_hold() {
        let input = json!({"a": {"b": [1, 2]}, "s": "x"});
        let n = Some(json_len(&input));
        for (path, result) in [
            ("$.a.b", json!({"big": "y".repeat(50)})),
            ("$.new.deep.key", json!([1, 2, 3])),
            ("$.a.b[0]", json!("z")),
            ("$.s", json!(null)),
        ] {
            let out = crate::paths::set(input.clone(), path, result.clone()).unwrap();
            let bound = result_path_bound(n, &result, &Some(Some(path.to_string()))).unwrap();
            assert!(json_len(&out) <= bound, "{path}: {} > {bound}", json_len(&out));
        }
        assert_eq!(result_path_bound(None, &json!([1]), &None), Some(3));
        assert_eq!(result_path_bound(n, &json!([1]), &Some(None)), n);
        assert_eq!(result_path_bound(None, &json!([1]), &Some(Some("$.x".into()))), None);
    }

    #[test]
    fn matches_serde_json() {
        let numbers = json!([0, 9, 10, 99, 100, -1, -10, -99, u64::MAX, i64::MIN, 1.5, -0.25, 1e300]);
        for v in [
            json!(null),
            json!({"a": [1, 2.5, -3e20, "x\"\n\u{1}é"], "b": {"c": true, "d": false}}),
            json!([]),
            json!({}),
            json!(""),
            numbers,
            json!(["\u{8}\u{c}\t\r\\/\u{1f}\u{7f}", "日本語 🦀", {"k\"ey": "v"}]),
        ] {
            assert_eq!(json_len(&v), v.to_string().len(), "{v}");
        }
    }
}
