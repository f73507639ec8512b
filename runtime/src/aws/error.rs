//! AWS errors as Step Functions reports them to a workflow.

use crate::error::Failure;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// A service's own error (a 4xx/5xx answer) becomes `<Prefix>.<Code>`
/// (`Batch.ClientException`, `Lambda.ResourceNotFoundException`) with
/// Step Functions' cause text; a call that never got an answer (no
/// credentials, no network) is an error of this run, named as such.
pub(crate) fn from_sdk<E>(prefix: &str, service: &str, action: &str, e: SdkError<E, HttpResponse>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let Some(response) = e.raw_response() else {
        return Failure::runtime(unanswered(service, action, &e));
    };
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).map(str::to_string);
    let request_id = header("x-amzn-RequestId").or_else(|| header("x-amz-request-id")).unwrap_or_else(|| "null".into());
    let code = e.code().unwrap_or("UnknownError").to_string();
    let message = e.message().unwrap_or("").to_string();
    let cause = format!("{message} (Service: {service}; Status Code: {status}; Error Code: {code}; Request ID: {request_id}; Proxy: null)");
    Failure::new(format!("{prefix}.{code}"), cause)
}

/// How a credentials error of an assumed role begins (see `identity`).
pub(crate) const ASSUMING: &str = "cannot assume the role";

/// An error's chain of messages, each once, joined by colons.
pub(crate) fn messages(e: &(dyn std::error::Error + 'static)) -> String {
    let mut messages: Vec<String> = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        let m = err.to_string();
        if !messages.iter().any(|seen| seen.contains(&m)) {
            messages.push(m);
        }
        next = err.source();
    }
    messages.join(": ")
}

/// One sentence for a call that got no answer: the error's chain of
/// messages, and what to check.
fn unanswered(service: &str, action: &str, e: &(dyn std::error::Error + 'static)) -> String {
    let text = messages(e);
    let hint = if text.contains(ASSUMING) {
        "; sfc's own identity must be allowed sts:AssumeRole on that role (the role's trust policy and your permissions)"
    } else if text.contains("credentials") {
        "; give sfc AWS credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or aws configure)"
    } else {
        "; check the network, the region and --endpoint-url"
    };
    format!("could not call {service} {action}: {text}{hint}")
}
