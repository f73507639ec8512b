//! `states:startExecution` tasks whose state machine this server holds:
//! the child runs here, as Step Functions Local runs it. Request-response
//! answers with the child's ARN; `.sync` and `.sync:2` wait for its end
//! and answer with its description; `.waitForTaskToken` starts it and the
//! task waits for the token the child is given.

use crate::error::ApiError;
use crate::request::Request;
use crate::Server;
use serde_json::{json, Map, Value};
use sfc_asl::resource::Pattern;
use sfc_runtime::error::Failure;
use sfc_runtime::integration::TaskRequest;
use std::rc::Rc;
use std::time::Duration;

/// Whether the task starts an execution of a machine held here.
pub fn is_local_child(server: &Server, request: &TaskRequest) -> bool {
    let starts = matches!(
        sfc_asl::resource::Resource::parse(request.resource),
        sfc_asl::resource::Resource::Integration { service: "states", action: "startExecution", .. }
    );
    starts && request.parameters["StateMachineArn"].as_str().is_some_and(|arn| crate::machines::find(server, arn).is_ok())
}

/// An API error as the optimized integration names it (`StepFunctions.StateMachineDoesNotExistException`).
fn failure(e: ApiError) -> Failure {
    let class = if e.code.ends_with("Exception") { e.code.to_string() } else { format!("{}Exception", e.code) };
    Failure::new(
        format!("StepFunctions.{class}"),
        format!("{} (Service: AWSStepFunctions; Status Code: 400; Error Code: {}; Request ID: local; Proxy: null)", e.message, e.code),
    )
}

/// The API's answer in the Task result's shape: PascalCase, dates as text.
fn shaped(v: Value) -> Value {
    sfc_runtime::api_shapes::dates_as_text(sfc_runtime::api_shapes::recase(v, true))
}

pub async fn start(server: &Rc<Server>, request: TaskRequest<'_>, pattern: Pattern) -> Result<Value, Failure> {
    let p = &request.parameters;
    let mut body = Map::new();
    body.insert("stateMachineArn".into(), p["StateMachineArn"].clone());
    match &p["Input"] {
        Value::Null => {}
        Value::String(s) => drop(body.insert("input".into(), s.clone().into())),
        other => drop(body.insert("input".into(), other.to_string().into())),
    }
    if let Some(name) = p["Name"].as_str() {
        body.insert("name".into(), name.into());
    }
    let body = Value::Object(body);
    let started = crate::executions::start(server, &Request::new(&body).map_err(failure)?).map_err(failure)?;
    let mut result = shaped(started);
    if !pattern.is_sync() {
        result["SdkHttpMetadata"] = json!({"AllHttpHeaders": {}, "HttpHeaders": {}, "HttpStatusCode": 200});
        result["SdkResponseMetadata"] = json!({"RequestId": uuid::Uuid::new_v4().to_string()});
        return Ok(result);
    }
    (request.submitted)(result.clone());
    let arn = json!({"executionArn": result["ExecutionArn"].clone()});
    loop {
        let described = crate::executions::describe(server, &Request::new(&arn).map_err(failure)?).map_err(failure)?;
        if let Some(end) = sfc_runtime::api_shapes::child_execution_end(shaped(described), pattern == Pattern::Sync2) {
            return end;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
