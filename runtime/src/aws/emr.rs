//! `arn:aws:states:::elasticmapreduce:{createCluster,addStep,terminateCluster}[.sync]`
//! through aws-sdk-emr, with the request body made from the parameters
//! (every RunJobFlow member passes; see `wire`).
//!
//! `.sync` polls DescribeCluster / DescribeStep as Step Functions does,
//! until the statuses the integration catalogue names: createCluster until
//! the cluster is up (WAITING or RUNNING), addStep until the step
//! COMPLETED, terminateCluster until it is TERMINATED. A cluster that
//! terminates while starting, or a step that fails, is cancelled or
//! interrupted, fails the state with `States.TaskFailed` and its
//! description as the cause.

use super::json::{obj, s};
use super::{error::from_sdk, poll, wire, Call};
use crate::error::Failure;
use serde_json::{json, Value};

type SdkError<E> = aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>;

fn err<E>(action: &'static str) -> impl Fn(SdkError<E>) -> Failure
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    move |e| from_sdk("EMR", "AmazonElasticMapReduce", action, e)
}

pub(super) async fn create_cluster(client: &aws_sdk_emr::Client, call: &Call<'_>) -> Result<Value, Failure> {
    let body = wire::body(&call.parameters, call.integration)?;
    let name = call.parameters["Name"].as_str().unwrap_or_default();
    let out =
        client.run_job_flow().name(name).customize().mutate_request(wire::replace_body(body)).send().await.map_err(err("RunJobFlow"))?;
    let created = obj! { "ClusterId" => s(out.job_flow_id()), "ClusterArn" => s(out.cluster_arn()) };
    if !call.sync {
        return Ok(created);
    }
    (call.submitted)(created.clone());
    let id = out.job_flow_id().unwrap_or_default();
    poll(call, || describe_cluster(client, id)).await?;
    Ok(created)
}

pub(super) async fn add_step(client: &aws_sdk_emr::Client, call: &Call<'_>) -> Result<Value, Failure> {
    let body = wire::body(&call.parameters, call.integration)?;
    let cluster = call.parameters["ClusterId"].as_str().unwrap_or_default();
    let out = client
        .add_job_flow_steps()
        .job_flow_id(cluster)
        .customize()
        .mutate_request(wire::replace_body(wire_steps(body)?))
        .send()
        .await
        .map_err(err("AddJobFlowSteps"))?;
    let step_id = out.step_ids().first().cloned().unwrap_or_default();
    let added = json!({ "StepId": step_id });
    if !call.sync {
        return Ok(added);
    }
    (call.submitted)(added.clone());
    poll(call, || describe_step(client, cluster, &step_id)).await?;
    Ok(added)
}

/// addStep's parameters name a `ClusterId` and one `Step`; AddJobFlowSteps
/// takes a `JobFlowId` and a list of `Steps`.
fn wire_steps(body: Vec<u8>) -> Result<Vec<u8>, Failure> {
    let request: serde_json::Map<String, Value> = serde_json::from_slice(&body).map_err(|e| Failure::runtime(e.to_string()))?;
    let renamed: serde_json::Map<String, Value> = request
        .into_iter()
        .map(|(k, v)| match k.as_str() {
            "ClusterId" => ("JobFlowId".to_string(), v),
            "Step" => ("Steps".to_string(), json!([v])),
            _ => (k, v),
        })
        .collect();
    Ok(Value::Object(renamed).to_string().into_bytes())
}

pub(super) async fn terminate_cluster(client: &aws_sdk_emr::Client, call: &Call<'_>) -> Result<Value, Failure> {
    wire::body(&call.parameters, call.integration)?;
    let id = call.parameters["ClusterId"].as_str().unwrap_or_default();
    client.terminate_job_flows().job_flow_ids(id).send().await.map_err(err("TerminateJobFlows"))?;
    if call.sync {
        (call.submitted)(json!({}));
        poll(call, || describe_cluster(client, id)).await?;
    }
    Ok(json!({}))
}

/// The cluster's state and a description of it for a failure's cause.
async fn describe_cluster(client: &aws_sdk_emr::Client, id: &str) -> Result<(String, Value), Failure> {
    let out = client.describe_cluster().cluster_id(id).send().await.map_err(err("DescribeCluster"))?;
    let cluster = out.cluster();
    let status = cluster.and_then(|c| c.status());
    let state = status.and_then(|st| st.state()).map(|x| x.as_str().to_string()).unwrap_or_default();
    let description = obj! {
        "Id" => s(cluster.and_then(|c| c.id())),
        "Name" => s(cluster.and_then(|c| c.name())),
        "Status" => status.map(|st| obj! {
            "State" => s(st.state().map(|x| x.as_str())),
            "StateChangeReason" => st.state_change_reason().map(|r| obj! { "Code" => s(r.code().map(|c| c.as_str())), "Message" => s(r.message()) }),
        }),
    };
    Ok((state, description))
}

/// The step's state and a description of it for a failure's cause.
async fn describe_step(client: &aws_sdk_emr::Client, cluster: &str, step_id: &str) -> Result<(String, Value), Failure> {
    let described = client.describe_step().cluster_id(cluster).step_id(step_id).send().await.map_err(err("DescribeStep"))?;
    let step = described.step();
    let status = step.and_then(|s| s.status());
    let description = obj! {
        "Id" => s(step.and_then(|s| s.id())),
        "Name" => s(step.and_then(|s| s.name())),
        "Status" => status.map(|st| obj! {
            "State" => s(st.state().map(|x| x.as_str())),
            "StateChangeReason" => st.state_change_reason().map(|r| obj! { "Code" => s(r.code().map(|c| c.as_str())), "Message" => s(r.message()) }),
            "FailureDetails" => st.failure_details().map(|f| obj! { "Reason" => s(f.reason()), "Message" => s(f.message()), "LogFile" => s(f.log_file()) }),
        }),
    };
    let state = status.and_then(|st| st.state()).map_or("PENDING", |x| x.as_str()).to_string();
    Ok((state, description))
}
