//! JSON-like values: objects, arrays, paths, calls and literals.

use super::{span, string, Rule};
use crate::lang::ast::*;
use pest::iterators::Pair;

pub(super) fn value(p: Pair<Rule>) -> Value {
    value_of(p.into_inner().next().expect("value has one part"))
}

/// A value from the pair of its concrete kind (object, path, literal, ...).
pub(super) fn value_of(p: Pair<Rule>) -> Value {
    let sp = span(&p);
    let node = match p.as_rule() {
        Rule::value => return value(p),
        Rule::object => return object(p),
        Rule::array => ValueKind::Array(p.into_inner().map(value).collect()),
        Rule::call => {
            let mut it = p.into_inner();
            let name = it.next().expect("call name").as_str().to_string();
            ValueKind::Call { name, args: it.map(value).collect() }
        }
        Rule::path => ValueKind::Path(p.as_str().to_string()),
        Rule::literal => return value_of(p.into_inner().next().expect("literal")),
        Rule::string => ValueKind::Str(string(p)),
        Rule::number => match p.as_str().parse::<serde_json::Number>() {
            Ok(n) => ValueKind::Number(n),
            Err(_) => ValueKind::Str(p.as_str().to_string()),
        },
        Rule::bool_lit => ValueKind::Bool(p.as_str() == "true"),
        Rule::null_lit => ValueKind::Null,
        Rule::param_ref => ValueKind::Param(p.as_str().to_string()),
        other => unreachable!("not a value rule: {other:?}"),
    };
    Spanned { node, span: sp }
}

pub(super) fn object(p: Pair<Rule>) -> Value {
    let sp = span(&p);
    let members = p
        .into_inner()
        .map(|m| {
            let mut it = m.into_inner();
            let key = it.next().expect("member key");
            let ksp = span(&key);
            let k = key.into_inner().next().expect("key kind");
            let text = if k.as_rule() == Rule::string { string(k) } else { k.as_str().to_string() };
            (Spanned { node: text, span: ksp }, value(it.next().expect("member value")))
        })
        .collect();
    Spanned { node: ValueKind::Object(members), span: sp }
}
