//! Lambda invoke, throttling, and what cannot be called.

use crate::*;
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn lambda_invoke_returns_the_payload_and_raises_function_errors() {
    let server = MockServer::start().await;
    Mock::given(path("/2015-03-31/functions/guard/invocations"))
        .and(body_partial_json(json!({"spent": 10})))
        .respond_with(ResponseTemplate::new(200).insert_header("X-Amz-Executed-Version", "$LATEST").set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    Mock::given(path("/2015-03-31/functions/broken/invocations"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Amz-Function-Error", "Unhandled")
                .set_body_json(json!({"errorMessage": "bad budget", "errorType": "ValueError"})),
        )
        .mount(&server)
        .await;
    let ok =
        run(&server, &task("arn:aws:states:::lambda:invoke", json!({"FunctionName": "guard", "Payload": {"spent": 10}})), json!({})).await;
    assert_eq!(ok.status, Status::Succeeded, "{:?}", ok.cause);
    let output = ok.output.unwrap();
    within_catalogue("lambda", "invoke", &output);
    assert_eq!(output["Payload"], json!({"ok": true}));
    assert_eq!(output["StatusCode"], 200);
    assert_eq!(output["ExecutedVersion"], "$LATEST");
    let failed = run(&server, &task("arn:aws:states:::lambda:invoke", json!({"FunctionName": "broken", "Payload": {}})), json!({})).await;
    assert_eq!(failed.error.as_deref(), Some("ValueError"));
    let cause: Value = serde_json::from_str(failed.cause.as_deref().unwrap()).unwrap();
    assert_eq!(cause["errorMessage"], "bad budget");
}

#[tokio::test]
async fn a_throttled_call_is_retried_by_the_states_retry_policy() {
    let server = MockServer::start().await;
    Mock::given(path("/2015-03-31/functions/weather/invocations"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-amzn-ErrorType", "TooManyRequestsException")
                .insert_header("x-amzn-RequestId", "r-429")
                .set_body_json(json!({"message": "Rate exceeded", "Type": "User", "Reason": "CallerRateLimitExceeded"})),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/2015-03-31/functions/weather/invocations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"temperatureC": 24.5})))
        .with_priority(2)
        .mount(&server)
        .await;
    let m = machine(json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "weather"}, "OutputPath": "$.Payload",
        "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "BackoffRate": 1, "MaxAttempts": 3}], "End": true}}}));
    // Runs talking to sockets wait in real time: two back-offs of 1 s.
    let out = run(&server, &m, json!({})).await;
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
    assert_eq!(out.output.unwrap(), json!({"temperatureC": 24.5}));
    let failures: Vec<_> =
        out.history.iter().filter(|e| e.kind == "TaskFailed").map(|e| e.to_json()["taskFailedEventDetails"]["error"].clone()).collect();
    assert_eq!(failures, vec![json!("Lambda.TooManyRequestsException"); 2]);
}

#[tokio::test]
async fn unsupported_services_and_callbacks_ask_for_a_mock() {
    let server = MockServer::start().await;
    let out = run(&server, &task("arn:aws:states:::eks:runJob", json!({"ClusterName": "c"})), json!({})).await;
    assert!(out.cause.unwrap().contains("mock this state"));
    let out = run(&server, &task("arn:aws:states:::aws-sdk:s3:deleteBucket", json!({"Bucket": "b"})), json!({})).await;
    let cause = out.cause.unwrap();
    assert!(cause.contains("not deleteBucket; mock this state"), "{cause}");
    let out = run(&server, &task("arn:aws:states:::aws-sdk:route53:listHostedZones", json!({})), json!({})).await;
    assert!(out.cause.unwrap().contains("sfc cannot call aws-sdk:route53"));
    let out = run(&server, &task("arn:aws:states:::batch:submitJob.waitForTaskToken", crate::batch::submit_params()), json!({})).await;
    assert!(out.cause.unwrap().contains("waits for a callback"));
}
