//! The AWS services Step Functions reaches, as a caller needs to know
//! them: the protocol they speak, how requests are addressed and signed,
//! how their members are cased on the wire, and how Step Functions names
//! their errors. One row per service; the `aws-sdk:<service>:<action>`
//! integrations and the optimized ones that call the same API read it.

/// How a service's API is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `POST /`, `X-Amz-Target: <target>.<Operation>`, a JSON body.
    AwsJson1_0,
    AwsJson1_1,
    /// Form-encoded `Action=<Operation>&...`, an XML answer (SNS).
    Query,
    /// REST with XML answers (S3).
    RestXml,
    /// REST with JSON bodies (EventBridge Scheduler).
    RestJson,
}

/// How the API names members that Step Functions names in PascalCase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Casing {
    Pascal,
    /// camelCase members (Step Functions' own API, CloudWatch Logs).
    Camel,
}

/// One service.
#[derive(Debug)]
pub struct Service {
    /// Its name in `aws-sdk:<name>:<action>` (`dynamodb`, `eventbridge`).
    pub name: &'static str,
    /// Its name in the optimized integrations' ARNs (`arn:aws:states:::events:putEvents`), where it has them.
    pub optimized: Option<&'static str>,
    pub protocol: Protocol,
    /// The JSON protocols' `X-Amz-Target` prefix; the Query API version.
    pub target: &'static str,
    /// SigV4's service name.
    pub signing: &'static str,
    /// The endpoint's host prefix: `https://<prefix>.<region>.amazonaws.com`.
    pub host: &'static str,
    pub casing: Casing,
    /// How `aws-sdk` integrations name its errors: `DynamoDb` in
    /// `DynamoDb.ResourceNotFoundException` and `(Service: DynamoDb, ...)`.
    pub sdk_name: &'static str,
    /// How optimized integrations name them: the error prefix and the
    /// service in the cause (`DynamoDB`, `AmazonDynamoDBv2`), and the
    /// error of a code the API does not model (`AmazonDynamoDBException`).
    pub optimized_names: Option<(&'static str, &'static str, &'static str)>,
    /// `Step Functions Local`'s variable for the service's endpoint.
    pub endpoint_variable: Option<&'static str>,
    /// One endpoint for every region (`https://iam.amazonaws.com`),
    /// signed for us-east-1.
    pub global: bool,
}

use Casing::*;
use Protocol::*;

const fn service(name: &'static str, protocol: Protocol, target: &'static str, signing: &'static str, sdk_name: &'static str) -> Service {
    Service {
        name,
        optimized: None,
        protocol,
        target,
        signing,
        host: signing,
        casing: Pascal,
        sdk_name,
        optimized_names: None,
        endpoint_variable: None,
        global: false,
    }
}

pub const SERVICES: &[Service] = &[
    Service {
        optimized: Some("dynamodb"),
        optimized_names: Some(("DynamoDB", "AmazonDynamoDBv2", "AmazonDynamoDBException")),
        endpoint_variable: Some("DYNAMODB_ENDPOINT"),
        ..service("dynamodb", AwsJson1_0, "DynamoDB_20120810", "dynamodb", "DynamoDb")
    },
    Service {
        optimized: Some("sqs"),
        optimized_names: Some(("SQS", "AmazonSQS", "AmazonSQSException")),
        endpoint_variable: Some("SQS_ENDPOINT"),
        ..service("sqs", AwsJson1_0, "AmazonSQS", "sqs", "Sqs")
    },
    Service {
        optimized: Some("events"),
        optimized_names: Some(("EventBridge", "AmazonEventBridge", "AmazonEventBridgeException")),
        endpoint_variable: Some("EVENTBRIDGE_ENDPOINT"),
        ..service("eventbridge", AwsJson1_1, "AWSEvents", "events", "EventBridge")
    },
    Service {
        optimized: Some("states"),
        casing: Camel,
        optimized_names: Some(("StepFunctions", "AWSStepFunctions", "AWSStepFunctionsException")),
        endpoint_variable: Some("STEP_FUNCTIONS_ENDPOINT"),
        ..service("sfn", AwsJson1_0, "AWSStepFunctions", "states", "Sfn")
    },
    Service {
        optimized: Some("sns"),
        optimized_names: Some(("SNS", "AmazonSNS", "AmazonSNSException")),
        endpoint_variable: Some("SNS_ENDPOINT"),
        ..service("sns", Query, "2010-03-31", "sns", "Sns")
    },
    Service {
        endpoint_variable: Some("GLUE_ENDPOINT"),
        optimized: Some("glue"),
        optimized_names: Some(("Glue", "AWSGlue", "AWSGlueException")),
        ..service("glue", AwsJson1_1, "AWSGlue", "glue", "Glue")
    },
    Service {
        endpoint_variable: Some("SAGEMAKER_ENDPOINT"),
        optimized: Some("sagemaker"),
        optimized_names: Some(("SageMaker", "AmazonSageMaker", "AmazonSageMakerException")),
        host: "api.sagemaker",
        ..service("sagemaker", AwsJson1_1, "SageMaker", "sagemaker", "SageMaker")
    },
    Service { optimized: Some("s3"), ..service("s3", RestXml, "", "s3", "S3") },
    service("kinesis", AwsJson1_1, "Kinesis_20131202", "kinesis", "Kinesis"),
    Service {
        optimized: Some("athena"),
        optimized_names: Some(("Athena", "AmazonAthena", "AmazonAthenaException")),
        ..service("athena", AwsJson1_1, "AmazonAthena", "athena", "Athena")
    },
    service("ssm", AwsJson1_1, "AmazonSSM", "ssm", "Ssm"),
    service("secretsmanager", AwsJson1_1, "secretsmanager", "secretsmanager", "SecretsManager"),
    service("kms", AwsJson1_1, "TrentService", "kms", "Kms"),
    Service { casing: Camel, ..service("cloudwatchlogs", AwsJson1_1, "Logs_20140328", "logs", "CloudWatchLogs") },
    Service {
        optimized: Some("codebuild"),
        optimized_names: Some(("CodeBuild", "AWSCodeBuild", "AWSCodeBuildException")),
        ..service("codebuild", AwsJson1_1, "CodeBuild_20161006", "codebuild", "CodeBuild")
    },
    Service { host: "api.ecr", ..service("ecr", AwsJson1_1, "AmazonEC2ContainerRegistry_V20150921", "ecr", "Ecr") },
    Service { casing: Camel, ..service("ecs", AwsJson1_1, "AmazonEC2ContainerServiceV20141113", "ecs", "Ecs") },
    Service { host: "elasticmapreduce", ..service("emr", AwsJson1_1, "ElasticMapReduce", "elasticmapreduce", "Emr") },
    // What `sfc deploy` calls besides Step Functions: the execution role,
    // the account it deploys to, triggers and alarms.
    Service { global: true, ..service("iam", Query, "2010-05-08", "iam", "Iam") },
    service("sts", Query, "2011-06-15", "sts", "Sts"),
    Service { host: "monitoring", ..service("cloudwatch", Query, "2010-08-01", "monitoring", "CloudWatch") },
    service("scheduler", RestJson, "", "scheduler", "Scheduler"),
];

/// The service of an `aws-sdk:<name>` integration.
pub fn sdk_service(name: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.name == name)
}

/// The service of an optimized integration's ARN (`events`, `states`).
pub fn optimized_service(name: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| s.optimized == Some(name))
}

/// Error codes every AWS API may return without modelling them (AWS's
/// "Common Errors", and the JSON APIs' `ValidationException`): SDK
/// clients report them as the service's base exception.
pub const COMMON_ERRORS: &[&str] = &[
    "AccessDeniedException",
    "ExpiredTokenException",
    "IncompleteSignature",
    "InternalFailure",
    "InvalidAction",
    "InvalidClientTokenId",
    "InvalidParameterCombination",
    "InvalidParameterValue",
    "InvalidQueryParameter",
    "MalformedQueryString",
    "MissingAction",
    "MissingAuthenticationToken",
    "MissingParameter",
    "NotAuthorized",
    "OptInRequired",
    "RequestExpired",
    "ServiceUnavailable",
    "ThrottlingException",
    "UnrecognizedClientException",
    "ValidationError",
    "ValidationException",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        for (i, s) in SERVICES.iter().enumerate() {
            assert!(
                SERVICES[i + 1..].iter().all(|o| o.name != s.name && (s.optimized.is_none() || o.optimized != s.optimized)),
                "{}",
                s.name
            );
        }
        assert_eq!(sdk_service("eventbridge").map(|s| s.signing), Some("events"));
        assert_eq!(optimized_service("states").map(|s| s.name), Some("sfn"));
    }
}
