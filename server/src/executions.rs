//! Executions: start (STANDARD in the background, EXPRESS synchronously
//! too), describe, stop, list.

use crate::api::epoch;
use crate::callbacks::Backend;
use crate::error::{ApiError, ApiResult};
use crate::names::check_name;
use crate::page::{max_results, page_by_place, token_place};
use crate::request::Request;
use crate::store::{Execution, Log, Machine, MachineType, Status, Table};
use crate::Server;
use chrono::Utc;
use serde_json::{json, Value};
use sfc_runtime::context::ExecutionInfo;
use sfc_runtime::history::{self, EventType, History, Keeping};
use sfc_runtime::mock::MockCase;
use sfc_runtime::{Outcome, RunOptions};
use std::rc::Rc;

/// AWS's limit on an execution's input and output.
const MAX_DATA: usize = 256 * 1024;

/// `<stateMachineArn>#<TestCase>`: Step Functions Local's way of choosing
/// a test case of the mock file.
fn split_case(arn: &str) -> (&str, Option<&str>) {
    match arn.split_once('#') {
        Some((machine, case)) => (machine, Some(case)),
        None => (arn, None),
    }
}

/// The execution input: JSON text, `{}` when absent.
fn input(req: &Request) -> ApiResult<(Value, String)> {
    let text = req.opt_string("input")?.unwrap_or("{}");
    if text.len() > MAX_DATA {
        return Err(ApiError::validation(format!(
            "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to {MAX_DATA}"
        )));
    }
    let value = serde_json::from_str(text)
        .map_err(|e| ApiError::new("InvalidExecutionInput", format!("Invalid State Machine Execution Input: '{e}'")))?;
    Ok((value, text.to_string()))
}

fn mock_case(server: &Server, machine: &Machine, case: Option<&str>) -> ApiResult<Option<MockCase>> {
    let Some(case) = case else { return Ok(None) };
    let Some(mocks) = &server.config.mocks else {
        return Err(ApiError::validation(format!(
            "the state machine ARN names the test case '{case}', and sfc serve has no mock file (give --mocks or SFN_MOCK_CONFIG)"
        )));
    };
    mocks.case(&machine.name, case).map(Some).map_err(|e| ApiError::validation(format!("mock file: {e}")))
}

/// The machine, version and alias an execution was started on.
pub(crate) struct Qualifiers {
    pub machine_arn: String,
    pub version_arn: Option<String>,
    pub alias_arn: Option<String>,
}

/// What one start needs.
pub(crate) struct Start {
    pub machine: Machine,
    pub target: Qualifiers,
    pub mocks: Option<Rc<MockCase>>,
    pub name: String,
    pub arn: String,
    pub input: Value,
    pub input_text: String,
}

fn read_start(server: &Server, req: &Request) -> ApiResult<Start> {
    let (machine_arn, case) = split_case(req.string("stateMachineArn")?);
    let crate::versions::Target { machine, machine_arn, version_arn, alias_arn } = crate::versions::resolve(server, machine_arn)?;
    let target = Qualifiers { machine_arn, version_arn, alias_arn };
    let name = req.opt_string("name")?.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
    check_name(&name, "execution")?;
    let (input, input_text) = input(req)?;
    let mocks = mock_case(server, &machine, case)?;
    let arn = match machine.kind {
        MachineType::Standard => server.scope.execution_arn(&machine.name, &name),
        MachineType::Express => server.scope.express_execution_arn(&machine.name, &name, &uuid::Uuid::new_v4().to_string()),
    };
    Ok(Start { machine, target, mocks: mocks.map(Rc::new), name, arn, input, input_text })
}

pub(crate) fn options(server: &Server, s: &Start, sync: bool) -> RunOptions {
    let express = s.machine.kind == MachineType::Express;
    let info = ExecutionInfo {
        machine_name: s.machine.name.clone(),
        execution_name: s.name.clone(),
        region: server.scope.region.clone(),
        account: server.scope.account.clone(),
        role_arn: s.machine.role_arn.clone(),
        express,
        redrive_count: (!sync).then_some(0),
        express_id: s.arn.rsplit(':').next().unwrap_or_default().to_string(),
        version_arn: s.target.version_arn.clone(),
        alias_arn: s.target.alias_arn.clone(),
    };
    // StartSyncExecution answers with the outcome alone, and no API reads
    // a synchronous execution's history: it keeps none (its states can
    // then run directly).
    let keeping = if sync { sfc_runtime::history::Keeping::Nothing } else { sfc_runtime::history::Keeping::All };
    RunOptions { info, real_time: true, seed: rand_seed(), event_data: Some(true), keeping, ..RunOptions::default() }
}

fn rand_seed() -> u64 {
    u64::from_le_bytes(uuid::Uuid::new_v4().as_bytes()[..8].try_into().unwrap_or_default())
}

pub fn start(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let s = read_start(server, req)?;
    if let Some(existing) = server.store.borrow().executions.get(&s.arn) {
        // Starting a running execution again with the same input is no error.
        if existing.status == Status::Running && existing.input == s.input_text {
            return Ok(json!({"executionArn": existing.arn, "startDate": epoch(existing.started)}));
        }
        return Err(ApiError::new("ExecutionAlreadyExists", format!("Execution Already Exists: '{}'", s.arn)));
    }
    let express = s.machine.kind == MachineType::Express;
    let history = Rc::new(match express {
        true => History::keeping(None, Keeping::Ends { first: EXPRESS_FIRST_EVENTS, last: EXPRESS_LAST_EVENTS }),
        false => History::with_limit(Some(history::MAX_EVENTS)),
    });
    let map_runs = std::sync::Arc::new(sfc_runtime::map_runs::MapRuns::default());
    let opts = RunOptions { map_runs: Some(map_runs.clone()), ..options(server, &s, false) };
    let shared = history.clone();
    let started = Utc::now();
    let record = Execution {
        arn: s.arn.clone(),
        name: s.name.clone(),
        machine_arn: s.target.machine_arn.clone(),
        machine: s.machine.clone(),
        version_arn: s.target.version_arn.clone(),
        alias_arn: s.target.alias_arn.clone(),
        status: Status::Running,
        input: s.input_text.clone(),
        output: None,
        error: None,
        cause: None,
        started,
        stopped: None,
        log: Log::Live(history),
        mocks: s.mocks.clone(),
        redrive_count: 0,
        redrive_date: None,
        abort: None,
        express,
        map_runs,
    };
    server.store.borrow_mut().add_execution(record);
    let arn = s.arn.clone();
    launch(server, Run { arn: s.arn, machine: s.machine, mocks: s.mocks, input: s.input, opts, history: shared, resume: None });
    Ok(json!({"executionArn": arn, "startDate": epoch(started)}))
}

/// How much of an EXPRESS execution's history StartExecution keeps: its
/// first and last events, as many in all as a STANDARD execution may
/// record. AWS keeps none (GetExecutionHistory does not take EXPRESS
/// executions); sfc shows what it keeps, but five minutes of a loop
/// record millions of events, and held them all. Paging a running
/// execution's history goes on from the last event a page gave (see
/// `events`); events that left the last ones meanwhile are not shown.
const EXPRESS_FIRST_EVENTS: usize = 20_000;
const EXPRESS_LAST_EVENTS: usize = history::MAX_EVENTS - EXPRESS_FIRST_EVENTS;

/// How a ListExecutions token begins; the place of the last execution
/// listed follows (see [`crate::store::Store::order`]).
const EXECUTION_TOKEN: &str = "sfc-execution-";

/// What runs in the background.
pub(crate) struct Run {
    pub arn: String,
    pub machine: Machine,
    pub mocks: Option<Rc<MockCase>>,
    pub input: Value,
    pub opts: RunOptions,
    pub history: Rc<History>,
    pub resume: Option<sfc_runtime::Resume>,
}

/// Runs an execution on the LocalSet, recording how it ends; StopExecution
/// can abort it.
pub(crate) fn launch(server: &Rc<Server>, run: Run) {
    let owner = server.clone();
    let arn = run.arn.clone();
    let handle = tokio::task::spawn_local(async move {
        let backend = Backend::new(owner.clone(), run.mocks, run.arn.clone());
        let outcome =
            sfc_runtime::run_recorded(&run.machine.prepared, run.input, &backend, &owner.clock, &run.opts, Some(run.history), run.resume)
                .await;
        finish(&owner, &run.arn, outcome);
    });
    if let Some(e) = server.store.borrow_mut().executions.get_mut(&arn) {
        e.abort = Some(handle.abort_handle());
    }
}

/// Records how an execution ended.
fn finish(server: &Server, arn: &str, outcome: Outcome) {
    server.tokens.forget_execution(arn);
    let mut store = server.store.borrow_mut();
    let Some(e) = store.executions.get_mut(arn) else { return };
    e.status = match outcome.status {
        sfc_runtime::Status::Succeeded => Status::Succeeded,
        sfc_runtime::Status::Failed => Status::Failed,
        sfc_runtime::Status::TimedOut => Status::TimedOut,
    };
    e.output = outcome.output.map(|o| o.to_string());
    e.error = outcome.error;
    e.cause = outcome.cause;
    e.stopped = Some(outcome.ended);
    e.log = Log::Done(outcome.history);
    e.abort = None;
    store.touch(Table::Executions, arn);
    store.forget_old();
    drop(store);
    server.save();
}

/// What StartSyncExecution answers with, besides the outcome.
struct Done {
    machine: Machine,
    name: String,
    arn: String,
    input_text: String,
}

pub async fn start_sync(server: &Rc<Server>, req: &Request<'_>) -> ApiResult<Value> {
    let s = read_start(server, req)?;
    if s.machine.kind != MachineType::Express {
        return Err(ApiError::new("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine"));
    }
    let opts = options(server, &s, true);
    let Start { machine, mocks, name, arn, input, input_text, .. } = s;
    let backend = Backend::new(server.clone(), mocks, arn.clone());
    let outcome = sfc_runtime::run_recorded(&machine.prepared, input, &backend, &server.clock, &opts, None, None).await;
    let s = Done { machine, name, arn, input_text };
    server.tokens.forget_execution(&s.arn);
    let billed = ((outcome.ended - outcome.started).num_milliseconds().max(1) + 99) / 100 * 100;
    let mut out = json!({
        "executionArn": s.arn,
        "stateMachineArn": s.machine.arn,
        "name": s.name,
        "startDate": epoch(outcome.started),
        "stopDate": epoch(outcome.ended),
        "status": outcome.status.as_str(),
        "input": s.input_text,
        "inputDetails": {"included": true},
        "billingDetails": {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": billed},
    });
    if let Some(o) = &outcome.output {
        out["output"] = o.to_string().into();
        out["outputDetails"] = json!({"included": true});
    }
    if let Some(e) = outcome.error {
        out["error"] = e.into();
    }
    if let Some(c) = outcome.cause {
        out["cause"] = c.into();
    }
    Ok(out)
}

/// Runs `f` on the execution an ARN names, or says it does not exist.
pub fn with_execution<T>(server: &Server, arn: &str, f: impl FnOnce(&mut Execution) -> T) -> ApiResult<T> {
    crate::names::parse_arn(arn)?;
    let mut store = server.store.borrow_mut();
    match store.executions.get_mut(arn) {
        Some(e) => Ok(f(e)),
        None => Err(ApiError::execution_does_not_exist(arn)),
    }
}

pub fn describe(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("executionArn")?;
    if let crate::names::Arn::Child { map_run_arn, name } = crate::names::parse_arn(arn)? {
        return crate::map_runs::describe_child(server, arn, &map_run_arn, &name);
    }
    with_execution(server, arn, |e| {
        let mut v = json!({
            "executionArn": e.arn,
            "stateMachineArn": e.machine_arn,
            "name": e.name,
            "status": e.status.as_str(),
            "startDate": epoch(e.started),
            "input": e.input,
            "inputDetails": {"included": true},
        });
        if let Some(t) = e.stopped {
            v["stopDate"] = epoch(t);
        }
        if let Some(o) = &e.output {
            v["output"] = o.clone().into();
            v["outputDetails"] = json!({"included": true});
        }
        if let Some(x) = &e.error {
            v["error"] = x.clone().into();
        }
        if let Some(c) = &e.cause {
            v["cause"] = c.clone().into();
        }
        if !e.express {
            v["redriveCount"] = e.redrive_count.into();
            let (status, reason) = crate::redrive::redrive_status(e);
            v["redriveStatus"] = status.into();
            if let Some(r) = reason {
                v["redriveStatusReason"] = r.into();
            }
        }
        if let Some(d) = e.redrive_date {
            v["redriveDate"] = epoch(d);
        }
        if let Some(a) = &e.version_arn {
            v["stateMachineVersionArn"] = a.clone().into();
        }
        if let Some(a) = &e.alias_arn {
            v["stateMachineAliasArn"] = a.clone().into();
        }
        v
    })
}

pub fn describe_machine(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("executionArn")?;
    if let crate::names::Arn::Child { map_run_arn, name } = crate::names::parse_arn(arn)? {
        return crate::map_runs::describe_child_machine(server, arn, &map_run_arn, &name);
    }
    with_execution(server, arn, machine_description)
}

/// DescribeStateMachineForExecution's answer: the machine as the
/// execution started it.
pub fn machine_description(e: &mut Execution) -> Value {
    let m = &e.machine;
    json!({
        "stateMachineArn": m.arn,
        "name": m.name,
        "definition": m.definition,
        "roleArn": m.role_arn,
        "updateDate": epoch(m.updated.unwrap_or(m.created)),
        "loggingConfiguration": m.logging,
        "tracingConfiguration": m.tracing,
        "revisionId": m.revision_id,
    })
}

/// Ends running execution `e` ABORTED at `now`, as StopExecution does:
/// its task stopped, its Map Runs aborted, an ExecutionAborted event
/// (with `error` and `cause` if given) after the events so far.
fn abort(e: &mut Execution, now: chrono::DateTime<Utc>, error: Option<String>, cause: Option<String>) {
    if let Some(h) = e.abort.take() {
        h.abort();
    }
    // Its Map Runs end with it (the aborted task drops them later).
    e.map_runs.abort_running(now);
    if let Log::Live(h) = &e.log {
        let last = h.len() as u64;
        let details = [("error", &error), ("cause", &cause)]
            .into_iter()
            .filter_map(|(k, v)| v.clone().map(|v| (k, history::Field::Text(v))))
            .collect();
        h.push(last, now, EventType::ExecutionAborted, history::Details::Fields(details));
        e.log = Log::Done(h.take());
    }
    e.status = Status::Aborted;
    (e.error, e.cause, e.stopped) = (error, cause, Some(now));
}

/// Why an execution still running when the server stops ends ABORTED.
pub const STOPPED_WITH_THE_SERVER: &str = "sfc serve stopped while the execution ran";

/// The server is stopping: every execution still running ends ABORTED,
/// as StopExecution ends one, so that `--data-dir` keeps each as far as
/// it went (its history, its Map Runs and their children) and a restarted
/// server can redrive it from there.
pub fn stop_all_running(server: &Rc<Server>) {
    let now = Utc::now();
    let mut store = server.store.borrow_mut();
    let running: Vec<String> = store.executions.values().filter(|e| e.status == Status::Running).map(|e| e.arn.clone()).collect();
    for arn in running {
        if let Some(e) = store.executions.get_mut(&arn) {
            abort(e, now, None, Some(STOPPED_WITH_THE_SERVER.to_string()));
        }
        server.tokens.forget_execution(&arn);
        store.touch(Table::Executions, &arn);
    }
}

/// Stops a running execution: ABORTED, with an ExecutionAborted event.
pub fn stop(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("executionArn")?;
    let error = req.opt_string("error")?.map(str::to_string);
    let cause = req.opt_string("cause")?.map(str::to_string);
    let now = Utc::now();
    let stopped = with_execution(server, arn, |e| {
        if e.status == Status::Running {
            abort(e, now, error.clone(), cause.clone());
        }
        e.stopped.unwrap_or(now)
    })?;
    server.tokens.forget_execution(arn);
    let mut store = server.store.borrow_mut();
    store.touch(Table::Executions, arn);
    store.forget_old();
    Ok(json!({"stopDate": epoch(stopped)}))
}

/// Which executions ListExecutions lists: by status (`statusFilter`),
/// and by whether they were redriven (`redriveFilter`).
#[derive(Clone, Copy)]
pub struct Filters {
    pub status: Option<StatusFilter>,
    pub redriven: Option<bool>,
}

#[derive(Clone, Copy, PartialEq)]
pub enum StatusFilter {
    Is(Status),
    /// A Map Run's children that its redrive has yet to start again.
    PendingRedrive,
}

impl Filters {
    fn of(req: &Request) -> ApiResult<Filters> {
        let invalid = |field: &str, value: &str, allowed: &str| {
            ApiError::validation(format!(
                "1 validation error detected: Value '{value}' at '{field}' failed to satisfy constraint: Member must satisfy enum value set: [{allowed}]"
            ))
        };
        let status = match req.opt_string("statusFilter")? {
            None => None,
            Some("PENDING_REDRIVE") => Some(StatusFilter::PendingRedrive),
            Some(s) => Some(StatusFilter::Is(
                Status::parse(s)
                    .ok_or_else(|| invalid("statusFilter", s, "RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE"))?,
            )),
        };
        let redriven = match req.opt_string("redriveFilter")? {
            None => None,
            Some("REDRIVEN") => Some(true),
            Some("NOT_REDRIVEN") => Some(false),
            Some(s) => return Err(invalid("redriveFilter", s, "REDRIVEN, NOT_REDRIVEN")),
        };
        Ok(Filters { status, redriven })
    }

    /// Whether an execution with `status`, redriven `redrive_count`
    /// times, and waiting to be redriven or not, is listed.
    pub fn keep(&self, status: &str, redrive_count: u64, pending_redrive: bool) -> bool {
        let status_kept = match self.status {
            None => true,
            Some(StatusFilter::Is(s)) => s.as_str() == status,
            Some(StatusFilter::PendingRedrive) => pending_redrive,
        };
        status_kept && self.redriven.is_none_or(|r| r == (redrive_count > 0))
    }
}

pub fn list(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let filters = Filters::of(req)?;
    let machine_arn = match (req.opt_string("stateMachineArn")?, req.opt_string("mapRunArn")?) {
        (Some(_), Some(_)) => return Err(ApiError::validation("Must provide a StateMachine ARN or MapRun ARN, not both")),
        (Some(_), None) if filters.status == Some(StatusFilter::PendingRedrive) => {
            return Err(ApiError::validation("The PENDING_REDRIVE statusFilter lists a Map Run's child executions: give a mapRunArn"))
        }
        (Some(a), None) => a,
        (None, Some(run)) => return crate::map_runs::list_children(server, req, run, filters),
        (None, None) => return Err(ApiError::validation("Must provide a StateMachine ARN or MapRun ARN")),
    };
    // A machine's executions, or those of one of its versions or aliases.
    let target = crate::versions::resolve(server, machine_arn)?;
    let matches = |e: &Execution| match (&target.alias_arn, &target.version_arn) {
        (Some(a), _) => e.alias_arn.as_ref() == Some(a),
        (None, Some(v)) => e.version_arn.as_ref() == Some(v),
        (None, None) => e.machine_arn == target.machine_arn,
    };
    let max = max_results(req, 100)?;
    // A token names the place of the last execution listed: the next page
    // goes on from there, however many started meanwhile (a position in
    // the list moved with each, and a page gave executions twice).
    let before = token_place(req, EXECUTION_TOKEN)?.unwrap_or(u64::MAX);
    let store = server.store.borrow();
    // Newest first, as AWS lists them.
    let listed = store
        .order
        .range(..before)
        .rev()
        .filter_map(|(place, arn)| Some((*place, store.executions.get(arn)?)))
        .filter(|(_, e)| matches(e) && filters.keep(e.status.as_str(), e.redrive_count, false))
        .map(|(place, e)| {
            let mut v = json!({"executionArn": e.arn, "stateMachineArn": e.machine_arn, "name": e.name, "status": e.status.as_str(),
                "startDate": epoch(e.started), "redriveCount": e.redrive_count});
            if let Some(t) = e.stopped {
                v["stopDate"] = epoch(t);
            }
            if let Some(t) = e.redrive_date {
                v["redriveDate"] = epoch(t);
            }
            for (key, arn) in [("stateMachineVersionArn", &e.version_arn), ("stateMachineAliasArn", &e.alias_arn)] {
                if let Some(a) = arn {
                    v[key] = a.clone().into();
                }
            }
            (place, v)
        });
    Ok(crate::page::answer("executions", page_by_place(listed, max, EXECUTION_TOKEN)))
}
