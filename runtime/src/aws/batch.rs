//! `arn:aws:states:::batch:submitJob[.sync]` through aws-sdk-batch, with
//! the request body made from the parameters (see `wire`).
//!
//! `.sync` submits, then polls DescribeJobs until the job SUCCEEDED (the
//! output is the job's description) or FAILED (`States.TaskFailed`, the
//! description as the cause), as Step Functions does.

use super::json::{list, map, n, obj, s, strs};
use super::{error::from_sdk, poll, wire, Call};
use crate::error::{names, Failure};
use aws_sdk_batch::types::{JobDetail, KeyValuePair};
use serde_json::{json, Value};

pub(super) async fn submit_job(client: &aws_sdk_batch::Client, call: &Call<'_>) -> Result<Value, Failure> {
    let mut parameters = call.parameters.clone();
    if call.sync {
        mark_managed_by_aws(&mut parameters);
    }
    let body = wire::body(&parameters, call.integration)?;
    let out = client
        .submit_job()
        .customize()
        .mutate_request(wire::replace_body(body))
        .send()
        .await
        .map_err(|e| from_sdk("Batch", "AWSBatch", "SubmitJob", e))?;
    let submitted = obj! { "JobArn" => s(out.job_arn()), "JobName" => s(out.job_name()), "JobId" => s(out.job_id()) };
    if !call.sync {
        return Ok(submitted);
    }
    (call.submitted)(submitted);
    let job_id = out.job_id().unwrap_or_default();
    poll(call, || describe_job(client, job_id)).await
}

async fn describe_job(client: &aws_sdk_batch::Client, job_id: &str) -> Result<(String, Value), Failure> {
    let described = client.describe_jobs().jobs(job_id).send().await.map_err(|e| from_sdk("Batch", "AWSBatch", "DescribeJobs", e))?;
    let Some(job) = described.jobs().first() else {
        return Err(Failure::new(names::TASK_FAILED, format!("AWS Batch no longer knows job {job_id}")));
    };
    Ok((job.status().map_or("SUBMITTED", |s| s.as_str()).to_string(), job_detail(job)))
}

/// Step Functions marks the jobs `.sync` runs, so a job can tell: an
/// environment variable in the container overrides.
fn mark_managed_by_aws(parameters: &mut Value) {
    let Some(p) = parameters.as_object_mut() else { return };
    let overrides = p.entry("ContainerOverrides").or_insert_with(|| json!({}));
    if let Some(o) = overrides.as_object_mut() {
        let env = o.entry("Environment").or_insert_with(|| json!([]));
        if let Some(env) = env.as_array_mut() {
            env.push(json!({"Name": "MANAGED_BY_AWS", "Value": "STARTED_BY_STEP_FUNCTIONS"}));
        }
    }
}

/// DescribeJobs' job, in Step Functions' PascalCase.
fn job_detail(j: &JobDetail) -> Value {
    let key_values = |items: &[KeyValuePair]| list(items, |kv| obj! { "Name" => s(kv.name()), "Value" => s(kv.value()) });
    obj! {
        "JobArn" => s(j.job_arn()),
        "JobName" => s(j.job_name()),
        "JobId" => s(j.job_id()),
        "JobQueue" => s(j.job_queue()),
        "Status" => s(j.status().map(|x| x.as_str())),
        "StatusReason" => s(j.status_reason()),
        "ShareIdentifier" => s(j.share_identifier()),
        "SchedulingPriority" => n(j.scheduling_priority()),
        "Attempts" => list(j.attempts(), |a| obj! {
            "Container" => a.container().map(|c| obj! {
                "ContainerInstanceArn" => s(c.container_instance_arn()),
                "TaskArn" => s(c.task_arn()),
                "ExitCode" => n(c.exit_code()),
                "Reason" => s(c.reason()),
                "LogStreamName" => s(c.log_stream_name()),
            }),
            "StartedAt" => n(a.started_at()),
            "StoppedAt" => n(a.stopped_at()),
            "StatusReason" => s(a.status_reason()),
        }),
        "CreatedAt" => n(j.created_at()),
        "StartedAt" => n(j.started_at()),
        "StoppedAt" => n(j.stopped_at()),
        "RetryStrategy" => j.retry_strategy().map(|r| obj! { "Attempts" => n(r.attempts()) }),
        "DependsOn" => list(j.depends_on(), |d| obj! { "JobId" => s(d.job_id()), "Type" => s(d.r#type().map(|t| t.as_str())) }),
        "JobDefinition" => s(j.job_definition()),
        "Parameters" => map(j.parameters()),
        "Container" => j.container().map(|c| obj! {
            "Image" => s(c.image()),
            "Command" => strs(c.command()),
            "JobRoleArn" => s(c.job_role_arn()),
            "ExecutionRoleArn" => s(c.execution_role_arn()),
            "Environment" => key_values(c.environment()),
            "ResourceRequirements" => list(c.resource_requirements(), |r| obj! { "Type" => s(r.r#type().map(|t| t.as_str())), "Value" => s(r.value()) }),
            "ExitCode" => n(c.exit_code()),
            "Reason" => s(c.reason()),
            "ContainerInstanceArn" => s(c.container_instance_arn()),
            "TaskArn" => s(c.task_arn()),
            "LogStreamName" => s(c.log_stream_name()),
            "InstanceType" => s(c.instance_type()),
        }),
        "ArrayProperties" => j.array_properties().map(|a| obj! { "Size" => n(a.size()), "Index" => n(a.index()) }),
        "Timeout" => j.timeout().map(|t| obj! { "AttemptDurationSeconds" => n(t.attempt_duration_seconds()) }),
        "Tags" => map(j.tags()),
        "PropagateTags" => n(j.propagate_tags()),
        "PlatformCapabilities" => list(j.platform_capabilities(), |p| json!(p.as_str())),
    }
}
