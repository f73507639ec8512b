//! Map Runs, the runs of distributed Maps: ListMapRuns, DescribeMapRun,
//! UpdateMapRun, and ListExecutions by map run (a run's child
//! executions). The interpreter records each run's progress as it goes
//! (sfc_runtime::map_runs); these answer from that record.

use crate::api::epoch;
use crate::error::{ApiError, ApiResult};
use crate::executions::with_execution;
use crate::executions::Filters;
use crate::names::{parse_arn, Arn};
use crate::page::{max_results, page_by_place, token_place};
use crate::request::Request;
use crate::Server;
use serde_json::{json, Value};
use sfc_runtime::map_runs::{child_execution_arn, Child, ChildHistory, ChildStatus, Counts, Ended, MapRun, MAX_KEPT_CHILD_DATA};
use std::rc::Rc;
use std::sync::Arc;

/// How a ListMapRuns token begins; the place of the last run listed follows.
const MAP_RUN_TOKEN: &str = "sfc-map-run-";
/// How a ListExecutions-by-map-run token begins; the last child's place follows.
const CHILD_TOKEN: &str = "sfc-child-";

/// The Map Run an ARN names, from the executions of its machine, and the
/// execution that started it (a child execution, for a distributed Map
/// nested in another's children).
fn find(server: &Server, arn: &str) -> ApiResult<Found> {
    let Arn::MapRun { machine } = parse_arn(arn)? else { return Err(ApiError::invalid_arn(arn)) };
    let store = server.store.borrow();
    store
        .executions
        .values()
        .filter(|e| e.machine.name == machine)
        .find_map(|e| {
            let run = e.map_runs.find(arn)?;
            let started_by = run.execution.clone().unwrap_or_else(|| e.arn.clone());
            Some(Found { run, started_by, holder: e.arn.clone() })
        })
        .ok_or_else(|| ApiError::new("ResourceNotFound", format!("Resource not found: '{arn}'")))
}

/// A Map Run found: the run, the execution that started it, and the
/// execution whose record holds it (the same, but for nested runs, which
/// the top-level execution holds).
struct Found {
    run: Arc<MapRun>,
    started_by: String,
    holder: String,
}

/// The Map Run that child execution `arn` (named `name` in the run
/// `map_run_arn`) belongs to, and what `read` makes of the child, under
/// the run's lock; ExecutionDoesNotExist when there is no such child.
fn with_child<T>(
    server: &Server,
    arn: &str,
    map_run_arn: &str,
    name: &str,
    read: impl FnOnce(&MapRun, &Child) -> ApiResult<T>,
) -> ApiResult<(Found, T)> {
    let missing = || ApiError::execution_does_not_exist(arn);
    let found = find(server, map_run_arn).map_err(|_| missing())?;
    let run = &found.run;
    let made = run.read(|p| p.children.iter().find(|c| c.name == name).ok_or_else(missing).and_then(|c| read(run, c)))?;
    Ok((found, made))
}

/// ListMapRuns: the Map Runs an execution (or a Map Run's child
/// execution) started, newest first.
pub fn list(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let execution_arn = req.string("executionArn")?;
    let runs = match parse_arn(execution_arn)? {
        Arn::Child { map_run_arn, name } => {
            let (found, ()) = with_child(server, execution_arn, &map_run_arn, &name, |_, _| Ok(()))?;
            let all = with_execution(server, &found.holder, |e| e.map_runs.list())?;
            all.into_iter().filter(|r| r.execution.as_deref() == Some(execution_arn)).collect()
        }
        _ => {
            with_execution(server, execution_arn, |e| e.map_runs.list())?.into_iter().filter(|r| r.execution.is_none()).collect::<Vec<_>>()
        }
    };
    let max = max_results(req, 100)?;
    let before = token_place(req, MAP_RUN_TOKEN)?.unwrap_or(u64::MAX);
    let listed = runs.iter().enumerate().rev().map(|(place, r)| (place as u64, r)).filter(|(place, _)| *place < before).map(|(place, r)| {
        let mut v = json!({"executionArn": execution_arn, "mapRunArn": r.arn, "stateMachineArn": r.processor.state_machine_arn, "startDate": epoch(r.started)});
        if let Some(t) = r.read(|p| p.stopped) {
            v["stopDate"] = epoch(t);
        }
        (place, v)
    });
    Ok(crate::page::answer("mapRuns", page_by_place(listed, max, MAP_RUN_TOKEN)))
}

/// DescribeMapRun: a run's settings, status and counts.
pub fn describe(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("mapRunArn")?;
    let Found { run, started_by: execution_arn, .. } = find(server, arn)?;
    Ok(run.read(|p| {
        let mut v = json!({
            "mapRunArn": run.arn,
            "executionArn": execution_arn,
            "status": p.status.as_str(),
            "startDate": epoch(run.started),
            "maxConcurrency": p.settings.max_concurrency,
            "toleratedFailurePercentage": p.settings.tolerated_failure_percentage.unwrap_or(0.0),
            "toleratedFailureCount": p.settings.tolerated_failure_count.unwrap_or(0),
            "itemCounts": counts(&p.items, p.pending_redrive().1),
            "executionCounts": counts(&p.executions, p.pending_redrive().0),
            "redriveCount": p.redrive_count,
        });
        if let Some(t) = p.stopped {
            v["stopDate"] = epoch(t);
        }
        if let Some(t) = p.redrive_date {
            v["redriveDate"] = epoch(t);
        }
        v
    }))
}

/// Counts as DescribeMapRun gives them; `pending_redrive` of the pending
/// wait to be redriven.
fn counts(c: &Counts, pending_redrive: u64) -> Value {
    json!({
        "pending": c.pending(), "running": c.running, "succeeded": c.succeeded, "failed": c.failed,
        "timedOut": c.timed_out, "aborted": c.aborted, "total": c.total, "resultsWritten": c.results_written,
        "failuresNotRedrivable": 0, "pendingRedrive": pending_redrive,
    })
}

/// UpdateMapRun: new concurrency or tolerated failures for the items of
/// a running Map Run not yet started.
pub fn update(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("mapRunArn")?;
    let max_concurrency = req.opt_int("maxConcurrency", 0, i64::from(i32::MAX))?;
    let count = req.opt_int("toleratedFailureCount", 0, i64::MAX)?;
    let percentage = req.opt_number("toleratedFailurePercentage", 0.0, 100.0)?;
    if max_concurrency.is_none() && count.is_none() && percentage.is_none() {
        return Err(ApiError::validation(
            "Must provide at least one of maxConcurrency, toleratedFailureCount or toleratedFailurePercentage",
        ));
    }
    let run = find(server, arn)?.run;
    let running = run.update(|s| {
        if let Some(c) = max_concurrency {
            s.max_concurrency = c as u64;
        }
        if let Some(c) = count {
            s.tolerated_failure_count = Some(c as u64);
        }
        if let Some(p) = percentage {
            s.tolerated_failure_percentage = Some(p);
        }
    });
    if !running {
        return Err(ApiError::validation(format!("Map Run '{arn}' has ended: only a running Map Run can be updated")));
    }
    Ok(json!({}))
}

/// DescribeExecution of a Map Run's child execution: its status and
/// dates, its input and its output or failure as far as the run kept them
/// (see `MAX_KEPT_CHILD_DATA`).
pub fn describe_child(server: &Rc<Server>, arn: &str, map_run_arn: &str, name: &str) -> ApiResult<Value> {
    let (_, v) = with_child(server, arn, map_run_arn, name, |run, c| {
        let mut v = json!({
            "executionArn": arn, "stateMachineArn": run.processor.state_machine_arn, "name": c.name,
            "status": c.status.as_str(), "startDate": epoch(c.started), "mapRunArn": run.arn,
            "inputDetails": {"included": c.input.is_some()},
        });
        if let Some(input) = &c.input {
            v["input"] = input.clone().into();
        }
        if let Some(t) = c.stopped {
            v["stopDate"] = epoch(t);
        }
        if let Some(t) = c.redrive_date {
            (v["redriveCount"], v["redriveDate"]) = (c.redrive_count.into(), epoch(t));
        }
        match &c.ended {
            Some(Ended::Output(o)) => {
                v["output"] = o.clone().into();
                v["outputDetails"] = json!({"included": true});
            }
            Some(Ended::Failed { error, cause }) => {
                v["error"] = error.clone().into();
                if let Some(c) = cause {
                    v["cause"] = c.clone().into();
                }
            }
            None if c.status == ChildStatus::Succeeded => v["outputDetails"] = json!({"included": false}),
            None => {}
        }
        Ok(v)
    })?;
    Ok(v)
}

/// GetExecutionHistory of a Map Run's child execution: its events so far,
/// in the API's shape, oldest first.
pub fn child_history(server: &Rc<Server>, arn: &str, map_run_arn: &str, name: &str) -> ApiResult<Vec<Value>> {
    let (_, events) = with_child(server, arn, map_run_arn, name, |_, c| {
        match &c.history {
            ChildHistory::Kept(events) => Ok(events.iter().filter_map(|e| serde_json::from_str(e).ok()).collect()),
            ChildHistory::Express => Err(ApiError::new(
                "InvalidArn",
                format!("'{arn}' is an EXPRESS child execution: AWS keeps no history of EXPRESS executions (DescribeExecution gives its outcome)"),
            )),
            ChildHistory::NotKept => Err(ApiError::new(
                "ResourceNotFound",
                format!(
                    "The history of '{arn}' was not kept: sfc serve keeps {} MiB of a Map Run's children's data, and this run's passed it (DescribeExecution still gives its status)",
                    MAX_KEPT_CHILD_DATA / (1024 * 1024)
                ),
            )),
        }
    })?;
    Ok(events)
}

/// DescribeStateMachineForExecution of a Map Run's child execution: the
/// Map's ItemProcessor, as the machine the run's children run, with the
/// run and the Map's label.
pub fn describe_child_machine(server: &Rc<Server>, arn: &str, map_run_arn: &str, name: &str) -> ApiResult<Value> {
    let (Found { run, holder, .. }, ()) = with_child(server, arn, map_run_arn, name, |_, _| Ok(()))?;
    let mut v = crate::executions::with_execution(server, &holder, crate::executions::machine_description)?;
    let info = &run.processor;
    let machine_name = info.state_machine_arn.rsplit(':').next().unwrap_or_default();
    v["stateMachineArn"] = info.state_machine_arn.clone().into();
    v["name"] = machine_name.into();
    v["definition"] = info.definition.clone().into();
    v["mapRunArn"] = run.arn.clone().into();
    v["label"] = info.label.clone().into();
    Ok(v)
}

/// ListExecutions by `mapRunArn`: the run's child executions, newest first.
pub fn list_children(server: &Rc<Server>, req: &Request, arn: &str, filters: Filters) -> ApiResult<Value> {
    let run = find(server, arn)?.run;
    let max = max_results(req, 100)?;
    let before = token_place(req, CHILD_TOKEN)?.unwrap_or(u64::MAX);
    Ok(crate::page::answer(
        "executions",
        run.read(|p| {
            let listed = p
                .children
                .iter()
                .enumerate()
                .rev()
                .map(|(place, c)| (place as u64, c))
                .filter(|(place, c)| *place < before && filters.keep(c.status.as_str(), c.redrive_count, p.waits_for_redrive(&c.name)))
                .map(|(place, c)| {
                    let mut v = json!({
                        "executionArn": child_execution_arn(&run.arn, &c.name), "stateMachineArn": run.processor.state_machine_arn,
                        "name": c.name, "status": c.status.as_str(), "startDate": epoch(c.started),
                        "mapRunArn": run.arn, "itemCount": c.items, "redriveCount": c.redrive_count,
                    });
                    if let Some(t) = c.redrive_date {
                        v["redriveDate"] = epoch(t);
                    }
                    if let Some(t) = c.stopped {
                        v["stopDate"] = epoch(t);
                    }
                    (place, v)
                });
            page_by_place(listed, max, CHILD_TOKEN)
        }),
    ))
}
