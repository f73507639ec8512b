//! Tags of state machines and activities.

use crate::error::{ApiError, ApiResult};
use crate::names::{parse_arn, Arn};
use crate::request::{tags, Request};
use crate::store::Table;
use crate::Server;
use serde_json::{json, Value};
use std::rc::Rc;

/// Runs `f` on the tags of the resource an ARN names.
fn with_tags<T>(server: &Server, arn: &str, f: impl FnOnce(&mut Vec<(String, String)>) -> T) -> ApiResult<T> {
    let mut store = server.store.borrow_mut();
    let (table, found) = match parse_arn(arn)? {
        Arn::Machine { qualifier: None, .. } => (Table::Machines, store.machines.get_mut(arn).map(|m| &mut m.tags)),
        Arn::Activity { .. } => (Table::Activities, store.activities.get_mut(arn).map(|a| &mut a.tags)),
        _ => return Err(ApiError::invalid_arn(arn)),
    };
    let out = found.map(f).ok_or_else(|| ApiError::new("ResourceNotFound", format!("Resource not found: '{arn}'")))?;
    store.touch(table, arn);
    Ok(out)
}

pub fn tag(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let new = tags(req.opt_list("tags")?)?;
    with_tags(server, req.string("resourceArn")?, |existing| {
        for (k, v) in new {
            match existing.iter_mut().find(|(ek, _)| *ek == k) {
                Some(slot) => slot.1 = v,
                None => existing.push((k, v)),
            }
        }
    })?;
    Ok(json!({}))
}

pub fn untag(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let keys: Vec<&str> = req.opt_list("tagKeys")?.iter().filter_map(Value::as_str).collect();
    with_tags(server, req.string("resourceArn")?, |existing| existing.retain(|(k, _)| !keys.contains(&k.as_str())))?;
    Ok(json!({}))
}

pub fn list(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let tags = with_tags(server, req.string("resourceArn")?, |t| t.iter().map(|(k, v)| json!({"key": k, "value": v})).collect::<Vec<_>>())?;
    Ok(json!({"tags": tags}))
}
