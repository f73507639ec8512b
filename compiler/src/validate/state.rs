//! Per-state checks: Type, flow (Next/End), and the fields of each type.

use super::{exprs, fields, kind, map, resource, rules, Ctx, Obj, Scope};
use crate::diag::Diagnostic;
use crate::json::Pointer;
use serde_json::Value;
use sfc_asl::paths::Roots;
use sfc_asl::QueryLanguage;

const TYPES: &[&str] = &["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];

pub(crate) fn check_state(ctx: &mut Ctx, name: &str, st: &Value, at: &Pointer, scope: Scope) {
    let Value::Object(o) = st else {
        return ctx.schema(at, format!("state {name:?} must be a JSON object, not {}", kind(st)));
    };
    let ty = match o.get("Type") {
        Some(Value::String(t)) if TYPES.contains(&t.as_str()) => t.as_str(),
        Some(t) => return ctx.schema_help(&at.key("Type"), format!("{t} is not a state type"), format!("use one of {}", TYPES.join(", "))),
        None => return ctx.schema_help(at, format!("state {name:?} has no Type"), format!("add \"Type\": one of {}", TYPES.join(", "))),
    };
    let lang = match o.get("QueryLanguage") {
        None => scope.language,
        Some(Value::String(s)) if s == "JSONPath" => QueryLanguage::JSONPath,
        Some(Value::String(s)) if s == "JSONata" => QueryLanguage::JSONata,
        Some(v) => {
            ctx.schema(&at.key("QueryLanguage"), format!("QueryLanguage must be \"JSONPath\" or \"JSONata\", not {v}"));
            scope.language
        }
    };
    if scope.language == QueryLanguage::JSONata && lang == QueryLanguage::JSONPath {
        // CDK refuses this mix; AWS has been seen to accept it, so it warns.
        ctx.push(
            Diagnostic::warning("JSONPATH_IN_JSONATA_MACHINE", "this state uses JSONPath inside a machine that uses JSONata")
                .at(at.key("QueryLanguage").as_str())
                .with_help("CDK rejects this mix; set QueryLanguage on the machine to JSONPath and JSONata on the states that use it"),
        );
    }
    fields::check_fields(ctx, o, ty, lang, at);
    check_flow(ctx, o, ty, at);
    check_common(ctx, o, at, lang);
    match ty {
        "Task" => check_task(ctx, o, at, lang),
        "Wait" => check_wait(ctx, o, at, lang),
        "Fail" => check_fail(ctx, o, at, lang),
        "Choice" => rules::check_choice(ctx, o, at, lang),
        "Parallel" => check_parallel(ctx, o, at, scope, lang),
        "Map" => map::check_map(ctx, o, at, scope, lang),
        _ => {}
    }
    for list in ["Retry", "Catch"] {
        if let Some(v) = o.get(list) {
            rules::check_error_handlers(ctx, list, v, &at.key(list), lang);
        }
    }
}

fn check_flow(ctx: &mut Ctx, o: &Obj, ty: &str, at: &Pointer) {
    if !["Task", "Pass", "Wait", "Parallel", "Map"].contains(&ty) {
        return;
    }
    let next = o.get("Next");
    let end = o.get("End");
    if let Some(v) = next {
        fields::check_string(ctx, &at.key("Next"), "Next", v);
    }
    match end {
        Some(Value::Bool(_)) | None => {}
        Some(v) => ctx.schema(&at.key("End"), format!("End must be true, not {}", kind(v))),
    }
    let ends = end == Some(&Value::Bool(true));
    if next.is_some() && end.is_some() {
        ctx.schema_help(&at.key("End"), "a state cannot have both Next and End", "keep Next to continue, or End to stop here");
    } else if next.is_none() && !ends {
        ctx.schema_help(
            at,
            format!("this {ty} state has neither Next nor \"End\": true"),
            "add Next with the following state's name, or \"End\": true",
        );
    }
}

/// Fields shared by most state types.
fn check_common(ctx: &mut Ctx, o: &Obj, at: &Pointer, lang: QueryLanguage) {
    if let Some(v) = o.get("Comment") {
        fields::check_string(ctx, &at.key("Comment"), "Comment", v);
    }
    if lang == QueryLanguage::JSONPath {
        for field in ["InputPath", "OutputPath"] {
            if let Some(v) = o.get(field) {
                exprs::check_path_field(ctx, &at.key(field), field, v, true, exprs::PathKind::Json(Roots::ALL));
            }
        }
        if let Some(v) = o.get("ResultPath") {
            exprs::check_path_field(ctx, &at.key("ResultPath"), "ResultPath", v, true, exprs::PathKind::Reference(Roots::INPUT_ONLY));
        }
        for field in ["Parameters", "ResultSelector"] {
            if let Some(v) = o.get(field) {
                exprs::check_template(ctx, v, &at.key(field));
            }
        }
        if let Some(a @ Value::Object(_)) = o.get("Assign") {
            exprs::check_template(ctx, a, &at.key("Assign"));
        }
    } else {
        for field in ["Arguments", "Output", "Assign"] {
            if let Some(v) = o.get(field) {
                exprs::check_jsonata_tree(ctx, v, &at.key(field));
            }
        }
        if let Some(v) = o.get("Arguments") {
            if !(v.is_object() || fields::is_jsonata(v)) {
                ctx.schema(&at.key("Arguments"), format!("Arguments must be an object or a {{% %}} expression, not {}", kind(v)));
            }
        }
    }
    if let Some(v) = o.get("Assign") {
        exprs::check_assign(ctx, v, &at.key("Assign"));
    }
}

/// A number field that JSONata states may also give as an expression.
fn check_seconds(ctx: &mut Ctx, o: &Obj, at: &Pointer, field: &str, lang: QueryLanguage, min: u64) {
    let Some(v) = o.get(field) else { return };
    if lang == QueryLanguage::JSONata && v.is_string() {
        exprs::check_jsonata_value(ctx, v, &at.key(field));
    } else {
        fields::check_positive_int(ctx, &at.key(field), field, v, min);
    }
}

fn check_task(ctx: &mut Ctx, o: &Obj, at: &Pointer, lang: QueryLanguage) {
    match o.get("Resource") {
        Some(v) => resource::check_resource(ctx, v, &at.key("Resource")),
        None => ctx.schema_help(at, "a Task state needs a Resource", "add the ARN of the service integration, activity or Lambda function"),
    }
    check_seconds(ctx, o, at, "TimeoutSeconds", lang, 1);
    check_seconds(ctx, o, at, "HeartbeatSeconds", lang, 1);
    for field in ["TimeoutSecondsPath", "HeartbeatSecondsPath"] {
        if let Some(v) = o.get(field) {
            exprs::check_path_field(ctx, &at.key(field), field, v, false, exprs::PathKind::Reference(Roots::ALL));
        }
    }
    fields::exclusive(ctx, o, at, "TimeoutSeconds", "TimeoutSecondsPath");
    fields::exclusive(ctx, o, at, "HeartbeatSeconds", "HeartbeatSecondsPath");
    if let (Some(t), Some(h)) = (o.get("TimeoutSeconds").and_then(Value::as_u64), o.get("HeartbeatSeconds").and_then(Value::as_u64)) {
        if h >= t {
            ctx.schema(&at.key("HeartbeatSeconds"), format!("HeartbeatSeconds ({h}) must be smaller than TimeoutSeconds ({t})"));
        }
    }
    if let Some(v) = o.get("Credentials") {
        match v {
            Value::Object(_) if lang == QueryLanguage::JSONPath => exprs::check_template(ctx, v, &at.key("Credentials")),
            Value::Object(_) => exprs::check_jsonata_tree(ctx, v, &at.key("Credentials")),
            _ => ctx.schema_help(
                &at.key("Credentials"),
                format!("Credentials must be an object, not {}", kind(v)),
                "write {\"RoleArn\": \"arn:aws:iam::123456789012:role/Name\"}",
            ),
        }
    }
}

fn check_wait(ctx: &mut Ctx, o: &Obj, at: &Pointer, lang: QueryLanguage) {
    let forms = ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"];
    let present: Vec<&str> = forms.iter().copied().filter(|f| o.contains_key(*f)).collect();
    match present.len() {
        0 => ctx.schema_help(
            at,
            "a Wait state needs one of Seconds, Timestamp, SecondsPath or TimestampPath",
            "add \"Seconds\": 10, for example",
        ),
        1 => {}
        _ => ctx.schema_help(
            &at.key(present[1]),
            format!("a Wait state takes exactly one of {}; this one has {}", forms.join(", "), present.join(" and ")),
            format!("keep only {}", present[0]),
        ),
    }
    check_seconds(ctx, o, at, "Seconds", lang, 0);
    if let Some(v) = o.get("Timestamp") {
        match v.as_str() {
            Some(s) if lang == QueryLanguage::JSONata && s.starts_with("{%") => exprs::check_jsonata_value(ctx, v, &at.key("Timestamp")),
            Some(s) if sfc_asl::timestamp::is_timestamp(s) => {}
            _ => ctx.schema_help(
                &at.key("Timestamp"),
                format!("Timestamp must be an RFC 3339 time, not {v}"),
                "write it like \"2026-01-31T09:00:00Z\"",
            ),
        }
    }
    for field in ["SecondsPath", "TimestampPath"] {
        if let Some(v) = o.get(field) {
            exprs::check_path_field(ctx, &at.key(field), field, v, false, exprs::PathKind::Reference(Roots::ALL));
        }
    }
}

fn check_fail(ctx: &mut Ctx, o: &Obj, at: &Pointer, lang: QueryLanguage) {
    fields::exclusive(ctx, o, at, "Error", "ErrorPath");
    fields::exclusive(ctx, o, at, "Cause", "CausePath");
    for field in ["Error", "Cause"] {
        if let Some(v) = o.get(field) {
            if fields::check_string(ctx, &at.key(field), field, v) && lang == QueryLanguage::JSONata {
                exprs::check_jsonata_tree(ctx, v, &at.key(field));
            }
        }
    }
    for field in ["ErrorPath", "CausePath"] {
        if let Some(v) = o.get(field) {
            exprs::check_path_field(ctx, &at.key(field), field, v, false, exprs::PathKind::PathOrIntrinsic);
        }
    }
}

fn check_parallel(ctx: &mut Ctx, o: &Obj, at: &Pointer, scope: Scope, lang: QueryLanguage) {
    let branches_at = at.key("Branches");
    match o.get("Branches") {
        Some(Value::Array(bs)) if !bs.is_empty() => {
            for (i, b) in bs.iter().enumerate() {
                let inner = Scope { kind: super::ScopeKind::Branch, language: lang, depth: scope.depth + 1 };
                match b {
                    Value::Object(bo) => super::graph::check_machine(ctx, bo, &branches_at.index(i), inner),
                    other => ctx
                        .schema(&branches_at.index(i), format!("a branch must be an object with StartAt and States, not {}", kind(other))),
                }
            }
        }
        Some(Value::Array(_)) => ctx.schema(&branches_at, "Branches is empty; a Parallel state needs at least one branch"),
        Some(v) => ctx.schema(&branches_at, format!("Branches must be an array of branches, not {}", kind(v))),
        None => ctx.schema_help(at, "a Parallel state needs Branches", "add \"Branches\": [{\"StartAt\": ..., \"States\": {...}}]"),
    }
}
