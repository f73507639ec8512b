//! ECS runTask `.sync`.

use crate::*;
use serde_json::{json, Value};
use wiremock::matchers::header;
use wiremock::{Mock, MockServer, ResponseTemplate};

const ECS_RUN: &str = "AmazonEC2ContainerServiceV20141113.RunTask";
const ECS_DESCRIBE: &str = "AmazonEC2ContainerServiceV20141113.DescribeTasks";

fn ecs_task(status: &str, exit: Option<i32>) -> Value {
    json!({"taskArn": "arn:aws:ecs:us-east-1:1:task/c/t-1", "clusterArn": "arn:aws:ecs:us-east-1:1:cluster/c", "lastStatus": status,
        "stopCode": "EssentialContainerExited", "containers": [{"name": "preprocess", "exitCode": exit, "lastStatus": status}]})
}

async fn ecs(server: &MockServer, exit: i32) {
    Mock::given(header("x-amz-target", ECS_RUN))
        .respond_with(aws_json(json!({"tasks": [ecs_task("PROVISIONING", None)], "failures": []})))
        .mount(server)
        .await;
    target_then(server, ECS_DESCRIBE, json!({"tasks": [ecs_task("RUNNING", None)]}), json!({"tasks": [ecs_task("STOPPED", Some(exit))]}))
        .await;
}

fn ecs_params() -> Value {
    json!({"Cluster": "c", "TaskDefinition": "preprocess", "LaunchType": "FARGATE",
        "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["subnet-1"], "AssignPublicIp": "DISABLED"}},
        "Overrides": {"ContainerOverrides": [{"Name": "preprocess", "Environment": [{"Name": "K", "Value": "v"}]}]}})
}

#[tokio::test]
async fn ecs_sync_waits_for_the_task_to_stop() {
    let server = MockServer::start().await;
    ecs(&server, 0).await;
    let out = run(&server, &task("arn:aws:states:::ecs:runTask.sync", ecs_params()), json!({})).await;
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
    let output = out.output.unwrap();
    assert_eq!(output["TaskArn"], "arn:aws:ecs:us-east-1:1:task/c/t-1");
    assert_eq!(output["LastStatus"], "STOPPED");
    let requests = server.received_requests().await.unwrap();
    let sent = body(&requests[0]);
    assert_eq!(sent["startedBy"], "AWS Step Functions");
    assert_eq!(sent["networkConfiguration"]["awsvpcConfiguration"]["subnets"][0], "subnet-1");
    assert_eq!(sent["overrides"]["containerOverrides"][0]["environment"][0]["name"], "K");
}

#[tokio::test]
async fn an_ecs_task_that_exits_non_zero_fails_the_state() {
    let server = MockServer::start().await;
    ecs(&server, 137).await;
    let out = run(&server, &task("arn:aws:states:::ecs:runTask.sync", ecs_params()), json!({})).await;
    assert_eq!(out.error.as_deref(), Some("States.TaskFailed"));
    assert!(out.cause.unwrap().contains("\"ExitCode\":137"));
}

#[tokio::test]
async fn an_ecs_service_error_uses_the_aws_json_error_type() {
    let server = MockServer::start().await;
    Mock::given(header("x-amz-target", ECS_RUN))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("content-type", "application/x-amz-json-1.1")
                .set_body_json(json!({"__type": "ClusterNotFoundException", "message": "Cluster not found."})),
        )
        .mount(&server)
        .await;
    let out = run(&server, &task("arn:aws:states:::ecs:runTask.sync", ecs_params()), json!({})).await;
    assert_eq!(out.error.as_deref(), Some("ECS.ClusterNotFoundException"));
    assert!(out.cause.unwrap().starts_with("Cluster not found. (Service: AmazonECS; Status Code: 400"));
}
