//! Mocked responses in the Step Functions Local format: one invocation
//! counter per state per execution, across retries, Map iterations and
//! loops; a call past the last entry is States.Runtime.

use serde_json::{json, Value};
use sfc_asl::StateMachine;
use sfc_runtime::context::ExecutionInfo;
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
/// the execution's region, the parameters and the limits and role of the
/// call on the scheduling, the output on the success.
#[test]
fn integration_task_events_have_aws_shapes() {
    let m = machine(json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"}, "TimeoutSeconds": 30, "HeartbeatSeconds": 10,
        "Credentials": {"RoleArn.$": "$.role"},
        "Retry": [{"ErrorEquals": ["Throttled"], "MaxAttempts": 1}], "End": true}}}));
    let cfg = mocks(json!({"0": {"Throw": {"Error": "Throttled", "Cause": "slow down"}}, "1": {"Return": {"ok": 3}}}));
    let opts = RunOptions { info: ExecutionInfo { region: "eu-west-1".into(), ..ExecutionInfo::default() }, ..RunOptions::default() };
    let out = run(&m, json!({"role": "arn:aws:iam::1:role/R"}), &cfg.case("M", "C").unwrap(), &opts);
    let details =
        |kind: &str, key: &str| -> Vec<Value> { out.history.iter().filter(|e| e.kind == kind).map(|e| e.to_json()[key].clone()).collect() };
    let names = |e: &Value| e.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let scheduled = details("TaskScheduled", "taskScheduledEventDetails");
    assert_eq!(scheduled.len(), 2);
    assert_eq!(
        scheduled[0],
        json!({"resourceType": "lambda", "resource": "invoke", "region": "eu-west-1",
        "parameters": "{\"FunctionName\":\"f\"}", "timeoutInSeconds": 30, "heartbeatInSeconds": 10,
        "taskCredentials": {"roleArn": "arn:aws:iam::1:role/R"}})
    );
    assert_eq!(
        names(&scheduled[0]),
        ["resourceType", "resource", "region", "parameters", "timeoutInSeconds", "heartbeatInSeconds", "taskCredentials"]
    );
    assert_eq!(details("TaskStarted", "taskStartedEventDetails"), vec![json!({"resourceType": "lambda", "resource": "invoke"}); 2]);
    let failed = details("TaskFailed", "taskFailedEventDetails");
    assert_eq!(failed, [json!({"error": "Throttled", "cause": "slow down", "resourceType": "lambda", "resource": "invoke"})]);
    assert_eq!(names(&failed[0]), ["error", "cause", "resourceType", "resource"]);
    assert_eq!(
        details("TaskSucceeded", "taskSucceededEventDetails"),
        [json!({"resourceType": "lambda", "resource": "invoke", "output": "{\"ok\":3}", "outputDetails": {"truncated": false}})]
    );
    let failed_event = out.history.iter().find(|e| e.kind == "TaskFailed").unwrap();
    assert_eq!(
        (failed_event.details.get("error"), failed_event.details.get("cause"), failed_event.details.get("resource")),
        (Some("Throttled"), Some("slow down"), Some("invoke"))
    );
}

/// A Lambda function named by its ARN records its role in its scheduled
/// event (JSONata Credentials here) and no heartbeat, which that event has
/// no field for; a role that is not a string fails the task.
#[test]
fn a_lambda_functions_scheduled_event_names_its_role() {
    let m = |role: &str| {
        machine(json!({"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task",
            "Resource": "arn:aws:lambda:us-east-1:1:function:f", "HeartbeatSeconds": 10, "TimeoutSeconds": 30,
            "Credentials": {"RoleArn": role}, "End": true}}}))
    };
    let cfg = mocks(json!({"0": {"Return": {"ok": 1}}}));
    let out =
        run(&m("{% $states.input.role %}"), json!({"role": "arn:aws:iam::1:role/R"}), &cfg.case("M", "C").unwrap(), &RunOptions::default());
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
    let scheduled = out.history.iter().find(|e| e.kind == "LambdaFunctionScheduled").unwrap().to_json();
    assert_eq!(
        scheduled["lambdaFunctionScheduledEventDetails"],
        json!({"resource": "arn:aws:lambda:us-east-1:1:function:f", "input": "{\"role\":\"arn:aws:iam::1:role/R\"}",
            "inputDetails": {"truncated": false}, "timeoutInSeconds": 30, "taskCredentials": {"roleArn": "arn:aws:iam::1:role/R"}})
    );
    let out = run(&m("{% $states.input.n %}"), json!({"n": 7}), &cfg.case("M", "C").unwrap(), &RunOptions::default());
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    assert!(out.cause.unwrap().contains("The Credentials field's RoleArn must be a string, but was 7"));
}

/// `$$.State` of a Task shows RetryCount from 0 on (AWS recorded it so in
/// a Task's parameters); a Pass state's leaves it out, yet reads 0.
#[test]
fn a_tasks_context_counts_retries_from_zero() {
    let m = machine(json!({"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {"state.$": "$$.State", "count.$": "$$.State.RetryCount"}, "ResultPath": "$.pass", "Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"state.$": "$$.State"},
            "Retry": [{"ErrorEquals": ["Throttled"], "MaxAttempts": 1}], "End": true}}}));
    let cfg = mocks(json!({"0": {"Throw": {"Error": "Throttled", "Cause": "slow down"}}, "1": {"Return": {"ok": 1}}}));
    let out = run(&m, json!({}), &cfg.case("M", "C").unwrap(), &RunOptions::default());
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
    let exited = out.history.iter().find(|e| e.kind == "PassStateExited").unwrap().to_json();
    let pass: Value = serde_json::from_str(exited["stateExitedEventDetails"]["output"].as_str().unwrap()).unwrap();
    assert_eq!(pass["pass"]["count"], 0);
    assert_eq!(pass["pass"]["state"].as_object().unwrap().keys().collect::<Vec<_>>(), ["Name", "EnteredTime"]);
    let counts: Vec<Value> = out
        .history
        .iter()
        .filter(|e| e.kind == "TaskScheduled")
        .map(|e| serde_json::from_str::<Value>(e.to_json()["taskScheduledEventDetails"]["parameters"].as_str().unwrap()).unwrap())
        .map(|p| p["state"]["RetryCount"].clone())
        .collect();
    assert_eq!(counts, [json!(0), json!(1)]);
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
