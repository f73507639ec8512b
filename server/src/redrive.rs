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
use sfc_runtime::map_runs::{ChildStatus, Ended, MapRunStatus, MapRuns};
use std::collections::BTreeMap;
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
/// after an ExecutionRedriven event; of a Parallel or inline Map, only the
/// branches or iterations that did not succeed run again, as AWS redrives them.
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
            // Read back from --data-dir: the events go on from their JSON.
            Log::Stored(stored) => match stored.iter().map(history::Event::from_json).collect::<Option<history::Events>>() {
                Some(events) => events,
                None => {
                    e.log = Log::Stored(stored);
                    return Err(ApiError::new(
                        "ExecutionNotRedrivable",
                        "the execution's history in --data-dir has an event sfc cannot read; it cannot go on",
                    ));
                }
            },
        };
        let recorded: Vec<Value> = events.iter().map(history::Event::to_json).collect();
        let input = serde_json::from_str(&e.input).unwrap_or_default();
        let resume = sfc_runtime::resume::resume_point(&e.machine.prepared.machine, &recorded, input);
        let resume = redriving_map_run(resume, &e.machine, &e.map_runs);
        let history = Rc::new(History::resume(events, Some(history::MAX_EVENTS)));
        e.log = Log::Live(history.clone());
        e.status = Status::Running;
        (e.output, e.error, e.cause, e.stopped) = (None, None, None, None);
        e.redrive_count += 1;
        e.redrive_date = Some(now);
        let map_runs = e.map_runs.clone();
        Ok((e.machine.clone(), e.mocks.clone(), e.name.clone(), e.input.clone(), e.redrive_count, history, resume, map_runs))
    })??;
    let (machine, mocks, name, input_text, count, history, resume, map_runs) = prepared;
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
    opts.map_runs = Some(map_runs);
    launch(server, Run { arn: s.arn, machine: s.machine, mocks, input, opts, history, resume: Some(resume) });
    Ok(json!({"redriveDate": epoch(now)}))
}

/// When the state redriven is a distributed Map whose Map Run failed or
/// was aborted: that run, to be redriven, and the outputs of its children
/// that succeeded, which do not run again. A run whose record lacks some
/// of them (past its listing or data budget) is not redriven: the Map
/// starts a new one, as before redrive kept runs.
fn redriving_map_run(mut resume: sfc_runtime::Resume, machine: &Machine, runs: &MapRuns) -> sfc_runtime::Resume {
    let Some(sfc_asl::State::Map(m)) = machine.prepared.machine.states.get(&resume.state) else { return resume };
    if !m.is_distributed() {
        return resume;
    }
    let label = m.label.as_deref().unwrap_or(&resume.state);
    let Some(run) = runs.list().into_iter().rev().find(|r| r.processor.label == label) else { return resume };
    let succeeded = run.read(|p| {
        if !matches!(p.status, MapRunStatus::Failed | MapRunStatus::Aborted) || p.children_not_listed > 0 {
            return None;
        }
        let done = p.children.iter().filter(|c| c.status == ChildStatus::Succeeded);
        done.map(|c| match &c.ended {
            Some(Ended::Output(o)) => Some((c.name.parse().ok()?, serde_json::from_str(o).ok()?)),
            _ => None,
        })
        .collect::<Option<BTreeMap<usize, Value>>>()
    });
    if let Some(succeeded) = succeeded {
        resume.succeeded = succeeded;
        resume.map_run = Some(run.arn.clone());
    }
    resume
}
