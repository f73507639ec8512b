//! The Pass state: its input (or Result, or Parameters) passed on.

use super::data::States;
use super::processing::narrowed;
use super::site::Site;
use super::{transition, Execution, Flow, StateRun};
use crate::error::Failure;
use serde_json::Value;
use sfc_asl::Pass;
use std::borrow::Cow;

pub(super) fn pass<'s>(ex: &Execution, run: &StateRun, s: &'s Pass, raw: Value) -> Result<Flow<'s>, Failure> {
    let ctx = ex.context(run, None);
    if run.jsonata() {
        let st = States::entered(run, &raw);
        let output = ex.jsonata_output(run, &ctx, &s.output, &st)?;
        ex.assign(run, &ctx, &s.assign, &st, &raw)?;
        return Ok(transition(&s.next, ex.output_or_input(run, output, raw)));
    }
    let mut data = raw;
    let bound = jsonpath(ex, &Site::of(run, &ctx), s, &mut data)?;
    run.output_len.set(bound);
    Ok(transition(&s.next, data))
}

/// A JSONPath Pass state's data, its input made its output in place:
/// InputPath, then its Result, its Parameters or the effective input,
/// Assign, ResultPath and OutputPath. Gives at most how long the output
/// is as JSON, when that is known without measuring it.
#[inline(always)]
pub(super) fn jsonpath(ex: &Execution, site: &Site, s: &Pass, data: &mut Value) -> Result<Option<usize>, Failure> {
    let effective = ex.input_at(site, data, &s.input_path)?;
    // How long the result is as JSON, when known without measuring it.
    let mut known_len = site.entry.result_len;
    // A fixed Result is lent: ResultPath copies it into place.
    let result = match (&s.result, &s.parameters) {
        (Some(r), _) => Cow::Borrowed(r),
        (None, Some(p)) => Cow::Owned(ex.template_at(site, p, &site.roots(&effective))?),
        // The effective input. Where ResultPath puts it in place of the
        // whole input and nothing else reads that input, it is moved out
        // of the input, not copied.
        (None, None) if s.assign.is_none() && crate::io::is_whole(&s.result_path) => match narrowed(effective) {
            Some(part) => Cow::Owned(part),
            None => {
                known_len = site.input_len;
                Cow::Owned(std::mem::take(data))
            }
        },
        (None, None) => Cow::Owned(effective.into_owned()),
    };
    if s.parameters.is_some() && s.result.is_none() {
        ex.inspect("afterParameters", || result.to_string().into());
    }
    debug_assert!(site.run.is_some() || s.assign.is_none(), "a state that assigns runs in full");
    if let (Some(run), Some(_)) = (site.run, &s.assign) {
        ex.assign(run, site.ctx, &s.assign, &States::input(data), &result)?;
    }
    let result_len = || known_len.unwrap_or_else(|| crate::size::json_len(&result));
    let bound = crate::size::result_path_bound_of(site.input_len, result_len, &s.result_path);
    ex.result_path_at(site, data, result, &s.result_path)?;
    ex.output_at(site, data, &s.output_path)?;
    Ok(bound)
}
