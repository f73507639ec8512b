//! The console: what the server holds, in a browser. `GET /` lists every
//! state machine and its executions (newest first); `GET
//! /execution?arn=ARN` shows one as `sfc run --report` does (the graph
//! coloured by what each state did, state details, timeline, events).
//! Pages of running executions reload themselves every two seconds.

use crate::store::{Log, Status};
use crate::Server;
use serde_json::Value;
use sfc_runtime::percent::{decode, encode};
use std::rc::Rc;

/// How often a page showing something still running reloads.
const REFRESH_SECONDS: u32 = 2;
/// Executions listed per machine on the front page.
const LISTED: usize = 200;

/// The page for a GET of `path` (with its query), and its status.
pub fn page(server: &Rc<Server>, path: &str, query: &str) -> (u16, String) {
    match path {
        "/" | "/index.html" => (200, index(server)),
        "/execution" => match arn_of(query) {
            Some(arn) => execution(server, &arn),
            None => (400, message("Give the execution: /execution?arn=EXECUTION_ARN")),
        },
        _ => (404, message(&format!("Nothing at {path}: the console is at / (the API takes POST requests with X-Amz-Target)"))),
    }
}

fn message(text: &str) -> String {
    sfc_report::index("sfc serve", text, &[], None)
}

/// `arn=...` of a query string, percent-decoded.
fn arn_of(query: &str) -> Option<String> {
    query.split('&').find_map(|p| p.strip_prefix("arn=")).map(decode).filter(|s| !s.is_empty())
}

fn index(server: &Rc<Server>) -> String {
    let store = server.store.borrow();
    let mut running = false;
    let mut groups = Vec::new();
    for machine in store.machines.values() {
        // The store's order, newest first.
        let listed: Vec<sfc_report::Listed> = store
            .order
            .values()
            .rev()
            .filter_map(|arn| store.executions.get(arn))
            .filter(|e| e.machine_arn == machine.arn)
            .take(LISTED)
            .map(|e| {
                running |= e.status == Status::Running;
                let note = format!(
                    "started {}{}",
                    e.started.format("%Y-%m-%d %H:%M:%S UTC"),
                    e.error.as_deref().map(|x| format!(" · {x}")).unwrap_or_default()
                );
                sfc_report::Listed {
                    name: e.name.clone(),
                    href: format!("/execution?arn={}", encode(&e.arn, false)),
                    status: e.status.as_str().into(),
                    note,
                }
            })
            .collect();
        groups.push((format!("{} ({})", machine.name, machine.kind.as_str()), listed));
    }
    let intro = format!("{} state machines, {} executions held", store.machines.len(), store.executions.len());
    sfc_report::index("sfc serve", &intro, &groups, running.then_some(REFRESH_SECONDS))
}

fn execution(server: &Rc<Server>, arn: &str) -> (u16, String) {
    let store = server.store.borrow();
    let Some(e) = store.executions.get(arn) else {
        return (404, message(&format!("No execution {arn} here (it may have been forgotten: the server keeps the newest ones).")));
    };
    let history: Vec<Value> = match &e.log {
        Log::Stored(events) => events.clone(),
        log => log.map(crate::events::api_event_with_data),
    };
    let running = e.status == Status::Running;
    let run = sfc_report::Run {
        title: format!("{} · {}", e.machine.name, e.name),
        subtitle: e.arn.clone(),
        machine: &e.machine.prepared.machine,
        history: &history,
        status: e.status.as_str().into(),
        error: e.error.clone(),
        cause: e.cause.clone(),
        virtual_time: false,
        links: vec![("all executions".into(), "/".into())],
        refresh_seconds: running.then_some(REFRESH_SECONDS),
        omitted_events: e.log.omitted(),
        map_runs: Some(&e.map_runs),
    };
    (200, sfc_report::page(&run))
}

#[cfg(test)]
mod tests {
    #[test]
    fn arns_come_back_from_the_query() {
        let arn = "arn:aws:states:us-east-1:123456789012:execution:M:run 1";
        assert_eq!(super::arn_of(&format!("arn={}", super::encode(arn, false))).as_deref(), Some(arn));
        assert_eq!(super::arn_of("x=1"), None);
    }
}
