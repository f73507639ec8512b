//! Source text to syntax tree, with pest: statements, clauses, values and
//! conditions each in a module of their own; syntax errors in the
//! language's own words in `errors`.

mod clauses;
mod conds;
mod depth;
mod errors;
mod stmts;
mod values;

use super::ast::*;
use crate::diag::Diagnostic;
use pest::iterators::Pair;
use pest::Parser as _;

use clauses::clause;
pub use clauses::seconds;
pub use errors::syntax_errors;
use stmts::stmt;
use values::{value, value_of};

#[derive(pest_derive::Parser)]
#[grammar = "lang/grammar.pest"]
struct Grammar;

/// Parses a whole file; a syntax error is one diagnostic with its span.
pub fn parse(src: &str) -> Result<File, Diagnostic> {
    if let Some(d) = depth::too_deep(src) {
        return Err(d);
    }
    let mut pairs = Grammar::parse(Rule::file, src).map_err(|e| errors::syntax_error(e, src))?;
    let file = pairs.next().expect("the file rule always yields one pair");
    let mut out = File::default();
    for p in file.into_inner() {
        match p.as_rule() {
            Rule::header => out.header = Some(header(p)),
            Rule::param => {
                let mut it = p.into_inner();
                let name = spanned_str(it.next().expect("param name"));
                let value = value(it.next().expect("param value"));
                out.params.push(Param { name, value });
            }
            Rule::import => {
                let sp = span(&p);
                let s = p.into_inner().next().expect("import path");
                out.body.push(Stmt { kind: StmtKind::Import(Spanned { span: span(&s), node: string(s) }), span: sp });
            }
            Rule::check => out.checks.extend(p.into_inner().map(|s| Spanned { span: span(&s), node: string(s) })),
            Rule::trigger | Rule::schedule => out.triggers.push(trigger(p)),
            Rule::alarm => out.alarms.push(alarm(p)),
            Rule::EOI => {}
            _ => out.body.push(stmt(p)),
        }
    }
    Ok(out)
}

/// `on s3 created ...`, `on event { ... }`, `schedule "..."`.
fn trigger(p: Pair<Rule>) -> Trigger {
    let sp = span(&p);
    let is_schedule = p.as_rule() == Rule::schedule;
    let mut name = None;
    let mut values = Vec::new();
    let mut kind_rule = None;
    for part in p.into_inner() {
        match part.as_rule() {
            Rule::as_name => name = part.into_inner().next().map(spanned_str),
            Rule::s3_created | Rule::event_rule => {
                kind_rule = Some(part.as_rule());
                values.extend(part.into_inner().map(value_of));
            }
            _ => values.push(value_of(part)),
        }
    }
    let mut values = values.into_iter();
    let kind = match (is_schedule, kind_rule) {
        (true, _) => TriggerKind::Schedule { expression: values.next().expect("a schedule's expression"), input: values.next() },
        (false, Some(Rule::s3_created)) => {
            TriggerKind::S3Created { bucket: values.next().expect("an s3 trigger's bucket"), prefix: values.next() }
        }
        _ => TriggerKind::Event(values.next().expect("an event rule's pattern")),
    };
    Trigger { kind, name, span: sp }
}

/// `alarm on failure notify "arn:..." as Name`.
fn alarm(p: Pair<Rule>) -> Alarm {
    let sp = span(&p);
    let (mut on, mut notify, mut name) = (String::new(), Vec::new(), None);
    for part in p.into_inner() {
        match part.as_rule() {
            Rule::alarm_event => on = part.as_str().to_string(),
            Rule::as_name => name = part.into_inner().next().map(spanned_str),
            _ => notify.push(value_of(part)),
        }
    }
    Alarm { on, notify, name, span: sp }
}

pub(super) fn span(p: &Pair<Rule>) -> Span {
    let s = p.as_span();
    s.start()..s.end()
}

pub(super) fn spanned_str(p: Pair<Rule>) -> Spanned<String> {
    let sp = span(&p);
    let text = match p.as_rule() {
        Rule::name => {
            let inner = p.into_inner().next().expect("name has one part");
            if inner.as_rule() == Rule::string {
                string(inner)
            } else {
                inner.as_str().to_string()
            }
        }
        Rule::string => string(p),
        _ => p.as_str().to_string(),
    };
    Spanned { node: text, span: sp }
}

/// The text of a string literal, escapes resolved (`${...}` kept).
pub(super) fn string(p: Pair<Rule>) -> String {
    let inner = p.into_inner().next().map(|i| i.as_str()).unwrap_or("");
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub(super) fn header(p: Pair<Rule>) -> Header {
    let mut h = Header::default();
    for c in p.into_inner() {
        match c.as_rule() {
            Rule::name => h.name = Some(spanned_str(c)),
            Rule::header_clause => h.clauses.push(clause(c.into_inner().next().expect("clause"))),
            _ => {}
        }
    }
    h
}

pub(super) fn block(p: Pair<Rule>) -> Vec<Stmt> {
    p.into_inner().map(stmt).collect()
}

pub(super) fn opt_name(it: &mut std::iter::Peekable<pest::iterators::Pairs<Rule>>) -> Option<Spanned<String>> {
    if it.peek().is_some_and(|p| p.as_rule() == Rule::name) {
        it.next().map(spanned_str)
    } else {
        None
    }
}
