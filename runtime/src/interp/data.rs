//! What both query languages share around a state: the `$states` object
//! of JSONata, Output, and Assign (variables), evaluated with the
//! variables as they were when the state was entered.

use super::{Execution, StateRun};
use crate::error::Failure;
use crate::jsonata::{self, Env};
use crate::paths::ContextSource;
use crate::paths::Roots;
use crate::variables::VarMap;
use jsonata_core::value::JValue;
use rand::RngExt;
use serde_json::Value;
use std::cell::OnceCell;

/// The parts of `$states` a field can see.
pub(crate) struct States<'v> {
    pub input: &'v Value,
    pub result: Option<&'v Value>,
    pub error_output: Option<&'v Value>,
    /// The same as JSONata values, converted when an expression first
    /// reads them: the fields of one state (each rule's Condition, Output,
    /// Assign) share one conversion of its data. A state's input may come
    /// converted already, handed on by the state before ([`Self::entered`]).
    handed_input: Option<&'v OnceCell<JValue>>,
    input_converted: OnceCell<JValue>,
    result_converted: OnceCell<JValue>,
    error_output_converted: OnceCell<JValue>,
}

impl<'v> States<'v> {
    /// `$states` with `input` as its input.
    pub fn input(input: &'v Value) -> Self {
        States {
            input,
            result: None,
            error_output: None,
            handed_input: None,
            input_converted: OnceCell::new(),
            result_converted: OnceCell::new(),
            error_output_converted: OnceCell::new(),
        }
    }

    /// `$states` of state `run` whose input, as it entered, is `raw`: its
    /// conversion is the run's, handed on to the next state when that
    /// state receives the same input.
    pub fn entered(run: &'v StateRun, raw: &'v Value) -> Self {
        States { handed_input: Some(&run.input_jsonata), ..States::input(raw) }
    }

    /// [`Self::entered`] in a Catcher, with the error output.
    pub fn caught(run: &'v StateRun, raw: &'v Value, error_output: &'v Value) -> Self {
        States { error_output: Some(error_output), ..States::entered(run, raw) }
    }

    /// These parts with `result` as `$states.result`: a state that takes
    /// parameters and produces a result converts its input once for its
    /// Arguments, Items, ItemSelector, Output and Assign.
    pub fn with_result<'r>(&'r self, result: &'r Value) -> States<'r> {
        States { result: Some(result), error_output: None, handed_input: Some(self.input_cell()), ..States::input(self.input) }
    }

    fn input_cell(&self) -> &OnceCell<JValue> {
        self.handed_input.unwrap_or(&self.input_converted)
    }

    fn input_jsonata(&self) -> JValue {
        self.input_cell().get_or_init(|| jsonata::converted(self.input)).clone()
    }

    /// The result's conversion, if an expression has read the result.
    pub fn result_converted(&self) -> Option<JValue> {
        self.result_converted.get().cloned()
    }

    fn result_jsonata(&self) -> Option<JValue> {
        self.result.map(|r| self.result_converted.get_or_init(|| jsonata::converted(r)).clone())
    }

    fn error_output_jsonata(&self) -> Option<JValue> {
        self.error_output.map(|e| self.error_output_converted.get_or_init(|| jsonata::converted(e)).clone())
    }
}

impl Execution<'_> {
    /// The environment of a JSONata expression in state `run`.
    pub(crate) fn env<'a>(&'a self, run: &'a StateRun, ctx: &'a dyn ContextSource, st: &States) -> Env<'a> {
        let variables = jsonata::Variables::new(&run.vars);
        let context = move || ctx.jsonata(self.base_jsonata());
        Env::new(st.input_jsonata(), context, st.result_jsonata(), st.error_output_jsonata(), variables, self.rng.borrow_mut().random())
    }

    /// Roots for JSONPath paths in state `run` (variables included).
    pub(crate) fn roots<'a>(&self, run: &'a StateRun, input: &'a Value, ctx: &'a dyn ContextSource) -> Roots<'a> {
        Roots { input, context: ctx, variables: Some(&run.vars) }
    }

    /// A JSONata field: a `{% %}` expression or a template containing them.
    pub(crate) fn jsonata(
        &self,
        run: &StateRun,
        ctx: &dyn ContextSource,
        st: &States,
        field: &str,
        value: &Value,
    ) -> Result<Value, Failure> {
        self.jsonata_in(run, &self.env(run, ctx, st), field, value)
    }

    /// [`Execution::jsonata`] in a prepared environment.
    pub(crate) fn jsonata_in(&self, run: &StateRun, env: &Env, field: &str, value: &Value) -> Result<Value, Failure> {
        jsonata::evaluate_template(value, field, env).map_err(|e| self.evaluation_failed(run, e.failure, Some(&e.location)))
    }

    /// Records an `EvaluationFailed` event, as AWS does for every failed
    /// JSONata evaluation, and returns the located failure. `location` is
    /// the field evaluated; a check of the state's input names none.
    pub(crate) fn evaluation_failed(&self, run: &StateRun, f: Failure, location: Option<&str>) -> Failure {
        let f = self.located(run, f);
        let details = [
            ("error", Some(crate::history::Field::json(f.error.as_str()))),
            ("cause", Some(crate::history::Field::json(f.cause.clone()))),
            ("location", location.map(crate::history::Field::json)),
            ("state", Some(crate::history::Field::Shared(run.entry.name.clone()))),
        ];
        let details: Vec<_> = details.into_iter().filter_map(|(k, v)| Some((k, v?))).collect();
        // A failure while the state prepares its work, right after its
        // entry, follows what the entry followed, as AWS links it (a
        // Wait's follows its entry).
        let preparing = run.thread.last.get() == run.entered_id && run.entered_kind != crate::history::EventType::WaitStateEntered;
        if preparing {
            run.thread.last.set(run.entered_after);
        }
        self.event(run.thread, crate::history::EventType::EvaluationFailed, || crate::history::Details::Fields(details));
        f
    }

    /// What a JSONata state's Output evaluates to; `None` when it has
    /// none, for the caller to pass on its default (moved once nothing
    /// reads it, not copied). The value as JSONata had it, when plain
    /// data, goes to [`StateRun::output_jsonata`] (and any earlier one
    /// goes: a Catcher's Output replaces the state's).
    pub(crate) fn jsonata_output(
        &self,
        run: &StateRun,
        ctx: &dyn ContextSource,
        output: &Option<Value>,
        st: &States,
    ) -> Result<Option<Value>, Failure> {
        run.output_jsonata.take();
        let Some(o) = output else { return Ok(None) };
        let evaluated = jsonata::evaluate_template_keeping(o, "Output", &self.env(run, ctx, st))
            .map_err(|e| self.evaluation_failed(run, e.failure, Some(&e.location)))?;
        run.output_jsonata.set(evaluated.jsonata);
        Ok(Some(evaluated.json))
    }

    /// The output of a JSONata state whose default is its input: what its
    /// Output made, else `raw` passed on as it is, whose length is then
    /// already known.
    pub(crate) fn output_or_input(&self, run: &StateRun, output: Option<Value>, raw: Value) -> Value {
        output.unwrap_or_else(|| {
            run.output_len.set(run.input_len);
            run.output_is_input.set(true);
            raw
        })
    }

    /// Evaluates Assign and records the variables, to take effect when the
    /// state exits. In JSONPath states `$` is `jsonpath_input` (the state's
    /// result, or its input where it has none); in JSONata states the
    /// expressions see `$states`.
    pub(crate) fn assign(
        &self,
        run: &StateRun,
        ctx: &dyn ContextSource,
        assign: &Option<Value>,
        st: &States,
        jsonpath_input: &Value,
    ) -> Result<(), Failure> {
        let Some(a) = assign else { return Ok(()) };
        let values = match (run.jsonata(), a) {
            (true, Value::Object(template)) => jsonata::evaluate_assign(template, &self.env(run, ctx, st))
                .map_err(|e| self.evaluation_failed(run, e.failure, Some(&e.location)))?,
            (true, _) => object_variables(self.jsonata(run, ctx, st, "Assign", a)?),
            (false, _) => object_variables(self.evaluate_template(run, a, &self.roots(run, jsonpath_input, ctx))?),
        };
        check_variable_sizes(&values, &run.vars).map_err(|f| self.located(run, f))?;
        run.assigned.borrow_mut().extend(values);
        Ok(())
    }
}

/// AWS's limits on variables: 256 KiB for one variable and for all that
/// one Assign sets, 10 MiB for all an execution holds at once.
const MAX_VARIABLE_BYTES: usize = 256 * 1024;
const MAX_ASSIGN_BYTES: usize = 256 * 1024;
const MAX_STORED_VARIABLE_BYTES: usize = 10 * 1024 * 1024;

/// The variables an Assign that gave `value` sets: its fields, when an object.
fn object_variables(value: Value) -> VarMap {
    match value {
        Value::Object(m) => crate::variables::from_json(m),
        _ => VarMap::default(),
    }
}

fn check_variable_sizes(assigned: &VarMap, current: &VarMap) -> Result<(), Failure> {
    let limit = |what: String| Err(Failure::new(crate::error::names::DATA_LIMIT_EXCEEDED, what));
    let mut total = 0;
    for (name, v) in assigned {
        let size = v.json_len();
        if size > MAX_VARIABLE_BYTES {
            return limit(format!("The variable '{name}' is {size} bytes; a variable can hold at most {MAX_VARIABLE_BYTES} bytes."));
        }
        total += size;
    }
    if total > MAX_ASSIGN_BYTES {
        return limit(format!("The Assign field sets {total} bytes of variables; one Assign can set at most {MAX_ASSIGN_BYTES} bytes."));
    }
    // Every variable was held to MAX_VARIABLE_BYTES when assigned, so up
    // to 40 of them cannot reach the execution's limit: skip the count.
    if (current.len() + assigned.len()) * MAX_VARIABLE_BYTES <= MAX_STORED_VARIABLE_BYTES {
        return Ok(());
    }
    let kept: usize = current.iter().filter(|(k, _)| !assigned.contains_key(*k)).map(|(_, v)| v.json_len()).sum();
    if kept + total > MAX_STORED_VARIABLE_BYTES {
        return limit(format!(
            "The execution's variables would take {} bytes; an execution can hold at most {MAX_STORED_VARIABLE_BYTES} bytes of variables.",
            kept + total
        ));
    }
    Ok(())
}
