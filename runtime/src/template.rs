//! Payload templates (Parameters, ResultSelector, ItemSelector, ...):
//! `key.$` fields take the value of a path or an intrinsic call.

use crate::error::Failure;
use crate::intrinsics;
use crate::paths::{self, PathError, Roots};
use serde_json::{Map, Value};
use sfc_asl::intrinsic::looks_like_call;

/// Evaluates a template against the state's input (and context, variables).
pub fn evaluate(template: &Value, roots: &Roots, rng: &mut dyn rand::Rng) -> Result<Value, Failure> {
    match template {
        Value::Object(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, v) in m {
                match (k.strip_suffix(".$"), v) {
                    (Some(base), Value::String(expr)) => {
                        out.insert(base.to_string(), dynamic(k, expr, roots, rng)?);
                    }
                    _ => {
                        out.insert(k.clone(), evaluate(v, roots, rng)?);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items.iter().map(|v| evaluate(v, roots, rng)).collect::<Result<_, _>>().map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// A template taken apart once, for states that evaluate theirs many
/// times (in a loop, in every Map iteration): keys are stripped of `.$`,
/// paths split into steps and intrinsic calls parsed ahead of time. It
/// evaluates exactly as [`evaluate`] does.
#[derive(Debug)]
pub enum Compiled {
    /// A part without `key.$` fields: copied.
    Const(Value),
    /// An object whose keys are all different once stripped of `.$`: its
    /// keys (with null values) and its values in that order. Evaluating
    /// clones the keys and fills in the values, so nothing is hashed again.
    Shaped(Map<String, Value>, Vec<Compiled>),
    /// An object where `k` and `k.$` both occur: built key by key.
    Object(Vec<(String, Compiled)>),
    Array(Vec<Compiled>),
    /// A `key.$` field: `field` is the key as written, `expr` its text.
    Dynamic {
        field: String,
        expr: String,
        read: Read,
    },
}

/// How a `key.$` field is read.
#[derive(Debug)]
pub enum Read {
    /// A definite path into the input.
    Input(Vec<paths::Step>),
    /// A definite path into the context object (`$$.Map.Item.Value`): the
    /// steps after `$$`.
    Context(Vec<paths::Step>),
    /// An intrinsic call, parsed.
    Call(intrinsics::Parsed),
    /// Anything else (variables, indefinite paths).
    Path,
}

impl Compiled {
    pub fn new(template: &Value) -> Compiled {
        if is_static(template) {
            return Compiled::Const(template.clone());
        }
        match template {
            Value::Object(m) => {
                let entries: Vec<(String, Compiled)> = m
                    .iter()
                    .map(|(k, v)| match (k.strip_suffix(".$"), v) {
                        (Some(base), Value::String(expr)) => (base.to_string(), Compiled::dynamic(k, expr)),
                        _ => (k.clone(), Compiled::new(v)),
                    })
                    .collect();
                let shape: Map<String, Value> = entries.iter().map(|(k, _)| (k.clone(), Value::Null)).collect();
                if shape.len() < entries.len() {
                    return Compiled::Object(entries);
                }
                Compiled::Shaped(shape, entries.into_iter().map(|(_, v)| v).collect())
            }
            Value::Array(items) => Compiled::Array(items.iter().map(Compiled::new).collect()),
            other => Compiled::Const(other.clone()),
        }
    }

    fn dynamic(field: &str, expr: &str) -> Compiled {
        let read = if looks_like_call(expr) {
            Read::Call(intrinsics::prepare(expr))
        } else {
            let context_steps = || expr.strip_prefix('$').and_then(paths::input_steps);
            match (paths::input_steps(expr), context_steps()) {
                (Some(steps), _) => Read::Input(steps),
                (None, Some(steps)) => Read::Context(steps),
                (None, None) => Read::Path,
            }
        };
        Compiled::Dynamic { field: field.to_string(), expr: expr.to_string(), read }
    }

    pub fn evaluate(&self, roots: &Roots, rng: &mut dyn rand::Rng) -> Result<Value, Failure> {
        match self {
            Compiled::Const(v) => Ok(v.clone()),
            Compiled::Shaped(shape, values) => {
                let mut out = shape.clone();
                for (slot, v) in out.values_mut().zip(values) {
                    *slot = v.evaluate(roots, rng)?;
                }
                Ok(Value::Object(out))
            }
            Compiled::Object(entries) => {
                let mut out = Map::with_capacity(entries.len());
                for (k, v) in entries {
                    out.insert(k.clone(), v.evaluate(roots, rng)?);
                }
                Ok(Value::Object(out))
            }
            Compiled::Array(items) => items.iter().map(|v| v.evaluate(roots, rng)).collect::<Result<_, _>>().map(Value::Array),
            Compiled::Dynamic { field, expr, read } => match read {
                Read::Input(steps) => {
                    paths::walk(roots.input, steps).cloned().ok_or_else(|| not_found(expr, field, roots.input, PathError::NotFound))
                }
                Read::Context(steps) => roots.context.query_steps(steps, &expr[1..]).map_err(|e| not_found(expr, field, roots.input, e)),
                Read::Call(call) => intrinsics::evaluate_prepared(call, roots, rng),
                Read::Path => dynamic(field, expr, roots, rng),
            },
        }
    }
}

/// Whether `template` has no `key.$` fields, so evaluates to itself.
pub fn is_static(template: &Value) -> bool {
    match template {
        Value::Object(m) => m.iter().all(|(k, v)| !k.ends_with(".$") && is_static(v)),
        Value::Array(items) => items.iter().all(is_static),
        _ => true,
    }
}

/// The value of one `key.$` field.
pub fn dynamic(field: &str, expr: &str, roots: &Roots, rng: &mut dyn rand::Rng) -> Result<Value, Failure> {
    if looks_like_call(expr) {
        return intrinsics::evaluate(expr, roots, rng);
    }
    paths::read(expr, roots).map_err(|e| not_found(expr, field, roots.input, e))
}

/// AWS's wording for a path in a field that names nothing.
pub fn not_found(path: &str, field: &str, input: &Value, e: PathError) -> Failure {
    match e {
        PathError::UnknownVariable(v) => {
            Failure::runtime(format!("The variable '{v}' referenced in the field '{field}' has not been assigned"))
        }
        PathError::TooCostly(m) => Failure::runtime(m),
        _ => Failure::runtime(format!("The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{input}'")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use serde_json::json;

    #[test]
    fn evaluates_dynamic_fields_recursively() {
        let input = json!({"a": 1, "list": ["x"]});
        let ctx = json!({"State": {"Name": "S"}});
        let roots = Roots { input: &input, context: &ctx, variables: None };
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let t = json!({"k": "v", "a.$": "$.a", "n": [{"s.$": "$$.State.Name"}], "c.$": "States.ArrayLength($.list)"});
        assert_eq!(evaluate(&t, &roots, &mut rng).unwrap(), json!({"k": "v", "a": 1, "n": [{"s": "S"}], "c": 1}));
        let err = evaluate(&json!({"v.$": "$.nope"}), &roots, &mut rng).unwrap_err();
        assert_eq!(
            err.cause.unwrap(),
            "The JSONPath '$.nope' specified for the field 'v.$' could not be found in the input '{\"a\":1,\"list\":[\"x\"]}'"
        );
    }

    /// A compiled template gives what the template gives, value or error,
    /// key order included.
    #[test]
    fn compiled_templates_evaluate_as_templates_do() {
        let input = json!({"a": 1, "list": ["x", "y"], "o": {"k": [10, 20]}, "s": "t"});
        let ctx = json!({"State": {"Name": "S"}, "Map": {"Item": {"Index": 3}}});
        let vars = crate::variables::from_json(serde_json::from_value(json!({"v": {"w": 5}})).unwrap());
        let roots = Roots { input: &input, context: &ctx, variables: Some(&vars) };
        let templates = [
            json!({"k": "v", "n": [1, {"m": null}]}),
            json!({"a.$": "$.a", "b.$": "$", "c.$": "$.o.k[1]", "d.$": "$['s']", "e.$": "$.list[-1]"}),
            json!({"x": 1, "x.$": "$.a", "y.$": "$.s", "y": 2}),
            json!({"deep": {"inner.$": "$.o", "keep": [{"i.$": "$$.Map.Item.Index"}]}}),
            json!({"var.$": "$v.w", "all.$": "$.list[*]", "call.$": "States.Format('{}-{}', $.a, $.s)"}),
            json!({"nested.$": "States.ArrayLength(States.Array($.a, $.s))", "notdyn.$": 7}),
            json!([{"a.$": "$.a"}, "plain"]),
            json!({"missing.$": "$.nope"}),
            json!({"later.$": "$.o.nope.deeper"}),
            json!({"bad.$": "States.NoSuchFunction($.a)"}),
            json!({"unknown.$": "$undefined"}),
            json!("just a string"),
        ];
        for t in templates {
            let direct = evaluate(&t, &roots, &mut rand::rngs::StdRng::seed_from_u64(7));
            let compiled = Compiled::new(&t).evaluate(&roots, &mut rand::rngs::StdRng::seed_from_u64(7));
            match (&direct, &compiled) {
                (Ok(a), Ok(b)) => assert_eq!(serde_json::to_string(a).unwrap(), serde_json::to_string(b).unwrap(), "{t}"),
                (Err(a), Err(b)) => assert_eq!((&a.error, &a.cause), (&b.error, &b.cause), "{t}"),
                _ => panic!("{t}: {direct:?} vs {compiled:?}"),
            }
        }
    }
}
