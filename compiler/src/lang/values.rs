//! Values of the language to ASL JSON: payload templates with `.$` keys,
//! intrinsic calls, compile-time parameters.

use super::ast::{Value, ValueKind};
use crate::diag::Diagnostic;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

/// Short names for intrinsic functions.
const INTRINSICS: &[(&str, &str)] = &[
    ("format", "States.Format"),
    ("array", "States.Array"),
    ("partition", "States.ArrayPartition"),
    ("contains", "States.ArrayContains"),
    ("range", "States.ArrayRange"),
    ("item", "States.ArrayGetItem"),
    ("length", "States.ArrayLength"),
    ("unique", "States.ArrayUnique"),
    ("base64_encode", "States.Base64Encode"),
    ("base64_decode", "States.Base64Decode"),
    ("hash", "States.Hash"),
    ("merge", "States.JsonMerge"),
    ("random", "States.MathRandom"),
    ("add", "States.MathAdd"),
    ("split", "States.StringSplit"),
    ("uuid", "States.UUID"),
    ("to_json", "States.JsonToString"),
    ("from_json", "States.StringToJson"),
];

/// Compile-time parameters and the diagnostics of evaluating values.
pub struct Values<'a> {
    pub params: &'a HashMap<String, Json>,
    pub diags: Vec<Diagnostic>,
}

/// What a value lowers to: a constant, or something evaluated at run time
/// (a path or an intrinsic call, which needs a `.$` key).
pub enum Lowered {
    Constant(Json),
    Dynamic(String),
}

impl Values<'_> {
    fn error(&mut self, span: &std::ops::Range<usize>, msg: impl Into<String>, help: impl Into<String>) {
        let mut d = Diagnostic::error("SEMANTIC", msg).with_help(help);
        d.span = Some(span.clone());
        self.diags.push(d);
    }

    /// Fills `${name}` in text from the compile-time parameters.
    pub fn interpolate(&mut self, text: &str, span: &std::ops::Range<usize>) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let Some(j) = rest[i..].find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let name = &rest[i + 2..i + j];
            match self.params.get(name) {
                Some(Json::String(s)) => out.push_str(s),
                Some(other) => out.push_str(&other.to_string()),
                None => {
                    self.error(
                        span,
                        format!("undefined compile-time parameter `{name}`"),
                        format!("declare it: param {name} = \"...\" (or pass --set {name}=...)"),
                    );
                }
            }
            rest = &rest[i + j + 1..];
        }
        out.push_str(rest);
        out
    }

    /// A value as JSON or as a run-time expression.
    pub fn lower(&mut self, v: &Value) -> Lowered {
        match &v.node {
            ValueKind::Path(p) => Lowered::Dynamic(p.clone()),
            ValueKind::Call { .. } => Lowered::Dynamic(self.call_text(v)),
            _ => Lowered::Constant(self.template(v)),
        }
    }

    /// A payload template: objects get `key.$` for paths and calls.
    pub fn template(&mut self, v: &Value) -> Json {
        match &v.node {
            ValueKind::Null => Json::Null,
            ValueKind::Bool(b) => Json::Bool(*b),
            ValueKind::Number(n) => Json::Number(n.clone()),
            ValueKind::Str(s) => Json::String(self.interpolate(s, &v.span)),
            ValueKind::Param(name) => match self.params.get(name) {
                Some(j) => j.clone(),
                None => {
                    self.error(
                        &v.span,
                        format!("undefined compile-time parameter `{name}`"),
                        format!("declare it with param {name} = ..., or write a path such as $.{name}"),
                    );
                    Json::Null
                }
            },
            ValueKind::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    if matches!(item.node, ValueKind::Path(_) | ValueKind::Call { .. }) {
                        self.error(
                            &item.span,
                            "a path or call inside an array is not evaluated by Step Functions",
                            "build the array with array($.a, $.b), or give the value a key in an object",
                        );
                    }
                    out.push(self.template(item));
                }
                Json::Array(out)
            }
            ValueKind::Object(members) => {
                let mut m = Map::new();
                for (k, val) in members {
                    let key = self.interpolate(&k.node, &k.span);
                    match self.lower(val) {
                        Lowered::Dynamic(expr) => {
                            m.insert(format!("{key}.$"), Json::String(expr));
                        }
                        Lowered::Constant(j) => {
                            m.insert(key, j);
                        }
                    }
                }
                Json::Object(m)
            }
            ValueKind::Path(p) => Json::String(p.clone()),
            ValueKind::Call { .. } => Json::String(self.call_text(v)),
        }
    }

    /// An intrinsic call as ASL text: `States.Format('{}', $.x)`.
    pub fn call_text(&mut self, v: &Value) -> String {
        let ValueKind::Call { name, args } = &v.node else { return String::new() };
        let full = if name.starts_with("States.") {
            name.clone()
        } else {
            match INTRINSICS.iter().find(|(short, _)| short == name) {
                Some((_, f)) => f.to_string(),
                None => {
                    let known: Vec<&str> = INTRINSICS.iter().map(|(s, _)| *s).collect();
                    self.error(&v.span, format!("unknown function `{name}`"), format!("intrinsic functions: {}", known.join(", ")));
                    name.clone()
                }
            }
        };
        let rendered: Vec<String> = args.iter().map(|a| self.arg_text(a)).collect();
        format!("{full}({})", rendered.join(", "))
    }

    fn arg_text(&mut self, a: &Value) -> String {
        match &a.node {
            ValueKind::Path(p) => p.clone(),
            ValueKind::Call { .. } => self.call_text(a),
            ValueKind::Str(s) => quote(&self.interpolate(s, &a.span)),
            ValueKind::Param(name) => match self.params.get(name).cloned() {
                Some(Json::String(s)) => quote(&s),
                Some(other) => other.to_string(),
                None => {
                    self.error(
                        &a.span,
                        format!("undefined compile-time parameter `{name}`"),
                        format!("declare it with param {name} = ..."),
                    );
                    "null".into()
                }
            },
            ValueKind::Number(n) => n.to_string(),
            ValueKind::Bool(b) => b.to_string(),
            ValueKind::Null => "null".into(),
            ValueKind::Array(_) | ValueKind::Object(_) => {
                self.error(
                    &a.span,
                    "an intrinsic function takes strings, numbers, booleans, paths or calls",
                    "pass a path to the array or object instead",
                );
                "null".into()
            }
        }
    }
}

/// A string literal for an intrinsic call: single quotes, `'` and `\`
/// escaped (`{}` stays a States.Format placeholder).
fn quote(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        if matches!(c, '\'' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}
