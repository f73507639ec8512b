//! EMR: the fraud-detection workflow, and every createCluster member.

use crate::*;
use serde_json::{json, Value};
use wiremock::matchers::header;
use wiremock::{Mock, MockServer};

const EMR: &str = "ElasticMapReduce.";

/// The shipped fraud-detection workflow, compiled, against a stand-in
/// EMR: the cluster starts, the Spark step fails, the cluster is still
/// terminated, and the execution fails with the step's failure.
#[tokio::test]
async fn the_fraud_workflow_terminates_the_cluster_when_the_spark_step_fails() {
    let server = MockServer::start().await;
    spark_step_fails(&server).await;
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
    within_catalogue("elasticmapreduce", "addStep", out.output.as_ref().unwrap());
    let requests = server.received_requests().await.unwrap();
    assert_eq!(body(&requests[0]), parameters, "RunJobFlow's body is the parameters");
    assert_eq!(
        body(&requests[1]),
        json!({"JobFlowId": "j-1", "Steps": [{"Name": "s", "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["true"]}}]})
    );
}

/// A stand-in EMR on which the cluster starts, the Spark step fails and
/// the cluster terminates when asked.
async fn spark_step_fails(server: &MockServer) {
    let cluster = |state: &str| json!({"Cluster": {"Id": "j-ABC", "Name": "fraud-detection-dev", "Status": {"State": state}}});
    Mock::given(header("x-amz-target", format!("{EMR}RunJobFlow").as_str()))
        .respond_with(aws_json(json!({"JobFlowId": "j-ABC", "ClusterArn": "arn:aws:elasticmapreduce:us-east-1:1:cluster/j-ABC"})))
        .mount(server)
        .await;
    Mock::given(header("x-amz-target", format!("{EMR}AddJobFlowSteps").as_str()))
        .respond_with(aws_json(json!({"StepIds": ["s-1"]})))
        .mount(server)
        .await;
    target_then(server, &format!("{EMR}DescribeStep"), json!({"Step": {"Id": "s-1", "Status": {"State": "RUNNING"}}}),
        json!({"Step": {"Id": "s-1", "Name": "fraud-detection", "Status": {"State": "FAILED", "FailureDetails": {"Reason": "Spark job failed", "LogFile": "s3://logs/x"}}}})).await;
    Mock::given(header("x-amz-target", format!("{EMR}TerminateJobFlows").as_str())).respond_with(aws_json(json!({}))).mount(server).await;
    // Starting, then up; after the termination request, terminated.
    Mock::given(header("x-amz-target", format!("{EMR}DescribeCluster").as_str()))
        .respond_with(aws_json(cluster("STARTING")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(header("x-amz-target", format!("{EMR}DescribeCluster").as_str()))
        .respond_with(aws_json(cluster("WAITING")))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(server)
        .await;
    Mock::given(header("x-amz-target", format!("{EMR}DescribeCluster").as_str()))
        .respond_with(aws_json(cluster("TERMINATED")))
        .with_priority(3)
        .mount(server)
        .await;
}
