//! Workflow variables that are read but never assigned anywhere in the
//! machine. AWS accepts such definitions (the read fails at run time), so
//! this is a warning.

use super::Ctx;
use crate::diag::Diagnostic;
use crate::json::Pointer;
use serde_json::Value;
use std::collections::HashSet;

pub(crate) fn check_variables(ctx: &mut Ctx, machine: &Value) {
    let mut assigned = HashSet::new();
    collect_assigned(machine, &mut assigned);
    let mut reads = Vec::new();
    collect_reads(machine, &Pointer::root(), false, false, &mut reads);
    for (name, at) in reads {
        if !assigned.contains(&name) {
            ctx.push(
                Diagnostic::warning("UNDEFINED_VARIABLE", format!("variable ${name} is read here but no state assigns it"))
                    .at(at.as_str())
                    .with_help(format!("assign it with \"Assign\": {{\"{name}\": ...}} in an earlier state, or check the spelling")),
            );
        }
    }
}

fn collect_assigned(v: &Value, out: &mut HashSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, item) in m {
                if k == "Assign" {
                    if let Value::Object(a) = item {
                        out.extend(a.keys().map(|k| k.strip_suffix(".$").unwrap_or(k).to_string()));
                    }
                }
                collect_assigned(item, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect_assigned(i, out)),
        _ => {}
    }
}

/// Variable reads: `$name` paths in JSONPath fields (keys ending in `.$`
/// or `Path`, and Choice `Variable`) and `$name` inside `{% %}` in
/// JSONata states (a `QueryLanguage` field sets the language below it).
fn collect_reads(v: &Value, at: &Pointer, path_field: bool, jsonata: bool, out: &mut Vec<(String, Pointer)>) {
    match v {
        Value::Object(m) => {
            let jsonata = match m.get("QueryLanguage").and_then(Value::as_str) {
                Some(l) => l == "JSONata",
                None => jsonata,
            };
            for (k, item) in m {
                let is_path = k.ends_with(".$") || k.ends_with("Path") || k == "Variable";
                collect_reads(item, &at.key(k), is_path, jsonata, out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_reads(item, &at.index(i), false, jsonata, out);
            }
        }
        Value::String(s) => {
            let expr = s.strip_prefix("{%").and_then(|r| r.strip_suffix("%}")).filter(|_| jsonata);
            let names = if let Some(expr) = expr {
                jsonata_reads(expr)
            } else if path_field {
                path_reads(s)
            } else {
                Vec::new()
            };
            out.extend(names.into_iter().map(|n| (n, at.clone())));
        }
        _ => {}
    }
}

/// `$name` at the start of a path, or as an argument of an intrinsic call.
fn path_reads(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes: Vec<char> = s.chars().collect();
    let mut quote = None;
    for (i, &c) in bytes.iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'') => quote = Some(c),
            (None, '$')
                if bytes.get(i + 1).is_some_and(|n| n.is_alphabetic() || *n == '_')
                    && (i == 0 || matches!(bytes[i - 1], ' ' | '(' | ',')) =>
            {
                out.push(identifier(&bytes[i + 1..]));
            }
            _ => {}
        }
    }
    out
}

/// `$name` tokens in a JSONata expression that are not functions called
/// by name, not `$states`, and not bound inside it (`:=`, lambda parameters).
fn jsonata_reads(expr: &str) -> Vec<String> {
    let chars: Vec<char> = expr.chars().collect();
    let mut tokens = Vec::new();
    let mut local = HashSet::new();
    let mut quote = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match (quote, c) {
            (Some(_), '\\') => i += 1,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '$') if chars.get(i + 1).is_some_and(|n| n.is_alphabetic() || *n == '_') => {
                let name = identifier(&chars[i + 1..]);
                let after: String = chars[i + 1 + name.chars().count()..].iter().collect::<String>();
                let after = after.trim_start();
                let before: String = chars[..i].iter().collect::<String>();
                if after.starts_with(":=")
                    || before.trim_end().ends_with("function(")
                    || before.trim_end().ends_with(',') && in_params(&before)
                {
                    local.insert(name);
                } else if !after.starts_with('(') {
                    tokens.push(name);
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    tokens.into_iter().filter(|n| n != "states" && !local.contains(n)).collect()
}

/// True inside the parameter list of a `function(...)` being read.
fn in_params(before: &str) -> bool {
    match (before.rfind("function("), before.rfind(')')) {
        (Some(f), Some(p)) => f > p,
        (Some(_), None) => true,
        _ => false,
    }
}

fn identifier(chars: &[char]) -> String {
    chars.iter().take_while(|c| c.is_alphanumeric() || **c == '_').collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_reads_but_not_locals_functions_or_states() {
        assert_eq!(jsonata_reads(" $x + $sum($states.input.a) + $y.z "), vec!["x", "y"]);
        assert_eq!(jsonata_reads(" ($v := 1; $v + $w) "), vec!["w"]);
        assert_eq!(jsonata_reads(" $map($a, function($i, $j) { $i + $j }) "), vec!["a"]);
        assert_eq!(jsonata_reads(" '$notvar' & \"$nor\" "), Vec::<String>::new());
        assert_eq!(path_reads("$answer.x"), vec!["answer"]);
        assert_eq!(path_reads("States.Format('{} $no', $tmpl, $.x)"), vec!["tmpl"]);
        assert!(path_reads("$.a").is_empty() && path_reads("$$.Execution").is_empty());
    }
}
