//! `sfc run --local --aws` end to end: the real binary against a wiremock
//! stand-in for ECS, with static credentials; mocked states stay mocked.

use serde_json::{json, Value};
use std::process::Output;
use wiremock::matchers::header;
use wiremock::{Mock, MockServer, ResponseTemplate};

mod support {
    pub mod stand_in;
}

fn sfc(args: &[&str], endpoint: &str) -> Output {
    support::stand_in::sfc()
        .args(args)
        .args(["--endpoint-url", endpoint, "--poll-interval", "0.01", "--region", "us-east-1"])
        .output()
        .expect("sfc runs")
}

fn ecs_task(status: &str) -> Value {
    json!({"taskArn": "arn:aws:ecs:us-east-1:1:task/c/t-9", "clusterArn": "arn:aws:ecs:us-east-1:1:cluster/c", "lastStatus": status,
        "stopCode": "EssentialContainerExited", "containers": [{"name": "preprocess", "exitCode": 0}]})
}

fn aws_json(v: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", "application/x-amz-json-1.1").set_body_string(v.to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn the_ecs_workflow_runs_against_a_stand_in_service() {
    let server = MockServer::start().await;
    Mock::given(header("x-amz-target", "AmazonEC2ContainerServiceV20141113.RunTask"))
        .respond_with(aws_json(json!({"tasks": [ecs_task("PENDING")]})))
        .mount(&server)
        .await;
    Mock::given(header("x-amz-target", "AmazonEC2ContainerServiceV20141113.DescribeTasks"))
        .respond_with(aws_json(json!({"tasks": [ecs_task("STOPPED")]})))
        .mount(&server)
        .await;
    // Its configuration, from Parameter Store.
    let parameter =
        |name: &str, value: &str| json!({"Name": format!("/ds/preprocessing/{name}"), "Type": "String", "Value": value, "Version": 1});
    let names = ["input-bucket", "output-bucket", "artifact-bucket", "input-key", "model-key"];
    Mock::given(header("x-amz-target", "AmazonSSM.GetParametersByPath"))
        .respond_with(aws_json(json!({"Parameters": names.map(|n| parameter(n, &format!("value-of-{n}")))})))
        .mount(&server)
        .await;
    let out = sfc(
        &["run", "--local", "--aws", "workflows/ecs-preprocessing.sfc", "--input", "fixtures/events/monthly-schedule.json"],
        &server.uri(),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(output["task"], json!({"TaskArn": "arn:aws:ecs:us-east-1:1:task/c/t-9", "StopCode": "EssentialContainerExited"}));
    assert!(stderr.contains("Preprocess"), "the timeline names the state: {stderr}");
    let requests = server.received_requests().await.unwrap();
    let asked: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(asked, json!({"Path": "/ds/preprocessing/", "WithDecryption": true}));
    let sent: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(sent["cluster"], "ds-processing-cluster");
    let environment = &sent["overrides"]["containerOverrides"][0]["environment"];
    assert_eq!(environment[0], json!({"name": "INPUT_BUCKET", "value": "value-of-input-bucket"}));
    assert_eq!(environment[5], json!({"name": "SCHEDULED_TIME", "value": "2026-11-15T09:00:00Z"}));
}

#[tokio::test(flavor = "multi_thread")]
async fn mocked_states_stay_mocked_and_the_rest_go_to_the_service() {
    let server = MockServer::start().await;
    let dir = std::env::temp_dir().join(format!("sfc-cli-aws-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let asl = dir.join("two.asl.json");
    std::fs::write(&asl, json!({"StartAt": "Mocked", "States": {
        "Mocked": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "ResultPath": "$.mocked", "Next": "Real"},
        "Real": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "real-fn", "Payload.$": "$"}, "ResultSelector": {"p.$": "$.Payload"}, "End": true}}}).to_string()).unwrap();
    let mocks = dir.join("mocks.json");
    std::fs::write(&mocks, json!({"StateMachines": {"two": {"TestCases": {"C": {"Mocked": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": {"from": "mock"}}}}}).to_string()).unwrap();
    Mock::given(wiremock::matchers::path("/2015-03-31/functions/real-fn/invocations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"from": "lambda"})))
        .mount(&server)
        .await;
    let out = sfc(
        &["run", "--local", "--aws", asl.to_str().unwrap(), "--mocks", mocks.to_str().unwrap(), "--case", "C", "--machine", "two"],
        &server.uri(),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let output: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(output, json!({"p": {"from": "lambda"}}));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "only the unmocked state reached the service");
    assert_eq!(serde_json::from_slice::<Value>(&requests[0].body).unwrap()["mocked"], json!({"from": "mock"}));
    let _ = std::fs::remove_dir_all(&dir);
}
