//! The awsJson 1.0 and 1.1 protocols: `POST /` with the operation in
//! `X-Amz-Target` and the request as JSON; an error answers with its
//! code in `__type` (or `x-amzn-ErrorType`) and a `message`.

use super::naming::ServiceError;
use super::signed::{Reply, Signer};
use crate::error::Failure;
use serde_json::Value;
use sfc_asl::integrations::services::{Protocol, Service};

/// What a call can end in besides the service's answer.
pub enum CallError {
    /// The service answered with an error.
    Service(ServiceError),
    /// No answer: unreachable, unsigned, unreadable.
    Failed(Failure),
}

impl From<Failure> for CallError {
    fn from(f: Failure) -> Self {
        CallError::Failed(f)
    }
}

/// Calls `operation` (`PutItem`) with `request` as the API names it.
pub async fn call(signer: &Signer, service: &Service, operation: &str, request: &Value) -> Result<(Value, Reply), CallError> {
    let version = match service.protocol {
        Protocol::AwsJson1_0 => "1.0",
        Protocol::AwsJson1_1 => "1.1",
        Protocol::Query | Protocol::RestXml | Protocol::RestJson => {
            return Err(Failure::runtime(format!("{} does not speak JSON", service.name)).into())
        }
    };
    let headers =
        [("content-type", format!("application/x-amz-json-{version}")), ("x-amz-target", format!("{}.{operation}", service.target))];
    let reply = signer.post(service, "/", &headers, request.to_string().into_bytes()).await?;
    let body: Value =
        if reply.body.is_empty() { Value::Object(Default::default()) } else { serde_json::from_slice(&reply.body).unwrap_or(Value::Null) };
    if reply.status >= 300 {
        return Err(CallError::Service(service_error(&reply, &body)));
    }
    Ok((body, reply))
}

/// The error's code (`com.amazonaws.dynamodb.v20120810#ResourceNotFoundException`
/// is `ResourceNotFoundException`) and message.
pub(super) fn service_error(reply: &Reply, body: &Value) -> ServiceError {
    let raw = body["__type"]
        .as_str()
        .map(str::to_string)
        .or_else(|| reply.error_type.clone())
        .unwrap_or_else(|| format!("HTTP {}", reply.status));
    let code = raw.rsplit('#').next().unwrap_or(&raw).split(':').next().unwrap_or(&raw).to_string();
    let message = ["message", "Message", "errorMessage"].iter().find_map(|k| body[*k].as_str()).unwrap_or("").to_string();
    ServiceError { status: reply.status, code, message, request_id: reply.request_id.clone(), extended_id: None }
}
