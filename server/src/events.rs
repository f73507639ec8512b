//! GetExecutionHistory: the events so far (of a running execution too), in
//! the API's shape (epoch timestamps), paged, optionally newest first and
//! without the execution's data.

use crate::api::epoch;
use crate::error::ApiResult;
use crate::executions::with_execution;
use crate::page::page;
use crate::request::Request;
use crate::Server;
use serde_json::{json, Value};
use sfc_runtime::history::Event;
use std::rc::Rc;

pub fn history(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("executionArn")?;
    let include_data = req.opt_bool("includeExecutionData")?.unwrap_or(true);
    let reverse = req.opt_bool("reverseOrder")?.unwrap_or(false);
    let mut events = with_execution(server, arn, |e| e.log.map(|event| api_event(event, include_data)))?;
    if reverse {
        events.reverse();
    }
    let (events, next) = page(events, req, 100)?;
    let mut out = json!({"events": events});
    if let Some(n) = next {
        out["nextToken"] = n.into();
    }
    Ok(out)
}

/// One event as the API returns it.
fn api_event(event: &Event, include_data: bool) -> Value {
    let mut v = event.to_json();
    v["timestamp"] = epoch(event.timestamp);
    if !include_data {
        if let Some(details) = v.get_mut(event.kind.details_key()).and_then(Value::as_object_mut) {
            details.remove("input");
            details.remove("output");
        }
    }
    v
}
