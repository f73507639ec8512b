//! `arn:aws:states:::ecs:runTask[.sync]` through aws-sdk-ecs, with the
//! request body made from the parameters (see `wire`).
//!
//! `.sync` starts the task (StartedBy "AWS Step Functions"), then polls
//! DescribeTasks until it is STOPPED. The output is the stopped task's
//! description; a container that exited non-zero, or a task that never
//! ran one, fails the state with `States.TaskFailed` and the task's
//! description as the cause.

use super::json::{list, n, obj, s, strs, time};
use super::{error::from_sdk, poll, wire, Call};
use crate::error::{names, Failure};
use aws_sdk_ecs::types::Task;
use serde_json::{json, Value};

pub(super) async fn run_task(client: &aws_sdk_ecs::Client, call: &Call<'_>) -> Result<Value, Failure> {
    let mut parameters = call.parameters.clone();
    if call.sync {
        // Step Functions starts `.sync` tasks as itself.
        parameters["StartedBy"] = json!("AWS Step Functions");
    }
    let body = wire::body(&parameters, call.integration)?;
    let request = client.run_task().customize().mutate_request(wire::replace_body(body));
    let out = request.send().await.map_err(|e| from_sdk("ECS", "AmazonECS", "RunTask", e))?;
    let failures = list(out.failures(), |f| obj! { "Arn" => s(f.arn()), "Reason" => s(f.reason()), "Detail" => s(f.detail()) });
    let started = obj! { "Tasks" => list(out.tasks(), task), "Failures" => failures };
    if !call.sync {
        return Ok(started);
    }
    let Some(first) = out.tasks().first() else {
        return Err(Failure::new(names::TASK_FAILED, started.to_string()));
    };
    (call.submitted)(started);
    let (cluster, arn) = (first.cluster_arn().unwrap_or_default(), first.task_arn().unwrap_or_default());
    let stopped = poll(call, || describe_task(client, cluster, arn)).await?;
    // A stopped task succeeded when each of its containers exited 0.
    let containers = stopped["Containers"].as_array().map(Vec::as_slice).unwrap_or_default();
    let ran = !containers.is_empty() && containers.iter().all(|c| c["ExitCode"] == 0);
    if ran {
        Ok(stopped)
    } else {
        Err(Failure::new(names::TASK_FAILED, stopped.to_string()))
    }
}

async fn describe_task(client: &aws_sdk_ecs::Client, cluster: &str, arn: &str) -> Result<(String, Value), Failure> {
    let described =
        client.describe_tasks().cluster(cluster).tasks(arn).send().await.map_err(|e| from_sdk("ECS", "AmazonECS", "DescribeTasks", e))?;
    match described.tasks().first() {
        Some(t) => Ok((t.last_status().unwrap_or("PROVISIONING").to_string(), task(t))),
        None => Err(Failure::new(names::TASK_FAILED, format!("Amazon ECS no longer knows task {arn}"))),
    }
}

/// DescribeTasks' task, in Step Functions' PascalCase.
fn task(t: &Task) -> Value {
    obj! {
        "TaskArn" => s(t.task_arn()),
        "ClusterArn" => s(t.cluster_arn()),
        "TaskDefinitionArn" => s(t.task_definition_arn()),
        "LastStatus" => s(t.last_status()),
        "DesiredStatus" => s(t.desired_status()),
        "LaunchType" => s(t.launch_type().map(|l| l.as_str())),
        "PlatformVersion" => s(t.platform_version()),
        "AvailabilityZone" => s(t.availability_zone()),
        "Cpu" => s(t.cpu()),
        "Memory" => s(t.memory()),
        "Group" => s(t.group()),
        "StartedBy" => s(t.started_by()),
        "StopCode" => s(t.stop_code().map(|c| c.as_str())),
        "StoppedReason" => s(t.stopped_reason()),
        "CreatedAt" => time(t.created_at()),
        "StartedAt" => time(t.started_at()),
        "StoppingAt" => time(t.stopping_at()),
        "StoppedAt" => time(t.stopped_at()),
        "Containers" => list(t.containers(), |c| obj! {
            "ContainerArn" => s(c.container_arn()),
            "TaskArn" => s(c.task_arn()),
            "Name" => s(c.name()),
            "Image" => s(c.image()),
            "LastStatus" => s(c.last_status()),
            "ExitCode" => n(c.exit_code()),
            "Reason" => s(c.reason()),
            "Cpu" => s(c.cpu()),
            "Memory" => s(c.memory()),
            "GpuIds" => strs(c.gpu_ids()),
        }),
        "Tags" => list(t.tags(), |tag| obj! { "Key" => s(tag.key()), "Value" => s(tag.value()) }),
    }
}
