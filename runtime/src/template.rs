//! Payload templates (Parameters, ResultSelector, ItemSelector, ...):
//! `key.$` fields take the value of a path or an intrinsic call.

use crate::error::Failure;
use crate::intrinsics;
use crate::paths::{self, PathError, Roots};
use serde_json::{Map, Value};
use sfc_compiler::intrinsic::looks_like_call;

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
        PathError::UnknownVariable(v) => Failure::runtime(format!("The variable '{v}' referenced in the field '{field}' has not been assigned")),
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
        assert_eq!(err.cause.unwrap(), "The JSONPath '$.nope' specified for the field 'v.$' could not be found in the input '{\"a\":1,\"list\":[\"x\"]}'");
    }
}
