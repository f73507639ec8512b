//! Whether an expression can reach `$states.context`. Building the
//! context object costs more than many expressions (its times are
//! formatted, the execution's input is converted), and most never read
//! it, so it is built only for those that can.
//!
//! The answer errs towards yes. An expression reaches the context unless
//! every use of `$states` is a path whose next step names `input`,
//! `result` or `errorOutput`; anything else that names `$states` (bound to
//! a variable, passed to `$lookup`, a wildcard step), `$eval` (which can
//! evaluate any text) and the parent operator `%` (which can step back up
//! from `$states.input`) count as reaching it.
//!
//! The syntax tree is read through its serde form, so that every kind of
//! node, including any a later jsonata-core adds, is searched.

use jsonata_core::ast::AstNode;
use serde_json::Value;

/// The parts of `$states` that never lead to the context.
const DATA: [&str; 3] = ["input", "result", "errorOutput"];

pub(super) fn reaches_context(ast: &AstNode) -> bool {
    serde_json::to_value(ast).map_or(true, |tree| reaches(&tree))
}

fn reaches(node: &Value) -> bool {
    match node {
        Value::Object(m) => {
            if let Some(Value::Object(path)) = m.get("Path") {
                if let Some(Value::Array(steps)) = path.get("steps") {
                    if names_states(&steps[..steps.len().min(1)]) {
                        return !reads_data(steps) || steps[1..].iter().any(reaches);
                    }
                }
            }
            if is_variable(node, "states") || is_variable(node, "eval") || m.contains_key("Parent") {
                return true;
            }
            if let Some(Value::Object(call)) = m.get("Function") {
                if call.get("name").and_then(Value::as_str) == Some("eval") {
                    return true;
                }
            }
            m.values().any(reaches)
        }
        Value::Array(items) => items.iter().any(reaches),
        _ => false,
    }
}

/// Whether `steps` (a path's first step, or none) starts at `$states`.
fn names_states(steps: &[Value]) -> bool {
    steps.first().and_then(|s| s.get("node")).is_some_and(|n| is_variable(n, "states"))
}

/// Whether a path from `$states` goes straight on to one of [`DATA`]:
/// its first step is `$states` alone (no filter, focus, index or
/// ancestor binding) and its second names one of them.
fn reads_data(steps: &[Value]) -> bool {
    let plain = |step: &Value| {
        step.get("stages").and_then(Value::as_array).is_some_and(Vec::is_empty)
            && ["focus", "index_var", "ancestor_label"].iter().all(|k| step.get(*k).is_none_or(Value::is_null))
    };
    let second = steps.get(1).and_then(|s| s.get("node")).and_then(|n| n.get("Name")).and_then(Value::as_str);
    plain(&steps[0]) && second.is_some_and(|name| DATA.contains(&name))
}

fn is_variable(node: &Value, name: &str) -> bool {
    node.get("Variable").and_then(Value::as_str) == Some(name)
}

#[cfg(test)]
mod tests {
    use super::reaches_context;

    fn reaches(expr: &str) -> bool {
        reaches_context(&jsonata_core::parser::parse(expr).unwrap())
    }

    #[test]
    fn data_paths_do_not_reach_the_context() {
        for e in [
            "$states.input.x",
            "$states.input.items[0].id",
            "$states.result.a + $x",
            "$states.errorOutput.Cause",
            "$count($states.input.items) > 0",
            "$",
            "$$.a",
            "{'a': $states.input.a, 'b': [1, 2]}",
            "$states.input.items[id = $states.input.first].name",
            "function($v){ $v * 2 }($states.input.n)",
            "$map($states.input.items, function($i){ $i.id })",
        ] {
            assert!(!reaches(e), "{e}");
        }
    }

    #[test]
    fn any_other_way_to_states_reaches_it() {
        for e in [
            "$states.context.Execution.Id",
            "$states",
            "$states.*",
            "$states.**",
            "$lookup($states, 'context')",
            "$keys($states)",
            "$string($states)",
            "($s := $states; $s.context)",
            "$states@$s.input",
            "$states#$i.input",
            "$states[true].input",
            "$states.input.%",
            "$states.input.a.%.%.context",
            "$eval('$states.context')",
            "($e := $eval; $e('1'))",
            "$states.input[$states.context.x]",
            "$states.(context)",
            "$states.input ~> function($v){ $states.context }",
        ] {
            assert!(reaches(e), "{e}");
        }
    }
}
