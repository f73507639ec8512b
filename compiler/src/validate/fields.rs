//! Which fields each state type takes, in which query language, and the
//! small type checks every field shares.

use super::{kind, Ctx};
use crate::asl::QueryLanguage;
use crate::json::Pointer;
use serde_json::Value;

/// Which query language a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Both,
    JsonPath,
    Jsonata,
}

const ALL: &[&str] = &["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];
const FLOW: &[&str] = &["Task", "Pass", "Wait", "Parallel", "Map"];
const NOT_FAIL: &[&str] = &["Task", "Pass", "Choice", "Wait", "Succeed", "Parallel", "Map"];
const RESULTS: &[&str] = &["Task", "Parallel", "Map"];

/// (field, language, state types that take it)
const FIELDS: &[(&str, Lang, &[&str])] = &[
    ("Type", Lang::Both, ALL),
    ("Comment", Lang::Both, ALL),
    ("QueryLanguage", Lang::Both, ALL),
    ("Next", Lang::Both, FLOW),
    ("End", Lang::Both, FLOW),
    ("InputPath", Lang::JsonPath, NOT_FAIL),
    ("OutputPath", Lang::JsonPath, NOT_FAIL),
    ("Parameters", Lang::JsonPath, &["Task", "Pass", "Parallel", "Map"]),
    ("ResultSelector", Lang::JsonPath, RESULTS),
    ("ResultPath", Lang::JsonPath, &["Task", "Pass", "Parallel", "Map"]),
    ("Arguments", Lang::Jsonata, &["Task", "Parallel"]),
    ("Output", Lang::Jsonata, NOT_FAIL),
    ("Assign", Lang::Both, &["Task", "Pass", "Choice", "Wait", "Parallel", "Map"]),
    ("Result", Lang::JsonPath, &["Pass"]),
    ("Resource", Lang::Both, &["Task"]),
    ("TimeoutSeconds", Lang::Both, &["Task"]),
    ("TimeoutSecondsPath", Lang::JsonPath, &["Task"]),
    ("HeartbeatSeconds", Lang::Both, &["Task"]),
    ("HeartbeatSecondsPath", Lang::JsonPath, &["Task"]),
    ("Credentials", Lang::Both, &["Task"]),
    ("Retry", Lang::Both, RESULTS),
    ("Catch", Lang::Both, RESULTS),
    ("Choices", Lang::Both, &["Choice"]),
    ("Default", Lang::Both, &["Choice"]),
    ("Seconds", Lang::Both, &["Wait"]),
    ("Timestamp", Lang::Both, &["Wait"]),
    ("SecondsPath", Lang::JsonPath, &["Wait"]),
    ("TimestampPath", Lang::JsonPath, &["Wait"]),
    ("Error", Lang::Both, &["Fail"]),
    ("Cause", Lang::Both, &["Fail"]),
    ("ErrorPath", Lang::JsonPath, &["Fail"]),
    ("CausePath", Lang::JsonPath, &["Fail"]),
    ("Branches", Lang::Both, &["Parallel"]),
    ("ItemProcessor", Lang::Both, &["Map"]),
    ("Iterator", Lang::JsonPath, &["Map"]),
    ("ItemsPath", Lang::JsonPath, &["Map"]),
    ("Items", Lang::Jsonata, &["Map"]),
    ("ItemSelector", Lang::Both, &["Map"]),
    ("ItemReader", Lang::Both, &["Map"]),
    ("ItemBatcher", Lang::Both, &["Map"]),
    ("ResultWriter", Lang::Both, &["Map"]),
    ("MaxConcurrency", Lang::Both, &["Map"]),
    ("MaxConcurrencyPath", Lang::JsonPath, &["Map"]),
    ("ToleratedFailurePercentage", Lang::Both, &["Map"]),
    ("ToleratedFailurePercentagePath", Lang::JsonPath, &["Map"]),
    ("ToleratedFailureCount", Lang::Both, &["Map"]),
    ("ToleratedFailureCountPath", Lang::JsonPath, &["Map"]),
    ("Label", Lang::Both, &["Map"]),
];

/// The fields a state of type `ty` may have, in any language.
pub(crate) fn fields_of(ty: &str) -> Vec<&'static str> {
    FIELDS.iter().filter(|(_, _, types)| types.contains(&ty)).map(|(f, _, _)| *f).collect()
}

/// Checks that every field of a state belongs to its type and language.
pub(crate) fn check_fields(ctx: &mut Ctx, st: &super::Obj, ty: &str, lang: QueryLanguage, at: &Pointer) {
    let known = fields_of(ty);
    for key in st.keys() {
        let Some((_, field_lang, _)) = FIELDS.iter().find(|(f, _, types)| f == key && types.contains(&ty)) else {
            unknown_field(ctx, &at.key(key), key, &known, &format!("in a {ty} state"));
            continue;
        };
        let wrong = match (field_lang, lang) {
            (Lang::JsonPath, QueryLanguage::JSONata) => Some(("JSONata", "JSONPath")),
            (Lang::Jsonata, QueryLanguage::JSONPath) => Some(("JSONPath", "JSONata")),
            _ => None,
        };
        if let Some((state_lang, field_lang)) = wrong {
            ctx.schema_help(
                &at.key(key),
                format!("{key} is a {field_lang} field, and this state uses {state_lang}"),
                replacement(key, lang),
            );
        }
    }
}

/// How to say the same thing in the other query language.
fn replacement(field: &str, lang: QueryLanguage) -> String {
    match lang {
        QueryLanguage::JSONata => match field {
            "Parameters" => "in JSONata states use Arguments (or Output on Pass states)".into(),
            "ResultSelector" | "ResultPath" | "OutputPath" | "InputPath" | "Result" => {
                "in JSONata states shape the result with Output and {% %} expressions over $states".into()
            }
            "ItemsPath" => "in JSONata states use Items".into(),
            "Iterator" => "use ItemProcessor".into(),
            f if f.ends_with("Path") => format!("in JSONata states write {} as a {{% %}} expression", &f[..f.len() - 4]),
            _ => "set \"QueryLanguage\": \"JSONPath\" on this state to use it".into(),
        },
        QueryLanguage::JSONPath => match field {
            "Arguments" => "in JSONPath states use Parameters, or set \"QueryLanguage\": \"JSONata\"".into(),
            "Output" => "in JSONPath states use OutputPath and ResultSelector, or set \"QueryLanguage\": \"JSONata\"".into(),
            "Items" => "in JSONPath states use ItemsPath, or set \"QueryLanguage\": \"JSONata\"".into(),
            _ => "set \"QueryLanguage\": \"JSONata\" on this state to use it".into(),
        },
    }
}

/// Reports a field that does not belong, suggesting the closest known one.
pub(crate) fn unknown_field(ctx: &mut Ctx, at: &Pointer, key: &str, known: &[&str], place: &str) {
    let msg = format!("field {key:?} is not allowed {place}");
    match crate::suggest::closest(key, known) {
        Some(k) => ctx.schema_help(at, msg, format!("did you mean {k:?}?")),
        None => ctx.schema_help(at, msg, format!("allowed: {}", known.join(", "))),
    }
}

/// A JSONata expression string: `{% ... %}`.
pub(crate) fn is_jsonata(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.starts_with("{%") && s.ends_with("%}"))
}

pub(crate) fn check_string(ctx: &mut Ctx, at: &Pointer, field: &str, v: &Value) -> bool {
    if v.is_string() {
        return true;
    }
    ctx.schema(at, format!("{field} must be a string, not {}", kind(v)));
    false
}

/// An integer of at least `min` (and at most AWS's 99999999), or, in
/// JSONata states, an expression that yields one at run time.
pub(crate) fn check_positive_int(ctx: &mut Ctx, at: &Pointer, field: &str, v: &Value, min: u64) {
    check_int_range(ctx, at, field, v, min, 99_999_999)
}

pub(crate) fn check_int_range(ctx: &mut Ctx, at: &Pointer, field: &str, v: &Value, min: u64, max: u64) {
    match v.as_u64() {
        Some(n) if (min..=max).contains(&n) => {}
        Some(n) => ctx.schema(at, format!("{field} is {n}; it must be between {min} and {max}")),
        None if v.is_number() => ctx.schema(at, format!("{field} must be a whole number between {min} and {max}, not {v}")),
        None => ctx.schema(at, format!("{field} must be a number, not {}", kind(v))),
    }
}

/// `a` and `b` may not both be present (e.g. TimeoutSeconds and TimeoutSecondsPath).
pub(crate) fn exclusive(ctx: &mut Ctx, st: &super::Obj, at: &Pointer, a: &str, b: &str) {
    if st.contains_key(a) && st.contains_key(b) {
        ctx.schema_help(&at.key(b), format!("{a} and {b} cannot both be set"), format!("keep one of {a} and {b}"));
    }
}
