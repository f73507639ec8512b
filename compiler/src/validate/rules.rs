//! Choice rules, Retry and Catch.

use super::{exprs, fields, kind, Ctx, Obj};
use crate::json::Pointer;
use serde_json::Value;
use sfc_asl::paths::Roots;
use sfc_asl::{Operand, Operator, QueryLanguage};

pub(crate) fn check_choice(ctx: &mut Ctx, o: &Obj, at: &Pointer, lang: QueryLanguage) {
    let choices_at = at.key("Choices");
    match o.get("Choices") {
        Some(Value::Array(rules)) if !rules.is_empty() => {
            for (i, r) in rules.iter().enumerate() {
                check_rule(ctx, r, &choices_at.index(i), lang, true);
            }
        }
        Some(Value::Array(_)) => ctx.schema(&choices_at, "Choices is empty; a Choice state needs at least one rule"),
        Some(v) => ctx.schema(&choices_at, format!("Choices must be an array of rules, not {}", kind(v))),
        None => ctx.schema_help(
            at,
            "a Choice state needs Choices",
            "add \"Choices\": [{\"Variable\": \"$.x\", \"NumericEquals\": 1, \"Next\": \"...\"}]",
        ),
    }
    if let Some(v) = o.get("Default") {
        fields::check_string(ctx, &at.key("Default"), "Default", v);
    }
}

/// One rule; `top` rules carry Next (and may Assign/Output), nested ones do not.
fn check_rule(ctx: &mut Ctx, rule: &Value, at: &Pointer, lang: QueryLanguage, top: bool) {
    let Value::Object(r) = rule else {
        return ctx.schema(at, format!("a choice rule must be an object, not {}", kind(rule)));
    };
    let mut allowed = vec!["Comment"];
    if top {
        allowed.extend(["Next", "Assign"]);
        if lang == QueryLanguage::JSONata {
            allowed.push("Output");
        }
        match r.get("Next") {
            Some(v) => {
                fields::check_string(ctx, &at.key("Next"), "Next", v);
            }
            None => ctx.schema_help(at, "a choice rule needs Next", "add \"Next\" with the state to go to when the rule matches"),
        }
    } else if r.contains_key("Next") {
        ctx.schema(&at.key("Next"), "a rule nested in And, Or or Not cannot have Next; put Next on the outer rule");
    }
    if let Some(v) = r.get("Assign") {
        exprs::check_assign(ctx, v, &at.key("Assign"));
        if lang == QueryLanguage::JSONata {
            exprs::check_jsonata_tree(ctx, v, &at.key("Assign"));
        }
    }
    if let Some(v) = r.get("Output") {
        exprs::check_jsonata_tree(ctx, v, &at.key("Output"));
    }
    if lang == QueryLanguage::JSONata {
        allowed.push("Condition");
        check_unknown(ctx, r, at, &allowed);
        match r.get("Condition") {
            Some(v) if fields::is_jsonata(v) => exprs::check_jsonata_value(ctx, v, &at.key("Condition")),
            Some(Value::Bool(_)) => {}
            Some(v) => ctx.schema_help(
                &at.key("Condition"),
                format!("Condition must be a {{% %}} expression, not {v}"),
                "write \"Condition\": \"{% $states.input.x > 1 %}\"",
            ),
            None => ctx.schema_help(at, "a JSONata choice rule needs a Condition", "write \"Condition\": \"{% ... %}\""),
        }
        return;
    }
    let combinators: Vec<&str> = ["And", "Or", "Not"].into_iter().filter(|k| r.contains_key(*k)).collect();
    let ops: Vec<Operator> = r.keys().filter_map(|k| Operator::from_name(k)).collect();
    allowed.extend(combinators.iter().copied());
    allowed.extend(ops.iter().map(|o| o.name()));
    if !ops.is_empty() {
        allowed.push("Variable");
    }
    check_unknown(ctx, r, at, &allowed);
    match (combinators.as_slice(), ops.as_slice()) {
        ([], []) => {
            ctx.schema_help(at, "this choice rule tests nothing", "give it Variable and a comparison such as StringEquals, or And, Or, Not")
        }
        ([c], []) => check_combinator(ctx, r, c, at, lang),
        ([], [op]) => check_comparison(ctx, r, *op, at),
        _ => ctx.schema(at, "a choice rule takes exactly one comparison or one of And, Or, Not"),
    }
}

fn check_unknown(ctx: &mut Ctx, r: &Obj, at: &Pointer, allowed: &[&str]) {
    for key in r.keys() {
        if !allowed.contains(&key.as_str()) {
            let mut known: Vec<&str> = allowed.to_vec();
            known.extend(Operator::ALL.iter().map(|o| o.name()));
            fields::unknown_field(ctx, &at.key(key), key, &known, "in this choice rule");
        }
    }
}

fn check_combinator(ctx: &mut Ctx, r: &Obj, c: &str, at: &Pointer, lang: QueryLanguage) {
    let v = &r[c];
    let c_at = at.key(c);
    if c == "Not" {
        return check_rule(ctx, v, &c_at, lang, false);
    }
    match v {
        Value::Array(items) if !items.is_empty() => {
            for (i, item) in items.iter().enumerate() {
                check_rule(ctx, item, &c_at.index(i), lang, false);
            }
        }
        _ => ctx.schema(&c_at, format!("{c} must be a non-empty array of rules")),
    }
}

fn check_comparison(ctx: &mut Ctx, r: &Obj, op: Operator, at: &Pointer) {
    match r.get("Variable") {
        Some(v) => exprs::check_path_field(ctx, &at.key("Variable"), "Variable", v, false, exprs::PathKind::Json(Roots::ALL)),
        None => ctx.schema_help(at, format!("{} needs a Variable to compare", op.name()), "add \"Variable\": \"$.field\""),
    }
    let v = &r[op.name()];
    let v_at = at.key(op.name());
    let name = op.name();
    let ok = match op.operand() {
        Operand::String => v.is_string(),
        Operand::Number => v.is_number(),
        Operand::Boolean => v.is_boolean(),
        Operand::Timestamp => v.as_str().is_some_and(sfc_asl::timestamp::is_timestamp),
        Operand::Path => {
            exprs::check_path_field(ctx, &v_at, name, v, false, exprs::PathKind::Json(Roots::ALL));
            true
        }
    };
    if !ok {
        let want = match op.operand() {
            Operand::String => "a string",
            Operand::Number => "a number",
            Operand::Boolean => "true or false",
            Operand::Timestamp => "an RFC 3339 timestamp string such as \"2026-01-31T09:00:00Z\"",
            Operand::Path => "a path",
        };
        ctx.schema(&v_at, format!("{name} compares with {want}, not {v}"));
    }
}

/// Retry or Catch: an array of objects with ErrorEquals.
pub(crate) fn check_error_handlers(ctx: &mut Ctx, list: &str, v: &Value, at: &Pointer, lang: QueryLanguage) {
    let Value::Array(items) = v else {
        return ctx.schema(at, format!("{list} must be an array, not {}", kind(v)));
    };
    for (i, item) in items.iter().enumerate() {
        let item_at = at.index(i);
        let Value::Object(h) = item else {
            ctx.schema(&item_at, format!("each {list} entry must be an object, not {}", kind(item)));
            continue;
        };
        let allowed: &[&str] = if list == "Retry" {
            &["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"]
        } else if lang == QueryLanguage::JSONata {
            &["ErrorEquals", "Next", "Output", "Assign", "Comment"]
        } else {
            &["ErrorEquals", "Next", "ResultPath", "Assign", "Comment"]
        };
        for key in h.keys() {
            if !allowed.contains(&key.as_str()) {
                fields::unknown_field(ctx, &item_at.key(key), key, allowed, &format!("in a {list} entry"));
            }
        }
        let all_last = i + 1 == items.len();
        check_error_equals(ctx, h, &item_at, all_last, list);
        if list == "Retry" {
            check_retrier(ctx, h, &item_at);
        } else {
            check_catcher(ctx, h, &item_at, lang);
        }
    }
}

fn check_error_equals(ctx: &mut Ctx, h: &Obj, at: &Pointer, last: bool, list: &str) {
    let ee_at = at.key("ErrorEquals");
    match h.get("ErrorEquals") {
        None => {
            ctx.schema_help(at, format!("a {list} entry needs ErrorEquals"), "add \"ErrorEquals\": [\"States.ALL\"] to match every error")
        }
        Some(Value::Array(names)) if names.is_empty() => ctx.schema(&ee_at, "ErrorEquals is empty; name at least one error"),
        Some(Value::Array(names)) => {
            for (j, n) in names.iter().enumerate() {
                match n {
                    Value::String(s) if s == "States.ALL" => {
                        if names.len() > 1 {
                            ctx.schema(&ee_at.index(j), "States.ALL must appear alone in ErrorEquals");
                        }
                        if !last {
                            ctx.schema_help(
                                &ee_at.index(j),
                                format!("States.ALL must be in the last {list} entry"),
                                "move this entry to the end: entries are tried in order",
                            );
                        }
                    }
                    Value::String(_) => {}
                    other => ctx.schema(&ee_at.index(j), format!("error names are strings, not {}", kind(other))),
                }
            }
        }
        Some(v) => ctx.schema(&ee_at, format!("ErrorEquals must be an array of error names, not {}", kind(v))),
    }
}

fn check_retrier(ctx: &mut Ctx, h: &Obj, at: &Pointer) {
    if let Some(v) = h.get("IntervalSeconds") {
        fields::check_positive_int(ctx, &at.key("IntervalSeconds"), "IntervalSeconds", v, 1);
    }
    if let Some(v) = h.get("MaxAttempts") {
        fields::check_positive_int(ctx, &at.key("MaxAttempts"), "MaxAttempts", v, 0);
    }
    if let Some(v) = h.get("MaxDelaySeconds") {
        fields::check_int_range(ctx, &at.key("MaxDelaySeconds"), "MaxDelaySeconds", v, 1, 31_622_400);
    }
    if let Some(v) = h.get("BackoffRate") {
        match v.as_f64() {
            Some(r) if r >= 1.0 => {}
            Some(r) => ctx.schema(&at.key("BackoffRate"), format!("BackoffRate is {r}; it must be at least 1.0")),
            None => ctx.schema(&at.key("BackoffRate"), format!("BackoffRate must be a number, not {}", kind(v))),
        }
    }
    if let Some(v) = h.get("JitterStrategy") {
        if !matches!(v.as_str(), Some("FULL" | "NONE")) {
            ctx.schema(&at.key("JitterStrategy"), format!("JitterStrategy must be \"FULL\" or \"NONE\", not {v}"));
        }
    }
}

fn check_catcher(ctx: &mut Ctx, h: &Obj, at: &Pointer, lang: QueryLanguage) {
    match h.get("Next") {
        Some(v) => {
            fields::check_string(ctx, &at.key("Next"), "Next", v);
        }
        None => ctx.schema_help(at, "a Catch entry needs Next", "add \"Next\" with the state that handles the error"),
    }
    if let Some(v) = h.get("ResultPath") {
        exprs::check_path_field(ctx, &at.key("ResultPath"), "ResultPath", v, true, exprs::PathKind::Reference(Roots::INPUT_ONLY));
    }
    if let Some(v) = h.get("Assign") {
        exprs::check_assign(ctx, v, &at.key("Assign"));
    }
    if lang == QueryLanguage::JSONata {
        for f in ["Output", "Assign"] {
            if let Some(v) = h.get(f) {
                exprs::check_jsonata_tree(ctx, v, &at.key(f));
            }
        }
    }
}
