//! The real-service backend against in-process wiremock servers that
//! speak each service's protocol: Batch restJson (`/v1/...`), ECS and EMR
//! awsJson1.1 (`x-amz-target`), Lambda restJson. Nothing talks to AWS.

use serde_json::{json, Value};
use sfc_asl::StateMachine;
use sfc_runtime::aws::{stand_in_config, Aws};
use sfc_runtime::clock::RealClock;
use sfc_runtime::{run_with_clock, Outcome, RunOptions, Status};
use std::time::Duration;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn machine(v: Value) -> StateMachine {
    serde_json::from_value(v).unwrap()
}

fn task(resource: &str, parameters: Value) -> StateMachine {
    machine(json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource, "Parameters": parameters, "End": true}}}))
}

async fn run(server: &MockServer, m: &StateMachine, input: Value) -> Outcome {
    let aws = Aws::new(&stand_in_config(&server.uri()), Duration::from_millis(5));
    run_with_clock(m, input, &aws, &RealClock, &RunOptions { real_time: true, ..RunOptions::default() }).await
}

fn aws_json(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("content-type", "application/x-amz-json-1.1").set_body_string(body.to_string())
}

/// Answers `target` with `first` once, then with `then` for ever.
async fn target_then(server: &MockServer, target: &str, first: Value, then: Value) {
    Mock::given(header("x-amz-target", target)).respond_with(aws_json(first)).up_to_n_times(1).with_priority(1).mount(server).await;
    Mock::given(header("x-amz-target", target)).respond_with(aws_json(then)).with_priority(2).mount(server).await;
}

/// Answers with each body in turn, then the last one for ever: a job
/// whose status moves on at every poll.
struct Sequence {
    bodies: Vec<Value>,
    next: std::sync::atomic::AtomicUsize,
}

impl wiremock::Respond for Sequence {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let i = self.next.fetch_add(1, std::sync::atomic::Ordering::SeqCst).min(self.bodies.len() - 1);
        ResponseTemplate::new(200).set_body_json(self.bodies[i].clone())
    }
}

fn body(r: &Request) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

async fn batch_job(server: &MockServer, final_status: &str) {
    Mock::given(method("POST"))
        .and(path("/v1/submitjob"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"jobArn": "arn:aws:batch:us-east-1:1:job/j-1", "jobName": "extract", "jobId": "j-1"})),
        )
        .mount(server)
        .await;
    let job = |status: &str| {
        json!({"jobs": [{"jobName": "extract", "jobId": "j-1", "jobQueue": "q", "status": status, "startedAt": 1_700_000_000_000i64,
        "jobDefinition": "def:1", "createdAt": 1_699_999_999_000i64,
        "container": {"exitCode": if status == "FAILED" { 1 } else { 0 }, "logStreamName": "def/default/abc"},
        "attempts": [{"container": {"exitCode": 0}, "statusReason": "Essential container in task exited"}]}]})
    };
    let statuses = ["SUBMITTED", "RUNNABLE", "RUNNING", final_status];
    let sequence = Sequence { bodies: statuses.iter().map(|s| job(s)).collect(), next: Default::default() };
    Mock::given(path("/v1/describejobs")).respond_with(sequence).mount(server).await;
}

const SUBMIT: &str = "arn:aws:states:::batch:submitJob.sync";

fn submit_params() -> Value {
    json!({"JobName": "extract", "JobQueue": "q", "JobDefinition": "def", "Parameters": {"run_date": "2026-11-01"},
        "ContainerOverrides": {"Command": ["python", "x.py"], "ResourceRequirements": [{"Type": "VCPU", "Value": "2"}]}})
}

#[tokio::test]
async fn batch_sync_submits_polls_and_returns_the_job_description() {
    let server = MockServer::start().await;
    batch_job(&server, "SUCCEEDED").await;
    let out = run(&server, &task(SUBMIT, submit_params()), json!({})).await;
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
    let output = out.output.unwrap();
    assert_eq!(output["JobId"], "j-1");
    assert_eq!(output["Status"], "SUCCEEDED");
    assert_eq!(output["Container"]["LogStreamName"], "def/default/abc");
    assert_eq!(output["CreatedAt"], 1_699_999_999_000i64);
    // The submit call is recorded as TaskSubmitted, as AWS records it.
    let submitted = out.history.iter().find(|e| e.kind == "TaskSubmitted").expect("a TaskSubmitted event");
    assert!(submitted.to_json().to_string().contains("j-1"));
    let requests = server.received_requests().await.unwrap();
    let submit = requests.iter().find(|r| r.url.path() == "/v1/submitjob").unwrap();
    let sent = body(submit);
    assert_eq!(sent["jobQueue"], "q");
    assert_eq!(sent["parameters"]["run_date"], "2026-11-01");
    assert_eq!(sent["containerOverrides"]["resourceRequirements"][0]["type"], "VCPU");
    assert!(sent["containerOverrides"]["environment"].to_string().contains("STARTED_BY_STEP_FUNCTIONS"));
    // SUBMITTED → RUNNABLE → RUNNING → SUCCEEDED: four polls, no more.
    assert_eq!(requests.iter().filter(|r| r.url.path() == "/v1/describejobs").count(), 4, "polled until the job ended");
}

#[tokio::test]
async fn a_failed_batch_job_is_states_task_failed_with_the_job_as_cause() {
    let server = MockServer::start().await;
    batch_job(&server, "FAILED").await;
    let out = run(&server, &task(SUBMIT, submit_params()), json!({})).await;
    assert_eq!(out.status, Status::Failed);
    assert_eq!(out.error.as_deref(), Some("States.TaskFailed"));
    let cause: Value = serde_json::from_str(out.cause.as_deref().unwrap()).unwrap();
    assert_eq!(cause["Status"], "FAILED");
    assert_eq!(cause["Container"]["ExitCode"], 1);
}

#[tokio::test]
async fn a_batch_service_error_is_named_after_the_service_and_can_be_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/submitjob"))
        .respond_with(
            ResponseTemplate::new(400)
                .insert_header("x-amzn-ErrorType", "ClientException")
                .insert_header("x-amzn-RequestId", "req-1")
                .set_body_json(json!({"message": "JobQueue q not found"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let m = task(SUBMIT, submit_params());
    let out = run(&server, &m, json!({})).await;
    assert_eq!(out.error.as_deref(), Some("Batch.ClientException"));
    let cause = out.cause.unwrap();
    assert!(
        cause.starts_with("JobQueue q not found (Service: AWSBatch; Status Code: 400; Error Code: ClientException; Request ID: req-1"),
        "{cause}"
    );

    // The second attempt reaches a healthy queue.
    batch_job(&server, "SUCCEEDED").await;
    let retried = machine(json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": SUBMIT, "Parameters": submit_params(),
        "Retry": [{"ErrorEquals": ["Batch.ClientException"], "IntervalSeconds": 1, "MaxAttempts": 1}], "End": true}}}));
    server.reset().await;
    Mock::given(path("/v1/submitjob"))
        .respond_with(
            ResponseTemplate::new(400).insert_header("x-amzn-ErrorType", "ClientException").set_body_json(json!({"message": "busy"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    batch_job(&server, "SUCCEEDED").await;
    let out = run(&server, &retried, json!({})).await;
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
}

#[tokio::test]
async fn parameters_sfc_does_not_pass_on_are_named() {
    let server = MockServer::start().await;
    let mut p = submit_params();
    p["ContainerOverrides"]["Comand"] = json!(["typo"]);
    let out = run(&server, &task(SUBMIT, p), json!({})).await;
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    let cause = out.cause.unwrap();
    assert!(cause.contains("Task state 'T'") && cause.contains("ContainerOverrides.Comand"), "{cause}");
    assert!(server.received_requests().await.unwrap().is_empty(), "nothing was sent");
}

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
    let out = run(&server, &task("arn:aws:states:::sqs:sendMessage", json!({"QueueUrl": "q", "MessageBody": "m"})), json!({})).await;
    assert!(out.cause.unwrap().contains("mock this state"));
    let out = run(&server, &task("arn:aws:states:::batch:submitJob.waitForTaskToken", submit_params()), json!({})).await;
    assert!(out.cause.unwrap().contains("waits for a callback"));
}

const EMR: &str = "ElasticMapReduce.";

/// The shipped fraud-detection workflow, compiled, against a stand-in
/// EMR: the cluster starts, the Spark step fails, the cluster is still
/// terminated, and the execution fails with the step's failure.
#[tokio::test]
async fn the_fraud_workflow_terminates_the_cluster_when_the_spark_step_fails() {
    let server = MockServer::start().await;
    let cluster = |state: &str| json!({"Cluster": {"Id": "j-ABC", "Name": "fraud-detection-dev", "Status": {"State": state}}});
    Mock::given(header("x-amz-target", format!("{EMR}RunJobFlow").as_str()))
        .respond_with(aws_json(json!({"JobFlowId": "j-ABC", "ClusterArn": "arn:aws:elasticmapreduce:us-east-1:1:cluster/j-ABC"})))
        .mount(&server)
        .await;
    Mock::given(header("x-amz-target", format!("{EMR}AddJobFlowSteps").as_str()))
        .respond_with(aws_json(json!({"StepIds": ["s-1"]})))
        .mount(&server)
        .await;
    target_then(&server, &format!("{EMR}DescribeStep"), json!({"Step": {"Id": "s-1", "Status": {"State": "RUNNING"}}}),
        json!({"Step": {"Id": "s-1", "Name": "fraud-detection", "Status": {"State": "FAILED", "FailureDetails": {"Reason": "Spark job failed", "LogFile": "s3://logs/x"}}}})).await;
    Mock::given(header("x-amz-target", format!("{EMR}TerminateJobFlows").as_str())).respond_with(aws_json(json!({}))).mount(&server).await;
    // Starting, then up; after the termination request, terminated.
    Mock::given(header("x-amz-target", format!("{EMR}DescribeCluster").as_str()))
        .respond_with(aws_json(cluster("STARTING")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(header("x-amz-target", format!("{EMR}DescribeCluster").as_str()))
        .respond_with(aws_json(cluster("WAITING")))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(header("x-amz-target", format!("{EMR}DescribeCluster").as_str()))
        .respond_with(aws_json(cluster("TERMINATED")))
        .with_priority(3)
        .mount(&server)
        .await;

    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let asl: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("fixtures/workflows/fraud-detection.asl.json")).unwrap()).unwrap();
    let event: Value = serde_json::from_str(&std::fs::read_to_string(root.join("fixtures/events/claim-uploaded.json")).unwrap()).unwrap();
    let out = run(&server, &machine(asl), event).await;

    assert_eq!(out.status, Status::Failed);
    assert_eq!(out.error.as_deref(), Some("States.TaskFailed"));
    assert!(out.cause.unwrap().contains("Spark job failed"));
    let targets: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter_map(|r| r.headers.get("x-amz-target").and_then(|v| v.to_str().ok()).map(|t| t.trim_start_matches(EMR).to_string()))
        .collect();
    assert_eq!(targets.first().map(String::as_str), Some("RunJobFlow"));
    assert!(targets.contains(&"TerminateJobFlows".to_string()), "the cluster is terminated: {targets:?}");
    let run_job_flow = body(&server.received_requests().await.unwrap()[0]);
    assert_eq!(run_job_flow["ReleaseLabel"], "emr-7.5.0");
    assert_eq!(run_job_flow["Instances"]["InstanceFleets"][1]["InstanceTypeConfigs"][1]["BidPriceAsPercentageOfOnDemandPrice"], 50.0);
    let add_step = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.headers.get("x-amz-target").is_some_and(|t| t == "ElasticMapReduce.AddJobFlowSteps"))
        .unwrap();
    let args = body(&add_step)["Steps"][0]["HadoopJarStep"]["Args"].clone();
    assert!(args.to_string().contains("s3://"), "the claim's S3 URI is passed to spark-submit: {args}");
}

/// The statuses a running job goes through are reported at every poll
/// (the CLI shows them on a terminal).
#[tokio::test]
async fn progress_reports_each_status_of_a_running_job() {
    let server = MockServer::start().await;
    batch_job(&server, "SUCCEEDED").await;
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = seen.clone();
    let aws = Aws::new(&stand_in_config(&server.uri()), Duration::from_millis(5))
        .with_progress(Box::new(move |state: &str, status: &str| sink.borrow_mut().push(format!("{state}: {status}"))));
    let out = run_with_clock(
        &task(SUBMIT, submit_params()),
        json!({}),
        &aws,
        &RealClock,
        &RunOptions { real_time: true, ..RunOptions::default() },
    )
    .await;
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(*seen.borrow(), vec!["T: SUBMITTED", "T: RUNNABLE", "T: RUNNING"]);
}

/// Every RunJobFlow member the language's typed `emr.createCluster` takes
/// reaches EMR as written (eleven of them once compiled and then failed
/// under --aws); addStep's `ClusterId` and `Step` become AddJobFlowSteps'
/// `JobFlowId` and `Steps`.
#[tokio::test]
async fn every_create_cluster_member_reaches_emr() {
    let server = MockServer::start().await;
    Mock::given(header("x-amz-target", format!("{EMR}RunJobFlow").as_str()))
        .respond_with(aws_json(json!({"JobFlowId": "j-1", "ClusterArn": "arn:aws:elasticmapreduce:us-east-1:1:cluster/j-1"})))
        .mount(&server)
        .await;
    Mock::given(header("x-amz-target", format!("{EMR}AddJobFlowSteps").as_str()))
        .respond_with(aws_json(json!({"StepIds": ["s-1"]})))
        .mount(&server)
        .await;
    let parameters = json!({"Name": "c", "ReleaseLabel": "emr-7.5.0", "Instances": {"InstanceCount": 1, "Placement": {"AvailabilityZone": "us-east-1a"}},
        "AdditionalInfo": "{}", "AmiVersion": "3.11.0", "SupportedProducts": ["mapr-m3"], "NewSupportedProducts": [{"Name": "mapr-m5", "Args": ["a"]}],
        "KerberosAttributes": {"Realm": "EC2.INTERNAL", "KdcAdminPassword": "x"}, "EbsRootVolumeIops": 3000, "EbsRootVolumeThroughput": 125,
        "RepoUpgradeOnBoot": "SECURITY", "PlacementGroupConfigs": [{"InstanceRole": "MASTER", "PlacementStrategy": "SPREAD"}],
        "OSReleaseLabel": "2.0.20240709.1", "ExtendedSupport": false});
    let m = machine(json!({"StartAt": "C", "States": {
        "C": {"Type": "Task", "Resource": "arn:aws:states:::elasticmapreduce:createCluster", "Parameters": parameters, "ResultPath": "$.cluster", "Next": "S"},
        "S": {"Type": "Task", "Resource": "arn:aws:states:::elasticmapreduce:addStep",
              "Parameters": {"ClusterId.$": "$.cluster.ClusterId", "Step": {"Name": "s", "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["true"]}}}, "End": true}}}));
    let out = run(&server, &m, json!({})).await;
    assert_eq!(out.status, Status::Succeeded, "{:?}", out.cause);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(body(&requests[0]), parameters, "RunJobFlow's body is the parameters");
    assert_eq!(
        body(&requests[1]),
        json!({"JobFlowId": "j-1", "Steps": [{"Name": "s", "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["true"]}}]})
    );
}
