//! The generic caller (`aws-sdk:*` and the optimized DynamoDB, SQS, SNS,
//! EventBridge and Step Functions integrations) against moto's server, an
//! AWS stand-in started on a free loopback port and stopped afterwards.
//! `SFC_MOTO_SERVER` names its `moto_server` program (.ci/run installs it
//! into a temporary virtualenv); without it these tests say so and pass,
//! unless `SFC_REQUIRE_MOTO=1` (CI), where a missing server fails them.

use serde_json::{json, Value};
use sfc_runtime::aws::generic::Generic;
use sfc_runtime::aws::{stand_in_config, Aws};
use sfc_runtime::clock::RealClock;
use sfc_runtime::{run_with_clock, RunOptions, Status};
use std::time::Duration;

#[path = "../support/moto_server.rs"]
mod moto_server;
use moto_server::{moto, Moto};

fn generic(moto: &Moto) -> Generic {
    Generic::new(&stand_in_config(&moto.url), Vec::new())
}

#[tokio::test]
async fn dynamodb_through_aws_sdk_and_the_optimized_integration() {
    let Some(moto) = moto() else { return };
    let g = generic(&moto);
    let table = json!({
        "TableName": "orders",
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST"
    });
    let created = g.sdk("dynamodb", "createTable", table).await.unwrap();
    assert_eq!(created["TableDescription"]["TableName"], "orders");
    let item = json!({"TableName": "orders", "Item": {"id": {"S": "o1"}, "total": {"N": "42"}}});
    let put = g.optimized("dynamodb", "putItem", item).await.unwrap();
    assert_eq!(put["SdkHttpMetadata"]["HttpStatusCode"], 200, "{put}");
    assert!(put["SdkResponseMetadata"]["RequestId"].is_string(), "{put}");
    let key = json!({"TableName": "orders", "Key": {"id": {"S": "o1"}}});
    let got = g.optimized("dynamodb", "getItem", key.clone()).await.unwrap();
    assert_eq!(got["Item"]["total"], json!({"N": "42"}));
    let sdk_got = g.sdk("dynamodb", "getItem", key).await.unwrap();
    assert_eq!(sdk_got, json!({"Item": {"id": {"S": "o1"}, "total": {"N": "42"}}}), "aws-sdk results carry no SDK metadata");

    let missing = json!({"TableName": "nope", "Key": {"id": {"S": "o1"}}});
    let e = g.optimized("dynamodb", "getItem", missing.clone()).await.unwrap_err();
    assert_eq!(e.error, "DynamoDB.ResourceNotFoundException");
    assert!(
        e.cause.as_deref().unwrap().contains("(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException;"),
        "{e:?}"
    );
    let e = g.sdk("dynamodb", "getItem", missing).await.unwrap_err();
    assert_eq!(e.error, "DynamoDb.ResourceNotFoundException");
    assert!(e.cause.as_deref().unwrap().contains("(Service: DynamoDb, Status Code: 400, Request ID: "), "{e:?}");
}

#[tokio::test]
async fn sqs_eventbridge_and_sns() {
    let Some(moto) = moto() else { return };
    let g = generic(&moto);
    let queue = g.sdk("sqs", "createQueue", json!({"QueueName": "jobs"})).await.unwrap();
    let url = queue["QueueUrl"].as_str().unwrap().to_string();
    let sent = g.optimized("sqs", "sendMessage", json!({"QueueUrl": url, "MessageBody": {"job": 7}})).await.unwrap();
    assert!(sent["MessageId"].is_string() && sent["MD5OfMessageBody"].is_string(), "{sent}");
    let received = g.sdk("sqs", "receiveMessage", json!({"QueueUrl": url})).await.unwrap();
    assert_eq!(received["Messages"][0]["Body"], r#"{"job":7}"#, "an object body is sent as its JSON text");

    let entry = json!({"Source": "sfc.test", "DetailType": "Order", "Detail": {"id": "o1"}, "EventBusName": "default"});
    let put = g.optimized("events", "putEvents", json!({"Entries": [entry]})).await.unwrap();
    assert_eq!(put["FailedEntryCount"], 0, "{put}");
    assert!(put.get("SdkHttpMetadata").is_none(), "EventBridge's integration adds no SDK metadata");

    let topic = g.sdk("sns", "createTopic", json!({"Name": "alerts"})).await.unwrap();
    let arn = topic["TopicArn"].as_str().unwrap().to_string();
    let published = g.optimized("sns", "publish", json!({"TopicArn": arn, "Message": {"a": 1}, "Subject": "s"})).await.unwrap();
    assert!(published["MessageId"].is_string() && published["SdkHttpMetadata"]["HttpStatusCode"] == 200, "{published}");
    let e =
        g.optimized("sns", "publish", json!({"TopicArn": "arn:aws:sns:us-east-1:123456789012:none", "Message": "m"})).await.unwrap_err();
    assert_eq!(e.error, "SNS.NotFoundException", "{e:?}");
}

#[tokio::test]
async fn step_functions_names_its_members_in_camel_case_on_the_wire() {
    let Some(moto) = moto() else { return };
    let g = generic(&moto);
    let definition = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}).to_string();
    let created = g
        .sdk("sfn", "createStateMachine", json!({"Name": "child", "Definition": definition, "RoleArn": "arn:aws:iam::123456789012:role/r"}))
        .await
        .unwrap();
    let machine = created["StateMachineArn"].as_str().unwrap().to_string();
    assert!(created["CreationDate"].as_str().is_some_and(|d| d.ends_with('Z')), "dates as text: {created}");
    let started = g.optimized("states", "startExecution", json!({"StateMachineArn": machine, "Input": {"x": 1}})).await.unwrap();
    let execution = started["ExecutionArn"].as_str().unwrap().to_string();
    assert!(started["StartDate"].is_string(), "{started}");
    let described = g.sdk("sfn", "describeExecution", json!({"ExecutionArn": execution})).await.unwrap();
    assert_eq!(described["Input"], r#"{"x":1}"#, "{described}");
    let e = g.optimized("states", "startExecution", json!({"StateMachineArn": format!("{machine}-gone")})).await.unwrap_err();
    assert_eq!(e.error, "StepFunctions.StateMachineDoesNotExistException", "{e:?}");
}

/// A machine whose Tasks go to moto: every call through the backend the
/// CLI's `--aws` and the API server use.
#[tokio::test]
async fn a_machine_runs_its_tasks_on_the_stand_in() {
    let Some(moto) = moto() else { return };
    let table = json!({
        "TableName": "runs", "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]
    });
    let machine: sfc_asl::StateMachine = serde_json::from_value(json!({
        "StartAt": "Table",
        "States": {
            "Table": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:createTable", "Parameters": table, "ResultPath": null, "Next": "Put"},
            "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                    "Parameters": {"TableName": "runs", "Item": {"id": {"S.$": "$.id"}}}, "ResultPath": null, "Next": "Get"},
            "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                    "Parameters": {"TableName": "runs", "Key": {"id": {"S.$": "$.id"}}}, "ResultSelector": {"found.$": "$.Item.id.S"}, "Next": "Missing"},
            "Missing": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:getItem",
                        "Parameters": {"TableName": "absent", "Key": {"id": {"S": "x"}}},
                        "Catch": [{"ErrorEquals": ["DynamoDb.ResourceNotFoundException"], "ResultPath": "$.error", "Next": "Done"}], "End": true},
            "Done": {"Type": "Succeed"}
        }
    }))
    .unwrap();
    let aws = Aws::new(&stand_in_config(&moto.url), Duration::from_millis(5));
    let out =
        run_with_clock(&machine, json!({"id": "r1"}), &aws, &RealClock, &RunOptions { real_time: true, ..RunOptions::default() }).await;
    assert_eq!(out.status, Status::Succeeded, "{:?} {:?}", out.error, out.cause);
    let output: Value = out.output.unwrap();
    assert_eq!(output["found"], "r1");
    assert_eq!(output["error"]["Error"], "DynamoDb.ResourceNotFoundException");
}

/// S3 through its REST protocol: objects put, got and listed, errors named
/// as AWS names them, and a Distributed Map reading from and writing to it.
#[tokio::test]
async fn s3_objects_and_a_distributed_map_over_them() {
    let Some(moto) = moto() else { return };
    let g = generic(&moto);
    g.s3("createBucket", json!({"Bucket": "data"})).await.unwrap();
    g.s3("putObject", json!({"Bucket": "data", "Key": "in/rows.csv", "Body": "id,v\n1,a\n2,b\n3,c\n"})).await.unwrap();
    let got = g.s3("getObject", json!({"Bucket": "data", "Key": "in/rows.csv"})).await.unwrap();
    assert_eq!(got["Body"], "id,v\n1,a\n2,b\n3,c\n");
    let listed = g.s3("listObjectsV2", json!({"Bucket": "data", "Prefix": "in/"})).await.unwrap();
    assert_eq!(listed["Contents"][0]["Key"], "in/rows.csv");
    assert_eq!(listed["Contents"][0]["Size"], 17);
    let e = g.s3("getObject", json!({"Bucket": "data", "Key": "none"})).await.unwrap_err();
    assert_eq!(e.error, "S3.NoSuchKeyException");
    assert!(e.cause.as_deref().unwrap().contains("(Service: S3, Status Code: 404, Request ID: "), "{e:?}");

    let machine: sfc_asl::StateMachine = serde_json::from_value(json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                       "Parameters": {"Bucket": "data", "Key": "in/rows.csv"}},
        "ItemBatcher": {"MaxItemsPerBatch": 2},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "data", "Prefix": "out"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "P",
                          "States": {"P": {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength($.Items)"}, "End": true}}}}}}))
    .unwrap();
    let aws = Aws::new(&stand_in_config(&moto.url), Duration::from_millis(5));
    let out = run_with_clock(&machine, json!({}), &aws, &RealClock, &RunOptions { real_time: true, ..RunOptions::default() }).await;
    assert_eq!(out.status, Status::Succeeded, "{:?} {:?}", out.error, out.cause);
    let key = out.output.unwrap()["ResultWriterDetails"]["Key"].as_str().unwrap().to_string();
    let manifest = g.s3("getObject", json!({"Bucket": "data", "Key": key})).await.unwrap();
    let manifest: Value = serde_json::from_str(manifest["Body"].as_str().unwrap()).unwrap();
    let results = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"].as_str().unwrap().to_string();
    let results = g.s3("getObject", json!({"Bucket": "data", "Key": results})).await.unwrap();
    let results: Value = serde_json::from_str(results["Body"].as_str().unwrap()).unwrap();
    let outputs: Vec<&str> = results.as_array().unwrap().iter().map(|r| r["Output"].as_str().unwrap()).collect();
    assert_eq!(outputs, [r#"{"n":2}"#, r#"{"n":1}"#]);
}

/// `states:startExecution.sync:2` against moto's Step Functions, which runs
/// the child: started, described until it ends, its output taken as JSON.
#[tokio::test]
async fn a_nested_execution_runs_to_its_end() {
    let Some(moto) = moto() else { return };
    moto.configure(r#"{"stepfunctions": {"execute_state_machine": true}}"#);
    let g = generic(&moto);
    let child = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"got.$": "$.a"}, "End": true}}}).to_string();
    let created = g
        .sdk("sfn", "createStateMachine", json!({"Name": "nested", "Definition": child, "RoleArn": "arn:aws:iam::123456789012:role/r"}))
        .await
        .unwrap();
    let machine: sfc_asl::StateMachine = serde_json::from_value(json!({"StartAt": "Run", "States": {"Run": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": created["StateMachineArn"], "Input": {"a": 7}}, "OutputPath": "$.Output",
        "TimeoutSeconds": 30, "End": true}}}))
    .unwrap();
    let aws = Aws::new(&stand_in_config(&moto.url), Duration::from_millis(20));
    let out = run_with_clock(&machine, json!({}), &aws, &RealClock, &RunOptions { real_time: true, ..RunOptions::default() }).await;
    assert_eq!(out.status, Status::Succeeded, "{:?} {:?}", out.error, out.cause);
    assert_eq!(out.output.unwrap(), json!({"got": 7}));
}
