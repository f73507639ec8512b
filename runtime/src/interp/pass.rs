//! The Pass state: its input (or Result, or Parameters) passed on.

use super::data::States;
use super::{transition, Execution, Flow, StateRun};
use crate::error::Failure;
use serde_json::Value;
use sfc_asl::Pass;
use std::borrow::Cow;

pub(super) fn pass<'s>(ex: &Execution, run: &StateRun, s: &'s Pass, raw: Value) -> Result<Flow<'s>, Failure> {
    let ctx = ex.context(run, None);
    if run.jsonata() {
        let st = States::input(&raw);
        let output = ex.jsonata_output(run, &ctx, &s.output, &st, raw.clone())?;
        ex.assign(run, &ctx, &s.assign, &st, &raw)?;
        return Ok(transition(&s.next, output));
    }
    let located = |f| ex.located(run, f);
    let effective = ex.effective_input(run, &ctx, &raw, &s.input_path)?;
    // A fixed Result is lent: ResultPath copies it into place.
    let result = match (&s.result, &s.parameters) {
        (Some(r), _) => Cow::Borrowed(r),
        (None, Some(p)) => Cow::Owned(ex.evaluate_template(run, p, &ex.roots(run, &effective, &ctx))?),
        (None, None) => Cow::Owned(effective.into_owned()),
    };
    if s.parameters.is_some() && s.result.is_none() {
        ex.inspect("afterParameters", || result.to_string().into());
    }
    ex.assign(run, &ctx, &s.assign, &States::input(&raw), &result)?;
    let result_len = || run.entry.result_len.unwrap_or_else(|| crate::size::json_len(&result));
    let bound = crate::size::result_path_bound_of(run.input_len, result_len, &s.result_path);
    let combined = ex.apply_result_path(run, raw, result, &s.result_path).map_err(located)?;
    ex.inspect("afterResultPath", || combined.to_string().into());
    let output = ex.output_path(run, &ctx, combined, &s.output_path)?;
    run.output_len.set(bound);
    Ok(transition(&s.next, output))
}
