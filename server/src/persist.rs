//! `--data-dir`: what the server holds, kept in an embedded redb database
//! (DIR/sfc-serve.redb) so that state machines, versions, aliases,
//! activities and executions with their histories survive a restart. Each
//! request's changes are written in one transaction when it is answered.
//! A server that stops ends its running executions ABORTED and writes
//! them as far as they went; one left running by a killed server comes
//! back ABORTED as it was last written. Either can be redriven.

use crate::store::{Activity, Alias, Execution, Log, Machine, MachineType, Status, Store, Table};
use chrono::{DateTime, Utc};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde_json::{json, Value};
use sfc_runtime::history;
use sfc_runtime::map_runs::MapRuns;
use std::path::Path;

const MACHINES: TableDefinition<&str, &str> = TableDefinition::new("machines");
const VERSIONS: TableDefinition<&str, &str> = TableDefinition::new("versions");
const ALIASES: TableDefinition<&str, &str> = TableDefinition::new("aliases");
const ACTIVITIES: TableDefinition<&str, &str> = TableDefinition::new("activities");
const EXECUTIONS: TableDefinition<&str, &str> = TableDefinition::new("executions");

fn definition(t: Table) -> TableDefinition<'static, &'static str, &'static str> {
    match t {
        Table::Machines => MACHINES,
        Table::Versions => VERSIONS,
        Table::Aliases => ALIASES,
        Table::Activities => ACTIVITIES,
        Table::Executions => EXECUTIONS,
    }
}

/// Why the data directory cannot serve.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DiskError(String);

fn err(e: impl std::fmt::Display) -> DiskError {
    DiskError(e.to_string())
}

pub struct Disk {
    db: Database,
}

impl std::fmt::Debug for Disk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Disk")
    }
}

impl Disk {
    pub fn open(dir: &Path) -> Result<Disk, DiskError> {
        std::fs::create_dir_all(dir).map_err(|e| DiskError(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join("sfc-serve.redb");
        let db = Database::create(&path).map_err(|e| DiskError(format!("cannot open {}: {e}", path.display())))?;
        let txn = db.begin_write().map_err(err)?;
        for t in [MACHINES, VERSIONS, ALIASES, ACTIVITIES, EXECUTIONS] {
            txn.open_table(t).map_err(err)?;
        }
        txn.commit().map_err(err)?;
        Ok(Disk { db })
    }

    /// Writes what changed since the last write: each key's record as it
    /// is now, or its removal.
    pub fn write(&self, store: &mut Store) -> Result<(), DiskError> {
        if store.dirty.is_empty() {
            return Ok(());
        }
        let dirty = std::mem::take(&mut store.dirty);
        let txn = self.db.begin_write().map_err(err)?;
        for (table, key) in dirty {
            let mut t = txn.open_table(definition(table)).map_err(err)?;
            match record(store, table, &key) {
                Some(v) => t.insert(key.as_str(), v.to_string().as_str()).map(|_| ()).map_err(err)?,
                None => t.remove(key.as_str()).map(|_| ()).map_err(err)?,
            }
        }
        txn.commit().map_err(err)
    }

    /// Everything stored, into `store`.
    pub fn load(&self, store: &mut Store) -> Result<(), DiskError> {
        let txn = self.db.begin_read().map_err(err)?;
        let read = |t: TableDefinition<&str, &str>| -> Result<Vec<Value>, DiskError> {
            let table = txn.open_table(t).map_err(err)?;
            let mut out = Vec::new();
            for row in table.iter().map_err(err)? {
                let (_, v) = row.map_err(err)?;
                out.push(serde_json::from_str(v.value()).map_err(err)?);
            }
            Ok(out)
        };
        for v in read(MACHINES)? {
            let m = machine_from(&v)?;
            store.machines.insert(m.arn.clone(), m);
        }
        for v in read(VERSIONS)? {
            let m = machine_from(&v)?;
            store.versions.insert(m.arn.clone(), m);
        }
        for v in read(ALIASES)? {
            let a = alias_from(&v);
            store.aliases.insert(a.arn.clone(), a);
        }
        for v in read(ACTIVITIES)? {
            let a = activity_from(&v);
            store.activities.insert(a.arn.clone(), a);
        }
        let mut executions: Vec<(Execution, bool)> = read(EXECUTIONS)?.iter().map(execution_from).collect::<Result<_, _>>()?;
        executions.sort_by_key(|(e, _)| e.started);
        for (e, ended_now) in executions {
            if ended_now {
                store.dirty.push((Table::Executions, e.arn.clone()));
            }
            store.insert_execution(e);
        }
        Ok(())
    }
}

fn time(t: DateTime<Utc>) -> Value {
    Value::from(t.timestamp_millis())
}

fn time_from(v: &Value) -> Option<DateTime<Utc>> {
    v.as_i64().and_then(DateTime::from_timestamp_millis)
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

fn tags_json(tags: &[(String, String)]) -> Value {
    tags.iter().map(|(k, v)| json!([k, v])).collect()
}

fn tags_from(v: &Value) -> Vec<(String, String)> {
    v.as_array().into_iter().flatten().filter_map(|t| Some((text(&t[0])?, text(&t[1])?))).collect()
}

/// The record of `key` in `table` as the store holds it now.
fn record(store: &Store, table: Table, key: &str) -> Option<Value> {
    match table {
        Table::Machines => store.machines.get(key).map(machine_json),
        Table::Versions => store.versions.get(key).map(machine_json),
        Table::Aliases => store.aliases.get(key).map(|a| {
            json!({"name": a.name, "arn": a.arn, "machineArn": a.machine_arn, "description": a.description,
                "routes": a.routes, "created": time(a.created), "updated": a.updated.map(time)})
        }),
        Table::Activities => {
            store.activities.get(key).map(|a| json!({"name": a.name, "arn": a.arn, "created": time(a.created), "tags": tags_json(&a.tags)}))
        }
        Table::Executions => store.executions.get(key).map(execution_json),
    }
}

fn machine_json(m: &Machine) -> Value {
    json!({"name": m.name, "arn": m.arn, "definition": m.definition, "roleArn": m.role_arn, "type": m.kind.as_str(),
        "created": time(m.created), "updated": m.updated.map(time), "revisionId": m.revision_id, "logging": m.logging,
        "tracing": m.tracing, "tags": tags_json(&m.tags), "nextVersion": m.next_version, "description": m.description})
}

fn machine_from(v: &Value) -> Result<Machine, DiskError> {
    let definition = text(&v["definition"]).unwrap_or_default();
    let prepared = crate::machines::prepare(&definition).map_err(|e| DiskError(format!("a stored state machine no longer loads: {e}")))?;
    Ok(Machine {
        name: text(&v["name"]).unwrap_or_default(),
        arn: text(&v["arn"]).unwrap_or_default(),
        definition,
        prepared,
        role_arn: text(&v["roleArn"]).unwrap_or_default(),
        kind: if v["type"] == "EXPRESS" { MachineType::Express } else { MachineType::Standard },
        created: time_from(&v["created"]).unwrap_or_default(),
        updated: time_from(&v["updated"]),
        revision_id: text(&v["revisionId"]).unwrap_or_default(),
        logging: v["logging"].clone(),
        tracing: v["tracing"].clone(),
        tags: tags_from(&v["tags"]),
        next_version: v["nextVersion"].as_u64().unwrap_or(1),
        description: text(&v["description"]),
    })
}

fn alias_from(v: &Value) -> Alias {
    Alias {
        name: text(&v["name"]).unwrap_or_default(),
        arn: text(&v["arn"]).unwrap_or_default(),
        machine_arn: text(&v["machineArn"]).unwrap_or_default(),
        description: text(&v["description"]),
        routes: v["routes"].as_array().into_iter().flatten().filter_map(|r| Some((text(&r[0])?, r[1].as_u64()?))).collect(),
        created: time_from(&v["created"]).unwrap_or_default(),
        updated: time_from(&v["updated"]),
    }
}

fn activity_from(v: &Value) -> Activity {
    Activity {
        name: text(&v["name"]).unwrap_or_default(),
        arn: text(&v["arn"]).unwrap_or_default(),
        created: time_from(&v["created"]).unwrap_or_default(),
        tags: tags_from(&v["tags"]),
        queue: Default::default(),
        ready: Default::default(),
    }
}

fn execution_json(e: &Execution) -> Value {
    let events: Vec<Value> = match &e.log {
        Log::Stored(events) => events.clone(),
        log => log.map(crate::events::api_event_with_data),
    };
    json!({"arn": e.arn, "name": e.name, "machineArn": e.machine_arn, "machine": machine_json(&e.machine),
        "versionArn": e.version_arn, "aliasArn": e.alias_arn, "status": e.status.as_str(), "input": e.input,
        "output": e.output, "error": e.error, "cause": e.cause, "started": time(e.started), "stopped": e.stopped.map(time),
        "express": e.express, "redriveCount": e.redrive_count, "redriveDate": e.redrive_date.map(time), "events": events,
        "mapRuns": serde_json::to_value(e.map_runs.list().iter().map(|r| &**r).collect::<Vec<_>>()).unwrap_or_default()})
}

/// An execution as stored, and whether it was running (a killed server
/// left it so: it ends now, its run cannot go on; a redrive can).
fn execution_from(v: &Value) -> Result<(Execution, bool), DiskError> {
    let mut status = text(&v["status"]).as_deref().and_then(Status::parse).unwrap_or(Status::Aborted);
    let mut cause = text(&v["cause"]);
    let mut stopped = time_from(&v["stopped"]);
    let mut events = v["events"].as_array().cloned().unwrap_or_default();
    // Running when the server was killed (a server that stops ends its
    // executions itself): it ends here, its history with it.
    let was_running = status == Status::Running;
    if was_running {
        status = Status::Aborted;
        cause = Some(crate::executions::STOPPED_WITH_THE_SERVER.into());
        stopped = Some(Utc::now());
        end_history(v, &mut events, cause.clone(), stopped.unwrap_or_default());
    }
    let e = Execution {
        arn: text(&v["arn"]).unwrap_or_default(),
        name: text(&v["name"]).unwrap_or_default(),
        machine_arn: text(&v["machineArn"]).unwrap_or_default(),
        machine: machine_from(&v["machine"])?,
        version_arn: text(&v["versionArn"]),
        alias_arn: text(&v["aliasArn"]),
        status,
        input: text(&v["input"]).unwrap_or_default(),
        output: text(&v["output"]),
        error: text(&v["error"]),
        cause,
        started: time_from(&v["started"]).unwrap_or_default(),
        stopped,
        log: Log::Stored(events),
        mocks: None,
        redrive_count: v["redriveCount"].as_u64().unwrap_or(0),
        redrive_date: time_from(&v["redriveDate"]),
        abort: None,
        express: v["express"].as_bool().unwrap_or(false),
        map_runs: std::sync::Arc::new(MapRuns::restored(serde_json::from_value(v["mapRuns"].clone()).unwrap_or_default())),
    };
    if was_running {
        e.map_runs.abort_running(stopped.unwrap_or_default());
    }
    Ok((e, was_running))
}

/// The history of an execution a killed server left running (`v`, as
/// stored), ended ABORTED at `stopped` for `cause`, as StopExecution ends
/// one: an ExecutionAborted event after the events stored. One killed
/// before its run recorded ExecutionStarted (an execution is written when
/// StartExecution answers, before it runs) gets that first.
fn end_history(v: &Value, events: &mut Vec<Value>, cause: Option<String>, stopped: DateTime<Utc>) {
    if events.is_empty() {
        let info = sfc_runtime::context::ExecutionInfo {
            role_arn: text(&v["machine"]["roleArn"]).unwrap_or_default(),
            version_arn: text(&v["versionArn"]),
            alias_arn: text(&v["aliasArn"]),
            ..Default::default()
        };
        // The input as the run records it: its JSON text, compact.
        let input = text(&v["input"]).unwrap_or_default();
        let input = serde_json::from_str::<Value>(&input).map_or(input, |i| i.to_string());
        let details = sfc_runtime::started_details(history::Field::Text(input), &info);
        let timestamp = time_from(&v["started"]).unwrap_or_default();
        events.push(
            history::Event { id: 1, previous_event_id: 0, timestamp, kind: history::EventType::ExecutionStarted, details }.to_api_json(),
        );
    }
    let last = events.last().and_then(|e| e["id"].as_u64()).unwrap_or(0);
    let details = history::Details::Fields(vec![("cause", history::Field::json(cause))]);
    let aborted =
        history::Event { id: last + 1, previous_event_id: last, timestamp: stopped, kind: history::EventType::ExecutionAborted, details };
    events.push(aborted.to_api_json());
}
