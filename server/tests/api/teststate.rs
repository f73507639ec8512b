//! TestState: one state, once, with a mock, and its inspection data.

use crate::*;
use aws_sdk_sfn::types::{InspectionLevel, MockErrorOutput, MockInput, TestStateConfiguration};

#[tokio::test]
async fn a_pass_state_shows_each_step() {
    let l = local(fast());
    let state = r#"{"Type": "Pass", "InputPath": "$.order", "Parameters": {"total.$": "States.MathAdd($.a, $.b)"}, "ResultPath": "$.sum", "Next": "Ship"}"#;
    let r = l
        .client
        .test_state()
        .definition(state)
        .input(r#"{"order": {"a": 1, "b": 2}}"#)
        .inspection_level(InspectionLevel::Debug)
        .send()
        .await
        .unwrap();
    assert_eq!((r.status().map(|s| s.as_str()), r.next_state()), (Some("SUCCEEDED"), Some("Ship")));
    assert_eq!(r.output(), Some(r#"{"order":{"a":1,"b":2},"sum":{"total":3}}"#));
    let i = r.inspection_data().unwrap();
    assert_eq!(i.after_input_path(), Some(r#"{"a":1,"b":2}"#));
    assert_eq!(i.after_parameters(), Some(r#"{"total":3}"#));
    assert_eq!(i.after_result_path(), Some(r#"{"order":{"a":1,"b":2},"sum":{"total":3}}"#));
    // INFO shows no inspection data.
    let r = l.client.test_state().definition(state).input(r#"{"order": {"a": 1, "b": 2}}"#).send().await.unwrap();
    assert!(r.inspection_data().is_none());
}

const TASK: &str = r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
  "ResultSelector": {"answer.$": "$.Payload.answer"}, "ResultPath": "$.result",
  "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 2}],
  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handle"}], "Next": "Done"}"#;

fn error_mock(error: &str) -> MockInput {
    MockInput::builder().error_output(MockErrorOutput::builder().error(error).cause("slow down").build()).build()
}

#[tokio::test]
async fn a_task_answered_by_its_mock() {
    let l = local(fast());
    let ok = MockInput::builder().result(r#"{"Payload": {"answer": 42}}"#).build();
    let r = l.client.test_state().definition(TASK).input("{}").mock(ok).inspection_level(InspectionLevel::Debug).send().await.unwrap();
    assert_eq!(
        (r.status().map(|s| s.as_str()), r.next_state(), r.output()),
        (Some("SUCCEEDED"), Some("Done"), Some(r#"{"result":{"answer":42}}"#))
    );
    let i = r.inspection_data().unwrap();
    assert_eq!((i.result(), i.after_result_selector()), (Some(r#"{"Payload":{"answer":42}}"#), Some(r#"{"answer":42}"#)));

    // A throttled call its retrier would retry: RETRIABLE, with the back-off.
    let r = l
        .client
        .test_state()
        .definition(TASK)
        .mock(error_mock("Lambda.TooManyRequestsException"))
        .inspection_level(InspectionLevel::Debug)
        .send()
        .await
        .unwrap();
    assert_eq!((r.status().map(|s| s.as_str()), r.error()), (Some("RETRIABLE"), Some("Lambda.TooManyRequestsException")));
    let details = r.inspection_data().and_then(|i| i.error_details()).unwrap();
    assert_eq!((details.retry_index(), details.retry_backoff_interval_seconds()), (Some(0), Some(2)));
    // Its second retry waits 2 × 3 seconds.
    let second = TestStateConfiguration::builder().retrier_retry_count(1).build();
    let r = l
        .client
        .test_state()
        .definition(TASK)
        .mock(error_mock("Lambda.TooManyRequestsException"))
        .state_configuration(second)
        .inspection_level(InspectionLevel::Debug)
        .send()
        .await
        .unwrap();
    assert_eq!(r.inspection_data().and_then(|i| i.error_details()).and_then(|d| d.retry_backoff_interval_seconds()), Some(6));
    // Retries used up: the catcher takes it.
    let spent = TestStateConfiguration::builder().retrier_retry_count(2).build();
    let r = l
        .client
        .test_state()
        .definition(TASK)
        .mock(error_mock("Lambda.TooManyRequestsException"))
        .state_configuration(spent)
        .inspection_level(InspectionLevel::Debug)
        .send()
        .await
        .unwrap();
    assert_eq!((r.status().map(|s| s.as_str()), r.next_state()), (Some("CAUGHT_ERROR"), Some("Handle")));
    assert_eq!(r.output(), Some(r#"{"error":{"Error":"Lambda.TooManyRequestsException","Cause":"slow down"}}"#));
    assert_eq!(r.inspection_data().and_then(|i| i.error_details()).and_then(|d| d.catch_index()), Some(0));
}

#[tokio::test]
async fn a_state_of_a_whole_machine_and_its_failures() {
    let l = local(fast());
    let machine = r#"{"StartAt": "Route", "States": {
      "Route": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"}], "Default": "Small"},
      "Big": {"Type": "Succeed"}, "Small": {"Type": "Fail", "Error": "TooSmall", "Cause": "n is small"}}}"#;
    let r = l.client.test_state().definition(machine).state_name("Route").input(r#"{"n": 11}"#).send().await.unwrap();
    assert_eq!((r.status().map(|s| s.as_str()), r.next_state()), (Some("SUCCEEDED"), Some("Big")));
    let r = l.client.test_state().definition(machine).state_name("Small").send().await.unwrap();
    assert_eq!((r.status().map(|s| s.as_str()), r.error(), r.cause()), (Some("FAILED"), Some("TooSmall"), Some("n is small")));
    let e = l.client.test_state().definition(r#"{"Type": "Pass", "Bogus": 1}"#).send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidDefinition");
    let e = l.client.test_state().definition(TASK).send().await.unwrap();
    assert_eq!(e.status().map(|s| s.as_str()), Some("FAILED"), "a Task without a mock has nothing to call");
}
