//! Versions (a machine as it was when published, numbered from 1) and
//! aliases (up to two versions, each with its share of executions).

use crate::api::epoch;
use crate::error::{ApiError, ApiResult};
use crate::machines;
use crate::names::{check_name, parse_arn, Arn};
use crate::page::page_by_key;
use crate::request::Request;
use crate::store::{Alias, Machine, Store, Table};
use crate::Server;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::rc::Rc;

/// Publishes the machine's current revision as a version, unless its
/// newest version already is that revision (then that one is returned).
pub fn publish_in(store: &mut Store, machine_arn: &str, description: Option<&str>) -> Option<(String, DateTime<Utc>)> {
    let m = store.machines.get_mut(machine_arn)?;
    let newest = m.next_version.checked_sub(1).filter(|n| *n > 0).map(|n| format!("{machine_arn}:{n}"));
    if let Some(v) = newest.and_then(|arn| store.versions.get(&arn)) {
        if v.revision_id == m.revision_id {
            return Some((v.arn.clone(), v.created));
        }
    }
    let m = store.machines.get_mut(machine_arn)?;
    let n = m.next_version.max(1);
    m.next_version = n + 1;
    let now = Utc::now();
    let version = Machine {
        arn: format!("{machine_arn}:{n}"),
        created: now,
        updated: None,
        description: description.map(str::to_string),
        tags: Vec::new(),
        ..m.clone()
    };
    let arn = version.arn.clone();
    store.versions.insert(arn.clone(), version);
    store.touch(Table::Versions, &arn);
    store.touch(Table::Machines, machine_arn);
    Some((arn, now))
}

pub fn publish(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("stateMachineArn")?;
    let machine = machines::find_unqualified(server, arn)?;
    if let Some(r) = req.opt_string("revisionId")? {
        if r != machine.revision_id {
            return Err(ApiError::new("ConflictException", format!("the state machine's revision is {}, not {r}", machine.revision_id)));
        }
    }
    let (version, created) =
        publish_in(&mut server.store.borrow_mut(), arn, req.opt_string("description")?).ok_or_else(|| machines::does_not_exist(arn))?;
    Ok(json!({"creationDate": epoch(created), "stateMachineVersionArn": version}))
}

/// The versions of a machine, newest first.
fn versions_of(store: &Store, machine_arn: &str) -> Vec<(u64, String, DateTime<Utc>)> {
    let prefix = format!("{machine_arn}:");
    let mut v: Vec<(u64, String, DateTime<Utc>)> = store
        .versions
        .values()
        .filter_map(|m| m.arn.strip_prefix(&prefix).and_then(|n| n.parse().ok()).map(|n| (n, m.arn.clone(), m.created)))
        .collect();
    v.sort_by_key(|(n, _, _)| std::cmp::Reverse(*n));
    v
}

pub fn list_versions(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("stateMachineArn")?;
    machines::find_unqualified(server, arn)?;
    // Newest first: the key counts down as versions go up.
    let items = versions_of(&server.store.borrow(), arn)
        .into_iter()
        .map(|(n, arn, created)| (format!("{:020}", u64::MAX - n), json!({"stateMachineVersionArn": arn, "creationDate": epoch(created)})));
    Ok(crate::page::answer("stateMachineVersions", page_by_key(items, req, 100)?))
}

pub fn delete_version(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("stateMachineVersionArn")?;
    match parse_arn(arn)? {
        Arn::Machine { qualifier: Some(q), .. } if q.bytes().all(|b| b.is_ascii_digit()) => {}
        _ => return Err(ApiError::invalid_arn(arn)),
    }
    let mut store = server.store.borrow_mut();
    if let Some(a) = store.aliases.values().find(|a| a.routes.iter().any(|(v, _)| v == arn)) {
        return Err(ApiError::new(
            "ConflictException",
            format!(
                "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [{}]",
                a.arn
            ),
        ));
    }
    store.versions.remove(arn);
    store.touch(Table::Versions, arn);
    Ok(json!({}))
}

/// `[{stateMachineVersionArn, weight}]`: one or two versions of the
/// machine, whose weights add up to 100.
fn routes(server: &Server, machine_arn: &str, items: &[Value]) -> ApiResult<Vec<(String, u64)>> {
    if items.is_empty() || items.len() > 2 {
        return Err(ApiError::validation("routingConfiguration must name one or two versions"));
    }
    let mut out = Vec::new();
    for item in items {
        let r = Request::new(item)?;
        let version = r.string("stateMachineVersionArn")?;
        let weight = r.opt_int("weight", 0, 100)?.ok_or_else(|| ApiError::validation("each route needs a weight"))? as u64;
        if !version.starts_with(&format!("{machine_arn}:")) {
            return Err(ApiError::validation(format!("{version} is not a version of {machine_arn}")));
        }
        if !server.store.borrow().versions.contains_key(version) {
            return Err(ApiError::new("ResourceNotFound", format!("Resource not found: '{version}'")));
        }
        if out.iter().any(|(v, _)| v == version) {
            return Err(ApiError::validation("routingConfiguration names a version twice"));
        }
        out.push((version.to_string(), weight));
    }
    if out.iter().map(|(_, w)| w).sum::<u64>() != 100 {
        return Err(ApiError::validation("the weights of routingConfiguration must add up to 100"));
    }
    Ok(out)
}

fn alias_json(a: &Alias) -> Value {
    let routing: Vec<Value> = a.routes.iter().map(|(v, w)| json!({"stateMachineVersionArn": v, "weight": w})).collect();
    let mut v = json!({"stateMachineAliasArn": a.arn, "name": a.name, "routingConfiguration": routing, "creationDate": epoch(a.created)});
    if let Some(d) = &a.description {
        v["description"] = d.clone().into();
    }
    if let Some(u) = a.updated {
        v["updateDate"] = epoch(u);
    }
    v
}

pub fn create_alias(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let name = req.string("name")?;
    check_name(name, "alias")?;
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::new("InvalidName", format!("Invalid Name: '{name}' (an alias name cannot be a number, as versions are)")));
    }
    let items = req.opt_list("routingConfiguration")?;
    let first = items.first().and_then(|i| i["stateMachineVersionArn"].as_str()).unwrap_or_default();
    let machine_arn = first.rsplit_once(':').map(|(m, _)| m).unwrap_or_default().to_string();
    let routes = routes(server, &machine_arn, items)?;
    let arn = format!("{machine_arn}:{name}");
    let mut store = server.store.borrow_mut();
    if let Some(a) = store.aliases.get(&arn) {
        if a.routes == routes && a.description.as_deref() == req.opt_string("description")? {
            return Ok(json!({"stateMachineAliasArn": arn, "creationDate": epoch(a.created)}));
        }
        return Err(ApiError::new("ConflictException", format!("Alias already exists: '{arn}'")));
    }
    let created = Utc::now();
    let description = req.opt_string("description")?.map(str::to_string);
    store
        .aliases
        .insert(arn.clone(), Alias { name: name.to_string(), arn: arn.clone(), machine_arn, description, routes, created, updated: None });
    store.touch(Table::Aliases, &arn);
    Ok(json!({"stateMachineAliasArn": arn, "creationDate": epoch(created)}))
}

fn alias(server: &Server, arn: &str) -> ApiResult<Alias> {
    match parse_arn(arn)? {
        Arn::Machine { qualifier: Some(q), .. } if !q.bytes().all(|b| b.is_ascii_digit()) => {}
        _ => return Err(ApiError::invalid_arn(arn)),
    }
    server.store.borrow().aliases.get(arn).cloned().ok_or_else(|| ApiError::new("ResourceNotFound", format!("Resource not found: '{arn}'")))
}

pub fn describe_alias(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    Ok(alias_json(&alias(server, req.string("stateMachineAliasArn")?)?))
}

pub fn update_alias(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let mut a = alias(server, req.string("stateMachineAliasArn")?)?;
    let items = req.opt_list("routingConfiguration")?;
    let description = req.opt_string("description")?;
    if items.is_empty() && description.is_none() {
        return Err(ApiError::validation("give a description or a routingConfiguration"));
    }
    if !items.is_empty() {
        a.routes = routes(server, &a.machine_arn, items)?;
    }
    if let Some(d) = description {
        a.description = Some(d.to_string());
    }
    let now = Utc::now();
    a.updated = Some(now);
    let mut store = server.store.borrow_mut();
    store.touch(Table::Aliases, &a.arn);
    store.aliases.insert(a.arn.clone(), a);
    Ok(json!({"updateDate": epoch(now)}))
}

pub fn delete_alias(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let a = alias(server, req.string("stateMachineAliasArn")?)?;
    let mut store = server.store.borrow_mut();
    store.aliases.remove(&a.arn);
    store.touch(Table::Aliases, &a.arn);
    Ok(json!({}))
}

pub fn list_aliases(server: &Rc<Server>, req: &Request) -> ApiResult<Value> {
    let arn = req.string("stateMachineArn")?;
    machines::find_unqualified(server, arn)?;
    let store = server.store.borrow();
    let items = store
        .aliases
        .values()
        .filter(|a| a.machine_arn == arn)
        .map(|a| (a.arn.clone(), json!({"stateMachineAliasArn": a.arn, "creationDate": epoch(a.created)})));
    Ok(crate::page::answer("stateMachineAliases", page_by_key(items, req, 100)?))
}

/// What an execution runs: the machine, a version, or a version an alias
/// picks by its weights.
pub struct Target {
    pub machine: Machine,
    pub machine_arn: String,
    pub version_arn: Option<String>,
    pub alias_arn: Option<String>,
}

pub fn resolve(server: &Server, arn: &str) -> ApiResult<Target> {
    let qualifier = match parse_arn(arn)? {
        Arn::Machine { qualifier, .. } => qualifier,
        _ => return Err(ApiError::invalid_arn(arn)),
    };
    match qualifier {
        None => Ok(Target {
            machine: machines::find_unqualified(server, arn)?,
            machine_arn: arn.to_string(),
            version_arn: None,
            alias_arn: None,
        }),
        Some(q) if q.bytes().all(|b| b.is_ascii_digit()) => {
            let machine = machines::find(server, arn)?;
            let machine_arn = arn.rsplit_once(':').map(|(m, _)| m.to_string()).unwrap_or_default();
            Ok(Target { machine, machine_arn, version_arn: Some(arn.to_string()), alias_arn: None })
        }
        Some(_) => {
            let a = alias(server, arn)?;
            let roll = uuid::Uuid::new_v4().as_u128() % 100;
            let mut below = 0u128;
            let version = a.routes.iter().find(|(_, w)| {
                below += u128::from(*w);
                roll < below
            });
            let version = version.or(a.routes.last()).map(|(v, _)| v.clone()).unwrap_or_default();
            let machine = machines::find(server, &version)?;
            Ok(Target { machine, machine_arn: a.machine_arn, version_arn: Some(version), alias_arn: Some(a.arn) })
        }
    }
}
