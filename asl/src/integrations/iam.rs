//! What each integration needs from the execution role, as AWS documents
//! it for Step Functions ("IAM policies for integrated services"): the
//! actions of the call, what `.sync` adds to follow and stop the job, the
//! EventBridge managed rule `.sync` listens with, and the roles the call
//! passes to the service. [`crate::policy`] turns these into statements.
//!
//! Resource templates name the request members whose values narrow them:
//! `{JobQueue}` is replaced by the member's value (used whole when it is
//! already an ARN, `*` when it is computed at run time); `{TaskDefinition?rev}`
//! adds `:*` when the value names no revision; `{/Path}` is the value with
//! one leading `/` and no trailing one (parameter names); `{region}`, `{account}` and
//! `{partition}` are the deployment's. A template whose member is absent
//! is left out; with none left the statement is on `*`.

/// An integration's permissions.
pub struct Iam {
    /// The actions of the call itself.
    pub call: &'static [&'static str],
    /// What they act on.
    pub call_on: &'static [&'static str],
    /// What `.sync` adds: describing the job while it runs and stopping it
    /// when the execution stops.
    pub track: &'static [&'static str],
    pub track_on: &'static [&'static str],
    /// The EventBridge rule Step Functions manages for `.sync` (in the
    /// account, one per integration).
    pub sync_rule: Option<&'static str>,
    /// Members (dotted paths) that name IAM roles the service receives.
    pub passed_roles: &'static [&'static str],
    /// The roles the service receives that the definition cannot name (an
    /// ECS task definition's task and execution roles): the principal
    /// they are passed to, for an `iam:PassedToService` condition.
    pub unnamed_roles_for: Option<&'static str>,
}

const CLUSTER: &str = "arn:{partition}:elasticmapreduce:{region}:{account}:cluster/{ClusterId}";
const ANY_CLUSTER: &str = "arn:{partition}:elasticmapreduce:{region}:{account}:cluster/*";

pub const EMR_CREATE_CLUSTER: Iam = Iam {
    // RunJobFlow creates the cluster: there is no ARN before it exists.
    call: &["elasticmapreduce:RunJobFlow"],
    call_on: &["*"],
    track: &["elasticmapreduce:DescribeCluster", "elasticmapreduce:TerminateJobFlows"],
    track_on: &[ANY_CLUSTER],
    sync_rule: Some("StepFunctionsGetEventsForEMRRunJobFlowRule"),
    passed_roles: &["ServiceRole", "JobFlowRole", "AutoScalingRole"],
    unnamed_roles_for: None,
};

pub const EMR_ADD_STEP: Iam = Iam {
    call: &["elasticmapreduce:AddJobFlowSteps"],
    call_on: &[CLUSTER],
    track: &["elasticmapreduce:DescribeStep", "elasticmapreduce:CancelSteps"],
    track_on: &[CLUSTER],
    sync_rule: Some("StepFunctionsGetEventsForEMRAddJobFlowStepsRule"),
    passed_roles: &["ExecutionRoleArn"],
    unnamed_roles_for: None,
};

pub const EMR_TERMINATE_CLUSTER: Iam = Iam {
    call: &["elasticmapreduce:TerminateJobFlows"],
    call_on: &[CLUSTER],
    track: &["elasticmapreduce:DescribeCluster"],
    track_on: &[CLUSTER],
    sync_rule: Some("StepFunctionsGetEventsForEMRTerminateJobFlowsRule"),
    passed_roles: &[],
    unnamed_roles_for: None,
};

pub const BATCH_SUBMIT_JOB: Iam = Iam {
    call: &["batch:SubmitJob"],
    call_on: &[
        "arn:{partition}:batch:{region}:{account}:job-queue/{JobQueue}",
        "arn:{partition}:batch:{region}:{account}:job-definition/{JobDefinition?rev}",
    ],
    // A job's ID is known only once it is submitted.
    track: &["batch:DescribeJobs", "batch:TerminateJob"],
    track_on: &["*"],
    sync_rule: Some("StepFunctionsGetEventsForBatchJobsRule"),
    // The job definition's roles were passed when it was registered.
    passed_roles: &[],
    unnamed_roles_for: None,
};

pub const ECS_RUN_TASK: Iam = Iam {
    call: &["ecs:RunTask"],
    call_on: &["arn:{partition}:ecs:{region}:{account}:task-definition/{TaskDefinition?rev}"],
    // A task's ARN is known only once it runs.
    track: &["ecs:StopTask", "ecs:DescribeTasks"],
    track_on: &["*"],
    sync_rule: Some("StepFunctionsGetEventsForECSTaskRule"),
    passed_roles: &["Overrides.TaskRoleArn", "Overrides.ExecutionRoleArn"],
    unnamed_roles_for: Some("ecs-tasks.amazonaws.com"),
};

pub const LAMBDA_INVOKE: Iam = Iam {
    call: &["lambda:InvokeFunction"],
    // The function, and its versions and aliases.
    call_on: &[
        "arn:{partition}:lambda:{region}:{account}:function:{FunctionName}",
        "arn:{partition}:lambda:{region}:{account}:function:{FunctionName}:*",
    ],
    track: &[],
    track_on: &[],
    sync_rule: None,
    passed_roles: &[],
    unnamed_roles_for: None,
};

pub const SNS_PUBLISH: Iam = Iam {
    call: &["sns:Publish"],
    call_on: &["{TopicArn}", "{TargetArn}"],
    track: &[],
    track_on: &[],
    sync_rule: None,
    passed_roles: &[],
    unnamed_roles_for: None,
};

/// The resources the calls of the generic path act on, by service and
/// member (a `TableName` is a DynamoDB table); other calls are on `*`.
pub const SDK_RESOURCES: &[(&str, &str)] = &[
    ("dynamodb", "arn:{partition}:dynamodb:{region}:{account}:table/{TableName}"),
    ("sns", "{TopicArn}"),
    ("states", "{StateMachineArn}"),
    ("ssm", "arn:{partition}:ssm:{region}:{account}:parameter{/Path}"),
    ("ssm", "arn:{partition}:ssm:{region}:{account}:parameter{/Path}/*"),
    ("ssm", "arn:{partition}:ssm:{region}:{account}:parameter{/Name}"),
    ("s3", "arn:{partition}:s3:::{Bucket}"),
    ("s3", "arn:{partition}:s3:::{Bucket}/{Key}"),
    ("secretsmanager", "{SecretId}"),
];

/// Calls whose IAM action is not named after the operation.
pub const SDK_ACTION_NAMES: &[(&str, &str, &str)] = &[("s3", "listObjectsV2", "s3:ListBucket")];
