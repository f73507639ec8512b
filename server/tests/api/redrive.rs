//! RedriveExecution: a failed execution goes on from the state that failed.

use crate::*;

const FLAKY: &str = r#"{"StartAt": "Prep", "States": {
  "Prep": {"Type": "Pass", "Result": {"ready": true}, "ResultPath": "$.prep", "Next": "Call"},
  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"}, "ResultPath": "$.call", "End": true}}}"#;

#[tokio::test]
async fn a_failed_execution_goes_on_from_the_failed_state() {
    let mocks = serde_json::json!({
        "StateMachines": {"Flaky": {"TestCases": {"FailsOnce": {"Call": "FailThenWork"}}}},
        "MockedResponses": {"FailThenWork": {
            "0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "down"}},
            "1": {"Return": {"StatusCode": 200}}}}});
    let l = local(Config { mocks: Some(sfc_runtime::mock::MockConfig::parse(&mocks).unwrap()), ..fast() });
    let machine = create(&l.client, "Flaky", FLAKY).await;
    let s = l.client.start_execution().state_machine_arn(format!("{machine}#FailsOnce")).input(r#"{"order": 7}"#).send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.redrive_status().map(|r| r.as_str())), ("FAILED", Some("REDRIVABLE")));

    l.client.redrive_execution().execution_arn(s.execution_arn()).send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!(d.status().as_str(), "SUCCEEDED", "{:?}", d.cause());
    assert_eq!((d.redrive_count(), d.redrive_date().is_some()), (Some(1), true));
    let output: serde_json::Value = serde_json::from_str(d.output().unwrap()).unwrap();
    assert_eq!(output, serde_json::json!({"order": 7, "prep": {"ready": true}, "call": {"StatusCode": 200}}));
    let types = event_types(&l.client, s.execution_arn()).await;
    let failed = types.iter().position(|t| t == "ExecutionFailed").unwrap();
    assert_eq!(types[failed + 1], "ExecutionRedriven");
    assert_eq!(types.iter().filter(|t| *t == "PassStateEntered").count(), 1, "Prep did not run again: {types:?}");
    assert_eq!(types.last().map(String::as_str), Some("ExecutionSucceeded"));
    let h = l.client.get_execution_history().execution_arn(s.execution_arn()).max_results(1000).send().await.unwrap();
    let ids: Vec<i64> = h.events().iter().map(|e| e.id()).collect();
    assert_eq!(ids, (1..=ids.len() as i64).collect::<Vec<_>>(), "ids go on across the redrive");

    let e = l.client.redrive_execution().execution_arn(s.execution_arn()).send().await.unwrap_err();
    assert_eq!(code(&e), "ExecutionNotRedrivable");

    // Listed with its redrives, and by whether it was redriven.
    let other = l.client.start_execution().state_machine_arn(&machine).input("{}").send().await.unwrap();
    finished(&l.client, other.execution_arn()).await;
    let list = |filter: aws_sdk_sfn::types::ExecutionRedriveFilter| {
        let client = l.client.clone();
        let machine = machine.clone();
        async move { client.list_executions().state_machine_arn(machine).redrive_filter(filter).send().await.unwrap() }
    };
    let redriven = list(aws_sdk_sfn::types::ExecutionRedriveFilter::Redriven).await;
    let listed: Vec<_> = redriven.executions().iter().map(|e| (e.execution_arn(), e.redrive_count(), e.redrive_date().is_some())).collect();
    assert_eq!(listed, [(s.execution_arn(), Some(1), true)]);
    let not = list(aws_sdk_sfn::types::ExecutionRedriveFilter::NotRedriven).await;
    let listed: Vec<_> = not.executions().iter().map(|e| (e.execution_arn(), e.redrive_count())).collect();
    assert_eq!(listed, [(other.execution_arn(), Some(0))]);
    let pending = aws_sdk_sfn::types::ExecutionStatus::PendingRedrive;
    let e = l.client.list_executions().state_machine_arn(&machine).status_filter(pending).send().await.unwrap_err();
    assert_eq!(code(&e), "ValidationException");
}

/// Of a Parallel and an inline Map, a redrive runs only the branches and
/// iterations that did not succeed; the others keep their outputs.
#[tokio::test]
async fn only_the_failed_branches_and_iterations_run_again() {
    let machine = r#"{"StartAt": "Both", "States": {
      "Both": {"Type": "Parallel", "Next": "Each", "ResultPath": "$.both", "Branches": [
        {"StartAt": "Steady", "States": {"Steady": {"Type": "Pass", "Result": "steady", "End": true}}},
        {"StartAt": "Shaky", "States": {"Shaky": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "s"}, "End": true}}}]},
      "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "ResultPath": "$.each", "End": true,
        "ItemProcessor": {"StartAt": "Work", "States": {
          "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "w"}, "End": true}}}}}}"#;
    let mocks = serde_json::json!({
        "StateMachines": {"Parts": {"TestCases": {"C": {"Shaky": "FailOnce", "Work": "SecondFails"}}}},
        "MockedResponses": {
            "FailOnce": {"0": {"Throw": {"Error": "Boom", "Cause": "once"}}, "1": {"Return": "shaky"}},
            "SecondFails": {"0": {"Return": {"n": 0}}, "1": {"Throw": {"Error": "Boom", "Cause": "item 1"}},
                            "2": {"Return": {"n": 2}}, "3": {"Return": {"n": 3}}}}});
    let l = local(Config { mocks: Some(sfc_runtime::mock::MockConfig::parse(&mocks).unwrap()), ..fast() });
    let arn = create(&l.client, "Parts", machine).await;
    let s = l.client.start_execution().state_machine_arn(format!("{arn}#C")).input(r#"{"items": [1, 2, 3]}"#).send().await.unwrap();
    assert_eq!(finished(&l.client, s.execution_arn()).await.status().as_str(), "FAILED");

    // The Parallel failed on its second branch: the first does not run again.
    l.client.redrive_execution().execution_arn(s.execution_arn()).send().await.unwrap();
    assert_eq!(finished(&l.client, s.execution_arn()).await.status().as_str(), "FAILED", "now the Map fails");
    let types = event_types(&l.client, s.execution_arn()).await;
    assert_eq!(types.iter().filter(|t| *t == "PassStateEntered").count(), 1, "Steady ran once: {types:?}");

    // The Map failed on its second item: the first keeps its output.
    l.client.redrive_execution().execution_arn(s.execution_arn()).send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!(d.status().as_str(), "SUCCEEDED", "{:?}", d.cause());
    let output: serde_json::Value = serde_json::from_str(d.output().unwrap()).unwrap();
    assert_eq!(output["both"], serde_json::json!(["steady", "shaky"]));
    assert_eq!(output["each"], serde_json::json!([{"n": 0}, {"n": 2}, {"n": 3}]));
    let types = event_types(&l.client, s.execution_arn()).await;
    let work_calls = types.iter().filter(|t| *t == "TaskScheduled").count();
    assert_eq!(work_calls, 2 + 2 + 2, "Shaky twice, the Map's first two items, then items 2 and 3: {types:?}");
}
