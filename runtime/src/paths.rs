//! Evaluating paths: a small evaluator for definite paths (`$.a.b[0]`,
//! `$['x']`), which are nearly all paths in practice, and serde_json_path
//! for the rest (wildcards, filters, slices, deep scan). The syntax — the
//! steps of a definite path — is `sfc_asl::paths`, shared with the validator.

use jsonata_core::value::JValue;
use serde_json::{Map, Value};
use serde_json_path::JsonPath;
pub use sfc_asl::paths::{input_steps, parse_definite, Step};
use sfc_asl::paths::{StepIter, StepRef};
use std::borrow::Cow;

/// Something that can produce the context object on demand.
pub trait ContextSource {
    fn value(&self) -> &Value;

    /// The context object as a JSONata value; `base` is the execution's
    /// part, already converted (it holds the execution input).
    fn jsonata(&self, _base: &JValue) -> JValue {
        crate::jsonata::converted(self.value())
    }

    /// Evaluates a path (`$.Execution.Id`, with `$` standing for `$$`).
    fn query(&self, path: &str) -> Result<Value, PathError> {
        query(self.value(), path)
    }

    /// [`ContextSource::query`] of a definite `path` whose steps were
    /// taken apart beforehand (a template's, once per machine).
    fn query_steps(&self, _steps: &[Step], path: &str) -> Result<Value, PathError> {
        self.query(path)
    }
}

/// What a path reads from.
pub struct Roots<'a> {
    pub input: &'a Value,
    pub context: &'a dyn ContextSource,
    pub variables: Option<&'a crate::variables::VarMap>,
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
    /// The path would cost more than sfc spends on one (see
    /// [`crate::path_cost`]); the message says why.
    TooCostly(String),
}

/// Reads `expr`, a path starting at `$` (input), `$$` (context) or
/// `$name` (a variable).
pub fn read(expr: &str, roots: &Roots) -> Result<Value, PathError> {
    let expr = &*sfc_asl::paths::without_dot_brackets(expr);
    let Some(rest) = expr.strip_prefix('$') else {
        return Err(PathError::Invalid(format!("{expr:?} does not start with '$'")));
    };
    if rest.starts_with('$') {
        // `$$.a` is `$.a` of the context object.
        return roots.context.query(rest);
    }
    if rest.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let name = &rest[..end];
        let value = roots.variables.and_then(|v| v.get(name)).ok_or_else(|| PathError::UnknownVariable(name.to_string()))?.json();
        return query(value, &format!("${}", &rest[end..]));
    }
    query(roots.input, expr)
}

/// [`read`], lending what a definite path finds in the input instead of
/// copying it (Choice rules compare values they only look at).
pub fn read_cow<'a>(expr: &str, roots: &Roots<'a>) -> Result<std::borrow::Cow<'a, Value>, PathError> {
    let expr = &*sfc_asl::paths::without_dot_brackets(expr);
    let into_input = expr.strip_prefix('$').is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']));
    if into_input {
        if let Some(found) = lookup(roots.input, expr) {
            return found.map(std::borrow::Cow::Borrowed).ok_or(PathError::NotFound);
        }
    }
    read(expr, roots).map(std::borrow::Cow::Owned)
}

/// Evaluates a path that starts at `$` against `root`.
pub fn query(root: &Value, path: &str) -> Result<Value, PathError> {
    let path = &*sfc_asl::paths::without_dot_brackets(path);
    match lookup(root, path) {
        Some(found) => found.cloned().ok_or(PathError::NotFound),
        None if let Some((prefix, names)) = property_union(path) => {
            // Jayway (AWS) reads `['a','b']` as the object of those
            // properties each node has, not as a list of their values.
            let pick = |node: &Value| match node {
                Value::Object(m) => Some(Value::Object(names.iter().filter_map(|n| Some((n.clone(), m.get(n)?.clone()))).collect())),
                _ => None,
            };
            let nodes = query(root, prefix)?;
            if lookup(root, prefix).is_some() {
                return pick(&nodes).ok_or(PathError::NotFound);
            }
            Ok(Value::Array(nodes.as_array().into_iter().flatten().filter_map(pick).collect()))
        }
        None => {
            // RFC 9535 (serde_json_path) reads Jayway's `[?(expr)]` filters
            // as parenthesised expressions, so AWS-style paths need no rewriting.
            let shape = crate::path_cost::Shape::read(path)?;
            let compiled = JsonPath::parse(path).map_err(|e| PathError::Invalid(e.to_string()))?;
            shape.check_visits(path, root)?;
            let nodes = compiled.query(root).all();
            Ok(Value::Array(crate::path_cost::copy_result(path, &nodes)?))
        }
    }
}

/// A path ending in a union of two or more quoted names (`$[*]['a','b']`):
/// the path before it and the names.
fn property_union(path: &str) -> Option<(&str, Vec<String>)> {
    let body = path.strip_suffix(']')?;
    let open = body.rfind('[')?;
    let names: Vec<String> = body[open + 1..]
        .split(',')
        .map(|n| {
            let n = n.trim();
            let quoted = n.len() >= 2 && (n.starts_with('\'') && n.ends_with('\'') || n.starts_with('"') && n.ends_with('"'));
            quoted.then(|| n[1..n.len() - 1].to_string()).filter(|n| !n.contains(['\'', '"', '\\']))
        })
        .collect::<Option<_>>()?;
    (names.len() >= 2).then_some((&path[..open], names))
}

/// [`query`] for a path given without its leading `$` (`.a.b[0]`), as
/// the context object splits `$$.Map.Item.Value` into a part and the rest.
pub fn query_rest(root: &Value, rest: &str) -> Result<Value, PathError> {
    match lookup_steps(root, StepIter::after_root(rest)) {
        Some(found) => found.cloned().ok_or(PathError::NotFound),
        None => query(root, &format!("${rest}")),
    }
}

/// Up to this many keys, comparing them one by one costs less than hashing
/// the key looked for (serde_json's maps use SipHash).
pub(crate) const SCAN_LIMIT: usize = 8;

/// A key's value in an object; small objects are scanned (see
/// [`SCAN_LIMIT`]): paths are read at every state.
pub(crate) fn get<'v>(m: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    if m.len() <= SCAN_LIMIT {
        m.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        m.get(key)
    }
}

/// [`get`] to a value that can be changed.
fn get_mut<'v>(m: &'v mut Map<String, Value>, key: &str) -> Option<&'v mut Value> {
    if m.len() <= SCAN_LIMIT {
        m.iter_mut().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        m.get_mut(key)
    }
}

/// Follows a definite path without allocating: `None` when the path is
/// not definite, `Some(None)` when it names nothing.
pub fn lookup<'v>(root: &'v Value, path: &str) -> Option<Option<&'v Value>> {
    lookup_steps(root, StepIter::new(path)?)
}

fn lookup_steps<'v>(root: &'v Value, steps: StepIter) -> Option<Option<&'v Value>> {
    let mut cur = root;
    let mut missing = false;
    for step in steps {
        let step = step?;
        if missing {
            continue;
        }
        let next = match (&step, cur) {
            (StepRef::Key(k), Value::Object(m)) => get(m, k.as_ref()),
            (StepRef::Index(i), Value::Array(a)) => position_in(a, *i).map(|i| &a[i]),
            _ => None,
        };
        match next {
            Some(v) => cur = v,
            None => missing = true,
        }
    }
    Some((!missing).then_some(cur))
}

/// Where index `i` of a path step is in `items`: counted from the end
/// when negative; `None` when outside.
fn position_in(items: &[Value], i: i64) -> Option<usize> {
    let at = if i < 0 { items.len() as i64 + i } else { i };
    usize::try_from(at).ok().filter(|&at| at < items.len())
}

/// Follows definite steps.
pub fn walk<'v>(root: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    let mut cur = root;
    for s in steps {
        cur = match (s, cur) {
            (Step::Key(k), Value::Object(m)) => get(m, k)?,
            (Step::Index(i), Value::Array(a)) => &a[position_in(a, *i)?],
            _ => return None,
        };
    }
    Some(cur)
}

/// [`walk`] to a place that can be changed.
pub fn walk_mut<'v>(root: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    let mut cur = root;
    for s in steps {
        cur = match (s, cur) {
            (Step::Key(k), Value::Object(m)) => get_mut(m, k)?,
            (Step::Index(i), Value::Array(a)) => {
                let at = position_in(a, *i)?;
                &mut a[at]
            }
            _ => return None,
        };
    }
    Some(cur)
}

/// Why a ResultPath could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetError(pub String);

/// Puts `value` at a reference path inside `target`, creating objects on
/// the way, as ResultPath does. `$` replaces the whole target.
pub fn set(target: Value, path: &str, value: Value) -> Result<Value, SetError> {
    let mut root = target;
    set_in_place(&mut root, path, value)?;
    Ok(root)
}

/// A reference path (ResultPath) taken apart once: its steps, or `None`
/// when it is not a reference path. The interpreter keeps one per
/// ResultPath of a prepared machine.
pub fn reference_steps(path: &str) -> Option<Vec<sfc_asl::paths::Step>> {
    StepIter::new(path)?
        .map(|step| match step? {
            StepRef::Key(k) => Some(sfc_asl::paths::Step::Key(k.into_owned())),
            StepRef::Index(i) => Some(sfc_asl::paths::Step::Index(i)),
        })
        .collect()
}

/// [`set`] in place. On error `target` is unchanged: a step can only fail
/// on a value that already existed, before anything was created.
pub fn set_in_place(target: &mut Value, path: &str, value: Value) -> Result<(), SetError> {
    set_steps(target, path, reference_steps(path).as_deref(), Cow::Owned(value))
}

/// [`set_in_place`] with the path's [`reference_steps`] (`path` names it
/// in errors).
pub fn set_steps(target: &mut Value, path: &str, steps: Option<&[sfc_asl::paths::Step]>, value: Cow<Value>) -> Result<(), SetError> {
    use sfc_asl::paths::Step;
    let steps = steps.ok_or_else(|| SetError(format!("{path} is not a reference path")))?;
    if steps.is_empty() {
        place(target, value);
        return Ok(());
    }
    if !target.is_object() && !target.is_array() {
        return Err(SetError(format!("cannot set {path} in a value that is not an object")));
    }
    let mut cur = target;
    for (n, step) in steps.iter().enumerate() {
        let last = n + 1 == steps.len();
        cur = match (step, cur) {
            (Step::Key(k), Value::Object(m)) => {
                if last {
                    put(m, k, value);
                    return Ok(());
                }
                child_object(m, k)
            }
            (Step::Index(i), Value::Array(a)) => {
                let at = position_in(a, *i).ok_or_else(|| SetError(format!("index {i} of {path} is out of range")))?;
                let slot = &mut a[at];
                if last {
                    place(slot, value);
                    return Ok(());
                }
                slot
            }
            _ => return Err(SetError(format!("{path} goes through a value that is not an object"))),
        };
    }
    Ok(())
}

/// Where `key` is in a small object, found by comparing keys (see [`get`]).
fn position(m: &Map<String, Value>, key: &str) -> Option<usize> {
    if m.len() <= SCAN_LIMIT {
        m.keys().position(|k| k == key)
    } else {
        None
    }
}

/// Sets `key` to `value`, in its place if it exists, else at the end.
fn put(m: &mut Map<String, Value>, key: &str, value: Cow<Value>) {
    match get_mut(m, key) {
        Some(slot) => place(slot, value),
        None => {
            m.insert(key.to_string(), value.into_owned());
        }
    }
}

/// Puts `value` in `slot`: moved there when owned; when lent (a Pass
/// state's Result), copied over what the slot holds, reusing its
/// allocations, so a state that sets the same field at every turn of a
/// loop allocates nothing for it.
pub(crate) fn place(slot: &mut Value, value: Cow<Value>) {
    match value {
        Cow::Owned(v) => *slot = v,
        Cow::Borrowed(v) => copy_over(slot, v),
    }
}

/// Makes `to` equal to `from`, keeping what of `to` already has the
/// shape: an object with the same keys in the same order keeps its keys
/// and index and only its values are copied over. The depth is that of a
/// value in the definition, which its parser bounded.
fn copy_over(to: &mut Value, from: &Value) {
    // Matched on `from` first: a scalar over a scalar is a plain write,
    // with no drop of the old value and no call to clone the new one.
    match (from, to) {
        (Value::Number(f), Value::Number(t)) => *t = f.clone(),
        (Value::Bool(f), Value::Bool(t)) => *t = *f,
        (Value::Null, Value::Null) => {}
        (Value::String(f), Value::String(t)) => t.clone_from(f),
        (Value::Object(f), Value::Object(t)) if t.len() == f.len() && t.keys().eq(f.keys()) => {
            for ((_, t), (_, f)) in t.iter_mut().zip(f) {
                copy_over(t, f);
            }
        }
        (Value::Object(f), Value::Object(t)) => t.clone_from(f),
        (Value::Array(f), Value::Array(t)) if t.len() == f.len() => {
            for (t, f) in t.iter_mut().zip(f) {
                copy_over(t, f);
            }
        }
        (from, to) => *to = from.clone(),
    }
}

/// The value at `key`, a new empty object if there is none.
fn child_object<'m>(m: &'m mut Map<String, Value>, key: &str) -> &'m mut Value {
    match position(m, key) {
        Some(i) => m.values_mut().nth(i).expect("position is in range"),
        None => m.entry(key.to_string()).or_insert_with(|| Value::Object(Map::new())),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;

    fn roots<'a>(input: &'a Value, ctx: &'a Value) -> Roots<'a> {
        Roots { input, context: ctx, variables: None }
    }

    /// Paths ending inside a `\u` escape once panicked serde_json_path
    /// (found by the evaluators fuzz target).
    #[test]
    fn a_path_ending_inside_a_unicode_escape_is_invalid() {
        for p in ["$['_\\u", "$[\"\\u", "$[?(@.a == '\\u", "$['\\uD8", "$['\\ud800\\u"] {
            assert!(matches!(query(&json!({}), p), Err(PathError::Invalid(_))), "{p}");
        }
        assert!(crate::path_cost::Shape::read("$['\\u00e9']").is_ok());
        assert!(crate::path_cost::Shape::read("$['a\\\\u']").is_ok());
    }

    /// An unclosed filter nested 25 deep once ran for minutes (the
    /// parser's time doubles with each level; found by fuzzing).
    #[test]
    fn deep_bracket_nesting_is_refused_quickly() {
        let deep = format!("$.a{}", "[?($.aa".repeat(25));
        let Err(PathError::Invalid(e)) = query(&json!({}), &deep) else { panic!("accepted") };
        assert!(e.contains("more than 10 deep"), "{e}");
        let shallow = format!("$.a{}", "[?($.aa".repeat(crate::path_cost::MAX_PATH_NESTING / 2));
        assert!(crate::path_cost::Shape::read(&shallow).is_ok());
        assert!(crate::path_cost::Shape::read("$['[[[[[[[[[[[[']").is_ok());
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
    fn reads_jayway_paths_as_aws_does() {
        let input = json!([{"OU": 1, "bucket": "b", "key": "k", "Snapshots": [{"State": "ok"}]}, {"OU": 0, "key": "k2"}]);
        assert_eq!(query(&input, "$.[0].bucket").unwrap(), json!("b"));
        assert_eq!(query(&input, "$.[0].Snapshots.[0].State").unwrap(), json!("ok"));
        assert_eq!(query(&input, "$.[?(@.OU > 0)].key").unwrap(), json!(["k"]));
        // A union of names is the object of those properties, per node.
        assert_eq!(query(&input, "$.[*].['bucket','key']").unwrap(), json!([{"bucket": "b", "key": "k"}, {"key": "k2"}]));
        assert_eq!(query(&input, "$[0]['key', 'OU']").unwrap(), json!({"key": "k", "OU": 1}));
        assert_eq!(query(&input, "$[0]['key']").unwrap(), json!("k"));
    }

    #[test]
    fn sets_result_paths() {
        assert_eq!(set(json!({"a": 1}), "$.b.c", json!(2)).unwrap(), json!({"a": 1, "b": {"c": 2}}));
        assert_eq!(set(json!({"a": 1}), "$", json!(2)).unwrap(), json!(2));
        assert_eq!(set(json!({"a": [0, 1]}), "$.a[1]", json!(9)).unwrap(), json!({"a": [0, 9]}));
        assert!(set(json!({"a": "s"}), "$.a.b", json!(1)).is_err());
        assert!(set(json!("s"), "$.a", json!(1)).is_err());
    }

    /// JSON values of a few small shapes (keys `a` and `b`, short arrays,
    /// numbers of each kind serde_json keeps apart),
    /// so that two drawn values often share keys, lengths and types.
    pub(crate) fn small_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            (-2..3i64).prop_map(Value::from),
            prop_oneof![Just(0.5f64), Just(-1.5f64)].prop_map(Value::from),
            "[ab]{0,2}".prop_map(Value::from)
        ];
        json_of(leaf, "[ab]")
    }

    /// Values of `leaf` in arrays and objects, whose keys match `keys`,
    /// at most three deep.
    pub(crate) fn json_of(
        leaf: impl proptest::strategy::Strategy<Value = Value> + 'static,
        keys: &'static str,
    ) -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        leaf.prop_recursive(3, 16, 3, move |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
                proptest::collection::vec((keys, inner), 0..3).prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// A lent value copied over a slot leaves exactly that value there,
        /// whatever the slot held, with its keys in the value's order.
        #[test]
        fn a_lent_value_copied_over_a_slot_equals_it(slot in small_json(), value in small_json()) {
            let mut target = json!({"r": slot});
            set_steps(&mut target, "$.r", reference_steps("$.r").as_deref(), Cow::Borrowed(&value)).unwrap();
            proptest::prop_assert_eq!(&target["r"], &value);
            proptest::prop_assert_eq!(target["r"].to_string(), value.to_string());
        }
    }
}
