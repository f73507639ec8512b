//! `arn:aws:states:::lambda:invoke` and Lambda function ARNs used as the
//! Resource, through aws-sdk-lambda.
//!
//! A function error is raised the way Step Functions raises it: the
//! error is the payload's `errorType` (`Lambda.Unknown` without one) and
//! the cause is the payload itself.

use super::json::{obj, s, Obj};
use super::{error::from_sdk, Call};
use crate::error::Failure;
use aws_sdk_lambda::operation::invoke::InvokeOutput;
use aws_sdk_lambda::operation::RequestId;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{InvocationType, LogType};
use serde_json::{json, Value};

pub(super) async fn invoke(client: &aws_sdk_lambda::Client, call: &Call<'_>) -> Result<Value, Failure> {
    super::wire::check_parameters(&call.parameters, call.integration)?;
    let p = Obj::new(&call.parameters, "")?;
    let mut request = client
        .invoke()
        .function_name(p.req_str("FunctionName")?)
        .set_invocation_type(p.str("InvocationType")?.map(|t| InvocationType::from(t.as_str())))
        .set_qualifier(p.str("Qualifier")?)
        .set_client_context(p.str("ClientContext")?)
        .set_log_type(p.str("LogType")?.map(|t| LogType::from(t.as_str())));
    if let Some(payload) = call.parameters.get("Payload") {
        request = request.payload(Blob::new(payload.to_string()));
    }
    let out = request.send().await.map_err(|e| from_sdk("Lambda", "AWSLambda", "Invoke", e))?;
    let payload = payload(&out, Cause::Reencoded)?;
    Ok(obj! {
        "ExecutedVersion" => s(out.executed_version()),
        "Payload" => Some(payload),
        "SdkHttpMetadata" => Some(json!({ "HttpStatusCode": out.status_code() })),
        "SdkResponseMetadata" => Some(json!({ "RequestId": out.request_id() })),
        "StatusCode" => Some(json!(out.status_code())),
    })
}

/// The legacy form: the state's input is the event, the output is what
/// the function returned.
pub(super) async fn invoke_legacy(client: &aws_sdk_lambda::Client, function: &str, input: Value) -> Result<Value, Failure> {
    let out = client
        .invoke()
        .function_name(function)
        .payload(Blob::new(input.to_string()))
        .send()
        .await
        .map_err(|e| from_sdk("Lambda", "AWSLambda", "Invoke", e))?;
    payload(&out, Cause::AsWritten)
}

/// How a function error's payload becomes the cause: `lambda:invoke`
/// re-encodes it as compact JSON; a function ARN used as the Resource
/// passes on the text the function's runtime wrote.
enum Cause {
    Reencoded,
    AsWritten,
}

/// The function's result as JSON (text that is not JSON stays text), or
/// its error.
fn payload(out: &InvokeOutput, cause: Cause) -> Result<Value, Failure> {
    let bytes = out.payload().map(|b| b.as_ref()).unwrap_or_default();
    let text = String::from_utf8_lossy(bytes).to_string();
    let value: Value = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text.clone())) };
    match out.function_error() {
        None => Ok(value),
        Some(_) => {
            let error = value.get("errorType").and_then(Value::as_str).unwrap_or("Lambda.Unknown").to_string();
            let cause = match (cause, &value) {
                (Cause::Reencoded, Value::Object(_)) => value.to_string(),
                _ => text,
            };
            Err(Failure::new(error, cause))
        }
    }
}
