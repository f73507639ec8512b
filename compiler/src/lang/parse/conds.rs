//! Conditions of `if`, `while` and Choice rules.

use super::values::value_of;
use super::{span, string, Rule};
use crate::lang::ast::*;
use pest::iterators::Pair;

pub(super) fn cond(p: Pair<Rule>) -> Cond {
    match p.as_rule() {
        Rule::cond => cond(p.into_inner().next().expect("condition")),
        Rule::or_cond => {
            let mut parts: Vec<Cond> = p.into_inner().map(cond).collect();
            if parts.len() == 1 {
                parts.remove(0)
            } else {
                Cond::Or(parts)
            }
        }
        Rule::and_cond => {
            let mut parts: Vec<Cond> = p.into_inner().map(cond).collect();
            if parts.len() == 1 {
                parts.remove(0)
            } else {
                Cond::And(parts)
            }
        }
        Rule::not_cond => {
            let mut it = p.into_inner();
            let first = it.next().expect("not_cond part");
            if first.as_rule() == Rule::not_op {
                Cond::Not(Box::new(cond(it.next().expect("negated condition"))))
            } else {
                cond(first)
            }
        }
        Rule::is_test => {
            let mut it = p.into_inner();
            let path = it.next().expect("is path").as_str().to_string();
            let mut negated = false;
            let mut kind = String::new();
            for part in it {
                match part.as_rule() {
                    Rule::is_not => negated = true,
                    _ => kind = part.as_str().to_string(),
                }
            }
            Cond::Is { path, negated, kind }
        }
        Rule::matches_test => {
            let mut it = p.into_inner();
            let path = it.next().expect("matches path").as_str().to_string();
            Cond::Matches { path, pattern: string(it.next().expect("pattern")) }
        }
        Rule::comparison => comparison(p),
        other => unreachable!("not a condition rule: {other:?}"),
    }
}

/// `$.x == 1`, `$.t < timestamp "..."`, `$.a >= number($.b)`.
fn comparison(p: Pair<Rule>) -> Cond {
    let sp = span(&p);
    let mut it = p.into_inner();
    let path = it.next().expect("compared path").as_str().to_string();
    let op = match it.next().expect("operator").as_str() {
        "==" => CmpOp::Eq,
        "!=" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        _ => CmpOp::Ge,
    };
    let operand = it.next().expect("operand").into_inner().next().expect("operand kind");
    let operand = match operand.as_rule() {
        Rule::typed_path => {
            let mut t = operand.into_inner();
            let ty = t.next().expect("type").as_str().to_string();
            Operand::TypedPath { ty, path: t.next().expect("typed path").as_str().to_string() }
        }
        Rule::timestamp_lit => Operand::Timestamp(string(operand.into_inner().next().expect("timestamp"))),
        _ => Operand::Literal(value_of(operand)),
    };
    Cond::Compare { path, op, operand, span: sp }
}
