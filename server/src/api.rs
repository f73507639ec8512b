//! One function per operation, found by the operation's name.

use crate::error::{ApiError, ApiResult};
use crate::request::Request;
use crate::{activities, callbacks, events, executions, machines, map_runs, redrive, tags, teststate, validation, versions, Server};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::rc::Rc;

pub async fn dispatch(server: &Rc<Server>, operation: &str, body: &Value) -> ApiResult<Value> {
    let req = Request::new(body)?;
    match operation {
        "CreateStateMachine" => machines::create(server, &req),
        "DescribeStateMachine" => machines::describe(server, &req),
        "UpdateStateMachine" => machines::update(server, &req),
        "DeleteStateMachine" => machines::delete(server, &req),
        "ListStateMachines" => machines::list(server, &req),
        "StartExecution" => executions::start(server, &req),
        "StartSyncExecution" => executions::start_sync(server, &req).await,
        "DescribeExecution" => executions::describe(server, &req),
        "DescribeStateMachineForExecution" => executions::describe_machine(server, &req),
        "StopExecution" => executions::stop(server, &req),
        "RedriveExecution" => redrive::redrive(server, &req),
        "ListExecutions" => executions::list(server, &req),
        "ListMapRuns" => map_runs::list(server, &req),
        "DescribeMapRun" => map_runs::describe(server, &req),
        "UpdateMapRun" => map_runs::update(server, &req),
        "GetExecutionHistory" => events::history(server, &req),
        "SendTaskSuccess" => callbacks::success(server, &req),
        "SendTaskFailure" => callbacks::failure(server, &req),
        "SendTaskHeartbeat" => callbacks::heartbeat(server, &req),
        "CreateActivity" => activities::create(server, &req),
        "DescribeActivity" => activities::describe(server, &req),
        "DeleteActivity" => activities::delete(server, &req),
        "ListActivities" => activities::list(server, &req),
        "GetActivityTask" => activities::get_task(server, &req).await,
        "TagResource" => tags::tag(server, &req),
        "UntagResource" => tags::untag(server, &req),
        "ListTagsForResource" => tags::list(server, &req),
        "ValidateStateMachineDefinition" => validation::validate(&req),
        "TestState" => teststate::test(server, &req),
        "PublishStateMachineVersion" => versions::publish(server, &req),
        "ListStateMachineVersions" => versions::list_versions(server, &req),
        "DeleteStateMachineVersion" => versions::delete_version(server, &req),
        "CreateStateMachineAlias" => versions::create_alias(server, &req),
        "DescribeStateMachineAlias" => versions::describe_alias(server, &req),
        "UpdateStateMachineAlias" => versions::update_alias(server, &req),
        "DeleteStateMachineAlias" => versions::delete_alias(server, &req),
        "ListStateMachineAliases" => versions::list_aliases(server, &req),
        other => Err(ApiError::new("UnknownOperationException", format!("sfc serve does not know the operation {other}"))),
    }
}

/// A timestamp as the API gives them: epoch seconds, milliseconds as the fraction.
pub fn epoch(t: DateTime<Utc>) -> Value {
    sfc_runtime::clock::epoch_seconds(t)
}
