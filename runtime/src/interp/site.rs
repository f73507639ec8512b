//! What a JSONPath state's data processing needs of its run: its table
//! entry, the id of its entered event (errors name it), the variables and
//! context object its paths read, and how long its input is. A state run
//! in full has a [`StateRun`] to build it from; a state run directly (see
//! [`super::direct`]) builds one without, so that both go through the same
//! processing code.

use super::table::Entry;
use super::{Execution, StateRun};
use crate::error::{names, Failure};
use crate::paths::{ContextSource, Roots};
use serde_json::Value;
use sfc_asl::NullablePath;
use std::borrow::Cow;

pub(crate) struct Site<'a> {
    pub entry: &'a Entry,
    pub entered_id: u64,
    pub vars: &'a crate::variables::VarMap,
    pub ctx: &'a dyn ContextSource,
    /// At most how long its input is as JSON, when known.
    pub input_len: Option<usize>,
    /// The state's full run, when it has one: what it assigns is kept
    /// there. A state run directly assigns nothing.
    pub run: Option<&'a StateRun<'a>>,
}

impl<'a> Site<'a> {
    pub fn of(run: &'a StateRun<'a>, ctx: &'a dyn ContextSource) -> Site<'a> {
        Site { entry: run.entry, entered_id: run.entered_id, vars: &run.vars, ctx, input_len: run.input_len, run: Some(run) }
    }

    pub fn name(&self) -> &'a str {
        &self.entry.name
    }

    /// Roots for the state's paths, with `input` as `$`.
    pub fn roots<'v>(&'v self, input: &'v Value) -> Roots<'v> {
        Roots { input, context: self.ctx, variables: Some(self.vars) }
    }

    /// A runtime error the interpreter raised in this state, with AWS's
    /// preamble naming the state and its entered event.
    pub fn located(&self, f: Failure) -> Failure {
        located(self.name(), self.entered_id, f)
    }
}

/// Adds AWS's preamble to a runtime error raised while state `name`
/// (entered at event `entered_id`) was processed.
pub(crate) fn located(name: &str, entered_id: u64, f: Failure) -> Failure {
    if f.error != names::RUNTIME && f.error != crate::jsonata::QUERY_EVALUATION_ERROR {
        return f;
    }
    if f.cause.as_deref().is_some_and(|c| c.starts_with("An error occurred while executing the state")) {
        return f;
    }
    let prefix = format!("An error occurred while executing the state '{name}' (entered at the event id #{entered_id}). ");
    Failure { cause: Some(prefix + f.cause.as_deref().unwrap_or("")), ..f }
}

// Every JSONPath state's data goes through these steps, most of them
// absent; inlined, an absent step costs a branch instead of a call that
// moves the value in and out (about 90 instructions a state, measured).
impl Execution<'_> {
    /// InputPath applied to `raw` (JSONPath): `raw` itself, borrowed, when
    /// there is none.
    #[inline(always)]
    pub(crate) fn input_at<'v>(&self, site: &Site, raw: &'v Value, input_path: &NullablePath) -> Result<Cow<'v, Value>, Failure> {
        let effective = match input_path {
            None => Cow::Borrowed(raw),
            Some(_) => {
                let steps = site.entry.paths.input.as_deref();
                crate::io::select_input_with(raw, input_path, steps, site.ctx, Some(site.vars)).map_err(|f| site.located(f))?
            }
        };
        self.inspect("afterInputPath", || effective.to_string().into());
        Ok(effective)
    }

    /// OutputPath applied to `data` in place, moving the part it selects
    /// out rather than copying it.
    #[inline(always)]
    pub(crate) fn output_at(&self, site: &Site, data: &mut Value, output_path: &NullablePath) -> Result<(), Failure> {
        if output_path.is_some() {
            let steps = site.entry.paths.output.as_deref();
            let output = std::mem::take(data);
            *data = crate::io::select_output_with(output, output_path, steps, site.ctx, Some(site.vars)).map_err(|f| site.located(f))?;
        }
        Ok(())
    }

    /// A payload template of the machine (Parameters, ResultSelector,
    /// ItemSelector, Assign), compiled once, evaluated on `roots`.
    pub(crate) fn template_at(&self, site: &Site, template: &Value, roots: &Roots) -> Result<Value, Failure> {
        self.evaluate_compiled(template, roots).map_err(|e| site.located(e))
    }

    /// The state's ResultPath, taken apart in its entry, applied to its
    /// raw input `data` in place. A lent result is copied into place (see
    /// [`crate::paths::set_steps`]).
    #[inline(always)]
    pub(crate) fn result_path_at(&self, site: &Site, data: &mut Value, result: Cow<Value>, path: &NullablePath) -> Result<(), Failure> {
        let steps = site.entry.paths.result.as_deref();
        crate::io::apply_result_path_in(data, result, path, steps).map_err(|f| site.located(f))?;
        self.inspect("afterResultPath", || data.to_string().into());
        Ok(())
    }
}
