//! The Choice state: the first rule that matches picks the next state.

use super::data::States;
use super::processing::narrowed;
use super::{Execution, Flow, StateRun};
use crate::error::{names, Failure};
use crate::jsonata;
use crate::paths::ContextSource;
use serde_json::Value;
use sfc_asl::parts::Part;
use sfc_asl::{Choice, ChoiceRule, Test};

pub(super) fn choice<'s>(ex: &Execution, run: &StateRun, s: &'s Choice, raw: Value) -> Result<Flow<'s>, Failure> {
    let ctx = ex.context(run, None);
    let effective = ex.effective_input(run, &ctx, &raw, &s.input_path)?;
    let chosen = if run.jsonata() {
        choose_jsonata(ex, run, &ctx, &s.choices, &raw)?
    } else {
        ex.choice_rules(&s.choices).choose(&ex.roots(run, &effective, &ctx)).map_err(|f| ex.located(run, f))?
    };
    let (next, assign, output_tmpl) = match (chosen, &s.default) {
        (Some(i), _) => {
            ex.took(|| Part::Rule(run.name().to_string(), i));
            let rule = &s.choices[i];
            (rule.next.as_deref().unwrap_or_default(), &rule.assign, &rule.output)
        }
        (None, Some(d)) => {
            ex.took(|| Part::Default(run.name().to_string()));
            (d.as_str(), &s.assign, &s.output)
        }
        (None, None) => return Err(Failure::new(names::NO_CHOICE_MATCHED, format!("No Matches! (state '{}' has no Default)", run.name()))),
    };
    let st = States::input(&raw);
    ex.assign(run, &ctx, assign, &st, &effective)?;
    let output = if run.jsonata() {
        ex.jsonata_output(run, &ctx, output_tmpl, &st, raw.clone())?
    } else {
        let narrowed = narrowed(effective);
        ex.output_path(run, &ctx, narrowed.unwrap_or(raw), &s.output_path)?
    };
    Ok(Flow::Next(next, output))
}

/// The index of the first rule whose JSONata Condition is true; a
/// condition that is not a boolean is an error.
fn choose_jsonata(
    ex: &Execution,
    run: &StateRun,
    ctx: &dyn ContextSource,
    rules: &[ChoiceRule],
    input: &Value,
) -> Result<Option<usize>, Failure> {
    for (i, rule) in rules.iter().enumerate() {
        let Test::Condition(cond) = &rule.test else {
            return Err(ex.located(run, Failure::runtime("a JSONPath choice rule in a JSONata state")));
        };
        let field = format!("Choices[{i}]/Condition");
        match ex.jsonata(run, ctx, &States::input(input), &field, cond)? {
            Value::Bool(true) => return Ok(Some(i)),
            Value::Bool(false) => {}
            other => {
                let shown = cond.as_str().and_then(jsonata::expression).map(str::trim).unwrap_or_default();
                let cause = format!(
                    "The JSONata expression '{shown}' specified for the field '{field}' returned an unexpected result type. Expected 'boolean', but was '{}' for value: {other}",
                    json_type(&other)
                );
                return Err(ex.evaluation_failed(run, jsonata::query_error(cause), Some(&field)));
            }
        }
    }
    Ok(None)
}

/// JSON type names as AWS's messages print them.
pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
