//! Clauses that follow a state, and a Map's options.

use super::stmts::{error_list, resource};
use super::values::{object, value};
use super::{span, string, Rule};
use crate::lang::ast::*;
use pest::iterators::Pair;

/// `30s` → 30; `2h` → 7200; `500ms` rounds up to whole seconds.
pub fn seconds(text: &str) -> u64 {
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let n: u64 = text[..split].parse().unwrap_or(u64::MAX);
    let factor = match &text[split..] {
        "ms" => return n.div_ceil(1000),
        "m" => 60,
        "h" => 3600,
        "d" => 86400,
        _ => 1,
    };
    n.saturating_mul(factor)
}

pub(super) fn amount(p: Pair<Rule>) -> Amount {
    match p.as_rule() {
        Rule::duration => Amount::Fixed(seconds(p.as_str())),
        Rule::number => Amount::Fixed(p.as_str().parse().unwrap_or(u64::MAX)),
        _ => Amount::Path(p.as_str().to_string()),
    }
}

pub(super) fn clause(p: Pair<Rule>) -> Clause {
    let sp = span(&p);
    let rule = p.as_rule();
    if rule == Rule::query_clause {
        let lang = p.as_str().trim_start_matches("query").trim().to_ascii_lowercase();
        return Clause { kind: ClauseKind::Query(lang), span: sp };
    }
    let mut it = p.into_inner();
    let mut next = || it.next().expect("clause part");
    let path_or_null = |p: Pair<Rule>| if p.as_rule() == Rule::path { Some(p.as_str().to_string()) } else { None };
    let kind = match rule {
        Rule::comment_clause => ClauseKind::Comment(string(next())),
        Rule::timeout_clause => ClauseKind::Timeout(amount(next())),
        Rule::heartbeat_clause => ClauseKind::Heartbeat(amount(next())),
        Rule::retry_clause => ClauseKind::Retry(retry(next(), it)),
        Rule::input_clause => ClauseKind::Input(path_or_null(next())),
        Rule::parameters_clause => ClauseKind::Parameters(value(next())),
        Rule::result_clause => ClauseKind::Result(value(next())),
        Rule::select_clause => ClauseKind::Select(object(next())),
        Rule::result_path_clause => ClauseKind::ResultPath(path_or_null(next())),
        Rule::output_clause => ClauseKind::Output(path_or_null(next())),
        Rule::assign_clause => ClauseKind::Assign(object(next())),
        Rule::credentials_clause => ClauseKind::Credentials(object(next())),
        Rule::arguments_clause => ClauseKind::Arguments(value(next())),
        Rule::output_expr_clause => ClauseKind::Emit(value(next())),
        Rule::version_clause => ClauseKind::Version(string(next())),
        other => unreachable!("not a clause rule: {other:?}"),
    };
    Clause { kind, span: sp }
}

pub(super) fn map_clause(p: Pair<Rule>) -> Clause {
    let sp = span(&p);
    let rule = p.as_rule();
    let text = p.as_str().to_string();
    let mut it = p.into_inner();
    let kind = match rule {
        Rule::concurrency => ClauseKind::Concurrency(amount(it.next().expect("concurrency"))),
        Rule::item_selector => ClauseKind::ItemSelector(object(it.next().expect("selector"))),
        Rule::distributed => ClauseKind::Distributed(text.trim_start_matches("distributed").trim().to_ascii_uppercase()),
        Rule::reader => {
            let resource = resource(it.next().expect("reader resource"));
            let args = object(it.next().expect("reader args"));
            let config = it.next().map(object);
            ClauseKind::Reader { resource, args, config }
        }
        Rule::batcher => ClauseKind::Batcher(object(it.next().expect("batch"))),
        Rule::writer => {
            let resource = resource(it.next().expect("writer resource"));
            ClauseKind::Writer { resource, args: object(it.next().expect("writer args")) }
        }
        Rule::tolerate => {
            let v = it.next().expect("tolerate");
            match v.as_rule() {
                Rule::percent => ClauseKind::Tolerate { count: None, percent: v.as_str().trim_end_matches('%').parse().ok() },
                _ => ClauseKind::Tolerate { count: Some(amount(v)), percent: None },
            }
        }
        Rule::label => ClauseKind::Label(string(it.next().expect("label"))),
        other => unreachable!("not a map clause: {other:?}"),
    };
    Clause { kind, span: sp }
}

pub(super) fn retry(errors: Pair<Rule>, opts: pest::iterators::Pairs<Rule>) -> Retry {
    let mut r = Retry { errors: error_list(errors), ..Retry::default() };
    for o in opts {
        let inner = o.into_inner().next().expect("retry option");
        let arg = inner.clone().into_inner().next();
        match inner.as_rule() {
            Rule::retry_interval => r.interval = arg.map(|a| seconds(a.as_str())),
            Rule::retry_attempts => r.attempts = arg.and_then(|a| a.as_str().parse().ok()),
            Rule::retry_backoff => r.backoff = arg.and_then(|a| a.as_str().parse().ok()),
            Rule::retry_max_delay => r.max_delay = arg.map(|a| seconds(a.as_str())),
            _ => r.jitter = true,
        }
    }
    r
}
