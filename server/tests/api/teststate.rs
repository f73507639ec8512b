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
    assert_eq!((r.error(), r.cause()), (Some("Lambda.TooManyRequestsException"), Some("slow down")), "AWS names what was caught");
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

const MAP: &str = r#"{"Type": "Map", "ItemsPath": "$.values", "ToleratedFailureCount": 1,
  "ItemProcessor": {"StartAt": "Work", "States": {"Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
  "Catch": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "Next": "TooMany"},
            {"ErrorEquals": ["Boom"], "Next": "Boomed"}], "Next": "Done"}"#;

fn failures(n: i32) -> TestStateConfiguration {
    TestStateConfiguration::builder().map_iteration_failure_count(n).build()
}

#[tokio::test]
async fn a_map_stands_on_its_mock_and_its_failure_count() {
    let l = local(fast());
    let result = || MockInput::builder().result("[1, 4, 9]").build();
    let test = || l.client.test_state().definition(MAP).input(r#"{"values": [1, 2, 3]}"#).inspection_level(InspectionLevel::Debug);
    let r = test().mock(result()).state_configuration(failures(1)).send().await.unwrap();
    assert_eq!((r.status().map(|s| s.as_str()), r.next_state(), r.output()), (Some("SUCCEEDED"), Some("Done"), Some("[1,4,9]")));
    let i = r.inspection_data().unwrap();
    assert_eq!((i.after_items_path(), i.max_concurrency(), i.tolerated_failure_count()), (Some("[1,2,3]"), Some(0), Some(1)));
    // Two failed iterations pass the tolerated one: the catcher takes it.
    let r = test().mock(result()).state_configuration(failures(2)).send().await.unwrap();
    assert_eq!((r.status().map(|s| s.as_str()), r.next_state()), (Some("CAUGHT_ERROR"), Some("TooMany")));
    assert_eq!(r.error(), Some("States.ExceedToleratedFailureThreshold"));
    // An error from a state inside, caught by the Map.
    let inside = TestStateConfiguration::builder().error_caused_by_state("Work").build();
    let r = test().mock(error_mock("Boom")).state_configuration(inside).send().await.unwrap();
    assert_eq!((r.status().map(|s| s.as_str()), r.next_state()), (Some("CAUGHT_ERROR"), Some("Boomed")));
    // Refused as AWS refuses them.
    let e = test().send().await.unwrap_err();
    assert_eq!(code(&e), "InvalidDefinition");
    assert!(message(&e).contains("does not support Map or Parallel states"), "{}", message(&e));
    let e = test().mock(MockInput::builder().result(r#"{"a": 1}"#).build()).send().await.unwrap_err();
    assert_eq!((code(&e), message(&e)), ("ValidationException".to_string(), "Mocked result must be an array.".to_string()));
    let elsewhere = TestStateConfiguration::builder().error_caused_by_state("Nowhere").build();
    let e = test().mock(error_mock("Boom")).state_configuration(elsewhere).send().await.unwrap_err();
    assert!(message(&e).contains("'Nowhere'"), "{}", message(&e));
}

#[tokio::test]
async fn a_map_reads_its_item_reader_data() {
    let l = local(fast());
    let map = r#"{"Type": "Map", "ToleratedFailurePercentage": 50,
      "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                     "Parameters": {"Bucket": "b", "Key": "k.csv"}},
      "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                        "StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}}, "End": true}"#;
    let config = |n: i32| TestStateConfiguration::builder().map_item_reader_data("id\n1\n2\n3\n4\n").map_iteration_failure_count(n).build();
    let mock = || MockInput::builder().result("[1, 2, 3, 4]").build();
    let r = l.client.test_state().definition(map).mock(mock()).state_configuration(config(2)).send().await.unwrap();
    assert_eq!(r.status().map(|s| s.as_str()), Some("SUCCEEDED"), "2 of 4 is the tolerated 50 %");
    let r = l.client.test_state().definition(map).mock(mock()).state_configuration(config(3)).send().await.unwrap();
    assert_eq!((r.status().map(|s| s.as_str()), r.error()), (Some("FAILED"), Some("States.ExceedToleratedFailureThreshold")));
    let bad = TestStateConfiguration::builder().map_item_reader_data("id\n\"open").build();
    let e = l.client.test_state().definition(map).mock(mock()).state_configuration(bad).send().await.unwrap_err();
    assert!(message(&e).contains("not closed"), "{}", message(&e));
}

#[tokio::test]
async fn a_parallel_stands_on_its_mock() {
    let l = local(fast());
    let parallel = r#"{"Type": "Parallel", "ResultSelector": {"first.$": "$[0]"}, "End": true, "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
      {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}"#;
    let r = l.client.test_state().definition(parallel).mock(MockInput::builder().result(r#"["a", "b"]"#).build()).send().await.unwrap();
    assert_eq!((r.status().map(|s| s.as_str()), r.output()), (Some("SUCCEEDED"), Some(r#"{"first":"a"}"#)));
    let e = l.client.test_state().definition(parallel).mock(MockInput::builder().result(r#"["a"]"#).build()).send().await.unwrap_err();
    assert_eq!(message(&e), "Mocked result must contain the same number of items as number of Parallel branches.");
    let e = l.client.test_state().definition(r#"{"Type": "Pass", "End": true}"#).mock(error_mock("X")).send().await.unwrap_err();
    assert_eq!(message(&e), "State type 'Pass' is not supported when a mock is specified");
}

#[tokio::test]
async fn a_given_context_object_is_the_whole_of_dollar_dollar() {
    let l = local(fast());
    let task = r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "f", "Payload": {"name.$": "$$.Execution.Name", "all.$": "$$"}}, "ResultPath": null, "End": true}"#;
    let ok = || MockInput::builder().result("{}").build();
    let given = r#"{"Execution": {"Name": "given-run", "Input": {"x": 1}}, "State": {}}"#;
    let r = l.client.test_state().definition(task).mock(ok()).context(given).inspection_level(InspectionLevel::Debug).send().await.unwrap();
    assert_eq!(
        r.inspection_data().and_then(|i| i.after_parameters()),
        Some(r#"{"FunctionName":"f","Payload":{"name":"given-run","all":{"Execution":{"Name":"given-run","Input":{"x":1}},"State":{}}}}"#)
    );
    for (context, says) in [
        (r#"{"Execution": {"Id": 1}}"#, "Invalid Context object provided: Execution.Id must be a string"),
        (r#"{"Map": {}}"#, "Invalid Context object provided: 'Map' field is not supported when mocking a Context object"),
        (r#"{"Pokedex": {}}"#, "Invalid Context object provided: Field 'Pokedex' is not allowed"),
        (r#"{"Task": {"Token": "t"}}"#, "Invalid Context object provided: Context object contains 'Task' when state is not a Task state"),
    ] {
        let e = l.client.test_state().definition(task).mock(ok()).context(context).send().await.unwrap_err();
        assert!(message(&e).starts_with(says), "{context}: {}", message(&e));
    }
    let e = l.client.test_state().definition(task).context(given).send().await.unwrap_err();
    assert!(message(&e).contains("only be given with a mock"), "{}", message(&e));
}
