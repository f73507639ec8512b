//! How Step Functions names a service's error, as its recordings show:
//! `aws-sdk` integrations as the AWS SDK for Java 2 does
//! (`DynamoDb.ResourceNotFoundException`, `S3.NoSuchKeyException`;
//! a code the API does not model is the service's base exception,
//! `DynamoDb.DynamoDbException`), with the cause
//! `<message> (Service: DynamoDb, Status Code: 400, Request ID: <id>)`;
//! optimized integrations as the SDK 1 does (`DynamoDB.AmazonDynamoDBException`),
//! with the cause `<message> (Service: AmazonDynamoDBv2; Status Code: 400;
//! Error Code: ValidationException; Request ID: <id>; Proxy: null)`.

use crate::error::Failure;
use sfc_asl::integrations::services::{Service, COMMON_ERRORS};

/// An error a service answered with.
#[derive(Debug, Clone)]
pub struct ServiceError {
    pub status: u16,
    /// The error code (`ResourceNotFoundException`, `NotFound`).
    pub code: String,
    pub message: String,
    pub request_id: String,
    /// S3's `x-amz-id-2`, which its causes name too.
    pub extended_id: Option<String>,
}

fn exception(code: &str) -> String {
    if code.ends_with("Exception") {
        code.to_string()
    } else {
        format!("{code}Exception")
    }
}

/// The failure of an `aws-sdk:<service>` call.
pub fn sdk_failure(service: &Service, e: &ServiceError) -> Failure {
    let class = match COMMON_ERRORS.contains(&e.code.as_str()) {
        true => format!("{}Exception", service.sdk_name),
        false => exception(&e.code),
    };
    Failure::new(
        format!("{}.{class}", service.sdk_name),
        match &e.extended_id {
            None => format!("{} (Service: {}, Status Code: {}, Request ID: {})", e.message, service.sdk_name, e.status, e.request_id),
            Some(x) => format!(
                "{} (Service: {}, Status Code: {}, Request ID: {}, Extended Request ID: {x})",
                e.message, service.sdk_name, e.status, e.request_id
            ),
        },
    )
}

/// The failure of an optimized integration's call.
pub fn optimized_failure(service: &Service, e: &ServiceError) -> Failure {
    let (prefix, long_name, base) = service.optimized_names.unwrap_or((service.sdk_name, service.sdk_name, "Exception"));
    let class = match COMMON_ERRORS.contains(&e.code.as_str()) {
        true => base.to_string(),
        false => exception(&e.code),
    };
    Failure::new(
        format!("{prefix}.{class}"),
        format!(
            "{} (Service: {long_name}; Status Code: {}; Error Code: {}; Request ID: {}; Proxy: null)",
            e.message, e.status, e.code, e.request_id
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sfc_asl::integrations::services::sdk_service;

    fn error(status: u16, code: &str, message: &str) -> ServiceError {
        ServiceError { status, code: code.into(), message: message.into(), request_id: "r1".into(), extended_id: None }
    }

    /// The names and causes of AWS's recorded executions.
    #[test]
    fn names_errors_as_the_recordings_do() {
        let dynamodb = sdk_service("dynamodb").unwrap();
        let f = sdk_failure(dynamodb, &error(400, "ResourceNotFoundException", "Requested resource not found"));
        assert_eq!(f.error, "DynamoDb.ResourceNotFoundException");
        assert_eq!(f.cause.unwrap(), "Requested resource not found (Service: DynamoDb, Status Code: 400, Request ID: r1)");
        assert_eq!(sdk_failure(dynamodb, &error(400, "ValidationException", "1 validation error")).error, "DynamoDb.DynamoDbException");
        let f = optimized_failure(dynamodb, &error(400, "ValidationException", "1 validation error"));
        assert_eq!(f.error, "DynamoDB.AmazonDynamoDBException");
        assert_eq!(
            f.cause.unwrap(),
            "1 validation error (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: r1; Proxy: null)"
        );
        let sqs = sdk_service("sqs").unwrap();
        assert_eq!(optimized_failure(sqs, &error(400, "MissingParameter", "m")).error, "SQS.AmazonSQSException");
        let sns = sdk_service("sns").unwrap();
        assert_eq!(optimized_failure(sns, &error(404, "NotFound", "Topic does not exist")).error, "SNS.NotFoundException");
        let sfn = sdk_service("sfn").unwrap();
        assert_eq!(
            optimized_failure(sfn, &error(400, "StateMachineDoesNotExist", "x")).error,
            "StepFunctions.StateMachineDoesNotExistException"
        );
        assert_eq!(sdk_failure(sfn, &error(400, "InvalidToken", "Invalid Token")).error, "Sfn.InvalidTokenException");
    }
}
