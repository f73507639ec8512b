//! Machine-level checks: StartAt, States, transitions, reachability,
//! terminal states, state names.

use super::{fields, kind, state, Ctx, Obj, Scope, ScopeKind, MAX_STATE_NAME_CHARS, MAX_STATE_NESTING};
use crate::diag::Diagnostic;
use crate::json::Pointer;
use serde_json::Value;
use sfc_asl::QueryLanguage;
use std::collections::{HashMap, HashSet, VecDeque};

/// Checks a machine, a Parallel branch or a Map processor.
pub(crate) fn check_machine(ctx: &mut Ctx, obj: &Obj, at: &Pointer, scope: Scope) {
    if scope.depth > MAX_STATE_NESTING {
        ctx.schema(at, format!("Parallel and Map states are nested more than {MAX_STATE_NESTING} deep"));
        return;
    }
    let allowed: &[&str] = match scope.kind {
        ScopeKind::Top => &["Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage"],
        ScopeKind::Branch => &["Comment", "StartAt", "States"],
        ScopeKind::Processor => &["Comment", "StartAt", "States", "ProcessorConfig"],
    };
    for key in obj.keys() {
        if !allowed.contains(&key.as_str()) {
            fields::unknown_field(ctx, &at.key(key), key, allowed, "here");
        }
    }
    let mut scope = scope;
    if scope.kind == ScopeKind::Top {
        check_top_level(ctx, obj, at, &mut scope);
    }
    let start_at = match obj.get("StartAt") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(v) => {
            ctx.schema(&at.key("StartAt"), format!("StartAt must be a state name (a string), not {}", kind(v)));
            None
        }
        None => {
            ctx.schema(at, "StartAt is missing; it names the first state to run");
            None
        }
    };
    let states = match obj.get("States") {
        Some(Value::Object(states)) if !states.is_empty() => states,
        Some(Value::Object(_)) => return ctx.schema(&at.key("States"), "States is empty; a machine needs at least one state"),
        Some(v) => return ctx.schema(&at.key("States"), format!("States must be an object of states, not {}", kind(v))),
        None => return ctx.schema(at, "States is missing"),
    };
    let states_at = at.key("States");
    for (name, st) in states {
        let st_at = states_at.key(name);
        check_state_name(ctx, name, &st_at);
        ctx.names.push((name.clone(), st_at.clone()));
        state::check_state(ctx, name, st, &st_at, scope);
    }
    check_transitions(ctx, states, &states_at, start_at, at);
}

fn check_top_level(ctx: &mut Ctx, obj: &Obj, at: &Pointer, scope: &mut Scope) {
    match obj.get("QueryLanguage") {
        None => {}
        Some(Value::String(s)) if s == "JSONPath" => scope.language = QueryLanguage::JSONPath,
        Some(Value::String(s)) if s == "JSONata" => scope.language = QueryLanguage::JSONata,
        Some(v) => ctx.schema(&at.key("QueryLanguage"), format!("QueryLanguage must be \"JSONPath\" or \"JSONata\", not {v}")),
    }
    if let Some(v) = obj.get("TimeoutSeconds") {
        fields::check_positive_int(ctx, &at.key("TimeoutSeconds"), "TimeoutSeconds", v, 1);
    }
    if let Some(v) = obj.get("Version") {
        if !v.is_string() {
            ctx.schema(&at.key("Version"), format!("Version must be a string such as \"1.0\", not {}", kind(v)));
        }
    }
    if let Some(v) = obj.get("Comment") {
        fields::check_string(ctx, &at.key("Comment"), "Comment", v);
    }
}

fn check_state_name(ctx: &mut Ctx, name: &str, at: &Pointer) {
    let len = name.chars().count();
    if len == 0 || len > MAX_STATE_NAME_CHARS {
        ctx.push(
            Diagnostic::error(
                "INVALID_STATE_NAME",
                format!("state name {name:?} is {len} characters long; AWS accepts 1 to {MAX_STATE_NAME_CHARS}"),
            )
            .at(at.as_str()),
        );
    } else if name.chars().any(char::is_control) {
        ctx.push(Diagnostic::error("INVALID_STATE_NAME", format!("state name {name:?} contains a control character")).at(at.as_str()));
    }
}

/// Every Next, Default and Catch Next of a state, with where it is written.
fn targets(st: &Value, at: &Pointer) -> Vec<(String, Pointer)> {
    let mut out = Vec::new();
    let Value::Object(o) = st else { return out };
    for key in ["Next", "Default"] {
        if let Some(Value::String(t)) = o.get(key) {
            out.push((t.clone(), at.key(key)));
        }
    }
    for list in ["Choices", "Catch"] {
        if let Some(Value::Array(items)) = o.get(list) {
            for (i, item) in items.iter().enumerate() {
                if let Some(Value::String(t)) = item.get("Next") {
                    out.push((t.clone(), at.key(list).index(i).key("Next")));
                }
            }
        }
    }
    out
}

fn check_transitions(ctx: &mut Ctx, states: &Obj, states_at: &Pointer, start_at: Option<&str>, at: &Pointer) {
    let mut edges: HashMap<&str, Vec<String>> = HashMap::new();
    for (name, st) in states {
        for (target, ptr) in targets(st, &states_at.key(name)) {
            if !states.contains_key(&target) {
                missing_target(ctx, &target, &ptr);
            }
            edges.entry(name.as_str()).or_default().push(target);
        }
    }
    let Some(start) = start_at else { return };
    if !states.contains_key(start) {
        missing_target(ctx, start, &at.key("StartAt"));
        return;
    }
    let mut seen: HashSet<&str> = HashSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(s) = queue.pop_front() {
        for t in edges.get(s).into_iter().flatten() {
            if let Some((k, _)) = states.get_key_value(t) {
                if seen.insert(k.as_str()) {
                    queue.push_back(k.as_str());
                }
            }
        }
    }
    for name in states.keys() {
        if !seen.contains(name.as_str()) {
            ctx.push(
                Diagnostic::error("UNREACHABLE_STATE", format!("state {name:?} can never run: no transition leads to it"))
                    .at(states_at.key(name).as_str())
                    .with_help("remove it, or point a Next, Default or Catch at it"),
            );
        }
    }
    if !states.values().any(is_terminal) {
        ctx.push(
            Diagnostic::error("MISSING_END_STATE", "no state ends the execution: add \"End\": true, a Succeed or a Fail state")
                .at(states_at.as_str()),
        );
    }
}

fn is_terminal(st: &Value) -> bool {
    matches!(st.get("Type").and_then(Value::as_str), Some("Succeed" | "Fail")) || st.get("End") == Some(&Value::Bool(true))
}

/// Help for a missing target is added by [`finish`], once every name is known.
fn missing_target(ctx: &mut Ctx, target: &str, at: &Pointer) {
    ctx.missing.push((ctx.diags.len(), target.to_string()));
    ctx.push(Diagnostic::error("MISSING_TRANSITION_TARGET", format!("there is no state named {target:?} here")).at(at.as_str()));
}

/// Checks that need the whole machine: duplicate names, and whether a
/// missing target exists elsewhere (a transition out of a branch).
pub(crate) fn finish(ctx: &mut Ctx) {
    let names: HashSet<&str> = ctx.names.iter().map(|(n, _)| n.as_str()).collect();
    for (i, target) in &ctx.missing {
        let help = if names.contains(target.as_str()) {
            "that state exists, but transitions cannot leave a Parallel branch or a Map processor, nor enter one"
        } else {
            "check the spelling; state names are case-sensitive"
        };
        ctx.diags[*i].help = Some(help.to_string());
    }
    check_duplicate_names(ctx);
}

/// State names are unique across the whole machine, branches included.
fn check_duplicate_names(ctx: &mut Ctx) {
    let mut first: HashMap<&str, &Pointer> = HashMap::new();
    let mut found = Vec::new();
    for (name, at) in &ctx.names {
        match first.get(name.as_str()) {
            Some(prev) => found.push(
                Diagnostic::error("DUPLICATE_STATE_NAME", format!("state name {name:?} is used more than once"))
                    .at(at.as_str())
                    .with_help(format!("names must be unique in the whole machine; it is first used at {prev}")),
            ),
            None => {
                first.insert(name, at);
            }
        }
    }
    ctx.diags.extend(found);
}
