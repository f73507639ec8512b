//! `arn:aws:states:::elasticmapreduce:{createCluster,addStep,terminateCluster}[.sync]`
//! through aws-sdk-emr.
//!
//! `.sync` polls DescribeCluster / DescribeStep as Step Functions does:
//! createCluster until the cluster is up (WAITING or RUNNING), addStep
//! until the step COMPLETED, terminateCluster until it is TERMINATED.
//! A cluster that terminates while starting, or a step that fails, is
//! cancelled or interrupted, fails the state with `States.TaskFailed`
//! and its description as the cause.

use super::json::{obj, s, Obj};
use super::{error::from_sdk, Call};
use crate::error::{names, Failure};
use aws_sdk_emr::types::{
    ActionOnFailure, Application, AutoTerminationPolicy, BootstrapActionConfig, ComputeLimits, ComputeLimitsUnitType, Configuration,
    HadoopJarStepConfig, InstanceFleetConfig, InstanceFleetType, InstanceGroupConfig, InstanceRoleType, InstanceTypeConfig,
    JobFlowInstancesConfig, KeyValue, ManagedScalingPolicy, MarketType, ScaleDownBehavior, ScriptBootstrapActionConfig, StepConfig, Tag,
};
use serde_json::{json, Value};

const CREATE_FIELDS: &[&str] = &[
    "Name",
    "LogUri",
    "LogEncryptionKmsKeyId",
    "ReleaseLabel",
    "Applications",
    "Instances",
    "BootstrapActions",
    "Steps",
    "Configurations",
    "ServiceRole",
    "JobFlowRole",
    "AutoScalingRole",
    "VisibleToAllUsers",
    "Tags",
    "ManagedScalingPolicy",
    "SecurityConfiguration",
    "AutoTerminationPolicy",
    "EbsRootVolumeSize",
    "StepConcurrencyLevel",
    "CustomAmiId",
    "ScaleDownBehavior",
];

type SdkError<E> = aws_smithy_runtime_api::client::result::SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>;

fn err<E>(action: &'static str) -> impl Fn(SdkError<E>) -> Failure
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    move |e| from_sdk("EMR", "AmazonElasticMapReduce", action, e)
}

pub(super) async fn create_cluster(client: &aws_sdk_emr::Client, call: &Call<'_>) -> Result<Value, Failure> {
    let p = Obj::new(&call.parameters, "", CREATE_FIELDS)?;
    let request = client
        .run_job_flow()
        .name(p.req_str("Name")?)
        .set_log_uri(p.str("LogUri")?)
        .set_log_encryption_kms_key_id(p.str("LogEncryptionKmsKeyId")?)
        .set_release_label(p.str("ReleaseLabel")?)
        .set_applications(
            p.objs("Applications", &["Name", "Version", "Args"])?
                .map(|a| {
                    a.iter()
                        .map(|a| {
                            Ok(Application::builder()
                                .set_name(a.str("Name")?)
                                .set_version(a.str("Version")?)
                                .set_args(a.strs("Args")?)
                                .build())
                        })
                        .collect::<Result<Vec<_>, Failure>>()
                })
                .transpose()?,
        )
        .set_instances(p.obj("Instances", INSTANCES_FIELDS)?.map(instances).transpose()?)
        .set_bootstrap_actions(
            p.objs("BootstrapActions", &["Name", "ScriptBootstrapAction"])?
                .map(|b| b.iter().map(bootstrap_action).collect::<Result<Vec<_>, Failure>>())
                .transpose()?,
        )
        .set_steps(p.objs("Steps", STEP_FIELDS)?.map(|steps| steps.into_iter().map(step).collect::<Result<Vec<_>, Failure>>()).transpose()?)
        .set_configurations(p.objs("Configurations", CONFIGURATION_FIELDS)?.map(configurations).transpose()?)
        .set_service_role(p.str("ServiceRole")?)
        .set_job_flow_role(p.str("JobFlowRole")?)
        .set_auto_scaling_role(p.str("AutoScalingRole")?)
        .set_visible_to_all_users(p.bool("VisibleToAllUsers")?)
        .set_tags(
            p.objs("Tags", &["Key", "Value"])?
                .map(|t| {
                    t.iter()
                        .map(|t| Ok(Tag::builder().set_key(t.str("Key")?).set_value(t.str("Value")?).build()))
                        .collect::<Result<Vec<_>, Failure>>()
                })
                .transpose()?,
        )
        .set_managed_scaling_policy(p.obj("ManagedScalingPolicy", &["ComputeLimits"])?.map(scaling).transpose()?)
        .set_security_configuration(p.str("SecurityConfiguration")?)
        .set_auto_termination_policy(
            p.obj("AutoTerminationPolicy", &["IdleTimeout"])?
                .map(|a| a.long("IdleTimeout").map(|t| AutoTerminationPolicy::builder().set_idle_timeout(t).build()))
                .transpose()?,
        )
        .set_ebs_root_volume_size(p.int("EbsRootVolumeSize")?)
        .set_step_concurrency_level(p.int("StepConcurrencyLevel")?)
        .set_custom_ami_id(p.str("CustomAmiId")?)
        .set_scale_down_behavior(p.str("ScaleDownBehavior")?.map(|b| ScaleDownBehavior::from(b.as_str())));
    let out = request.send().await.map_err(err("RunJobFlow"))?;
    let created = obj! { "ClusterId" => s(out.job_flow_id()), "ClusterArn" => s(out.cluster_arn()) };
    if !call.sync {
        return Ok(created);
    }
    (call.submitted)(created.clone());
    let id = out.job_flow_id().unwrap_or_default().to_string();
    loop {
        let (state, description) = describe_cluster(client, &id).await?;
        match state.as_str() {
            "WAITING" | "RUNNING" => return Ok(created),
            "TERMINATING" | "TERMINATED" | "TERMINATED_WITH_ERRORS" => {
                return Err(Failure::new(names::TASK_FAILED, description.to_string()))
            }
            other => call.wait(other).await,
        }
    }
}

pub(super) async fn add_step(client: &aws_sdk_emr::Client, call: &Call<'_>) -> Result<Value, Failure> {
    let p = Obj::new(&call.parameters, "", &["ClusterId", "Step", "ExecutionRoleArn"])?;
    let cluster = p.req_str("ClusterId")?;
    let Some(config) = p.obj("Step", STEP_FIELDS)? else { return Err(Failure::runtime("the parameter Step is required")) };
    let out = client
        .add_job_flow_steps()
        .job_flow_id(&cluster)
        .steps(step(config)?)
        .set_execution_role_arn(p.str("ExecutionRoleArn")?)
        .send()
        .await
        .map_err(err("AddJobFlowSteps"))?;
    let step_id = out.step_ids().first().cloned().unwrap_or_default();
    let added = json!({ "StepId": step_id });
    if !call.sync {
        return Ok(added);
    }
    (call.submitted)(added.clone());
    loop {
        let described = client.describe_step().cluster_id(&cluster).step_id(&step_id).send().await.map_err(err("DescribeStep"))?;
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
        match status.and_then(|st| st.state()).map(|x| x.as_str()) {
            Some("COMPLETED") => return Ok(added),
            Some("FAILED" | "CANCELLED" | "INTERRUPTED") => return Err(Failure::new(names::TASK_FAILED, description.to_string())),
            other => call.wait(other.unwrap_or("PENDING")).await,
        }
    }
}

pub(super) async fn terminate_cluster(client: &aws_sdk_emr::Client, call: &Call<'_>) -> Result<Value, Failure> {
    let p = Obj::new(&call.parameters, "", &["ClusterId"])?;
    let id = p.req_str("ClusterId")?;
    client.terminate_job_flows().job_flow_ids(&id).send().await.map_err(err("TerminateJobFlows"))?;
    if call.sync {
        (call.submitted)(json!({}));
        loop {
            let (state, _) = describe_cluster(client, &id).await?;
            if state.starts_with("TERMINATED") {
                break;
            }
            call.wait(&state).await;
        }
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

const INSTANCES_FIELDS: &[&str] = &[
    "InstanceGroups",
    "InstanceFleets",
    "MasterInstanceType",
    "SlaveInstanceType",
    "InstanceCount",
    "KeepJobFlowAliveWhenNoSteps",
    "TerminationProtected",
    "Ec2KeyName",
    "Ec2SubnetId",
    "Ec2SubnetIds",
    "HadoopVersion",
    "EmrManagedMasterSecurityGroup",
    "EmrManagedSlaveSecurityGroup",
    "AdditionalMasterSecurityGroups",
    "AdditionalSlaveSecurityGroups",
];
const STEP_FIELDS: &[&str] = &["Name", "ActionOnFailure", "HadoopJarStep"];
const CONFIGURATION_FIELDS: &[&str] = &["Classification", "Properties", "Configurations"];

fn instances(i: Obj) -> Result<JobFlowInstancesConfig, Failure> {
    let groups = i
        .objs("InstanceGroups", &["Name", "Market", "InstanceRole", "InstanceType", "InstanceCount", "BidPrice", "Configurations"])?
        .map(|groups| {
            groups
                .into_iter()
                .map(|g| {
                    Ok(InstanceGroupConfig::builder()
                        .set_name(g.str("Name")?)
                        .set_market(g.str("Market")?.map(|m| MarketType::from(m.as_str())))
                        .set_instance_role(g.str("InstanceRole")?.map(|r| InstanceRoleType::from(r.as_str())))
                        .set_instance_type(g.str("InstanceType")?)
                        .set_instance_count(g.int("InstanceCount")?)
                        .set_bid_price(g.str("BidPrice")?)
                        .set_configurations(g.objs("Configurations", CONFIGURATION_FIELDS)?.map(configurations).transpose()?)
                        .build())
                })
                .collect::<Result<Vec<_>, Failure>>()
        });
    let fleets = i
        .objs("InstanceFleets", &["Name", "InstanceFleetType", "TargetOnDemandCapacity", "TargetSpotCapacity", "InstanceTypeConfigs"])?
        .map(|fleets| {
            fleets
                .into_iter()
                .map(|f| {
                    let types = f
                        .objs(
                            "InstanceTypeConfigs",
                            &["InstanceType", "WeightedCapacity", "BidPrice", "BidPriceAsPercentageOfOnDemandPrice", "Configurations"],
                        )?
                        .map(|types| {
                            types
                                .into_iter()
                                .map(|t| {
                                    Ok(InstanceTypeConfig::builder()
                                        .set_instance_type(t.str("InstanceType")?)
                                        .set_weighted_capacity(t.int("WeightedCapacity")?)
                                        .set_bid_price(t.str("BidPrice")?)
                                        .set_bid_price_as_percentage_of_on_demand_price(t.float("BidPriceAsPercentageOfOnDemandPrice")?)
                                        .set_configurations(
                                            t.objs("Configurations", CONFIGURATION_FIELDS)?.map(configurations).transpose()?,
                                        )
                                        .build())
                                })
                                .collect::<Result<Vec<_>, Failure>>()
                        });
                    Ok(InstanceFleetConfig::builder()
                        .set_name(f.str("Name")?)
                        .set_instance_fleet_type(f.str("InstanceFleetType")?.map(|t| InstanceFleetType::from(t.as_str())))
                        .set_target_on_demand_capacity(f.int("TargetOnDemandCapacity")?)
                        .set_target_spot_capacity(f.int("TargetSpotCapacity")?)
                        .set_instance_type_configs(types.transpose()?)
                        .build())
                })
                .collect::<Result<Vec<_>, Failure>>()
        });
    Ok(JobFlowInstancesConfig::builder()
        .set_instance_groups(groups.transpose()?)
        .set_instance_fleets(fleets.transpose()?)
        .set_master_instance_type(i.str("MasterInstanceType")?)
        .set_slave_instance_type(i.str("SlaveInstanceType")?)
        .set_instance_count(i.int("InstanceCount")?)
        .set_keep_job_flow_alive_when_no_steps(i.bool("KeepJobFlowAliveWhenNoSteps")?)
        .set_termination_protected(i.bool("TerminationProtected")?)
        .set_ec2_key_name(i.str("Ec2KeyName")?)
        .set_ec2_subnet_id(i.str("Ec2SubnetId")?)
        .set_ec2_subnet_ids(i.strs("Ec2SubnetIds")?)
        .set_hadoop_version(i.str("HadoopVersion")?)
        .set_emr_managed_master_security_group(i.str("EmrManagedMasterSecurityGroup")?)
        .set_emr_managed_slave_security_group(i.str("EmrManagedSlaveSecurityGroup")?)
        .set_additional_master_security_groups(i.strs("AdditionalMasterSecurityGroups")?)
        .set_additional_slave_security_groups(i.strs("AdditionalSlaveSecurityGroups")?)
        .build())
}

fn bootstrap_action(b: &Obj) -> Result<BootstrapActionConfig, Failure> {
    let script = b
        .obj("ScriptBootstrapAction", &["Path", "Args"])?
        .map(|s| Ok::<_, Failure>(ScriptBootstrapActionConfig::builder().set_path(s.str("Path")?).set_args(s.strs("Args")?).build()))
        .transpose()?;
    Ok(BootstrapActionConfig::builder().set_name(b.str("Name")?).set_script_bootstrap_action(script).build())
}

fn step(s: Obj) -> Result<StepConfig, Failure> {
    let jar = s.obj("HadoopJarStep", &["Jar", "MainClass", "Args", "Properties"])?.map(|j| {
        let properties = j
            .objs("Properties", &["Key", "Value"])?
            .map(|p| {
                p.iter()
                    .map(|kv| Ok(KeyValue::builder().set_key(kv.str("Key")?).set_value(kv.str("Value")?).build()))
                    .collect::<Result<Vec<_>, Failure>>()
            })
            .transpose()?;
        Ok::<_, Failure>(
            HadoopJarStepConfig::builder()
                .set_jar(j.str("Jar")?)
                .set_main_class(j.str("MainClass")?)
                .set_args(j.strs("Args")?)
                .set_properties(properties)
                .build(),
        )
    });
    Ok(StepConfig::builder()
        .set_name(s.str("Name")?)
        .set_action_on_failure(s.str("ActionOnFailure")?.map(|a| ActionOnFailure::from(a.as_str())))
        .set_hadoop_jar_step(jar.transpose()?)
        .build())
}

fn configurations(items: Vec<Obj>) -> Result<Vec<Configuration>, Failure> {
    items
        .into_iter()
        .map(|c| {
            Ok(Configuration::builder()
                .set_classification(c.str("Classification")?)
                .set_properties(c.string_map("Properties")?)
                .set_configurations(c.objs("Configurations", CONFIGURATION_FIELDS)?.map(configurations).transpose()?)
                .build())
        })
        .collect()
}

fn scaling(m: Obj) -> Result<ManagedScalingPolicy, Failure> {
    let limits = m
        .obj(
            "ComputeLimits",
            &["UnitType", "MinimumCapacityUnits", "MaximumCapacityUnits", "MaximumOnDemandCapacityUnits", "MaximumCoreCapacityUnits"],
        )?
        .map(|l| {
            Ok::<_, Failure>(
                ComputeLimits::builder()
                    .set_unit_type(l.str("UnitType")?.map(|u| ComputeLimitsUnitType::from(u.as_str())))
                    .set_minimum_capacity_units(l.int("MinimumCapacityUnits")?)
                    .set_maximum_capacity_units(l.int("MaximumCapacityUnits")?)
                    .set_maximum_on_demand_capacity_units(l.int("MaximumOnDemandCapacityUnits")?)
                    .set_maximum_core_capacity_units(l.int("MaximumCoreCapacityUnits")?)
                    .build(),
            )
        });
    Ok(ManagedScalingPolicy::builder().set_compute_limits(limits.transpose()?).build())
}
