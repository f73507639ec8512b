//! `states:startExecution.sync` and `.sync:2` on a stand-in Step Functions
//! (awsJson1.0): the child is started, described until it ends, and its
//! description is the task's result (Input and Output as JSON with `:2`).

use crate::*;
use serde_json::json;
use wiremock::matchers::header;
use wiremock::{Mock, MockServer};

async fn child(server: &MockServer, end: Value) {
    Mock::given(header("x-amz-target", "AWSStepFunctions.StartExecution"))
        .respond_with(aws_json(json!({"executionArn": "arn:aws:states:us-east-1:123456789012:execution:child:e1", "startDate": 1.7e9})))
        .mount(server)
        .await;
    let running =
        json!({"executionArn": "arn:aws:states:us-east-1:123456789012:execution:child:e1", "status": "RUNNING", "input": "{\"a\":1}"});
    target_then(server, "AWSStepFunctions.DescribeExecution", running, end).await;
}

fn start(pattern: &str) -> StateMachine {
    task(
        &format!("arn:aws:states:::states:startExecution{pattern}"),
        json!({"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child", "Input": {"a": 1}}),
    )
}

#[tokio::test]
async fn a_child_execution_is_followed_to_its_end() {
    let server = MockServer::start().await;
    let done = json!({"executionArn": "arn:aws:states:us-east-1:123456789012:execution:child:e1", "status": "SUCCEEDED",
        "input": "{\"a\":1}", "output": "{\"b\":2}", "startDate": 1.7e9, "stopDate": 1.7e9});
    child(&server, done).await;
    let out = run(&server, &start(".sync:2"), json!({})).await;
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
    let output = out.output.unwrap();
    assert_eq!((output["Status"].as_str(), &output["Output"], &output["Input"]), (Some("SUCCEEDED"), &json!({"b": 2}), &json!({"a": 1})));
    assert!(output["StopDate"].as_str().is_some_and(|d| d.ends_with('Z')), "{output}");
    let sent = body(&server.received_requests().await.unwrap()[0]);
    assert_eq!(sent["input"], "{\"a\":1}", "the Input goes as its JSON text, in the API's camelCase");
    assert!(out.history.iter().any(|e| e.kind.as_str() == "TaskSubmitted"));

    let server = MockServer::start().await;
    child(&server, json!({"status": "SUCCEEDED", "output": "{\"b\":2}"})).await;
    let out = run(&server, &start(".sync"), json!({})).await;
    assert_eq!(out.output.unwrap()["Output"], "{\"b\":2}", ".sync keeps the output's text");

    let server = MockServer::start().await;
    child(&server, json!({"status": "FAILED", "error": "Boom", "cause": "child broke"})).await;
    let out = run(&server, &start(".sync"), json!({})).await;
    assert_eq!(out.error.as_deref(), Some("States.TaskFailed"));
    assert!(out.cause.unwrap().contains("child broke"));
}
