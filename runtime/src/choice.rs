//! Evaluating Choice rules (JSONPath query language).

use crate::error::Failure;
use crate::paths::{self, PathError, Roots};
use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use sfc_asl::{ChoiceRule, Operand, Operator, Test};
use std::cmp::Ordering;

/// A Choice state's rules taken apart once per execution (as payload
/// templates are): each path is split into steps ahead of time, since a
/// loop reads them on every turn.
#[derive(Debug)]
pub struct Compiled(Vec<Rule>);

#[derive(Debug)]
enum Rule {
    And(Vec<Rule>),
    Or(Vec<Rule>),
    Not(Box<Rule>),
    Compare { variable: RulePath, operator: Operator, operand: RuleOperand },
    Condition,
}

#[derive(Debug)]
enum RuleOperand {
    Value(Value),
    Path(RulePath),
}

/// A path as written and, for a definite path into the input, its steps.
#[derive(Debug)]
struct RulePath {
    text: String,
    steps: Option<Vec<paths::Step>>,
}

impl Compiled {
    pub fn new(rules: &[ChoiceRule]) -> Compiled {
        Compiled(rules.iter().map(Rule::new).collect())
    }

    /// The index of the first rule that matches, if any.
    pub fn choose(&self, roots: &Roots) -> Result<Option<usize>, Failure> {
        for (i, r) in self.0.iter().enumerate() {
            if r.matches(roots)? {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }
}

impl Rule {
    fn new(rule: &ChoiceRule) -> Rule {
        match &rule.test {
            Test::And(rules) => Rule::And(rules.iter().map(Rule::new).collect()),
            Test::Or(rules) => Rule::Or(rules.iter().map(Rule::new).collect()),
            Test::Not(r) => Rule::Not(Box::new(Rule::new(r))),
            Test::Compare { variable, operator, operand } => {
                let operand = match (operator.operand(), operand.as_str()) {
                    (Operand::Path, Some(p)) => RuleOperand::Path(RulePath::new(p)),
                    (Operand::Path, None) => RuleOperand::Path(RulePath::new("")),
                    _ => RuleOperand::Value(operand.clone()),
                };
                Rule::Compare { variable: RulePath::new(variable), operator: *operator, operand }
            }
            Test::Condition(_) => Rule::Condition,
        }
    }

    fn matches(&self, roots: &Roots) -> Result<bool, Failure> {
        match self {
            Rule::And(rules) => {
                for r in rules {
                    if !r.matches(roots)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Rule::Or(rules) => {
                for r in rules {
                    if r.matches(roots)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Rule::Not(r) => Ok(!r.matches(roots)?),
            Rule::Compare { variable, operator, operand } => compare(variable, *operator, operand, roots),
            Rule::Condition => Err(Failure::runtime("a JSONata Condition needs the JSONata query language")),
        }
    }
}

impl RulePath {
    fn new(text: &str) -> RulePath {
        RulePath { text: text.to_string(), steps: paths::input_steps(text) }
    }

    /// What the path finds, lent where it is part of the input.
    fn read<'a>(&self, roots: &Roots<'a>) -> Result<std::borrow::Cow<'a, Value>, PathError> {
        match &self.steps {
            Some(steps) => paths::walk(roots.input, steps).map(std::borrow::Cow::Borrowed).ok_or(PathError::NotFound),
            None => paths::read_cow(&self.text, roots),
        }
    }
}

fn compare(variable: &RulePath, op: Operator, operand: &RuleOperand, roots: &Roots) -> Result<bool, Failure> {
    let value = match variable.read(roots) {
        Ok(v) => Some(v),
        Err(PathError::NotFound) => None,
        Err(PathError::TooCostly(m)) => return Err(Failure::runtime(m)),
        Err(e) => return Err(Failure::runtime(format!("Invalid path '{}': {e:?}", variable.text))),
    };
    if op == Operator::IsPresent {
        return Ok(value.is_some() == matches!(operand, RuleOperand::Value(Value::Bool(true))));
    }
    let Some(value) = value else {
        return Err(invalid_value(&variable.text));
    };
    let expected = match operand {
        RuleOperand::Value(v) => std::borrow::Cow::Borrowed(v),
        RuleOperand::Path(p) => p.read(roots).map_err(|_| invalid_value(&p.text))?,
    };
    Ok(evaluate(op, &value, &expected))
}

fn invalid_value(path: &str) -> Failure {
    Failure::runtime(format!("Invalid path '{path}': The choice state's condition path references an invalid value."))
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
        Compiled::new(&[rule(r)]).choose(&Roots { input: &input, context: &ctx, variables: None }).map(|i| i.is_some())
    }

    #[test]
    fn comparisons_need_matching_types() {
        assert_eq!(check(json!({"Variable": "$.v", "NumericEquals": 0}), json!({"v": ""})), Ok(false));
        assert_eq!(check(json!({"Variable": "$.v", "NumericEquals": 1}), json!({"v": 1.0})), Ok(true));
        assert_eq!(check(json!({"Variable": "$.v", "BooleanEquals": false}), json!({"v": null})), Ok(false));
        assert_eq!(
            check(json!({"Variable": "$.v", "TimestampLessThan": "2012-10-09T19:00:56Z"}), json!({"v": "2012-10-09T19:00:55Z"})),
            Ok(true)
        );
        assert_eq!(check(json!({"Variable": "$.v", "StringGreaterThanPath": "$.w"}), json!({"v": "b", "w": "a"})), Ok(true));
    }

    #[test]
    fn presence_and_missing_variables() {
        assert_eq!(check(json!({"Variable": "$.v", "IsPresent": false}), json!({})), Ok(true));
        assert_eq!(check(json!({"Variable": "$.v", "IsNull": true}), json!({"v": null})), Ok(true));
        assert_eq!(check(json!({"Variable": "$.v", "StringEquals": "x"}), json!({})).unwrap_err().error, "States.Runtime");
    }

    /// Rules compile their paths once; paths that are not definite steps
    /// into the input (context, brackets, filters) read as before.
    #[test]
    fn compiled_paths_of_every_kind() {
        let ctx = json!({"Execution": {"Name": "run-1"}});
        let input = json!({"a": {"b c": 5}, "items": [{"p": 1}, {"p": 20}], "lim": 4});
        let roots = Roots { input: &input, context: &ctx, variables: None };
        let rules: Vec<ChoiceRule> = vec![
            rule(json!({"Variable": "$$.Execution.Name", "StringEquals": "other", "Next": "A"})),
            rule(
                json!({"And": [{"Variable": "$.a['b c']", "NumericGreaterThanPath": "$.lim"}, {"Not": {"Variable": "$.items[?(@.p > 10)].p", "IsPresent": false}}], "Next": "B"}),
            ),
        ];
        assert_eq!(Compiled::new(&rules).choose(&roots), Ok(Some(1)));
        let missing =
            Compiled::new(&[rule(json!({"Variable": "$.a", "NumericLessThanPath": "$.nope", "Next": "A"}))]).choose(&roots).unwrap_err();
        assert_eq!(missing.cause.as_deref(), Some("Invalid path '$.nope': The choice state's condition path references an invalid value."));
        assert_eq!(Compiled::new(&[]).choose(&roots), Ok(None));
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
