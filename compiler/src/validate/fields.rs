//! Every field of a state belongs to its type and language (the catalogue
//! is `sfc_asl::fields`), and the small type checks every field shares.

use super::{kind, Ctx};
use crate::json::Pointer;
use serde_json::Value;
use sfc_asl::fields::{field, fields_of, Lang};
use sfc_asl::QueryLanguage;

/// Checks that every field of a state belongs to its type and language.
pub(crate) fn check_fields(ctx: &mut Ctx, st: &super::Obj, ty: &str, lang: QueryLanguage, at: &Pointer) {
    let known = fields_of(ty);
    for key in st.keys() {
        let Some(found) = field(ty, key) else {
            unknown_field(ctx, &at.key(key), key, &known, &format!("in a {ty} state"));
            continue;
        };
        let wrong = match (found.lang, lang) {
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
    match sfc_asl::suggest::closest(key, known) {
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
