//! RedriveExecution: a failed, timed-out or aborted STANDARD execution
//! goes on from the top-level state that did not finish.

use crate::api::epoch;
use crate::error::{ApiError, ApiResult};
use crate::executions::{launch, options, with_execution, Qualifiers, Run, Start};
use crate::request::Request;
use crate::store::{Execution, Log, Machine, Status, Table};
use crate::Server;
use chrono::Utc;
use serde_json::{json, Value};
use sfc_runtime::history::{self, History};
use std::rc::Rc;

/// Whether RedriveExecution takes the execution, and why not.
pub fn redrive_status(e: &Execution) -> (&'static str, Option<String>) {
    match e.status {
        Status::Failed | Status::TimedOut | Status::Aborted => ("REDRIVABLE", None),
        other => ("NOT_REDRIVABLE", Some(format!("Execution is {} and cannot be redriven", other.as_str()))),
    }
}

/// RedriveExecution: a failed, timed-out or aborted STANDARD execution goes
/// on from the top-level state that did not finish, with the input it had,
/// after an ExecutionRedriven event. (AWS reruns only the failed branches
/// and iterations of a Parallel or Map; here the whole state runs again.)
pub fn redrive(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("executionArn")?;
    let now = Utc::now();
    let prepared = with_execution(server, arn, |e| -> ApiResult<_> {
        let (status, reason) = redrive_status(e);
        if e.express || status != "REDRIVABLE" {
            let why = reason.unwrap_or_else(|| "an EXPRESS execution cannot be redriven".into());
            return Err(ApiError::new("ExecutionNotRedrivable", why));
        }
        let events = match std::mem::replace(&mut e.log, Log::Done(Default::default())) {
            Log::Done(events) => events,
            Log::Live(h) => h.take(),
            stored @ Log::Stored(_) => {
                e.log = stored;
                return Err(ApiError::new(
                    "ExecutionNotRedrivable",
                    "the execution was read back from --data-dir, and its history cannot go on",
                ));
            }
        };
        let resume = resume_point(&e.machine, &events, &e.input)?;
        let history = Rc::new(History::resume(events, Some(history::MAX_EVENTS)));
        e.log = Log::Live(history.clone());
        e.status = Status::Running;
        (e.output, e.error, e.cause, e.stopped) = (None, None, None, None);
        e.redrive_count += 1;
        e.redrive_date = Some(now);
        Ok((e.machine.clone(), e.mocks.clone(), e.name.clone(), e.input.clone(), e.redrive_count, history, resume))
    })??;
    let (machine, mocks, name, input_text, count, history, resume) = prepared;
    server.store.borrow_mut().touch(Table::Executions, arn);
    let input: Value = serde_json::from_str(&input_text).unwrap_or_default();
    let s = Start {
        target: Qualifiers { machine_arn: machine.arn.clone(), version_arn: None, alias_arn: None },
        machine,
        mocks: None,
        name,
        arn: arn.to_string(),
        input: input.clone(),
        input_text,
    };
    let mut opts = options(server, &s, false);
    opts.info.redrive_count = Some(count);
    launch(server, Run { arn: s.arn, machine: s.machine, mocks, input, opts, history, resume: Some(resume) });
    Ok(json!({"redriveDate": epoch(now)}))
}

/// The top-level state that was entered last and did not exit, with its
/// input; the start state with the execution's input when none was.
fn resume_point(machine: &Machine, events: &sfc_runtime::history::Events, input: &str) -> ApiResult<sfc_runtime::Resume> {
    let mut open: Option<(String, Value)> = None;
    for e in events {
        let Some(name) = e.details.get("name").filter(|n| machine.prepared.machine.states.contains_key(*n)) else { continue };
        if e.kind.is_state_entered() {
            let data =
                e.to_json()["stateEnteredEventDetails"]["input"].as_str().and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default();
            open = Some((name.to_string(), data));
        } else if e.kind.is_state_exited() && open.as_ref().is_some_and(|(n, _)| n == name) {
            open = None;
        }
    }
    let (state, input) = match open {
        Some(found) => found,
        None => (machine.prepared.machine.start_at.clone(), serde_json::from_str(input).unwrap_or_default()),
    };
    Ok(sfc_runtime::Resume { state, input })
}
