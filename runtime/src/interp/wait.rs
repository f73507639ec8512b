//! The Wait state: for a number of seconds, or until a timestamp.

use super::data::States;
use super::processing::narrowed;
use super::{transition, Execution, Flow, StateRun};
use crate::choice;
use crate::error::Failure;
use crate::jsonata;
use crate::paths::ContextSource;
use crate::paths::{self};
use chrono::{DateTime, Utc};
use serde_json::Value;
use sfc_asl::{Dynamic, Wait};
use std::time::Duration;

/// The longest wait AWS schedules, in seconds (a Java int of seconds).
const MAX_WAIT_SECONDS: i64 = i32::MAX as i64;

pub(super) async fn wait<'s>(ex: &Execution<'_>, run: &StateRun<'_>, s: &'s Wait, raw: Value) -> Result<Flow<'s>, Failure> {
    let ctx = ex.context(run, None);
    let effective = ex.effective_input(run, &ctx, &raw, &s.input_path)?;
    let st = States::entered(run, &raw);
    let until = wait_until(ex, run, s, &effective, &st, &ctx).map_err(|f| ex.located(run, f))?;
    let now = ex.clock.now();
    if until > now {
        let secs = (until - now).num_milliseconds() as f64 / 1000.0;
        if secs > MAX_WAIT_SECONDS as f64 {
            return Err(ex.located(run, Failure::runtime("Wait state delay is too long.")));
        }
        ex.clock.sleep(Duration::from_secs_f64(secs)).await;
    }
    ex.assign(run, &ctx, &s.assign, &st, &effective)?;
    let output = if run.jsonata() {
        let output = ex.jsonata_output(run, &ctx, &s.output, &st)?;
        ex.output_or_input(run, output, raw)
    } else {
        let narrowed = narrowed(effective);
        ex.output_path(run, &ctx, narrowed.unwrap_or(raw), &s.output_path)?
    };
    Ok(transition(&s.next, output))
}

/// The instant a Wait state waits for: JSONPath paths read `input`, the
/// effective input, JSONata expressions `st`.
fn wait_until(
    ex: &Execution,
    run: &StateRun,
    s: &Wait,
    input: &Value,
    st: &States,
    ctx: &dyn ContextSource,
) -> Result<DateTime<Utc>, Failure> {
    let now = ex.clock.now();
    let after = |secs: i64| now + chrono::Duration::seconds(secs.min(MAX_WAIT_SECONDS + 1));
    match &s.seconds {
        Some(Dynamic::Value(secs)) => return Ok(after(i64::try_from(*secs).unwrap_or(i64::MAX))),
        Some(Dynamic::Expr(e)) => {
            let v = ex.jsonata(run, ctx, st, "Seconds", &Value::String(e.clone()))?;
            return match v.as_i64() {
                Some(n) if n >= 0 => Ok(after(n)),
                _ => Err(ex.evaluation_failed(
                    run,
                    jsonata::query_error(format!("The Seconds field must be a non-negative integer, but was {v}")),
                    Some("Seconds"),
                )),
            };
        }
        None => {}
    }
    if let Some(ts) = &s.timestamp {
        let text = match jsonata::expression(ts) {
            Some(_) if run.jsonata() => match ex.jsonata(run, ctx, st, "Timestamp", &Value::String(ts.clone()))? {
                Value::String(t) => t,
                other => other.to_string(),
            },
            _ => ts.clone(),
        };
        return parse_timestamp(&text).ok_or_else(|| {
            let cause = format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}");
            if run.jsonata() {
                ex.evaluation_failed(run, jsonata::query_error(cause), Some("Timestamp"))
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
