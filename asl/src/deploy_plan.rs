//! What a workflow deploys besides its state machine: the triggers that
//! start it (EventBridge rules, EventBridge Scheduler schedules) and the
//! CloudWatch alarms on its executions. The compiler writes it from the
//! workflow's `on`, `schedule` and `alarm` lines; `sfc deploy` creates the
//! resources from it; `sfc run --trigger` builds the event each trigger
//! delivers.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Plan {
    pub state_machine: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alarms: Vec<Alarm>,
}

/// Something that starts an execution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Trigger {
    /// Unique in the workflow; names the AWS resource and `--trigger`.
    pub name: String,
    #[serde(flatten)]
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "Type", rename_all = "PascalCase", deny_unknown_fields)]
pub enum Source {
    /// An EventBridge rule on the default bus; the matching event is the
    /// execution's input.
    #[serde(rename_all = "PascalCase")]
    EventRule { event_pattern: Value },
    /// An EventBridge Scheduler schedule (`cron(...)`, `rate(...)`,
    /// `at(...)`, UTC) whose input may hold Scheduler's context attributes
    /// (`<aws.scheduler.scheduled-time>`).
    #[serde(rename_all = "PascalCase")]
    Schedule { schedule_expression: String, input: Value },
}

/// A CloudWatch alarm on one of the machine's execution metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Alarm {
    pub name: String,
    /// `ExecutionsFailed`, `ExecutionsTimedOut` or `ExecutionsAborted`
    /// (namespace `AWS/States`, dimension `StateMachineArn`).
    pub metric_name: String,
    /// SNS topics told when it fires.
    pub notify: Vec<String>,
}

/// `alarm on failure|timeout|abort`: the metric, and the alarm's default name.
pub const ALARM_METRICS: &[(&str, &str, &str)] =
    &[("failure", "ExecutionsFailed", "failed"), ("timeout", "ExecutionsTimedOut", "timed-out"), ("abort", "ExecutionsAborted", "aborted")];

/// The pattern of S3's "Object Created" events for a bucket and key prefix
/// (the bucket must send its events to EventBridge).
pub fn s3_created_pattern(bucket: &str, prefix: Option<&str>) -> Value {
    let mut detail = json!({"bucket": {"name": [bucket]}});
    if let Some(p) = prefix {
        detail["object"] = json!({"key": [{"prefix": p}]});
    }
    json!({"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": detail})
}

/// The input of a schedule that gives none: Scheduler's context in the
/// shape of an EventBridge scheduled event, so a workflow reads `$.time`
/// whichever of the two starts it.
pub fn schedule_input() -> Value {
    json!({
        "id": "<aws.scheduler.execution-id>",
        "detail-type": "Scheduled Event",
        "source": "aws.scheduler",
        "time": "<aws.scheduler.scheduled-time>",
        "resources": ["<aws.scheduler.schedule-arn>"],
        "detail": {}
    })
}

/// Where the event is delivered, for [`Trigger::sample_event`].
pub struct Delivery<'a> {
    pub time: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub id: &'a str,
    /// The AWS resource the trigger becomes (rule or schedule ARN).
    pub resource_arn: &'a str,
}

impl Trigger {
    /// The input an execution started by this trigger receives: for a
    /// rule, an EventBridge event that matches its pattern (each field the
    /// pattern names given its first accepted value); for a schedule, its
    /// input with the context attributes filled in.
    pub fn sample_event(&self, at: &Delivery) -> Value {
        match &self.source {
            Source::EventRule { event_pattern } => {
                let first = |field: &str| example(&event_pattern[field]).unwrap_or(Value::String(String::new()));
                let detail = example(&event_pattern["detail"]).unwrap_or_else(|| json!({}));
                let resources = match (event_pattern["source"].as_array().and_then(|a| a.first()), detail["bucket"]["name"].as_str()) {
                    (Some(Value::String(s)), Some(bucket)) if s == "aws.s3" => json!([format!("arn:aws:s3:::{bucket}")]),
                    _ => example(&event_pattern["resources"]).map(|r| json!([r])).unwrap_or_else(|| json!([])),
                };
                json!({
                    "version": "0",
                    "id": at.id,
                    "detail-type": first("detail-type"),
                    "source": first("source"),
                    "account": at.account,
                    "time": at.time,
                    "region": at.region,
                    "resources": resources,
                    "detail": detail
                })
            }
            Source::Schedule { input, .. } => fill_context(input, at),
        }
    }
}

/// A value the pattern accepts: the first listed, a string with a listed
/// prefix or suffix, an object of examples of its fields.
fn example(pattern: &Value) -> Option<Value> {
    match pattern {
        Value::Object(fields) => {
            Some(Value::Object(fields.iter().filter_map(|(k, v)| Some((k.clone(), example(v)?))).collect::<Map<String, Value>>()))
        }
        Value::Array(choices) => choices.iter().find_map(|c| match c {
            Value::Object(m) => match (m.get("prefix"), m.get("suffix"), m.get("equals-ignore-case")) {
                (Some(Value::String(p)), _, _) => Some(Value::String(format!("{p}example.json"))),
                (_, Some(Value::String(s)), _) => Some(Value::String(format!("example{s}"))),
                (_, _, Some(v)) => Some(v.clone()),
                _ => None,
            },
            other => Some(other.clone()),
        }),
        _ => None,
    }
}

/// Scheduler's context attributes in a schedule's input, filled in.
fn fill_context(input: &Value, at: &Delivery) -> Value {
    match input {
        Value::String(s) => Value::String(
            s.replace("<aws.scheduler.scheduled-time>", at.time)
                .replace("<aws.scheduler.schedule-arn>", at.resource_arn)
                .replace("<aws.scheduler.execution-id>", at.id)
                .replace("<aws.scheduler.attempt-number>", "1"),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| fill_context(v, at)).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), fill_context(v, at))).collect()),
        other => other.clone(),
    }
}

/// Checks a schedule expression as Scheduler takes it: `rate(N unit)`,
/// `cron(six fields)`, `at(yyyy-mm-ddThh:mm:ss)`. The error completes
/// "the schedule ...".
pub fn schedule_problem(expr: &str) -> Option<String> {
    if let Some(inner) = expr.strip_prefix("rate(").and_then(|r| r.strip_suffix(')')) {
        let mut it = inner.split_whitespace();
        let (n, unit) = (it.next().and_then(|n| n.parse::<u64>().ok()), it.next());
        let units = ["minute", "minutes", "hour", "hours", "day", "days"];
        return match (n, unit, it.next()) {
            (Some(n), Some(u), None) if n > 0 && units.contains(&u) && (n == 1) != u.ends_with('s') => None,
            _ => Some(format!("{expr:?} is not a rate: write rate(1 hour), rate(15 minutes), rate(2 days)")),
        };
    }
    if let Some(inner) = expr.strip_prefix("cron(").and_then(|r| r.strip_suffix(')')) {
        let fields: Vec<&str> = inner.split_whitespace().collect();
        if fields.len() != 6 {
            return Some(format!(
                "{expr:?} has {} fields; a cron expression has six: minutes hours day-of-month month day-of-week year",
                fields.len()
            ));
        }
        if fields[2] != "?" && fields[4] != "?" {
            return Some(format!("{expr:?}: one of day-of-month and day-of-week must be `?`"));
        }
        return None;
    }
    if let Some(inner) = expr.strip_prefix("at(").and_then(|r| r.strip_suffix(')')) {
        return match inner.len() == 19 && inner.as_bytes().get(10) == Some(&b'T') {
            true => None,
            false => Some(format!("{expr:?}: write at(yyyy-mm-ddThh:mm:ss)")),
        };
    }
    Some(format!("{expr:?} is not a schedule: write cron(...), rate(...) or at(...)"))
}

/// The AWS name of a workflow's resource: `sfc-<machine>-<name>`, cut to
/// `max` characters with a hash keeping it unique when it is longer.
pub fn resource_name(machine: &str, name: &str, max: usize) -> String {
    let full = format!("sfc-{machine}-{name}");
    if full.len() <= max {
        return full;
    }
    let hash = full.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100000001b3));
    let tag = format!("-{:08x}", hash as u32);
    let mut cut = max - tag.len();
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{tag}", &full[..cut])
}

/// The description that marks a resource as this workflow's trigger or
/// alarm, so a later deploy finds and removes those it no longer declares.
pub fn marker(machine: &str, kind: &str, name: &str) -> String {
    format!("sfc: {kind} {name:?} of state machine {machine:?}")
}

/// The state machine and name a [`marker`] records, if it is one.
pub fn read_marker(description: &str) -> Option<(String, String, String)> {
    let rest = description.strip_prefix("sfc: ")?;
    let (kind, rest) = rest.split_once(' ')?;
    let (name, machine) = rest.split_once(" of state machine ")?;
    let unquote = |s: &str| serde_json::from_str::<String>(s).ok();
    Some((kind.to_string(), unquote(name)?, unquote(machine)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_s3_trigger_delivers_an_event_its_rule_matches() {
        let t = Trigger { name: "claims".into(), source: Source::EventRule { event_pattern: s3_created_pattern("b", Some("claims/")) } };
        let at = Delivery { time: "2026-01-01T00:00:00Z", region: "us-east-1", account: "123456789012", id: "i", resource_arn: "arn:r" };
        let e = t.sample_event(&at);
        assert_eq!(e["detail-type"], "Object Created");
        assert_eq!(e["source"], "aws.s3");
        assert_eq!(e["detail"]["bucket"]["name"], "b");
        assert_eq!(e["detail"]["object"]["key"], "claims/example.json");
        assert_eq!(e["resources"], json!(["arn:aws:s3:::b"]));
    }

    #[test]
    fn a_schedule_fills_schedulers_context() {
        let t = Trigger {
            name: "monthly".into(),
            source: Source::Schedule { schedule_expression: "cron(0 9 15 * ? *)".into(), input: schedule_input() },
        };
        let at = Delivery { time: "2026-11-15T09:00:00Z", region: "r", account: "a", id: "i", resource_arn: "arn:s" };
        let e = t.sample_event(&at);
        assert_eq!((e["time"].as_str(), e["resources"][0].as_str()), (Some("2026-11-15T09:00:00Z"), Some("arn:s")));
    }

    #[test]
    fn schedule_expressions_are_checked() {
        for ok in ["cron(0 9 15 * ? *)", "rate(1 hour)", "rate(5 minutes)", "at(2026-01-01T00:00:00)"] {
            assert_eq!(schedule_problem(ok), None, "{ok}");
        }
        for bad in ["cron(0 9 15 * *)", "cron(0 9 15 * 1 *)", "rate(1 hours)", "rate(0 days)", "every day"] {
            assert!(schedule_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn names_fit_and_markers_read_back() {
        assert_eq!(resource_name("M", "claims", 64), "sfc-M-claims");
        let long = resource_name(&"x".repeat(80), "t", 64);
        assert_eq!(long.len(), 64);
        assert_ne!(long, resource_name(&"x".repeat(81), "t", 64));
        let m = marker("Fraud \"x\"", "trigger", "claims");
        assert_eq!(read_marker(&m), Some(("trigger".into(), "claims".into(), "Fraud \"x\"".into())));
        assert_eq!(read_marker("something else"), None);
    }
}
