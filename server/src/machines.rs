//! State machines: create (validated and prepared once), describe, update,
//! delete, list.

use crate::api::epoch;
use crate::error::{ApiError, ApiResult};
use crate::names::{check_name, parse_arn, Arn};
use crate::page::{creation_key, page_by_key};
use crate::request::{tags, Request};
use crate::store::{Machine, MachineType, Table};
use crate::Server;
use chrono::Utc;
use serde_json::{json, Value};
use std::rc::Rc;

/// Reads, validates and prepares a definition, or says why AWS would
/// refuse it (InvalidDefinition, with AWS's codes and where they point).
pub fn prepare(definition: &str) -> ApiResult<Rc<sfc_runtime::Prepared>> {
    let report = sfc_compiler::validate::validate_source(definition, &Default::default());
    let errors: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {} at {}", d.code, d.message, d.pointer.as_deref().filter(|p| !p.is_empty()).unwrap_or("/")))
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::new("InvalidDefinition", format!("Invalid State Machine Definition: '{}'", errors.join(", "))));
    }
    let value = report.value.ok_or_else(|| ApiError::new("InvalidDefinition", "Invalid State Machine Definition: 'not JSON'"))?;
    let def = sfc_asl::Definition::from_value(value)
        .map_err(|e| ApiError::new("InvalidDefinition", format!("Invalid State Machine Definition: '{e}'")))?;
    Ok(Rc::new(sfc_runtime::Prepared::new(def.machine)))
}

fn machine_type(req: &Request) -> ApiResult<MachineType> {
    match req.opt_string("type")? {
        None | Some("STANDARD") => Ok(MachineType::Standard),
        Some("EXPRESS") => Ok(MachineType::Express),
        Some(other) => Err(ApiError::validation(format!(
            "1 validation error detected: Value '{other}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]"
        ))),
    }
}

fn default_logging() -> Value {
    json!({"level": "OFF", "includeExecutionData": false})
}

pub fn create(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let name = req.string("name")?;
    check_name(name, "state machine")?;
    let definition = req.string("definition")?;
    let role_arn = req.string("roleArn")?;
    let kind = machine_type(req)?;
    let prepared = prepare(definition)?;
    let arn = server.scope.machine_arn(name);
    let mut store = server.store.borrow_mut();
    if let Some(existing) = store.machines.get(&arn) {
        // Creating the same machine again is allowed, and changes nothing.
        if existing.definition == definition && existing.role_arn == role_arn && existing.kind == kind {
            return Ok(json!({"stateMachineArn": arn, "creationDate": epoch(existing.created)}));
        }
        return Err(ApiError::new("StateMachineAlreadyExists", format!("State Machine Already Exists: '{arn}'")));
    }
    let created = Utc::now();
    let machine = Machine {
        name: name.to_string(),
        arn: arn.clone(),
        definition: definition.to_string(),
        prepared,
        role_arn: role_arn.to_string(),
        kind,
        created,
        updated: None,
        revision_id: uuid::Uuid::new_v4().to_string(),
        logging: req.opt_object("loggingConfiguration")?.cloned().unwrap_or_else(default_logging),
        tracing: req.opt_object("tracingConfiguration")?.cloned().unwrap_or_else(|| json!({"enabled": false})),
        tags: tags(req.opt_list("tags")?)?,
        next_version: 1,
        description: None,
    };
    store.machines.insert(arn.clone(), machine);
    store.touch(Table::Machines, &arn);
    let mut out = json!({"stateMachineArn": arn, "creationDate": epoch(created)});
    if req.opt_bool("publish")? == Some(true) {
        if let Some((version, _)) = crate::versions::publish_in(&mut store, &arn, req.opt_string("versionDescription")?) {
            out["stateMachineVersionArn"] = version.into();
        }
    }
    Ok(out)
}

pub fn does_not_exist(arn: &str) -> ApiError {
    ApiError::new("StateMachineDoesNotExist", format!("State Machine Does Not Exist: '{arn}'"))
}

/// The machine or the version an ARN names, or StateMachineDoesNotExist.
pub fn find(server: &Server, arn: &str) -> ApiResult<Machine> {
    let store = server.store.borrow();
    let found = match parse_arn(arn)? {
        Arn::Machine { qualifier: None, .. } => store.machines.get(arn),
        Arn::Machine { qualifier: Some(q), .. } if q.bytes().all(|b| b.is_ascii_digit()) => store.versions.get(arn),
        Arn::Machine { .. } => None,
        _ => return Err(ApiError::invalid_arn(arn)),
    };
    found.cloned().ok_or_else(|| does_not_exist(arn))
}

/// The machine an unqualified ARN names (not a version or an alias).
pub fn find_unqualified(server: &Server, arn: &str) -> ApiResult<Machine> {
    match parse_arn(arn)? {
        Arn::Machine { qualifier: None, .. } => find(server, arn),
        Arn::Machine { .. } => Err(ApiError::validation(format!("{arn} is a version or an alias; give the state machine's ARN"))),
        _ => Err(ApiError::invalid_arn(arn)),
    }
}

/// DescribeStateMachine's shape (DescribeStateMachineForExecution's too).
pub fn description(m: &Machine) -> Value {
    let mut v = json!({
        "stateMachineArn": m.arn,
        "name": m.name,
        "status": "ACTIVE",
        "definition": m.definition,
        "roleArn": m.role_arn,
        "type": m.kind.as_str(),
        "creationDate": epoch(m.created),
        "loggingConfiguration": m.logging,
        "tracingConfiguration": m.tracing,
        "revisionId": m.revision_id,
    });
    if let Some(u) = m.updated {
        v["updateDate"] = epoch(u);
    }
    if let Some(d) = &m.description {
        v["description"] = d.clone().into();
    }
    v
}

pub fn describe(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    Ok(description(&find(server, req.string("stateMachineArn")?)?))
}

pub fn update(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("stateMachineArn")?;
    let mut machine = find_unqualified(server, arn)?;
    let definition = req.opt_string("definition")?;
    let role_arn = req.opt_string("roleArn")?;
    let logging = req.opt_object("loggingConfiguration")?;
    let tracing = req.opt_object("tracingConfiguration")?;
    if definition.is_none() && role_arn.is_none() && logging.is_none() && tracing.is_none() {
        return Err(ApiError::new(
            "MissingRequiredParameter",
            "Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be specified",
        ));
    }
    if let Some(d) = definition {
        machine.prepared = prepare(d)?;
        machine.definition = d.to_string();
    }
    if let Some(r) = role_arn {
        machine.role_arn = r.to_string();
    }
    if let Some(l) = logging {
        machine.logging = l.clone();
    }
    if let Some(t) = tracing {
        machine.tracing = t.clone();
    }
    let now = Utc::now();
    machine.updated = Some(now);
    machine.revision_id = uuid::Uuid::new_v4().to_string();
    let revision = machine.revision_id.clone();
    let mut store = server.store.borrow_mut();
    store.machines.insert(arn.to_string(), machine);
    store.touch(Table::Machines, arn);
    let mut out = json!({"updateDate": epoch(now), "revisionId": revision});
    if req.opt_bool("publish")? == Some(true) {
        if let Some((version, _)) = crate::versions::publish_in(&mut store, arn, req.opt_string("versionDescription")?) {
            out["stateMachineVersionArn"] = version.into();
        }
    }
    Ok(out)
}

pub fn delete(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("stateMachineArn")?;
    parse_arn(arn)?;
    // Deleting a machine that is not there succeeds, as on AWS; its
    // versions and aliases go with it.
    let mut store = server.store.borrow_mut();
    store.machines.remove(arn);
    store.touch(Table::Machines, arn);
    let prefix = format!("{arn}:");
    let gone: Vec<(Table, String)> = (store.versions.keys().map(|k| (Table::Versions, k.clone())))
        .chain(store.aliases.keys().map(|k| (Table::Aliases, k.clone())))
        .filter(|(_, k)| k.starts_with(&prefix))
        .collect();
    store.versions.retain(|k, _| !k.starts_with(&prefix));
    store.aliases.retain(|k, _| !k.starts_with(&prefix));
    store.dirty.extend(gone);
    Ok(json!({}))
}

pub fn list(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let store = server.store.borrow();
    let mut all: Vec<(String, &Machine)> = store.machines.values().map(|m| (creation_key(m.created, &m.arn), m)).collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let items = all.into_iter().map(|(key, m)| {
        (key, json!({"stateMachineArn": m.arn, "name": m.name, "type": m.kind.as_str(), "creationDate": epoch(m.created)}))
    });
    Ok(crate::page::answer("stateMachines", page_by_key(items, req, 100)?))
}
