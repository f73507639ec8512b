//! The Map state: processor, items, concurrency, tolerated failures and
//! the distributed-mode reader, batcher and writer.

use super::{exprs, fields, graph, kind, resource, Ctx, Obj, Scope, ScopeKind};
use crate::diag::Diagnostic;
use crate::json::Pointer;
use serde_json::Value;
use sfc_asl::paths::Roots;
use sfc_asl::QueryLanguage;

pub(crate) fn check_map(ctx: &mut Ctx, o: &Obj, at: &Pointer, scope: Scope, lang: QueryLanguage) {
    let distributed = check_processor(ctx, o, at, scope, lang);
    fields::exclusive(ctx, o, at, "ItemSelector", "Parameters");
    fields::exclusive(ctx, o, at, "Items", "ItemsPath");
    if let Some(v) = o.get("ItemsPath") {
        exprs::check_path_field(ctx, &at.key("ItemsPath"), "ItemsPath", v, false, exprs::PathKind::Reference(Roots::ALL));
    }
    match (o.get("Items"), lang) {
        (Some(v @ Value::String(_)), _) => exprs::check_jsonata_value(ctx, v, &at.key("Items")),
        (Some(Value::Array(_)) | None, _) => {}
        (Some(v), _) => ctx.schema(&at.key("Items"), format!("Items must be an array or a {{% %}} expression, not {}", kind(v))),
    }
    if let Some(v) = o.get("ItemSelector") {
        match lang {
            QueryLanguage::JSONPath => exprs::check_template(ctx, v, &at.key("ItemSelector")),
            QueryLanguage::JSONata => exprs::check_jsonata_tree(ctx, v, &at.key("ItemSelector")),
        }
    }
    number_or_path(ctx, o, at, lang, "MaxConcurrency", 0, None);
    number_or_path(ctx, o, at, lang, "ToleratedFailureCount", 0, None);
    number_or_path(ctx, o, at, lang, "ToleratedFailurePercentage", 0, Some(100.0));
    if let Some(v) = o.get("Label") {
        if fields::check_string(ctx, &at.key("Label"), "Label", v) {
            let label = v.as_str().unwrap_or_default();
            if label.chars().count() > 40 || label.chars().any(|c| c.is_whitespace() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(c)) {
                ctx.schema(
                    &at.key("Label"),
                    format!("Label {label:?} must be at most 40 characters, without spaces or <>{{}}[]?*\"#%\\^|~`$&,;:/"),
                );
            }
        }
    }
    // Distributed-mode fields on a Map without a ProcessorConfig: AWS's
    // documentation ties them to DISTRIBUTED mode, but definitions without
    // the config are accepted, so this is a warning.
    for field in ["ItemReader", "ItemBatcher", "ResultWriter"] {
        if !distributed && o.contains_key(field) {
            ctx.push(
                Diagnostic::warning("DISTRIBUTED_FIELD_ON_INLINE_MAP", format!("{field} belongs to a Map in DISTRIBUTED mode"))
                    .at(at.key(field).as_str())
                    .with_help(
                        "set \"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"STANDARD\"} on the ItemProcessor",
                    ),
            );
        }
    }
    if let Some(v) = o.get("ItemReader") {
        check_reader(ctx, v, &at.key("ItemReader"), lang);
    }
    if let Some(v) = o.get("ItemBatcher") {
        check_batcher(ctx, v, &at.key("ItemBatcher"), lang);
    }
    if let Some(v) = o.get("ResultWriter") {
        check_writer(ctx, v, &at.key("ResultWriter"), lang);
    }
}

/// ItemProcessor (or Iterator); returns whether the Map is distributed.
fn check_processor(ctx: &mut Ctx, o: &Obj, at: &Pointer, scope: Scope, lang: QueryLanguage) -> bool {
    let field = match (o.contains_key("ItemProcessor"), o.contains_key("Iterator")) {
        (true, true) => {
            ctx.schema_help(
                &at.key("Iterator"),
                "ItemProcessor and Iterator cannot both be set",
                "Iterator is the old name of ItemProcessor: keep ItemProcessor",
            );
            "ItemProcessor"
        }
        (true, false) => "ItemProcessor",
        (false, true) => "Iterator",
        (false, false) => {
            ctx.schema_help(at, "a Map state needs an ItemProcessor", "add \"ItemProcessor\": {\"StartAt\": ..., \"States\": {...}}");
            return false;
        }
    };
    let p_at = at.key(field);
    let Value::Object(p) = &o[field] else {
        ctx.schema(&p_at, format!("{field} must be an object with StartAt and States, not {}", kind(&o[field])));
        return false;
    };
    let inner = Scope { kind: ScopeKind::Processor, language: lang, depth: scope.depth + 1 };
    graph::check_machine(ctx, p, &p_at, inner);
    let Some(cfg) = p.get("ProcessorConfig") else { return false };
    let cfg_at = p_at.key("ProcessorConfig");
    let Value::Object(cfg) = cfg else {
        ctx.schema(&cfg_at, format!("ProcessorConfig must be an object, not {}", kind(cfg)));
        return false;
    };
    for key in cfg.keys() {
        if !["Mode", "ExecutionType"].contains(&key.as_str()) {
            fields::unknown_field(ctx, &cfg_at.key(key), key, &["Mode", "ExecutionType"], "in ProcessorConfig");
        }
    }
    let mode = cfg.get("Mode").and_then(Value::as_str);
    if !matches!(cfg.get("Mode"), None | Some(Value::String(_))) || !matches!(mode, None | Some("INLINE" | "DISTRIBUTED")) {
        ctx.schema(&cfg_at.key("Mode"), "Mode must be \"INLINE\" or \"DISTRIBUTED\"");
    }
    let distributed = mode == Some("DISTRIBUTED");
    match cfg.get("ExecutionType") {
        None if distributed => {
            ctx.schema_help(&cfg_at, "a DISTRIBUTED Map needs an ExecutionType", "add \"ExecutionType\": \"STANDARD\" or \"EXPRESS\"")
        }
        Some(v) if !matches!(v.as_str(), Some("STANDARD" | "EXPRESS")) => {
            ctx.schema(&cfg_at.key("ExecutionType"), format!("ExecutionType must be \"STANDARD\" or \"EXPRESS\", not {v}"))
        }
        _ => {}
    }
    distributed
}

/// `Field` (a number, or an expression in JSONata) and `FieldPath` (a
/// reference path), never both.
fn number_or_path(ctx: &mut Ctx, o: &Obj, at: &Pointer, lang: QueryLanguage, field: &str, min: u64, max: Option<f64>) {
    let path_field = format!("{field}Path");
    fields::exclusive(ctx, o, at, field, &path_field);
    if let Some(v) = o.get(&path_field) {
        exprs::check_path_field(ctx, &at.key(&path_field), &path_field, v, false, exprs::PathKind::Reference(Roots::ALL));
    }
    let Some(v) = o.get(field) else { return };
    let f_at = at.key(field);
    match (v, max) {
        (Value::String(_), _) if lang == QueryLanguage::JSONata => exprs::check_jsonata_value(ctx, v, &f_at),
        (Value::Number(n), Some(max)) => {
            let x = n.as_f64().unwrap_or(-1.0);
            if !(min as f64..=max).contains(&x) {
                ctx.schema(&f_at, format!("{field} is {n}; it must be between {min} and {max}"));
            }
        }
        // AWS documents MaxItems up to 100,000,000 (one more than other counts allow).
        _ if field == "MaxItems" => fields::check_int_range(ctx, &f_at, field, v, min, 100_000_000),
        _ => fields::check_positive_int(ctx, &f_at, field, v, min),
    }
}

/// Checks an object's keys against a list, and each `X`/`XPath` pair.
fn check_keys(ctx: &mut Ctx, o: &Obj, at: &Pointer, allowed: &[&str], place: &str) {
    for key in o.keys() {
        if !allowed.contains(&key.as_str()) {
            fields::unknown_field(ctx, &at.key(key), key, allowed, place);
        }
    }
}

fn as_object<'v>(ctx: &mut Ctx, v: &'v Value, at: &Pointer, field: &str) -> Option<&'v Obj> {
    match v {
        Value::Object(o) => Some(o),
        other => {
            ctx.schema(at, format!("{field} must be an object, not {}", kind(other)));
            None
        }
    }
}

fn check_reader(ctx: &mut Ctx, v: &Value, at: &Pointer, lang: QueryLanguage) {
    let Some(r) = as_object(ctx, v, at, "ItemReader") else { return };
    check_keys(ctx, r, at, &["Resource", "Parameters", "Arguments", "ReaderConfig"], "in ItemReader");
    match r.get("Resource") {
        Some(res) => resource::check_resource(ctx, res, &at.key("Resource")),
        None => ctx.schema_help(
            at,
            "ItemReader needs a Resource",
            "for example \"arn:aws:states:::s3:getObject\" or \"arn:aws:states:::s3:listObjectsV2\"",
        ),
    }
    check_arguments(ctx, r, at, lang);
    let Some(cfg) = r.get("ReaderConfig") else { return };
    let cfg_at = at.key("ReaderConfig");
    let Some(cfg) = as_object(ctx, cfg, &cfg_at, "ReaderConfig") else { return };
    check_keys(
        ctx,
        cfg,
        &cfg_at,
        &["InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "ManifestType", "MaxItems", "MaxItemsPath"],
        "in ReaderConfig",
    );
    number_or_path(ctx, cfg, &cfg_at, lang, "MaxItems", 0, None);
    if let Some(t) = cfg.get("InputType") {
        if !matches!(t.as_str(), Some("CSV" | "JSON" | "JSONL" | "MANIFEST" | "PARQUET")) {
            ctx.schema(&cfg_at.key("InputType"), format!("InputType must be one of CSV, JSON, JSONL, MANIFEST, PARQUET, not {t}"));
        }
    }
    if let Some(h) = cfg.get("CSVHeaderLocation") {
        if !matches!(h.as_str(), Some("FIRST_ROW" | "GIVEN")) {
            ctx.schema(&cfg_at.key("CSVHeaderLocation"), format!("CSVHeaderLocation must be FIRST_ROW or GIVEN, not {h}"));
        } else if h == "GIVEN" && !cfg.contains_key("CSVHeaders") {
            ctx.schema(&cfg_at, "CSVHeaderLocation GIVEN needs CSVHeaders");
        }
    }
}

fn check_batcher(ctx: &mut Ctx, v: &Value, at: &Pointer, lang: QueryLanguage) {
    let Some(b) = as_object(ctx, v, at, "ItemBatcher") else { return };
    check_keys(
        ctx,
        b,
        at,
        &["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput"],
        "in ItemBatcher",
    );
    number_or_path(ctx, b, at, lang, "MaxItemsPerBatch", 1, None);
    number_or_path(ctx, b, at, lang, "MaxInputBytesPerBatch", 1, None);
    if let Some(bi) = b.get("BatchInput") {
        if lang == QueryLanguage::JSONPath {
            exprs::check_template(ctx, bi, &at.key("BatchInput"));
        } else {
            exprs::check_jsonata_tree(ctx, bi, &at.key("BatchInput"));
        }
    }
}

fn check_writer(ctx: &mut Ctx, v: &Value, at: &Pointer, lang: QueryLanguage) {
    let Some(w) = as_object(ctx, v, at, "ResultWriter") else { return };
    check_keys(ctx, w, at, &["Resource", "Parameters", "Arguments", "WriterConfig"], "in ResultWriter");
    if let Some(res) = w.get("Resource") {
        resource::check_resource(ctx, res, &at.key("Resource"));
    } else if !w.contains_key("WriterConfig") {
        ctx.schema(at, "ResultWriter needs a Resource or a WriterConfig");
    }
    check_arguments(ctx, w, at, lang);
}

/// Parameters (JSONPath) or Arguments (JSONata) of a reader or writer.
fn check_arguments(ctx: &mut Ctx, o: &Obj, at: &Pointer, lang: QueryLanguage) {
    match lang {
        QueryLanguage::JSONPath => {
            if o.contains_key("Arguments") {
                ctx.schema_help(&at.key("Arguments"), "Arguments is a JSONata field, and this state uses JSONPath", "use Parameters");
            }
            if let Some(p) = o.get("Parameters") {
                exprs::check_template(ctx, p, &at.key("Parameters"));
            }
        }
        QueryLanguage::JSONata => {
            if o.contains_key("Parameters") {
                ctx.schema_help(&at.key("Parameters"), "Parameters is a JSONPath field, and this state uses JSONata", "use Arguments");
            }
            if let Some(a) = o.get("Arguments") {
                exprs::check_jsonata_tree(ctx, a, &at.key("Arguments"));
            }
        }
    }
}
