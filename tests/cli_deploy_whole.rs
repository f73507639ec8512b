//! `sfc deploy --create-role` of each shipped workflow against moto's
//! server (IAM, STS, Step Functions, EventBridge, Scheduler, CloudWatch),
//! read back with boto3 (tests/python/deployed.py) and compared with what
//! the workflow declares: the role's policy is `sfc policy`'s, each
//! trigger and alarm is there as declared; deploying again changes
//! nothing; a trigger removed from the workflow is deleted; a dry run
//! creates nothing.

#[path = "../runtime/tests/support/moto_server.rs"]
#[allow(dead_code)]
mod moto_server;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ACCOUNT: &str = "123456789012"; // moto's

mod support {
    pub mod stand_in;
}

fn sfc(args: &[&str]) -> Output {
    support::stand_in::sfc().args(args).output().expect("sfc runs")
}

fn deploy(moto: &str, file: &str, name: &str, extra: &[&str]) -> String {
    let mut args = vec!["deploy", file, "--name", name, "--create-role", "--region", "us-east-1", "--endpoint-url", moto];
    args.extend(extra);
    let out = sfc(&args);
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "deploy {file}: {said}");
    said
}

/// The python beside moto_server in its virtualenv (it has boto3).
fn python() -> PathBuf {
    let server = PathBuf::from(std::env::var("SFC_MOTO_SERVER").unwrap());
    let dir = server.parent().unwrap();
    ["python", "python3"].iter().map(|p| dir.join(p)).find(|p| p.exists()).expect("a python beside moto_server")
}

fn deployed(moto: &str, name: &str) -> Value {
    let out = Command::new(python())
        .args([concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/deployed.py"), moto, name])
        .output()
        .expect("python runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn json_of(args: &[&str]) -> Value {
    let out = sfc(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Checks what moto holds against the workflow's policy and plan.
fn matches_the_workflow(state: &Value, file: &str, name: &str) {
    let machine_arn = format!("arn:aws:states:us-east-1:{ACCOUNT}:stateMachine:{name}");
    let role = &state["roles"][format!("sfc-{name}-role")];
    assert_eq!(state["machine"]["RoleArn"], role["Arn"], "{name} runs as the created role");
    assert_eq!(role["Trust"]["Statement"][0]["Principal"]["Service"], json!(["states.amazonaws.com"]));
    let policy = json_of(&["policy", file, "--region", "us-east-1", "--account", ACCOUNT, "--name", name]);
    assert_eq!(role["Policies"]["sfc-policy"], policy, "{name}'s role has sfc policy's document");

    let plan = json_of(&["compile", file, "--deploy-plan"]);
    let triggers: Vec<&Value> = plan["Triggers"].as_array().map(|t| t.iter().collect()).unwrap_or_default();
    let invoke = &state["roles"][format!("sfc-{name}-invoke")];
    if !triggers.is_empty() {
        let services = &invoke["Trust"]["Statement"][0]["Principal"]["Service"];
        assert_eq!(services, &json!(["events.amazonaws.com", "scheduler.amazonaws.com"]));
        let start = &invoke["Policies"]["sfc-start-execution"]["Statement"][0];
        assert_eq!((&start["Action"], &start["Resource"]), (&json!(["states:StartExecution"]), &json!([machine_arn])));
    }
    let (mut rules, mut schedules) = (0, 0);
    for t in &triggers {
        let aws_name = format!("sfc-{name}-{}", t["Name"].as_str().unwrap());
        match t["Type"].as_str() {
            Some("EventRule") => {
                rules += 1;
                let rule = state["rules"].as_array().unwrap().iter().find(|r| r["Name"] == aws_name.as_str()).expect("the rule");
                assert_eq!(rule["EventPattern"], t["EventPattern"]);
                assert_eq!(rule["State"], "ENABLED");
                let target = &rule["Targets"][0];
                assert_eq!((&target["Arn"], &target["RoleArn"]), (&json!(machine_arn), &invoke["Arn"]));
            }
            _ => {
                schedules += 1;
                let s = state["schedules"].as_array().unwrap().iter().find(|s| s["Name"] == aws_name.as_str()).expect("the schedule");
                assert_eq!(s["ScheduleExpression"], t["ScheduleExpression"]);
                assert_eq!(s["Target"], json!({"Arn": machine_arn, "RoleArn": invoke["Arn"], "Input": t["Input"]}));
            }
        }
    }
    assert_eq!((state["rules"].as_array().unwrap().len(), state["schedules"].as_array().unwrap().len()), (rules, schedules));
    let alarms = plan["Alarms"].as_array().cloned().unwrap_or_default();
    assert_eq!(state["alarms"].as_array().unwrap().len(), alarms.len());
    for a in &alarms {
        let aws_name = format!("sfc-{name}-{}", a["Name"].as_str().unwrap());
        let alarm = state["alarms"].as_array().unwrap().iter().find(|x| x["AlarmName"] == aws_name.as_str()).expect("the alarm");
        assert_eq!((&alarm["Namespace"], &alarm["MetricName"]), (&json!("AWS/States"), &a["MetricName"]));
        assert_eq!(alarm["Dimensions"], json!([{"Name": "StateMachineArn", "Value": machine_arn}]));
        assert_eq!(alarm["AlarmActions"], a["Notify"]);
        assert_eq!((&alarm["Threshold"], &alarm["ComparisonOperator"]), (&json!(1.0), &json!("GreaterThanOrEqualToThreshold")));
    }
}

#[test]
fn each_shipped_workflow_is_deployed_whole_and_again_as_a_no_op() {
    let Some(moto) = moto_server::moto() else { return };
    for (file, name) in [
        ("workflows/fraud-detection.sfc", "FraudDetection"),
        ("workflows/ecs-preprocessing.sfc", "EcsPreprocessing"),
        ("workflows/batch-features.sfc", "BatchFeatures"),
        ("workflows/wildlife-pipeline.sfc", "WildlifePipeline"),
    ] {
        let said = deploy(&moto.url, file, name, &["--dry-run"]);
        assert!(said.contains(&format!("role sfc-{name}-role: would be created")), "{said}");
        assert_eq!(deployed(&moto.url, name)["roles"], json!({}), "a dry run creates nothing");

        deploy(&moto.url, file, name, &[]);
        let first = deployed(&moto.url, name);
        matches_the_workflow(&first, file, name);

        let again = deploy(&moto.url, file, name, &[]);
        assert!(again.trim_end().ends_with("nothing to deploy"), "{again}");
        assert!(!again.contains("created") && !again.contains("updated"), "{again}");
        assert_eq!(deployed(&moto.url, name), first, "{name}: deploying again changed nothing");
    }
}

/// The workflow without its `on`, `schedule` and `alarm` lines.
fn without_deployment_lines(file: &str, dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    let kept: Vec<&str> = text.lines().filter(|l| !["on ", "schedule ", "alarm "].iter().any(|k| l.starts_with(k))).collect();
    let path = dir.join(Path::new(file).file_name().unwrap());
    std::fs::write(&path, kept.join("\n")).unwrap();
    path
}

#[test]
fn triggers_and_alarms_removed_from_the_workflow_are_deleted() {
    let Some(moto) = moto_server::moto() else { return };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("deploy-whole");
    std::fs::create_dir_all(&dir).unwrap();
    for (file, name, kind) in
        [("workflows/fraud-detection.sfc", "FraudDetection", "rule"), ("workflows/ecs-preprocessing.sfc", "EcsPreprocessing", "schedule")]
    {
        deploy(&moto.url, file, name, &[]);
        let bare = without_deployment_lines(file, &dir);
        let said = deploy(&moto.url, bare.to_str().unwrap(), name, &["--dry-run"]);
        assert!(said.contains(&format!("{kind} sfc-{name}-")) && said.contains("would be deleted"), "{said}");
        let said = deploy(&moto.url, bare.to_str().unwrap(), name, &[]);
        assert!(said.contains("deleted (no longer in the workflow)"), "{said}");
        let state = deployed(&moto.url, name);
        assert_eq!((&state["rules"], &state["schedules"], &state["alarms"]), (&json!([]), &json!([]), &json!([])), "{name}: {state}");
    }
}

/// `--only-machine` leaves another deploy's triggers alone; an ASL file
/// (which declares none) does too.
#[test]
fn only_machine_and_asl_files_leave_triggers_alone() {
    let Some(moto) = moto_server::moto() else { return };
    deploy(&moto.url, "workflows/fraud-detection.sfc", "FraudDetection", &[]);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("deploy-only-machine");
    std::fs::create_dir_all(&dir).unwrap();
    let bare = without_deployment_lines("workflows/fraud-detection.sfc", &dir);
    deploy(&moto.url, bare.to_str().unwrap(), "FraudDetection", &["--only-machine"]);
    deploy(&moto.url, "fixtures/workflows/fraud-detection.asl.json", "FraudDetection", &[]);
    let state = deployed(&moto.url, "FraudDetection");
    assert_eq!((state["rules"].as_array().unwrap().len(), state["alarms"].as_array().unwrap().len()), (1, 1), "{state}");
}
