//! ValidateStateMachineDefinition: sfc's validator, in AWS's result shape.

use crate::error::{ApiError, ApiResult};
use crate::request::Request;
use serde_json::{json, Value};
use sfc_compiler::diag::Severity;

pub fn validate(req: &Request) -> ApiResult<Value> {
    let definition = req.string("definition")?;
    let warnings_too = match req.opt_string("severity")? {
        None | Some("ERROR") => false,
        Some("WARNING") => true,
        Some(other) => return Err(ApiError::validation(format!("severity must be ERROR or WARNING, not {other}"))),
    };
    let max = req.opt_int("maxResults", 0, 100)?.filter(|n| *n > 0).unwrap_or(100) as usize;
    let report = sfc_compiler::validate::validate_source(definition, &Default::default());
    let shown: Vec<Value> = report
        .diagnostics
        .iter()
        .filter(|d| warnings_too || d.is_error())
        .map(|d| {
            let severity = if d.severity == Severity::Error { "ERROR" } else { "WARNING" };
            let mut v = json!({"severity": severity, "code": d.code, "message": d.message});
            if let Some(p) = d.pointer.as_deref().filter(|p| !p.is_empty()) {
                v["location"] = p.into();
            }
            v
        })
        .collect();
    let truncated = shown.len() > max;
    let result = if report.is_valid() { "OK" } else { "FAIL" };
    Ok(json!({"result": result, "diagnostics": shown.into_iter().take(max).collect::<Vec<_>>(), "truncated": truncated}))
}
