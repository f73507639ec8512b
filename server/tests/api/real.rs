//! `--aws`: Task states no test case mocks call the service; here a
//! wiremock stand-in for Lambda at LAMBDA_ENDPOINT's place, with static
//! test credentials. Mocked states stay mocked.

use crate::*;
use sfc_server::RealCalls;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TWO_TASKS: &str = r#"{"StartAt": "Mocked", "States": {
  "Mocked": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "m"}, "ResultPath": "$.mocked", "Next": "Real"},
  "Real": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "real-fn", "Payload.$": "$"}, "OutputPath": "$.Payload", "End": true}}}"#;

#[tokio::test(flavor = "multi_thread")]
async fn unmocked_states_call_the_service_at_its_endpoint() {
    // The standard chain reads these; nothing reaches AWS or instance metadata.
    std::env::set_var("AWS_ACCESS_KEY_ID", "test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    let lambda = MockServer::start().await;
    Mock::given(path("/2015-03-31/functions/real-fn/invocations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"from": "lambda"})))
        .mount(&lambda)
        .await;
    let mocks = serde_json::json!({"StateMachines": {"Hybrid": {"TestCases": {"C": {"Mocked": "R"}}}},
        "MockedResponses": {"R": {"0": {"Return": {"from": "mock"}}}}});
    let real = RealCalls {
        settings: sfc_runtime::aws::Settings { region: Some("us-east-1".into()), ..Default::default() },
        endpoints: sfc_runtime::aws::Endpoints { lambda: Some(lambda.uri()), ..Default::default() },
        poll: Duration::from_millis(10),
    };
    let config = Config { mocks: Some(sfc_runtime::mock::MockConfig::parse(&mocks).unwrap()), aws: Some(real), ..fast() };
    let l = local(config);
    let machine = create(&l.client, "Hybrid", TWO_TASKS).await;
    let s = l.client.start_execution().state_machine_arn(format!("{machine}#C")).input("{}").send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.output()), ("SUCCEEDED", Some(r#"{"from":"lambda"}"#)), "{:?}", d.cause());
    let requests = lambda.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "only the unmocked state calls Lambda");
    let sent: serde_json::Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(sent["mocked"], serde_json::json!({"from": "mock"}));
}

// Shared with the runtime's tests, which use all of it.
#[path = "../../../runtime/tests/support/moto_server.rs"]
#[allow(dead_code)]
mod moto_server;

/// Step Functions Local's DYNAMODB_ENDPOINT: the DynamoDB integrations
/// (optimized and aws-sdk) call moto's server standing there.
#[tokio::test(flavor = "multi_thread")]
async fn dynamodb_tasks_call_the_service_at_its_endpoint() {
    let Some(moto) = moto_server::moto() else { return };
    // The standard chain reads these; nothing reaches AWS or instance metadata.
    std::env::set_var("AWS_ACCESS_KEY_ID", "test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    let machine = r#"{"StartAt": "Table", "States": {
      "Table": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:createTable", "ResultPath": null, "Next": "Put",
        "Parameters": {"TableName": "t", "BillingMode": "PAY_PER_REQUEST", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                       "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]}},
      "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "ResultPath": null, "Next": "Get",
        "Parameters": {"TableName": "t", "Item": {"id": {"S": "a"}, "n": {"N": "5"}}}},
      "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "OutputPath": "$.Item", "End": true,
        "Parameters": {"TableName": "t", "Key": {"id": {"S": "a"}}}}}}"#;
    let real = RealCalls {
        settings: sfc_runtime::aws::Settings { region: Some("us-east-1".into()), ..Default::default() },
        endpoints: sfc_runtime::aws::Endpoints { others: vec![("dynamodb", moto.url.clone())], ..Default::default() },
        poll: Duration::from_millis(10),
    };
    let l = local(Config { aws: Some(real), ..fast() });
    let arn = create(&l.client, "Items", machine).await;
    let s = l.client.start_execution().state_machine_arn(arn).input("{}").send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.output()), ("SUCCEEDED", Some(r#"{"id":{"S":"a"},"n":{"N":"5"}}"#)), "{:?}", d.cause());
}

/// `sqs:sendMessage.waitForTaskToken` with --aws: the message carrying
/// the token goes to the queue (moto's), a worker reads it and answers
/// with SendTaskSuccess, and the execution goes on with that output.
#[tokio::test(flavor = "multi_thread")]
async fn a_callback_task_sends_its_token_for_real() {
    let Some(moto) = moto_server::moto() else { return };
    std::env::set_var("AWS_ACCESS_KEY_ID", "test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "test");
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    let sqs = sfc_runtime::aws::generic::Generic::new(&sfc_runtime::aws::stand_in_config(&moto.url), Vec::new());
    let queue = sqs.sdk("sqs", "createQueue", serde_json::json!({"QueueName": "work"})).await.unwrap();
    let url = queue["QueueUrl"].as_str().unwrap().to_string();
    let machine = format!(
        r#"{{"StartAt": "Ask", "States": {{"Ask": {{"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
          "Parameters": {{"QueueUrl": "{url}", "MessageBody": {{"token.$": "$$.Task.Token", "order.$": "$.order"}}}}, "End": true}}}}}}"#
    );
    let real = RealCalls {
        settings: sfc_runtime::aws::Settings { region: Some("us-east-1".into()), ..Default::default() },
        endpoints: sfc_runtime::aws::Endpoints { others: vec![("sqs", moto.url.clone())], ..Default::default() },
        poll: Duration::from_millis(10),
    };
    let l = local(Config { aws: Some(real), ..fast() });
    let arn = create(&l.client, "Callback", &machine).await;
    let s = l.client.start_execution().state_machine_arn(arn).input(r#"{"order": 7}"#).send().await.unwrap();
    // The worker: read the message (bounded wait), answer with its token.
    let mut body = None;
    for _ in 0..100 {
        let got = sqs.sdk("sqs", "receiveMessage", serde_json::json!({"QueueUrl": url})).await.unwrap();
        if let Some(b) = got["Messages"][0]["Body"].as_str() {
            body = Some(serde_json::from_str::<serde_json::Value>(b).unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let body = body.expect("the task's message reached the queue");
    assert_eq!(body["order"], 7);
    l.client.send_task_success().task_token(body["token"].as_str().unwrap()).output(r#"{"done": true}"#).send().await.unwrap();
    let d = finished(&l.client, s.execution_arn()).await;
    assert_eq!((d.status().as_str(), d.output()), ("SUCCEEDED", Some(r#"{"done":true}"#)), "{:?}", d.cause());
}
