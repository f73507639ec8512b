//! The least-privilege IAM policy a machine's execution role needs, read
//! from its Task states (and Distributed Maps) and the integration
//! catalogue's permissions ([`crate::integrations::iam`]). Each statement
//! says why it is there and which states need it.

use crate::integrations::{self, iam, services};
use crate::resource::Resource;
use crate::{State, StateMachine};
use serde_json::{json, Value};

/// Where the role is used: the ARNs' partition, region and account
/// (`*` for a region or account not given).
#[derive(Debug, Clone)]
pub struct Scope {
    pub partition: String,
    pub region: String,
    pub account: String,
    /// The state machine's own name (a Distributed Map starts executions of it).
    pub machine: String,
}

impl Default for Scope {
    fn default() -> Scope {
        Scope { partition: "aws".into(), region: "*".into(), account: "*".into(), machine: "*".into() }
    }
}

/// One statement of the policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: String,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub condition: Option<Value>,
    /// Why the role needs it, in a sentence.
    pub why: String,
    /// The states that need it.
    pub states: Vec<String>,
}

/// A machine's policy, and what sfc could not tell about it.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub statements: Vec<Statement>,
    /// Resources sfc does not know the permissions of, one sentence each.
    pub warnings: Vec<String>,
}

impl Policy {
    /// The IAM policy document.
    pub fn document(&self) -> Value {
        let statements: Vec<Value> = self
            .statements
            .iter()
            .map(|s| {
                let mut v = json!({"Sid": s.sid, "Effect": "Allow", "Action": s.actions, "Resource": s.resources});
                if let Some(c) = &s.condition {
                    v["Condition"] = c.clone();
                }
                v
            })
            .collect();
        json!({"Version": "2012-10-17", "Statement": statements})
    }

    fn grant(&mut self, sid: String, actions: &[&str], resources: Vec<String>, condition: Option<Value>, why: String, state: &str) {
        let resources = if resources.is_empty() || resources.iter().any(|r| r == "*") { vec!["*".to_string()] } else { resources };
        match self.statements.iter_mut().find(|s| s.sid == sid) {
            Some(s) => {
                if s.resources != ["*"] {
                    s.resources = if resources == ["*"] { resources } else { union(&s.resources, &resources) };
                }
                if !s.states.iter().any(|n| n == state) {
                    s.states.push(state.to_string());
                }
            }
            None => self.statements.push(Statement {
                sid,
                actions: actions.iter().map(|a| a.to_string()).collect(),
                resources: union(&[], &resources),
                condition,
                why,
                states: vec![state.to_string()],
            }),
        }
    }
}

/// Both lists, sorted, without repeats or what a wildcard of the list
/// already covers (`job-queue/q` beside `job-queue/*`).
fn union(a: &[String], b: &[String]) -> Vec<String> {
    let mut all: Vec<String> = a.iter().chain(b).cloned().collect();
    all.sort();
    all.dedup();
    let wildcards: Vec<String> = all.iter().filter(|r| r.ends_with('*')).cloned().collect();
    let covered = |r: &String| wildcards.iter().any(|w| w != r && r.starts_with(&w[..w.len() - 1]));
    all.retain(|r| !covered(r));
    all
}

/// A request member's value: known now, or computed at run time.
enum Member {
    Known(String),
    Computed,
}

/// The member at a dotted path of a Task's Parameters or Arguments.
fn member(parameters: &Value, path: &str) -> Option<Member> {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let object = parameters.as_object()?;
    if object.contains_key(&format!("{head}.$")) {
        return Some(Member::Computed);
    }
    let value = object.get(head)?;
    match rest {
        Some(r) => member(value, r),
        None => match value {
            Value::String(s) if s.trim_start().starts_with("{%") => Some(Member::Computed),
            Value::String(s) => Some(Member::Known(s.clone())),
            Value::Number(n) => Some(Member::Known(n.to_string())),
            _ => Some(Member::Computed),
        },
    }
}

/// A resource template filled in (see [`iam`]); `None` when a member it
/// names is absent.
fn fill(template: &str, parameters: &Value, scope: &Scope) -> Option<String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}')? + open;
        let name = &rest[open + 1..close];
        rest = &rest[close + 1..];
        match name {
            "partition" => out.push_str(&scope.partition),
            "region" => out.push_str(&scope.region),
            "account" => out.push_str(&scope.account),
            _ => {
                let (key, revision) = match name.strip_suffix("?rev") {
                    Some(k) => (k, true),
                    None => (name, false),
                };
                let (key, slash) = match key.strip_prefix('/') {
                    Some(k) => (k, true),
                    None => (key, false),
                };
                match member(parameters, key)? {
                    Member::Computed => out.push('*'),
                    // An ARN already says where it is.
                    Member::Known(v) if v.starts_with("arn:") => return Some(v),
                    Member::Known(v) if slash => out.push_str(&format!("/{}", v.trim_matches('/'))),
                    Member::Known(v) if revision && !v.contains(':') => out.push_str(&format!("{v}:*")),
                    Member::Known(v) => out.push_str(&v),
                }
            }
        }
    }
    out.push_str(rest);
    // Consecutive wildcards say no more than one.
    while out.contains("**") {
        out = out.replace("**", "*");
    }
    Some(out)
}

fn fill_all(templates: &[&str], parameters: &Value, scope: &Scope) -> Vec<String> {
    templates.iter().filter_map(|t| fill(t, parameters, scope)).collect()
}

/// `batch.submitJob` → `BatchSubmitJob`.
fn sid_of(words: &[&str]) -> String {
    words
        .iter()
        .flat_map(|w| w.split(|c: char| !c.is_ascii_alphanumeric()))
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        })
        .collect()
}

/// The policy of `machine` in `scope`.
pub fn of(machine: &StateMachine, scope: &Scope) -> Policy {
    let mut policy = Policy::default();
    for (name, state) in machine.all_states() {
        match state {
            State::Task(task) => {
                let parameters = task.parameters.as_ref().or(task.arguments.as_ref()).cloned().unwrap_or(Value::Null);
                task_needs(&mut policy, name, &task.resource, &parameters, scope);
            }
            State::Map(map) => map_needs(&mut policy, name, map, scope),
            _ => {}
        }
    }
    policy
}

fn task_needs(policy: &mut Policy, state: &str, resource: &str, parameters: &Value, scope: &Scope) {
    match Resource::parse(resource) {
        Resource::Integration { service, action, pattern, .. } => {
            if let Some(sdk) = service.strip_prefix("aws-sdk:") {
                return sdk_needs(policy, state, services::sdk_service(sdk), action, parameters, scope, resource);
            }
            let Some(i) = integrations::find(service, action) else {
                if pattern.is_sync() {
                    policy.warnings.push(format!("state {state:?}: sfc knows the call of {resource} but not what its .sync pattern adds; add those permissions by hand"));
                }
                return sdk_needs(policy, state, services::optimized_service(service), action, parameters, scope, resource);
            };
            integration_needs(policy, state, i, pattern.is_sync(), parameters, scope);
        }
        Resource::Lambda { .. } => {
            let arn = resource.to_string();
            policy.grant(
                "LambdaInvoke".into(),
                iam::LAMBDA_INVOKE.call,
                vec![arn],
                None,
                "invoke the Lambda functions the states name".into(),
                state,
            )
        }
        // Workers poll an activity with their own credentials.
        Resource::Activity { .. } => {}
        Resource::Other => {
            policy.warnings.push(format!("state {state:?}: sfc does not know what {resource} needs; add its permissions by hand"))
        }
    }
}

fn integration_needs(policy: &mut Policy, state: &str, i: &integrations::Integration, sync: bool, parameters: &Value, scope: &Scope) {
    let iam = i.iam;
    let sid = sid_of(&[i.name]);
    let on = fill_all(iam.call_on, parameters, scope);
    policy.grant(sid.clone(), iam.call, on, None, format!("{}: the call itself ({})", i.name, i.api), state);
    if sync && !iam.track.is_empty() {
        let on = fill_all(iam.track_on, parameters, scope);
        let why = format!("{}.sync follows the job ({}) and stops it when the execution stops", i.name, iam.track.join(", "));
        policy.grant(format!("{sid}Sync"), iam.track, on, None, why, state);
    }
    if let (true, Some(rule)) = (sync, iam.sync_rule) {
        let arn = format!("arn:{}:events:{}:{}:rule/{rule}", scope.partition, scope.region, scope.account);
        let why = format!("{}.sync hears that the job ended through the EventBridge rule Step Functions manages, {rule}", i.name);
        policy.grant(
            format!("{sid}SyncRule"),
            &["events:PutTargets", "events:PutRule", "events:DescribeRule"],
            vec![arn],
            None,
            why,
            state,
        );
    }
    let roles: Vec<String> = iam
        .passed_roles
        .iter()
        .filter_map(|m| fill(&format!("arn:{{partition}}:iam::{{account}}:role/{{{m}}}"), parameters, scope))
        .collect();
    if !roles.is_empty() {
        let why = format!("{} passes the roles its parameters name to the service", i.name);
        policy.grant(format!("{sid}PassRole"), &["iam:PassRole"], roles, None, why, state);
    }
    if let Some(principal) = iam.unnamed_roles_for {
        let any = format!("arn:{}:iam::{}:role/*", scope.partition, scope.account);
        let why = format!("{} passes roles the definition cannot name (the task definition's), only to {principal}", i.name);
        let condition = json!({"StringEquals": {"iam:PassedToService": principal}});
        policy.grant(format!("{sid}PassTaskRoles"), &["iam:PassRole"], vec![any], Some(condition), why, state);
    }
}

fn sdk_needs(
    policy: &mut Policy,
    state: &str,
    service: Option<&services::Service>,
    action: &str,
    parameters: &Value,
    scope: &Scope,
    resource: &str,
) {
    let Some(service) = service else {
        policy.warnings.push(format!("state {state:?}: sfc does not know the service of {resource}; add its permissions by hand"));
        return;
    };
    let named = iam::SDK_ACTION_NAMES.iter().find(|(s, a, _)| *s == service.signing && *a == action).map(|(_, _, n)| n.to_string());
    let mut op = action.chars();
    let operation: String = op.next().map(|f| f.to_ascii_uppercase().to_string() + op.as_str()).unwrap_or_default();
    let permission = named.unwrap_or_else(|| format!("{}:{operation}", service.signing));
    let templates: Vec<&str> = iam::SDK_RESOURCES.iter().filter(|(s, _)| *s == service.signing).map(|(_, t)| *t).collect();
    let on = fill_all(&templates, parameters, scope);
    let why = format!("{resource}: the call itself");
    policy.grant(sid_of(&[service.name, action]), &[permission.as_str()], on, None, why, state);
}

/// A Distributed Map reads its items and writes its results with S3
/// calls, and runs its iterations as child executions of this machine.
fn map_needs(policy: &mut Policy, state: &str, map: &crate::Map, scope: &Scope) {
    if let Some(reader) = &map.item_reader {
        let parameters = reader.parameters.as_ref().or(reader.arguments.as_ref()).cloned().unwrap_or(Value::Null);
        task_needs(policy, state, &reader.resource, &parameters, scope);
    }
    if let Some(writer) = &map.result_writer {
        let parameters = writer.parameters.as_ref().or(writer.arguments.as_ref()).cloned().unwrap_or(Value::Null);
        let bucket = fill("arn:{partition}:s3:::{Bucket}/{Prefix}*", &parameters, scope);
        let why = "a Distributed Map writes its results to S3".to_string();
        policy.grant(
            "MapResultWriter".into(),
            &["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"],
            bucket.into_iter().collect(),
            None,
            why,
            state,
        );
    }
    if map.is_distributed() {
        let machine = format!("arn:{}:states:{}:{}:stateMachine:{}", scope.partition, scope.region, scope.account, scope.machine);
        let executions = format!("arn:{}:states:{}:{}:execution:{}/*", scope.partition, scope.region, scope.account, scope.machine);
        let why = "a Distributed Map runs its iterations as child executions of this machine".to_string();
        policy.grant("DistributedMapStart".into(), &["states:StartExecution"], vec![machine], None, why.clone(), state);
        policy.grant(
            "DistributedMapFollow".into(),
            &["states:DescribeExecution", "states:StopExecution"],
            vec![executions],
            None,
            why,
            state,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(states: Value) -> StateMachine {
        serde_json::from_value(json!({"StartAt": "A", "States": states})).unwrap()
    }

    fn scope() -> Scope {
        Scope { region: "eu-west-1".into(), account: "111122223333".into(), machine: "M".into(), ..Scope::default() }
    }

    #[test]
    fn static_members_narrow_resources_and_computed_ones_widen_them() {
        let m = machine(json!({
            "A": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync",
                  "Parameters": {"JobName": "j", "JobQueue": "q", "JobDefinition": "d"}, "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob",
                  "Parameters": {"JobName": "j", "JobQueue.$": "$.queue", "JobDefinition": "arn:aws:batch:eu-west-1:111122223333:job-definition/e:3"}, "End": true}
        }));
        let p = of(&m, &scope());
        let submit = &p.statements[0];
        assert_eq!(submit.sid, "BatchSubmitJob");
        // job-queue/* (computed) covers job-queue/q.
        assert_eq!(
            submit.resources,
            [
                "arn:aws:batch:eu-west-1:111122223333:job-definition/d:*",
                "arn:aws:batch:eu-west-1:111122223333:job-definition/e:3",
                "arn:aws:batch:eu-west-1:111122223333:job-queue/*",
            ]
        );
        assert_eq!(submit.states, ["A", "B"]);
        // Only the .sync state adds tracking and the managed rule.
        let sids: Vec<&str> = p.statements.iter().map(|s| s.sid.as_str()).collect();
        assert_eq!(sids, ["BatchSubmitJob", "BatchSubmitJobSync", "BatchSubmitJobSyncRule"]);
        assert_eq!(p.statements[2].resources, ["arn:aws:events:eu-west-1:111122223333:rule/StepFunctionsGetEventsForBatchJobsRule"]);
    }

    #[test]
    fn passed_roles_lambda_arns_and_sdk_calls() {
        let m = machine(json!({
            "A": {"Type": "Task", "Resource": "arn:aws:states:::elasticmapreduce:createCluster",
                  "Parameters": {"Name": "c", "ServiceRole": "EMR_DefaultRole", "JobFlowRole": "arn:aws:iam::111122223333:role/X"}, "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws:lambda:eu-west-1:111122223333:function:f", "Next": "C"},
            "C": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ssm:getParametersByPath", "Parameters": {"Path": "/ds/x/"}, "Next": "D"},
            "D": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2", "Parameters": {"Bucket": "b"}, "End": true}
        }));
        let p = of(&m, &scope());
        let by = |sid: &str| p.statements.iter().find(|s| s.sid == sid).unwrap_or_else(|| panic!("{sid} in {:?}", p.statements));
        assert_eq!(
            by("EmrCreateClusterPassRole").resources,
            ["arn:aws:iam::111122223333:role/EMR_DefaultRole", "arn:aws:iam::111122223333:role/X"]
        );
        assert_eq!(by("EmrCreateCluster").resources, ["*"]);
        assert_eq!(by("LambdaInvoke").resources, ["arn:aws:lambda:eu-west-1:111122223333:function:f"]);
        assert_eq!(by("SsmGetParametersByPath").actions, ["ssm:GetParametersByPath"]);
        assert_eq!(
            by("SsmGetParametersByPath").resources,
            ["arn:aws:ssm:eu-west-1:111122223333:parameter/ds/x", "arn:aws:ssm:eu-west-1:111122223333:parameter/ds/x/*"]
        );
        assert_eq!(
            (by("S3ListObjectsV2").actions.clone(), by("S3ListObjectsV2").resources.clone()),
            (vec!["s3:ListBucket".to_string()], vec!["arn:aws:s3:::b".to_string()])
        );
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn unknown_resources_are_warned_about_not_guessed() {
        let m = machine(json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::nope:thing.sync", "End": true}}));
        let p = of(&m, &scope());
        assert!(p.statements.is_empty());
        assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
    }
}
