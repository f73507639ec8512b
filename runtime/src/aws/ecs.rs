//! `arn:aws:states:::ecs:runTask[.sync]` through aws-sdk-ecs.
//!
//! `.sync` starts the task (StartedBy "AWS Step Functions"), then polls
//! DescribeTasks until it is STOPPED. The output is the stopped task's
//! description; a container that exited non-zero, or a task that never
//! ran one, fails the state with `States.TaskFailed` and the task's
//! description as the cause.

use super::json::{list, n, obj, s, strs, time, Obj};
use super::{error::from_sdk, Call};
use crate::error::{names, Failure};
use aws_sdk_ecs::types::{
    AssignPublicIp, AwsVpcConfiguration, CapacityProviderStrategyItem, ContainerOverride, KeyValuePair, LaunchType, NetworkConfiguration,
    PlacementConstraint, PlacementConstraintType, PlacementStrategy, PlacementStrategyType, PropagateTags, Tag, Task, TaskOverride,
};
use serde_json::Value;

const RUN_FIELDS: &[&str] = &[
    "Cluster",
    "TaskDefinition",
    "LaunchType",
    "Count",
    "Group",
    "StartedBy",
    "PlatformVersion",
    "PropagateTags",
    "EnableExecuteCommand",
    "EnableECSManagedTags",
    "NetworkConfiguration",
    "Overrides",
    "Tags",
    "CapacityProviderStrategy",
    "PlacementConstraints",
    "PlacementStrategy",
    "ReferenceId",
];

fn bad(e: impl std::fmt::Display) -> Failure {
    Failure::runtime(e.to_string())
}

pub(super) async fn run_task(client: &aws_sdk_ecs::Client, call: &Call<'_>) -> Result<Value, Failure> {
    let p = Obj::new(&call.parameters, "", RUN_FIELDS)?;
    let started_by = if call.sync { Some("AWS Step Functions".to_string()) } else { p.str("StartedBy")? };
    let request = client
        .run_task()
        .task_definition(p.req_str("TaskDefinition")?)
        .set_cluster(p.str("Cluster")?)
        .set_launch_type(p.str("LaunchType")?.map(|t| LaunchType::from(t.as_str())))
        .set_count(p.int("Count")?)
        .set_group(p.str("Group")?)
        .set_started_by(started_by)
        .set_platform_version(p.str("PlatformVersion")?)
        .set_propagate_tags(p.str("PropagateTags")?.map(|t| PropagateTags::from(t.as_str())))
        .set_enable_execute_command(p.bool("EnableExecuteCommand")?)
        .set_enable_ecs_managed_tags(p.bool("EnableECSManagedTags")?)
        .set_network_configuration(p.obj("NetworkConfiguration", &["AwsvpcConfiguration"])?.map(network).transpose()?)
        .set_overrides(
            p.obj("Overrides", &["ContainerOverrides", "Cpu", "Memory", "TaskRoleArn", "ExecutionRoleArn"])?.map(overrides).transpose()?,
        )
        .set_tags(
            p.objs("Tags", &["Key", "Value"])?
                .map(|t| {
                    t.iter()
                        .map(|t| Ok(Tag::builder().set_key(t.str("Key")?).set_value(t.str("Value")?).build()))
                        .collect::<Result<Vec<_>, Failure>>()
                })
                .transpose()?,
        )
        .set_capacity_provider_strategy(
            p.objs("CapacityProviderStrategy", &["CapacityProvider", "Weight", "Base"])?
                .map(|items| {
                    items
                        .iter()
                        .map(|c| {
                            CapacityProviderStrategyItem::builder()
                                .set_capacity_provider(c.str("CapacityProvider")?)
                                .set_weight(c.int("Weight")?)
                                .set_base(c.int("Base")?)
                                .build()
                                .map_err(bad)
                        })
                        .collect::<Result<Vec<_>, Failure>>()
                })
                .transpose()?,
        )
        .set_placement_constraints(
            p.objs("PlacementConstraints", &["Type", "Expression"])?
                .map(|items| {
                    items
                        .iter()
                        .map(|c| {
                            Ok(PlacementConstraint::builder()
                                .set_type(c.str("Type")?.map(|t| PlacementConstraintType::from(t.as_str())))
                                .set_expression(c.str("Expression")?)
                                .build())
                        })
                        .collect::<Result<Vec<_>, Failure>>()
                })
                .transpose()?,
        )
        .set_placement_strategy(
            p.objs("PlacementStrategy", &["Type", "Field"])?
                .map(|items| {
                    items
                        .iter()
                        .map(|c| {
                            Ok(PlacementStrategy::builder()
                                .set_type(c.str("Type")?.map(|t| PlacementStrategyType::from(t.as_str())))
                                .set_field(c.str("Field")?)
                                .build())
                        })
                        .collect::<Result<Vec<_>, Failure>>()
                })
                .transpose()?,
        )
        .set_reference_id(p.str("ReferenceId")?);
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
    let (cluster, arn) = (first.cluster_arn().unwrap_or_default().to_string(), first.task_arn().unwrap_or_default().to_string());
    loop {
        let described = client
            .describe_tasks()
            .cluster(&cluster)
            .tasks(&arn)
            .send()
            .await
            .map_err(|e| from_sdk("ECS", "AmazonECS", "DescribeTasks", e))?;
        match described.tasks().first() {
            Some(t) if t.last_status() == Some("STOPPED") => {
                let ran = !t.containers().is_empty() && t.containers().iter().all(|c| c.exit_code() == Some(0));
                return if ran { Ok(task(t)) } else { Err(Failure::new(names::TASK_FAILED, task(t).to_string())) };
            }
            Some(t) => call.wait(t.last_status().unwrap_or("PROVISIONING")).await,
            None => return Err(Failure::new(names::TASK_FAILED, format!("Amazon ECS no longer knows task {arn}"))),
        }
    }
}

fn network(n: Obj) -> Result<NetworkConfiguration, Failure> {
    let vpc = n.obj("AwsvpcConfiguration", &["Subnets", "SecurityGroups", "AssignPublicIp"])?;
    let vpc = vpc
        .map(|v| {
            AwsVpcConfiguration::builder()
                .set_subnets(v.strs("Subnets")?)
                .set_security_groups(v.strs("SecurityGroups")?)
                .set_assign_public_ip(v.str("AssignPublicIp")?.map(|a| AssignPublicIp::from(a.as_str())))
                .build()
                .map_err(bad)
        })
        .transpose()?;
    Ok(NetworkConfiguration::builder().set_awsvpc_configuration(vpc).build())
}

fn overrides(o: Obj) -> Result<TaskOverride, Failure> {
    let containers =
        o.objs("ContainerOverrides", &["Name", "Command", "Environment", "Cpu", "Memory", "MemoryReservation"])?.map(|items| {
            items
                .iter()
                .map(|c| {
                    let env = c
                        .objs("Environment", &["Name", "Value"])?
                        .map(|e| {
                            e.iter()
                                .map(|kv| Ok(KeyValuePair::builder().set_name(kv.str("Name")?).set_value(kv.str("Value")?).build()))
                                .collect::<Result<Vec<_>, Failure>>()
                        })
                        .transpose()?;
                    Ok(ContainerOverride::builder()
                        .set_name(c.str("Name")?)
                        .set_command(c.strs("Command")?)
                        .set_environment(env)
                        .set_cpu(c.int("Cpu")?)
                        .set_memory(c.int("Memory")?)
                        .set_memory_reservation(c.int("MemoryReservation")?)
                        .build())
                })
                .collect::<Result<Vec<_>, Failure>>()
        });
    Ok(TaskOverride::builder()
        .set_container_overrides(containers.transpose()?)
        .set_cpu(o.str("Cpu")?)
        .set_memory(o.str("Memory")?)
        .set_task_role_arn(o.str("TaskRoleArn")?)
        .set_execution_role_arn(o.str("ExecutionRoleArn")?)
        .build())
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
