//! A workflow's triggers on AWS: EventBridge rules (with the state
//! machine as their target) and EventBridge Scheduler schedules. Each
//! carries a description naming the workflow and trigger, so the next
//! deploy finds the ones the workflow no longer declares and removes them.

use super::change::{Action, Change};
use crate::aws::generic::api::{Api, ApiError};
use crate::aws::generic::text::encode;
use serde_json::{json, Value};
use sfc_asl::deploy_plan::{marker, read_marker, resource_name, Plan, Source};

/// Where executions go and as whom they are started.
pub struct Target<'a> {
    pub machine_arn: &'a str,
    pub invoke_role_arn: &'a str,
}

/// Longest rule and schedule names AWS takes.
const NAME_MAX: usize = 64;
/// A bound on list pages: a hundred pages of a hundred is far more
/// resources than one workflow owns.
const MAX_PAGES: usize = 100;

fn owned(description: &str, machine: &str) -> bool {
    matches!(read_marker(description), Some((kind, _, m)) if kind == "trigger" && m == machine)
}

/// Creates, updates and removes the rules and schedules; what changed.
pub async fn sync(api: &Api, plan: &Plan, target: &Target<'_>, dry_run: bool) -> Result<Vec<Change>, ApiError> {
    let mut changes = rules(api, plan, target, dry_run).await?;
    changes.extend(schedules(api, plan, target, dry_run).await?);
    Ok(changes)
}

/// A rule as the comparison sees it.
fn rule_view(pattern: &Value, description: &str, state: &str, targets: Value) -> Value {
    json!({"EventPattern": pattern, "Description": description, "State": state, "Targets": targets})
}

async fn rules(api: &Api, plan: &Plan, target: &Target<'_>, dry_run: bool) -> Result<Vec<Change>, ApiError> {
    let machine = &plan.state_machine;
    let mut changes = Vec::new();
    let mut wanted_names = Vec::new();
    for t in &plan.triggers {
        let Source::EventRule { event_pattern } = &t.source else { continue };
        let name = resource_name(machine, &t.name, NAME_MAX);
        wanted_names.push(name.clone());
        let description = marker(machine, "trigger", &t.name);
        let targets = json!([{"Id": "sfc-state-machine", "Arn": target.machine_arn, "RoleArn": target.invoke_role_arn}]);
        let wanted = rule_view(event_pattern, &description, "ENABLED", targets.clone());
        let current = match api.json("eventbridge", "DescribeRule", json!({"Name": name})).await {
            Ok(r) => {
                let pattern: Value = r["EventPattern"].as_str().and_then(|p| serde_json::from_str(p).ok()).unwrap_or(Value::Null);
                let listed = api.json("eventbridge", "ListTargetsByRule", json!({"Rule": name})).await?;
                let targets: Vec<Value> = listed["Targets"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|t| json!({"Id": t["Id"], "Arn": t["Arn"], "RoleArn": t["RoleArn"]}))
                    .collect();
                Some(rule_view(&pattern, r["Description"].as_str().unwrap_or(""), r["State"].as_str().unwrap_or(""), Value::Array(targets)))
            }
            Err(e) if e.is("ResourceNotFoundException") => None,
            Err(e) => return Err(e),
        };
        let change = Change::between("rule", &name, current.as_ref(), Some(&wanted));
        if change.changes() && !dry_run {
            let rule = json!({"Name": name, "EventPattern": event_pattern.to_string(), "State": "ENABLED", "Description": description});
            api.json("eventbridge", "PutRule", rule).await?;
            api.json("eventbridge", "PutTargets", json!({"Rule": name, "Targets": targets})).await?;
        }
        changes.push(change);
    }
    // Rules of this workflow it no longer declares.
    let prefix = resource_name(machine, "", NAME_MAX);
    let mut token: Option<String> = None;
    let mut stale = Vec::new();
    for _ in 0..MAX_PAGES {
        let mut request = json!({"NamePrefix": prefix});
        if let Some(t) = &token {
            request["NextToken"] = json!(t);
        }
        let page = api.json("eventbridge", "ListRules", request).await?;
        for r in page["Rules"].as_array().into_iter().flatten() {
            let name = r["Name"].as_str().unwrap_or_default();
            if !wanted_names.iter().any(|w| w == name) && owned(r["Description"].as_str().unwrap_or(""), machine) {
                stale.push(name.to_string());
            }
        }
        token = page["NextToken"].as_str().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    for name in stale {
        changes.push(Change { kind: "rule", name: name.clone(), action: Action::Delete, diff: String::new() });
        if !dry_run {
            let listed = api.json("eventbridge", "ListTargetsByRule", json!({"Rule": name})).await?;
            let ids: Vec<Value> = listed["Targets"].as_array().into_iter().flatten().map(|t| t["Id"].clone()).collect();
            if !ids.is_empty() {
                api.json("eventbridge", "RemoveTargets", json!({"Rule": name, "Ids": ids})).await?;
            }
            api.json("eventbridge", "DeleteRule", json!({"Name": name})).await?;
        }
    }
    Ok(changes)
}

/// A schedule as the comparison sees it (the input parsed: Scheduler
/// keeps it as text).
fn schedule_view(s: &Value) -> Value {
    let input = &s["Target"]["Input"];
    let input = input.as_str().and_then(|i| serde_json::from_str(i).ok()).unwrap_or_else(|| input.clone());
    json!({
        "ScheduleExpression": s["ScheduleExpression"],
        "Description": s["Description"],
        "State": s["State"],
        "Target": {"Arn": s["Target"]["Arn"], "RoleArn": s["Target"]["RoleArn"], "Input": input},
    })
}

async fn schedules(api: &Api, plan: &Plan, target: &Target<'_>, dry_run: bool) -> Result<Vec<Change>, ApiError> {
    let machine = &plan.state_machine;
    let mut changes = Vec::new();
    let mut wanted_names = Vec::new();
    for t in &plan.triggers {
        let Source::Schedule { schedule_expression, input } = &t.source else { continue };
        let name = resource_name(machine, &t.name, NAME_MAX);
        wanted_names.push(name.clone());
        let path = format!("/schedules/{}", encode(&name, false));
        let body = json!({
            "ScheduleExpression": schedule_expression,
            "ScheduleExpressionTimezone": "UTC",
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "Description": marker(machine, "trigger", &t.name),
            "State": "ENABLED",
            "Target": {"Arn": target.machine_arn, "RoleArn": target.invoke_role_arn, "Input": input.to_string()},
        });
        let current = match api.rest("scheduler", "GET", &path, None).await {
            Ok(s) => Some(schedule_view(&s)),
            Err(e) if e.is("ResourceNotFoundException") => None,
            Err(e) => return Err(e),
        };
        let change = Change::between("schedule", &name, current.as_ref(), Some(&schedule_view(&body)));
        if change.changes() && !dry_run {
            let method = if change.action == Action::Create { "POST" } else { "PUT" };
            api.rest("scheduler", method, &path, Some(&body)).await?;
        }
        changes.push(change);
    }
    let prefix = resource_name(machine, "", NAME_MAX);
    let mut token: Option<String> = None;
    let mut listed = Vec::new();
    for _ in 0..MAX_PAGES {
        let mut path = format!("/schedules?NamePrefix={}", encode(&prefix, false));
        if let Some(t) = &token {
            path.push_str(&format!("&NextToken={}", encode(t, false)));
        }
        let page = api.rest("scheduler", "GET", &path, None).await?;
        listed.extend(page["Schedules"].as_array().into_iter().flatten().filter_map(|s| s["Name"].as_str().map(str::to_string)));
        token = page["NextToken"].as_str().map(str::to_string);
        if token.is_none() {
            break;
        }
    }
    for name in listed.into_iter().filter(|n| !wanted_names.contains(n)) {
        let path = format!("/schedules/{}", encode(&name, false));
        let s = api.rest("scheduler", "GET", &path, None).await?;
        if !owned(s["Description"].as_str().unwrap_or(""), machine) {
            continue;
        }
        changes.push(Change { kind: "schedule", name: name.clone(), action: Action::Delete, diff: String::new() });
        if !dry_run {
            api.rest("scheduler", "DELETE", &path, None).await?;
        }
    }
    Ok(changes)
}
