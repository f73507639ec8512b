//! The Choice state: the first rule that matches picks the next state.

use super::data::States;
use super::processing::narrowed;
use super::site::Site;
use super::{Execution, Flow, StateRun};
use crate::error::{names, Failure};
use crate::jsonata;
use crate::paths::ContextSource;
use serde_json::Value;
use sfc_asl::parts::Part;
use sfc_asl::{Choice, ChoiceRule, Test};

pub(super) fn choice<'s>(ex: &Execution, run: &StateRun, s: &'s Choice, raw: Value) -> Result<Flow<'s>, Failure> {
    let ctx = ex.context(run, None);
    if !run.jsonata() {
        let mut data = raw;
        let way = jsonpath(ex, &Site::of(run, &ctx), s, &mut data)?;
        return Ok(Flow::Next(next(s, way), data));
    }
    let st = States::entered(run, &raw);
    let chosen = choose_jsonata(ex, run, &ctx, &s.choices, &st)?;
    let way = taken(ex, run.name(), s, chosen)?;
    let (assign, output) = match way {
        Some(i) => (&s.choices[i].assign, &s.choices[i].output),
        None => (&s.assign, &s.output),
    };
    ex.assign(run, &ctx, assign, &st, &raw)?;
    let output = ex.jsonata_output(run, &ctx, output, &st)?;
    Ok(Flow::Next(next(s, way), ex.output_or_input(run, output, raw)))
}

/// A JSONPath Choice state: the way it goes (a rule's index, or `None`
/// for its Default); its input `data` is made its output in place,
/// narrowed by InputPath and OutputPath.
pub(super) fn jsonpath(ex: &Execution, site: &Site, s: &Choice, data: &mut Value) -> Result<Option<usize>, Failure> {
    let effective = ex.input_at(site, data, &s.input_path)?;
    let chosen = ex.choice_rules(&s.choices).choose(&site.roots(&effective)).map_err(|f| site.located(f))?;
    let way = taken(ex, site.name(), s, chosen)?;
    let assign = match way {
        Some(i) => &s.choices[i].assign,
        None => &s.assign,
    };
    debug_assert!(site.run.is_some() || assign.is_none(), "a state that assigns runs in full");
    if let (Some(run), Some(_)) = (site.run, assign) {
        ex.assign(run, site.ctx, assign, &States::input(data), &effective)?;
    }
    if let Some(part) = narrowed(effective) {
        *data = part;
    }
    ex.output_at(site, data, &s.output_path)?;
    Ok(way)
}

/// The way state `name` goes once its rules were tried (`chosen`: the
/// first that matched): that rule, else the Default (`None`), else the
/// error AWS raises.
fn taken(ex: &Execution, name: &str, s: &Choice, chosen: Option<usize>) -> Result<Option<usize>, Failure> {
    match (chosen, &s.default) {
        (Some(i), _) => {
            ex.took(|| Part::Rule(name.to_string(), i));
            Ok(Some(i))
        }
        (None, Some(_)) => {
            ex.took(|| Part::Default(name.to_string()));
            Ok(None)
        }
        (None, None) => Err(Failure::new(names::NO_CHOICE_MATCHED, format!("No Matches! (state '{name}' has no Default)"))),
    }
}

/// The state a way leads to, by name.
fn next(s: &Choice, way: Option<usize>) -> &str {
    match way {
        Some(i) => s.choices[i].next.as_deref().unwrap_or_default(),
        None => s.default.as_deref().unwrap_or_default(),
    }
}

/// The index of the first rule whose JSONata Condition is true; a
/// condition that is not a boolean is an error.
fn choose_jsonata(
    ex: &Execution,
    run: &StateRun,
    ctx: &dyn ContextSource,
    rules: &[ChoiceRule],
    st: &States,
) -> Result<Option<usize>, Failure> {
    for (i, rule) in rules.iter().enumerate() {
        let Test::Condition(cond) = &rule.test else {
            return Err(ex.located(run, Failure::runtime("a JSONPath choice rule in a JSONata state")));
        };
        let field = format!("Choices[{i}]/Condition");
        match ex.jsonata(run, ctx, st, &field, cond)? {
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
