//! Typed service integrations: the Resource ARN each emits and the
//! parameters AWS requires for it.

/// One integration: the language name, the ARN it lowers to, the
/// parameters AWS requires, and the patterns it may be called with.
pub struct Integration {
    pub name: &'static str,
    pub arn: &'static str,
    pub required: &'static [&'static str],
    /// Every parameter the API takes (its request members).
    pub known: &'static [&'static str],
    pub patterns: &'static [&'static str],
}

/// EMR RunJobFlow's request members.
const EMR_RUN_JOB_FLOW: &[&str] = &[
    "Name",
    "LogUri",
    "LogEncryptionKmsKeyId",
    "AdditionalInfo",
    "AmiVersion",
    "ReleaseLabel",
    "Instances",
    "Steps",
    "BootstrapActions",
    "SupportedProducts",
    "NewSupportedProducts",
    "Applications",
    "Configurations",
    "VisibleToAllUsers",
    "JobFlowRole",
    "ServiceRole",
    "Tags",
    "SecurityConfiguration",
    "AutoScalingRole",
    "ScaleDownBehavior",
    "CustomAmiId",
    "EbsRootVolumeSize",
    "EbsRootVolumeIops",
    "EbsRootVolumeThroughput",
    "RepoUpgradeOnBoot",
    "KerberosAttributes",
    "StepConcurrencyLevel",
    "ManagedScalingPolicy",
    "PlacementGroupConfigs",
    "AutoTerminationPolicy",
    "OSReleaseLabel",
    "ExtendedSupport",
];
/// Batch SubmitJob's request members.
const BATCH_SUBMIT_JOB: &[&str] = &[
    "JobName",
    "JobQueue",
    "JobDefinition",
    "ShareIdentifier",
    "SchedulingPriorityOverride",
    "ArrayProperties",
    "DependsOn",
    "Parameters",
    "ContainerOverrides",
    "NodeOverrides",
    "RetryStrategy",
    "PropagateTags",
    "Timeout",
    "Tags",
    "EksPropertiesOverride",
    "EcsPropertiesOverride",
    "ConsumableResourcePropertiesOverride",
];
/// ECS RunTask's request members.
const ECS_RUN_TASK: &[&str] = &[
    "CapacityProviderStrategy",
    "Cluster",
    "Count",
    "EnableECSManagedTags",
    "EnableExecuteCommand",
    "Group",
    "LaunchType",
    "NetworkConfiguration",
    "Overrides",
    "PlacementConstraints",
    "PlacementStrategy",
    "PlatformVersion",
    "PropagateTags",
    "ReferenceId",
    "StartedBy",
    "Tags",
    "TaskDefinition",
    "ClientToken",
    "VolumeConfigurations",
];

pub const INTEGRATIONS: &[Integration] = &[
    Integration {
        name: "emr.createCluster",
        arn: "arn:aws:states:::elasticmapreduce:createCluster",
        required: &["Name", "ReleaseLabel", "Instances"],
        known: EMR_RUN_JOB_FLOW,
        patterns: &["sync"],
    },
    Integration {
        name: "emr.addStep",
        arn: "arn:aws:states:::elasticmapreduce:addStep",
        required: &["ClusterId", "Step"],
        known: &["ClusterId", "Step", "ExecutionRoleArn"],
        patterns: &["sync"],
    },
    Integration {
        name: "emr.terminateCluster",
        arn: "arn:aws:states:::elasticmapreduce:terminateCluster",
        required: &["ClusterId"],
        known: &["ClusterId"],
        patterns: &["sync"],
    },
    Integration {
        name: "batch.submitJob",
        arn: "arn:aws:states:::batch:submitJob",
        required: &["JobName", "JobQueue", "JobDefinition"],
        known: BATCH_SUBMIT_JOB,
        patterns: &["sync"],
    },
    Integration {
        name: "ecs.runTask",
        arn: "arn:aws:states:::ecs:runTask",
        required: &["TaskDefinition"],
        known: ECS_RUN_TASK,
        patterns: &["sync", "waitForTaskToken"],
    },
    Integration {
        name: "lambda.invoke",
        arn: "arn:aws:states:::lambda:invoke",
        required: &["FunctionName"],
        known: &["FunctionName", "Payload", "InvocationType", "LogType", "ClientContext", "Qualifier"],
        patterns: &["waitForTaskToken"],
    },
    Integration {
        name: "sns.publish",
        arn: "arn:aws:states:::sns:publish",
        required: &["Message"],
        known: &[
            "TopicArn",
            "TargetArn",
            "PhoneNumber",
            "Message",
            "Subject",
            "MessageStructure",
            "MessageAttributes",
            "MessageDeduplicationId",
            "MessageGroupId",
        ],
        patterns: &["waitForTaskToken"],
    },
];

/// Splits `batch.submitJob.sync` into the integration and its pattern.
pub fn lookup(text: &str) -> Result<(&'static Integration, Option<&'static str>), String> {
    let (base, pattern) = match text.rsplit_once('.') {
        Some((b, p)) if p == "sync" || p == "waitForTaskToken" => (b, Some(p)),
        _ => (text, None),
    };
    let Some(i) = INTEGRATIONS.iter().find(|i| i.name == base) else {
        let known: Vec<&str> = INTEGRATIONS.iter().map(|i| i.name).collect();
        return Err(format!("unknown integration `{base}`; known: {} (or aws-sdk:service:action, or a quoted ARN)", known.join(", ")));
    };
    match pattern {
        None => Ok((i, None)),
        Some(p) => match i.patterns.iter().find(|q| **q == p) {
            Some(q) => Ok((i, Some(q))),
            None => Err(format!(
                "`{}` has no .{p} form; it takes {}",
                i.name,
                if i.patterns.is_empty() {
                    "none".to_string()
                } else {
                    i.patterns.iter().map(|p| format!(".{p}")).collect::<Vec<_>>().join(" or ")
                }
            )),
        },
    }
}

/// The Resource ARN of an integration with an optional pattern.
pub fn arn(i: &Integration, pattern: Option<&str>) -> String {
    match pattern {
        Some(p) => format!("{}.{p}", i.arn),
        None => i.arn.to_string(),
    }
}
