//! Evaluating paths: a small evaluator for definite paths (`$.a.b[0]`,
//! `$['x']`), which are nearly all paths in practice, and serde_json_path
//! for the rest (wildcards, filters, slices, deep scan).

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

/// One step of a definite path.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Index(i64),
}

/// What a path reads from.
pub struct Roots<'a> {
    pub input: &'a Value,
    pub context: &'a dyn crate::context::ContextSource,
    pub variables: Option<&'a Map<String, Value>>,
}

/// Why a path gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathError {
    /// Syntax the evaluator cannot read.
    Invalid(String),
    /// The path is fine but names nothing in the value.
    NotFound,
    /// `$name` names no variable.
    UnknownVariable(String),
}

/// Reads `expr`, a path starting at `$` (input), `$$` (context) or
/// `$name` (a variable).
pub fn read(expr: &str, roots: &Roots) -> Result<Value, PathError> {
    let Some(rest) = expr.strip_prefix('$') else {
        return Err(PathError::Invalid(format!("{expr:?} does not start with '$'")));
    };
    if let Some(ctx_path) = rest.strip_prefix('$') {
        return roots.context.query(&format!("${ctx_path}"));
    }
    if rest.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let name = &rest[..end];
        let value = roots
            .variables
            .and_then(|v| v.get(name))
            .ok_or_else(|| PathError::UnknownVariable(name.to_string()))?;
        return query(value, &format!("${}", &rest[end..]));
    }
    query(roots.input, expr)
}

/// Evaluates a path that starts at `$` against `root`.
pub fn query(root: &Value, path: &str) -> Result<Value, PathError> {
    if let Some(steps) = parse_definite(path) {
        return walk(root, &steps).cloned().ok_or(PathError::NotFound);
    }
    // RFC 9535 (serde_json_path) reads Jayway's `[?(expr)]` filters as
    // parenthesised expressions, so AWS-style paths need no rewriting.
    let compiled = JsonPath::parse(path).map_err(|e| PathError::Invalid(e.to_string()))?;
    let nodes = compiled.query(root).all();
    Ok(Value::Array(nodes.into_iter().cloned().collect()))
}

/// Follows definite steps.
pub fn walk<'v>(root: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    let mut cur = root;
    for s in steps {
        cur = match (s, cur) {
            (Step::Key(k), Value::Object(m)) => m.get(k)?,
            (Step::Index(i), Value::Array(a)) => {
                let idx = if *i < 0 { a.len() as i64 + i } else { *i };
                a.get(usize::try_from(idx).ok()?)?
            }
            _ => return None,
        };
    }
    Some(cur)
}

/// Parses `$`, `.name`, `['name']`, `["name"]` and `[n]` steps; `None`
/// for anything else (which is then not a definite path).
pub fn parse_definite(path: &str) -> Option<Vec<Step>> {
    let mut rest = path.strip_prefix('$')?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            if r.starts_with('.') {
                return None;
            }
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let name = &r[..end];
            if name.is_empty() || name == "*" || name.contains(['(', ')', ']']) {
                return None;
            }
            steps.push(Step::Key(name.to_string()));
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let (step, len) = bracket_step(r)?;
            steps.push(step);
            rest = &r[len..];
        } else {
            return None;
        }
    }
    Some(steps)
}

/// One `[...]` step (the text after `[`): a quoted name or an index, and
/// how many bytes it spans including the `]`. Inside quotes only the quote
/// character itself is escaped (`\'`); other text is taken literally, as
/// AWS's JSONPath reads it.
fn bracket_step(r: &str) -> Option<(Step, usize)> {
    let trimmed = r.trim_start();
    let lead = r.len() - trimmed.len();
    if let Some(q) = trimmed.chars().next().filter(|c| *c == '\'' || *c == '"') {
        let mut name = String::new();
        let mut chars = trimmed[1..].char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' && trimmed[1 + i + 1..].starts_with(q) {
                name.push(q);
                chars.next();
            } else if c == q {
                let after = &trimmed[1 + i + 1..];
                let close = after.find(']')?;
                if !after[..close].trim().is_empty() {
                    return None;
                }
                return Some((Step::Key(name), lead + 1 + i + 1 + close + 1));
            } else {
                name.push(c);
            }
        }
        return None;
    }
    let end = r.find(']')?;
    Some((Step::Index(r[..end].trim().parse().ok()?), end + 1))
}

/// Why a ResultPath could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetError(pub String);

/// Puts `value` at a reference path inside `target`, creating objects on
/// the way, as ResultPath does. `$` replaces the whole target.
pub fn set(target: Value, path: &str, value: Value) -> Result<Value, SetError> {
    let steps = parse_definite(path).ok_or_else(|| SetError(format!("{path} is not a reference path")))?;
    if steps.is_empty() {
        return Ok(value);
    }
    let mut root = target;
    if !root.is_object() && !root.is_array() {
        return Err(SetError(format!("cannot set {path} in a value that is not an object")));
    }
    set_in(&mut root, &steps, value, path)?;
    Ok(root)
}

fn set_in(cur: &mut Value, steps: &[Step], value: Value, path: &str) -> Result<(), SetError> {
    let (first, rest) = steps.split_first().expect("non-empty steps");
    let slot: &mut Value = match (first, cur) {
        (Step::Key(k), Value::Object(m)) => {
            if rest.is_empty() {
                m.insert(k.clone(), value);
                return Ok(());
            }
            m.entry(k.clone()).or_insert_with(|| Value::Object(Map::new()))
        }
        (Step::Index(i), Value::Array(a)) => {
            let idx = if *i < 0 { a.len() as i64 + i } else { *i };
            let slot = usize::try_from(idx).ok().and_then(|i| a.get_mut(i)).ok_or_else(|| SetError(format!("index {i} of {path} is out of range")))?;
            if rest.is_empty() {
                *slot = value;
                return Ok(());
            }
            slot
        }
        _ => return Err(SetError(format!("{path} goes through a value that is not an object"))),
    };
    set_in(slot, rest, value, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn roots<'a>(input: &'a Value, ctx: &'a Value) -> Roots<'a> {
        Roots { input, context: ctx, variables: None }
    }

    #[test]
    fn reads_definite_and_indefinite_paths() {
        let input = json!({"a": {"b": [1, 2, 3]}, "x y": 5, "items": [{"p": 1}, {"p": 20}]});
        let ctx = json!({"Execution": {"Id": "arn"}});
        let r = roots(&input, &ctx);
        assert_eq!(read("$.a.b[1]", &r), Ok(json!(2)));
        assert_eq!(read("$.a.b[-1]", &r), Ok(json!(3)));
        assert_eq!(read("$['x y']", &r), Ok(json!(5)));
        assert_eq!(read("$$.Execution.Id", &r), Ok(json!("arn")));
        assert_eq!(read("$.items[*].p", &r), Ok(json!([1, 20])));
        assert_eq!(read("$.items[?(@.p > 10)].p", &r), Ok(json!([20])));
        assert_eq!(read("$..p", &r), Ok(json!([1, 20])));
        assert_eq!(read("$.nope", &r), Err(PathError::NotFound));
        let odd = json!({"Test\\\"\"Name\"": 1, "it's": 2});
        assert_eq!(read("$['Test\\\"\"Name\"']", &roots(&odd, &ctx)), Ok(json!(1)));
        assert_eq!(read("$['it\\'s']", &roots(&odd, &ctx)), Ok(json!(2)));
    }

    #[test]
    fn sets_result_paths() {
        assert_eq!(set(json!({"a": 1}), "$.b.c", json!(2)).unwrap(), json!({"a": 1, "b": {"c": 2}}));
        assert_eq!(set(json!({"a": 1}), "$", json!(2)).unwrap(), json!(2));
        assert_eq!(set(json!({"a": [0, 1]}), "$.a[1]", json!(9)).unwrap(), json!({"a": [0, 9]}));
        assert!(set(json!({"a": "s"}), "$.a.b", json!(1)).is_err());
        assert!(set(json!("s"), "$.a", json!(1)).is_err());
    }
}
