//! States that only move data and control: Pass, Wait, Choice, Succeed,
//! Fail — in both query languages.

use super::data::States;
use super::{transition, Execution, Flow, StateRun};
use crate::error::{names, Failure};
use crate::io;
use crate::jsonata;
use crate::paths::ContextSource;
use crate::paths::{self, PathError};
use crate::template;
use crate::{choice, intrinsics};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sfc_asl::intrinsic::looks_like_call;
use sfc_asl::{Choice, ChoiceRule, Dynamic, Fail, Pass, Succeed, Test, Wait};
use std::time::Duration;

/// The longest wait AWS schedules, in seconds (a Java int of seconds).
const MAX_WAIT_SECONDS: i64 = i32::MAX as i64;

pub(super) fn pass<'s>(ex: &Execution, run: &StateRun, s: &'s Pass, raw: Value) -> Result<Flow<'s>, Failure> {
    let ctx = ex.context(run, 0);
    if run.jsonata() {
        let st = States::input(&raw);
        let output = ex.jsonata_output(run, &ctx, &s.output, &st, raw.clone())?;
        ex.assign(run, &ctx, &s.assign, &st, &raw)?;
        return Ok(transition(&s.next, output));
    }
    let located = |f| ex.located(run, f);
    let vars = Some(&*run.vars);
    let effective = ex.effective_input(run, &ctx, &raw, &s.input_path)?;
    let result = match (&s.result, &s.parameters) {
        (Some(r), _) => r.clone(),
        (None, Some(p)) => ex.evaluate_template(run, p, &ex.roots(run, &effective, &ctx))?,
        (None, None) => effective.into_owned(),
    };
    ex.assign(run, &ctx, &s.assign, &States::input(&raw), &result)?;
    let combined = io::apply_result_path_owned(raw, result, &s.result_path).map_err(located)?;
    let output = io::select_output(combined, &s.output_path, &ctx, vars).map_err(located)?;
    Ok(transition(&s.next, output))
}

pub(super) async fn wait<'s>(ex: &Execution<'_>, run: &StateRun<'_>, s: &'s Wait, raw: Value) -> Result<Flow<'s>, Failure> {
    let ctx = ex.context(run, 0);
    let vars = Some(&*run.vars);
    let effective = ex.effective_input(run, &ctx, &raw, &s.input_path)?;
    let until = wait_until(ex, run, s, &effective, &ctx).map_err(|f| ex.located(run, f))?;
    let now = ex.clock.now();
    if until > now {
        let secs = (until - now).num_milliseconds() as f64 / 1000.0;
        if secs > MAX_WAIT_SECONDS as f64 {
            return Err(ex.located(run, Failure::runtime("Wait state delay is too long.")));
        }
        ex.clock.sleep(Duration::from_secs_f64(secs)).await;
    }
    let st = States::input(&raw);
    ex.assign(run, &ctx, &s.assign, &st, &effective)?;
    let output = if run.jsonata() {
        ex.jsonata_output(run, &ctx, &s.output, &st, raw.clone())?
    } else {
        let narrowed = narrowed(effective);
        io::select_output(narrowed.unwrap_or(raw), &s.output_path, &ctx, vars).map_err(|f| ex.located(run, f))?
    };
    Ok(transition(&s.next, output))
}

/// What InputPath selected, or `None` when the effective input is the
/// raw input itself (which the caller then moves on instead of copying).
fn narrowed(effective: std::borrow::Cow<'_, Value>) -> Option<Value> {
    match effective {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(v) => Some(v),
    }
}

/// The instant a Wait state waits for.
fn wait_until(ex: &Execution, run: &StateRun, s: &Wait, input: &Value, ctx: &dyn ContextSource) -> Result<DateTime<Utc>, Failure> {
    let now = ex.clock.now();
    let after = |secs: i64| now + chrono::Duration::seconds(secs.min(MAX_WAIT_SECONDS + 1));
    match &s.seconds {
        Some(Dynamic::Value(secs)) => return Ok(after(i64::try_from(*secs).unwrap_or(i64::MAX))),
        Some(Dynamic::Expr(e)) => {
            let v = ex.jsonata(run, ctx, &States::input(input), "Seconds", &Value::String(e.clone()))?;
            return match v.as_i64() {
                Some(n) if n >= 0 => Ok(after(n)),
                _ => Err(ex.evaluation_failed(
                    run,
                    jsonata::query_error(format!("The Seconds field must be a non-negative integer, but was {v}")),
                    "Seconds",
                )),
            };
        }
        None => {}
    }
    if let Some(ts) = &s.timestamp {
        let text = match jsonata::expression(ts) {
            Some(_) if run.jsonata() => match ex.jsonata(run, ctx, &States::input(input), "Timestamp", &Value::String(ts.clone()))? {
                Value::String(t) => t,
                other => other.to_string(),
            },
            _ => ts.clone(),
        };
        return parse_timestamp(&text).ok_or_else(|| {
            let cause = format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}");
            if run.jsonata() {
                ex.evaluation_failed(run, jsonata::query_error(cause), "Timestamp")
            } else {
                Failure::runtime(cause)
            }
        });
    }
    let r = ex.roots(run, input, ctx);
    if let Some(p) = &s.seconds_path {
        let v = paths::read(p, &r)
            .map_err(|_| Failure::runtime(format!("The SecondsPath parameter does not reference an input value: {p}")))?;
        let n = match (v.as_i64(), v.as_f64()) {
            (Some(n), _) => n,
            _ => return Err(Failure::runtime(format!("The SecondsPath parameter cannot be parsed as a long value: {p} == {v}"))),
        };
        if n < 0 {
            return Err(Failure::runtime(format!("The SecondsPath parameter references a negative value: {p} == {n}")));
        }
        return Ok(after(n));
    }
    if let Some(p) = &s.timestamp_path {
        let v = paths::read(p, &r)
            .map_err(|_| Failure::runtime(format!("The TimestampPath parameter does not reference an input value: {p}")))?;
        let shown = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
        return v.as_str().and_then(parse_timestamp).ok_or_else(|| {
            Failure::runtime(format!(
                "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {p} == {shown}"
            ))
        });
    }
    Err(Failure::runtime("the Wait state has no Seconds, Timestamp, SecondsPath or TimestampPath"))
}

/// ISO-8601 extended offset date-time, as Java's parser reads it
/// (fractions up to nanoseconds).
pub(crate) fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    choice::timestamp(s).map(|t| t.with_timezone(&Utc))
}

pub(super) fn choice<'s>(ex: &Execution, run: &StateRun, s: &'s Choice, raw: Value) -> Result<Flow<'s>, Failure> {
    let ctx = ex.context(run, 0);
    let vars = Some(&*run.vars);
    let effective = ex.effective_input(run, &ctx, &raw, &s.input_path)?;
    let chosen = if run.jsonata() {
        choose_jsonata(ex, run, &ctx, &s.choices, &raw)?
    } else {
        ex.choice_rules(&s.choices).choose(&ex.roots(run, &effective, &ctx)).map_err(|f| ex.located(run, f))?.map(|i| &s.choices[i])
    };
    let (next, assign, output_tmpl) = match (chosen, &s.default) {
        (Some(rule), _) => (rule.next.as_deref().unwrap_or_default(), &rule.assign, &rule.output),
        (None, Some(d)) => (d.as_str(), &s.assign, &s.output),
        (None, None) => return Err(Failure::new(names::NO_CHOICE_MATCHED, format!("No Matches! (state '{}' has no Default)", run.name))),
    };
    let st = States::input(&raw);
    ex.assign(run, &ctx, assign, &st, &effective)?;
    let output = if run.jsonata() {
        ex.jsonata_output(run, &ctx, output_tmpl, &st, raw.clone())?
    } else {
        let narrowed = narrowed(effective);
        io::select_output(narrowed.unwrap_or(raw), &s.output_path, &ctx, vars).map_err(|f| ex.located(run, f))?
    };
    Ok(Flow::Next(next, output))
}

/// The first rule whose JSONata Condition is true; a condition that is not
/// a boolean is an error.
fn choose_jsonata<'r>(
    ex: &Execution,
    run: &StateRun,
    ctx: &dyn ContextSource,
    rules: &'r [ChoiceRule],
    input: &Value,
) -> Result<Option<&'r ChoiceRule>, Failure> {
    for (i, rule) in rules.iter().enumerate() {
        let Test::Condition(cond) = &rule.test else {
            return Err(ex.located(run, Failure::runtime("a JSONPath choice rule in a JSONata state")));
        };
        let field = format!("Choices[{i}]/Condition");
        match ex.jsonata(run, ctx, &States::input(input), &field, cond)? {
            Value::Bool(true) => return Ok(Some(rule)),
            Value::Bool(false) => {}
            other => {
                let shown = cond.as_str().and_then(jsonata::expression).map(str::trim).unwrap_or_default();
                let cause = format!(
                    "The JSONata expression '{shown}' specified for the field '{field}' returned an unexpected result type. Expected 'boolean', but was '{}' for value: {other}",
                    json_type(&other)
                );
                return Err(ex.evaluation_failed(run, jsonata::query_error(cause), &field));
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

pub(super) fn succeed<'s>(ex: &Execution, run: &StateRun, s: &Succeed, raw: Value) -> Result<Flow<'s>, Failure> {
    let ctx = ex.context(run, 0);
    if run.jsonata() {
        let output = ex.jsonata_output(run, &ctx, &s.output, &States::input(&raw), raw.clone())?;
        return Ok(Flow::End(output));
    }
    let vars = Some(&*run.vars);
    let effective = ex.effective_input(run, &ctx, &raw, &s.input_path)?;
    let output = io::select_output(effective.into_owned(), &s.output_path, &ctx, vars).map_err(|f| ex.located(run, f))?;
    Ok(Flow::End(output))
}

/// The failure a Fail state raises.
pub(super) fn fail(ex: &Execution, run: &StateRun, s: &Fail, raw: &Value) -> Failure {
    let ctx = ex.context(run, 0);
    let field = |value: &Option<String>, path: &Option<String>, name: &str| -> Result<Option<String>, Failure> {
        if let Some(v) = value {
            if run.jsonata() && jsonata::expression(v).is_some() {
                return Ok(Some(text(ex.jsonata(run, &ctx, &States::input(raw), name, &Value::String(v.clone()))?)));
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
