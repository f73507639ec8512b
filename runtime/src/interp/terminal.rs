//! The states that end a machine: Succeed and Fail.

use super::data::States;
use super::site::Site;
use super::{Execution, Flow, StateRun};
use crate::error::Failure;
use crate::intrinsics;
use crate::jsonata;
use crate::paths::{self, PathError};
use crate::template;
use serde_json::Value;
use sfc_asl::intrinsic::looks_like_call;
use sfc_asl::{Fail, Succeed};

pub(super) fn succeed<'s>(ex: &Execution, run: &StateRun, s: &Succeed, raw: Value) -> Result<Flow<'s>, Failure> {
    let ctx = ex.context(run, None);
    if run.jsonata() {
        let output = ex.jsonata_output(run, &ctx, &s.output, &States::entered(run, &raw))?;
        return Ok(Flow::End(ex.output_or_input(run, output, raw)));
    }
    let mut data = raw;
    succeed_jsonpath(ex, &Site::of(run, &ctx), s, &mut data)?;
    Ok(Flow::End(data))
}

/// A JSONPath Succeed state's data, its input made its output in place:
/// narrowed by InputPath and OutputPath.
pub(super) fn succeed_jsonpath(ex: &Execution, site: &Site, s: &Succeed, data: &mut Value) -> Result<(), Failure> {
    if let Some(part) = super::processing::narrowed(ex.input_at(site, data, &s.input_path)?) {
        *data = part;
    }
    ex.output_at(site, data, &s.output_path)
}

/// The failure a Fail state raises.
pub(super) fn fail(ex: &Execution, run: &StateRun, s: &Fail, raw: &Value) -> Failure {
    let ctx = ex.context(run, None);
    let field = |value: &Option<String>, path: &Option<String>, name: &str| -> Result<Option<String>, Failure> {
        if let Some(v) = value {
            if run.jsonata() && jsonata::expression(v).is_some() {
                return Ok(Some(text(ex.jsonata(run, &ctx, &States::entered(run, raw), name, &Value::String(v.clone()))?)));
            }
            return Ok(Some(v.clone()));
        }
        let Some(p) = path else { return Ok(None) };
        let r = ex.roots(run, raw, &ctx);
        let v = if looks_like_call(p) {
            intrinsics::evaluate(p, &r, &mut *ex.rng.borrow_mut())?
        } else {
            let field = format!("{name}Path");
            paths::read(p, &r).map_err(|e| match e {
                PathError::NotFound => Failure::runtime(format!(
                    "The JSONPath '{p}' specified for the field '{field}' could not be found in the input '{raw}'"
                )),
                other => template::not_found(p, &field, raw, other),
            })?
        };
        Ok(Some(text(v)))
    };
    let result = field(&s.error, &s.error_path, "Error").and_then(|e| Ok((e, field(&s.cause, &s.cause_path, "Cause")?)));
    match result {
        Ok((error, cause)) => Failure { error: error.unwrap_or_default(), cause, origin: crate::error::Origin::Interpreter },
        Err(f) => ex.located(run, f),
    }
}

fn text(v: Value) -> String {
    match v {
        Value::String(s) => s,
        other => other.to_string(),
    }
}
