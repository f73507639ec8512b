//! Statements: states and the control flow made of them.

use super::clauses::{clause, map_clause, seconds};
use super::conds::cond;
use super::values::{object, value_of};
use super::{block, opt_name, span, spanned_str, string, Rule};
use crate::lang::ast::*;
use pest::iterators::Pair;

pub(super) fn stmt(p: Pair<Rule>) -> Stmt {
    let sp = span(&p);
    let rule = p.as_rule();
    let mut it = p.into_inner().peekable();
    let kind = match rule {
        Rule::pass => StmtKind::Pass { name: opt_name(&mut it), clauses: it.map(clause).collect() },
        Rule::succeed => StmtKind::Succeed { name: opt_name(&mut it), clauses: it.map(clause).collect() },
        Rule::task => task(it),
        Rule::wait => wait(it),
        Rule::fail => fail(it),
        Rule::goto => StmtKind::Goto(spanned_str(it.next().expect("goto target"))),
        Rule::raw => StmtKind::Raw { name: spanned_str(it.next().expect("raw name")), state: object(it.next().expect("raw object")) },
        Rule::if_stmt => if_stmt(it),
        Rule::while_stmt => {
            let c = cond(it.next().expect("while condition"));
            let name = opt_as_name(&mut it);
            StmtKind::While { cond: c, body: block(it.next().expect("while block")), name }
        }
        Rule::switch_stmt => switch(it),
        Rule::try_stmt => {
            let body = block(it.next().expect("try block"));
            StmtKind::Try { body, catches: it.map(catch).collect() }
        }
        Rule::parallel => parallel(it),
        Rule::map => map(it),
        other => unreachable!("not a statement rule: {other:?}"),
    };
    Stmt { kind, span: sp }
}

/// The parts of a statement, after its keyword.
type Parts<'a> = std::iter::Peekable<pest::iterators::Pairs<'a, Rule>>;

fn task(mut it: Parts) -> StmtKind {
    let name = opt_name(&mut it);
    let resource = resource(it.next().expect("task resource"));
    let args = if it.peek().is_some_and(|p| p.as_rule() == Rule::object) { it.next().map(object) } else { None };
    StmtKind::Task { name, resource, args, clauses: it.map(clause).collect() }
}

fn wait(mut it: Parts) -> StmtKind {
    let name = opt_name(&mut it);
    let how = it.next().expect("wait amount");
    let how = match how.as_rule() {
        Rule::duration => WaitFor::Seconds(Spanned { span: span(&how), node: seconds(how.as_str()) }),
        Rule::path => WaitFor::SecondsPath(how.as_str().to_string()),
        _ => WaitFor::Until(value_of(how.into_inner().next().expect("until value"))),
    };
    StmtKind::Wait { name, how, clauses: it.map(clause).collect() }
}

fn fail(mut it: Parts) -> StmtKind {
    let name = opt_name(&mut it);
    let error = value_of(it.next().expect("fail error").into_inner().next().expect("fail value"));
    let cause = if it.peek().is_some_and(|p| p.as_rule() == Rule::fail_value) {
        it.next().map(|c| value_of(c.into_inner().next().expect("cause value")))
    } else {
        None
    };
    StmtKind::Fail { name, error, cause, clauses: it.map(clause).collect() }
}

fn opt_as_name(it: &mut Parts) -> Option<Spanned<String>> {
    if it.peek().is_some_and(|p| p.as_rule() == Rule::as_name) {
        it.next().map(as_name)
    } else {
        None
    }
}

fn if_stmt(mut it: Parts) -> StmtKind {
    let first = cond(it.next().expect("if condition"));
    let name = opt_as_name(&mut it);
    let mut arms = vec![(first, block(it.next().expect("if block")))];
    let mut otherwise = None;
    for rest in it {
        match rest.as_rule() {
            Rule::else_if => {
                let mut e = rest.into_inner();
                arms.push((cond(e.next().expect("else if condition")), block(e.next().expect("else if block"))));
            }
            _ => otherwise = Some(block(rest.into_inner().next().expect("else block"))),
        }
    }
    StmtKind::If { arms, otherwise, name }
}

fn switch(mut it: Parts) -> StmtKind {
    let on = it.next().expect("switch path");
    let on = Spanned { span: span(&on), node: on.as_str().to_string() };
    let name = opt_as_name(&mut it);
    let mut cases = Vec::new();
    let mut default = None;
    for c in it {
        match c.as_rule() {
            Rule::case => {
                let mut ci = c.into_inner();
                let lit = value_of(ci.next().expect("case value"));
                cases.push((lit, block(ci.next().expect("case block"))));
            }
            _ => default = Some(block(c.into_inner().next().expect("default block"))),
        }
    }
    StmtKind::Switch { on, cases, default, name }
}

fn parallel(mut it: Parts) -> StmtKind {
    let name = opt_name(&mut it);
    let mut branches = Vec::new();
    let mut clauses = Vec::new();
    for p in it {
        if p.as_rule() == Rule::branch {
            branches.push(block(p.into_inner().next().expect("branch block")));
        } else {
            clauses.push(clause(p));
        }
    }
    StmtKind::Parallel { name, branches, clauses }
}

fn map(mut it: Parts) -> StmtKind {
    let name = opt_name(&mut it);
    let items = it.next().expect("map items");
    let items = Spanned { span: span(&items), node: items.as_str().to_string() };
    let mut options = Vec::new();
    let mut body = Vec::new();
    let mut clauses = Vec::new();
    for p in it {
        match p.as_rule() {
            Rule::map_clause => options.push(map_clause(p.into_inner().next().expect("map clause"))),
            Rule::block => body = block(p),
            _ => clauses.push(clause(p)),
        }
    }
    StmtKind::Map { name, items, options, body, clauses }
}

pub(super) fn as_name(p: Pair<Rule>) -> Spanned<String> {
    spanned_str(p.into_inner().next().expect("as name"))
}

pub(super) fn catch(p: Pair<Rule>) -> Catch {
    let sp = span(&p);
    let mut it = p.into_inner().peekable();
    let errors = error_list(it.next().expect("catch errors"));
    let result_path = if it.peek().is_some_and(|p| p.as_rule() == Rule::path) { it.next().map(|p| p.as_str().to_string()) } else { None };
    let body = block(it.next().expect("catch block"));
    Catch { errors, result_path, body, span: sp }
}

pub(super) fn error_list(p: Pair<Rule>) -> Vec<Spanned<String>> {
    p.into_inner()
        .map(|e| {
            let text = if e.as_str() == "all" { "States.ALL".to_string() } else { e.as_str().to_string() };
            Spanned { span: span(&e), node: text }
        })
        .collect()
}

pub(super) fn resource(p: Pair<Rule>) -> Spanned<Resource> {
    let sp = span(&p);
    let inner = p.into_inner().next().expect("resource kind");
    let node = match inner.as_rule() {
        Rule::integration => Resource::Integration(inner.as_str().to_string()),
        Rule::sdk_resource => Resource::Sdk(inner.as_str().to_string()),
        _ => Resource::Arn(string(inner)),
    };
    Spanned { node, span: sp }
}
