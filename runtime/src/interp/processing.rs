//! Input and output processing every state that takes parameters and
//! produces a result shares (Task, Parallel, Map): InputPath, Parameters
//! or Arguments, ResultSelector, ResultPath, OutputPath or Output, Assign.

use super::site::Site;
use super::{data, Execution, StateRun};
use crate::error::Failure;
use serde_json::Value;
use std::borrow::Cow;

/// The fields of a state that takes parameters and produces a result
/// (Task, Parallel, Map), in either query language.
/// The [`ResultFields`] of a state type that has every one of them under
/// the ASL names (Task, Parallel).
macro_rules! result_fields {
    ($s:expr) => {
        $crate::interp::ResultFields {
            parameters: &$s.parameters,
            arguments: &$s.arguments,
            selector: &$s.result_selector,
            path: &$s.result_path,
            output_path: &$s.output_path,
            output: &$s.output,
            assign: &$s.assign,
        }
    };
}
pub(crate) use result_fields;

pub(crate) struct ResultFields<'a> {
    pub parameters: &'a Option<Value>,
    pub arguments: &'a Option<Value>,
    pub selector: &'a Option<Value>,
    pub path: &'a sfc_asl::NullablePath,
    pub output_path: &'a sfc_asl::NullablePath,
    pub output: &'a Option<Value>,
    pub assign: &'a Option<Value>,
}

impl Execution<'_> {
    /// The input a state reads: `raw` itself in JSONata, `raw` narrowed by
    /// InputPath in JSONPath.
    pub(crate) fn effective_input<'v>(
        &self,
        run: &StateRun,
        ctx: &dyn crate::paths::ContextSource,
        raw: &'v Value,
        input_path: &sfc_asl::NullablePath,
    ) -> Result<Cow<'v, Value>, Failure> {
        if run.jsonata() {
            return Ok(Cow::Borrowed(raw));
        }
        self.input_at(&Site::of(run, ctx), raw, input_path)
    }

    /// OutputPath applied to state `run`'s output, moving the part it
    /// selects out rather than copying it.
    pub(crate) fn output_path(
        &self,
        run: &StateRun,
        ctx: &dyn crate::paths::ContextSource,
        output: Value,
        output_path: &sfc_asl::NullablePath,
    ) -> Result<Value, Failure> {
        let mut data = output;
        self.output_at(&Site::of(run, ctx), &mut data, output_path)?;
        Ok(data)
    }

    /// What the state works on, from its effective input: Parameters
    /// (JSONPath) or Arguments (JSONata); the input itself without them.
    /// A template without `.$` fields is its own value: it is lent, not
    /// rebuilt.
    /// `st` is the state's `$states` (JSONata), whose input is `effective`.
    pub(crate) fn prepare<'v>(
        &self,
        run: &StateRun,
        ctx: &dyn crate::paths::ContextSource,
        effective: Cow<'v, Value>,
        st: &data::States,
        f: &ResultFields<'v>,
    ) -> Result<Cow<'v, Value>, Failure> {
        let (prepared, key) = if run.jsonata() {
            debug_assert!(std::ptr::eq(st.input, &*effective), "a JSONata state's effective input is its input");
            let prepared = match f.arguments {
                Some(a) => Cow::Owned(self.jsonata(run, ctx, st, "Arguments", a)?),
                None => effective,
            };
            (prepared, "afterArguments")
        } else {
            let prepared = match f.parameters {
                Some(p) if crate::template::is_static(p) => Cow::Borrowed(p),
                Some(p) => Cow::Owned(self.evaluate_template(run, p, &self.roots(run, &effective, ctx))?),
                None => effective,
            };
            (prepared, "afterParameters")
        };
        self.inspect(key, || prepared.to_string().into());
        Ok(prepared)
    }

    /// What the state outputs and assigns from its result: Output and
    /// Assign (JSONata), or ResultSelector, Assign, ResultPath into the raw
    /// input, then OutputPath (JSONPath). `st` is the state's `$states`,
    /// whose input is its raw input.
    pub(crate) fn finish(
        &self,
        run: &StateRun,
        ctx: &dyn crate::paths::ContextSource,
        st: &data::States,
        result: Value,
        f: &ResultFields,
    ) -> Result<Value, Failure> {
        let raw = st.input;
        self.inspect("result", || result.to_string().into());
        if run.jsonata() {
            let st = st.with_result(&result);
            let output = self.jsonata_output(run, ctx, f.output, &st)?;
            self.assign(run, ctx, f.assign, &st, &result)?;
            if output.is_none() {
                // The result is the output: its conversion, if an
                // expression made one, goes on with it.
                run.output_jsonata.set(st.result_converted());
            }
            return Ok(output.unwrap_or(result));
        }
        let selected = match f.selector {
            Some(sel) => self.evaluate_template(run, sel, &self.roots(run, &result, ctx))?,
            None => result,
        };
        self.inspect("afterResultSelector", || selected.to_string().into());
        self.assign(run, ctx, f.assign, &st.with_result(&selected), &selected)?;
        let bound = crate::size::result_path_bound(run.input_len, &selected, f.path);
        // Absent, ResultPath is the result alone: the input is not copied.
        let mut combined = if f.path.is_none() { Value::Null } else { raw.clone() };
        self.result_path_at(&Site::of(run, ctx), &mut combined, Cow::Owned(selected), f.path)?;
        let output = self.output_path(run, ctx, combined, f.output_path)?;
        run.output_len.set(bound);
        Ok(output)
    }
}

/// What InputPath selected, or `None` when the effective input is the
/// raw input itself (which the caller then moves on instead of copying).
pub(crate) fn narrowed(effective: std::borrow::Cow<'_, Value>) -> Option<Value> {
    match effective {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(v) => Some(v),
    }
}
