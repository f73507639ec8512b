//! A workflow's `on`, `schedule` and `alarm` lines to its deployment plan
//! ([`sfc_asl::deploy_plan::Plan`]): parameters filled in, names given
//! and checked, each error on the line that caused it.

use super::ast::{Alarm, File, Span, Trigger, TriggerKind, Value};
use super::values::{Lowered, Values};
use crate::diag::Diagnostic;
use serde_json::Value as Json;
use sfc_asl::deploy_plan::{self as plan, Plan, Source};
use std::collections::HashMap;

struct Planner<'p> {
    values: Values<'p>,
}

impl Planner<'_> {
    fn error(&mut self, span: &Span, msg: impl Into<String>, help: impl Into<String>) {
        let mut d = Diagnostic::error("DEPLOY_PLAN", msg).with_help(help);
        d.span = Some(span.clone());
        self.values.diags.push(d);
    }

    /// A value that must be known now, as text.
    fn text(&mut self, v: &Value, what: &str) -> String {
        match self.values.lower(v) {
            Lowered::Constant(Json::String(s)) => s,
            _ => {
                self.error(
                    &v.span,
                    format!("{what} must be text known when the workflow is compiled"),
                    "write a quoted string (parameters may fill it: \"${env}-bucket\")",
                );
                String::new()
            }
        }
    }

    fn object(&mut self, v: &Value, what: &str) -> Json {
        let j = self.values.template(v);
        if !j.is_object() || contains_run_time(&j) {
            self.error(
                &v.span,
                format!("{what} must be JSON known when the workflow is compiled, without paths"),
                "write the object as it is sent",
            );
        }
        j
    }

    fn trigger(&mut self, t: &Trigger, taken: &mut Vec<String>) -> Option<plan::Trigger> {
        let (default, source) = match &t.kind {
            TriggerKind::S3Created { bucket, prefix } => {
                let bucket = self.text(bucket, "the bucket");
                let prefix = prefix.as_ref().map(|p| self.text(p, "the prefix"));
                ("s3-created", Source::EventRule { event_pattern: plan::s3_created_pattern(&bucket, prefix.as_deref()) })
            }
            TriggerKind::Event(pattern) => ("event", Source::EventRule { event_pattern: self.object(pattern, "an event pattern") }),
            TriggerKind::Schedule { expression, input } => {
                let expr = self.text(expression, "the schedule");
                if let Some(problem) = plan::schedule_problem(&expr) {
                    self.error(
                        &expression.span,
                        format!("the schedule {problem}"),
                        "EventBridge Scheduler takes cron(min hour day month weekday year), rate(N unit) or at(time), in UTC",
                    );
                }
                let input = match input {
                    Some(i) => self.object(i, "a schedule's input"),
                    None => plan::schedule_input(),
                };
                ("schedule", Source::Schedule { schedule_expression: expr, input })
            }
        };
        let name = self.name(t.name.as_ref().map(|n| (n.node.as_str(), &n.span)), default, taken, "trigger")?;
        Some(plan::Trigger { name, source })
    }

    fn alarm(&mut self, a: &Alarm, taken: &mut Vec<String>) -> Option<plan::Alarm> {
        let (_, metric, default) = plan::ALARM_METRICS.iter().find(|(on, _, _)| *on == a.on)?;
        let mut notify = Vec::new();
        for v in &a.notify {
            let topic = self.text(v, "the topic to notify");
            if !topic.starts_with("arn:") || !topic.contains(":sns:") {
                self.error(&v.span, format!("{topic:?} is not an SNS topic ARN"), "notify \"arn:aws:sns:REGION:ACCOUNT:TOPIC\"");
            }
            notify.push(topic);
        }
        let name = self.name(a.name.as_ref().map(|n| (n.node.as_str(), &n.span)), default, taken, "alarm")?;
        Some(plan::Alarm { name, metric_name: metric.to_string(), notify })
    }

    /// The given name, or the default with a number where it is taken;
    /// AWS resource names take letters, digits, `.`, `-` and `_`.
    fn name(&mut self, given: Option<(&str, &Span)>, default: &str, taken: &mut Vec<String>, what: &str) -> Option<String> {
        let name = match given {
            Some((n, at)) => {
                if taken.iter().any(|t| t == n) {
                    self.error(at, format!("two {what}s are named `{n}`"), format!("give each {what} its own name with `as`"));
                    return None;
                }
                if n.is_empty() || !n.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
                    self.error(at, format!("`{n}` cannot name an AWS resource"), "use letters, digits, `-`, `_` and `.`");
                    return None;
                }
                n.to_string()
            }
            None => (1..).map(|i| if i == 1 { default.to_string() } else { format!("{default}-{i}") }).find(|n| !taken.contains(n))?,
        };
        taken.push(name.clone());
        Some(name)
    }
}

fn contains_run_time(j: &Json) -> bool {
    match j {
        Json::Object(m) => m.iter().any(|(k, v)| k.ends_with(".$") || contains_run_time(v)),
        Json::Array(a) => a.iter().any(contains_run_time),
        _ => false,
    }
}

/// The plan of `file` for the machine `machine`.
pub fn plan(file: &File, params: &HashMap<String, Json>, machine: &str) -> (Plan, Vec<Diagnostic>) {
    let mut planner = Planner { values: Values { params, diags: Vec::new() } };
    let mut taken = Vec::new();
    let triggers = file.triggers.iter().filter_map(|t| planner.trigger(t, &mut taken)).collect();
    let mut taken = Vec::new();
    let alarms = file.alarms.iter().filter_map(|a| planner.alarm(a, &mut taken)).collect();
    (Plan { state_machine: machine.to_string(), triggers, alarms }, planner.values.diags)
}

#[cfg(test)]
mod tests {
    use crate::lang::{compile, Options};

    /// The first error's message, or the plan as JSON.
    fn planned(src: &str) -> Result<serde_json::Value, String> {
        let out = compile(&format!("{src}\npass P\n"), std::path::Path::new("."), &Options::default());
        match out.plan {
            Some(plan) => Ok(serde_json::to_value(plan).unwrap()),
            None => Err(out.diagnostics.iter().find(|d| d.is_error()).map(|d| d.message.clone()).unwrap_or_default()),
        }
    }

    #[test]
    fn parameters_fill_triggers_and_names_default_and_number() {
        let plan = planned(
            "workflow \"W\"\nparam env = \"dev\"\non s3 created \"b-${env}\"\non s3 created \"c\" prefix \"x/\"\nschedule \"rate(1 hour)\"",
        )
        .unwrap();
        assert_eq!(plan["StateMachine"], "W");
        let names: Vec<&str> = plan["Triggers"].as_array().unwrap().iter().map(|t| t["Name"].as_str().unwrap()).collect();
        assert_eq!(names, ["s3-created", "s3-created-2", "schedule"]);
        assert_eq!(plan["Triggers"][0]["EventPattern"]["detail"]["bucket"]["name"][0], "b-dev");
    }

    #[test]
    fn bad_lines_are_errors_on_their_line() {
        let cases = [
            ("schedule \"cron(0 9 * * *)\"", "has 5 fields"),
            ("schedule \"every day\"", "is not a schedule"),
            ("on s3 created $.bucket", "must be text known when the workflow is compiled"),
            ("on event { source: $.x }", "must be JSON known when the workflow is compiled"),
            ("alarm on failure notify \"topic\"", "is not an SNS topic ARN"),
            ("schedule \"rate(1 day)\" as a\non event { a: 1 } as a", "two triggers are named `a`"),
            ("schedule \"rate(1 day)\" as \"a b\"", "cannot name an AWS resource"),
        ];
        for (src, said) in cases {
            let e = planned(src).expect_err(src);
            assert!(e.contains(said), "{src}: {e}");
        }
    }
}
