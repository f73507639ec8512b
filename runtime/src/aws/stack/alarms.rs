//! A workflow's CloudWatch alarms on its executions (namespace
//! `AWS/States`, dimension `StateMachineArn`): one alarm per `alarm on`
//! line, firing when a period of five minutes counts one execution or
//! more, notifying its topics. Alarms the workflow no longer declares are
//! found by their description and deleted.

use super::change::{Action, Change};
use crate::aws::generic::api::{Api, ApiError};
use crate::aws::generic::text::{element, members, unescape};
use serde_json::{json, Value};
use sfc_asl::deploy_plan::{marker, read_marker, resource_name, Plan};

const NAME_MAX: usize = 255;
const PERIOD_SECONDS: u32 = 300;

/// An alarm as the comparison sees it.
fn view(description: &str, metric: &str, machine_arn: &str, actions: &[String], numbers: (f64, f64, f64)) -> Value {
    json!({
        "AlarmDescription": description,
        "Namespace": "AWS/States",
        "MetricName": metric,
        "Dimensions": {"StateMachineArn": machine_arn},
        "Statistic": "Sum",
        "Period": numbers.0,
        "EvaluationPeriods": numbers.1,
        "Threshold": numbers.2,
        "AlarmActions": actions,
    })
}

/// The alarms named with `prefix`, read from DescribeAlarms' XML.
async fn deployed(api: &Api, prefix: &str) -> Result<Vec<(String, Value)>, ApiError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..100 {
        let mut form = vec![("AlarmNamePrefix".to_string(), prefix.to_string())];
        if let Some(t) = &token {
            form.push(("NextToken".into(), t.clone()));
        }
        let xml = api.query("cloudwatch", "DescribeAlarms", &form).await?;
        let alarms = element(&xml, "MetricAlarms").map(members).unwrap_or_default();
        for a in alarms {
            let text = |tag: &str| element(a, tag).map(unescape).unwrap_or_default();
            let number = |tag: &str| text(tag).parse::<f64>().unwrap_or(f64::NAN);
            let actions: Vec<String> = element(a, "AlarmActions").map(members).unwrap_or_default().into_iter().map(unescape).collect();
            let arn = element(a, "Dimensions")
                .map(members)
                .unwrap_or_default()
                .into_iter()
                .find(|d| element(d, "Name") == Some("StateMachineArn"))
                .and_then(|d| element(d, "Value"))
                .map(unescape)
                .unwrap_or_default();
            let mut v = view(
                &text("AlarmDescription"),
                &text("MetricName"),
                &arn,
                &actions,
                (number("Period"), number("EvaluationPeriods"), number("Threshold")),
            );
            v["Namespace"] = json!(text("Namespace"));
            v["Statistic"] = json!(text("Statistic"));
            out.push((text("AlarmName"), v));
        }
        token = element(&xml, "NextToken").map(str::to_string).filter(|t| !t.is_empty());
        if token.is_none() {
            break;
        }
    }
    Ok(out)
}

/// Creates, updates and removes the alarms; what changed.
pub async fn sync(api: &Api, plan: &Plan, machine_arn: &str, dry_run: bool) -> Result<Vec<Change>, ApiError> {
    let machine = &plan.state_machine;
    let current = deployed(api, &resource_name(machine, "", NAME_MAX)).await?;
    let mut changes = Vec::new();
    let mut wanted_names = Vec::new();
    for a in &plan.alarms {
        let name = resource_name(machine, &a.name, NAME_MAX);
        wanted_names.push(name.clone());
        let description = marker(machine, "alarm", &a.name);
        let numbers = (f64::from(PERIOD_SECONDS), 1.0, 1.0);
        let wanted = view(&description, &a.metric_name, machine_arn, &a.notify, numbers);
        let now = current.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
        let change = Change::between("alarm", &name, now, Some(&wanted));
        if change.changes() && !dry_run {
            let mut form: Vec<(String, String)> = [
                ("AlarmName", name.as_str()),
                ("AlarmDescription", description.as_str()),
                ("Namespace", "AWS/States"),
                ("MetricName", a.metric_name.as_str()),
                ("Dimensions.member.1.Name", "StateMachineArn"),
                ("Dimensions.member.1.Value", machine_arn),
                ("Statistic", "Sum"),
                ("Period", &PERIOD_SECONDS.to_string()),
                ("EvaluationPeriods", "1"),
                ("Threshold", "1"),
                ("ComparisonOperator", "GreaterThanOrEqualToThreshold"),
                ("TreatMissingData", "notBreaching"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            for (i, topic) in a.notify.iter().enumerate() {
                form.push((format!("AlarmActions.member.{}", i + 1), topic.clone()));
            }
            api.query("cloudwatch", "PutMetricAlarm", &form).await?;
        }
        changes.push(change);
    }
    for (name, v) in &current {
        let ours =
            matches!(read_marker(v["AlarmDescription"].as_str().unwrap_or("")), Some((kind, _, m)) if kind == "alarm" && &m == machine);
        if ours && !wanted_names.contains(name) {
            changes.push(Change { kind: "alarm", name: name.clone(), action: Action::Delete, diff: String::new() });
            if !dry_run {
                api.query("cloudwatch", "DeleteAlarms", &[("AlarmNames.member.1".to_string(), name.clone())]).await?;
            }
        }
    }
    Ok(changes)
}
