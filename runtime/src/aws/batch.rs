//! `arn:aws:states:::batch:submitJob[.sync]` through aws-sdk-batch.
//!
//! `.sync` submits, then polls DescribeJobs until the job SUCCEEDED (the
//! output is the job's description) or FAILED (`States.TaskFailed`, the
//! description as the cause), as Step Functions does.

use super::json::{list, map, n, obj, s, strs, Obj};
use super::{error::from_sdk, Call};
use crate::error::{names, Failure};
use aws_sdk_batch::types::{
    ArrayJobDependency, ArrayProperties, ContainerOverrides, JobDependency, JobDetail, JobTimeout, KeyValuePair, ResourceRequirement,
    ResourceType, RetryStrategy,
};
use serde_json::{json, Value};

const SUBMIT_FIELDS: &[&str] = &[
    "JobName",
    "JobQueue",
    "JobDefinition",
    "ArrayProperties",
    "ContainerOverrides",
    "DependsOn",
    "Parameters",
    "RetryStrategy",
    "Timeout",
    "Tags",
    "PropagateTags",
    "ShareIdentifier",
    "SchedulingPriorityOverride",
];

pub(super) async fn submit_job(client: &aws_sdk_batch::Client, call: &Call<'_>) -> Result<Value, Failure> {
    let p = Obj::new(&call.parameters, "", SUBMIT_FIELDS)?;
    let overrides = p.obj("ContainerOverrides", &["Command", "Environment", "ResourceRequirements", "InstanceType"])?;
    let overrides = match (overrides, call.sync) {
        (Some(o), sync) => Some(container_overrides(o, sync)?),
        (None, true) => Some(ContainerOverrides::builder().set_environment(Some(vec![managed_by_aws()])).build()),
        (None, false) => None,
    };
    let depends_on = p
        .objs("DependsOn", &["JobId", "Type"])?
        .map(|items| {
            items
                .iter()
                .map(|d| {
                    Ok(JobDependency::builder()
                        .set_job_id(d.str("JobId")?)
                        .set_type(d.str("Type")?.map(|t| ArrayJobDependency::from(t.as_str())))
                        .build())
                })
                .collect::<Result<Vec<_>, Failure>>()
        })
        .transpose()?;
    let request = client
        .submit_job()
        .job_name(p.req_str("JobName")?)
        .job_queue(p.req_str("JobQueue")?)
        .job_definition(p.req_str("JobDefinition")?)
        .set_array_properties(
            p.obj("ArrayProperties", &["Size"])?
                .map(|a| a.int("Size").map(|size| ArrayProperties::builder().set_size(size).build()))
                .transpose()?,
        )
        .set_container_overrides(overrides)
        .set_depends_on(depends_on)
        .set_parameters(p.string_map("Parameters")?)
        .set_retry_strategy(
            p.obj("RetryStrategy", &["Attempts"])?
                .map(|r| r.int("Attempts").map(|a| RetryStrategy::builder().set_attempts(a).build()))
                .transpose()?,
        )
        .set_timeout(
            p.obj("Timeout", &["AttemptDurationSeconds"])?
                .map(|t| t.int("AttemptDurationSeconds").map(|d| JobTimeout::builder().set_attempt_duration_seconds(d).build()))
                .transpose()?,
        )
        .set_tags(p.string_map("Tags")?)
        .set_propagate_tags(p.bool("PropagateTags")?)
        .set_share_identifier(p.str("ShareIdentifier")?)
        .set_scheduling_priority_override(p.int("SchedulingPriorityOverride")?);
    let out = request.send().await.map_err(|e| from_sdk("Batch", "AWSBatch", "SubmitJob", e))?;
    let submitted = obj! { "JobArn" => s(out.job_arn()), "JobName" => s(out.job_name()), "JobId" => s(out.job_id()) };
    if !call.sync {
        return Ok(submitted);
    }
    (call.submitted)(submitted);
    let job_id = out.job_id().unwrap_or_default().to_string();
    loop {
        let described = client.describe_jobs().jobs(&job_id).send().await.map_err(|e| from_sdk("Batch", "AWSBatch", "DescribeJobs", e))?;
        let Some(job) = described.jobs().first() else {
            return Err(Failure::new(names::TASK_FAILED, format!("AWS Batch no longer knows job {job_id}")));
        };
        match job.status().map(|s| s.as_str()) {
            Some("SUCCEEDED") => return Ok(job_detail(job)),
            Some("FAILED") => return Err(Failure::new(names::TASK_FAILED, job_detail(job).to_string())),
            other => call.wait(other.unwrap_or("SUBMITTED")).await,
        }
    }
}

/// Step Functions marks the jobs `.sync` runs, so a job can tell.
fn managed_by_aws() -> KeyValuePair {
    KeyValuePair::builder().name("MANAGED_BY_AWS").value("STARTED_BY_STEP_FUNCTIONS").build()
}

fn container_overrides(o: Obj, sync: bool) -> Result<ContainerOverrides, Failure> {
    let mut env = o
        .objs("Environment", &["Name", "Value"])?
        .map(|items| {
            items
                .iter()
                .map(|e| Ok(KeyValuePair::builder().set_name(e.str("Name")?).set_value(e.str("Value")?).build()))
                .collect::<Result<Vec<_>, Failure>>()
        })
        .transpose()?;
    if sync {
        env.get_or_insert_with(Vec::new).push(managed_by_aws());
    }
    let resources = o.objs("ResourceRequirements", &["Type", "Value"])?.map(|items| {
        items
            .iter()
            .map(|r| {
                Ok(ResourceRequirement::builder()
                    .set_type(r.str("Type")?.map(|t| ResourceType::from(t.as_str())))
                    .set_value(r.str("Value")?)
                    .build())
            })
            .collect::<Result<Vec<_>, Failure>>()
    });
    Ok(ContainerOverrides::builder()
        .set_command(o.strs("Command")?)
        .set_environment(env)
        .set_resource_requirements(resources.transpose()?)
        .set_instance_type(o.str("InstanceType")?)
        .build())
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
