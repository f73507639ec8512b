//! GetExecutionHistory: the events so far (of a running execution too), in
//! the API's shape (epoch timestamps), paged, optionally newest first and
//! without the execution's data.

use crate::error::ApiResult;
use crate::executions::with_execution;
use crate::names::Arn;
use crate::page::{max_results, page_by_place, token_place};
use crate::request::Request;
use crate::store::Log;
use crate::Server;
use serde_json::Value;
use sfc_runtime::history::Event;
use std::rc::Rc;

pub fn history(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("executionArn")?;
    let include_data = req.opt_bool("includeExecutionData")?.unwrap_or(true);
    let reverse = req.opt_bool("reverseOrder")?.unwrap_or(false);
    let mut events = match crate::names::parse_arn(arn)? {
        Arn::Child { map_run_arn, name } => {
            let events = crate::map_runs::child_history(server, arn, &map_run_arn, &name)?;
            events.into_iter().map(|v| without_data(v, include_data)).collect()
        }
        _ => with_execution(server, arn, |e| match &e.log {
            Log::Stored(events) => events.iter().map(|v| without_data(v.clone(), include_data)).collect(),
            log => log.map(|event| api_event(event, include_data)),
        })?,
    };
    if reverse {
        events.reverse();
    }
    Ok(crate::page::answer("events", page_of_events(events, req, reverse)?))
}

/// One page of `events` (in the order asked for) and the token of the
/// next. A token names the last event given, by id: the next page starts
/// after it, however many events a running execution records meanwhile
/// (a position moved with them: paging newest first gave some events
/// twice, and an EXPRESS history, whose last events move on, skipped some).
fn page_of_events(events: Vec<Value>, req: &Request, reverse: bool) -> ApiResult<(Vec<Value>, Option<String>)> {
    let max = max_results(req, 100)?;
    let after = token_place(req, EVENT_TOKEN)?;
    let beyond = move |id: u64| match after {
        None => true,
        Some(last) if reverse => id < last,
        Some(last) => id > last,
    };
    let placed = events.into_iter().map(|e| (e["id"].as_u64().unwrap_or(0), e)).filter(|(id, _)| beyond(*id));
    Ok(page_by_place(placed, max, EVENT_TOKEN))
}

/// How a GetExecutionHistory token begins; the id of the last event given follows.
const EVENT_TOKEN: &str = "sfc-event-";

/// One event as the API returns it, with the execution's data.
pub fn api_event_with_data(event: &Event) -> Value {
    event.to_api_json()
}

fn api_event(event: &Event, include_data: bool) -> Value {
    without_data(api_event_with_data(event), include_data)
}

/// The event without the input and output it carries, unless `include_data`.
fn without_data(mut v: Value, include_data: bool) -> Value {
    if !include_data {
        for details in v.as_object_mut().into_iter().flat_map(|m| m.values_mut()).filter_map(Value::as_object_mut) {
            details.remove("input");
            details.remove("output");
        }
    }
    v
}
