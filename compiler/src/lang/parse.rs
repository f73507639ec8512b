//! Source text to syntax tree, with pest.

use super::ast::*;
use crate::diag::Diagnostic;
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "lang/grammar.pest"]
struct Grammar;

/// Statement keywords a line may start with: where parsing resumes after a
/// syntax error, to report the file's other syntax errors too.
const RESUME_AT: &[&str] =
    &["pass", "task", "wait", "succeed", "fail", "if", "while", "switch", "try", "parallel", "map", "goto", "asl", "param", "import"];

/// Every syntax error of a file: after each, parsing resumes at the next
/// line that starts a statement.
pub fn syntax_errors(src: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Err(e) = Grammar::parse(Rule::file, &(" ".repeat(from) + &src[from..])) {
        let d = syntax_error(e);
        let at = d.span.as_ref().map_or(src.len(), |s| s.start);
        out.push(d);
        match next_statement_line(src, at) {
            Some(next) if next > from => from = next,
            _ => break,
        }
        if out.len() >= 20 {
            break;
        }
    }
    out
}

/// The start of the first line after `at` that begins with a statement keyword.
fn next_statement_line(src: &str, at: usize) -> Option<usize> {
    let mut pos = src[at.min(src.len())..].find('\n')? + at + 1;
    while pos < src.len() {
        let line = &src[pos..];
        let trimmed = line.trim_start_matches([' ', '\t']);
        let word: String = trimmed.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        if RESUME_AT.contains(&word.as_str()) && !trimmed[word.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            return Some(pos + (line.len() - trimmed.len()));
        }
        pos += line.find('\n')? + 1;
    }
    None
}

/// Parses a whole file; a syntax error is one diagnostic with its span.
pub fn parse(src: &str) -> Result<File, Diagnostic> {
    let mut pairs = Grammar::parse(Rule::file, src).map_err(syntax_error)?;
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
            Rule::EOI => {}
            _ => out.body.push(stmt(p)),
        }
    }
    Ok(out)
}

fn syntax_error(e: pest::error::Error<Rule>) -> Diagnostic {
    let (start, end) = match e.location {
        pest::error::InputLocation::Pos(p) => (p, p + 1),
        pest::error::InputLocation::Span((a, b)) => (a, b.max(a + 1)),
    };
    let message = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } if !positives.is_empty() => {
            let mut names: Vec<String> = positives.iter().map(describe).collect();
            names.sort();
            names.dedup();
            format!("syntax error: expected {}", names.join(", "))
        }
        pest::error::ErrorVariant::CustomError { message } => message.clone(),
        _ => "syntax error".to_string(),
    };
    let mut d = Diagnostic::error("SYNTAX", message).with_help("see docs/language.md for the statements and their clauses");
    d.span = Some(start..end);
    d
}

/// Grammar rules as a user would name them.
fn describe(r: &Rule) -> String {
    match r {
        Rule::stmt | Rule::pass | Rule::task | Rule::wait | Rule::succeed | Rule::fail => "a statement".into(),
        Rule::EOI => "the end of the file".into(),
        Rule::name => "a state name".into(),
        Rule::value => "a value".into(),
        Rule::path => "a path such as $.field".into(),
        Rule::string => "a quoted string".into(),
        Rule::duration => "a duration such as 30s, 5m or 2h".into(),
        Rule::block => "a block { ... }".into(),
        Rule::cond | Rule::or_cond | Rule::and_cond | Rule::not_cond | Rule::comparison | Rule::is_test | Rule::matches_test => {
            "a condition such as $.x == 1".into()
        }
        Rule::cmp_op => "a comparison (==, !=, <, <=, >, >=)".into(),
        Rule::resource => "an integration such as batch.submitJob.sync".into(),
        Rule::error_list => "error names".into(),
        other => format!("{other:?}").replace('_', " "),
    }
}

fn span(p: &Pair<Rule>) -> Span {
    let s = p.as_span();
    s.start()..s.end()
}

fn spanned_str(p: Pair<Rule>) -> Spanned<String> {
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
fn string(p: Pair<Rule>) -> String {
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

fn header(p: Pair<Rule>) -> Header {
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

fn block(p: Pair<Rule>) -> Vec<Stmt> {
    p.into_inner().map(stmt).collect()
}

fn opt_name(it: &mut std::iter::Peekable<pest::iterators::Pairs<Rule>>) -> Option<Spanned<String>> {
    if it.peek().is_some_and(|p| p.as_rule() == Rule::name) {
        it.next().map(spanned_str)
    } else {
        None
    }
}

fn stmt(p: Pair<Rule>) -> Stmt {
    let sp = span(&p);
    let rule = p.as_rule();
    let mut it = p.into_inner().peekable();
    let kind = match rule {
        Rule::pass => StmtKind::Pass { name: opt_name(&mut it), clauses: it.map(clause).collect() },
        Rule::succeed => StmtKind::Succeed { name: opt_name(&mut it), clauses: it.map(clause).collect() },
        Rule::task => {
            let name = opt_name(&mut it);
            let resource = resource(it.next().expect("task resource"));
            let args = if it.peek().is_some_and(|p| p.as_rule() == Rule::object) { it.next().map(object) } else { None };
            StmtKind::Task { name, resource, args, clauses: it.map(clause).collect() }
        }
        Rule::wait => {
            let name = opt_name(&mut it);
            let how = it.next().expect("wait amount");
            let how = match how.as_rule() {
                Rule::duration => WaitFor::Seconds(Spanned { span: span(&how), node: seconds(how.as_str()) }),
                Rule::path => WaitFor::SecondsPath(how.as_str().to_string()),
                _ => WaitFor::Until(value_of(how.into_inner().next().expect("until value"))),
            };
            StmtKind::Wait { name, how, clauses: it.map(clause).collect() }
        }
        Rule::fail => {
            let name = opt_name(&mut it);
            let error = value_of(it.next().expect("fail error").into_inner().next().expect("fail value"));
            let cause = if it.peek().is_some_and(|p| p.as_rule() == Rule::fail_value) {
                it.next().map(|c| value_of(c.into_inner().next().expect("cause value")))
            } else {
                None
            };
            StmtKind::Fail { name, error, cause, clauses: it.map(clause).collect() }
        }
        Rule::goto => StmtKind::Goto(spanned_str(it.next().expect("goto target"))),
        Rule::raw => StmtKind::Raw { name: spanned_str(it.next().expect("raw name")), state: object(it.next().expect("raw object")) },
        Rule::if_stmt => {
            let first = cond(it.next().expect("if condition"));
            let name = if it.peek().is_some_and(|p| p.as_rule() == Rule::as_name) { it.next().map(as_name) } else { None };
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
        Rule::while_stmt => {
            let c = cond(it.next().expect("while condition"));
            let name = if it.peek().is_some_and(|p| p.as_rule() == Rule::as_name) { it.next().map(as_name) } else { None };
            StmtKind::While { cond: c, body: block(it.next().expect("while block")), name }
        }
        Rule::switch_stmt => {
            let on = it.next().expect("switch path");
            let on = Spanned { span: span(&on), node: on.as_str().to_string() };
            let name = if it.peek().is_some_and(|p| p.as_rule() == Rule::as_name) { it.next().map(as_name) } else { None };
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
        Rule::try_stmt => {
            let body = block(it.next().expect("try block"));
            let catches = it.map(catch).collect();
            StmtKind::Try { body, catches }
        }
        Rule::parallel => {
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
        Rule::map => {
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
        other => unreachable!("not a statement rule: {other:?}"),
    };
    Stmt { kind, span: sp }
}

fn as_name(p: Pair<Rule>) -> Spanned<String> {
    spanned_str(p.into_inner().next().expect("as name"))
}

fn catch(p: Pair<Rule>) -> Catch {
    let sp = span(&p);
    let mut it = p.into_inner().peekable();
    let errors = error_list(it.next().expect("catch errors"));
    let result_path = if it.peek().is_some_and(|p| p.as_rule() == Rule::path) { it.next().map(|p| p.as_str().to_string()) } else { None };
    let body = block(it.next().expect("catch block"));
    Catch { errors, result_path, body, span: sp }
}

fn error_list(p: Pair<Rule>) -> Vec<Spanned<String>> {
    p.into_inner()
        .map(|e| {
            let text = if e.as_str() == "all" { "States.ALL".to_string() } else { e.as_str().to_string() };
            Spanned { span: span(&e), node: text }
        })
        .collect()
}

fn resource(p: Pair<Rule>) -> Spanned<Resource> {
    let sp = span(&p);
    let inner = p.into_inner().next().expect("resource kind");
    let node = match inner.as_rule() {
        Rule::integration => Resource::Integration(inner.as_str().to_string()),
        Rule::sdk_resource => Resource::Sdk(inner.as_str().to_string()),
        _ => Resource::Arn(string(inner)),
    };
    Spanned { node, span: sp }
}

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

fn amount(p: Pair<Rule>) -> Amount {
    match p.as_rule() {
        Rule::duration => Amount::Fixed(seconds(p.as_str())),
        Rule::number => Amount::Fixed(p.as_str().parse().unwrap_or(u64::MAX)),
        _ => Amount::Path(p.as_str().to_string()),
    }
}

fn clause(p: Pair<Rule>) -> Clause {
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

fn map_clause(p: Pair<Rule>) -> Clause {
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

fn retry(errors: Pair<Rule>, opts: pest::iterators::Pairs<Rule>) -> Retry {
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

fn value(p: Pair<Rule>) -> Value {
    value_of(p.into_inner().next().expect("value has one part"))
}

/// A value from the pair of its concrete kind (object, path, literal, ...).
fn value_of(p: Pair<Rule>) -> Value {
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

fn object(p: Pair<Rule>) -> Value {
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

fn cond(p: Pair<Rule>) -> Cond {
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
        Rule::comparison => {
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
        other => unreachable!("not a condition rule: {other:?}"),
    }
}
