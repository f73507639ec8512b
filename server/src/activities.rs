//! Activities: created by name, scheduled by Task states whose Resource is
//! the activity's ARN, taken by workers with GetActivityTask (a long poll)
//! and answered with the Send* calls.

use crate::api::epoch;
use crate::error::{ApiError, ApiResult};
use crate::names::{check_name, parse_arn, Arn};
use crate::page::{creation_key, page_by_key};
use crate::request::{tags, Request};
use crate::store::{Activity, Table};
use crate::Server;
use chrono::Utc;
use serde_json::{json, Value};
use std::rc::Rc;

pub fn create(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let name = req.string("name")?;
    check_name(name, "activity")?;
    let arn = server.scope.activity_arn(name);
    let mut store = server.store.borrow_mut();
    // Creating an activity again returns the one there is, as on AWS.
    let a = store.activities.entry(arn.clone()).or_insert_with(|| Activity {
        name: name.to_string(),
        arn: arn.clone(),
        created: Utc::now(),
        tags: Vec::new(),
        queue: Default::default(),
        ready: Default::default(),
    });
    a.tags.extend(tags(req.opt_list("tags")?)?);
    let out = json!({"activityArn": a.arn, "creationDate": epoch(a.created)});
    store.touch(Table::Activities, &arn);
    Ok(out)
}

fn checked(arn: &str) -> ApiResult<()> {
    match parse_arn(arn)? {
        Arn::Activity { .. } => Ok(()),
        _ => Err(ApiError::invalid_arn(arn)),
    }
}

fn missing(arn: &str) -> ApiError {
    ApiError::new("ActivityDoesNotExist", format!("Activity Does Not Exist: '{arn}'"))
}

pub fn describe(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("activityArn")?;
    checked(arn)?;
    let store = server.store.borrow();
    let a = store.activities.get(arn).ok_or_else(|| missing(arn))?;
    Ok(json!({"activityArn": a.arn, "name": a.name, "creationDate": epoch(a.created)}))
}

pub fn delete(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("activityArn")?;
    checked(arn)?;
    let mut store = server.store.borrow_mut();
    store.activities.remove(arn);
    store.touch(Table::Activities, arn);
    Ok(json!({}))
}

pub fn list(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let store = server.store.borrow();
    let mut all: Vec<(String, &Activity)> = store.activities.values().map(|a| (creation_key(a.created, &a.arn), a)).collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let items = all.into_iter().map(|(key, a)| (key, json!({"activityArn": a.arn, "name": a.name, "creationDate": epoch(a.created)})));
    Ok(crate::page::answer("activities", page_by_key(items, req, 100)?))
}

/// A task for a worker: at once if one is waiting, else as soon as one is
/// scheduled, for up to the server's poll time; then `{}`.
pub async fn get_task(server: &Rc<Server>, req: &Request<'_>) -> ApiResult<Value> {
    let arn = req.string("activityArn")?;
    checked(arn)?;
    let deadline = tokio::time::Instant::now() + server.config.activity_poll;
    loop {
        let ready = {
            let mut store = server.store.borrow_mut();
            let a = store.activities.get_mut(arn).ok_or_else(|| missing(arn))?;
            // A task whose execution has stopped since is nobody's: skipped.
            while let Some(task) = a.queue.pop_front() {
                if task.taken.send(req.opt_string("workerName")?.map(str::to_string)).is_ok() {
                    return Ok(json!({"taskToken": task.token, "input": task.input}));
                }
            }
            a.ready.clone()
        };
        if tokio::time::timeout_at(deadline, ready.notified()).await.is_err() {
            return Ok(json!({}));
        }
    }
}
