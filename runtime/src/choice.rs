//! Evaluating Choice rules (JSONPath query language).

use crate::error::Failure;
use crate::paths::{self, PathError, Roots};
use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use sfc_compiler::asl::{ChoiceRule, Operand, Operator, Test};
use std::cmp::Ordering;

/// The first rule that matches, if any.
pub fn choose<'r>(rules: &'r [ChoiceRule], roots: &Roots) -> Result<Option<&'r ChoiceRule>, Failure> {
    for r in rules {
        if matches(r, roots)? {
            return Ok(Some(r));
        }
    }
    Ok(None)
}

pub fn matches(rule: &ChoiceRule, roots: &Roots) -> Result<bool, Failure> {
    match &rule.test {
        Test::And(rules) => {
            for r in rules {
                if !matches(r, roots)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Test::Or(rules) => {
            for r in rules {
                if matches(r, roots)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Test::Not(r) => Ok(!matches(r, roots)?),
        Test::Compare { variable, operator, operand } => compare(variable, *operator, operand, roots),
        Test::Condition(_) => Err(Failure::runtime("a JSONata Condition needs the JSONata query language")),
    }
}

fn compare(variable: &str, op: Operator, operand: &Value, roots: &Roots) -> Result<bool, Failure> {
    let value = match paths::read_cow(variable, roots) {
        Ok(v) => Some(v),
        Err(PathError::NotFound) => None,
        Err(e) => return Err(Failure::runtime(format!("Invalid path '{variable}': {e:?}"))),
    };
    if op == Operator::IsPresent {
        return Ok(value.is_some() == (operand == &Value::Bool(true)));
    }
    let Some(value) = value else {
        return Err(Failure::runtime(format!(
            "Invalid path '{variable}': The choice state's condition path references an invalid value."
        )));
    };
    let expected = if op.operand() == Operand::Path {
        let p = operand.as_str().unwrap_or_default();
        paths::read_cow(p, roots).map_err(|_| {
            Failure::runtime(format!("Invalid path '{p}': The choice state's condition path references an invalid value."))
        })?
    } else {
        std::borrow::Cow::Borrowed(operand)
    };
    Ok(evaluate(op, &value, &expected))
}

/// Compares a value to the (resolved) operand; a value of the wrong type
/// never matches.
fn evaluate(op: Operator, value: &Value, expected: &Value) -> bool {
    use Operator::*;
    let truth = expected == &Value::Bool(true);
    match op {
        IsNull => value.is_null() == truth,
        IsNumeric => value.is_number() == truth,
        IsString => value.is_string() == truth,
        IsBoolean => value.is_boolean() == truth,
        IsTimestamp => value.as_str().and_then(timestamp).is_some() == truth,
        IsPresent => unreachable!("handled by compare"),
        StringMatches => match (value.as_str(), expected.as_str()) {
            (Some(v), Some(pattern)) => glob_matches(pattern, v),
            _ => false,
        },
        BooleanEquals | BooleanEqualsPath => value.is_boolean() && value == expected,
        _ => {
            let name = op.name();
            let ordering = if name.starts_with("String") {
                match (value.as_str(), expected.as_str()) {
                    (Some(a), Some(b)) => Some(java_compare(a, b)),
                    _ => None,
                }
            } else if name.starts_with("Numeric") {
                match (value.as_f64(), expected.as_f64()) {
                    (Some(a), Some(b)) if value.is_number() => a.partial_cmp(&b),
                    _ => None,
                }
            } else {
                match (value.as_str().and_then(timestamp), expected.as_str().and_then(timestamp)) {
                    (Some(a), Some(b)) => Some(a.cmp(&b)),
                    _ => None,
                }
            };
            let Some(o) = ordering else { return false };
            let base = name.strip_suffix("Path").unwrap_or(name);
            if base.ends_with("GreaterThanEquals") {
                o != Ordering::Less
            } else if base.ends_with("LessThanEquals") {
                o != Ordering::Greater
            } else if base.ends_with("GreaterThan") {
                o == Ordering::Greater
            } else if base.ends_with("LessThan") {
                o == Ordering::Less
            } else {
                o == Ordering::Equal
            }
        }
    }
}

/// Strings compare by UTF-16 code units, as Java's `compareTo` does.
fn java_compare(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// An RFC 3339 timestamp (with a zone), as Step Functions accepts it.
pub fn timestamp(s: &str) -> Option<DateTime<FixedOffset>> {
    if !s.contains(['T']) {
        return None;
    }
    DateTime::parse_from_rfc3339(s).ok()
}

/// `*` matches any run of characters; `\*` and `\\` are literal.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let mut tokens: Vec<Option<char>> = Vec::new(); // None = wildcard
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => tokens.push(Some(chars.next().unwrap_or('\\'))),
            '*' => tokens.push(None),
            c => tokens.push(Some(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Classic two-pointer wildcard match with backtracking to the last star.
    let (mut p, mut t, mut star, mut mark) = (0, 0, None, 0);
    while t < text.len() {
        match tokens.get(p) {
            Some(Some(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            Some(None) => {
                star = Some(p);
                mark = t;
                p += 1;
            }
            _ => match star {
                Some(s) => {
                    p = s + 1;
                    mark += 1;
                    t = mark;
                }
                None => return false,
            },
        }
    }
    tokens[p..].iter().all(Option::is_none)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(v: Value) -> ChoiceRule {
        serde_json::from_value(v).unwrap()
    }

    fn check(r: Value, input: Value) -> Result<bool, Failure> {
        let ctx = json!({});
        matches(&rule(r), &Roots { input: &input, context: &ctx, variables: None })
    }

    #[test]
    fn comparisons_need_matching_types() {
        assert_eq!(check(json!({"Variable": "$.v", "NumericEquals": 0}), json!({"v": ""})), Ok(false));
        assert_eq!(check(json!({"Variable": "$.v", "NumericEquals": 1}), json!({"v": 1.0})), Ok(true));
        assert_eq!(check(json!({"Variable": "$.v", "BooleanEquals": false}), json!({"v": null})), Ok(false));
        assert_eq!(check(json!({"Variable": "$.v", "TimestampLessThan": "2012-10-09T19:00:56Z"}), json!({"v": "2012-10-09T19:00:55Z"})), Ok(true));
        assert_eq!(check(json!({"Variable": "$.v", "StringGreaterThanPath": "$.w"}), json!({"v": "b", "w": "a"})), Ok(true));
    }

    #[test]
    fn presence_and_missing_variables() {
        assert_eq!(check(json!({"Variable": "$.v", "IsPresent": false}), json!({})), Ok(true));
        assert_eq!(check(json!({"Variable": "$.v", "IsNull": true}), json!({"v": null})), Ok(true));
        assert_eq!(check(json!({"Variable": "$.v", "StringEquals": "x"}), json!({})).unwrap_err().error, "States.Runtime");
    }

    #[test]
    fn globs() {
        assert!(glob_matches("log-*.txt", "log-2024.txt"));
        assert!(glob_matches("*", ""));
        assert!(!glob_matches("a*b", "acbd"));
        assert!(glob_matches("a\\*b", "a*b"));
        assert!(!glob_matches("a\\*b", "axb"));
    }
}
