//! TestState: one state run once, its Task answered by the request's mock,
//! with what it made of its data at each step (`inspectionData`).

use crate::error::{ApiError, ApiResult};
use crate::request::Request;
use crate::Server;
use serde_json::{json, Map, Value};
use sfc_runtime::error::{Failure, Origin};
use sfc_runtime::teststate::{test_state, Mock, Test};
use std::rc::Rc;

fn json_member(req: &Request, name: &str, default: Value) -> ApiResult<Value> {
    match req.opt_string(name)? {
        None => Ok(default),
        Some(text) => serde_json::from_str(text).map_err(|e| ApiError::validation(format!("'{name}' is not JSON: {e}"))),
    }
}

fn invalid(e: impl std::fmt::Display) -> ApiError {
    ApiError::new("InvalidDefinition", format!("Invalid State Machine Definition: '{e}'"))
}

/// The state to test: the definition is the state itself, or (with
/// `stateName`) a whole machine, validated, whose state of that name is tested.
fn state_of(req: &Request) -> ApiResult<(String, sfc_asl::State, sfc_asl::QueryLanguage)> {
    let definition = req.string("definition")?;
    match req.opt_string("stateName")? {
        Some(name) => {
            let machine = crate::machines::prepare(definition)?;
            let state = machine
                .machine
                .states
                .get(name)
                .cloned()
                .ok_or_else(|| ApiError::validation(format!("the machine has no state named {name}")))?;
            Ok((name.to_string(), state, machine.machine.query_language.unwrap_or(sfc_asl::QueryLanguage::JSONPath)))
        }
        None => {
            let state: sfc_asl::State = serde_json::from_str(definition).map_err(invalid)?;
            Ok(("TestState".to_string(), state, sfc_asl::QueryLanguage::JSONPath))
        }
    }
}

fn mock(req: &Request) -> ApiResult<Option<Mock>> {
    let Some(m) = req.opt_object("mock")? else { return Ok(None) };
    let m = Request::new(m)?;
    if m.has("result") && m.has("errorOutput") {
        return Err(ApiError::validation("A test mock should have only one of the following fields: [result, errorOutput]."));
    }
    if let Some(result) = m.opt_string("result")? {
        let v = serde_json::from_str(result).map_err(|e| ApiError::validation(format!("the mock result is not JSON: {e}")))?;
        return Ok(Some(Mock::Result(v)));
    }
    match m.opt_object("errorOutput")? {
        Some(e) => {
            let e = Request::new(e)?;
            let error = e.opt_string("error")?.unwrap_or_default().to_string();
            let cause = e.opt_string("cause")?.map(str::to_string);
            Ok(Some(Mock::Error(Failure { error, cause, origin: Origin::Service })))
        }
        None => Err(ApiError::validation("a mock gives a result or an errorOutput")),
    }
}

pub fn test(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let (name, state, lang) = state_of(req)?;
    let input = json_member(req, "input", json!({}))?;
    let variables = match json_member(req, "variables", json!({}))? {
        Value::Object(m) => m,
        _ => return Err(ApiError::validation("'variables' must be a JSON object")),
    };
    let context = match req.opt_string("context")? {
        None => None,
        Some(text) => Some(serde_json::from_str(text).map_err(|e| ApiError::validation(format!("Invalid Context object provided: {e}")))?),
    };
    let mock = mock(req)?;
    if mock.is_some() && req.opt_bool("revealSecrets")? == Some(true) {
        return Err(ApiError::validation("TestState does not support RevealSecrets when a mock is specified."));
    }
    let mut t = Test { input, variables, mock, lang, context, ..Test::new(&name, state) };
    if let Some(c) = req.opt_object("stateConfiguration")? {
        let c = Request::new(c)?;
        t.retry_count = c.opt_int("retrierRetryCount", 0, i64::from(u32::MAX))?.unwrap_or(0) as u64;
        t.iteration_failures = c.opt_int("mapIterationFailureCount", 0, i64::from(u32::MAX))?.map(|n| n as u64);
        t.error_caused_by = c.opt_string("errorCausedByState")?.map(str::to_string);
        t.reader_data = c.opt_string("mapItemReaderData")?.map(str::to_string);
    }
    sfc_runtime::teststate::check(&t).map_err(|r| ApiError::new(r.code, r.message))?;
    let inspect = match req.opt_string("inspectionLevel")?.unwrap_or("INFO") {
        "INFO" => false,
        "DEBUG" | "TRACE" => true,
        other => return Err(ApiError::validation(format!("inspectionLevel must be INFO, DEBUG or TRACE, not {other}"))),
    };
    let info = sfc_runtime::context::ExecutionInfo {
        region: server.scope.region.clone(),
        account: server.scope.account.clone(),
        ..Default::default()
    };
    t.info = info;
    let r = test_state(&t);
    let mut out = Map::new();
    out.insert("status".into(), r.status.as_str().into());
    if let Some(o) = r.output {
        out.insert("output".into(), o.to_string().into());
    }
    if let Some(n) = r.next_state {
        out.insert("nextState".into(), n.into());
    }
    if let Some(e) = r.error {
        out.insert("error".into(), e.into());
    }
    if let Some(c) = r.cause {
        out.insert("cause".into(), c.into());
    }
    if inspect {
        out.insert("inspectionData".into(), Value::Object(r.inspection));
    }
    Ok(Value::Object(out))
}
