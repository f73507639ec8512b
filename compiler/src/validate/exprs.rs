//! Expressions inside fields: paths, payload templates, intrinsic calls,
//! JSONata `{% %}` strings and variable assignments.

use super::{kind, Ctx};
use crate::diag::Diagnostic;
use crate::json::Pointer;
use serde_json::Value;
use sfc_asl::intrinsic;
use sfc_asl::paths::{self, Roots};

/// What a path field holds.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PathKind {
    Reference(Roots),
    Json(Roots),
    /// A path or an intrinsic call (Fail's ErrorPath and CausePath).
    PathOrIntrinsic,
}

pub(crate) fn check_path_field(ctx: &mut Ctx, at: &Pointer, field: &str, v: &Value, nullable: bool, pk: PathKind) {
    let s = match v {
        Value::String(s) => s,
        Value::Null if nullable => return,
        other => {
            let also = if nullable { " or null" } else { "" };
            return ctx.schema(at, format!("{field} must be a path string{also}, not {}", kind(other)));
        }
    };
    if !ctx.opts.check_paths {
        return;
    }
    let result = match pk {
        PathKind::Reference(r) => paths::check_reference_path(s, r),
        PathKind::Json(r) => paths::check_json_path(s, r),
        PathKind::PathOrIntrinsic if intrinsic::looks_like_call(s) => return check_intrinsic(ctx, at, s),
        PathKind::PathOrIntrinsic => paths::check_json_path(s, Roots::ALL),
    };
    if let Err(e) = result {
        let mut d = Diagnostic::error("SCHEMA_VALIDATION_FAILED", format!("{field}: {e}")).at(at.as_str());
        if intrinsic::looks_like_call(s) {
            d.help = Some(format!("{field} takes a path; intrinsic functions go in Parameters or ResultSelector under a key ending in .$"));
        }
        ctx.push(d);
    }
}

fn check_intrinsic(ctx: &mut Ctx, at: &Pointer, s: &str) {
    match intrinsic::parse(s) {
        Err(e) => ctx.schema(at, format!("invalid intrinsic function call {}: {e}", crate::diag::quoted(s, 120))),
        Ok(call) => {
            for problem in intrinsic::check_call(&call) {
                ctx.schema(at, problem);
            }
            check_call_paths(ctx, at, &call);
        }
    }
}

fn check_call_paths(ctx: &mut Ctx, at: &Pointer, call: &intrinsic::Call) {
    for arg in &call.args {
        match arg {
            intrinsic::Arg::Path(p) => {
                if let Err(e) = paths::check_json_path(p, Roots::ALL) {
                    ctx.schema(at, format!("in {}: {e}", call.name));
                }
            }
            intrinsic::Arg::Call(inner) => check_call_paths(ctx, at, inner),
            _ => {}
        }
    }
}

/// A JSONPath payload template (Parameters, ResultSelector, ItemSelector,
/// Credentials, Assign): every `key.$` holds a path or an intrinsic call,
/// and no `key.$` sits beside a plain `key`, which it would overwrite.
pub(crate) fn check_template(ctx: &mut Ctx, v: &Value, at: &Pointer) {
    match v {
        Value::Object(o) => {
            for (k, item) in o {
                let item_at = at.key(k);
                if let Some(base) = k.strip_suffix(".$") {
                    if o.contains_key(base) {
                        ctx.schema_help(&item_at, format!("{k:?} and {base:?} both produce the field {base:?}"), "keep one of them");
                    }
                    match item {
                        Value::String(s) if intrinsic::looks_like_call(s) && !s.starts_with(' ') => check_intrinsic(ctx, &item_at, s),
                        Value::String(s) => check_dynamic_path(ctx, &item_at, k, s),
                        other => ctx.schema_help(
                            &item_at,
                            format!("{k} must be a path or an intrinsic function (a string), not {}", kind(other)),
                            format!("drop the .$ from {k:?} to use a literal value"),
                        ),
                    }
                } else {
                    if let Value::String(s) = item {
                        if s.starts_with("$.") || s.starts_with("$$.") {
                            ctx.push(
                                Diagnostic::warning("NO_DOLLAR", format!("{k:?} holds {s:?}, which looks like a path, but the key does not end in .$, so it stays a literal string"))
                                    .at(item_at.as_str())
                                    .with_help(format!("rename the key to \"{k}.$\" to read the value at that path")),
                            );
                        }
                    }
                    check_template(ctx, item, &item_at);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_template(ctx, item, &at.index(i));
            }
        }
        _ => {}
    }
}

fn check_dynamic_path(ctx: &mut Ctx, at: &Pointer, key: &str, s: &str) {
    if !ctx.opts.check_paths {
        return;
    }
    if let Err(e) = paths::check_json_path(s, Roots::ALL) {
        let help = if s.trim_start().starts_with("States.") {
            "an intrinsic call must start right after the opening quote".to_string()
        } else {
            format!("drop the .$ from {key:?} to use {s:?} as a literal value")
        };
        ctx.schema_help(at, format!("{key}: {e}"), help);
    }
}

/// Every string under `v` that opens or closes a `{% %}` must be a whole,
/// well-formed JSONata expression.
pub(crate) fn check_jsonata_tree(ctx: &mut Ctx, v: &Value, at: &Pointer) {
    match v {
        Value::String(s) if s.starts_with("{%") || s.ends_with("%}") => check_jsonata_value(ctx, v, at),
        Value::Object(o) => {
            for (k, item) in o {
                check_jsonata_tree(ctx, item, &at.key(k));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_jsonata_tree(ctx, item, &at.index(i));
            }
        }
        _ => {}
    }
}

/// A string that must be one `{% expression %}`.
pub(crate) fn check_jsonata_value(ctx: &mut Ctx, v: &Value, at: &Pointer) {
    let Some(s) = v.as_str() else { return };
    let (Some(inner), true) = (s.strip_prefix("{%"), s.ends_with("%}") && s.len() >= 4) else {
        let missing = if s.starts_with("{%") { "%}" } else { "{%" };
        return ctx.schema_help(
            at,
            format!("JSONata expression {s:?} is missing its {missing:?}"),
            "write a JSONata expression as \"{% expression %}\"",
        );
    };
    let inner = &inner[..inner.len() - 2];
    if ctx.opts.strict_jsonata_spacing {
        let spaced = inner.len() >= 3 && inner.starts_with(' ') && inner.ends_with(' ') && !inner.contains('\n');
        if !spaced {
            ctx.schema_help(
                at,
                format!("JSONata expression {s:?} is not written as \"{{% expression %}}\""),
                "put exactly one space after {% and before %}",
            );
        }
    }
    if inner.trim().is_empty() {
        return ctx.schema(at, "the JSONata expression is empty");
    }
    if let Err(e) = jsonata_core::parser::parse(inner) {
        ctx.schema_help(
            at,
            format!("invalid JSONata expression {s:?}: {e}"),
            "see the JSONata 2.0 syntax; Step Functions reads the input as $states.input",
        );
    }
}

/// Assign: an object whose keys are variable names.
pub(crate) fn check_assign(ctx: &mut Ctx, v: &Value, at: &Pointer) {
    let Value::Object(o) = v else {
        return ctx.schema(at, format!("Assign must be an object of variable names to values, not {}", kind(v)));
    };
    for k in o.keys() {
        let name = k.strip_suffix(".$").unwrap_or(k);
        if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '.') {
            ctx.schema_help(&at.key(k), format!("{name:?} is not a valid variable name"), "variable names hold no spaces or dots");
        } else if name == "states" {
            ctx.schema(&at.key(k), "\"states\" is reserved for $states and cannot be assigned");
        }
    }
}
