//! Mocked responses in the Step Functions Local format: one invocation
//! counter per state per execution, across retries, Map iterations and
//! loops; a call past the last entry is States.Runtime.

use serde_json::{json, Value};
use sfc_asl::StateMachine;
use sfc_runtime::mock::MockConfig;
use sfc_runtime::{run, RunOptions, Status};

fn machine(v: Value) -> StateMachine {
    serde_json::from_value(v).unwrap()
}

fn mocks(responses: Value) -> MockConfig {
    MockConfig::parse(&json!({"StateMachines": {"M": {"TestCases": {"C": {"T": "R"}}}}, "MockedResponses": {"R": responses}})).unwrap()
}

#[test]
fn the_counter_runs_across_retries() {
    let m = machine(json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Retry": [{"ErrorEquals": ["Throttled"], "MaxAttempts": 3}], "End": true}}}));
    let cfg = mocks(json!({"0-1": {"Throw": {"Error": "Throttled", "Cause": "slow down"}}, "2": {"Return": {"ok": 3}}}));
    let out = run(&m, json!({}), &cfg.case("M", "C").unwrap(), &RunOptions::default());
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(out.output.unwrap(), json!({"ok": 3}));
    assert_eq!(out.history.iter().filter(|e| e.kind == "TaskScheduled").count(), 3);
}

#[test]
fn the_counter_runs_across_map_iterations_and_runs_out() {
    let m = machine(json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "MaxConcurrency": 1, "End": true,
        "ItemProcessor": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}}}}));
    let cfg = mocks(json!({"0": {"Return": "first"}, "1-2": {"Return": "later"}}));
    let out = run(&m, json!([1, 2, 3]), &cfg.case("M", "C").unwrap(), &RunOptions::default());
    assert_eq!(out.output.unwrap(), json!(["first", "later", "later"]));
    let out = run(&m, json!([1, 2, 3, 4]), &cfg.case("M", "C").unwrap(), &RunOptions::default());
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    assert!(out.cause.unwrap().contains("no entry for invocation 3"));
}

#[test]
fn a_state_without_a_mock_names_itself() {
    let m = machine(
        json!({"StartAt": "Other", "States": {"Other": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true}}}),
    );
    let cfg = mocks(json!({"0": {"Return": 1}}));
    let out = run(&m, json!({}), &cfg.case("M", "C").unwrap(), &RunOptions::default());
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    let cause = out.cause.unwrap();
    assert!(cause.contains("'Other'") && cause.contains("arn:aws:states:::sns:publish"), "{cause}");
}

#[test]
fn thrown_errors_reach_catch_with_their_cause() {
    let m = machine(json!({"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync", "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.err", "Next": "H"}], "End": true},
        "H": {"Type": "Pass", "End": true}}}));
    let cfg = mocks(json!({"0": {"Throw": {"Error": "States.TaskFailed", "Cause": "exit 1"}}}));
    let out = run(&m, json!({"in": 1}), &cfg.case("M", "C").unwrap(), &RunOptions::default());
    assert_eq!(out.output.unwrap(), json!({"in": 1, "err": {"Error": "States.TaskFailed", "Cause": "exit 1"}}));
}

/// sfc's one extension: `DelaySeconds` makes a mocked call take (virtual)
/// time, so it can run into the state's or the machine's timeout.
#[test]
fn a_delayed_response_takes_virtual_time_and_can_time_out() {
    let m = machine(json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::batch:submitJob.sync",
        "TimeoutSeconds": 60, "End": true}}}));
    let quick = mocks(json!({"0": {"Return": {"Status": "SUCCEEDED"}, "DelaySeconds": 30}}));
    let out = run(&m, json!({}), &quick.case("M", "C").unwrap(), &RunOptions::default());
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!((out.ended - out.started).num_seconds(), 30);
    let slow = mocks(json!({"0": {"Return": {"Status": "SUCCEEDED"}, "DelaySeconds": 120}}));
    let out = run(&m, json!({}), &slow.case("M", "C").unwrap(), &RunOptions::default());
    assert_eq!(out.error.as_deref(), Some("States.Timeout"));
    assert_eq!((out.ended - out.started).num_seconds(), 60);
    assert!(out.history.iter().any(|e| e.kind == "TaskTimedOut"));
}

#[test]
fn a_bad_delay_is_an_error_naming_the_entry() {
    let bad = json!({"StateMachines": {"M": {"TestCases": {"C": {"T": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": 1, "DelaySeconds": -5}}}});
    let e = MockConfig::parse(&bad).unwrap_err();
    assert_eq!(e.0, "MockedResponses.R.0.DelaySeconds must be a number of seconds from 0 to 31622400 (a year), not -5");
}

/// The Task events of a service integration, as GetExecutionHistory shows
/// them: the resource's names on each, error and cause first on a failure,
/// region and parameters on the scheduling, the output on the success.
#[test]
fn integration_task_events_have_aws_shapes() {
    let m = machine(json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"}, "TimeoutSeconds": 30,
        "Retry": [{"ErrorEquals": ["Throttled"], "MaxAttempts": 1}], "End": true}}}));
    let cfg = mocks(json!({"0": {"Throw": {"Error": "Throttled", "Cause": "slow down"}}, "1": {"Return": {"ok": 3}}}));
    let out = run(&m, json!({}), &cfg.case("M", "C").unwrap(), &RunOptions::default());
    let details =
        |kind: &str, key: &str| -> Vec<Value> { out.history.iter().filter(|e| e.kind == kind).map(|e| e.to_json()[key].clone()).collect() };
    let names = |e: &Value| e.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let scheduled = details("TaskScheduled", "taskScheduledEventDetails");
    assert_eq!(scheduled.len(), 2);
    assert_eq!(
        scheduled[0],
        json!({"resourceType": "lambda", "resource": "invoke", "region": "us-east-1",
        "parameters": "{\"FunctionName\":\"f\"}", "timeoutInSeconds": 30})
    );
    assert_eq!(names(&scheduled[0]), ["resourceType", "resource", "region", "parameters", "timeoutInSeconds"]);
    assert_eq!(details("TaskStarted", "taskStartedEventDetails"), vec![json!({"resourceType": "lambda", "resource": "invoke"}); 2]);
    let failed = details("TaskFailed", "taskFailedEventDetails");
    assert_eq!(failed, [json!({"error": "Throttled", "cause": "slow down", "resourceType": "lambda", "resource": "invoke"})]);
    assert_eq!(names(&failed[0]), ["error", "cause", "resourceType", "resource"]);
    assert_eq!(
        details("TaskSucceeded", "taskSucceededEventDetails"),
        [json!({"resourceType": "lambda", "resource": "invoke", "output": "{\"ok\":3}"})]
    );
    let failed_event = out.history.iter().find(|e| e.kind == "TaskFailed").unwrap();
    assert_eq!(
        (failed_event.details.get("error"), failed_event.details.get("cause"), failed_event.details.get("resource")),
        (Some("Throttled"), Some("slow down"), Some("invoke"))
    );
}

/// A timeout of any size is recorded as it is.
#[test]
fn a_huge_task_timeout_is_recorded_whole() {
    let m = machine(json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "TimeoutSeconds": 5_000_000_000u64, "End": true}}}));
    let cfg = mocks(json!({"0": {"Return": {"ok": 1}}}));
    let out = run(&m, json!({}), &cfg.case("M", "C").unwrap(), &RunOptions::default());
    let scheduled = out.history.iter().find(|e| e.kind == "TaskScheduled").unwrap().to_json();
    assert_eq!(
        scheduled["taskScheduledEventDetails"],
        json!({"resourceType": "lambda", "resource": "invoke", "region": "us-east-1", "parameters": "{}", "timeoutInSeconds": 5_000_000_000u64})
    );
}
