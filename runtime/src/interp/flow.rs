//! States that only move data and control: Pass, Wait, Choice, Succeed, Fail.

use super::{roots, transition, Execution, Flow, StateRun};
use crate::error::{names, Failure};
use crate::io;
use crate::paths::{self, PathError};
use crate::template;
use crate::{choice, intrinsics};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sfc_compiler::asl::{Choice, Dynamic, Fail, Pass, Succeed, Wait};
use sfc_compiler::intrinsic::looks_like_call;
use std::time::Duration;

/// The longest wait AWS schedules, in seconds (a Java int of seconds).
const MAX_WAIT_SECONDS: i64 = i32::MAX as i64;

pub(super) fn pass(ex: &Execution, run: &StateRun, s: &Pass, raw: Value) -> Result<Flow, Failure> {
    let ctx = ex.context(run, 0);
    let located = |f| ex.located(run, f);
    let effective = io::select_input(&raw, &s.input_path, &ctx, None).map_err(located)?;
    let result = match (&s.result, &s.parameters) {
        (Some(r), _) => r.clone(),
        (None, Some(p)) => template::evaluate(p, &roots(&effective, &ctx, None), &mut *ex.rng.borrow_mut()).map_err(located)?,
        (None, None) => effective.into_owned(),
    };
    let combined = io::apply_result_path_owned(raw, result, &s.result_path).map_err(located)?;
    let output = io::select_output(combined, &s.output_path, &ctx, None).map_err(located)?;
    Ok(transition(&s.next, output))
}

pub(super) async fn wait(ex: &Execution<'_>, run: &StateRun<'_>, s: &Wait, raw: Value) -> Result<Flow, Failure> {
    let ctx = ex.context(run, 0);
    let effective = io::select_input(&raw, &s.input_path, &ctx, None).map_err(|f| ex.located(run, f))?;
    let until = wait_until(ex, s, &effective, &ctx).map_err(|f| ex.located(run, f))?;
    let now = ex.clock.now();
    if until > now {
        let secs = (until - now).num_milliseconds() as f64 / 1000.0;
        if secs > MAX_WAIT_SECONDS as f64 {
            return Err(ex.located(run, Failure::runtime("Wait state delay is too long.")));
        }
        ex.clock.sleep(Duration::from_secs_f64(secs)).await;
    }
    let output = io::select_output(effective.into_owned(), &s.output_path, &ctx, None).map_err(|f| ex.located(run, f))?;
    Ok(transition(&s.next, output))
}

/// The instant a Wait state waits for.
fn wait_until(ex: &Execution, s: &Wait, input: &Value, ctx: &dyn crate::context::ContextSource) -> Result<DateTime<Utc>, Failure> {
    let now = ex.clock.now();
    let after = |secs: i64| now + chrono::Duration::seconds(secs.min(MAX_WAIT_SECONDS + 1));
    if let Some(Dynamic::Value(secs)) = &s.seconds {
        return Ok(after(i64::try_from(*secs).unwrap_or(i64::MAX)));
    }
    if let Some(ts) = &s.timestamp {
        return parse_timestamp(ts).ok_or_else(|| Failure::runtime(format!("The Timestamp field is not a valid ISO-8601 extended offset date-time: {ts}")));
    }
    let r = roots(input, ctx, None);
    if let Some(p) = &s.seconds_path {
        let v = paths::read(p, &r).map_err(|_| Failure::runtime(format!("The SecondsPath parameter does not reference an input value: {p}")))?;
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
        let v = paths::read(p, &r).map_err(|_| Failure::runtime(format!("The TimestampPath parameter does not reference an input value: {p}")))?;
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

pub(super) fn choice(ex: &Execution, run: &StateRun, s: &Choice, raw: Value) -> Result<Flow, Failure> {
    let ctx = ex.context(run, 0);
    let effective = io::select_input(&raw, &s.input_path, &ctx, None).map_err(|f| ex.located(run, f))?;
    let chosen = choice::choose(&s.choices, &roots(&effective, &ctx, None)).map_err(|f| ex.located(run, f))?;
    let next = match (chosen.and_then(|r| r.next.clone()), &s.default) {
        (Some(n), _) => n,
        (None, Some(d)) => d.clone(),
        (None, None) => {
            return Err(Failure::new(names::NO_CHOICE_MATCHED, format!("No Matches! (state '{}' has no Default)", run.name)))
        }
    };
    let output = io::select_output(effective.into_owned(), &s.output_path, &ctx, None).map_err(|f| ex.located(run, f))?;
    Ok(Flow::Next(next, output))
}

pub(super) fn succeed(ex: &Execution, run: &StateRun, s: &Succeed, raw: Value) -> Result<Flow, Failure> {
    let ctx = ex.context(run, 0);
    let effective = io::select_input(&raw, &s.input_path, &ctx, None).map_err(|f| ex.located(run, f))?;
    let output = io::select_output(effective.into_owned(), &s.output_path, &ctx, None).map_err(|f| ex.located(run, f))?;
    Ok(Flow::End(output))
}

/// The failure a Fail state raises.
pub(super) fn fail(ex: &Execution, run: &StateRun, s: &Fail, raw: &Value) -> Failure {
    let ctx = ex.context(run, 0);
    let field = |value: &Option<String>, path: &Option<String>, name: &str| -> Result<Option<String>, Failure> {
        if let Some(v) = value {
            return Ok(Some(v.clone()));
        }
        let Some(p) = path else { return Ok(None) };
        let r = roots(raw, &ctx, None);
        let v = if looks_like_call(p) {
            intrinsics::evaluate(p, &r, &mut *ex.rng.borrow_mut())?
        } else {
            paths::read(p, &r).map_err(|e| match e {
                PathError::NotFound => Failure::runtime(format!(
                    "The JSONPath '{p}' specified for the field '{name}' could not be found in the input '{raw}'"
                )),
                other => template::not_found(p, name, raw, other),
            })?
        };
        Ok(Some(match v {
            Value::String(s) => s,
            other => other.to_string(),
        }))
    };
    let result = field(&s.error, &s.error_path, "ErrorPath").and_then(|e| Ok((e, field(&s.cause, &s.cause_path, "CausePath")?)));
    match result {
        Ok((error, cause)) => Failure { error: error.unwrap_or_default(), cause },
        Err(f) => ex.located(run, f),
    }
}
