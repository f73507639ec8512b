//! The intrinsic functions themselves, each with AWS's argument rules.

use super::{ArgValue, NULL};
use base64::Engine;
use rand::{RngExt, SeedableRng};
use serde_json::{Map, Number, Value};
use sfc_asl::intrinsic::FormatPart;
use std::borrow::Cow;

/// Longest string Base64Encode/Decode accept.
const MAX_BASE64_INPUT: usize = 10_000;
/// Most elements ArrayRange may produce.
const MAX_RANGE: usize = 1000;

type R = Result<Value, String>;

pub(super) fn apply(name: &str, args: &mut [ArgValue], rng: &mut dyn rand::Rng) -> R {
    let a = &*args;
    match name {
        "States.Format" => format(a),
        "States.StringToJson" => string_to_json(&a[0]),
        "States.JsonToString" => Ok(Value::String(a[0].to_string())),
        "States.Array" => Ok(Value::Array(args.iter_mut().map(|v| std::mem::replace(v, Cow::Borrowed(&NULL)).into_owned()).collect())),
        "States.ArrayPartition" => partition(&a[0], &a[1]),
        "States.ArrayContains" => Ok(Value::Bool(array(&a[0])?.contains(&a[1]))),
        "States.ArrayRange" => range(&a[0], &a[1], &a[2]),
        "States.ArrayGetItem" => get_item(&a[0], &a[1]),
        "States.ArrayLength" => Ok(Value::from(array(&a[0])?.len())),
        "States.ArrayUnique" => unique(&a[0]),
        "States.Base64Encode" => base64_encode(&a[0]),
        "States.Base64Decode" => base64_decode(&a[0]),
        "States.Hash" => hash(&a[0], &a[1]),
        "States.JsonMerge" => merge(&a[0], &a[1], &a[2]),
        "States.MathRandom" => random(a, rng),
        "States.MathAdd" => Ok(Value::from(rounded(&a[0])?.checked_add(rounded(&a[1])?).ok_or("the sum is out of range")?)),
        "States.StringSplit" => split(&a[0], &a[1]),
        "States.UUID" => Ok(Value::String(uuid::Builder::from_random_bytes(rng.random()).into_uuid().to_string())),
        other => Err(format!("{other} is not an intrinsic function")),
    }
}

fn array(v: &Value) -> Result<&Vec<Value>, String> {
    v.as_array().ok_or_else(|| format!("expected an array, got {}", short(v)))
}

fn string(v: &Value) -> Result<&str, String> {
    v.as_str().ok_or_else(|| format!("expected a string, got {}", short(v)))
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.len() > 60 {
        format!("{}...", &s[..s.floor_char_boundary(60)])
    } else {
        s
    }
}

/// An integer argument; decimals are rounded half up, as AWS does.
fn rounded(v: &Value) -> Result<i64, String> {
    if let Some(i) = v.as_i64() {
        return Ok(i);
    }
    let x = v.as_f64().ok_or_else(|| format!("expected a number, got {}", short(v)))?;
    let r = (x + 0.5).floor();
    if r.abs() > i64::MAX as f64 {
        Err(format!("{x} is out of range"))
    } else {
        Ok(r as i64)
    }
}

/// An argument that must already be a whole number.
fn integer(v: &Value) -> Result<i64, String> {
    match v.as_i64() {
        Some(i) => Ok(i),
        None => match v.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
            _ => Err(format!("expected an integer, got {}", short(v))),
        },
    }
}

/// How `States.Format` prints a value: strings bare, JSON scalars as JSON,
/// objects and arrays the way the service's Java runtime prints them.
fn format_arg(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) => {
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}={}", format_arg(v))).collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(format_arg).collect::<Vec<_>>().join(", ")),
        other => other.to_string(),
    }
}

fn format(a: &[ArgValue]) -> R {
    let template = string(&a[0])?;
    let mut out = String::new();
    let mut args = a[1..].iter();
    for part in sfc_asl::intrinsic::format_parts(template) {
        match part {
            FormatPart::Text(t) => out.push_str(&t),
            FormatPart::Placeholder => {
                let arg = args.next().ok_or("the template has more {} than there are arguments")?;
                out.push_str(&format_arg(arg));
            }
        }
    }
    if args.next().is_some() {
        return Err("there are more arguments than {} in the template".into());
    }
    Ok(Value::String(out))
}

fn string_to_json(v: &Value) -> R {
    let s = string(v)?;
    if s.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(s).map_err(|e| format!("the string is not JSON: {e}"))
}

fn partition(arr: &Value, size: &Value) -> R {
    let items = array(arr)?;
    let n = integer(size)?;
    if n <= 0 {
        return Err(format!("the chunk size must be positive, got {n}"));
    }
    Ok(Value::Array(items.chunks(n as usize).map(|c| Value::Array(c.to_vec())).collect()))
}

fn range(start: &Value, end: &Value, step: &Value) -> R {
    let (s, e, st) = (integer(start)?, integer(end)?, integer(step)?);
    if st == 0 {
        return Err("the step must not be 0".into());
    }
    let mut out = Vec::new();
    let mut i = s;
    while (st > 0 && i <= e) || (st < 0 && i >= e) {
        if out.len() == MAX_RANGE {
            return Err(format!("the range has more than {MAX_RANGE} elements"));
        }
        out.push(Value::from(i));
        i = i.checked_add(st).ok_or("the range overflows")?;
    }
    Ok(Value::Array(out))
}

fn get_item(arr: &Value, index: &Value) -> R {
    let items = array(arr)?;
    let i = integer(index)?;
    usize::try_from(i)
        .ok()
        .and_then(|i| items.get(i))
        .cloned()
        .ok_or_else(|| format!("index {i} is out of bounds for an array of {} elements", items.len()))
}

/// The first of each group of equal items, in order. Items are told apart
/// by their [`canonical`] text, not by comparing each with every one kept
/// (38,000 distinct numbers took 17.4 s in a debug build).
fn unique(arr: &Value) -> R {
    let mut seen = std::collections::HashSet::new();
    let mut key = String::new();
    let mut out: Vec<Value> = Vec::new();
    for v in array(arr)? {
        key.clear();
        canonical(v, &mut key);
        if !seen.contains(key.as_str()) {
            seen.insert(key.clone());
            out.push(v.clone());
        }
    }
    Ok(Value::Array(out))
}

/// `v` as JSON text with each object's keys sorted: equal JSON values have
/// the same text (objects whatever the order of their keys), and 1 and 1.0
/// stay apart, as serde_json and AWS's Jackson keep them (so do 0.0 and
/// -0.0, which serde_json alone would call equal).
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            entries.sort_unstable_by_key(|(k, _)| *k);
            out.push('{');
            for (i, (k, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::from(k.as_str()).to_string());
                out.push(':');
                canonical(item, out);
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn base64_encode(v: &Value) -> R {
    let s = string(v)?;
    if s.len() > MAX_BASE64_INPUT {
        return Err(format!("the input is longer than {MAX_BASE64_INPUT} characters"));
    }
    Ok(Value::String(base64::engine::general_purpose::STANDARD.encode(s)))
}

fn base64_decode(v: &Value) -> R {
    let s = string(v)?;
    if s.len() > MAX_BASE64_INPUT {
        return Err(format!("the input is longer than {MAX_BASE64_INPUT} characters"));
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(s).map_err(|e| format!("the input is not Base64: {e}"))?;
    String::from_utf8(bytes).map(Value::String).map_err(|_| "the decoded bytes are not UTF-8 text".into())
}

fn hash(data: &Value, algorithm: &Value) -> R {
    let text = match data {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    hash_hex(&text, string(algorithm)?).map(Value::String)
}

/// The hex digest of `text` with one of the algorithms Step Functions offers.
pub fn hash_hex(text: &str, algorithm: &str) -> Result<String, String> {
    use sha2::Digest;
    let bytes = text.as_bytes();
    let hex = |d: &[u8]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
    Ok(match algorithm {
        "MD5" => hex(&md5::Md5::digest(bytes)),
        "SHA-1" => hex(&sha1::Sha1::digest(bytes)),
        "SHA-256" => hex(&sha2::Sha256::digest(bytes)),
        "SHA-384" => hex(&sha2::Sha384::digest(bytes)),
        "SHA-512" => hex(&sha2::Sha512::digest(bytes)),
        other => return Err(format!("unknown algorithm {other:?}; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512")),
    })
}

fn merge(a: &Value, b: &Value, deep: &Value) -> R {
    if deep != &Value::Bool(false) {
        return Err("only a shallow merge is supported: the third argument must be false".into());
    }
    let (Value::Object(x), Value::Object(y)) = (a, b) else {
        return Err("both arguments must be objects".into());
    };
    let mut out: Map<String, Value> = x.clone();
    for (k, v) in y {
        out.insert(k.clone(), v.clone());
    }
    Ok(Value::Object(out))
}

/// A random integer in [start, end); with a seed, the same one each time.
fn random(a: &[ArgValue], rng: &mut dyn rand::Rng) -> R {
    let (start, end) = (rounded(&a[0])?, rounded(&a[1])?);
    if start >= end {
        return Err(format!("the start ({start}) must be less than the end ({end})"));
    }
    let n = match a.get(2) {
        Some(seed) => rand::rngs::StdRng::seed_from_u64(integer(seed)? as u64).random_range(start..end),
        None => rng.random_range(start..end),
    };
    Ok(Value::Number(Number::from(n)))
}

/// Splits at every character of `delims`, dropping empty parts. The
/// delimiters are looked up in a sorted set, not scanned for each
/// character (120 KB of text and 96 KB of delimiters: 0.7 s, now 0.03 s).
fn split(s: &Value, delims: &Value) -> R {
    let (s, d) = (string(s)?, string(delims)?);
    let mut set: Vec<char> = d.chars().collect();
    set.sort_unstable();
    set.dedup();
    let parts = s.split(|c: char| set.binary_search(&c).is_ok()).filter(|p| !p.is_empty()).map(|p| Value::String(p.to_string()));
    Ok(Value::Array(parts.collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn small_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (0i64..3).prop_map(Value::from),
            (0i64..3).prop_map(|n| Value::from(n as f64)),
            "[ab]{0,2}".prop_map(Value::from),
        ];
        crate::paths::tests::json_of(leaf, "[xy]")
    }

    proptest! {
        /// StringSplit splits where a character of the delimiters stands,
        /// as looking each up in the delimiters' text does.
        #[test]
        fn split_splits_at_every_delimiter(text in "[a-d ,;]{0,24}", delims in "[ ,;ab]{0,4}") {
            let expected: Vec<Value> =
                text.split(|c: char| delims.contains(c)).filter(|p| !p.is_empty()).map(Value::from).collect();
            prop_assert_eq!(split(&Value::from(text.as_str()), &Value::from(delims.as_str())).unwrap(), Value::Array(expected));
        }

        /// ArrayUnique keeps what comparing each item with every one kept
        /// keeps: objects equal whatever their keys' order, 1 and 1.0 apart.
        #[test]
        fn unique_keeps_the_first_of_each_equal_group(items in prop::collection::vec(small_value(), 0..12)) {
            let mut expected: Vec<Value> = Vec::new();
            for v in &items {
                if !expected.contains(v) {
                    expected.push(v.clone());
                }
            }
            prop_assert_eq!(unique(&Value::Array(items)).unwrap(), Value::Array(expected));
        }
    }
}
