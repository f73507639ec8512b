//! Syntax errors in the language's own words.

use super::{Grammar, Rule};
use crate::diag::Diagnostic;
use pest::Parser as _;

/// Statement keywords a line may start with: where parsing resumes after a
/// syntax error, to report the file's other syntax errors too.
pub(super) const RESUME_AT: &[&str] =
    &["pass", "task", "wait", "succeed", "fail", "if", "while", "switch", "try", "parallel", "map", "goto", "asl", "param", "import"];

/// Every syntax error of a file: after each, parsing resumes at the next
/// line that starts a statement.
pub fn syntax_errors(src: &str) -> Vec<Diagnostic> {
    if let Some(d) = super::depth::too_deep(src) {
        return vec![d];
    }
    let mut out = Vec::new();
    let mut from = 0;
    while let Err(e) = Grammar::parse(Rule::file, &(" ".repeat(from) + &src[from..])) {
        let d = syntax_error(e, src);
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
pub(super) fn next_statement_line(src: &str, at: usize) -> Option<usize> {
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

/// One syntax error: what was expected, in the language's words, with a
/// "did you mean" for a misspelt keyword and a hint for a misplaced one.
pub(super) fn syntax_error(e: pest::error::Error<Rule>, src: &str) -> Diagnostic {
    let (start, end) = match e.location {
        pest::error::InputLocation::Pos(p) => (p, p + 1),
        pest::error::InputLocation::Span((a, b)) => (a, b.max(a + 1)),
    };
    let positives = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let message = match expected(&positives) {
        Some(list) => format!("syntax error: expected {list}"),
        None => "syntax error".to_string(),
    };
    let word = word_at(src, start);
    let keywords: Vec<&str> = positives.iter().flat_map(|r| keywords(*r)).copied().collect();
    let help = match word {
        Some(w) if !keywords.contains(&w) => {
            misplaced(w).map(str::to_string).or_else(|| sfc_asl::suggest::closest(w, &keywords).map(|k| format!("did you mean `{k}`?")))
        }
        _ => None,
    };
    let mut d = Diagnostic::error("SYNTAX", message)
        .with_help(help.unwrap_or_else(|| "see docs/language.md for the statements and their clauses".to_string()));
    d.span = Some(start..end);
    d
}

/// The identifier that starts at `at`, if one does.
fn word_at(src: &str, at: usize) -> Option<&str> {
    let rest = src.get(at..)?;
    let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
    (len > 0 && rest.starts_with(|c: char| c.is_ascii_alphabetic())).then(|| &rest[..len])
}

/// A keyword written where it cannot stand, and where it belongs.
fn misplaced(word: &str) -> Option<&'static str> {
    Some(match word {
        "catch" => "`catch` follows a try block: try { task ... } catch States.ALL as $.error { ... }; for one state, wrap it in try",
        "else" => "`else` follows the block of an `if`: if $.x == 1 { ... } else { ... }",
        "branch" => "`branch` stands inside a parallel: parallel { branch { ... } branch { ... } }",
        "case" | "default" => "`case` and `default` stand inside a switch: switch $.kind { case \"a\" { ... } default { ... } }",
        _ => return None,
    })
}

/// "a statement, a clause or the end of the file": what was expected,
/// grouped, each group once.
fn expected(positives: &[Rule]) -> Option<String> {
    let mut names: Vec<&str> = Vec::new();
    for r in positives {
        let n = shown(*r);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    // Statements and clauses first, the end of the file last.
    let rank = |n: &str| match n {
        "a statement" => 0,
        _ if n.starts_with("a clause") => 1,
        "the end of the file" => 3,
        _ => 2,
    };
    names.sort_by_key(|n| (rank(n), *n));
    match names.as_slice() {
        [] => None,
        [one] => Some(one.to_string()),
        [init @ .., last] => Some(format!("{} or {last}", init.join(", "))),
    }
}

/// What the language calls each grammar rule in an "expected" list; the
/// match names every rule, so a new rule needs a name here.
fn shown(r: Rule) -> &'static str {
    use Rule::*;
    match r {
        pass | task | wait | succeed | fail | goto | raw | if_stmt | while_stmt | switch_stmt | try_stmt | parallel | map | stmt => {
            "a statement"
        }
        param => "a parameter (param name = value)",
        import => "an import",
        check => "a property (check \"always eventually State\")",
        trigger | s3_created | event_rule | schedule | alarm | alarm_event => "a deployment line (on, schedule or alarm)",
        comment_clause | timeout_clause | heartbeat_clause | retry_clause | input_clause | parameters_clause | result_clause
        | select_clause | result_path_clause | output_clause | assign_clause | credentials_clause | query_clause | arguments_clause
        | output_expr_clause | clause => "a clause (retry, timeout, into, output, ...)",
        header | header_clause | version_clause => "a workflow header",
        map_clause | concurrency | item_selector | distributed | reader | batcher | writer | tolerate | label => {
            "a map option (concurrency, with, tolerate, ...)"
        }
        retry_opt | retry_interval | retry_attempts | retry_backoff | retry_max_delay | retry_jitter => {
            "a retry option (interval, attempts, backoff, max_delay, jitter)"
        }
        else_if | else_block => "else",
        case | default_case => "case or default",
        catch => "catch",
        branch => "branch",
        as_name => "as Name",
        block => "a block { ... }",
        name => "a state name",
        wait_until => "until",
        fail_value => "an error name, a path or a call",
        EOI => "the end of the file",
        value | literal | param_ref => "a value",
        object | member | key | raw_key => "an object { key: value }",
        array => "an array [ ... ]",
        call | call_name => "a call such as format(\"{}\", $.x)",
        path | path_step => "a path such as $.field",
        string | string_inner => "a quoted string",
        number | percent => "a number",
        bool_lit => "true or false",
        null_lit | discard => "null",
        duration => "a duration such as 30s, 5m or 2h",
        resource | integration | sdk_resource => "an integration such as batch.submitJob.sync",
        error_list | error_name => "error names",
        cond | or_cond | and_cond | not_cond | not_op | atom_cond | is_test | matches_test | comparison => "a condition such as $.x == 1",
        is_not | is_kind => "present, null or a type (string, number, boolean, timestamp)",
        cmp_op => "a comparison (==, !=, <, <=, >, >=)",
        operand | typed_path | type_name | timestamp_lit => "a value to compare with",
        ident | ident_char => "a name",
        WHITESPACE | COMMENT | file | keyword_ahead => "a statement",
    }
}

/// The keywords that start a rule, for "did you mean".
const KEYWORDS: &[(Rule, &[&str])] = &[
    (Rule::pass, &["pass"]),
    (Rule::task, &["task"]),
    (Rule::wait, &["wait"]),
    (Rule::succeed, &["succeed"]),
    (Rule::fail, &["fail"]),
    (Rule::goto, &["goto"]),
    (Rule::raw, &["asl"]),
    (Rule::if_stmt, &["if"]),
    (Rule::while_stmt, &["while"]),
    (Rule::switch_stmt, &["switch"]),
    (Rule::try_stmt, &["try"]),
    (Rule::parallel, &["parallel"]),
    (Rule::map, &["map"]),
    (Rule::param, &["param"]),
    (Rule::import, &["import"]),
    (Rule::check, &["check"]),
    (Rule::trigger, &["on"]),
    (Rule::schedule, &["schedule"]),
    (Rule::alarm, &["alarm"]),
    (Rule::header, &["workflow"]),
    // At the start of a file pest names only the whole file.
    (
        Rule::file,
        &[
            "workflow", "param", "import", "check", "on", "schedule", "alarm", "pass", "task", "wait", "succeed", "fail", "if", "while",
            "switch", "try", "parallel", "map", "goto", "asl",
        ],
    ),
    (Rule::comment_clause, &["comment"]),
    (Rule::timeout_clause, &["timeout"]),
    (Rule::heartbeat_clause, &["heartbeat"]),
    (Rule::retry_clause, &["retry"]),
    (Rule::input_clause, &["input"]),
    (Rule::parameters_clause, &["parameters"]),
    (Rule::result_clause, &["result"]),
    (Rule::select_clause, &["select"]),
    (Rule::result_path_clause, &["into"]),
    (Rule::output_clause, &["output"]),
    (Rule::assign_clause, &["assign"]),
    (Rule::credentials_clause, &["credentials"]),
    (Rule::query_clause, &["query"]),
    (Rule::arguments_clause, &["arguments"]),
    (Rule::output_expr_clause, &["emit"]),
    (Rule::version_clause, &["version"]),
    (Rule::retry_opt, &["interval", "attempts", "backoff", "max_delay", "jitter"]),
    (Rule::retry_interval, &["interval"]),
    (Rule::retry_attempts, &["attempts"]),
    (Rule::retry_backoff, &["backoff"]),
    (Rule::retry_max_delay, &["max_delay"]),
    (Rule::retry_jitter, &["jitter"]),
    (Rule::map_clause, &["concurrency", "with", "distributed", "reader", "batch", "writer", "tolerate", "label"]),
    (Rule::concurrency, &["concurrency"]),
    (Rule::item_selector, &["with"]),
    (Rule::distributed, &["distributed"]),
    (Rule::reader, &["reader"]),
    (Rule::batcher, &["batch"]),
    (Rule::writer, &["writer"]),
    (Rule::tolerate, &["tolerate"]),
    (Rule::label, &["label"]),
    (Rule::else_if, &["else"]),
    (Rule::else_block, &["else"]),
    (Rule::case, &["case"]),
    (Rule::default_case, &["default"]),
    (Rule::catch, &["catch"]),
    (Rule::branch, &["branch"]),
    (Rule::as_name, &["as"]),
    (Rule::wait_until, &["until"]),
    (Rule::discard, &["discard"]),
    (Rule::is_kind, &["present", "null", "string", "number", "boolean", "timestamp"]),
];

fn keywords(r: Rule) -> &'static [&'static str] {
    KEYWORDS.iter().find(|(rule, _)| *rule == r).map_or(&[], |(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::syntax_errors;

    fn first(src: &str) -> (String, String) {
        let d = syntax_errors(src).into_iter().next().expect("a syntax error");
        (d.message, d.help.unwrap_or_default())
    }

    #[test]
    fn misspelt_keywords_get_a_did_you_mean() {
        let retry = "task T = lambda.invoke { FunctionName: \"f\" } retry States.ALL (attempts 3, backof 2)\n";
        assert_eq!(
            first(retry),
            (
                "syntax error: expected a retry option (interval, attempts, backoff, max_delay, jitter)".into(),
                "did you mean `backoff`?".into()
            )
        );
        let (message, help) = first("pass P resutl { a: 1 }\n");
        assert_eq!(message, "syntax error: expected a statement, a clause (retry, timeout, into, output, ...), a deployment line (on, schedule or alarm), a parameter (param name = value), a property (check \"always eventually State\"), an import or the end of the file");
        assert_eq!(help, "did you mean `result`?");
        assert_eq!(first("paralel { branch { pass A } }\n").1, "did you mean `parallel`?");
    }

    #[test]
    fn a_catch_after_a_task_points_to_try() {
        let (_, help) = first("task T = lambda.invoke { FunctionName: \"f\" }\ncatch States.ALL { pass Q }\n");
        assert!(help.starts_with("`catch` follows a try block"), "{help}");
    }

    #[test]
    fn expected_lists_are_short_and_in_the_language_s_words() {
        for src in ["pass P result { a: 1\n", "wait 10x\n", "if $.a = 1 { pass A }\n", "pass P\nmap $.items concurrency { pass A }\n"] {
            let (message, _) = first(src);
            assert!(!message.contains('_'), "a grammar rule's name leaked: {message}");
            assert!(message.matches(',').count() <= 5, "too long: {message}");
        }
    }

    /// Every rule of the grammar says what it is in a `///` comment.
    #[test]
    fn every_grammar_rule_is_documented() {
        let grammar = include_str!("../grammar.pest");
        let mut previous = "";
        for line in grammar.lines() {
            if line
                .split_once(" = ")
                .is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            {
                assert!(previous.starts_with("///"), "rule without a doc comment: {line}");
            }
            previous = line;
        }
    }
}
